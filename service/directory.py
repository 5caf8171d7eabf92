"""What parsing needs to know, kept in memory: the boards' names and the registered people.

Every change to boards or people increases one number in the database (store.people.record), so
each command asks that number (one tiny read) and reloads only when it moved: correct with several
replicas, and no query per board or person in a command's path otherwise."""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from grammar.registry import Context
from store import names
from store.db import KeptReader, reading
from store.models import Board, Person
from store.people import VERSION_SQL, directory_version, slack_keys


@dataclass(frozen=True)
class Snapshot:
    version: int = -1
    boards: tuple[str, ...] = ()
    initials: frozenset[str] = frozenset()
    names: dict[str, str] = field(default_factory=dict)  # store.names.key(name) -> as registered
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a first name's key -> full names
    slack_names: dict[str, str] = field(default_factory=dict)  # Slack user id -> name
    persons: dict[str, int] = field(default_factory=dict)  # Slack user id -> person id
    channels: dict[str, str] = field(default_factory=dict)  # channel id -> board name

    def context(self, today: dt.date, region: str = "ENG") -> Context:
        return Context(today=today, boards=self.boards, initials=self.initials, names=self.names,
                       name_of=self.slack_names.get, aliases=self.aliases, region=region)


# forms of address a name may start with; never anyone's first name
TITLES = frozenset("dr mr mrs ms miss mx prof professor cllr councillor sir dame lord lady rev revd".split())


def first_names(full_names) -> dict[str, tuple[str, ...]]:
    """Each first name -> the full names it may mean, and each name that starts with titles
    ("Dr", "Cllr") -> the full name without them: Dr Jane Smith is "Jane" and "Jane Smith"."""
    found: dict[str, list[str]] = {}
    for name in full_names:
        words = names.key(name).split()
        titled = 0
        while titled < len(words) - 1 and words[titled].rstrip(".") in TITLES:
            titled += 1
        words, untitled = words[titled:], titled > 0
        if untitled and len(words) > 1:
            found.setdefault(" ".join(words), []).append(name)
        if len(words) > 1 or untitled:
            found.setdefault(words[0], []).append(name)
    return {first: tuple(dict.fromkeys(full)) for first, full in found.items()}


def with_slack_names(aliases: dict[str, tuple[str, ...]], slack_names) -> dict[str, tuple[str, ...]]:
    """The aliases, and each person's Slack name (`jsmith`, `@jsmith`) -> their full name."""
    found = {first: list(full) for first, full in aliases.items()}
    for name, slack in slack_names:
        for typed in slack_keys(slack):
            found.setdefault(typed, []).append(name)
    return {typed: tuple(dict.fromkeys(full)) for typed, full in found.items()}


class Directory:
    def __init__(self, read_sessions: sessionmaker[Session]):
        self.read_sessions = read_sessions
        self._snapshot = Snapshot()
        self._lock = threading.Lock()
        engine = read_sessions.kw.get("bind")
        self._version = KeptReader(engine, VERSION_SQL) if engine is not None else None

    def close(self) -> None:
        if self._version is not None:
            self._version.close()

    def current(self, s: Session | None = None) -> Snapshot:
        if s is not None:
            return self._fresh(s, directory_version(s))
        if self._version is not None:  # the common case, every command: one statement, no transaction
            if (self._version.scalar() or 0) == self._snapshot.version:
                return self._snapshot
        with reading(self.read_sessions) as s:
            return self._fresh(s, directory_version(s))

    def _fresh(self, s: Session, version: int) -> Snapshot:
        snapshot = self._snapshot
        if version == snapshot.version:
            return snapshot
        boards = s.execute(select(Board.name, Board.channel_id).order_by(Board.name)).all()
        people = s.execute(select(Person.id, Person.initials, Person.name, Person.slack_user_id)).all()
        slack_names = s.execute(select(Person.name, Person.slack_name).where(Person.slack_name.is_not(None))).all()
        snapshot = Snapshot(
            version=version,
            boards=tuple(name for name, _ in boards),
            initials=frozenset(i for _, i, _, _ in people if i),
            names={names.key(name): name for _, _, name, _ in people if name},
            aliases=with_slack_names(first_names(name for _, _, name, _ in people if name), slack_names),
            slack_names={u: name for _, _, name, u in people if u},
            persons={u: pid for pid, _, _, u in people if u},
            channels={c: name for name, c in boards if c},
        )
        with self._lock:
            if snapshot.version >= self._snapshot.version:
                self._snapshot = snapshot
        return snapshot
