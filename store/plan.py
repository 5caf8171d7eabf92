"""The forward plan: which paper comes to which meeting, who owes it, and its paper deadline."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store import meetings, numbering
from store import permissions as rules
from store.calendar import WorkingCalendar
from store.models import DROPPED, DUE, LATE, RECEIVED, Board, ForwardPlanItem, Meeting, Person, PlanEvent, PlanItemOwner
from store.nearest import either, nearest
from store.people import add_members
from store.permissions import Act
from store.terms import RECUR_MONTHS, NoChange, Recurrence, Refusal, When, describe


@dataclass(frozen=True)
class Place:
    """Where a paper goes: a meeting, a month with no meeting yet, or tbc."""

    meeting: Meeting | None = None
    month: dt.date | None = None

    def describe(self) -> str:
        if self.meeting is not None:
            return f"the meeting on {describe(self.meeting.day)}"
        if self.month is not None:
            return f"{self.month:%B %Y} (no meeting yet)"
        return "TBC"


def place_for(s: Session, board: Board, when: When, today: dt.date) -> Place:
    if when.kind == "tbc":
        return Place()
    if when.kind == "month":
        month = when.day.replace(day=1)
        meeting = meetings.first_in_month(s, board, month)
        return Place(meeting=meeting) if meeting else Place(month=month)
    if when.kind in meetings.MEETING_KINDS:  # one resolver for meeting phrases (store.meetings.named)
        return Place(meeting=meetings.named(s, board, when, today))
    meeting = meetings.meeting_on(s, board, when.day)
    if meeting is None or meeting.cancelled:
        state = "was cancelled" if meeting is not None else "is not a meeting of " + board.name
        coming = ", ".join(describe(m.day) for m in meetings.upcoming(s, board, today, 5))
        raise Refusal(f"{describe(when.day)} {state}." + (f" Coming meetings: {coming}." if coming else "")
                      + f" Or give a month ({when.day:%B %Y}) or tbc.")
    return Place(meeting=meeting)


def paper_deadline(item: ForwardPlanItem, calendar: WorkingCalendar) -> dt.date | None:
    if item.meeting is None:
        return None
    return calendar.working_days_before(item.meeting.day, item.board.paper_deadline_days)


def status(item: ForwardPlanItem, today: dt.date, calendar: WorkingCalendar) -> str:
    if item.status in (RECEIVED, DROPPED):
        return item.status
    deadline = paper_deadline(item, calendar)
    return LATE if deadline is not None and deadline < today else DUE


def can_see(item: ForwardPlanItem, person: Person | None) -> bool:
    """Part B papers: only their owners, the chair and secretaries see the title."""
    return not item.private or rules.allowed(person, Act.READ_PART_B, board=item.board, owners=item.owners)


def _event(s: Session, item: ForwardPlanItem, actor: Person | None, now: dt.datetime, kind: str,
           old: str | None = None, new: str | None = None, text: str | None = None) -> None:
    s.add(PlanEvent(item_id=item.id, at=now, person=actor, kind=kind, old=old, new=new, text=text))


def find(s: Session, board: Board, number: int) -> ForwardPlanItem:
    item = s.scalar(select(ForwardPlanItem).where(ForwardPlanItem.board_id == board.id,
                                                  ForwardPlanItem.number == number))
    if item is None:
        digits = str(number)
        near_numbers = {number + d for d in (-2, -1, 1, 2)} | {int(digits[::-1])}
        numbers = [str(n) for n in s.scalars(select(ForwardPlanItem.number).where(
            ForwardPlanItem.board_id == board.id, ForwardPlanItem.number.in_(near_numbers)))]
        near = nearest(digits, numbers, n=2, limit=1)
        raise Refusal(f"There is no FP-{number} on {board.name}'s forward plan"
                      + (f"; did you mean {either(['FP-' + n for n in near])}?" if near else ".")
                      + ("" if near else " /plan list shows the plan."))
    return item


def add(s: Session, board: Board, actor: Person, title: str, place: Place, owners: Sequence[Person],
        recurrence: str | None, private: bool, now: dt.datetime, *, series_id: int | None = None) -> ForwardPlanItem:
    if actor is not None:
        rules.require(actor, Act.PLAN_ADD, board=board)
    if recurrence is not None and recurrence not in RECUR_MONTHS:
        raise Refusal(f"“{recurrence}” is not a recurrence Clerk keeps: monthly or quarterly.")
    number = numbering.next_number(s, board, numbering.PAPER)
    item = ForwardPlanItem(board=board, number=number, title=title, meeting=place.meeting, month=place.month,
                           status=DUE, recurrence=recurrence, private=private, created=now)
    item.owner_links = [PlanItemOwner(person=p, position=i) for i, p in enumerate(owners)]
    s.add(item)
    add_members(s, board, owners, actor, now)
    s.flush()
    item.series_id = series_id or (item.id if recurrence else None)
    _event(s, item, actor, now, "added", new=place.describe())
    return item


def move(s: Session, item: ForwardPlanItem, actor: Person, place: Place, now: dt.datetime) -> None:
    _require_change(item, actor, "move it")
    if item.status == DROPPED:
        raise Refusal(f"{item.ref} was dropped; add it again with /plan add.")
    old = Place(item.meeting, item.month).describe()
    if old == place.describe():
        raise NoChange(f"No change: {item.ref} is already for {old}.")
    item.meeting, item.month = place.meeting, place.month
    _event(s, item, actor, now, "moved", old=old, new=place.describe())


def drop(s: Session, item: ForwardPlanItem, actor: Person, reason: str, now: dt.datetime, today: dt.date,
         *, series: bool = False) -> ForwardPlanItem | None:
    """Drop a paper. A recurring one's series goes on (its next occurrence is planned, and returned)
    unless `series`, which stops it."""
    _require_change(item, actor, "drop it")
    if item.status == DROPPED:
        raise Refusal(f"{item.ref} is already dropped.")
    item.status = DROPPED
    _event(s, item, actor, now, "dropped", text=reason or None)
    if not item.recurrence:
        return None
    if not series:
        return next_in_series(s, item) or _next_occurrence(s, item, now, today)
    for other in s.scalars(select(ForwardPlanItem).where(ForwardPlanItem.series_id == item.series_id,
                                                         ForwardPlanItem.status == DUE)):
        other.status = DROPPED
        _event(s, other, actor, now, "dropped", text="series stopped")
    for other in s.scalars(select(ForwardPlanItem).where(ForwardPlanItem.series_id == item.series_id)):
        other.recurrence = None
    return None


def next_in_series(s: Session, item: ForwardPlanItem) -> ForwardPlanItem | None:
    """The series' occurrence after this one that is still due, if one is planned."""
    if item.series_id is None:
        return None
    return s.scalar(select(ForwardPlanItem).where(ForwardPlanItem.series_id == item.series_id,
                                                  ForwardPlanItem.id > item.id, ForwardPlanItem.status == DUE)
                    .order_by(ForwardPlanItem.id).limit(1))


