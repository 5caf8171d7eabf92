"""The rules of the action log: numbering, status changes, permissions, history.

Every function takes a session inside the caller's unit of work and the clock's `now`; a Refusal
rolls the whole change back. Changes return facts (a Change: what kind, from what, to what);
render/ writes the words. Nothing here knows about Slack.
"""
from __future__ import annotations

import datetime as dt
import functools
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import JSON, Integer, Select, any_, bindparam, func, literal_column, or_, select
from sqlalchemy.orm import Session, aliased, joinedload, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.util import identity_key

from store import names, numbering, words
from store import permissions as rules
from store.imports import finished_only
from store.models import OPEN_ACTIONS_INDEX, OPEN_STATE_WORDS, Action, ActionEvent, ActionOwner, Board, Person
from store.nearest import either, nearest
from store.numbering import numbering_year
from store.people import add_members
from store.permissions import Act
from store.terms import OPEN_STATES, ActionId, ClosureRule, NoChange, Ref, Refusal, Status, describe, format_ref

__all__ = ["numbering_year", "OPEN_STATES"]


def status_label(action: Action) -> str:
    if action.status == Status.CLOSING_WHEN:
        return f"closing when {action.closing_condition}"
    return action.status


def can_see(action: Action, person: Person | None) -> bool:
    """Part B actions: only their owners, the chair and secretaries see the text, decided from the
    records of those people now, never from initials."""
    return not action.private or rules.allowed(person, Act.READ_PART_B, board=action.board, owners=action.owners)


def _require(action: Action, actor: Person, act: Act, doing: str) -> None:
    rules.require(actor, act, board=action.board, owners=action.owners, subject=action.ref, doing=doing)


def owners_label(people: Sequence[Person]) -> str:
    return "; ".join(p.label for p in people)


# -- finding ------------------------------------------------------------------------------

def _find_statements() -> dict[tuple[bool, bool, bool], Select]:
    """The look-up of a typed ref, built once for each shape: (in a board?, with a year?, to change
    it?). An action to be changed comes with its board's roles, which the rules then read: one
    statement, where loading them when first read would be a second (a third of a command's time)."""
    found = {}
    for in_board in (False, True):
        for with_year in (False, True):
            for changing in (False, True):
                q = select(Action).options(joinedload(Action.owner_links))
                if changing:
                    q = q.options(joinedload(Action.board).joinedload(Board.roles))
                q = q.where(Action.number == bindparam("number"))
                if in_board:
                    q = q.where(Action.board_id == bindparam("board"))
                if with_year:  # "74/18": compare the two-digit year, so 12/99 finds 1999's
                    q = q.where(Action.year != 0, Action.year % 100 == bindparam("yy"))
                found[in_board, with_year, changing] = q.order_by(Action.year.desc())
    return found


_FIND = _find_statements()


def find(s: Session, target: Ref | ActionId, board: Board | None, *, changing: bool = True) -> Action:
    """The action a typed ref (or a button's id) means. `board` is the board in context (None: any);
    changing=False when it is only to be shown.

    A continuous board's refs have no year, so a bare number means that action when there is one;
    otherwise a bare number that matches several years asks which. Unknown or mistyped refs are
    refused with the nearest real refs."""
    if isinstance(target, ActionId):
        action = s.get(Action, target.id)
        if action is None:
            raise Refusal("That action is no longer in the log.")
        return action
    ref = target
    q = _FIND[board is not None, ref.year is not None, changing]
    matches = list(s.scalars(q, {"number": ref.number, "board": board.id if board is not None else None,
                                 "yy": ref.year % 100 if ref.year is not None else None}).unique())
    if len(matches) > 1 and ref.year is None:
        continuous = [a for a in matches if a.year == 0]
        if len(continuous) == 1 or len({a.board_id for a in continuous}) == len(continuous) == 1:
            matches = continuous
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        boards = {a.board_id for a in matches}
        if len(boards) > 1:
            names = ", ".join(sorted({a.board.name for a in matches}))
            raise Refusal(f"{ref} is on more than one board ({names}). Add “board <name>” after the ref, "
                          f"or type the command in the board's channel.")
        raise Refusal(f"{ref} could be {either([a.ref for a in matches])}. Type the ref with its year, "
                      f"e.g. {matches[0].ref}.")
    if board is not None:
        elsewhere = s.scalars(select(Action).where(Action.number == ref.number, Action.board_id != board.id)
                              .limit(20)).all()
        elsewhere = [a for a in elsewhere if ref.year is None or (a.year and a.year % 100 == ref.year % 100)]
        if elsewhere:
            raise Refusal(f"{ref} is on {elsewhere[0].board.name}'s log, not {board.name}'s. "
                          f"Add “board {elsewhere[0].board.name}” after the ref, or type it in that board's channel.")
    near = nearest_refs(s, ref, board)
    raise Refusal(f"There is no action {ref}" + (near or "."))


