"""Importing read rows into a board's log in one transaction: refs kept, new people listed."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.reading import BadRow, LogRow
from grammar.refs import format_ref
from grammar.who import Who
from store import numbering
from store.actions import build, numbering_year, status_label
from store.boards import board_names, find_board
from store.errors import Refusal
from store.models import OPEN, Action, ActionEvent, Board, Person
from store.people import add_members, person_by_initials, person_by_slack_id

SAY_BOARD = "/clerk board <name> chair <who> secretary <who> in Slack, or clerk board <name> at python bot.py console"

class BoardError(Refusal):
    """No board, or not the one named: says how to create or name it."""


class BadRows(Refusal):
    """Rows that cannot be read. Raised before anything is written."""

    def __init__(self, bad: Sequence[BadRow], readable: int):
        self.bad, self.readable = list(bad), readable
        super().__init__("\n".join(str(b) for b in self.bad))



@dataclass
class Imported:
    board: Board
    actions: list[Action]
    skipped: list[BadRow]
    new_people: list[Person]



# -- importing ----------------------------------------------------------------------------

def choose_board(s: Session, name: str | None) -> Board:
    """The board named, else the only one."""
    names = board_names(s)
    if name:
        board = find_board(s, name)
        if board is None:
            known = f" Boards: {', '.join(names)}." if names else ""
            how = SAY_BOARD.replace("<name>", name)
            raise BoardError(f"There is no board “{name}”.{known} To create it: {how}.")
        return board
    if len(names) == 1:
        return find_board(s, names[0])
    if not names:
        raise BoardError(f"There is no board yet. Create one first: {SAY_BOARD}; then run this again.")
    raise BoardError(f"Which board? Add --board <name> (boards: {', '.join(names)}).")


def import_log(s: Session, board: Board, rows: Sequence[LogRow], bad: Sequence[BadRow], as_of: dt.date,
               now: dt.datetime, *, skip_bad: bool = False) -> Imported:
    """Raise the rows' actions on the board, in the caller's unit of work.

    Any bad row (including a ref already on the log) stops the import before it writes,
    unless skip_bad. Rows with refs go first, so rows without one continue after the highest."""
    rows, bad = _without_duplicates(s, board, rows, bad)
    if bad and not skip_bad:
        raise BadRows(bad, len(rows))
    people = _People(s, now)
    ordered = [r for r in rows if r.number is not None] + [r for r in rows if r.number is None]
    next_number: dict[int, int] = {}  # per year: after the highest on the log and in the file
    for row in ordered:
        if row.number is not None:
            year = _ref_year(board, row)
            next_number[year] = max(next_number.get(year, 0), row.number + 1)
    asked: set[int] = set()  # years whose highest ref on the log is known
    actions = []
    for row in ordered:
        year = _ref_year(board, row)
        number = row.number
        if number is None:
            if year not in asked:
                on_log = s.scalar(select(func.max(Action.number)).where(Action.board_id == board.id,
                                                                        Action.year == year)) or 0
                next_number[year] = max(next_number.get(year, 0), on_log + 1)
                asked.add(year)
            number = next_number[year]
            next_number[year] = number + 1
        actions.append(_raise(s, board, row, year, number, as_of, now, people))
    s.flush()  # once: refs were checked above, and the unique constraint still has the last word
    for year, after in next_number.items():  # refs raised later continue after the file's
        numbering.keep_after(s, board, numbering.ACTION, year, after - 1)
    add_members(s, board, list(people.known.values()), None, now)
    actions.sort(key=lambda a: (a.year, a.number))
    return Imported(board, actions, bad, people.new)


def _ref_year(board: Board, row: LogRow) -> int:
    if board.numbering == "continuous":
        return 0
    return row.year if row.year is not None else numbering_year(board, row.raised)


def _without_duplicates(s: Session, board: Board, rows: Sequence[LogRow],
                        bad: Sequence[BadRow]) -> tuple[list[LogRow], list[BadRow]]:
    on_log = {(n, y) for n, y in s.execute(select(Action.number, Action.year).where(Action.board_id == board.id))}
    first_row: dict[tuple[int, int], int] = {}
    good, bad = [], list(bad)
    for row in rows:
        if row.number is None:
            good.append(row)
            continue
        ref = (row.number, _ref_year(board, row))
        if ref in on_log:
            bad.append(BadRow(row.row, f"{format_ref(*ref)} is already on the log"))
        elif ref in first_row:
            bad.append(BadRow(row.row, f"{format_ref(*ref)} is also on row {first_row[ref]}"))
        else:
            first_row[ref] = row.row
            good.append(row)
    return good, sorted(bad, key=lambda b: b.row)


def _raise(s: Session, board: Board, row: LogRow, year: int, number: int, as_of: dt.date, now: dt.datetime,
           people: _People) -> Action:
    owners = list(dict.fromkeys(people.get(who) for who in row.owners))
    action = build(board, year, number, row.title, owners, row.due, row.private, row.raised)
    s.add(action)
    s.add(ActionEvent(action=action, at=now, dated=row.raised, kind="raised", new=row.title))
    for day, text in row.updates:
        s.add(ActionEvent(action=action, at=now, dated=day, kind="update", text=text))
    if row.status != OPEN:
        action.status, action.closing_condition, action.closed = row.status, row.condition, row.closed
        s.add(ActionEvent(action=action, at=now, dated=row.closed or as_of, kind="status",
                          old=OPEN, new=status_label(action)))
    return action


class _People:
    """The people an import's owner cells name, looked up once each. Initials or names Clerk does
    not know become people without Slack, for the secretary to register."""

    def __init__(self, s: Session, now: dt.datetime):
        self.s, self.now = s, now
        self.known: dict[tuple[str, str], Person] = {}
        self.new: list[Person] = []

    def get(self, who: Who) -> Person:
        key = (who.kind, who.value.lower())
        if key not in self.known:
            self.known[key] = self._find_or_add(who)
        return self.known[key]

    def _find_or_add(self, who: Who) -> Person:
        s = self.s
        if who.kind == "slack":
            person = person_by_slack_id(s, who.value)
            if person is None:
                person = Person(slack_user_id=who.value, name=(who.display or who.value)[:120], created=self.now)
                s.add(person)
                s.flush()
                self.new.append(person)
            return person
        if who.kind == "initials":
            person = person_by_initials(s, who.value)
        else:
            person = s.scalars(select(Person).where(func.lower(Person.name) == who.value.lower())
                               .order_by(Person.id).limit(1)).first()
        if person is None:
            person = Person(slack_user_id=None, initials=who.value if who.kind == "initials" else None,
                            name=who.value, created=self.now)
            s.add(person)
            s.flush()
            self.new.append(person)
        return person
