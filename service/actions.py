"""/action: one store call each, rendered; the board's channel and the owners' App Homes are told."""
from __future__ import annotations

import datetime as dt

from grammar.commands import (
    Assign,
    CloseAction,
    ConfirmClosure,
    Digest,
    ListActions,
    NewAction,
    ReadMinutes,
    ReopenAction,
    SetDue,
    ShowAction,
    Snooze,
    UpdateAction,
)
from render import actions as render
from render.fmt import MRKDWN
from service.turn import Said, Turn, runs, speaking_boards
from store import actions as log
from store import people
from store.actions import Change
from store.models import Board
from store.permissions import Act
from store.terms import Refusal

WEEK = dt.timedelta(days=7)


def post_change(turn: Turn, change: Change) -> None:
    action = change.action
    turn.post(action.board, render.change_post(change, turn.actor, MRKDWN, turn.today),
              render.change_post(change, turn.actor, MRKDWN, turn.today, visible=False)
              if action.private else None, action=action)


def _done(turn: Turn, change: Change, owners_before=()) -> Said:
    action = change.action
    turn.refresh(list(action.owners) + [turn.actor] + list(owners_before))
    post_change(turn, change)
    return Said([f"Done: {render.change_post(change, turn.actor, turn.fmt, turn.today)}",
                 render.line(action, turn.fmt, turn.today)], action=action)


@runs(NewAction)
def new(turn: Turn, cmd: NewAction) -> Said:
    board = turn.board(cmd.board)
    turn.require(Act.RAISE, board=board)
    owners = turn.people(cmd.owners, board) if cmd.owners else [turn.actor]
    due = turn.due_date(cmd.due, board)
    title = _not_twice(turn, board, cmd.title, owners) if cmd.numbered is None else cmd.title
    change = log.raise_action(turn.s, board, turn.actor, title, owners, due, cmd.private, turn.now, turn.today,
                              source=cmd.source, numbered=cmd.numbered)
    action, fmt = change.action, turn.fmt
    turn.refresh(owners + [turn.actor])
    post_change(turn, change)
    if not log.can_see(action, turn.actor):  # raised for others as Part B: its text is theirs now
        return Said([f"Raised {fmt.bold(action.ref)} on {fmt.esc(board.name)}'s log as Part B (private), for "
                     f"{fmt.esc(render.who(action.owners))}; only they, the chair and secretaries see its text."])
    lines = [f"Raised {fmt.bold(action.ref)} on {fmt.esc(board.name)}'s log: {fmt.esc(action.title)}",
             f"Owners: {fmt.esc(render.who(action.owners))} · {render.due_text(action, turn.today)}"
             + (" · Part B (private)" if action.private else "")]
    lines += turn.before_note(cmd.due, board)
    if not cmd.owners:
        lines.append(f"No owner was named, so it is yours; /action assign {action.ref} <who> gives it to someone else.")
    return Said(lines, action=action)


def _not_twice(turn: Turn, board: Board, title: str, owners) -> str:
    """An action the same as an open one (title, board and owners) is asked about before it is
    raised: the same words again with “again” at the end raise it."""
    stem = title[:-len(AGAIN)].rstrip(" ,;:–—-") if title.lower().endswith(AGAIN) else None
    if stem and log.open_twin(turn.s, board, stem, owners) is not None:
        return stem
    twin = log.open_twin(turn.s, board, title, owners)
    if twin is None:
        return title
    raise Refusal(f"{twin.ref} is already open on {board.name}'s log with that title and "
                  f"{'owner' if len(owners) == 1 else 'owners'} ({render.who(twin.owners)}, "
                  f"{render.due_text(twin, turn.today)}). Nothing was raised. To raise a second one anyway, send the "
                  f"same command with “again” at the end; to add to {twin.ref}: /action update {twin.ref} <text>")


AGAIN = " again"


@runs(UpdateAction)
def update(turn: Turn, cmd: UpdateAction) -> Said:
    action = turn.action(cmd.target, cmd.board)
    return _done(turn, log.add_update(turn.s, action, turn.actor, cmd.text, turn.now, turn.today))


@runs(CloseAction)
def close(turn: Turn, cmd: CloseAction) -> Said:
    action = turn.action(cmd.target, cmd.board)
    return _done(turn, log.close(turn.s, action, turn.actor, cmd.note, turn.now, turn.today, condition=cmd.condition))


@runs(ConfirmClosure)
def confirm(turn: Turn, cmd: ConfirmClosure) -> Said:
    action = turn.action(cmd.target, cmd.board)
    return _done(turn, log.confirm(turn.s, action, turn.actor, turn.now, turn.today))


