"""/clerk: boards, people and settings. Every change is recorded and shown by `/clerk board <name>`
and `/clerk person <initials>`."""
from __future__ import annotations

from sqlalchemy import func, select

from grammar.commands import (
    ChangePerson,
    ChangeSettings,
    MergePeople,
    RegisterPerson,
    SetUpBoard,
    ShowBoard,
    ShowPerson,
    ShowSettings,
)
from render import people as render
from service.turn import Said, Turn, runs
from store import boards, people
from store import permissions as rules
from store.boards import RoleChange
from store.models import ActionOwner, Board, Person, PlanItemOwner
from store.permissions import Act
from store.terms import OPEN_STATES, Refusal, Who
from store.words import count


def _person(turn: Turn, initials: str) -> Person:
    person = people.person_by_initials(turn.s, initials)
    if person is None:
        raise Refusal(f"No one has the initials {initials}. " + people.REGISTER_HINT.format(initials=initials))
    return person


def _named(turn: Turn, who: Who) -> Person:
    if who.kind == "slack":
        person = people.person_by_slack_id(turn.s, who.value)
    elif who.kind == "initials":
        person = people.person_by_initials(turn.s, who.value)
    else:
        person = people.person_by_name(turn.s, who.value)
    if person is None:
        raise Refusal(f"I don't know {who}.")
    return person


def work_of(turn: Turn, person: Person) -> tuple[int, int]:
    """How many open actions and papers are the person's."""
    from store.models import Action, ForwardPlanItem

    actions = turn.s.scalar(select(func.count()).select_from(ActionOwner).join(Action).where(
        ActionOwner.person_id == person.id, Action.status.in_(OPEN_STATES)))
    papers = turn.s.scalar(select(func.count()).select_from(PlanItemOwner).join(ForwardPlanItem).where(
        PlanItemOwner.person_id == person.id))
    return actions or 0, papers or 0


# -- boards ----------------------------------------------------------------------------------

@runs(SetUpBoard)
def set_up_board(turn: Turn, cmd: SetUpBoard) -> Said:
    board = boards.find_board(turn.s, cmd.name)
    creating = board is None
    if creating:
        board = boards.create_board(turn.s, turn.actor, cmd.name, turn.now)
    made: list[str] = []
    if cmd.roles or cmd.channel:  # decided once, on the rights the speaker had when it was typed
        rules.require(turn.actor, Act.BOARD_OFFICERS, board=board)
    # every clause's people are found (and new ones registered) before any role changes, so a clause
    # that replaces the speaker as secretary does not take away their right to name the next clause's
    holders_of = [turn.people(words.people, board) for words in cmd.roles]
    for words, holders in zip(cmd.roles, holders_of, strict=True):
        made += boards.change_roles(turn.s, board, turn.actor, RoleChange(words.role, tuple(holders), words.how),
                                    turn.now, creating=creating, allowed=True)
        turn.refresh(holders)
    if cmd.channel:
        made += boards.set_channel(turn.s, board, turn.actor, cmd.channel, turn.now, allowed=True)
    fmt = turn.fmt
    head = f"Set up board {fmt.bold(fmt.esc(board.name))}." if creating else \
        f"Updated board {fmt.bold(fmt.esc(board.name))}" + (f": {fmt.esc('; '.join(made))}." if made else ": no change.")
    return Said([head] + render.board_lines(board, fmt, turn.tz))


@runs(ShowBoard)
def show_board(turn: Turn, cmd: ShowBoard) -> Said:
    turn.require(Act.READ)
    board = boards.find_board(turn.s, cmd.name)
    return Said(render.board_lines(board, turn.fmt, turn.tz, members=True)
                + render.history(people.history(turn.s, board=board), turn.fmt, name_people=True), title=board.name)


@runs(ShowSettings)
def show_settings(turn: Turn, cmd: ShowSettings) -> Said:
    turn.require(Act.READ)
    board = turn.board(cmd.board)
    return Said([f"{turn.fmt.bold(turn.fmt.esc(board.name))} settings:"] + render.board_lines(board, turn.fmt, turn.tz))


