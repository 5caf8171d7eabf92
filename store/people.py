"""Boards, people and who may do what on a board."""
from __future__ import annotations

import datetime as dt
import difflib
from typing import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grammar.who import Who
from store.errors import Refusal
from store.models import Board, BoardRole, Person

CHAIR, SECRETARY = "chair", "secretary"
CONSOLE_USER = "UCONSOLE"  # who types at `python bot.py console`: a person, but not on Slack
REGISTER_HINT = "Register them with /clerk person {initials} @their-slack-name (or their full name, if they are not on Slack)."


def person_by_slack_id(s: Session, user_id: str) -> Person | None:
    return s.scalar(select(Person).where(Person.slack_user_id == user_id))


def person_for_slack_user(s: Session, user_id: str, name: str | None, now: dt.datetime) -> Person:
    """The Person behind a Slack user, created on first contact."""
    person = person_by_slack_id(s, user_id)
    if person is None:
        person = Person(slack_user_id=user_id, name=name or user_id, created=now)
        s.add(person)
        s.flush()
    return person


def person_by_initials(s: Session, initials: str) -> Person | None:
    return s.scalar(select(Person).where(Person.initials == initials.upper()))


def resolve(s: Session, whos: Sequence[Who], now: dt.datetime) -> list[Person]:
    """People for an owner list. Unknown initials or names are refused, with how to register."""
    people, unknown = [], []
    for who in whos:
        if who.kind == "slack":
            people.append(person_for_slack_user(s, who.value, who.display or None, now))
        elif who.kind == "initials":
            person = person_by_initials(s, who.value)
            people.append(person) if person else unknown.append(who.value)
        else:
            person = s.scalar(select(Person).where(func.lower(Person.name) == who.value.lower()))
            people.append(person) if person else unknown.append(who.value)
    if unknown:
        first = unknown[0]
        initials = first if first.isupper() and " " not in first else "XX"
        names = " and ".join(unknown)
        raise Refusal(f"I don't know {names}. " + REGISTER_HINT.format(initials=initials))
    unique: list[Person] = []
    for p in people:
        if p not in unique:
            unique.append(p)
    return unique


def register(s: Session, actor: Person, initials: str, who: Who | None, name: str | None,
             now: dt.datetime) -> tuple[Person, str]:
    """`/clerk person AH @anna` or `/clerk person GN Gareth Nicholson`: returns (person, what happened)."""
    initials = initials.upper()
    existing = person_by_initials(s, initials)
    target = None
    if who is not None:
        target = s.scalar(select(Person).where(Person.slack_user_id == who.value))
    elif existing is not None and existing.slack_user_id is None:
        target = existing
    elif name:  # someone an import knew only by name gets their initials, not a twin
        target = s.scalar(select(Person).where(func.lower(Person.name) == name.lower(), Person.initials.is_(None),
                                               Person.slack_user_id.is_(None)))
    if existing is not None and existing is not target:
        if not is_officer_anywhere(s, actor) and existing.id != actor.id:
            raise Refusal(f"{initials} is already {existing.name}. Only a chair or secretary can "
                          f"give those initials to someone else.")
        if target is None and who is None:
            target = existing
    if target is None:
        target = Person(slack_user_id=who.value if who else None,
                        name=name or (who.display if who and who.display else initials), created=now)
        s.add(target)
    if existing is not None and existing is not target:
        existing.initials = None
        s.flush()
    was_new = target.id is None
    target.initials = initials
    if name:
        target.name = name
    elif who is not None and who.display and target.name in (who.value, initials):
        target.name = who.display
    s.flush()
    return target, "registered" if was_new else "updated"


def roles_of(board: Board, person: Person) -> set[str]:
    return {r.role for r in board.roles if r.person_id == person.id}


def is_officer(board: Board, person: Person) -> bool:
    return bool(roles_of(board, person) & {CHAIR, SECRETARY})


def is_officer_anywhere(s: Session, person: Person) -> bool:
    return s.scalar(select(func.count()).select_from(BoardRole).where(BoardRole.person_id == person.id)) > 0


def chair_of(board: Board) -> Person | None:
    return next((r.person for r in board.roles if r.role == CHAIR), None)


