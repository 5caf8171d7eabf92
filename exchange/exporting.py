"""Exporting the log with exactly the contract's columns, in ref order."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Select
from sqlalchemy.orm import Session

from store.actions import latest_update, owners_label, query, status_label
from store.models import CLOSING_WHEN, PROPOSED, Action, ActionEvent, Board

STATUS_CHOICES = ("all", "open", "overdue", "closed", "proposed", "closing")


# -- exporting ----------------------------------------------------------------------------

def export_rows(s: Session, board: Board, status: str, today: dt.date) -> list[list[str]]:
    """The log as rows of COLUMNS, by year then number. status: one of STATUS_CHOICES."""
    actions = list(s.scalars(_chosen(board, status, today).order_by(None).order_by(Action.year, Action.number)))
    updates = latest_update(s, [a.id for a in actions])
    return [export_row(a, updates.get(a.id)) for a in actions]


def _chosen(board: Board, status: str, today: dt.date) -> Select:
    if status == "proposed":
        return query(board, "all").where(Action.status == PROPOSED)
    if status == "closing":
        return query(board, "all").where(Action.status == CLOSING_WHEN)
    return query(board, status, today=today)


def export_row(action: Action, update: ActionEvent | None) -> list[str]:
    def iso(day: dt.date | None) -> str:
        return day.isoformat() if day else ""

    last_update = f"{update.dated.isoformat()}: {update.text or ''}" if update else ""
    return [action.ref, action.title, owners_label(action.owners), iso(action.due), status_label(action),
            iso(action.raised), iso(action.closed), last_update, "yes" if action.private else "no"]


