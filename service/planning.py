"""/meeting and /plan: one store call each, rendered; the board's channel and owners are told."""
from __future__ import annotations

import datetime as dt

from grammar.commands import (
    AddMeetings,
    AddPaper,
    CancelMeeting,
    ConfirmMeeting,
    DropPaper,
    ListMeetings,
    ListPlan,
    MoveMeeting,
    MovePaper,
    PaperReceived,
)
from grammar.registry import dated
from render import plan as render
from render.fmt import MRKDWN
from service.turn import Said, Turn, runs
from store import meetings, plan
from store.models import ForwardPlanItem
from store.permissions import Act
from store.terms import Refusal, describe
from store.words import count


def _announce(turn: Turn, item: ForwardPlanItem, what: str) -> str:
    """The board's post of a change to a paper (the ref only, for a Part B paper in a public channel)."""
    by = f" by {MRKDWN.esc(turn.actor.signature)}"
    full = f"{MRKDWN.bold(item.ref)} {MRKDWN.esc(item.title)} {what}{by}."
    turn.post(item.board, full, f"{MRKDWN.bold(item.ref)} (Part B) {what}{by}." if item.private else None)
    return f"{turn.fmt.bold(item.ref)} {turn.fmt.esc(item.title)} {what}."


def _item(turn: Turn, number: int, board_name: str | None) -> ForwardPlanItem:
    board = turn.board(board_name)
    plan.roll_recurring(turn.s, board, turn.now, turn.today)
    item = plan.find(turn.s, board, number)
    if not plan.can_see(item, turn.actor):
        raise Refusal(f"{item.ref} is a Part B paper; only its owners, the chair and secretaries can see or change it.")
    return item


def _papers(n: int) -> str:
    return count(n, "paper")


# -- /meeting --------------------------------------------------------------------------------

@runs(AddMeetings)
def meeting_add(turn: Turn, cmd: AddMeetings) -> Said:
    board = turn.board(cmd.board)
    added, placed = meetings.add(turn.s, board, turn.actor, cmd.days, cmd.time, cmd.provisional, turn.now, turn.today)
    fmt = turn.fmt
    lines = [f"Added {count(len(added), 'meeting')} of {fmt.esc(board.name)}:"]
    lines += [f"• {render.meeting_line(m, fmt, turn.calendar)}" for m in added]
    for m in added:
        why = turn.calendar.why_not_working(m.day)
        if why:
            lines.append(f"Note: {describe(m.day)} is {why}. Added as you asked; /meeting cancel {m.day:%d/%m/%Y} undoes it.")
    late = [m for m in added if turn.calendar.working_days_before(m.day, board.paper_deadline_days) < turn.today]
    if late:
        lines.append(f"Note: the paper deadline of {', '.join(describe(m.day) for m in late)} has already passed "
                     f"({count(board.paper_deadline_days, 'working day')} before); papers for "
                     f"{'it' if len(late) == 1 else 'them'} are late from the start.")
    for item in placed:
        lines.append(f"{fmt.bold(item.ref)} {fmt.esc(item.title)} moves from {item.meeting.day:%B %Y} onto this meeting.")
    return Said(lines)


def _day_of(turn: Turn, board, cmd) -> dt.date:
    """The meeting a command names: by its date, or by a phrase (store.meetings.named, the one
    resolver that due dates and papers use too)."""
    return cmd.day if cmd.day is not None else meetings.named(turn.s, board, cmd.meeting, turn.today).day


@runs(ConfirmMeeting)
def meeting_confirm(turn: Turn, cmd: ConfirmMeeting) -> Said:
    board = turn.board(cmd.board)
    meeting = meetings.confirm(turn.s, board, turn.actor, _day_of(turn, board, cmd))
    turn.post(board, f"The meeting on {describe(meeting.day)} is confirmed.")
    return Said([f"Confirmed: {render.meeting_line(meeting, turn.fmt, turn.calendar)}."])


@runs(CancelMeeting)
def meeting_cancel(turn: Turn, cmd: CancelMeeting) -> Said:
    board = turn.board(cmd.board)
    meeting, moved = meetings.cancel(turn.s, board, turn.actor, _day_of(turn, board, cmd))
    month = f"{meeting.day:%B %Y}"
    for item in moved:
        for owner in item.owners:
            turn.tell(owner, board, f"The {MRKDWN.esc(board.name)} meeting on {describe(meeting.day)} is cancelled; "
                                    f"your paper {MRKDWN.bold(item.ref)} {MRKDWN.esc(item.title)} waits in {month} "
                                    "until a new meeting is set.")
    turn.post(board, f"The meeting on {describe(meeting.day)} is cancelled.")
    return Said([f"Cancelled the meeting on {describe(meeting.day)}."] + (
        [f"{_papers(len(moved))} moved to {month} (TBC); their owners are told."] if moved else []))


