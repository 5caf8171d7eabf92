"""Tables of the action log. Constraints live in the database, not only in Python."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.sql import false

from store.terms import OPEN_STATES, PaperStatus, Status, format_ref


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass the clock's aware time")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


class Base(DeclarativeBase):
    type_annotation_map = {dt.datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Board(Base):
    __tablename__ = "board"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(80), unique=True)  # lower-cased name, for look-ups
    channel_id: Mapped[str | None] = mapped_column(String(32))
    numbering: Mapped[str] = mapped_column(String(20), default="calendar-year")
    closure_rule: Mapped[str] = mapped_column(String(20), default="direct")
    paper_deadline_days: Mapped[int] = mapped_column(Integer, default=10)
    publication_days: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    reminder_days: Mapped[str] = mapped_column(String(40), default="7,1", server_default="7,1")
    timezone: Mapped[str | None] = mapped_column(String(64))  # None: CLERK_TIMEZONE
    digest_day: Mapped[str] = mapped_column(String(9), default="monday", server_default="monday")
    created: Mapped[dt.datetime]

    roles: Mapped[list[BoardRole]] = relationship(back_populates="board", cascade="all, delete-orphan")


class Person(Base):
    """One record per person: initials (unique, upper-case), a name, and at most one Slack user.
    Someone without Slack has no user id; `console` marks whoever types at `python bot.py console`
    without --as (the operator, who has the database anyway), who is never reached on Slack."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_user_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    initials: Mapped[str | None] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    slack_name: Mapped[str | None] = mapped_column(String(80))  # as Slack last labelled a mention of them
    console: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created: Mapped[dt.datetime]

    @property
    def label(self) -> str:
        return self.initials or self.name

    @property
    def signature(self) -> str:
        """How a change is signed in a post: "Anna Hook (AH)"."""
        return f"{self.name} ({self.initials})" if self.initials else self.name


