"""Exporting the log with exactly the contract's columns, in ref order."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Select
from sqlalchemy.orm import Session

from store import plan
from store.actions import latest_update, owners_label, query, status_label
from store.calendar import WorkingCalendar
from store.models import CLOSING_WHEN, PROPOSED, Action, ActionEvent, Board
from store.terms import in_words

STATUS_CHOICES = ("all", "open", "overdue", "closed", "proposed", "closing")
PLAN_COLUMNS = ("ref", "title", "meeting", "paper_deadline", "owners", "status", "recurrence", "private")
PLAN_DATE_COLUMNS = ("meeting", "paper_deadline")
PLAN_STATUS_CHOICES = ("all", "due", "received", "late", "dropped")
APPENDIX_HEADINGS = ("Ref", "Action", "Owners", "Due", "Status", "Latest update")
PLAN_HEADINGS = ("Ref", "Paper", "Meeting", "Paper deadline", "Owners", "Status")

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
    return [action.ref, action.title, owners_label(action.owners), iso(action.due) or action.due_note or "",
            status_label(action),
            iso(action.raised), iso(action.closed), last_update, "yes" if action.private else "no"]




def appendix_rows(rows: list[list[str]]) -> list[list[str]]:
    """The action-log appendix of a meeting pack, dates as a board paper prints them (22 December 2018)."""
    return [[r[0], r[1], r[2], _in_words(r[3]), r[4], _update_in_words(r[7])] for r in rows]


def plan_rows(s: Session, board: Board, status: str, today: dt.date, calendar: WorkingCalendar) -> list[list[str]]:
    """The forward plan as rows of PLAN_COLUMNS, in meeting order."""
    items = plan.listing(s, board, "all", today)
    rows = []
    for item in items:
        state = plan.status(item, today, calendar)
        if status != "all" and state != status:
            continue
        if item.meeting is not None:
            meeting = item.meeting.day.isoformat()
        else:
            meeting = item.month.strftime("%Y-%m") if item.month else "tbc"
        deadline = plan.paper_deadline(item, calendar)
        rows.append([item.ref, item.title, meeting, deadline.isoformat() if deadline else "",
                     owners_label(item.owners), state, item.recurrence or "", "yes" if item.private else "no"])
    return rows


def plan_pack_rows(rows: list[list[str]]) -> list[list[str]]:
    return [[r[0], r[1], _in_words(r[2]), _in_words(r[3]), r[4], r[5]] for r in rows]


def _in_words(iso: str) -> str:
    """2018-12-22 → 22 December 2018; 2019-03 → March 2019; anything else as it is (tbc, empty)."""
    try:
        if len(iso) == 10:
            return in_words(dt.date.fromisoformat(iso))
        if len(iso) == 7:
            return f"{dt.date.fromisoformat(iso + '-01'):%B %Y}"
    except ValueError:
        pass
    return iso


def _update_in_words(update: str) -> str:
    day, sep, text = update.partition(": ")
    return f"{_in_words(day)}: {text}" if sep and len(day) == 10 else update
