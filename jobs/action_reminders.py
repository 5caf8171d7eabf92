"""action-reminders: DM each owner of an open action before its due date, on the day, and weekly
while overdue. One DM per person per run; owners without Slack are reminded through the secretaries."""
from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from jobs.notify import Notifier, Occasion, Owed
from render.reminders import reminder_messages
from store.actions import OPEN_STATES, Listed, listed
from store.models import Action
from store.people import on_slack, reach, secretaries_of
from store.terms import describe
from store.words import count

log = logging.getLogger("clerk.jobs")
NAME = "action-reminders"
KIND = "action"


def occasion(due: dt.date, today: dt.date, offsets: list[int], notify: Notifier) -> tuple[str, str] | None:
    """The latest reminder occasion on or before today: (occasion key, why now), or None.

    Occasions: each offset N days before the due date (moved back to a working day), the due
    day, then every 7 days overdue. A sweep that missed one (Clerk was down) sends the latest, once."""
    if today >= due:
        weeks = (today - due).days // 7
        if weeks:
            return f"overdue-{weeks}", f"{count(weeks, 'week')} overdue"
        return "due", "due today" if today == due else f"was due {describe(due)}"
    found = None
    for n in sorted(offsets, reverse=True):
        if notify.calendar.working_days_before(due - dt.timedelta(days=n), 0) <= today:
            days = (due - today).days
            found = f"before-{n}", "due tomorrow" if days == 1 else f"due in {count(days, 'day')}"
    return found


def run(s: Session, now: dt.datetime, notify: Notifier) -> list[Owed]:
    owed: list[Owed] = []
    for board, today in notify.working_boards():
        offsets = [int(n) for n in board.reminder_days.split(",") if n.strip()] or [7, 1]
        horizon = today + dt.timedelta(days=max(offsets) + 3)
        actions = listed(s, select(Action).where(
            Action.board_id == board.id, Action.status.in_(OPEN_STATES), Action.due.is_not(None),
            Action.due <= horizon).order_by(Action.due, Action.number))
        by_recipient: dict[str, list[tuple[Listed, str, Occasion, str | None]]] = defaultdict(list)
        for action in actions:
            if action.snoozed_until and today < action.snoozed_until:
                continue
            try:
                when = occasion(action.due, today, offsets, notify)
            except Exception:  # noqa: BLE001 - one bad row must not stop everyone else's reminders
                log.exception("%s: skipped action %s (id %s)", NAME, action.ref, action.id)
                continue
            if when is None:
                continue
            for owner in action.owners:
                for r in reach(owner, board):
                    on_behalf = r.on_behalf_of.name if r.on_behalf_of is not None else None
                    by_recipient[r.user_id].append(
                        (action, when[1], Occasion(KIND, action.id, r.user_id, f"{when[0]}:{owner.id}"), on_behalf))
        sent = notify.already([o for items in by_recipient.values() for _, _, o, _ in items])
        for recipient, items in by_recipient.items():
            items = [i for i in items if i[2] not in sent]
            if not items:
                continue
            for_self = [i for i in items if i[3] is None]
            for_others = defaultdict(list)
            for i in items:
                if i[3] is not None:
                    for_others[i[3]].append(i)
            groups = [(f"Your actions on {board.name}", for_self)] if for_self else []
            groups += [(f"Actions of {name} on {board.name} (not on Slack; please pass this on)", group)
                       for name, group in sorted(for_others.items())]
            for heading, group in groups:
                fallback = [p.slack_user_id for p in secretaries_of(board)
                            if on_slack(p) and p.slack_user_id != recipient]
                at = 0  # each message carries the occasions of the actions it shows
                for message, carried in reminder_messages(heading, [(a, why) for a, why, _, _ in group], today):
                    chunk, at = group[at:at + carried], at + carried
                    item = Owed(recipient, message.text, message.blocks, [o for _, _, o, _ in chunk], fallback)
                    if notify(item):
                        owed.append(item)
    return owed
