"""People and boards: one record per person, the roles people hold on boards, how each person is
reached on Slack, and the record of every change to people and roles.

A person is known by initials (unique in the workspace, matched in any case), a name, and at most
one Slack user. Linking a known person to Slack, renaming them or changing their initials changes
that one record, so everything theirs stays theirs; two records of one person are merged on a
secretary's say-so. Who may do each of these is decided by store.permissions."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from store import names
from store import permissions as rules
from store.models import (
    ActionEvent,
    ActionOwner,
    Board,
    BoardRole,
    Directory,
    PeopleEvent,
    Person,
    PlanEvent,
    PlanItemOwner,
)
from store.nearest import either, nearest
from store.permissions import Act
from store.terms import Refusal, Role, Who
from store.words import count

CHAIR, SECRETARY, MEMBER = Role.CHAIR, Role.SECRETARY, Role.MEMBER
MAX_NAME = 120
INITIALS = re.compile(r"[^\W\d_]{2,6}")
REGISTER_HINT = ("Register them first (a chair or secretary can): /clerk person {initials} @their-slack-name, "
                 "or their full name if they are not on Slack.")


# -- finding people ------------------------------------------------------------------------

_BY_SLACK_ID = select(Person).where(Person.slack_user_id == bindparam("user"))  # built once: every command asks it


def person_by_slack_id(s: Session, user_id: str) -> Person | None:
    return s.scalar(_BY_SLACK_ID, {"user": user_id})


_BY_INITIALS = select(Person).where(Person.initials == bindparam("initials"))


def person_by_initials(s: Session, initials: str) -> Person | None:
    return s.scalar(_BY_INITIALS, {"initials": initials.upper()})


def person_by_name(s: Session, name: str, *, unlinked: bool = False) -> Person | None:
    """A registered name as `names.key` compares it (any case, in any script); the first such person
    if two share it. `unlinked`: only someone known by name alone (no initials, no Slack user).

    Compared here, not in SQL: SQLite's lower() folds ASCII letters only, so "ÉLODIE" and "Élodie"
    would differ there and not on PostgreSQL; a name is one of the workspace's few hundred people."""
    want = names.key(name)
    q = select(Person.id, Person.name, Person.slack_name).order_by(Person.id)
    if unlinked:
        q = q.where(Person.initials.is_(None), Person.slack_user_id.is_(None), Person.console.is_(False))
    rows = s.execute(q).all()
    found = next((pid for pid, known, _ in rows if known and names.key(known) == want), None)
    if found is None and not unlinked:  # else the name Slack labels them with (jsmith, @jsmith)
        found = next((pid for pid, _, slack in rows if slack and want in slack_keys(slack)), None)
    return s.get(Person, found) if found is not None else None


def slack_keys(slack_name: str) -> tuple[str, str]:
    """The keys a Slack name is typed as: `jsmith` and `@jsmith`."""
    plain = names.key(slack_name).lstrip("@")
    return plain, "@" + plain


def note_slack_name(s: Session, person: Person, who: Who | None) -> None:
    """Keep the name Slack labelled a mention of this person with, so it finds them when typed."""
    label = " ".join((who.display if who is not None else "").split())[:80]
    if label and label != person.slack_name:
        person.slack_name = label
        bump_directory(s)  # every process's directory learns the new name


def console_person(s: Session, now: dt.datetime) -> Person:
    """Whoever types at `python bot.py console` without --as: one marked person, never on Slack."""
    person = s.scalar(select(Person).where(Person.console.is_(True)).order_by(Person.id).limit(1))
    if person is None:
        person = Person(name="Console", console=True, created=now)
        s.add(person)
        s.flush()
    return person


def on_slack(person: Person | None) -> bool:
    """The one rule for "can Clerk reach this person on Slack themselves"."""
    return person is not None and bool(person.slack_user_id) and not person.console


@dataclass(frozen=True)
class Reach:
    """A Slack user to send a person's message to, and on whose behalf when it is not them."""

    user_id: str
    on_behalf_of: Person | None = None  # set when the person is not on Slack


