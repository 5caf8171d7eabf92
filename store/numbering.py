"""Numbering: the next ref of a board, allocated under a lock so concurrent raises never collide.

A counter row per (board, kind, year) is moved by one UPDATE ... RETURNING, which holds the row's
lock to the commit on PostgreSQL (taken FOR UPDATE where it is first made or read to be moved by
the ORM; SQLite's writers are serialised by its one write lock). A counter starts after the
highest number already on the log, so imported refs are kept and new ones continue after them."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.models import Action, Board, ForwardPlanItem, RefCounter
from store.terms import Numbering

ACTION, PAPER = "action", "paper"


def numbering_year(board: Board, day: dt.date) -> int:
    """The year an action raised on `day` is numbered in (the /18 of 74/18); 0 when continuous."""
    if board.numbering == Numbering.CONTINUOUS:
        return 0
    if board.numbering == Numbering.MUNICIPAL_YEAR:
        return day.year if day.month >= 4 else day.year - 1
    return day.year


def _highest(s: Session, board: Board, kind: str, year: int | None) -> int:
    if kind == PAPER:
        return s.scalar(select(func.max(ForwardPlanItem.number)).where(ForwardPlanItem.board_id == board.id)) or 0
    q = select(func.max(Action.number)).where(Action.board_id == board.id).execution_options(see_unfinished_imports=True)
    return s.scalar(q if year is None else q.where(Action.year == year)) or 0


def _counter(s: Session, board: Board, kind: str, year: int) -> RefCounter:
    q = (select(RefCounter).where(RefCounter.board_id == board.id, RefCounter.kind == kind, RefCounter.year == year)
         .execution_options(populate_existing=True))  # next_number moves the row without the ORM
    locking = q.with_for_update() if s.get_bind().dialect.name == "postgresql" else q
    row = s.scalar(locking)
    if row is not None:
        return row
    try:
        with s.begin_nested():
            row = RefCounter(board_id=board.id, kind=kind, year=year, last=_highest(s, board, kind, year))
            s.add(row)
            s.flush()
        return row
    except IntegrityError:  # another transaction made it first: wait for it, then take it
        return s.scalar(locking)  # populate_existing, as every read of a counter


_COUNTERS = RefCounter.__table__
_NEXT = (update(_COUNTERS).values(last=_COUNTERS.c.last + 1).returning(_COUNTERS.c.last)
         .where(_COUNTERS.c.board_id == bindparam("b_board"), _COUNTERS.c.kind == bindparam("b_kind"),
                _COUNTERS.c.year == bindparam("b_year")))


def next_number(s: Session, board: Board, kind: str = ACTION, year: int = 0) -> int:
    """The board's next number: one UPDATE ... RETURNING of its counter, which holds the row's lock
    (on PostgreSQL) to the end of the transaction, as FOR UPDATE did. The year's first number makes
    the counter."""
    moved = s.connection().execute(_NEXT, {"b_board": board.id, "b_kind": kind, "b_year": year}).scalar()
    if moved is not None:
        return moved
    row = _counter(s, board, kind, year)
    row.last += 1
    s.flush()
    return row.last


def take_block(s: Session, board: Board, kind: str, year: int, count: int) -> int:
    """`count` consecutive numbers at once (an import's rows without refs): the first of them."""
    row = _counter(s, board, kind, year)
    first = row.last + 1
    row.last += count
    s.flush()
    return first


def keep_after(s: Session, board: Board, kind: str, year: int, number: int) -> None:
    """A ref given from outside (an import) is kept: later numbers continue after it."""
    row = _counter(s, board, kind, year)
    if number > row.last:
        row.last = number
        s.flush()


def continue_after_highest(s: Session, board: Board, today: dt.date) -> None:
    """After the numbering setting changes, the new sequence starts after the board's highest number
    in any year, so a new ref never repeats the number of one already shown (every ref stays typeable)."""
    keep_after(s, board, ACTION, numbering_year(board, today), _highest(s, board, ACTION, None))
