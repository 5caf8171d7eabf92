"""What a person's App Home shows, read from the store."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from render.actions import DUE_SOON_DAYS
from render.home import BoardSummary, home_view
from store import actions as log
from store import meetings, outbox, plan
from store.calendar import WorkingCalendar
from store.db import unit_of_work
from store.models import DUE, Action, Board, BoardRole, ForwardPlanItem, PlanItemOwner
from store.people import CHAIR, SECRETARY, person_by_slack_id
from store.terms import OPEN_STATES


def owe_home(sessions, user_id: str, now: dt.datetime) -> None:
    """App Home opened: owe the person a fresh view (the sender renders and publishes it)."""
    with unit_of_work(sessions) as s:
        outbox.refresh_home(s, user_id, now)


def view_for(s: Session, user_id: str, now: dt.datetime, tz: ZoneInfo, calendar: WorkingCalendar) -> dict:
    today = now.astimezone(tz).date()
    person = person_by_slack_id(s, user_id)
    if person is None:
        return home_view("welcome", [], [], [], today)
    actions = log.listed(s, log.query(None, "mine", person=person, today=today))
    actions.sort(key=lambda a: (not log.overdue(a, today), a.due is None, a.due or today, a.number))
    papers = list(s.scalars(select(ForwardPlanItem).join(PlanItemOwner).where(
        PlanItemOwner.person_id == person.id, ForwardPlanItem.status == DUE)))
    with_deadlines = sorted(((item, plan.paper_deadline(item, calendar)) for item in papers),
                            key=lambda pair: (pair[1] is None, pair[1] or today))
    roles = {(r.board_id, r.role) for r in s.scalars(select(BoardRole).where(BoardRole.person_id == person.id))}
    board_ids = {a.board_id for a in actions} | {i.board_id for i in papers} | {b for b, _ in roles}
    summaries = []
    for board in s.scalars(select(Board).where(Board.id.in_(board_ids)).order_by(Board.name)):
        chair, secretary = (board.id, CHAIR) in roles, (board.id, SECRETARY) in roles
        counts = board_counts(s, board, today) if chair or secretary else (0, 0, 0)
        late_papers = []
        if secretary:
            for meeting in meetings.upcoming(s, board, today):
                for item in s.scalars(select(ForwardPlanItem).where(ForwardPlanItem.meeting_id == meeting.id,
                                                                    ForwardPlanItem.status == DUE)):
                    if plan.status(item, today, calendar) == "late":
                        late_papers.append(item.ref)
        summaries.append(BoardSummary(board.name, *counts, meetings.next_meeting(s, board, today), chair, secretary,
                                      late_papers))
    return home_view(person.name, actions, with_deadlines, summaries, today)


def board_counts(s: Session, board: Board, today: dt.date) -> tuple[int, int, int]:
    """(open, overdue, due in the next 14 days): counted by the database, the digest's own groups."""
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    q = select(func.count()).select_from(Action).where(Action.board_id == board.id, Action.status.in_(OPEN_STATES))
    return (s.scalar(q), s.scalar(q.where(Action.due < today)),
            s.scalar(q.where(Action.due >= today, Action.due <= soon)))
