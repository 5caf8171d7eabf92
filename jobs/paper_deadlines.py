"""paper-deadlines: DM the owners of forward-plan papers 5 working days before the paper deadline and
on the day; the working day after it, the secretaries get the list of papers not received."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from jobs.notify import Notifier, Occasion, Owed
from render.blocks import paginate, sections
from render.fmt import MRKDWN
from store import meetings
from store.models import DUE, Board, ForwardPlanItem, Meeting
from store.people import on_slack, reach, secretaries_of
from store.terms import describe

NAME = "paper-deadlines"
WARN_DAYS = 5


def run(s: Session, now: dt.datetime, notify: Notifier) -> list[Owed]:
    owed: list[Owed] = []
    for board, today in notify.working_boards():
        secretaries = [p.slack_user_id for p in secretaries_of(board) if on_slack(p)]
        by_recipient: dict[str, list[tuple[str, Occasion]]] = defaultdict(list)
        for meeting in meetings.upcoming(s, board, today):
            deadline = notify.calendar.working_days_before(meeting.day, board.paper_deadline_days)
            papers = list(s.scalars(select(ForwardPlanItem).where(ForwardPlanItem.meeting_id == meeting.id,
                                                                  ForwardPlanItem.status == DUE)))
            if notify.calendar.working_days_before(deadline, WARN_DAYS) <= today <= deadline:
                when = "day" if today == deadline else "before"
                why = "due today" if when == "day" else f"due {describe(deadline)}"
                for item in papers:
                    for owner in item.owners:
                        for r in reach(owner, board):
                            note = f" (for {MRKDWN.esc(owner.name)}, not on Slack)" if r.on_behalf_of else ""
                            by_recipient[r.user_id].append((
                                f"• {MRKDWN.bold(item.ref)} {MRKDWN.esc(item.title)} for the meeting "
                                f"on {describe(meeting.day)}: paper {why}{note}",
                                Occasion("paper", item.id, r.user_id, f"{when}:{owner.id}")))
            after = notify.calendar.next_working_day(deadline + dt.timedelta(days=1))
            if papers and after <= today < meeting.day:
                owed += _late_list(notify, board, meeting, deadline, papers, secretaries)
        sent = notify.already([o for items in by_recipient.values() for _, o in items])
        for recipient, items in by_recipient.items():
            items = [i for i in items if i[1] not in sent]
            if items:
                lines = [MRKDWN.bold(f"Papers for {MRKDWN.esc(board.name)}")] + [text for text, _ in items]
                lines.append("When a paper is in: /plan received FP-<n>")
                pages = paginate(sections(lines), lines, f"Papers for {board.name}")
                owed += notify.messages(recipient, pages, lambda n, items=items: [o for _, o in items] if n == 0 else
                                        [Occasion("paper-part", o.subject, o.recipient, f"{o.occasion}:{n}") for _, o in items])
    return owed


def _late_list(notify: Notifier, board: Board, meeting: Meeting, deadline: dt.date, papers, secretaries) -> list[Owed]:
    lines = [MRKDWN.bold(f"Papers not received for {MRKDWN.esc(board.name)} on {describe(meeting.day)}"),
             f"The paper deadline was {describe(deadline)}."]
    lines += [f"• {MRKDWN.bold(i.ref)} {MRKDWN.esc(i.title)} — {MRKDWN.esc(', '.join(p.name for p in i.owners) or 'no owner')}"
              for i in papers]
    owed = []
    for recipient in secretaries:
        first = Occasion("papers-late", meeting.id, recipient, meeting.day.isoformat())
        if first in notify.already([first]):
            continue
        pages = paginate(sections(lines), lines, "Papers not received")
        part = lambda n, first=first, recipient=recipient: [first] if n == 0 else [
            Occasion("papers-late-part", meeting.id, recipient, f"{meeting.day}:{n}")]
        owed += notify.messages(recipient, pages, part)
    return owed



