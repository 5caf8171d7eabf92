"""Who may do what: one table, and one function every change asks.

Roles are relative to a board (and, for an action or a paper, to it): a *stranger* is not
registered with Clerk; someone registered who is not on the board is *another board's* member;
then *member*, *owner* (of the action or paper in question), *chair* and *secretary*. The console
without --as is the operator, who holds the database anyway and may do everything.

README.md's permission table is generated from POLICY (service.help.permission_table; the tests
check the README has it), and the table-driven permission test (tests/test_permissions.py) sends
every verb as every role through signed requests."""
from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING

from store.terms import Refusal, Role

if TYPE_CHECKING:
    from store.models import Board, Person

STRANGER, OTHER, MEMBER, OWNER, CHAIR, SECRETARY = ("stranger", "member of another board", "member", "owner",
                                                    "chair", "secretary")
ROLES = (STRANGER, OTHER, MEMBER, OWNER, CHAIR, SECRETARY)
_REGISTERED = frozenset(ROLES[1:])
_ON_BOARD = frozenset((MEMBER, OWNER, CHAIR, SECRETARY))
_OFFICERS = frozenset((CHAIR, SECRETARY))


class Act(StrEnum):
    HELP = "read help"
    READ = "read the log, plan and meetings (Part B text excepted)"
    READ_PART_B = "read a Part B item's text"
    RAISE = "raise an action"
    CHANGE_ACTION = "update, close, snooze or re-date an action"
    OFFICER_ACTION = "reopen, reassign or confirm the closure of an action"
    PLAN_ADD = "add to the forward plan"
    PLAN_CHANGE = "move, drop or receive a paper"
    MEETINGS = "add, confirm, cancel or move meetings"
    REGISTER = "register a new person"
    CHANGE_PERSON = "change someone's initials, name or Slack link"
    MERGE = "merge two records of one person"
    CREATE_BOARD = "set up a new board"
    BOARD_OFFICERS = "name or remove a board's chair, secretaries, members or channel"
    SETTINGS = "change a board's settings"


POLICY: dict[Act, frozenset[str]] = {
    Act.HELP: frozenset(ROLES),
    Act.READ: _REGISTERED,
    Act.READ_PART_B: frozenset((OWNER, CHAIR, SECRETARY)),
    Act.RAISE: _ON_BOARD,
    Act.CHANGE_ACTION: frozenset((OWNER, CHAIR, SECRETARY)),
    Act.OFFICER_ACTION: _OFFICERS,
    Act.PLAN_ADD: _OFFICERS,
    Act.PLAN_CHANGE: frozenset((OWNER, CHAIR, SECRETARY)),
    Act.MEETINGS: _OFFICERS,
    Act.REGISTER: _OFFICERS,
    Act.CHANGE_PERSON: _OFFICERS,  # of a board the person is on; anyone may rename themselves
    Act.MERGE: frozenset((SECRETARY,)),
    Act.CREATE_BOARD: _OFFICERS,  # of any board; the very first board, anyone (who becomes its secretary)
    Act.BOARD_OFFICERS: _OFFICERS,
    Act.SETTINGS: frozenset((SECRETARY,)),
}
NOTES = {
    Act.CHANGE_ACTION: "on a board whose closure rule is chair-confirms, an owner's close proposes closure",
    Act.CHANGE_PERSON: "chair or secretary of every board the person is on; anyone may rename themselves; "
                       "nobody changes their own role",
    Act.MERGE: "a secretary of every board each record is on",
    Act.CREATE_BOARD: "chair or secretary of any board; the first board of a workspace, anyone",
    Act.BOARD_OFFICERS: "a board always keeps one secretary; nobody changes their own role",
}


def roles(person: Person | None, board: Board | None = None, *, owners: Iterable[Person] = ()) -> set[str]:
    """The actor's roles for this act: on the board, and as an owner of the action or paper."""
    if person is None:
        return {STRANGER}
    found = {OTHER}
    if board is not None:
        held = {r.role for r in board.roles if r.person_id == person.id}
        if held:
            found.add(MEMBER)
        if Role.CHAIR in held:
            found.add(CHAIR)
        if Role.SECRETARY in held:
            found.add(SECRETARY)
    if any(o.id == person.id for o in owners):
        found |= {OWNER, MEMBER}
    return found