def nearest_refs(s: Session, ref: Ref, board: Board | None) -> str:
    """"; did you mean 74/18?" for 47/18, 85/18 for 86, 84/18 for 84/1 — each ref once."""
    digits = str(ref.number)
    numbers = {ref.number} | {int(digits[::-1])} if len(digits) > 1 else {ref.number}
    numbers |= {ref.number + d for d in (-2, -1, 1, 2)}
    if len(digits) > 1:  # one digit transposed, dropped or changed: 47 → 74, 86 → 85
        numbers |= {int(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]) for i in range(len(digits) - 1)}
    q = select(Action.number, Action.year).where(or_(Action.number.in_(numbers), Action.number == ref.number))
    if board is not None:
        q = q.where(Action.board_id == board.id)
    found = list(dict.fromkeys(format_ref(n, y) for n, y in s.execute(q.order_by(Action.year.desc()).limit(200))))
    if not found:
        return ""
    typed = ref.typed.lstrip("#")
    typed = typed.split()[-1] if typed.lower().startswith("action") else typed
    if ref.year is not None and "/" in typed:
        yy = typed.partition("/")[2]
        same_number = [r for r in found if r.split("/")[0] == digits and "/" in r and r.split("/")[1].startswith(yy)]
        near = same_number[:3] or nearest(typed, found, n=3, limit=2)
    else:
        near = nearest(digits, found, n=3, limit=1, key=lambda r: r.split("/")[0])
    return f"; did you mean {either(near)}?" if near else ""


# -- changes ------------------------------------------------------------------------------

@dataclass
class Change:
    """What happened to an action: render.actions.what_happened turns it into words."""

    action: Action
    kind: str  # raised | updated | closed | proposed | closing when | confirmed | reopened | due | snoozed | owners
    old: str | None = None
    new: str | None = None
    note: str | None = None  # the update's text, the closing or reopening note


_EVENT = ActionEvent.__table__.insert()  # Core: the ORM's flush of one new row cost more than the statement


def _event(s: Session, action: Action, actor: Person | None, now: dt.datetime, today: dt.date, kind: str,
           old: str | None = None, new: str | None = None, text: str | None = None) -> None:
    """The action's history gains a line, in the caller's transaction (read back by history())."""
    if action.id is None or (actor is not None and actor.id is None):
        s.flush()  # a new action, or someone registered in this same change: their ids first
    s.connection().execute(_EVENT, {"action_id": action.id, "at": now, "dated": today,
                                    "person_id": actor.id if actor is not None else None, "kind": kind,
                                    "old": old, "new": new, "text": text})


@functools.lru_cache(maxsize=32)
def _update_of(keys: tuple[str, ...]):
    table = Action.__table__
    return table.update().where(table.c.id == bindparam("action_id")).values({k: bindparam(k) for k in keys})


def _set(s: Session, action: Action, **values) -> None:
    """Change an action's columns by one Core UPDATE in the caller's transaction, and the object
    with them, as if read back (the ORM's flush of one changed row cost a tenth of a command)."""
    if action.id is None:
        s.flush()
    done = s.connection().execute(_update_of(tuple(sorted(values))), {"action_id": action.id, **values})
    if done.rowcount != 1:  # as the ORM's flush would say
        raise StaleDataError(f"UPDATE of action {action.id} matched {done.rowcount} rows, not 1")
    for key, value in values.items():
        set_committed_value(action, key, value)


def build(board: Board, year: int, number: int, title: str, owners: Sequence[Person], due: dt.date | None,
          private: bool, raised: dt.date) -> Action:
    """A new open action, not yet added to a session."""
    action = Action(board=board, year=year, number=number, title=title, due=due, status=Status.OPEN,
                    private=private, raised=raised)
    action.owner_links = [ActionOwner(person=p, position=i) for i, p in enumerate(owners)]
    return action


