"""chair-digest: weekly to each board's chair, from Monday 09:00: the /action digest, and what changed
since the last one (closed, new, newly overdue). Part B in full: it is a DM to the chair."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from jobs.notify import Notifier, Occasion, Owed
from render import actions as render
from render.blocks import paginate, sections
from render.fmt import MRKDWN
from store import actions as log
from store.models import CLOSED, Action, Board
from store.people import chair_of, on_slack, reachable_through

NAME = "chair-digest"
KIND = "chair-digest"
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def run(s: Session, now: dt.datetime, notify: Notifier) -> list[Owed]:
    owed: list[Owed] = []
    for board, today in notify.working_boards():
        chair = chair_of(board)
        if chair is None:
            continue
        if today.weekday() < DAYS.index(board.digest_day):
            continue  # this week's digest goes on the board's digest day (or the first run after it)
        year, week, _ = today.isocalendar()
        occasion = f"{year}-W{week:02d}"
        for recipient in reachable_through(chair, board):
            first = Occasion(KIND, board.id, recipient, occasion)
            if first in notify.already([first]):
                continue
            last = notify.last_sent(KIND, board.id)
            since = last.astimezone(notify.tz(board)).date() if last else today - dt.timedelta(days=7)
            lines = render.digest(board.name, log.listed(s, log.query(board, "open", today=today)), MRKDWN, today,
                                  lambda a: True)
            lines += changes(s, board, since, today)
            if not on_slack(chair):
                lines.insert(0, f"For {MRKDWN.esc(chair.name)}, the chair, who is not on Slack:")
            pages = paginate(sections(lines), lines, f"Weekly digest of {board.name}'s actions")
            def part(n, first=first, board=board, recipient=recipient, occasion=occasion):
                return [first] if n == 0 else [Occasion(KIND + "-part", board.id, recipient, f"{occasion}:{n}")]
            owed += notify.messages(recipient, pages, part)
    return owed


def changes(s: Session, board: Board, since: dt.date, today: dt.date) -> list[str]:
    def refs(q) -> str:
        found = [a.ref for a in s.scalars(q.order_by(Action.year, Action.number))]
        return ", ".join(found) if found else "none"

    base = select(Action).where(Action.board_id == board.id)
    return [MRKDWN.bold(f"Since {since:%a %d %b}"),
            f"Closed: {refs(base.where(Action.status == CLOSED, Action.closed >= since))}",
            f"New: {refs(base.where(Action.raised >= since))}",
            f"Newly overdue: {refs(base.where(Action.status.in_(log.OPEN_STATES), Action.due >= since, Action.due < today))}"]
