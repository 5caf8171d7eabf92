"""/meeting and /plan: one store call each, rendered; the board's channel and owners are told."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from sqlalchemy.orm import Session

from grammar.commands import Command
from grammar.dates import describe
from render import plan as render
from render.blocks import sections
from render.fmt import MRKDWN, Plain
from store import meetings, outbox, people, plan
from store.calendar import WorkingCalendar
from store.errors import Refusal
from store.models import Board, ForwardPlanItem, Person


@dataclass
class Turn:
    """One command's context: the session, who typed, when, and how to reach the board."""

    s: Session
    actor: Person
    channel_id: str | None
    now: dt.datetime
    today: dt.date
    fmt: Plain
    calendar: WorkingCalendar
    post: Callable[[Board, bool, str, str], None]  # (board, private, full text, text for a public channel)

    def tell(self, person: Person, board: Board, text: str) -> None:
        """DM a person; someone without Slack is told through the board's secretaries."""
        for user in people.reachable_through(person, board):
            said = text if user == person.slack_user_id else f"For {MRKDWN.esc(person.name)}, who is not on Slack: {text}"
            outbox.enqueue(self.s, user, said, self.now, blocks=sections([said]))


def run(turn: Turn, cmd: Command) -> list[str]:
    board = people.board_for(turn.s, cmd.board, turn.channel_id)
    if cmd.noun == "meeting":
        return _MEETING[cmd.verb](turn, cmd, board)
    plan.roll_recurring(turn.s, board, turn.now, turn.today)
    return _PLAN[cmd.verb](turn, cmd, board)


def _visible(turn: Turn, item: ForwardPlanItem) -> bool:
    return not item.private or turn.actor in item.owners or people.is_officer(item.board, turn.actor)


def _announce(turn: Turn, item: ForwardPlanItem, what: str) -> str:
    by = f" by {MRKDWN.esc(turn.actor.name)}"
    full = f"{MRKDWN.bold(item.ref)} {MRKDWN.esc(item.title)} {what}{by}."
    turn.post(item.board, item.private, full, f"{MRKDWN.bold(item.ref)} (Part B) {what}{by}.")
    return f"{turn.fmt.bold(item.ref)} {turn.fmt.esc(item.title)} {what}."


# -- /meeting --------------------------------------------------------------------------------

def _meeting_add(turn: Turn, cmd: Command, board: Board) -> list[str]:
    added, placed = meetings.add(turn.s, board, turn.actor, cmd.days, cmd.time, cmd.provisional, turn.now, turn.today)
    fmt = turn.fmt
    lines = [f"Added {len(added)} meeting{'s' * (len(added) != 1)} of {fmt.esc(board.name)}:"]
    lines += [f"• {render.meeting_line(m, fmt, turn.calendar)}" for m in added]
    for m in added:
        why = turn.calendar.why_not_working(m.day)
        if why:
            lines.append(f"Note: {describe(m.day)} is {why}. Added as you asked; /meeting cancel {m.day:%d/%m/%Y} undoes it.")
    for item in placed:
        lines.append(f"{fmt.bold(item.ref)} {fmt.esc(item.title)} moves from {item.meeting.day:%B %Y} onto this meeting.")
    return lines


def _meeting_cancel(turn: Turn, cmd: Command, board: Board) -> list[str]:
    meeting, moved = meetings.cancel(turn.s, board, turn.actor, cmd.days[0])
    month = f"{meeting.day:%B %Y}"
    for item in moved:
        for owner in item.owners:
            turn.tell(owner, board, f"The {MRKDWN.esc(board.name)} meeting on {describe(meeting.day)} is cancelled; "
                                    f"your paper {MRKDWN.bold(item.ref)} {MRKDWN.esc(item.title)} waits in {month} "
                                    "until a new meeting is set.")
    turn.post(board, False, f"The meeting on {describe(meeting.day)} is cancelled.",
              f"The meeting on {describe(meeting.day)} is cancelled.")
    return [f"Cancelled the meeting on {describe(meeting.day)}."] + (
        [f"{len(moved)} paper{'s' * (len(moved) != 1)} moved to {month} (TBC); their owners are told."] if moved else [])