_NEW_ACTION = Action.__table__.insert().returning(Action.__table__.c.id)  # Core, built once
_NEW_OWNERS = ActionOwner.__table__.insert()
_ACTION_COLUMNS = [c.key for c in Action.__table__.c if c.key != "id"]
_ACTION_DEFAULTS = {c.key: c.default.arg for c in Action.__table__.c if c.default is not None and c.default.is_scalar}


def _insert(s: Session, action: Action) -> None:
    """A new action's row and its owner rows by two Core statements in the caller's transaction;
    the object then joins the session as the row it is, as if just read (the ORM's flush of the
    two rows cost a quarter of raising an action). Its board and owners are rows already (a person
    registered in this same change is written first)."""
    if action.board.id is None or any(link.person.id is None for link in action.owner_links):
        s.flush()
    action.board_id = action.board.id
    for key in _ACTION_COLUMNS:  # every column set (to its default if unset), so none is read back
        value = getattr(action, key)
        setattr(action, key, _ACTION_DEFAULTS.get(key) if value is None else value)
    action.id = s.connection().execute(_NEW_ACTION, {k: getattr(action, k) for k in _ACTION_COLUMNS}).scalar_one()
    for link in action.owner_links:
        link.action_id, link.person_id = action.id, link.person.id
    if action.owner_links:
        s.connection().execute(_NEW_OWNERS, [{"action_id": link.action_id, "person_id": link.person_id,
                                              "position": link.position} for link in action.owner_links])
    for obj in (action, *action.owner_links):
        make_transient_to_detached(obj)
    s.add(action)


def raise_action(s: Session, board: Board, actor: Person | None, title: str, owners: Sequence[Person],
                 due: dt.date | None, private: bool, now: dt.datetime, today: dt.date, *,
                 source: str | None = None, numbered: Ref | None = None) -> Change:
    """Raise a new action with the board's next number (allocated under the board's counter lock,
    so two people raising at once get two numbers and nobody is refused), or with the ref minutes
    gave it when that one is free (later numbers continue after it)."""
    if actor is not None:
        rules.require(actor, Act.RAISE, board=board)
    if numbered is not None:
        year, number = (0 if board.numbering == "continuous" else numbered.year), numbered.number
        taken = s.scalar(select(Action.id).where(Action.board_id == board.id, Action.number == number,
                                                 Action.year == year).execution_options(see_unfinished_imports=True))
        if taken is not None:
            raise Refusal(f"{format_ref(number, year)} is already on {board.name}'s log; leave out “numbered” to "
                          "give the new action the next ref.")
        numbering.keep_after(s, board, numbering.ACTION, year, number)
    else:
        year = numbering_year(board, today)
        number = numbering.next_number(s, board, numbering.ACTION, year)
    action = build(board, year, number, title, owners, due, private, today)
    _insert(s, action)
    add_members(s, board, owners, actor, now)
    _event(s, action, actor, now, today, "raised", new=title, text=source)
    s.flush()
    return Change(action, "raised")


TWIN_CANDIDATES = 2000  # the newest open actions of a twin's length that are compared


def open_twin(s: Session, board: Board, title: str, owners: Sequence[Person]) -> Action | None:
    """An open action on the board with the same title (as people mean it) and the same owners.

    SQL narrows to the board's open actions of a twin's length (the newest TWIN_CANDIDATES); the
    titles are compared by `names.key` here, since quotes, lookalikes and letters outside ASCII
    fold differently, or not at all, in a database's lower(); then the owners."""
    want = {p.id for p in owners}
    typed = names.key(title)
    # a twin's raw title is its key's length give or take what the key folds away (invisible
    # characters, NFKC's expansions): a window on length, on the board's open actions, keeps the
    # Python comparison to a few titles however many actions the owners hold (a 100,000-row
    # import's, say); the owners are compared on the one candidate whose title matches
    q = select(Action.id, Action.title).where(Action.board_id == board.id, Action.status.in_(OPEN_STATES),
                                              func.length(Action.title).between(max(1, len(typed) - 8), len(typed) + 16))
    for action_id, known in s.execute(q.order_by(Action.id.desc()).limit(TWIN_CANDIDATES)):
        if names.key(known) == typed:
            action = s.get(Action, action_id)
            if action is not None and {p.id for p in action.owners} == want:
                return action
    return None


def add_update(s: Session, action: Action, actor: Person, text: str, now: dt.datetime, today: dt.date) -> Change:
    _require(action, actor, Act.CHANGE_ACTION, "update it")
    _event(s, action, actor, now, today, "update", text=text)
    return Change(action, "updated", note=text)


