"""Importing read rows into a board's log: all or nothing for the secretary, never holding the
database against the live app for more than a moment.

The rows are checked first (bad rows and refs already on the log with other contents stop the
import before anything is written; rows already on the log as they are change nothing). Then the
import is written in short transactions of CHUNK rows (per database), with SQLAlchemy Core (COPY on PostgreSQL),
hidden under an import run (store.imports) until one last short transaction shows it all. Refs in
the file are kept and the board's counters moved past them; rows without a ref are numbered after
the highest."""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Table, func, select
from sqlalchemy.orm import Session, sessionmaker

from exchange.reading import BadRow, LogRow
from grammar.refs import format_ref
from store import imports, numbering
from store.actions import numbering_year
from store.boards import board_names, find_board
from store.db import unit_of_work
from store.errors import Refusal
from store.models import OPEN, Action, ActionEvent, ActionOwner, Board, Person
from store.people import add_members, bump_directory, person_by_name
from store.terms import Numbering, Status, Who
from store.words import ref_runs

log = logging.getLogger(__name__)
SAY_BOARD = "/clerk board <name> chair <who> secretary <who> in Slack, or clerk board <name> at python bot.py console"
# rows a transaction: on SQLite about a tenth of a second of its one write lock; PostgreSQL has no
# such lock, and fewer commits (each one a WAL flush to disk) import 100,000 rows 10-15 % faster
CHUNK = {"sqlite": 2000, "postgresql": 10000}
# Seconds between parts on SQLite, so waiting writers get in: ten times the longest sleep of a
# writer polling for the lock (store.db._begin_immediate), which is how the live app's writers wait.
PAUSE = 0.02
BEAT_EVERY = imports.STALE.total_seconds() / 4  # the run's heartbeat, from its own thread, whatever a part takes


class BoardError(Refusal):
    """No board, or not the one named: says how to create or name it."""


class BadRows(Refusal):
    """Rows that cannot be read. Raised before anything is written."""

    def __init__(self, bad: Sequence[BadRow], readable: int):
        self.bad, self.readable = list(bad), readable
        super().__init__("\n".join(str(b) for b in self.bad))


@dataclass
class Imported:
    """What an import did, in plain values (it spans several transactions)."""

    board: str
    refs: list[str] = field(default_factory=list)  # in ref order
    refs_said: str = ""  # the refs as runs that state their gaps: "12/26 to 13/26 and 16/26 to 17/26"
    statuses: Counter = field(default_factory=Counter)
    skipped: list[BadRow] = field(default_factory=list)
    new_people: list[str] = field(default_factory=list)  # their labels
    already: int = 0  # rows already on the log as they are


# -- the board ------------------------------------------------------------------------------

def choose_board(s: Session, name: str | None) -> Board:
    """The board named, else the only one."""
    names = board_names(s)
    if name:
        board = find_board(s, name)
        if board is None:
            known = f" Boards: {', '.join(names)}." if names else ""
            how = SAY_BOARD.replace("<name>", name)
            raise BoardError(f"There is no board “{name}”.{known} To create it: {how}.")
        return board
    if len(names) == 1:
        return find_board(s, names[0])
    if not names:
        raise BoardError(f"There is no board yet. Create one first: {SAY_BOARD}; then run this again.")
    raise BoardError(f"Which board? Add --board <name> (boards: {', '.join(names)}).")


# -- importing ----------------------------------------------------------------------------

def import_log(sessions: sessionmaker[Session], board_id: int, rows: Sequence[LogRow], bad: Sequence[BadRow],
               as_of: dt.date, now: dt.datetime, *, skip_bad: bool = False, chunk: int | None = None,
               wall: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc)) -> Imported:
    """Raise the rows' actions on the board. Any bad row stops the import before it writes,
    unless skip_bad; a failure half-way leaves the log as it was."""
    with unit_of_work(sessions) as s:
        imports.undo_stale(s, wall())
        board = s.get(Board, board_id, with_for_update=True)  # two imports started together: one waits, then sees the other
        other = imports.running(s, board.id)
        if other is not None:  # its rows are hidden: counting them as "already on the log" would be untrue
            wait = int(imports.STALE.total_seconds())
            raise Refusal(f"Another import into {board.name}'s log is still running ({other.rows:,} rows, started "
                          f"{other.started:%d %b %Y %H:%M} UTC), so nothing was imported. Wait for it to finish; if "
                          f"its process was stopped, run this again in {wait} seconds, when Clerk has undone it.")
        rows, bad, already = _sort_out(s, board, rows, bad)
        if bad and not skip_bad:
            raise BadRows(bad, len(rows))
        done = Imported(board.name, skipped=list(bad), already=already)
        if not rows:
            return done
        run = imports.start(s, board.id, len(rows), now, wall())
        people = _People(s, now)
        plan = _plan(s, board, rows)
        owners = {id(row): [people.get(who) for who in row.owners] for row in rows}
        run.new_people = [p.id for p in people.new]
        done.new_people = [p.label for p in people.new]
        owner_ids = {key: list(dict.fromkeys(p.id for p in found)) for key, found in owners.items()}
        run_id, board_key = run.id, board.id
    dialect = sessions.kw["bind"].dialect.name
    pause = PAUSE if dialect == "sqlite" else 0
    chunk = chunk or CHUNK[dialect]
    try:
        with _Heartbeat(sessions, run_id, wall, every=None if dialect == "sqlite" else BEAT_EVERY):
            for part in _chunks(plan, chunk):
                with unit_of_work(sessions) as s:
                    _write(s, board_key, part, owner_ids, run_id, as_of, now)
                    imports.beat(s, run_id, wall())
                time.sleep(pause)  # SQLite has one write lock: the live app's writers take their turn
            with unit_of_work(sessions) as s:
                imports.finish(s, run_id)
                board = s.get(Board, board_key)
                add_members(s, board, [s.get(Person, pid) for pid in {p for ids in owner_ids.values() for p in ids}],
                            None, now)
                bump_directory(s)
    except BaseException:  # the heartbeat has stopped: nothing marks the run alive while it is undone
        with unit_of_work(sessions) as s:
            imports.undo(s, run_id)
        raise
    done.refs = [format_ref(number, year) for _, year, number in sorted(plan, key=lambda p: (p[1], p[2]))]
    done.refs_said = ref_runs(sorted((year, number) for _, year, number in plan), format_ref)
    done.statuses = Counter(row.status for row, _, _ in plan)
    return done