@runs(ReopenAction)
def reopen(turn: Turn, cmd: ReopenAction) -> Said:
    action = turn.action(cmd.target, cmd.board)
    return _done(turn, log.reopen(turn.s, action, turn.actor, cmd.note, turn.now, turn.today))


@runs(SetDue)
def due(turn: Turn, cmd: SetDue) -> Said:
    action = turn.action(cmd.target, cmd.board)
    day = turn.due_date(cmd.due, action.board)
    said = _done(turn, log.set_due(turn.s, action, turn.actor, day, turn.now, turn.today))
    said.lines[1:1] = turn.before_note(cmd.due, action.board)
    return said


@runs(Snooze)
def snooze(turn: Turn, cmd: Snooze) -> Said:
    """The owner's own business, not the board's: no post."""
    action = turn.action(cmd.target, cmd.board)
    until = turn.due_date(cmd.until, action.board) if cmd.until else turn.today + WEEK
    change = log.snooze(turn.s, action, turn.actor, until, turn.now, turn.today)
    return Said([f"Done: {render.change_post(change, turn.actor, turn.fmt, turn.today)}"], action=action)


@runs(Assign)
def assign(turn: Turn, cmd: Assign) -> Said:
    action = turn.action(cmd.target, cmd.board)
    before = list(action.owners)  # owners before the change (an assign may remove them)
    owners = turn.people(cmd.owners, action.board)
    return _done(turn, log.assign(turn.s, action, turn.actor, owners, cmd.add, turn.now, turn.today), before)


@runs(ShowAction)
def show(turn: Turn, cmd: ShowAction) -> Said:
    turn.require(Act.READ)
    action = turn.action(cmd.target, cmd.board, changing=False)
    return Said(render.detail(action, log.history(turn.s, action), turn.fmt, turn.today),
                title=f"{action.ref} {action.title}", action=action)


TITLES = {"open": "Open actions", "mine": "Your open actions", "overdue": "Overdue actions",
          "closed": "Closed actions", "all": "All actions"}


@runs(ListActions)
def listing(turn: Turn, cmd: ListActions) -> Said:
    """A list spans the speaker's boards unless a board is named or the channel is a board's; its
    lines name their board whenever it spans more than one."""
    turn.require(Act.READ)
    board = turn.board(cmd.board, changing=False) if cmd.board else turn.channel_board(changing=False)
    spans = None if board is not None or cmd.which in ("mine", "who") else speaking_boards(turn)
    whom = turn.people(cmd.who, board) if cmd.who else []
    actions = log.listed(turn.s, log.query(board, cmd.which, person=turn.actor, people=whom, today=turn.today,
                                           boards=spans))
    title = (TITLES[cmd.which] if cmd.which != "who" else f"Open actions of {render.who(whom)}") + where(board, spans)
    many = board is None and (len({a.board_id for a in actions}) > 1 or bool(spans and len(spans) > 1))
    return Said(render.listing(turn.fmt.esc(title), actions, turn.fmt, turn.today,
                               lambda a: log.can_see(a, turn.actor), with_board=many), title=title)


def where(board: Board | None, spans) -> str:
    if board is not None:
        return f" on {board.name}"
    if spans:
        return f" on {', '.join(b.name for b in spans)}" if len(spans) <= 3 else " on your boards"
    return ""


DIGEST_IN_REPLY = 40  # open actions: a board with more gets its digest as DMs, put together by the sender


@runs(Digest)
def digest(turn: Turn, cmd: Digest) -> Said:
    turn.require(Act.READ)
    board = turn.board(cmd.board, changing=False)
    if turn.defers() and log.open_beyond(turn.s, board, DIGEST_IN_REPLY):
        turn.owe_later("digest", str(board.id), f"Digest of {board.name}'s open actions")
        return Said([f"{turn.fmt.esc(board.name)} has more than {DIGEST_IN_REPLY} open actions, so its digest is on "
                     "its way to you as direct messages."])
    actions = log.listed(turn.s, log.query(board, "open", today=turn.today))
    return Said(render.digest(board.name, actions, turn.fmt, turn.today, lambda a: log.can_see(a, turn.actor)),
                title=f"Digest of {board.name}'s open actions")


@runs(ReadMinutes)
def minutes(turn: Turn, cmd: ReadMinutes) -> Said:
    board = turn.board(cmd.board) if cmd.board else None
    turn.require(Act.OFFICER_ACTION, **({"board": board} if board else {"boards": people.boards_of(turn.s, turn.actor)}),
                 doing="read minutes into a board's log")
    return Said(["Paste the minutes into the form that /action minutes opens in Slack, or at a terminal: "
                 "python bot.py import minutes FILE --board <name>."])
