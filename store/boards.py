"""Boards: which board a command means, setting one up, who holds its roles, its channel and its
settings. Every change is recorded (store.people.record) and checked (store.permissions)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, joinedload

from store import names
from store import permissions as rules
from store.models import Board, BoardRole, Person
from store.nearest import nearest
from store.people import CHAIR, MEMBER, SECRETARY, boards_of, chair_of, record, roles_of, secretaries_of
from store.permissions import Act
from store.terms import Refusal

MAX_BOARD_NAME = 80


# -- boards --------------------------------------------------------------------------------

def board_names(s: Session) -> list[str]:
    return list(s.scalars(select(Board.name).order_by(Board.name)))


def board_key(name: str) -> str:
    """How a board's name is looked up: lookalikes of one name have one key (store.names)."""
    return names.loose(name)


# The board a command is to change comes with its roles, which the rules then read: one statement,
# where loading them when first read would be a second. Built once (most commands ask one of
# these), with the roles and without, for a board that is only to be read.
_BOARD = {False: select(Board), True: select(Board).options(joinedload(Board.roles))}  # with roles?
_NAMED = {roles: q.where(Board.key == bindparam("key")) for roles, q in _BOARD.items()}
_OF_CHANNEL = {roles: q.where(Board.channel_id == bindparam("channel")) for roles, q in _BOARD.items()}
_FIRST_BOARDS = {roles: q.order_by(Board.name).limit(20) for roles, q in _BOARD.items()}


def find_board(s: Session, name: str, *, roles: bool = True) -> Board | None:
    board = s.scalars(_NAMED[roles], {"key": board_key(name)}).unique().one_or_none()
    if board is None:  # a board whose key was made before names were compared as people mean them
        found = names.find(name, board_names(s))
        if found is not None:
            board = s.scalars(_BOARD[roles].where(Board.name == found)).unique().one_or_none()
    return board


def board_of_channel(s: Session, channel_id: str | None, *, roles: bool = True) -> Board | None:
    if not channel_id:
        return None
    found = s.scalars(_OF_CHANNEL[roles], {"channel": channel_id}).unique().all()  # linking keeps a channel one board's
    return found[0] if found else None


def board_for(s: Session, name: str | None, channel_id: str | None, person: Person | None = None, *,
              roles: bool = True) -> Board:
    """The board a command is about: named, else the channel's, else the only one (or the only one
    the person is on). roles=False: only to be read, so its roles are loaded only if asked."""
    if name:
        board = find_board(s, name, roles=roles)
        if board is None:
            known = board_names(s)
            near = nearest(name, known, n=1, key=names.loose)
            raise Refusal(f"There is no board “{name}”." + (f" Did you mean {near[0]}?" if near else "")
                          + (f" Boards: {', '.join(known)}." if known else ""))
        return board
    board = board_of_channel(s, channel_id, roles=roles)
    if board is not None:
        return board
    boards = list(s.scalars(_FIRST_BOARDS[roles]).unique())
    if len(boards) == 1:
        return boards[0]
    if not boards:
        raise Refusal("There is no board yet. Set one up first:\n"
                      "/clerk board P&R chair JG secretary GA channel #pr-board",
                      "/clerk board <name> [chair <who>] [secretary <who>] [channel #c]")
    if person is not None:
        mine = boards_of(s, person)
        if len(mine) == 1:
            return mine[0]
    raise Refusal(f"Which board? Add “board <name>” (boards: {', '.join(b.name for b in boards)}), "
                  "or type the command in the board's channel.")


def check_board_name(name: str) -> str:
    name = " ".join(names.visible(name).split()).strip('"“”')
    if not names.loose(name):
        raise Refusal("Which board? Give its name first.")
    if len(name) > MAX_BOARD_NAME or len(board_key(name)) > MAX_BOARD_NAME:
        raise Refusal(f"A board name is at most {MAX_BOARD_NAME} characters.")
    return name


@dataclass(frozen=True)
class RoleChange:
    """chair <who>, secretary + <who>, members - <who>: replace, add or remove people in a role."""

    role: str
    people: tuple[Person, ...]
    how: str = "="  # "=" replace | "+" add | "-" remove


def create_board(s: Session, actor: Person, name: str, now: dt.datetime) -> Board:
    """A new board; whoever sets it up is its secretary until they name others."""
    rules.require(actor, Act.CREATE_BOARD, boards=boards_of(s, actor),
                  first_board=s.scalar(select(func.count()).select_from(Board)) == 0)
    name = check_board_name(name)
    board = Board(name=name, key=board_key(name), created=now)
    s.add(board)
    s.flush()
    record(s, now, actor, "board", board=board, new=name)
    if not actor.console:
        board.roles.append(BoardRole(person=actor, role=SECRETARY))
        record(s, now, actor, "role+", person=actor, board=board, new=SECRETARY)
    return board