def close(s: Session, action: Action, actor: Person, note: str, now: dt.datetime, today: dt.date,
          *, condition: str | None = None) -> Change:
    """Close; or propose closure where the board asks the chair to confirm; or close when <condition>."""
    _require(action, actor, Act.CHANGE_ACTION, "close it")
    if action.status == Status.CLOSED:
        raise Refusal(f"{action.ref} is already closed (since {action.closed:%d %b %Y}). "
                      f"A chair or secretary can reopen it: /action reopen {action.ref}")
    old = status_label(action)
    if condition:
        _set(s, action, status=Status.CLOSING_WHEN, closing_condition=condition)
        kind = "closing when"
    elif action.board.closure_rule == ClosureRule.CHAIR_CONFIRMS and not rules.allowed(
            actor, Act.OFFICER_ACTION, board=action.board):
        if action.status == Status.PROPOSED:
            raise Refusal(f"Closure of {action.ref} is already proposed; the chair or a secretary confirms it "
                          f"with /action confirm {action.ref}")
        _set(s, action, status=Status.PROPOSED)
        kind = "proposed"
    else:
        _set(s, action, status=Status.CLOSED, closed=today, closing_condition=None)
        kind = "closed"
    _event(s, action, actor, now, today, "status", old=old, new=status_label(action), text=note or None)
    return Change(action, kind, old=old, new=condition, note=note or None)


def confirm(s: Session, action: Action, actor: Person, now: dt.datetime, today: dt.date) -> Change:
    _require(action, actor, Act.OFFICER_ACTION, f"confirm the closure of {action.ref}")
    if action.status not in (Status.PROPOSED, Status.CLOSING_WHEN):
        raise Refusal(f"{action.ref} is {status_label(action)}; only a proposed or conditional closure "
                      f"can be confirmed. To close it: /action close {action.ref}")
    old = status_label(action)
    _set(s, action, status=Status.CLOSED, closed=today)
    _event(s, action, actor, now, today, "status", old=old, new=Status.CLOSED)
    return Change(action, "confirmed", old=old)


def reopen(s: Session, action: Action, actor: Person, note: str, now: dt.datetime, today: dt.date) -> Change:
    _require(action, actor, Act.OFFICER_ACTION, f"reopen {action.ref}")
    if action.status == Status.OPEN:
        raise Refusal(f"{action.ref} is already open.")
    old = status_label(action)
    _set(s, action, status=Status.OPEN, closed=None, closing_condition=None)
    _event(s, action, actor, now, today, "status", old=old, new=Status.OPEN, text=note or None)
    return Change(action, "reopened", old=old, note=note or None)


def set_due(s: Session, action: Action, actor: Person, due: dt.date, now: dt.datetime, today: dt.date) -> Change:
    _require(action, actor, Act.CHANGE_ACTION, "change the due date of it")
    if action.due == due:
        raise NoChange(f"No change: {action.ref} is already due {describe(due)}.")
    old = action.due.isoformat() if action.due else None
    _set(s, action, due=due)
    _event(s, action, actor, now, today, "due", old=old, new=due.isoformat())
    return Change(action, "due", old=old, new=due.isoformat())


def snooze(s: Session, action: Action, actor: Person, until: dt.date, now: dt.datetime, today: dt.date) -> Change:
    _require(action, actor, Act.CHANGE_ACTION, "snooze it")
    if action.status == Status.CLOSED:
        raise Refusal(f"{action.ref} is closed; there is nothing to remind anyone of.")
    if action.snoozed_until == until:
        raise NoChange(f"No change: {action.ref}'s reminders are already snoozed until {describe(until)}.")
    old = action.snoozed_until.isoformat() if action.snoozed_until else None
    _set(s, action, snoozed_until=until)
    _event(s, action, actor, now, today, "snoozed", old=old, new=until.isoformat())
    return Change(action, "snoozed", old=old, new=until.isoformat())


def assign(s: Session, action: Action, actor: Person, people: Sequence[Person], add: bool,
           now: dt.datetime, today: dt.date) -> Change:
    _require(action, actor, Act.OFFICER_ACTION, f"reassign {action.ref}")
    old_people = action.owners
    new_people = list(old_people) + [p for p in people if p not in old_people] if add else list(people)
    if new_people == list(old_people):
        raise NoChange(f"No change: {action.ref}'s owners are already {words.listed(p.label for p in new_people)}.")
    action.owner_links = [ActionOwner(person=p, position=i) for i, p in enumerate(new_people)]
    add_members(s, action.board, new_people, actor, now)
    _event(s, action, actor, now, today, "owners", old=owners_label(old_people), new=owners_label(new_people))
    return Change(action, "owners", old=owners_label(old_people), new=owners_label(new_people))