def _meeting_move(turn: Turn, cmd: Command, board: Board) -> list[str]:
    old, new = cmd.days
    meeting, papers = meetings.move(turn.s, board, turn.actor, old, new, cmd.time, turn.today)
    for item in papers:
        deadline = plan.paper_deadline(item, turn.calendar)
        for owner in item.owners:
            turn.tell(owner, board, f"The {MRKDWN.esc(board.name)} meeting on {describe(old)} moves to "
                                    f"{describe(new)}; your paper {MRKDWN.bold(item.ref)} {MRKDWN.esc(item.title)} "
                                    f"is now due by {describe(deadline)}.")
    turn.post(board, False, f"The meeting on {describe(old)} moves to {describe(new)}.",
              f"The meeting on {describe(old)} moves to {describe(new)}.")
    return [f"Moved the meeting on {describe(old)} to {render.meeting_line(meeting, turn.fmt, turn.calendar)}."] + (
        [f"{len(papers)} paper{'s' * (len(papers) != 1)} moved with it; their owners are told the new deadline."]
        if papers else [])


def _meeting_list(turn: Turn, cmd: Command, board: Board) -> list[str]:
    return render.meetings_listing(board.name, meetings.upcoming(turn.s, board, turn.today), turn.fmt, turn.calendar)


# -- /plan -----------------------------------------------------------------------------------

def _plan_add(turn: Turn, cmd: Command, board: Board) -> list[str]:
    place = plan.place_for(turn.s, board, cmd.when, turn.today)
    owners = people.resolve(turn.s, cmd.owners, turn.now) if cmd.owners else []
    item = plan.add(turn.s, board, turn.actor, cmd.text, place, owners, cmd.recurrence, cmd.private, turn.now)
    line = _announce(turn, item, f"added to the forward plan for {place.describe()}")
    deadline = plan.paper_deadline(item, turn.calendar)
    return [line, render.item_line(item, turn.fmt, turn.today, turn.calendar, with_deadline=True)] + (
        [f"Paper deadline: {describe(deadline)} ({board.paper_deadline_days} working days before)."] if deadline else [])


def _item(turn: Turn, cmd: Command, board: Board) -> ForwardPlanItem:
    item = plan.find(turn.s, board, cmd.fp)
    if not _visible(turn, item):
        raise Refusal(f"{item.ref} is a Part B paper; only its owners, the chair and secretaries can see or change it.")
    return item


def _plan_move(turn: Turn, cmd: Command, board: Board) -> list[str]:
    item = _item(turn, cmd, board)
    place = plan.place_for(turn.s, board, cmd.when, turn.today)
    plan.move(turn.s, item, turn.actor, place, turn.now)
    return [_announce(turn, item, f"moved to {place.describe()}"),
            render.item_line(item, turn.fmt, turn.today, turn.calendar, with_deadline=True)]


def _plan_drop(turn: Turn, cmd: Command, board: Board) -> list[str]:
    item = _item(turn, cmd, board)
    recurring = item.recurrence
    plan.drop(turn.s, item, turn.actor, cmd.text, turn.now, series=cmd.series)
    lines = [_announce(turn, item, "dropped from the forward plan" + (" with its series" if cmd.series and recurring else ""))]
    if recurring and not cmd.series:
        lines.append(f"It repeats {recurring}; the next one stays planned. To stop the series: "
                     f"/plan drop {item.ref} series")
    return lines


def _plan_received(turn: Turn, cmd: Command, board: Board) -> list[str]:
    item = _item(turn, cmd, board)
    nxt = plan.receive(turn.s, item, turn.actor, turn.now, turn.today)
    lines = [_announce(turn, item, "received")]
    if nxt is not None:
        lines.append(f"Next {nxt.recurrence} paper planned: {render.item_line(nxt, turn.fmt, turn.today, turn.calendar, with_deadline=True)}")
    return lines


def _plan_list(turn: Turn, cmd: Command, board: Board) -> list[str]:
    which = cmd.list_filter
    month = cmd.when.day if which == "month" else None
    items = plan.listing(turn.s, board, which, turn.today, month)
    title = {"coming": "Forward plan", "all": "Forward plan (all)", "tbc": "Forward plan: TBC",
             "month": f"Forward plan: {month:%B %Y}" if month else ""}[which]
    return render.plan_listing(f"{turn.fmt.esc(board.name)} {title}", items, turn.fmt, turn.today, turn.calendar,
                               lambda item: _visible(turn, item))


_MEETING = {"add": _meeting_add, "cancel": _meeting_cancel, "move": _meeting_move, "list": _meeting_list}
_PLAN = {"add": _plan_add, "move": _plan_move, "drop": _plan_drop, "received": _plan_received, "list": _plan_list}
