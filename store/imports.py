"""Imports that never hold the database against the live app, and stay all-or-nothing.

An import writes its actions in short transactions of a few thousand rows each, every one marked
with its import run; marked actions are hidden from every query (a rule on the ORM session), so
nobody sees half an import. The last short transaction clears the mark and the whole import
appears at once. A failed import, or one whose process died (its heartbeat stops), is undone:
its rows deleted and the people it added removed, leaving the log as it was."""
from __future__ import annotations

import datetime as dt
import weakref

from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from store.models import Action, ActionEvent, ActionOwner, BoardRole, ImportRun, PeopleEvent, Person

STALE = dt.timedelta(seconds=20)  # a running import writes a part every second or so: this silent, it is dead
SEE_UNFINISHED = "see_unfinished_imports"  # execution option: numbering and the import itself see all rows


def hide_unfinished(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Every query of these sessions sees only finished imports (unless SEE_UNFINISHED is asked)."""
    if not event.contains(sessions, "do_orm_execute", _hide_unfinished_imports):
        event.listen(sessions, "do_orm_execute", _hide_unfinished_imports)
    return sessions


FINISHED = Action.import_run_id.is_(None)  # an action not in an unfinished import
_HIDE = with_loader_criteria(Action, FINISHED, include_aliases=True)  # built once
# Statements are immutable, so each one's hidden form is made once: a statement built once (a
# module's constant) then keeps one cache key, which SQLAlchemy works out once, not per execution.
_HIDDEN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def finished_only(statement):
    """The same rule for a statement run as Core (which the sessions' hook does not see): its
    actions only where no unfinished import holds them, unless SEE_UNFINISHED is asked."""
    if statement.get_execution_options().get(SEE_UNFINISHED, False):
        return statement
    return statement.where(FINISHED)


def _hide_unfinished_imports(state: ORMExecuteState) -> None:
    if state.is_select and not state.execution_options.get(SEE_UNFINISHED, False):
        statement = state.statement
        hidden = _HIDDEN.get(statement)
        if hidden is None:
            hidden = _HIDDEN[statement] = statement.options(_HIDE)
        state.statement = hidden


def start(s: Session, board_id: int, rows: int, now: dt.datetime, wall: dt.datetime) -> ImportRun:
    run = ImportRun(board_id=board_id, started=now, heartbeat=wall, status="running", rows=rows, new_people=[])
    s.add(run)
    s.flush()
    return run


def beat(s: Session, run_id: int, wall: dt.datetime) -> None:
    s.execute(update(ImportRun).where(ImportRun.id == run_id).values(heartbeat=wall))


def finish(s: Session, run_id: int) -> None:
    """Show the whole import at once."""
    s.execute(update(Action).where(Action.import_run_id == run_id).values(import_run_id=None)
              .execution_options(synchronize_session=False))
    s.execute(update(ImportRun).where(ImportRun.id == run_id).values(status="done"))


def undo(s: Session, run_id: int) -> None:
    """Remove what an unfinished import wrote, and the people only it knew."""
    run = s.get(ImportRun, run_id)
    if run is None or run.status != "running":
        return
    ids = select(Action.id).where(Action.import_run_id == run_id)
    for table in (ActionEvent, ActionOwner):
        s.execute(delete(table).where(table.action_id.in_(ids)).execution_options(synchronize_session=False))
    s.execute(delete(Action).where(Action.import_run_id == run_id).execution_options(synchronize_session=False))
    for person_id in run.new_people or []:
        used = any(s.scalar(select(t.person_id).where(t.person_id == person_id).limit(1))
                   for t in (ActionOwner, BoardRole))
        if not used:
            s.execute(delete(PeopleEvent).where(PeopleEvent.person_id == person_id))
            s.execute(delete(Person).where(Person.id == person_id))
    run.status = "undone"


def running(s: Session, board_id: int) -> ImportRun | None:
    """An import into this board that has not finished (alive: a dead one was undone just before)."""
    return s.scalar(select(ImportRun).where(ImportRun.board_id == board_id, ImportRun.status == "running")
                    .order_by(ImportRun.id).limit(1))


def undo_stale(s: Session, wall: dt.datetime) -> int:
    """Undo every import whose process stopped writing (killed, or its machine lost)."""
    stale = list(s.scalars(select(ImportRun.id).where(ImportRun.status == "running", ImportRun.heartbeat < wall - STALE)))
    for run_id in stale:
        undo(s, run_id)
    return len(stale)


def rows_imported(s: Session) -> dict[str, int]:
    """Rows of every import on record, by how it ended (running, done, undone): for /metrics."""
    from sqlalchemy import func

    return {status: int(n or 0) for status, n in s.execute(
        select(ImportRun.status, func.sum(ImportRun.rows)).group_by(ImportRun.status))}