def reach(person: Person, board: Board | None) -> list[Reach]:
    """How a person is reached: their own DM; or, not on Slack, through the board's secretaries
    who are (never the console stand-in); or nobody."""
    if on_slack(person):
        return [Reach(person.slack_user_id)]
    if board is None:
        return []
    return [Reach(p.slack_user_id, person) for p in secretaries_of(board) if on_slack(p) and p.id != person.id]


def reachable_through(person: Person, board: Board) -> list[str]:
    """The Slack users that `reach` names, without the why."""
    return [r.user_id for r in reach(person, board)]


def slack_users(people: Iterable[Person]) -> list[str]:
    """The Slack users among these people (whose App Home shows their work), each once."""
    return list(dict.fromkeys(p.slack_user_id for p in people if on_slack(p)))


# -- roles ---------------------------------------------------------------------------------

def roles_of(board: Board, person: Person | None) -> set[str]:
    if person is None:
        return set()
    return {r.role for r in board.roles if r.person_id == person.id}


def is_member(board: Board, person: Person | None) -> bool:
    return bool(roles_of(board, person))


def chair_of(board: Board) -> Person | None:
    return next((r.person for r in board.roles if r.role == CHAIR), None)


def secretaries_of(board: Board) -> list[Person]:
    return [r.person for r in board.roles if r.role == SECRETARY]


def members_of(board: Board) -> list[Person]:
    """Everyone on the board: chair, secretaries and members, each once, by name."""
    return sorted({r.person.id: r.person for r in board.roles}.values(), key=lambda p: (p.name.lower(), p.id))


def boards_of(s: Session, person: Person) -> list[Board]:
    return list(s.scalars(select(Board).join(BoardRole).where(BoardRole.person_id == person.id)
                          .distinct().order_by(Board.name)))


def officer_boards(s: Session, person: Person) -> list[Board]:
    return list(s.scalars(select(Board).join(BoardRole).where(
        BoardRole.person_id == person.id, BoardRole.role.in_((CHAIR, SECRETARY))).distinct().order_by(Board.name)))


def add_members(s: Session, board: Board, people: Iterable[Person], actor: Person | None, now: dt.datetime) -> None:
    """People given work on a board are on it: owners of its actions and papers become members."""
    for person in people:
        if not is_member(board, person) and not person.console:
            board.roles.append(BoardRole(person=person, role=MEMBER))
            record(s, now, actor, "role+", person=person, board=board, new=MEMBER)


# -- the record of changes -----------------------------------------------------------------

def record(s: Session, now: dt.datetime, actor: Person | None, kind: str, *, person: Person | None = None,
           board: Board | None = None, old: str | None = None, new: str | None = None) -> None:
    """Keep one change to people, roles or a board, and tell every process's directory it moved."""
    s.add(PeopleEvent(at=now, actor_id=actor.id if actor is not None else None,
                      person_id=person.id if person is not None else None,
                      board_id=board.id if board is not None else None, kind=kind, old=old, new=new))
    bump_directory(s)


def bump_directory(s: Session) -> None:
    if not s.execute(update(Directory).where(Directory.id == 1).values(version=Directory.version + 1)).rowcount:
        s.add(Directory(id=1, version=1))


_DIRECTORY_VERSION = select(Directory.__table__.c.version).where(Directory.__table__.c.id == 1)  # Core, built once
VERSION_SQL = "SELECT version FROM directory WHERE id = 1"  # the same, for a connection outside any transaction


def directory_version(s: Session | Connection) -> int:
    """The number every change to boards or people moves (a session, or a plain connection)."""
    return s.scalar(_DIRECTORY_VERSION) or 0


def history(s: Session, *, person: Person | None = None, board: Board | None = None, limit: int = 40
            ) -> list[PeopleEvent]:
    q = select(PeopleEvent)
    q = q.where(PeopleEvent.person_id == person.id) if person is not None else q.where(PeopleEvent.board_id == board.id)
    return list(reversed(s.scalars(q.order_by(PeopleEvent.id.desc()).limit(limit)).all()))


# -- owners and other people named in commands ------------------------------------------------