def secretaries_of(board: Board) -> list[Person]:
    return [r.person for r in board.roles if r.role == SECRETARY]


def on_slack(person: Person | None) -> bool:
    return person is not None and bool(person.slack_user_id) and person.slack_user_id != CONSOLE_USER


def reachable_through(person: Person, board: Board) -> list[str]:
    """Slack users to send a person's messages to: themselves, or if not on Slack the board's secretaries."""
    if on_slack(person):
        return [person.slack_user_id]
    return [p.slack_user_id for p in secretaries_of(board) if on_slack(p)]


def board_names(s: Session) -> list[str]:
    return list(s.scalars(select(Board.name).order_by(Board.name)))


def find_board(s: Session, name: str) -> Board | None:
    return s.scalar(select(Board).where(Board.key == name.strip().lower()))


def board_for(s: Session, name: str | None, channel_id: str | None) -> Board:
    """The board a command is about: named, else the channel's, else the only one."""
    if name:
        board = find_board(s, name)
        if board is None:
            names = board_names(s)
            near = difflib.get_close_matches(name, names, n=1)
            raise Refusal(f"There is no board “{name}”." + (f" Did you mean {near[0]}?" if near else "")
                          + (f" Boards: {', '.join(names)}." if names else ""))
        return board
    if channel_id:
        board = s.scalar(select(Board).where(Board.channel_id == channel_id))
        if board is not None:
            return board
    boards = list(s.scalars(select(Board).order_by(Board.name).limit(20)))
    if len(boards) == 1:
        return boards[0]
    if not boards:
        raise Refusal("There is no board yet. Set one up first:\n"
                      "/clerk board P&R chair JG secretary GA channel #pr-board", "/clerk board <name> [chair <who>] [secretary <who>] [channel #c]")
    raise Refusal(f"Which board? Add “board <name>” (boards: {', '.join(b.name for b in boards)}), "
                  "or type the command in the board's channel.")


def setup_board(s: Session, actor: Person, name: str, chair: list[Person] | None,
                secretaries: list[Person] | None, channel: str | None, now: dt.datetime) -> tuple[Board, bool]:
    """Create a board, or change its chair, secretaries or channel. Returns (board, created)."""
    board = find_board(s, name)
    created = board is None
    if created:
        board = Board(name=name.strip(), key=name.strip().lower(), created=now)
        s.add(board)
        s.flush()
        if not secretaries:
            secretaries = [actor]  # whoever sets a board up keeps it until they name its secretary
    elif board.roles and not is_officer(board, actor):
        raise Refusal(f"Only the chair or a secretary of {board.name} can change it.")
    if channel:
        other = s.scalar(select(Board).where(Board.channel_id == channel, Board.id != board.id))
        if other is not None:
            raise Refusal(f"That channel is already {other.name}'s. Each board has its own channel.")
        board.channel_id = channel
    if chair is not None:
        board.roles[:] = [r for r in board.roles if r.role != CHAIR]
        board.roles.extend(BoardRole(person=p, role=CHAIR) for p in chair)
    if secretaries is not None:
        board.roles[:] = [r for r in board.roles if r.role != SECRETARY]
        board.roles.extend(BoardRole(person=p, role=SECRETARY) for p in secretaries)
    s.flush()
    return board, created


def change_settings(board: Board, actor: Person, settings: dict[str, str]) -> None:
    if SECRETARY not in roles_of(board, actor):
        raise Refusal(f"Only a secretary of {board.name} can change its settings.")
    if "closure" in settings:
        board.closure_rule = settings["closure"]
    if "numbering" in settings:
        board.numbering = settings["numbering"]
    if "paper-deadline" in settings:
        board.paper_deadline_days = int(settings["paper-deadline"])
    if "publication" in settings:
        board.publication_days = int(settings["publication"])
    if "reminders" in settings:
        board.reminder_days = ",".join(str(int(d)) for d in settings["reminders"].split(","))
    if "timezone" in settings:
        board.timezone = settings["timezone"]
    if "digest-day" in settings:
        board.digest_day = settings["digest-day"]