class _Heartbeat:
    """On PostgreSQL, the run's heartbeat every `every` seconds in a short transaction of its own, so
    a part that takes longer than STALE (10,000 rows on a slow or busy database) is never taken for a
    dead import by a process starting meanwhile (store.imports.undo_stale). SQLite has one writer,
    whose part would hold the beat up anyway: there each part's own beat (2,000 rows, a fraction of
    a second) is the heartbeat, as before."""

    def __init__(self, sessions: sessionmaker[Session], run_id: int, wall: Callable[[], dt.datetime],
                 every: float | None):
        self._stopped = threading.Event()
        self._thread = None
        if every is not None:
            self._thread = threading.Thread(target=self._beat, args=(sessions, run_id, wall, every),
                                            name="clerk-import-beat", daemon=True)
            self._thread.start()

    def _beat(self, sessions, run_id, wall, every) -> None:
        while not self._stopped.wait(every):
            try:
                with unit_of_work(sessions) as s:
                    imports.beat(s, run_id, wall())
            except Exception:  # noqa: BLE001 - the next beat, or the part's own, tries again
                log.warning("could not mark import %s as alive; trying again", run_id, exc_info=True)

    def __enter__(self) -> _Heartbeat:
        return self

    def __exit__(self, *exc) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=30)


def _refs_first(rows: Sequence[LogRow]) -> list[LogRow]:
    return [r for r in rows if r.number is not None] + [r for r in rows if r.number is None]


def _ref_year(board: Board, row: LogRow) -> int:
    if board.numbering == Numbering.CONTINUOUS:
        return 0
    return row.year if row.year is not None else numbering_year(board, row.raised)


def _plan(s: Session, board: Board, rows: Sequence[LogRow]) -> list[tuple[LogRow, int, int]]:
    """(row, year, number) for every row: the file's ref, or the board's next numbers of that year,
    taken from its counter in one block (so what is raised meanwhile never takes one of them)."""
    plan, waiting = [], {}
    for row in _refs_first(rows):
        year = _ref_year(board, row)
        if row.number is not None:
            plan.append((row, year, row.number))
        else:
            waiting.setdefault(year, []).append(row)
    _reserve(s, board, plan)
    for year, unnumbered in waiting.items():
        first = numbering.take_block(s, board, numbering.ACTION, year, len(unnumbered))
        plan += [(row, year, first + i) for i, row in enumerate(unnumbered)]
    return plan


def _reserve(s: Session, board: Board, plan) -> None:
    """The board's counters move past the file's refs, so what is raised meanwhile and later never
    takes one of them."""
    highest: dict[int, int] = {}
    for row, year, number in plan:
        if row.number is not None:
            highest[year] = max(highest.get(year, 0), number)
    for year, number in highest.items():
        numbering.keep_after(s, board, numbering.ACTION, year, number)