def change_roles(s: Session, board: Board, actor: Person, change: RoleChange, now: dt.datetime,
                 *, creating: bool = False, allowed: bool = False) -> list[str]:
    """Give or take a role. A board has one chair and always at least one secretary; nobody changes
    their own role (another officer does), except in setting up a board they are making.
    allowed=True: the caller asked the rules once, on the rights the speaker had when the command
    was typed (a command naming a new secretary and a channel is not refused half-way)."""
    if not allowed:
        rules.require(actor, Act.BOARD_OFFICERS, board=board)
    holders = [r.person for r in board.roles if r.role == change.role]
    if change.how == "=":
        new = list(change.people)
    elif change.how == "+":
        new = holders + [p for p in change.people if p not in holders]
    else:
        missing = [p for p in change.people if p not in holders]
        if missing:
            raise Refusal(f"{', '.join(p.label for p in missing)} {'is' if len(missing) == 1 else 'are'} not "
                          f"{_role_words(change.role, len(missing) != 1)} of {board.name}.")
        new = [p for p in holders if p not in change.people]
    if change.role == CHAIR and len(new) > 1:
        raise Refusal(f"A board has one chair. To change {board.name}'s: /clerk board {board.name} chair <who>")
    if change.role == SECRETARY and not new:
        raise Refusal(f"{board.name} must keep at least one secretary. Name the new one first: "
                      f"/clerk board {board.name} secretary + <who>; then the old one can be removed.")
    added = [p for p in new if p not in holders]
    removed = [p for p in holders if p not in new]
    if not creating and actor in added + removed and not actor.console:
        raise Refusal(f"You can't change your own role on {board.name}. Ask "
                      + ("another secretary or the chair." if len(secretaries_of(board)) > 1 or chair_of(board)
                         else "someone else to be made secretary first, then ask them."))
    made = []
    for person in removed:
        for r in [r for r in board.roles if r.person_id == person.id and r.role == change.role]:
            board.roles.remove(r)
        record(s, now, actor, "role-", person=person, board=board, old=change.role)
        if not roles_of(board, person):  # still on the board
            board.roles.append(BoardRole(person=person, role=MEMBER))
        made.append(f"{person.label} is no longer {_role_words(change.role)}")
    for person in added:
        board.roles.append(BoardRole(person=person, role=change.role))
        record(s, now, actor, "role+", person=person, board=board, new=change.role)
        if change.role != MEMBER:
            for r in [r for r in board.roles if r.person_id == person.id and r.role == MEMBER]:
                board.roles.remove(r)
        made.append(f"{person.label} is now {_role_words(change.role)}")
    s.flush()
    return made


def _role_words(role: str, plural: bool = False) -> str:
    article = "" if plural else ("the " if role == CHAIR else "a ")
    return f"{article}{role}{'s' * plural}"


def set_channel(s: Session, board: Board, actor: Person, channel: str, now: dt.datetime,
                *, allowed: bool = False) -> list[str]:
    if not allowed:
        rules.require(actor, Act.BOARD_OFFICERS, board=board)
    other = s.scalar(select(Board).where(Board.channel_id == channel, Board.id != board.id))
    if other is not None:
        raise Refusal(f"That channel is already {other.name}'s. Each board has its own channel.")
    if board.channel_id == channel:
        return []
    old, board.channel_id = board.channel_id, channel
    record(s, now, actor, "channel", board=board, old=_channel_words(old) if old else None, new=_channel_words(channel))
    return ["channel set"]


SETTING_COLUMNS = {"closure": "closure_rule", "numbering": "numbering", "paper-deadline": "paper_deadline_days",
                   "publication": "publication_days", "reminders": "reminder_days", "timezone": "timezone",
                   "digest-day": "digest_day"}


NUMBER_SETTINGS = ("paper-deadline", "publication")


def _setting_value(name: str, value: str) -> str:
    """A setting's value as stored: reminder days largest first, without repeats (`1, 7` -> 7,1)."""
    if name != "reminders":
        return value
    days = sorted({int(d) for d in value.replace(" ", "").split(",") if d}, reverse=True)
    return ",".join(str(d) for d in days)


def _contradiction(values: dict[str, str]) -> str | None:
    """Settings that cannot all hold: papers due after the pack is published."""
    deadline, publication = int(values["paper-deadline"] or 10), int(values["publication"] or 5)
    if deadline <= publication:
        return (f"Papers would be due after the pack is published: paper-deadline {deadline} working days "
                f"before the meeting, publication {publication} clear working days before. Give a paper-deadline "
                f"greater than publication, e.g. /clerk settings paper-deadline {publication + 5} "
                f"publication {publication}.")
    return None


def setting(board: Board, name: str) -> str:
    value = getattr(board, SETTING_COLUMNS[name])
    return "" if value is None else str(value)


def change_settings(s: Session, board: Board, actor: Person, settings: dict[str, str], today: dt.date,
                    now: dt.datetime) -> list[str]:
    """Change a board's settings (values already read by the grammar). Switching the numbering
    continues after the board's highest number, so every ref the board has stays typeable."""
    rules.require(actor, Act.SETTINGS, board=board)
    settings = {name: _setting_value(name, value) for name, value in settings.items()}
    contradiction = _contradiction({**{n: setting(board, n) for n in SETTING_COLUMNS}, **settings})
    if contradiction:
        raise Refusal(contradiction)
    made = []
    for name, new in settings.items():
        old = setting(board, name)
        if old == new:
            continue
        column = SETTING_COLUMNS[name]
        setattr(board, column, int(new) if name in NUMBER_SETTINGS else new)
        record(s, now, actor, "setting", board=board, old=f"{name} {old or 'none'}", new=f"{name} {new}")
        made.append(f"{name} {new}")
        if name == "numbering":
            from store.numbering import continue_after_highest

            continue_after_highest(s, board, today)
    return made


def _channel_words(channel: str) -> str:
    """A channel as the record of changes shows it: <#C0123>, or #name as the console kept it."""
    return channel if channel.startswith("#") else f"<#{channel}>"