def resolve(s: Session, whos: Sequence[Who], now: dt.datetime, *, actor: Person | None = None,
            board: Board | None = None) -> list[Person]:
    """People for an owner list. Unknown initials or names are refused, with how to register.
    A Slack user Clerk does not know yet becomes a person only when the actor may register people
    on `board` (the chair or a secretary names someone new); anyone else is refused."""
    people: list[Person] = []
    unknown: list[str] = []
    for who in whos:
        if who.kind == "slack":
            person = person_by_slack_id(s, who.value)
            if person is None:
                if actor is None or not rules.allowed(actor, Act.REGISTER, board=board):
                    raise Refusal(f"{who} is not registered with Clerk yet. "
                                  + REGISTER_HINT.format(initials="XX"))
                person = Person(slack_user_id=who.value, name=_name(who.display or who.value), created=now)
                s.add(person)
                s.flush()
                record(s, now, actor, "registered", person=person, board=board, new=person.name)
            note_slack_name(s, person, who)
        elif who.kind == "initials":
            person = person_by_initials(s, who.value)
        else:
            person = person_by_name(s, who.value)
        if person is None:
            unknown.append(who.value)
        elif person not in people:
            people.append(person)
    if unknown:
        raise Refusal(_unknown(s, [w for w in whos if w.value in unknown]))
    return people


def _unknown(s: Session, whos: Sequence[Who]) -> str:
    """Who Clerk does not know, with the registered people they may have meant."""
    known = s.execute(select(Person.initials, Person.name).where(Person.console.is_(False)).limit(5000)).all()
    by_initials = {i: n for i, n in known if i}
    near: list[str] = []
    for who in whos:
        if who.kind == "initials":
            near += [f"{i} ({by_initials[i]})" for i in nearest(who.value, list(by_initials), n=2, limit=1,
                                                                key=names.loose)]
        else:
            near += nearest(who.value, [n for _, n in known], n=2, key=names.loose)
    values = [w.value for w in whos]
    said = f"I don't know {either(values, conjunction='and')}."
    if near:
        return f"{said} Did you mean {either(list(dict.fromkeys(near)))}? If not, " + \
            REGISTER_HINT[0].lower() + REGISTER_HINT[1:].format(initials=_hint_initials(whos[0]))
    return f"{said} " + REGISTER_HINT.format(initials=_hint_initials(whos[0]))


def _hint_initials(who: Who) -> str:
    if who.kind == "initials":
        return who.value.upper()
    letters = [w[0].upper() for w in who.value.split() if w[:1].isalpha() and w[0].isupper()]
    return "".join(letters) if 2 <= len(letters) <= 6 else "XX"


def _name(text: str) -> str:
    return " ".join(text.split())[:MAX_NAME] or "?"


# -- registering and changing people -----------------------------------------------------------

@dataclass
class PersonChange:
    """What `/clerk person` did: the person, and each change made, in words a secretary reads."""

    person: Person
    made: list[str]
    registered: bool = False


