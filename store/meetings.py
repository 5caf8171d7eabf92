"""A board's meetings: added one by one or as a series, cancelled (never deleted)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store import permissions as rules
from store.models import DROPPED, DUE, Board, ForwardPlanItem, Meeting, Person
from store.permissions import Act
from store.terms import Refusal, When, describe


def require_officer(board: Board, actor: Person, what: str) -> None:
    rules.require(actor, Act.MEETINGS, board=board, doing=what)


def meeting_on(s: Session, board: Board, day: dt.date) -> Meeting | None:
    return s.scalar(select(Meeting).where(Meeting.board_id == board.id, Meeting.day == day))


def upcoming(s: Session, board: Board, today: dt.date, limit: int | None = None) -> list[Meeting]:
    q = (select(Meeting).where(Meeting.board_id == board.id, Meeting.day >= today, Meeting.cancelled.is_(False))
         .order_by(Meeting.day))
    return list(s.scalars(q.limit(limit) if limit else q))


def next_meeting(s: Session, board: Board, today: dt.date) -> Meeting | None:
    found = upcoming(s, board, today, limit=1)
    return found[0] if found else None


MEETING_KINDS = ("next meeting", "meeting after next", "month's meeting", "meeting on")


def named(s: Session, board: Board, when: When, today: dt.date) -> Meeting:
    """The one resolver of meeting phrases, for due dates, papers and meetings alike: the next
    meeting, the meeting after next, a month's (first) meeting, the meeting on a day. Refused, with
    the board's coming meetings, when there is none such."""
    coming = upcoming(s, board, today, 12)
    if when.kind == "next meeting":
        found = coming[:1]
    elif when.kind == "meeting after next":
        found = coming[1:2]
    elif when.kind == "month's meeting":
        found = [m for m in coming if (m.day.year, m.day.month) == (when.day.year, when.day.month)][:1]
        if not found and when.day < today.replace(day=1) + dt.timedelta(days=400):
            found = [m for m in [first_in_month(s, board, when.day)] if m is not None and m.day >= today]
    else:  # "meeting on"
        found = [m for m in [meeting_on(s, board, when.day)] if m is not None and not m.cancelled]
    if found:
        return found[0]
    if not coming:
        raise Refusal(f"{board.name} has no meeting coming up, so “{when.words()}” is no date yet. Add the "
                      f"meeting first (/meeting add <date> [time]) or give a date, e.g. {today + dt.timedelta(days=14):%d/%m}.")
    listed = ", ".join(describe(m.day) for m in coming[:5])
    if when.kind == "month's meeting":
        missing = f"no meeting in {when.day:%B %Y}"
    elif when.kind == "meeting on":
        cancelled = meeting_on(s, board, when.day)
        missing = f"no meeting on {describe(when.day)}" + (" (it was cancelled)" if cancelled is not None else "")
    elif when.kind == "meeting after next":
        missing = "meeting after next (only one is coming up)"
    else:
        missing = "meeting coming up"
    raise Refusal(f"{board.name} has {missing}. Its coming meetings: {listed}. Give one of those, or a date.")


def first_in_month(s: Session, board: Board, month: dt.date) -> Meeting | None:
    start = month.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return s.scalar(select(Meeting).where(Meeting.board_id == board.id, Meeting.day >= start, Meeting.day < end,
                                          Meeting.cancelled.is_(False)).order_by(Meeting.day).limit(1))


def add(s: Session, board: Board, actor: Person, days: Sequence[dt.date], time: dt.time | None,
        provisional: bool, now: dt.datetime, today: dt.date) -> tuple[list[Meeting], list[ForwardPlanItem]]:
    """Add meetings; papers waiting in a month move onto that month's first meeting.
    Returns the meetings added and the papers placed on them."""
    require_officer(board, actor, "add meetings")
    added, placed = [], []
    for day in days:
        if day < today:
            raise Refusal(f"{describe(day)} is in the past; meetings are added from today on.")
        existing = meeting_on(s, board, day)
        if existing is not None and not existing.cancelled:
            raise Refusal(f"{board.name} already meets on {describe(day)}.")
        if existing is not None:  # a cancelled meeting put back
            existing.cancelled, existing.time, existing.provisional = False, time, provisional
            meeting = existing
        else:
            meeting = Meeting(board=board, day=day, time=time, provisional=provisional, created=now)
            s.add(meeting)
        s.flush()
        added.append(meeting)
        if first_in_month(s, board, day) is meeting:
            month = day.replace(day=1)
            waiting = s.scalars(select(ForwardPlanItem).where(
                ForwardPlanItem.board_id == board.id, ForwardPlanItem.meeting_id.is_(None),
                ForwardPlanItem.month == month, ForwardPlanItem.status == DUE))
            for item in waiting:
                item.meeting, item.month = meeting, None
                placed.append(item)
    return added, placed


def confirm(s: Session, board: Board, actor: Person, day: dt.date) -> Meeting:
    """A provisional meeting becomes a fixed one."""
    require_officer(board, actor, "confirm meetings")
    meeting = meeting_on(s, board, day)
    if meeting is None or meeting.cancelled:
        raise Refusal(f"{board.name} has no meeting on {describe(day)}.")
    if not meeting.provisional:
        raise Refusal(f"The meeting on {describe(day)} is already confirmed.")
    meeting.provisional = False
    return meeting


def cancel(s: Session, board: Board, actor: Person, day: dt.date) -> tuple[Meeting, list[ForwardPlanItem]]:
    """Cancel a meeting: its papers go to the month's TBC list. Returns them, to tell their owners."""
    require_officer(board, actor, "cancel meetings")
    meeting = meeting_on(s, board, day)
    if meeting is None or meeting.cancelled:
        listed = ", ".join(describe(m.day) for m in upcoming(s, board, day - dt.timedelta(days=31), 6))
        raise Refusal(f"{board.name} has no meeting on {describe(day)}." + (f" Meetings: {listed}." if listed else ""))
    meeting.cancelled = True
    moved = list(s.scalars(select(ForwardPlanItem).where(ForwardPlanItem.meeting_id == meeting.id,
                                                         ForwardPlanItem.status != DROPPED)))
    for item in moved:
        item.meeting, item.month = None, day.replace(day=1)
    return meeting, moved


def move(s: Session, board: Board, actor: Person, day: dt.date, new_day: dt.date, time: dt.time | None,
         today: dt.date) -> tuple[Meeting, list[ForwardPlanItem]]:
    """Reschedule a meeting: its papers follow it, and their deadlines with it."""
    require_officer(board, actor, "reschedule meetings")
    meeting = meeting_on(s, board, day)
    if meeting is None or meeting.cancelled:
        raise Refusal(f"{board.name} has no meeting on {describe(day)}.")
    if new_day < today:
        raise Refusal(f"{describe(new_day)} is in the past.")
    clash = meeting_on(s, board, new_day)
    if clash is not None and not clash.cancelled:
        raise Refusal(f"{board.name} already meets on {describe(new_day)}.")
    if clash is not None:  # a cancelled meeting on the new day: its papers moved out when it was
        # cancelled; dropped ones still name it, and follow the meeting that takes its day
        s.execute(update(ForwardPlanItem).where(ForwardPlanItem.meeting_id == clash.id)
                  .values(meeting_id=meeting.id))
        s.delete(clash)
        s.flush()
    meeting.day = new_day
    if time is not None:
        meeting.time = time
    papers = list(s.scalars(select(ForwardPlanItem).where(ForwardPlanItem.meeting_id == meeting.id,
                                                          ForwardPlanItem.status == DUE)))
    return meeting, papers