def allowed(person: Person | None, act: Act, *, board: Board | None = None, owners: Iterable[Person] = (),
            boards: Iterable[Board] | None = None, every: bool = False) -> bool:
    """`boards`: for acts that are not about one board (a person, a new board), the boards whose
    role counts: any of them will do, or with `every` each of them must give it (a person's record
    carries their roles on every board they are on, so changing it needs authority on each)."""
    if person is not None and person.console:
        return True
    need = POLICY[act]
    if boards is not None:
        boards = list(boards)
        held = (bool(roles(person, b) & need) for b in boards)
        return (all(held) and bool(boards)) if every else any(held)
    return bool(roles(person, board, owners=owners) & need)


def require(person: Person | None, act: Act, *, board: Board | None = None, owners: Iterable[Person] = (),
            boards: Iterable[Board] | None = None, subject: str | None = None, doing: str | None = None,
            first_board: bool = False, every: bool = False) -> None:
    """Refuse, naming who may, unless the person may do `act`. `doing` words the refusal
    ("close it", "reopen 1/18"); `subject` is the action or paper it is about ("1/18")."""
    if act is Act.CREATE_BOARD and first_board:
        return
    boards = list(boards) if boards is not None else None
    if allowed(person, act, board=board, owners=owners, boards=boards, every=every):
        return
    if every and boards and person is not None:  # name the boards where the authority is missing
        lacking = [b.name for b in boards if not roles(person, b) & POLICY[act]]
        raise Refusal(refusal(person, act, subject=subject, doing=doing) + f" You are not one on {', '.join(lacking)}.")
    raise Refusal(refusal(person, act, board=board, subject=subject, doing=doing))


def refusal(person: Person | None, act: Act, *, board: Board | None = None, subject: str | None = None,
            doing: str | None = None) -> str:
    if person is None:
        return ("You're not registered with Clerk yet, so you can read help and nothing else. Ask a board's "
                "secretary to register you: /clerk person <your initials> @you")
    of = f" of {board.name}" if board is not None else ""
    owners = f"{subject}'s owners" if subject else "its owners"
    who = {
        Act.READ: "people registered with Clerk",
        Act.READ_PART_B: f"its owners, the chair or a secretary{of}",
        Act.RAISE: f"members of {board.name}" if board is not None else "a board's members",
        Act.CHANGE_ACTION: f"{owners}, the chair or a secretary",
        Act.PLAN_CHANGE: f"{owners}, the chair or a secretary{of}",
        Act.MERGE: "a secretary of every board each record is on",
        Act.SETTINGS: f"a secretary{of}",
        Act.CHANGE_PERSON: "the chair or a secretary of every board they are on",
        Act.CREATE_BOARD: "a chair or secretary of a board",
    }.get(act, f"the chair or a secretary{of}" if of else "a board's chair or secretaries")
    doing = doing or {
        Act.READ: "read the log", Act.READ_PART_B: "see or change it",
        Act.RAISE: f"raise actions on {board.name}'s log" if board is not None else "raise actions",
        Act.CHANGE_ACTION: "change it", Act.OFFICER_ACTION: f"do that to {subject}" if subject else "do that",
        Act.PLAN_CHANGE: "change it", Act.PLAN_ADD: "add to the forward plan",
        Act.MEETINGS: "add, confirm, cancel or move its meetings", Act.REGISTER: "register people",
        Act.CHANGE_PERSON: "change someone's initials, name or Slack link", Act.MERGE: "merge two records",
        Act.CREATE_BOARD: "set up another board", Act.BOARD_OFFICERS: "change who holds its roles",
        Act.SETTINGS: "change its settings", Act.HELP: "read help",
    }[act]
    message = f"Only {who} can {doing}."
    if act is Act.RAISE and board is not None:
        message += f" A chair or secretary adds you: /clerk board {board.name} member + {person.label}"
    return message