def register(s: Session, actor: Person, initials: str, *, slack: Who | None, name: str | None,
             board: Board | None, now: dt.datetime) -> PersonChange:
    """`/clerk person AH @anna [Anna Hook]` or `/clerk person GN Gareth Nicholson`.

    New initials register someone new (on `board`); known initials with a Slack user link that
    record to Slack; with the same name, nothing changes. A clash is refused with the way out."""
    initials = initials.upper()
    existing = person_by_initials(s, initials)
    linked = person_by_slack_id(s, slack.value) if slack is not None else None
    if name is not None:
        _check_name(name)
    if existing is None:
        if linked is not None and linked.initials:  # that Slack user is someone already: new initials is a change
            raise Refusal(f"{slack} is already {_known_as(linked)}. To give them the initials {initials}: "
                          f"/clerk person {linked.initials} initials {initials}")
        if linked is not None:  # known by their Slack user only (named in passing): the same record gets initials
            require_change(s, actor, linked)
            linked.initials = initials
            note_slack_name(s, linked, slack)
            record(s, now, actor, "initials", person=linked, new=initials)
            made = [f"initials {initials}"]
            if name and name != linked.name:
                made += rename(s, actor, linked, name, now)
            if board is not None:
                add_members(s, board, [linked], actor, now)
            return PersonChange(linked, made)
        adopted = None if slack is not None or name is None else person_by_name(s, name, unlinked=True)
        if adopted is not None:  # someone an import knew only by name gets their initials, not a twin
            require_change(s, actor, adopted)
            adopted.initials = initials
            record(s, now, actor, "initials", person=adopted, new=initials)
            return PersonChange(adopted, [f"initials {initials}"])
        rules.require(actor, Act.REGISTER, board=board)
        if name is not None:
            _not_a_lookalike(s, name)
        person = Person(initials=initials, slack_user_id=slack.value if slack else None,
                        name=_name(name or (slack.display if slack and slack.display else initials)), created=now)
        s.add(person)
        s.flush()
        note_slack_name(s, person, slack)
        record(s, now, actor, "registered", person=person, board=board,
               new=f"{person.initials} {person.name}" + (f" <@{person.slack_user_id}>" if slack else ""))
        if board is not None:
            add_members(s, board, [person], actor, now)
        return PersonChange(person, [], registered=True)
    made: list[str] = []
    if name is not None and names.key(name) != names.key(existing.name):
        raise Refusal(f"{initials} is already {existing.name}. To rename them: /clerk person {initials} name {name}; "
                      f"to register someone else, give them other initials.")
    if slack is not None and existing.slack_user_id != slack.value:
        made += link(s, actor, existing, slack, linked, now)
    elif slack is not None:
        note_slack_name(s, existing, slack)
    return PersonChange(existing, made)


def link(s: Session, actor: Person, person: Person, slack: Who, linked: Person | None, now: dt.datetime) -> list[str]:
    """Give a person their Slack user. If Clerk already knows that user as a record with nothing of
    its own (named once in passing), it is folded in; a record with a history needs a merge."""
    require_change(s, actor, person)
    if linked is not None and linked.id != person.id:
        if _has_anything(s, linked):
            raise Refusal(f"{slack} is already {_known_as(linked)}, with work of their own. If that is the same "
                          f"person as {person.label}, merge the two: /clerk merge {slack} into {person.label}")
        s.delete(linked)
        s.flush()
    old = person.slack_user_id
    person.slack_user_id = slack.value
    note_slack_name(s, person, slack)
    record(s, now, actor, "slack", person=person, old=f"<@{old}>" if old else None, new=f"<@{slack.value}>")
    return [f"linked to {slack}"]


def rename(s: Session, actor: Person, person: Person, name: str, now: dt.datetime) -> list[str]:
    _check_name(name)
    if person.id != actor.id:
        require_change(s, actor, person)
    if name == person.name:
        return []
    old, person.name = person.name, _name(name)
    record(s, now, actor, "name", person=person, old=old, new=person.name)
    return [f"renamed from {old}"]


def reinitial(s: Session, actor: Person, person: Person, initials: str, now: dt.datetime) -> list[str]:
    initials = initials.upper()
    require_change(s, actor, person)
    if person.initials == initials:
        return []
    other = person_by_initials(s, initials)
    if other is not None:
        raise Refusal(f"{initials} are {other.name}'s initials. Give {person.name} others, or if they are one "
                      f"person: /clerk merge {person.label} into {initials}")
    old, person.initials = person.initials, initials
    s.flush()
    record(s, now, actor, "initials", person=person, old=old, new=initials)
    return [f"initials {old or 'none'} → {initials}"]


