"""The rules of the action log: numbering, status changes, permissions, history.

Every function takes a session inside the caller's unit of work and the clock's `now`; a
Refusal rolls the whole change back. Nothing here knows about Slack.
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Iterable, Sequence

from sqlalchemy import Select, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from grammar.refs import Ref, format_ref
from store.errors import Refusal
from store.models import (CLOSED, CLOSING_WHEN, OPEN, PROPOSED, Action, ActionEvent, ActionOwner,
                          Board, Person)
from store.people import is_officer

OPEN_STATES = (OPEN, PROPOSED, CLOSING_WHEN)


def numbering_year(board: Board, day: dt.date) -> int:
    """The year an action raised on `day` is numbered in (the /18 of 74/18)."""
    if board.numbering == "continuous":
        return 0
    if board.numbering == "municipal-year":
        return day.year if day.month >= 4 else day.year - 1
    return day.year


def status_label(action: Action) -> str:
    if action.status == CLOSING_WHEN:
        return f"closing when {action.closing_condition}"
    return action.status


def can_see(action: Action, person: Person | None) -> bool:
    """Part B actions: only their owners, the chair and secretaries see the text."""
    if not action.private:
        return True
    return person is not None and (person in action.owners or is_officer(action.board, person))


def can_change(action: Action, person: Person) -> bool:
    return person in action.owners or is_officer(action.board, person)


def _require_change(action: Action, actor: Person, what: str) -> None:
    if not can_change(action, actor):
        raise Refusal(f"Only {action.ref}'s owners, the chair or a secretary can {what} it.")


def _require_officer(action: Action, actor: Person, what: str) -> None:
    if not is_officer(action.board, actor):
        raise Refusal(f"Only the chair or a secretary of {action.board.name} can {what} {action.ref}.")


def _event(s: Session, action: Action, actor: Person | None, now: dt.datetime, today: dt.date, kind: str,
           old: str | None = None, new: str | None = None, text: str | None = None) -> ActionEvent:
    ev = ActionEvent(action=action, at=now, dated=today, person=actor, kind=kind, old=old, new=new, text=text)
    s.add(ev)
    return ev


def owners_label(people: Iterable[Person]) -> str:
    return "; ".join(p.label for p in people)


# -- finding ------------------------------------------------------------------------------

def find(s: Session, ref: Ref, board: Board | None, *, actor: Person | None = None) -> Action:
    """The action a typed ref means. `board` is the board in context (None: any board).

    Unknown or mistyped refs are refused with the nearest real refs; a bare number that
    matches several years asks which one."""
    q = select(Action).where(Action.number == ref.number)
    if board is not None:
        q = q.where(Action.board_id == board.id)
    if ref.year is not None:  # "74/18": compare the two-digit year, so 12/99 finds 1999's
        q = q.where(Action.year != 0, Action.year % 100 == ref.year % 100)
    matches = list(s.scalars(q.order_by(Action.year.desc())))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        boards = {a.board_id for a in matches}
        if len(boards) > 1:
            names = ", ".join(sorted({a.board.name for a in matches}))
            raise Refusal(f"{ref} is on more than one board ({names}). Add “board <name>” after the ref, "
                          f"or type the command in the board's channel.")
        refs = " or ".join(a.ref for a in matches)
        raise Refusal(f"{ref} could be {refs}. Type the ref with its year, e.g. {matches[0].ref}.")
    if board is not None:
        elsewhere = s.scalars(select(Action).where(Action.number == ref.number, Action.board_id != board.id)).all()
        elsewhere = [a for a in elsewhere if ref.year is None or a.year % 100 == ref.year % 100]
        if elsewhere:
            raise Refusal(f"{ref} is on {elsewhere[0].board.name}'s log, not {board.name}'s. "
                          f"Add “board {elsewhere[0].board.name}” after the ref, or type it in that board's channel.")
    raise Refusal(f"There is no action {ref}" + _nearest(s, ref, board) + ".")


def _nearest(s: Session, ref: Ref, board: Board | None) -> str:
    q = select(Action.number, Action.year).where(
        or_(Action.number == ref.number, Action.number.between(ref.number - 2, ref.number + 2)))
    if board is not None:
        q = q.where(Action.board_id == board.id)
    refs = [format_ref(n, y) for n, y in s.execute(q.limit(200))]
    if not refs:
        return ""
    typed = ref.typed.lstrip("#")
    same_number = [r for r in refs if r.split("/")[0] == str(ref.number)]
    near = same_number[:3] or difflib.get_close_matches(typed, refs, n=3, cutoff=0.4)
    return f"; did you mean {' or '.join(near)}?" if near else ""


# -- changes ------------------------------------------------------------------------------

@dataclass
class Change:
    action: Action
    what: str  # one line for the board: "closed", "closure proposed", "due date changed to …"
    event: ActionEvent | None = None


def build(board: Board, year: int, number: int, title: str, owners: Sequence[Person], due: dt.date | None,
          private: bool, raised: dt.date) -> Action:
    """A new open action, not yet added to a session."""
    action = Action(board=board, year=year, number=number, title=title, due=due, status=OPEN,
                    private=private, raised=raised)
    action.owner_links = [ActionOwner(person=p, position=i) for i, p in enumerate(owners)]
    return action


def raise_action(s: Session, board: Board, actor: Person | None, title: str, owners: Sequence[Person],
                 due: dt.date | None, private: bool, now: dt.datetime, today: dt.date,
                 *, number: int | None = None, year: int | None = None) -> Change:
    """Raise a new action with the next number of the board's year.

    Two people raising at once never share a number: the unique (board, year, number)
    constraint decides, and the loser takes the next number inside a savepoint."""
    year = numbering_year(board, today) if year is None else year
    for _attempt in range(20):
        n = number if number is not None else (s.scalar(
            select(func.max(Action.number)).where(Action.board_id == board.id, Action.year == year)) or 0) + 1
        action = build(board, year, n, title, owners, due, private, today)
        try:
            with s.begin_nested():
                s.add(action)
                s.flush()
        except IntegrityError:
            s.expunge(action) if action in s else None
            if number is not None:
                raise Refusal(f"{format_ref(number, year)} already exists on {board.name}'s log.") from None
            continue
        ev = _event(s, action, actor, now, today, "raised", new=title)
        return Change(action, "raised", ev)
    raise Refusal("Too many actions were raised at once; please try again.")


def add_update(s: Session, action: Action, actor: Person, text: str, now: dt.datetime, today: dt.date) -> Change:
    _require_change(action, actor, "update")
    ev = _event(s, action, actor, now, today, "update", text=text)
    return Change(action, "updated", ev)


def close(s: Session, action: Action, actor: Person, note: str, now: dt.datetime, today: dt.date,
          *, condition: str | None = None) -> Change:
    """Close; or propose closure where the board asks the chair to confirm; or close when <condition>."""
    _require_change(action, actor, "close")
    if action.status == CLOSED:
        raise Refusal(f"{action.ref} is already closed (since {action.closed:%d %b %Y}). "
                      f"A chair or secretary can reopen it: /action reopen {action.ref}")
    old = status_label(action)
    if condition:
        action.status, action.closing_condition = CLOSING_WHEN, condition
        what = f"can close upon {condition}"
    elif action.board.closure_rule == "chair-confirms" and not is_officer(action.board, actor):
        if action.status == PROPOSED:
            raise Refusal(f"Closure of {action.ref} is already proposed; the chair or a secretary confirms it "
                          f"with /action confirm {action.ref}")
        action.status = PROPOSED
        what = "closure proposed (the chair or a secretary confirms it)"
    else:
        action.status, action.closed, action.closing_condition = CLOSED, today, None
        what = "closed"
    ev = _event(s, action, actor, now, today, "status", old=old, new=status_label(action), text=note or None)
    return Change(action, what, ev)


def confirm(s: Session, action: Action, actor: Person, now: dt.datetime, today: dt.date) -> Change:
    _require_officer(action, actor, "confirm the closure of")
    if action.status not in (PROPOSED, CLOSING_WHEN):
        raise Refusal(f"{action.ref} is {status_label(action)}; only a proposed or conditional closure "
                      f"can be confirmed. To close it: /action close {action.ref}")
    old = status_label(action)
    action.status, action.closed = CLOSED, today
    ev = _event(s, action, actor, now, today, "status", old=old, new=CLOSED)
    return Change(action, "closure confirmed; closed", ev)


def reopen(s: Session, action: Action, actor: Person, note: str, now: dt.datetime, today: dt.date) -> Change:
    _require_officer(action, actor, "reopen")
    if action.status == OPEN:
        raise Refusal(f"{action.ref} is already open.")
    old = status_label(action)
    action.status, action.closed, action.closing_condition = OPEN, None, None
    ev = _event(s, action, actor, now, today, "status", old=old, new=OPEN, text=note or None)
    return Change(action, "reopened", ev)


def set_due(s: Session, action: Action, actor: Person, due: dt.date, now: dt.datetime, today: dt.date) -> Change:
    _require_change(action, actor, "change the due date of")
    old = action.due.isoformat() if action.due else None
    action.due = due
    ev = _event(s, action, actor, now, today, "due", old=old, new=due.isoformat())
    return Change(action, f"due date now {due:%a %d %b %Y}", ev)


def snooze(s: Session, action: Action, actor: Person, until: dt.date, now: dt.datetime, today: dt.date) -> Change:
    _require_change(action, actor, "snooze")
    if action.status == CLOSED:
        raise Refusal(f"{action.ref} is closed; there is nothing to remind anyone of.")
    old = action.snoozed_until.isoformat() if action.snoozed_until else None
    action.snoozed_until = until
    ev = _event(s, action, actor, now, today, "snoozed", old=old, new=until.isoformat())
    return Change(action, f"reminders snoozed until {until:%a %d %b %Y}", ev)


def assign(s: Session, action: Action, actor: Person, people: Sequence[Person], add: bool,
           now: dt.datetime, today: dt.date) -> Change:
    _require_officer(action, actor, "reassign")
    old_people = action.owners
    new_people = list(old_people) + [p for p in people if p not in old_people] if add else list(people)
    action.owner_links = [ActionOwner(person=p, position=i) for i, p in enumerate(new_people)]
    ev = _event(s, action, actor, now, today, "owners", old=owners_label(old_people), new=owners_label(new_people))
    return Change(action, f"owners now {owners_label(new_people)}", ev)


# -- reading ------------------------------------------------------------------------------

def history(s: Session, action: Action) -> list[ActionEvent]:
    return list(s.scalars(select(ActionEvent).where(ActionEvent.action_id == action.id).order_by(ActionEvent.id)))


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
          today: dt.date | None = None) -> Select:
    q = select(Action)
    if board is not None:
        q = q.where(Action.board_id == board.id)
    if which in ("open", "mine", "who", "overdue"):
        q = q.where(Action.status.in_(OPEN_STATES))
    elif which == "closed":
        q = q.where(Action.status == CLOSED)
    if which == "overdue":
        q = q.where(Action.due < today)
    if which == "mine":  # from the person's owner rows: a few thousand at most, not every open action
        q = q.where(Action.id.in_(select(ActionOwner.action_id).where(ActionOwner.person_id == person.id)))
    if which == "who":
        q = q.where(Action.id.in_(select(ActionOwner.action_id).where(
            ActionOwner.person_id.in_([p.id for p in people]))))
    return q.order_by(Action.due.is_(None), Action.due, Action.year, Action.number)


def overdue(action: Action, today: dt.date) -> bool:
    return action.status in OPEN_STATES and action.due is not None and action.due < today