# -- reading ------------------------------------------------------------------------------

_HISTORY = select(ActionEvent).where(ActionEvent.action_id == bindparam("action")).order_by(ActionEvent.id)


def history(s: Session, action: Action) -> list[ActionEvent]:
    return list(s.scalars(_HISTORY, {"action": action.id}))


def latest_update(s: Session, action_ids: Sequence[int]) -> dict[int, ActionEvent]:
    """The latest dated update of each action, in one query."""
    if not action_ids:
        return {}
    latest = (select(ActionEvent.action_id, func.max(ActionEvent.id).label("id"))
              .where(ActionEvent.kind == "update", ActionEvent.action_id.in_(action_ids))
              .group_by(ActionEvent.action_id).subquery())
    rows = s.scalars(select(ActionEvent).join(latest, ActionEvent.id == latest.c.id))
    return {ev.action_id: ev for ev in rows}


def query(board: Board | None, which: str, *, person: Person | None = None, people: Sequence[Person] = (),
          today: dt.date | None = None, boards: Sequence[Board] | None = None) -> Select:
    """Actions of a board (or of `boards`, or every board): which is open, mine, who, overdue,
    closed or all. Ordered by due date, then ref."""
    return _query(board.id if board is not None else None, which, person.id if person is not None else None,
                  tuple(p.id for p in people), today if which == "overdue" else None,
                  tuple(b.id for b in boards) if boards is not None and board is None else None)


@functools.lru_cache(maxsize=512)
def _query(board_id: int | None, which: str, person_id: int | None, people_ids: tuple[int, ...],
           today: dt.date | None, board_ids: tuple[int, ...] | None) -> Select:
    """The same question asked again (a person's list, a board's digest) is the same statement
    object, whose cache key SQLAlchemy then works out once; statements are immutable."""
    q = select(Action)
    if board_id is not None:
        q = q.where(Action.board_id == board_id)
    elif board_ids is not None:
        q = q.where(Action.board_id.in_(board_ids))
    if which in ("mine", "who"):  # from the person's owner rows: a few thousand at most, not every open action
        owned = (ActionOwner.person_id == person_id) if which == "mine" else ActionOwner.person_id.in_(people_ids)
        q = q.where(Action.id.in_(_open_ids_among(owned)))
    elif which in ("open", "overdue"):
        q = q.where(Action.status.in_(OPEN_STATES))
    elif which == "closed":
        q = q.where(Action.status == Status.CLOSED)
    if which == "overdue":
        q = q.where(Action.due < today)
    return q.order_by(Action.due.is_(None), Action.due, Action.year, Action.number)


def _open_ids_among(owned) -> Select:
    """The open actions among a person's (or people's) owner rows, met in two indexes alone: each
    owner row is looked up in the open actions' ids (ix_action_open), and a table row is read only
    for each action shown. The states are written into the statement word for word as that index's
    condition, not bound, so PostgreSQL knows (even in a prepared statement's generic plan) that the
    index holds every row wanted: it merges the two indexes, 1.7 -> 1.1 ms for 50 of 3,000 open
    (vacuumed). SQLite's planner would look each one up by its primary key and read every row the
    person owns, so it is told to use the index (INDEXED BY: 1.04 -> 0.47 ms for 50 of 2,000)."""
    opened = aliased(Action)
    return (select(ActionOwner.action_id).join(opened, opened.id == ActionOwner.action_id)
            .where(owned, opened.status.in_([literal_column(f"'{w}'") for w in OPEN_STATE_WORDS]),
                   opened.import_run_id.is_(None))
            .with_hint(opened, f"INDEXED BY {OPEN_ACTIONS_INDEX}", "sqlite"))


@dataclass(slots=True)
class Listed:
    """An action as lists, digests, packs and App Home read it: its columns, its board and its
    owners (the session's Board and Person objects), without the ORM's bookkeeping, so reading a
    board's 3,000 open actions costs a third of loading them as Actions. Not for changing."""

    id: int
    board_id: int
    year: int
    number: int
    title: str
    due: dt.date | None
    status: str
    closing_condition: str | None
    private: bool
    raised: dt.date
    closed: dt.date | None
    snoozed_until: dt.date | None
    due_note: str | None
    board: Board
    owners: list[Person]

    @property
    def ref(self) -> str:
        return format_ref(self.number, self.year)


