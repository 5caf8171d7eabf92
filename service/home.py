"""What a person's App Home shows, read from the store."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from render.home import BoardSummary, home_view
from store import actions as log
from store import meetings, outbox, plan
from store.calendar import WorkingCalendar
from store.db import unit_of_work
from store.models import DUE, Board, BoardRole, ForwardPlanItem, PlanItemOwner
from store.people import CHAIR, SECRETARY, person_by_slack_id


def owe_home(sessions, user_id: str, now: dt.datetime) -> None:
    """App Home opened: owe the person a fresh view (the sender renders and publishes it)."""
    with unit_of_work(sessions) as s:
        outbox.refresh_home(s, user_id, now)


def view_for(s: Session, user_id: str, now: dt.datetime, tz: ZoneInfo, calendar: WorkingCalendar) -> dict:
    today = now.astimezone(tz).date()
    person = person_by_slack_id(s, user_id)
    if person is None:
        return home_view("welcome", [], [], [], today)
    actions = list(s.scalars(log.query(None, "mine", person=person, today=today)))
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
        open_actions = list(s.scalars(log.query(board, "open", today=today))) if chair or secretary else []
        soon = today + dt.timedelta(days=14)
        late_papers = []
        if secretary:
            for meeting in meetings.upcoming(s, board, today):
                for item in s.scalars(select(ForwardPlanItem).where(ForwardPlanItem.meeting_id == meeting.id,
                                                                    ForwardPlanItem.status == DUE)):
                    if plan.status(item, today, calendar) == "late":
                        late_papers.append(item.ref)
        summaries.append(BoardSummary(
            board.name, len(open_actions), sum(log.overdue(a, today) for a in open_actions),
            sum(1 for a in open_actions if a.due and today <= a.due <= soon),
            meetings.next_meeting(s, board, today), chair, secretary, late_papers))
    return home_view(person.name, actions, with_deadlines, summaries, today)
