"""meeting-pack: on the pack's publication day, post the action log for the meeting to the board's
channel (open actions, and those closed since the last meeting, each with its latest update and how
many meetings it has been carried over), and ask owners of open actions for an update."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jobs.notify import Notifier, Occasion, Owed
from render import actions as render
from render.actions import MAX_TITLE_SHOWN as MAX_UPDATE_SHOWN
from render.blocks import paginate_pair
from render.fmt import MRKDWN
from render.reminders import reminder_messages
from store import actions as log
from store import meetings
from store.models import CLOSED, Action, Board, Meeting
from store.people import on_slack
from store.terms import describe
from store.words import count, plural

NAME = "meeting-pack"
FIRST_PACK_LOOKS_BACK = dt.timedelta(weeks=6)  # no earlier meeting on record: closures of the last six weeks


def run(s: Session, now: dt.datetime, notify: Notifier) -> list[Owed]:
    owed: list[Owed] = []
    for board, today in notify.working_boards():
        for meeting in meetings.upcoming(s, board, today + dt.timedelta(days=1)):
            publish = notify.calendar.working_days_before(meeting.day, board.publication_days + 1)
            if not publish <= today < meeting.day:
                continue
            owed += _post_log(s, notify, board, meeting, today)
            owed += _ask_owners(s, notify, board, meeting, today)
    return owed


def _post_log(s: Session, notify: Notifier, board: Board, meeting: Meeting, today: dt.date) -> list[Owed]:
    if not board.channel_id:
        return []
    first = Occasion("meeting-pack", meeting.id, board.channel_id, meeting.day.isoformat())
    if first in notify.already([first]):
        return []
    previous = s.scalar(select(func.max(Meeting.day)).where(Meeting.board_id == board.id, Meeting.day < meeting.day,
                                                            Meeting.cancelled.is_(False)))
    q = select(Action).where(Action.board_id == board.id)
    open_actions = log.listed(s, log.query(board, "open", today=today))
    since = previous or meeting.day - FIRST_PACK_LOOKS_BACK
    closed = list(s.scalars(q.where(Action.status == CLOSED, Action.closed >= since)
                            .order_by(Action.year, Action.number)))
    updates = log.latest_update(s, [a.id for a in open_actions + closed])
    held = list(s.scalars(select(Meeting.day).where(Meeting.board_id == board.id, Meeting.day < meeting.day,
                                                    Meeting.cancelled.is_(False))))

    def lines(visible) -> list[str]:
        out = [MRKDWN.bold(f"Action log for the {MRKDWN.esc(board.name)} meeting on {describe(meeting.day)}"),
               f"{len(open_actions)} open · {len(closed)} closed since the last meeting"]
        for title, group in (("Open", open_actions), ("Closed since the last meeting", closed)):
            if group:
                out.append(MRKDWN.bold(title))
            for a in group:
                carried = sum(1 for day in held if a.raised < day)
                text = f"• {render.line(a, MRKDWN, today, visible=visible(a))}"
                if visible(a):
                    ev = updates.get(a.id)
                    if ev:
                        text += f"\n   _{ev.dated:%d %b %Y}: {MRKDWN.clip(ev.text or '', MAX_UPDATE_SHOWN)}_"
                    if carried:
                        text += f"\n   carried over {count(carried, 'meeting')}"
                out.append(text)
        return out

    full = lines(lambda a: True)
    public = lines(lambda a: not a.private)
    title = f"Action log for {board.name}, {describe(meeting.day)}"
    pages, public_pages = paginate_pair(full, public, title)  # split alike: part n is part n in either channel
    channel = board.channel_id
    return notify.messages(channel, pages, lambda n: [first] if n == 0 else
                           [Occasion("meeting-pack-part", meeting.id, channel, f"{meeting.day}:{n}")],
                           public_pages=public_pages if any(a.private for a in open_actions + closed) else None)


def _ask_owners(s: Session, notify: Notifier, board: Board, meeting: Meeting, today: dt.date) -> list[Owed]:
    by_owner: dict[str, list[tuple[Action, Occasion]]] = defaultdict(list)
    for action in log.listed(s, log.query(board, "open", today=today)):
        for owner in action.owners:
            if on_slack(owner):  # people not on Slack give their updates at the meeting, through the secretary
                by_owner[owner.slack_user_id].append(
                    (action, Occasion("pack-update", action.id, owner.slack_user_id, meeting.day.isoformat())))
    sent = notify.already([o for items in by_owner.values() for _, o in items])
    owed = []
    for recipient, items in by_owner.items():
        items = [i for i in items if i[1] not in sent]
        heading = (f"{board.name} meets on {describe(meeting.day)}: please add an update to your open "
                   f"{plural('action', len(items))} before then")
        at = 0  # each message carries the occasions of the actions it shows
        for message, carried in reminder_messages(heading, [(a, "update for the meeting") for a, _ in items], today):
            chunk, at = items[at:at + carried], at + carried
            item = Owed(recipient, message.text, message.blocks, [o for _, o in chunk])
            if notify(item):
                owed.append(item)
    return owed