class BoardRole(Base):
    """A person's place on a board: chair, secretary or member (terms.Role)."""

    __tablename__ = "board_role"
    __table_args__ = (UniqueConstraint("board_id", "person_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[str] = mapped_column(String(12))  # chair | secretary | member

    board: Mapped[Board] = relationship(back_populates="roles")
    person: Mapped[Person] = relationship()


class ActionOwner(Base):
    __tablename__ = "action_owner"
    # a person's owner rows with their actions' ids, so "list mine" reads the index alone
    __table_args__ = (Index("ix_action_owner_person_action", "person_id", "action_id"),)

    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    person: Mapped[Person] = relationship(lazy="joined")


OPEN, PROPOSED, CLOSING_WHEN, CLOSED = Status.OPEN, Status.PROPOSED, Status.CLOSING_WHEN, Status.CLOSED


# an open action, as ix_action_open's condition: its states written out (not bound values), so
# that PostgreSQL knows a query which says the same may use that index
OPEN_STATE_WORDS = tuple(state.value for state in OPEN_STATES)
OPEN_ACTION = "status IN ({}) AND import_run_id IS NULL".format(", ".join(f"'{w}'" for w in OPEN_STATE_WORDS))
OPEN_ACTIONS_INDEX = "ix_action_open"


class Action(Base):
    __tablename__ = "action"
    __table_args__ = (
        UniqueConstraint("board_id", "year", "number", name="uq_action_ref"),
        Index("ix_action_board_status_due", "board_id", "status", "due"),
        Index("ix_action_board_number", "board_id", "number"),
        Index("ix_action_status_due", "status", "due"),  # "list mine" across boards
        Index("ix_action_number_year", "number", "year"),  # refs typed outside a board's channel
        Index("ix_action_import_run", "import_run_id", sqlite_where=text("import_run_id IS NOT NULL"),
              postgresql_where=text("import_run_id IS NOT NULL")),
        # the ids of the open actions alone (a few thousand of 100,000): "list mine" meets them with
        # the person's owner rows in two indexes, and reads a table row only for what it shows
        Index(OPEN_ACTIONS_INDEX, "id", sqlite_where=text(OPEN_ACTION), postgresql_where=text(OPEN_ACTION)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"))
    year: Mapped[int] = mapped_column(Integer)  # 2018 for 74/18; 0 on boards numbered continuously
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    due: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    closing_condition: Mapped[str | None] = mapped_column(Text)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    raised: Mapped[dt.date] = mapped_column(Date)
    closed: Mapped[dt.date | None] = mapped_column(Date)
    snoozed_until: Mapped[dt.date | None] = mapped_column(Date)  # no reminders before this day
    due_note: Mapped[str | None] = mapped_column(Text)  # "Ongoing", "TBC": what a log said instead of a date
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"))  # set while an import is unfinished

    board: Mapped[Board] = relationship(lazy="joined")
    owner_links: Mapped[list[ActionOwner]] = relationship(
        order_by=ActionOwner.position, cascade="all, delete-orphan", lazy="selectin")
    events: Mapped[list[ActionEvent]] = relationship(
        back_populates="action", order_by="ActionEvent.id", cascade="all, delete-orphan")

    @property
    def owners(self) -> list[Person]:
        return [link.person for link in self.owner_links]

    @property
    def ref(self) -> str:
        return format_ref(self.number, self.year)


class ActionEvent(Base):
    """One change to an action: who, when, what from what to what, or a dated update."""

    __tablename__ = "action_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id"), index=True)
    at: Mapped[dt.datetime]
    dated: Mapped[dt.date] = mapped_column(Date)  # the date the board knows it by (updates may be back-dated by imports)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(20))  # raised | update | status | due | owners | title | private
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)

    action: Mapped[Action] = relationship(back_populates="events")
    person: Mapped[Person | None] = relationship(lazy="joined")


class OutboxMessage(Base):
    """A message Clerk owes Slack. Written in the same transaction as the change it reports.

    `key`, when set, makes the message exactly-once (reminders: kind, subject, recipient, occasion).
    `public_text`/`public_blocks` are what a channel that is not private gets instead of a Part B text.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "status", "not_before"),
                      Index("ix_outbox_kind_channel_status", "kind", "channel", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(12), default="message", server_default="message")
    # message | home (publish a person's App Home) | update (chat.update of the message at `target`, a ts)
    # | respond (replace an ephemeral message through its response_url, in `target`)
    target: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(32))  # channel id, or a user id for a DM (or whose App Home)
    ephemeral_to: Mapped[str | None] = mapped_column(String(32))  # only this user sees it (chat.postEphemeral)
    fallback_to: Mapped[str | None] = mapped_column(String(200))  # user ids told when the recipient cannot be reached
    text: Mapped[str] = mapped_column(Text)
    blocks: Mapped[list[Any] | None]
    public_text: Mapped[str | None] = mapped_column(Text)
    public_blocks: Mapped[list[Any] | None]
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | sending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[dt.datetime]
    created: Mapped[dt.datetime]
    sent: Mapped[dt.datetime | None]
    ts: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # the sender holding it while "sending"
    lease_until: Mapped[dt.datetime | None]  # wall-clock: past it, a dead sender's claim is taken over


class SlackDelivery(Base):
    """Event ids Slack delivered and Clerk applied, so a retried delivery is applied once."""

    __tablename__ = "slack_delivery"

    event_id: Mapped[str] = mapped_column(String(120), primary_key=True)  # an event's id, slash:<trigger>, press:…
    received: Mapped[dt.datetime]


class Meeting(Base):
    __tablename__ = "meeting"
    __table_args__ = (UniqueConstraint("board_id", "day", name="uq_meeting_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    time: Mapped[dt.time | None] = mapped_column(Time)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[dt.datetime]

    board: Mapped[Board] = relationship(lazy="joined")


class PlanItemOwner(Base):
    __tablename__ = "plan_item_owner"

    item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    person: Mapped[Person] = relationship(lazy="joined")


DUE, RECEIVED, LATE, DROPPED = PaperStatus.DUE, PaperStatus.RECEIVED, PaperStatus.LATE, PaperStatus.DROPPED


class ForwardPlanItem(Base):
    """A paper on the forward plan: for a meeting, for a month with no meeting yet, or tbc."""

    __tablename__ = "plan_item"
    __table_args__ = (UniqueConstraint("board_id", "number", name="uq_plan_ref"),
                      Index("ix_plan_board_status", "board_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"), index=True)
    month: Mapped[dt.date | None] = mapped_column(Date)  # first of the month, when there is no meeting yet
    status: Mapped[str] = mapped_column(String(12), default=DUE)  # due | received | dropped
    received: Mapped[dt.date | None] = mapped_column(Date)
    recurrence: Mapped[str | None] = mapped_column(String(12))  # monthly | quarterly
    series_id: Mapped[int | None] = mapped_column(Integer)  # the first occurrence's id, shared by the series
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[dt.datetime]

    board: Mapped[Board] = relationship(lazy="joined")
    meeting: Mapped[Meeting | None] = relationship(lazy="joined")
    owner_links: Mapped[list[PlanItemOwner]] = relationship(
        order_by=PlanItemOwner.position, cascade="all, delete-orphan", lazy="selectin")

    @property
    def owners(self) -> list[Person]:
        return [link.person for link in self.owner_links]

    @property
    def ref(self) -> str:
        return f"FP-{self.number}"


class PlanEvent(Base):
    __tablename__ = "plan_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("plan_item.id"), index=True)
    at: Mapped[dt.datetime]
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(20))  # added | moved | received | dropped | owners
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)

    person: Mapped[Person | None] = relationship(lazy="joined")


class Reminder(Base):
    """The reminder ledger: one row per (kind, subject, recipient, occasion), ever.

    Written with the outbox message that carries it, so a reminder goes out exactly once across
    restarts, retries and two schedulers pointed at one database by mistake."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("kind", "subject", "recipient", "occasion", name="uq_reminder"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))  # action | paper | papers-late | chair-digest | meeting-pack | pack-update
    subject: Mapped[int] = mapped_column(Integer)  # action, plan item, meeting or board id
    recipient: Mapped[str] = mapped_column(String(40))  # Slack user or channel id
    occasion: Mapped[str] = mapped_column(String(40))  # "before-7", "due", "overdue-2", "2018-W49", …
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    created: Mapped[dt.datetime]


class PeopleEvent(Base):
    """A change to who is who, kept for good: a person registered, renamed, re-initialled, linked to
    Slack or merged into another record; a role given or taken; a board set up, its channel or its
    settings changed. Who made it and when, from what to what."""

    __tablename__ = "people_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    board_id: Mapped[int | None] = mapped_column(ForeignKey("board.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # registered | initials | name | slack | merged | role+ | role- | board | channel | setting
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)

    actor: Mapped[Person | None] = relationship(foreign_keys=[actor_id], lazy="joined")
    person: Mapped[Person | None] = relationship(foreign_keys=[person_id], lazy="joined")