@runs(ChangeSettings)
def change_settings(turn: Turn, cmd: ChangeSettings) -> Said:
    board = turn.board(cmd.board)
    made = boards.change_settings(turn.s, board, turn.actor, dict(cmd.changes), turn.today, turn.now)
    fmt = turn.fmt
    return Said([f"{fmt.bold(fmt.esc(board.name))} settings" + (f" changed: {', '.join(made)}." if made else
                                                                 " unchanged.")]
                + render.board_lines(board, fmt, turn.tz))


# -- people ----------------------------------------------------------------------------------

def _registering_board(turn: Turn, name: str | None) -> Board | None:
    """The board someone new joins: named, the channel's, or the one the registering officer keeps."""
    if name:
        return turn.board(name)
    here = turn.channel_board()
    if here is not None or turn.actor is None:
        return here
    mine = people.officer_boards(turn.s, turn.actor) if not turn.actor.console else []
    if len(mine) == 1:
        return mine[0]
    every = list(turn.s.scalars(select(Board).limit(2)))
    return every[0] if len(every) == 1 else None


@runs(RegisterPerson)
def register(turn: Turn, cmd: RegisterPerson) -> Said:
    board = _registering_board(turn, cmd.board)
    if board is None and people.person_by_initials(turn.s, cmd.initials) is None and not (
            turn.actor is not None and turn.actor.console):
        raise Refusal(f"Which board is {cmd.initials} on? Add “board <name>”, or register them in the board's channel.",
                      "/clerk person <initials> <@user | Full Name> [board <name>]")
    done = people.register(turn.s, turn.actor, cmd.initials, slack=cmd.slack, name=cmd.full_name, board=board,
                           now=turn.now)
    person, fmt = done.person, turn.fmt
    turn.refresh([person])
    where = "on Slack" if people.on_slack(person) else "without Slack (their reminders go to the board's secretaries)"
    if done.registered:
        return Said([f"Registered {fmt.bold(person.initials)}: {fmt.esc(person.name)}, {where}"
                     + (f", on {fmt.esc(board.name)}" if board is not None else "") + "."])
    if not done.made:
        return Said([f"{fmt.bold(person.initials)} is {fmt.esc(person.name)}, {where}. Nothing changed."])
    actions, papers = work_of(turn, person)
    keeps = f" Their {count(actions, 'open action')} and {count(papers, 'paper')} stay theirs."
    return Said([f"Updated {fmt.bold(person.initials)}: {fmt.esc(person.name)}, {fmt.esc('; '.join(done.made))}."
                 + keeps])


@runs(ChangePerson)
def change_person(turn: Turn, cmd: ChangePerson) -> Said:
    person = _person(turn, cmd.initials)
    if cmd.new_initials:
        made = people.reinitial(turn.s, turn.actor, person, cmd.new_initials, turn.now)
    else:
        made = people.rename(turn.s, turn.actor, person, cmd.full_name, turn.now)
    turn.refresh([person])
    fmt = turn.fmt
    if not made:
        return Said([f"{fmt.bold(person.label)} is already {fmt.esc(person.name)}. Nothing changed."])
    return Said([f"Updated {fmt.bold(person.label)}: {fmt.esc(person.name)} ({fmt.esc('; '.join(made))}); "
                 "everything theirs stays theirs."])


@runs(ShowPerson)
def show_person(turn: Turn, cmd: ShowPerson) -> Said:
    turn.require(Act.READ)
    person = _person(turn, cmd.initials)
    actions, papers = work_of(turn, person)
    return Said(render.person_lines(person, people.boards_of(turn.s, person), actions, papers, turn.fmt)
                + render.history(people.history(turn.s, person=person), turn.fmt), title=person.label)


@runs(MergePeople)
def merge(turn: Turn, cmd: MergePeople) -> Said:
    gone, keep = _named(turn, cmd.gone), _named(turn, cmd.keep)
    label = gone.label
    moved = people.merge(turn.s, turn.actor, gone, keep, turn.now)
    turn.refresh([keep])
    fmt = turn.fmt
    return Said([f"Merged {fmt.esc(label)} into {fmt.bold(keep.label)} ({fmt.esc(keep.name)}): moved "
                 f"{fmt.esc(', '.join(moved))}."])