# in Listed's order, so a row is its first fields as it comes
_LISTED_FIELDS = [name for name in Listed.__slots__ if name not in ("board", "owners")]
_LISTED = [getattr(Action, name) for name in _LISTED_FIELDS]
_ID, _BOARD_ID = _LISTED_FIELDS.index("id"), _LISTED_FIELDS.index("board_id")
assert Listed.__slots__[-2:] == ("board", "owners")  # a row's fields, then these two


# built once (lists, digests and App Home read them every time)
def _owners_statements() -> dict[str, Select]:
    """The owner rows of a list's actions, the ids bound as one value, not as thousands of bound
    values rendered, and planned, afresh each time: on PostgreSQL one array (`= ANY`; a digest's
    3,000 owner rows in 7 ms instead of 20), on SQLite one JSON array that `json_each` reads
    (12 -> 6 ms)."""
    from sqlalchemy.dialects.postgresql import ARRAY

    rows = select(ActionOwner.action_id, ActionOwner.person_id).order_by(ActionOwner.action_id, ActionOwner.position)
    each = func.json_each(bindparam("ids", type_=JSON)).table_valued("value")
    return {"postgresql": rows.where(ActionOwner.action_id == any_(bindparam("ids", type_=ARRAY(Integer)))),
            "sqlite": rows.where(ActionOwner.action_id.in_(select(each.c.value)))}


_OWNERS_OF = _owners_statements()
_PEOPLE = select(Person).where(Person.id.in_(bindparam("ids", expanding=True)))
_BOARDS = select(Board).options(joinedload(Board.roles)).where(Board.id.in_(bindparam("ids", expanding=True)))


def _loaded(s: Session, cls: type, ids: set[int], statement: Select) -> dict:
    """These rows as the session's objects: those it holds already (the board a command is about,
    the speaker) from its identity map, the rest in one statement."""
    found = {i: obj for i in ids if (obj := s.identity_map.get(identity_key(cls, i))) is not None}
    missing = [i for i in ids if i not in found]
    if missing:
        found.update((obj.id, obj) for obj in s.scalars(statement, {"ids": missing}).unique())
    return found


_AS_LISTED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _as_listed(q: Select) -> Select:
    """The statement reading Listed's columns, run as Core (a digest's 3,000 rows: 15 -> 11 ms
    without the ORM's row handling), so it says for itself what the sessions' hook says for the
    ORM's statements: an unfinished import's rows are not read. The same object for the same query,
    so its cache key is worked out once (statements are immutable; query() returns the same one
    again). Kept only while the query is: a statement a caller builds each time is forgotten with it."""
    found = _AS_LISTED.get(q)
    if found is None:
        found = _AS_LISTED[q] = finished_only(q.with_only_columns(*_LISTED))
    return found


def listed(s: Session, q: Select) -> list[Listed]:
    """The actions a query() selects, in its order, as Listed: one statement for the actions,
    one for their owners. Run as Core, so what the session holds unflushed is flushed first, as
    the ORM's own statements would."""
    if s.autoflush:
        s.flush()
    rows = s.connection().execute(_as_listed(q)).all()
    if not rows:
        return []
    ids = [r[_ID] for r in rows]
    owner_ids: dict[int, list[int]] = {}
    for action_id, person_id in s.connection().execute(_OWNERS_OF[s.get_bind().dialect.name], {"ids": ids}):
        owner_ids.setdefault(action_id, []).append(person_id)
    people = _loaded(s, Person, {p for people in owner_ids.values() for p in people}, _PEOPLE)
    boards = _loaded(s, Board, {r[_BOARD_ID] for r in rows}, _BOARDS)
    return [Listed(*r, boards[r[_BOARD_ID]], [people[p] for p in owner_ids.get(r[_ID], ())]) for r in rows]


def open_beyond(s: Session, board: Board, n: int) -> bool:
    """Whether a board has more than n open actions: one statement that stops at the (n+1)th, where a
    count would visit all of them (an unfinished import's are not counted)."""
    return s.scalar(_beyond(query(board, "open"), n)) is not None


@functools.lru_cache(maxsize=512)
def _beyond(q: Select, n: int) -> Select:
    return q.with_only_columns(Action.id).order_by(None).limit(1).offset(n)


def overdue(action: Action, today: dt.date) -> bool:
    return action.status in OPEN_STATES and action.due is not None and action.due < today
