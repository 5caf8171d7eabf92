"""One command's turn: who is speaking and where, the open session, the clock, and how to reach
the board and people. Runners (service.actions, service.planning, service.people) take a Turn
and a typed command and return what the speaker is told (Said)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from grammar.commands import Command, Target
from render.blocks import Message, one_message
from render.fmt import MRKDWN, PLAIN, Plain
from render.reminders import action_buttons
from store import actions as log
from store import boards, meetings, outbox, people
from store import permissions as rules
from store.calendar import WorkingCalendar
from store.models import Action, Board, Person
from store.permissions import Act
from store.terms import Refusal, When, describe

Runner = Callable[["Turn", Command], "Said"]
RUNNERS: dict[type, Runner] = {}


def runs(*types: type):
    """Register the runner of one or more command types."""
    def register(fn: Runner) -> Runner:
        for t in types:
            RUNNERS[t] = fn
        return fn
    return register


@dataclass
class Speaker:
    """Who typed, and where: a Slack user in a channel or DM, or the console."""

    user_id: str
    user_name: str | None = None
    channel_id: str | None = None
    surface: str = "slash"  # slash | dm | mention | console | form (a modal: reply ephemeral, else DM)
    initials: str | None = None  # console --as AH

    @property
    def fmt(self) -> Plain:
        return PLAIN if self.surface == "console" else MRKDWN


@dataclass
class Reply:
    """What the person who typed sees. `messages` may be several when a list is long."""

    messages: list[Message]
    plain: str = ""  # the same words for the console
    ok: bool = True
    sent_as_dm: bool = False


@dataclass
class Said:
    """A runner's answer: lines for the speaker (a title when they may run long), and the action a
    one-action reply is about (it carries that action's buttons)."""

    lines: list[str]
    title: str = ""
    action: Action | None = None


@dataclass
class Turn:
    s: Session
    actor: Person | None
    who: Speaker
    now: dt.datetime
    today: dt.date
    fmt: Plain
    calendar: WorkingCalendar
    tz: ZoneInfo
    homes: set[str] = field(default_factory=set)
    home_delay: dt.timedelta = dt.timedelta(0)
    quiet: list | None = None  # while set, the board's posts are kept here (one summary goes instead)
    may_defer: bool = True  # a long read may be owed to the sender (Turn.later) instead of done now
    later: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, about, text) for outbox.owe_later
    # the boards' channels (channel id -> board name) as the directory knew them when the line was
    # read: a channel not among them is no board's, and is not looked up (None: look it up). A
    # channel linked to a board in the milliseconds between that read and this command's
    # transaction is missed, as a board named in those milliseconds is by the parser
    board_channels: Mapping[str, str] | None = None

    # -- what the command is about ---------------------------------------------------------

    def board(self, name: str | None, *, changing: bool = True) -> Board:
        """changing=False: the board is only to be read (its roles are loaded only if asked)."""
        return boards.board_for(self.s, name, self._channel(), self.actor, roles=changing)

    def channel_board(self, *, changing: bool = True) -> Board | None:
        return boards.board_of_channel(self.s, self._channel(), roles=changing)

    def _channel(self) -> str | None:
        """The channel typed in, when it may be a board's (a general channel or a DM is not)."""
        channel = self.who.channel_id
        if channel and self.board_channels is not None and channel not in self.board_channels:
            return None
        return channel

    def action(self, target: Target, board_name: str | None, *, changing: bool = True) -> Action:
        """The action a ref means (in the named board, else the channel's, else any), if the speaker
        may see it; changing=False when it is only to be shown."""
        # the board plain: the find brings the action's board's roles itself when it is to change
        board = (boards.board_for(self.s, board_name, self._channel(), roles=False) if board_name
                 else self.channel_board(changing=False))
        action = log.find(self.s, target, board, changing=changing)
        if not log.can_see(action, self.actor):
            raise Refusal(f"{action.ref} is a Part B (private) action; only its owners, the chair and "
                          f"secretaries can see or change it.")
        return action

    def people(self, whos, board: Board | None) -> list[Person]:
        return people.resolve(self.s, whos, self.now, actor=self.actor, board=board)

    def require(self, act: Act, **kw) -> None:
        rules.require(self.actor, act, **kw)

    def due_date(self, when: When | None, board: Board) -> dt.date | None:
        """A typed due date, or the day of the board's meeting it names."""
        if when is None:
            return None
        if when.kind == "day":
            return when.day
        meeting = meetings.named(self.s, board, when, self.today).day
        if not when.before:
            return meeting
        day = self.calendar.working_days_before(meeting, 1)  # "before the next meeting": the last working day before it
        if day < self.today:
            raise Refusal(f"The working day before {board.name}'s meeting on {describe(meeting)} ({describe(day)}) "
                          f"has passed. Give a date, e.g. due {describe(self.today + dt.timedelta(days=7))}.")
        return day

    def before_note(self, when: When | None, board: Board) -> list[str]:
        """For a due date "before <meeting>": a line naming both days, so the reply says which
        meeting the date is the working day before (the due date alone would hide it)."""
        if when is None or not when.before:
            return []
        meeting = meetings.named(self.s, board, when, self.today).day
        day = self.calendar.working_days_before(meeting, 1)
        return [f"Due {describe(day)}, the working day before the meeting on {describe(meeting)}."]

    # -- what Slack is owed ------------------------------------------------------------------

    def post(self, board: Board, full: str, public: str | None = None, *, action: Action | None = None) -> None:
        """The board's channel sees the change; a post about an action carries its buttons. A Part B
        item's text goes there only when the channel is private, which the sender checks with Slack
        before posting (`public` is the version for a channel that is not). If Clerk cannot post
        there (not invited), the person who made the change is told how to invite it."""
        if self.quiet is not None:
            self.quiet.append((full, public))
            return
        if not board.channel_id:
            return
        tell = [self.actor.slack_user_id] if people.on_slack(self.actor) else None
        buttons = [action_buttons(action)] if action is not None else []
        outbox.enqueue(self.s, board.channel_id, full, self.now, blocks=one_message(full) + buttons,
                       public_text=public, public_blocks=one_message(public) + buttons if public is not None else None,
                       fallback_to=tell)

    def tell(self, person: Person, board: Board | None, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
        """DM a person; someone not on Slack is told through the board's secretaries (store.people.reach)."""
        for r in people.reach(person, board):
            said = text if r.on_behalf_of is None else \
                f"For {MRKDWN.esc(r.on_behalf_of.name)}, who is not on Slack: {text}"
            outbox.enqueue(self.s, r.user_id, said, self.now, blocks=one_message(said) + list(blocks or []))

    def defers(self) -> bool:
        """Whether a long read is better owed to the sender, to come as DMs, than done in the reply:
        not at the console (which prints it all) and not when the sender itself runs it."""
        return self.may_defer and self.who.surface != "console" and bool(self.who.user_id)

    def owe_later(self, kind: str, about: str, text: str) -> None:
        self.later.append((kind, about, text))

    def refresh(self, persons: Iterable[Person | None]) -> None:
        """Their App Homes show their work: owe each a fresh one (published by the sender)."""
        owed = [u for u in people.slack_users(p for p in persons if p is not None) if u not in self.homes]
        self.homes.update(owed)
        outbox.refresh_homes(self.s, owed, self.now, self.home_delay)


def speaking_boards(turn: Turn) -> Sequence[Board] | None:
    """The boards a list spans when no board is named or implied: the speaker's (all, for the console)."""
    if turn.actor is None or turn.actor.console:
        return None
    return people.boards_of(turn.s, turn.actor) or None