@runs(MoveMeeting)
def meeting_move(turn: Turn, cmd: MoveMeeting) -> Said:
    board = turn.board(cmd.board)
    day = _day_of(turn, board, cmd)
    meeting, papers = meetings.move(turn.s, board, turn.actor, day, cmd.to, cmd.time, turn.today)
    for item in papers:
        deadline = plan.paper_deadline(item, turn.calendar)
        for owner in item.owners:
            turn.tell(owner, board, f"The {MRKDWN.esc(board.name)} meeting on {describe(day)} moves to "
                                    f"{describe(cmd.to)}; your paper {MRKDWN.bold(item.ref)} {MRKDWN.esc(item.title)} "
                                    f"is now due by {describe(deadline)}.")
    turn.post(board, f"The meeting on {describe(day)} moves to {describe(cmd.to)}.")
    return Said([f"Moved the meeting on {describe(day)} to {render.meeting_line(meeting, turn.fmt, turn.calendar)}."]
                + ([f"{_papers(len(papers))} moved with it; their owners are told the new deadline."] if papers else []))


@runs(ListMeetings)
def meeting_list(turn: Turn, cmd: ListMeetings) -> Said:
    turn.require(Act.READ)
    board = turn.board(cmd.board)
    return Said(render.meetings_listing(board.name, meetings.upcoming(turn.s, board, turn.today), turn.fmt,
                                        turn.calendar, dated("{meeting}", turn.today)))


# -- /plan -----------------------------------------------------------------------------------

@runs(AddPaper)
def plan_add(turn: Turn, cmd: AddPaper) -> Said:
    board = turn.board(cmd.board)
    turn.require(Act.PLAN_ADD, board=board)
    plan.roll_recurring(turn.s, board, turn.now, turn.today)
    place = plan.place_for(turn.s, board, cmd.when, turn.today)
    owners = turn.people(cmd.owners, board) if cmd.owners else []
    item = plan.add(turn.s, board, turn.actor, cmd.title, place, owners, cmd.recurrence, cmd.private, turn.now)
    line = _announce(turn, item, f"added to the forward plan for {place.describe()}")
    deadline = plan.paper_deadline(item, turn.calendar)
    turn.refresh(owners)
    return Said([line, render.item_line(item, turn.fmt, turn.today, turn.calendar, with_deadline=True)] + (
        [f"Paper deadline: {describe(deadline)} ({count(board.paper_deadline_days, 'working day')} before)."]
        if deadline else []))


@runs(MovePaper)
def plan_move(turn: Turn, cmd: MovePaper) -> Said:
    item = _item(turn, cmd.number, cmd.board)
    place = plan.place_for(turn.s, item.board, cmd.when, turn.today)
    plan.move(turn.s, item, turn.actor, place, turn.now)
    turn.refresh(item.owners)
    return Said([_announce(turn, item, f"moved to {place.describe()}"),
                 render.item_line(item, turn.fmt, turn.today, turn.calendar, with_deadline=True)])


@runs(DropPaper)
def plan_drop(turn: Turn, cmd: DropPaper) -> Said:
    item = _item(turn, cmd.number, cmd.board)
    recurring = item.recurrence
    nxt = plan.drop(turn.s, item, turn.actor, cmd.reason, turn.now, turn.today, series=cmd.series)
    turn.refresh(item.owners)
    lines = [_announce(turn, item, "dropped from the forward plan" + (" with its series" if cmd.series and recurring else ""))]
    if nxt is not None:
        lines.append(f"It repeats {recurring}: the next one, {turn.fmt.bold(nxt.ref)}, is planned for "
                     f"{plan.Place(nxt.meeting, nxt.month).describe()}. To stop the series: "
                     f"/plan drop {nxt.ref} series")
    return Said(lines)


@runs(PaperReceived)
def plan_received(turn: Turn, cmd: PaperReceived) -> Said:
    item = _item(turn, cmd.number, cmd.board)
    nxt = plan.receive(turn.s, item, turn.actor, turn.now, turn.today)
    turn.refresh(item.owners)
    lines = [_announce(turn, item, "received")]
    if nxt is not None:
        lines.append(f"Next {nxt.recurrence} paper planned: "
                     f"{render.item_line(nxt, turn.fmt, turn.today, turn.calendar, with_deadline=True)}")
    return Said(lines)


@runs(ListPlan)
def plan_list(turn: Turn, cmd: ListPlan) -> Said:
    turn.require(Act.READ)
    board = turn.board(cmd.board)
    items = plan.listing(turn.s, board, cmd.which, turn.today, cmd.month)
    title = {"coming": "Forward plan", "all": "Forward plan (all)", "tbc": "Forward plan: TBC",
             "month": f"Forward plan: {cmd.month:%B %Y}" if cmd.month else ""}[cmd.which]
    return Said(render.plan_listing(f"{turn.fmt.esc(board.name)} {title}", items, turn.fmt, turn.today, turn.calendar,
                                    lambda item: plan.can_see(item, turn.actor)), title=f"{board.name} {title}")