def _sort_out(s: Session, board: Board, rows: Sequence[LogRow], bad: Sequence[BadRow]
              ) -> tuple[list[LogRow], list[BadRow], int]:
    """Rows to import, the bad rows, and how many are on the log already as they are. A ref on the
    log with other contents, or twice in the file, is a bad row."""
    on_log = {(a.number, a.year): a for a in s.execute(
        select(Action.number, Action.year, Action.title, Action.status, Action.due, Action.closing_condition)
        .where(Action.board_id == board.id).execution_options(**{imports.SEE_UNFINISHED: True}))}
    titles = {(a.title, a.raised) for a in s.execute(select(Action.title, Action.raised)
                                                         .where(Action.board_id == board.id))}
    first_row: dict[tuple[int, int], int] = {}
    good, bad, already = [], list(bad), 0
    for row in rows:
        if row.number is None:
            if (row.title, row.raised) in titles:
                already += 1
            else:
                good.append(row)
            continue
        ref = (row.number, _ref_year(board, row))
        there = on_log.get(ref)
        if there is not None:
            same = (there.title, there.status, there.due, there.closing_condition) == (
                row.title, row.status, row.due, row.condition)
            if same:
                already += 1
            else:
                bad.append(BadRow(row.row, f"{format_ref(*ref)} is already on the log, with other contents"))
        elif ref in first_row:
            bad.append(BadRow(row.row, f"{format_ref(*ref)} is also on row {first_row[ref]}"))
        else:
            first_row[ref] = row.row
            good.append(row)
    return good, sorted(bad, key=lambda b: b.row), already


def _chunks(plan: list, size: int) -> Iterator[list]:
    for start in range(0, len(plan), size):
        yield plan[start:start + size]


def _write(s: Session, board_id: int, part, owner_ids: dict[int, list[int]], run_id: int, as_of: dt.date,
           now: dt.datetime) -> None:
    """One part of the import, in a handful of statements (Core, many rows each)."""
    values = []
    for row, year, number in part:
        closed = row.status == Status.CLOSED
        values.append({"board_id": board_id, "year": year, "number": number, "title": row.title, "due": row.due,
                       "due_note": row.due_note, "status": row.status, "closing_condition": row.condition,
                       "private": row.private, "raised": row.raised, "closed": row.closed if closed else None,
                       "import_run_id": run_id})
    conn = s.connection()  # Core, not the ORM's bulk path: a few statements of many rows each
    table = Action.__table__
    # One executemany, then the new ids by ref. RETURNING in the rows' order would be one INSERT a
    # row on SQLite (it does not promise RETURNING's order), a fifth of the import's time.
    mine = table.c.import_run_id == run_id
    before = conn.scalar(select(func.max(table.c.id)).where(mine)) or 0
    _insert_many(conn, table, values)
    id_of = {(year, number): action_id for action_id, year, number in conn.execute(
        select(table.c.id, table.c.year, table.c.number).where(mine, table.c.id > before))}
    owners, events = [], []
    for row, year, number in part:
        action_id = id_of[(year, number)]
        owners += [{"action_id": action_id, "person_id": pid, "position": i}
                   for i, pid in enumerate(owner_ids[id(row)])]
        events.append({"action_id": action_id, "at": now, "dated": row.raised, "kind": "raised", "new": row.title})
        events += [{"action_id": action_id, "at": now, "dated": day, "kind": "update", "text": text}
                   for day, text in row.updates]
        if row.status != OPEN:
            label = f"closing when {row.condition}" if row.status == Status.CLOSING_WHEN else row.status
            events.append({"action_id": action_id, "at": now, "dated": row.closed or as_of, "kind": "status",
                           "old": OPEN, "new": label})
    if owners:
        _insert_many(conn, ActionOwner.__table__, owners)
    _insert_many(conn, ActionEvent.__table__, _same_keys(events))


def _insert_many(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Rows with the same keys into `table`, in the caller's transaction. On PostgreSQL by COPY:
    psycopg's executemany sends one INSERT a row, three fifths of the import's time there."""
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), rows)
        return
    keys = list(rows[0])
    with conn.connection.driver_connection.cursor() as cursor, cursor.copy(
            f"COPY {table.name} ({', '.join(keys)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[k] for k in keys])


_EVENT_KEYS = ("action_id", "at", "dated", "kind", "old", "new", "text")


def _same_keys(rows: list[dict]) -> list[dict]:
    """One executemany needs one set of columns."""
    return [{k: row.get(k) for k in _EVENT_KEYS} for row in rows]


class _People:
    """The people an import's owner cells name, looked up once each. Initials or names Clerk does
    not know become people without Slack, for the secretary to register."""

    def __init__(self, s: Session, now: dt.datetime):
        self.s, self.now = s, now
        self.known: dict[tuple[str, str], Person] = {}
        self.new: list[Person] = []
        self._initials = {p.initials: p for p in s.scalars(select(Person).where(Person.initials.is_not(None)))}

    def get(self, who: Who) -> Person:
        key = (who.kind, who.value.lower())
        if key not in self.known:
            self.known[key] = self._find_or_add(who)
        return self.known[key]

    def _find_or_add(self, who: Who) -> Person:
        s = self.s
        if who.kind == "slack":
            person = s.scalar(select(Person).where(Person.slack_user_id == who.value))
        elif who.kind == "initials":
            person = self._initials.get(who.value.upper())
        else:
            person = person_by_name(s, who.value)
        if person is None:
            person = Person(slack_user_id=who.value if who.kind == "slack" else None,
                            initials=who.value if who.kind == "initials" else None,
                            name=(who.display or who.value)[:120], created=self.now)
            s.add(person)
            s.flush()
            self.new.append(person)
        return person
