"""How the forward plan and meetings read."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from render.actions import MAX_OWNERS_SHOWN, MAX_TITLE_SHOWN, who
from render.fmt import Plain
from store.calendar import WorkingCalendar
from store.models import ForwardPlanItem, Meeting
from store.plan import paper_deadline, status
from store.terms import describe

STATE_WORDS = {"due": "paper awaited", "late": "paper late"}  # "due" alone reads as if a date were missing


def publication_day(meeting: Meeting, calendar: WorkingCalendar) -> dt.date:
    """The pack goes out N *clear* working days before: N whole working days between the two."""
    return calendar.working_days_before(meeting.day, meeting.board.publication_days + 1)


def meeting_line(meeting: Meeting, fmt: Plain, calendar: WorkingCalendar) -> str:
    text = describe(meeting.day) + (f" at {meeting.time:%H:%M}" if meeting.time else "")
    if meeting.provisional:
        text += " (provisional)"
    deadline = calendar.working_days_before(meeting.day, meeting.board.paper_deadline_days)
    pack = publication_day(meeting, calendar)
    return f"{fmt.bold(text)} — papers by {describe(deadline)}, pack published {describe(pack)}"


def item_line(item: ForwardPlanItem, fmt: Plain, today: dt.date, calendar: WorkingCalendar, *,
              visible: bool = True, with_deadline: bool = False) -> str:
    if not visible:
        return f"{fmt.bold(item.ref)} Part B paper (title not shown here)"
    parts = [f"{fmt.bold(item.ref)} {fmt.clip(item.title, MAX_TITLE_SHOWN)}", fmt.clip(who(item.owners), MAX_OWNERS_SHOWN)]
    state = status(item, today, calendar)
    parts.append(STATE_WORDS.get(state, state) if not (state == "received" and item.received)
                 else f"received {item.received:%d %b %Y}")
    if with_deadline:
        parts.append(f"for {describe(item.meeting.day)}" if item.meeting else
                     f"for {item.month:%B %Y}" if item.month else "TBC")
        deadline = paper_deadline(item, calendar)
        parts.append(f"paper deadline {describe(deadline)}" if deadline else "no paper deadline yet")
    if item.recurrence:
        parts.append(item.recurrence)
    if item.private:
        parts.append("Part B")
    return " — ".join(parts)


def plan_listing(title: str, items: Sequence[ForwardPlanItem], fmt: Plain, today: dt.date,
                 calendar: WorkingCalendar, visible: Callable[[ForwardPlanItem], bool]) -> list[str]:
    if not items:
        return [f"{title}: nothing planned."]
    lines = [fmt.bold(title)]
    heading = None
    hidden = 0
    for item in items:
        if item.meeting is not None:
            group = meeting_line(item.meeting, fmt, calendar)
        elif item.month is not None:
            group = fmt.bold(f"{item.month:%B %Y}") + " — no meeting yet"
        else:
            group = fmt.bold("TBC") + " — added once a date is identified"
        if group != heading:
            lines.append(group)
            heading = group
        if visible(item):
            lines.append(f"• {item_line(item, fmt, today, calendar)}")
        else:
            hidden += 1
            lines.append(f"• {item_line(item, fmt, today, calendar, visible=False)}")
    return lines


def meetings_listing(board_name: str, meetings: Sequence[Meeting], fmt: Plain, calendar: WorkingCalendar,
                     example: str) -> list[str]:
    """`example` is a meeting day written from today (grammar.registry.dated), never a past one."""
    if not meetings:
        return [f"{fmt.esc(board_name)} has no meetings coming up. Add one: /meeting add {example} 10am"]
    return [fmt.bold(f"{fmt.esc(board_name)}: coming meetings")] + [f"• {meeting_line(m, fmt, calendar)}" for m in meetings]