def merge(s: Session, actor: Person, gone: Person, keep: Person, now: dt.datetime) -> list[str]:
    """Two records of one person become `keep`: every action, paper, role, update and history entry
    of `gone` moves to it, in the caller's one transaction. Returns what moved, counted."""
    if gone.id == keep.id:
        raise Refusal(f"{keep.label} and {gone.label} are already one record.")
    for person in (gone, keep):
        require_change(s, actor, person, Act.MERGE)
    if gone.slack_user_id and keep.slack_user_id and gone.slack_user_id != keep.slack_user_id:
        raise Refusal(f"{gone.label} and {keep.label} are two different Slack users; Clerk keeps one Slack user "
                      "a person. If one of them is wrong, link the right one first.")
    moved = []
    for table, key in ((ActionOwner, "action_id"), (PlanItemOwner, "item_id")):
        mine = set(s.scalars(select(getattr(table, key)).where(table.person_id == keep.id)))
        both = [k for k in s.scalars(select(getattr(table, key)).where(table.person_id == gone.id)) if k in mine]
        if both:
            s.execute(delete(table).where(table.person_id == gone.id, getattr(table, key).in_(both)))
        n = s.execute(update(table).where(table.person_id == gone.id).values(person_id=keep.id)).rowcount + len(both)
        if n:
            moved.append(count(n, "action" if table is ActionOwner else "paper"))
    held = {(r.board_id, r.role) for r in s.scalars(select(BoardRole).where(BoardRole.person_id == keep.id))}
    roles = 0
    for role in list(s.scalars(select(BoardRole).where(BoardRole.person_id == gone.id))):
        if (role.board_id, role.role) in held:
            s.delete(role)
        else:
            role.person_id = keep.id
            roles += 1
    if roles:
        moved.append(count(roles, "role"))
    n = sum(s.execute(update(t).where(t.person_id == gone.id).values(person_id=keep.id)).rowcount
            for t in (ActionEvent, PlanEvent))
    if n:
        moved.append(count(n, "history entry"))
    s.execute(update(PeopleEvent).where(PeopleEvent.person_id == gone.id).values(person_id=keep.id))
    s.execute(update(PeopleEvent).where(PeopleEvent.actor_id == gone.id).values(actor_id=keep.id))
    label, slack_id, initials, slack_name = gone.label, gone.slack_user_id, gone.initials, gone.slack_name
    s.delete(gone)
    s.flush()
    s.expire_all()  # owner rows, roles and events were moved under the ORM
    if slack_id and not keep.slack_user_id:
        keep.slack_user_id, keep.slack_name = slack_id, slack_name
    if initials and not keep.initials:
        keep.initials = initials
    s.flush()
    record(s, now, actor, "merged", person=keep, old=label, new=keep.label)
    return moved or ["nothing else"]


def require_change(s: Session, actor: Person, person: Person, act: Act = Act.CHANGE_PERSON) -> None:
    """Changing a person is for the officers of every board they are on (their record carries their
    roles on all of them: adding someone to your board gives no power over their other boards); of
    any board, if they are on none. The console operator's own record is nobody's to change."""
    if person.console:
        raise Refusal("That is the console operator's record; it cannot be changed from here.")
    theirs = boards_of(s, person)
    rules.require(actor, act, boards=theirs or boards_of(s, actor), every=bool(theirs),
                  doing=None if act is Act.MERGE else f"change {person.label}'s record")


def _has_anything(s: Session, person: Person) -> bool:
    if person.initials:
        return True
    for table in (ActionOwner, PlanItemOwner, BoardRole, ActionEvent, PlanEvent):
        if s.scalar(select(func.count()).select_from(table).where(table.person_id == person.id)):
            return True
    return False


def _not_a_lookalike(s: Session, name: str) -> None:
    """A new person whose name is an existing one's as people read it (case, quotes, spaces, invisible
    characters aside) is refused: it is that person, or needs a name a reader can tell apart."""
    want = names.loose(name)
    for initials, known in s.execute(select(Person.initials, Person.name).where(Person.console.is_(False))
                                     .limit(20000)).all():
        if names.loose(known) == want:
            who = f"{initials} ({known})" if initials else known
            raise Refusal(f"“{name}” is already registered: {who}. If that is them, use "
                          f"{initials or 'their name'}; if it is someone else, give a name readers can tell apart "
                          f"(e.g. with a middle initial).")


def _known_as(person: Person) -> str:
    return f"{person.initials} ({person.name})" if person.initials else person.name


def _check_name(name: str) -> None:
    if names.blank(name):
        raise Refusal("Give the person's full name.")
    if name.lstrip().startswith("@") or "<@" in name:
        raise Refusal(f"“{name}” looks like a mention, not a name. Pick the person from Slack's @ menu, "
                      "or type their full name.")
    if len(name) > MAX_NAME:
        raise Refusal(f"A name is at most {MAX_NAME} characters.")