def receive(s: Session, item: ForwardPlanItem, actor: Person, now: dt.datetime, today: dt.date) -> ForwardPlanItem | None:
    """The paper is in. A recurring item's next occurrence is planned; returned if one was made."""
    _require_change(item, actor, "mark it received")
    if item.status != DUE:
        raise Refusal(f"{item.ref} is {item.status}" + (f" (on {describe(item.received)})" if item.received else "") + ".")
    item.status, item.received = RECEIVED, today
    _event(s, item, actor, now, "received")
    return _next_occurrence(s, item, now, today)


def roll_recurring(s: Session, board: Board, now: dt.datetime, today: dt.date) -> list[ForwardPlanItem]:
    """Recurring items whose meeting has passed get their next occurrence (once)."""
    made = []
    passed = s.scalars(select(ForwardPlanItem).join(Meeting, ForwardPlanItem.meeting_id == Meeting.id).where(
        ForwardPlanItem.board_id == board.id, ForwardPlanItem.recurrence.is_not(None),
        ForwardPlanItem.status != DROPPED, Meeting.day < today))
    for item in list(passed):
        nxt = _next_occurrence(s, item, now, today)
        if nxt is not None:
            made.append(nxt)
    return made


def _next_occurrence(s: Session, item: ForwardPlanItem, now: dt.datetime, today: dt.date) -> ForwardPlanItem | None:
    if not item.recurrence:
        return None
    later = s.scalar(select(func.count()).select_from(ForwardPlanItem).where(
        ForwardPlanItem.series_id == item.series_id, ForwardPlanItem.id > item.id))
    if later:
        return None
    base = item.meeting.day if item.meeting else (item.month or today)
    month_index = base.year * 12 + base.month - 1 + RECUR_MONTHS[Recurrence(item.recurrence)]
    month = dt.date(month_index // 12, month_index % 12 + 1, 1)
    meeting = meetings.first_in_month(s, item.board, month)
    place = Place(meeting=meeting) if meeting else Place(month=month)
    return add(s, item.board, None, item.title, place, item.owners, item.recurrence, item.private, now,
               series_id=item.series_id)


def _require_change(item: ForwardPlanItem, actor: Person, what: str) -> None:
    rules.require(actor, Act.PLAN_CHANGE, board=item.board, owners=item.owners, subject=item.ref, doing=what)


def listing(s: Session, board: Board, which: str, today: dt.date, month: dt.date | None = None) -> list[ForwardPlanItem]:
    """Plan items: 'coming' (from today on, month and tbc items too), 'all', 'tbc', or a month."""
    q = select(ForwardPlanItem).outerjoin(Meeting, ForwardPlanItem.meeting_id == Meeting.id).where(
        ForwardPlanItem.board_id == board.id)
    if which == "tbc":
        q = q.where(ForwardPlanItem.meeting_id.is_(None), ForwardPlanItem.month.is_(None))
    elif which == "month":
        end = (month + dt.timedelta(days=32)).replace(day=1)
        q = q.where(((Meeting.day >= month) & (Meeting.day < end)) | (ForwardPlanItem.month == month))
    elif which == "coming":
        q = q.where(ForwardPlanItem.status != DROPPED,
                    (Meeting.day >= today) | ForwardPlanItem.meeting_id.is_(None))
    items = list(s.scalars(q.order_by(ForwardPlanItem.number)))
    far = dt.date(9999, 12, 31)
    items.sort(key=lambda i: (i.meeting.day if i.meeting else (i.month or far), i.meeting is None, i.number))
    return items
