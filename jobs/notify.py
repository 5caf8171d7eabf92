"""What a sweep owes people: messages written to the outbox with their reminder-ledger rows."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store import outbox
from store.calendar import WorkingCalendar
from store.models import Board, Reminder

WORK_STARTS, WORK_ENDS = dt.time(9, 0), dt.time(17, 30)
_LEDGER = Reminder.__table__.insert()


@dataclass(frozen=True)
class Occasion:
    """One ledger entry: (kind, subject, recipient, occasion)."""

    kind: str
    subject: int
    recipient: str
    occasion: str


@dataclass
class Owed:
    """A message a sweep owes: to a Slack user (a DM) or a channel, with the occasions it covers."""

    recipient: str
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    occasions: list[Occasion] = field(default_factory=list)
    fallback_to: list[str] = field(default_factory=list)  # told instead if the recipient cannot be reached
    public_text: str | None = None  # for a channel that is not private: Part B left out
    public_blocks: list[dict[str, Any]] | None = None

    @property
    def key(self) -> str:
        """The message's ledger key, carried in Slack metadata so a crash can be settled later."""
        digest = hashlib.sha1("|".join(f"{o.kind}:{o.subject}:{o.occasion}" for o in self.occasions).encode())
        return f"{self.recipient}:{digest.hexdigest()[:20]}"


class Notifier:
    """Handed to a job as `notify`: knows the clock, the calendar and working hours, and writes
    what is owed (or, in a dry run, only lists it)."""

    def __init__(self, s: Session, now: dt.datetime, calendar: WorkingCalendar, tz: ZoneInfo, *, dry_run: bool = False,
                 queued_at: dt.datetime | None = None):
        self.s, self.now, self.calendar, self.default_tz, self.dry_run = s, now, calendar, tz, dry_run
        self.queued_at = queued_at or now  # `jobs run --at` judges at one time and sends now
        self.owed: list[Owed] = []

    def tz(self, board: Board) -> ZoneInfo:
        return ZoneInfo(board.timezone) if board.timezone else self.default_tz

    def today(self, board: Board) -> dt.date:
        return self.now.astimezone(self.tz(board)).date()

    def working_boards(self) -> list[tuple[Board, dt.date]]:
        """The boards for which it is now working time, each with its today."""
        return [(board, self.today(board)) for board in self.s.scalars(select(Board).order_by(Board.id))
                if self.working_time(board)]

    def working_time(self, board: Board) -> bool:
        """Reminders go out on working days, 09:00–17:30 in the board's time zone."""
        local = self.now.astimezone(self.tz(board))
        return self.calendar.is_working_day(local.date()) and WORK_STARTS <= local.time() < WORK_ENDS

    def messages(self, recipient: str, pages, occasion_for_page, *, fallback_to=(), public_pages=None) -> list[Owed]:
        """Owe a reply split into pages (render.blocks.Message); page n carries occasion_for_page(n)."""
        owed = []
        for n, page in enumerate(pages):
            public = public_pages[n] if public_pages and n < len(public_pages) else None
            item = Owed(recipient, page.text, page.blocks, occasion_for_page(n), list(fallback_to),
                        public.text if public else None, public.blocks if public else None)
            if self(item):
                owed.append(item)
        return owed

    def last_sent(self, kind: str, subject: int) -> dt.datetime | None:
        from sqlalchemy import func
        return self.s.scalar(select(func.max(Reminder.created)).where(Reminder.kind == kind, Reminder.subject == subject))

    def already(self, occasions: Sequence[Occasion]) -> set[Occasion]:
        """Which of these occasions the ledger has already."""
        if not occasions:
            return set()
        found: set[Occasion] = set()
        keys = [(o.kind, o.subject, o.recipient, o.occasion) for o in occasions]
        for i in range(0, len(keys), 500):
            rows = self.s.execute(select(Reminder.kind, Reminder.subject, Reminder.recipient, Reminder.occasion)
                                  .where(tuple_(Reminder.kind, Reminder.subject, Reminder.recipient,
                                                Reminder.occasion).in_(keys[i:i + 500])))
            found |= {Occasion(*row) for row in rows}
        return found

    def __call__(self, owed: Owed) -> bool:
        """Owe a message. False when another sweep got there first (the ledger's unique key)."""
        if self.dry_run:
            self.owed.append(owed)
            return True
        try:
            with self.s.begin_nested():
                msg_id = outbox.enqueue(self.s, owed.recipient, owed.text, self.queued_at,
                                        blocks=owed.blocks or None, key=owed.key, fallback_to=owed.fallback_to,
                                        public_text=owed.public_text, public_blocks=owed.public_blocks)
                # the ledger's rows by one Core executemany: as ORM objects, their flush was most of a sweep
                if owed.occasions:
                    self.s.connection().execute(_LEDGER, [
                        {"kind": o.kind, "subject": o.subject, "recipient": o.recipient, "occasion": o.occasion,
                         "outbox_id": msg_id, "created": self.now} for o in owed.occasions])
        except IntegrityError:
            return False
        self.owed.append(owed)
        return True