class Directory(Base):
    """One row: a number that every change to people, roles or boards increases, in the same
    transaction. A process keeps boards and people in memory and reloads them when it moves."""

    __tablename__ = "directory"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)


class RefCounter(Base):
    """The last number given on a board: to actions of a numbering year (0 when continuous), or to
    forward-plan papers (kind "paper", year 0). Moved by one UPDATE ... RETURNING (first made, or
    taken FOR UPDATE), which holds its lock to the commit, so two people raising at once get two
    numbers and nobody is refused."""

    __tablename__ = "ref_counter"

    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # action | paper
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class ImportRun(Base):
    """An import in progress: its actions are written in short transactions, hidden (their
    import_run_id set) until the last one shows them all at once. A run whose process died is undone
    by the next import or start-up, so the log never shows half an import."""

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"))
    started: Mapped[dt.datetime]
    heartbeat: Mapped[dt.datetime]  # wall-clock: a running import renews it with every part it writes
    status: Mapped[str] = mapped_column(String(12), default="running")  # running | done | undone
    rows: Mapped[int] = mapped_column(Integer, default=0)
    new_people: Mapped[list[Any] | None]  # ids of the people it added, removed again if it is undone


class MinutesApplied(Base):
    """A meeting's minutes applied to a board's log: once. The same minutes again change nothing."""

    __tablename__ = "minutes_applied"
    __table_args__ = (UniqueConstraint("board_id", "digest", name="uq_minutes_applied"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id"))
    digest: Mapped[str] = mapped_column(String(64))  # of the minutes' text and the meeting's date
    meeting: Mapped[dt.date | None] = mapped_column(Date)
    applied: Mapped[dt.datetime]
    by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    changes: Mapped[int] = mapped_column(Integer, default=0)

    by: Mapped[Person | None] = relationship(lazy="joined")


class SlackFault(Base):
    """Something in Slack's set-up stops Clerk sending, not any one message: the bot token revoked
    or refused (`kind` token), or a scope the app was not granted (`kind` scope, `detail` the scope).
    Kept per token (`token`: a fingerprint, never the token) so a reinstall with a new token starts
    clean; reported once (when `record` finds it new), cleared when the call that needed it works again."""

    __tablename__ = "slack_fault"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)  # kind:token:detail
    kind: Mapped[str] = mapped_column(String(12))  # token | scope
    detail: Mapped[str] = mapped_column(String(80))  # Slack's error, or the missing scope
    token: Mapped[str] = mapped_column(String(16))
    since: Mapped[dt.datetime]
