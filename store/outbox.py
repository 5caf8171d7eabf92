"""The outbox: every message Clerk owes Slack, written in the same transaction as the change.

A sender (a thread in the server, and each job run) claims pending rows, posts them and marks
them sent; a failed post is released for a later attempt, never dropped and never marked sent.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, exists, func, literal, select, update
from sqlalchemy.orm import Session

from store.models import OutboxMessage

log = logging.getLogger("clerk.outbox")

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
LATER = ("digest",)  # kinds the sender puts together into messages (owe_later)
LEASE = dt.timedelta(seconds=10)  # a claim lives this long unless its sender, alive, renews it


def enqueue(s: Session, channel: str, text: str, now: dt.datetime, *, blocks: list[Any] | None = None,
            public_text: str | None = None, public_blocks: list[Any] | None = None,
            ephemeral_to: str | None = None, key: str | None = None,
            fallback_to: list[str] | None = None) -> int:
    """Owe Slack a message; returns the row's id. A Core INSERT in the session's transaction (the
    ORM's flush of the row cost more than the statement). Logged with the row's id, on a line that
    carries the key of the request that owes it (logs.KEY), so a request can be followed to its sends."""
    msg_id = s.connection().execute(_ENQUEUE, {
        "channel": channel, "text": text, "blocks": blocks, "public_text": public_text,
        "public_blocks": public_blocks, "ephemeral_to": ephemeral_to, "key": key,
        "fallback_to": ",".join(fallback_to) if fallback_to else None, "status": PENDING, "attempts": 0,
        "not_before": now, "created": now}).scalar_one()
    log.info("outbox %s owed to %s", msg_id, channel)
    return msg_id


def replace(s: Session, channel: str, target: str, text: str, now: dt.datetime, *,
            blocks: list[Any] | None = None, public_blocks: list[Any] | None = None,
            ephemeral: bool = False) -> OutboxMessage:
    """Owe Slack a new version of a message already shown: `chat.update` of the message at ts
    `target` in `channel` (`public_blocks` if that channel is not private), or, for an ephemeral
    message (which chat.update cannot change), a `replace_original` through its response_url
    (`target`; `channel` then names the person it was for)."""
    msg = OutboxMessage(kind="respond" if ephemeral else "update", channel=channel, target=target, text=text,
                        blocks=blocks, public_text=text if public_blocks is not None else None,
                        public_blocks=public_blocks, status=PENDING, attempts=0, not_before=now, created=now)
    s.add(msg)
    return msg


_OUTBOX = OutboxMessage.__table__
_ENQUEUE = _OUTBOX.insert().returning(_OUTBOX.c.id)
# Built once (statement building and its cache key cost more than running it): a home row for the
# person unless one is already pending. Core, so the ORM's flush is not involved.
_OWE_HOME = _OUTBOX.insert().from_select(
    ["kind", "channel", "text", "status", "attempts", "not_before", "created"],
    select(literal("home"), bindparam("user"), literal("App Home"), literal(PENDING), literal(0),
           bindparam("not_before", type_=_OUTBOX.c.not_before.type), bindparam("created", type_=_OUTBOX.c.created.type))
    .where(~exists().where(_OUTBOX.c.kind == "home", _OUTBOX.c.channel == bindparam("user"),
                           _OUTBOX.c.status == PENDING)))


def owe_later(s: Session, kind: str, user_id: str, about: str, text: str, now: dt.datetime) -> None:
    """Owe a person something the sender puts together before sending (kind "digest": a board's
    digest, `about` naming the board), so a long read is not done while they wait for the reply.
    The sender replaces the row with the messages it makes, in one transaction."""
    s.add(OutboxMessage(kind=kind, channel=user_id, target=about, text=text, status=PENDING, attempts=0,
                        not_before=now, created=now))


def refresh_home(s: Session, user_id: str, now: dt.datetime, delay: dt.timedelta = dt.timedelta(0)) -> None:
    """Owe a person a fresh App Home; the sender renders it when it publishes. One pending is enough,
    and `delay` lets a burst of changes to someone's work share one publish."""
    refresh_homes(s, [user_id], now, delay)


def refresh_homes(s: Session, user_ids: Sequence[str], now: dt.datetime,
                  delay: dt.timedelta = dt.timedelta(0)) -> None:
    """The same for several people, in one call to the database (an executemany: on PostgreSQL
    psycopg sends the rows in one pipeline, one round trip)."""
    if user_ids:
        s.connection().execute(_OWE_HOME, [{"user": u, "not_before": now + delay, "created": now} for u in user_ids])


def _first_delivery_statements() -> dict[str, Any]:
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    from store.models import SlackDelivery

    table = SlackDelivery.__table__  # Core: the ORM's bulk-insert path costs more than the statement
    return {name: insert(table).values(event_id=bindparam("id"), received=bindparam("at"))
            .on_conflict_do_nothing().returning(table.c.event_id)
            for name, insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))}


_FIRST_DELIVERY = _first_delivery_statements()


def delivery_key(delivery_id: str) -> str:
    """A delivery id as stored: at most 120 characters, control characters (a NUL, which PostgreSQL
    will not store) written as "?": it only has to tell one delivery from another."""
    return "".join("?" if ord(ch) < 32 or ord(ch) == 127 else ch for ch in delivery_id[:120])


def first_delivery(s: Session, delivery_id: str, now: dt.datetime) -> bool:
    """Record that a delivery (an event, a press, a form, a command) is being applied; False when it
    was before. One statement: no savepoint, no exception on the common path."""
    statement = _FIRST_DELIVERY["postgresql" if s.get_bind().dialect.name == "postgresql" else "sqlite"]
    done = s.connection().execute(statement, {"id": delivery_key(delivery_id), "at": now})
    return done.scalar() is not None  # rowcount is not reliable here on psycopg (-1)


def claimed(s: Session, ids: Sequence[int]) -> list[OutboxMessage]:
    """The rows claim_ids took, in order (read after the claim has committed, on any engine: they
    are this sender's until it marks them)."""
    return list(s.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id))) \
        if ids else []


def claim_ids(s: Session, now: dt.datetime, *, holder: str, wall: dt.datetime, limit: int = 20) -> list[int]:
    """Claim due rows for this sender (`holder`), with a lease until `wall` + LEASE (wall-clock time,
    which `jobs run --at` does not move). Rows a dead sender left claimed are taken over once their
    lease runs out; the sender settles them from Slack's history before posting again. Two senders
    never claim the same row: the status update is conditional, and on PostgreSQL rows locked by
    another sender are skipped."""
    expired = (OutboxMessage.status == SENDING) & (OutboxMessage.lease_until.is_(None)
                                                   | (OutboxMessage.lease_until <= wall))
    q = (select(OutboxMessage.id)
         .where(((OutboxMessage.status == PENDING) & (OutboxMessage.not_before <= now)) | expired)
         .order_by(OutboxMessage.id).limit(limit))
    if s.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(skip_locked=True)
    ids = list(s.scalars(q))
    if not ids:
        return []
    taken = s.scalars(update(OutboxMessage)
                      .where(OutboxMessage.id.in_(ids), (OutboxMessage.status == PENDING) | expired)
                      .values(status=SENDING, claimed_by=holder, lease_until=wall + LEASE,
                              attempts=OutboxMessage.attempts + 1)
                      .returning(OutboxMessage.id).execution_options(synchronize_session=False))
    return sorted(taken)


_STILL_MINE = select(OutboxMessage.id).where(
    OutboxMessage.id == bindparam("id"), OutboxMessage.status == SENDING, OutboxMessage.claimed_by == bindparam("holder"),
    OutboxMessage.lease_until > bindparam("until"))


def still_mine(s: Session, msg_id: int, holder: str, wall: dt.datetime, margin: dt.timedelta) -> bool:
    """The fencing check a sender makes just before it sends: the row is still its claim, with a
    lease that outlasts `margin` (a sender frozen past its lease may find it taken over, and then
    sends nothing). A read: no write lock."""
    return s.scalar(_STILL_MINE, {"id": msg_id, "holder": holder, "until": wall + margin}) is not None


def renew(s: Session, holder: str, wall: dt.datetime) -> int:
    """A live sender keeps its claims: their leases run on from now. A lease that ran out (its sender
    was held up) is not renewed: that row is anyone's to claim again, and is settled from history."""
    return s.execute(update(OutboxMessage).where(OutboxMessage.claimed_by == holder, OutboxMessage.status == SENDING,
                                                 OutboxMessage.lease_until > wall)
                     .values(lease_until=wall + LEASE)).rowcount


def key_of(msg: OutboxMessage) -> str:
    """Every message's key, carried in its Slack metadata: the ledger's, or the row's own."""
    return msg.key or f"outbox-{msg.id}"


def expanded(s: Session, row: OutboxMessage, messages: Sequence[tuple[str, list[Any] | None]], now: dt.datetime,
             holder: str) -> bool:
    """A row the sender put together (owe_later) becomes its messages, to the same person, once:
    only while this sender still holds it (one that stalled past its lease finds it taken over)."""
    mine = s.scalar(update(OutboxMessage).where(OutboxMessage.id == row.id, OutboxMessage.status == SENDING,
                                                OutboxMessage.claimed_by == holder)
                    .values(status=SENT, sent=now, last_error=None).returning(OutboxMessage.id)
                    .execution_options(synchronize_session=False))
    if mine is None:
        return False
    for text, blocks in messages:
        enqueue(s, row.channel, text, now, blocks=blocks)
    return True


def unclaim(s: Session, ids: Sequence[int], holder: str) -> None:
    """Give claimed rows back (the sender could not read them): pending again, for any sender."""
    s.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.status == SENDING,
                                          OutboxMessage.claimed_by == holder)
              .values(status=PENDING, claimed_by=None, lease_until=None)
              .execution_options(synchronize_session=False))


def mark_sent(s: Session, msg_id: int, now: dt.datetime, ts: str | None) -> None:
    s.execute(update(OutboxMessage).where(OutboxMessage.id == msg_id)
              .values(status=SENT, sent=now, ts=ts, last_error=None))


def release(s: Session, msg_id: int, retry_at: dt.datetime, error: str, holder: str | None = None) -> None:
    """A failed post goes back to pending for a later attempt (only while `holder` still holds it,
    when given: a sender held up past its lease does not undo another's send)."""
    q = update(OutboxMessage).where(OutboxMessage.id == msg_id)
    if holder is not None:
        q = q.where(OutboxMessage.claimed_by == holder, OutboxMessage.status == SENDING)
    s.execute(q.values(status=PENDING, not_before=retry_at, last_error=error[:500]))


def give_up(s: Session, msg: OutboxMessage, error: str, now: dt.datetime, *, tell: Sequence[str] = (),
            note: str = "", forward: bool = True) -> None:
    """Slack said it never will (channel gone, person left, the message refused): kept, visible, not
    retried. The people in `tell` get `note`, followed by the message itself when `forward` (it
    could not go where it was meant to; a message Slack refused is never sent again). Once each."""
    s.execute(update(OutboxMessage).where(OutboxMessage.id == msg.id)
              .values(status=FAILED, last_error=error[:500]))
    # passed on in its public version when it has one: the person told may not be entitled to Part B text
    text, their_blocks = (msg.public_text, msg.public_blocks) if msg.public_text is not None else (msg.text, msg.blocks)
    for user in tell:
        key = f"{key_of(msg)}:to:{user}"[:200]
        if s.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is None:
            blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": note.strip()}}]
            enqueue(s, user, note + text if forward else note, now,
                    blocks=blocks + list(their_blocks or [])[:49] if forward else blocks, key=key)


def by_status(s: Session, statuses: Sequence[str]) -> list[OutboxMessage]:
    return list(s.scalars(select(OutboxMessage).where(OutboxMessage.status.in_(statuses)).order_by(OutboxMessage.id)))


def forget_sent(s: Session, before: dt.datetime) -> int:
    """Messages sent long ago are Slack's to keep now; the reminder ledger keeps what was owed."""
    from sqlalchemy import delete

    from store.models import Reminder

    old = select(OutboxMessage.id).where(OutboxMessage.status == SENT, OutboxMessage.sent < before)
    s.execute(update(Reminder).where(Reminder.outbox_id.in_(old)).values(outbox_id=None)
              .execution_options(synchronize_session=False))
    return s.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(old)).execution_options(
        synchronize_session=False)).rowcount


def forget_deliveries(s: Session, before: dt.datetime) -> int:
    """Delivery ids older than any retry or replay Slack makes (events within hours, a slash command's
    trigger within half an hour) are no longer needed to apply something once."""
    from sqlalchemy import delete

    from store.models import SlackDelivery

    return s.execute(delete(SlackDelivery).where(SlackDelivery.received < before)).rowcount


@dataclass(frozen=True)
class Backlog:
    """What waits in the outbox: rows by status, the oldest unsent row's age, and how long the
    longest-due row has waited for a sender since it fell due (rows held back on purpose, a
    retry's back-off or a missing scope, are not due yet)."""
    counts: dict[str, int]
    oldest_seconds: float
    due_seconds: float


_UNSENT = (OutboxMessage.status == PENDING) | (OutboxMessage.status == SENDING)


def backlog(s: Session, now: dt.datetime) -> Backlog:
    """Three cheap reads (the pending index serves them), for /healthz and /metrics."""
    counts = {status: int(n) for status, n in s.execute(
        select(OutboxMessage.status, func.count()).where(_UNSENT).group_by(OutboxMessage.status))}
    oldest = s.scalar(select(func.min(OutboxMessage.created)).where(_UNSENT))
    due = s.scalar(select(func.min(OutboxMessage.not_before)).where(OutboxMessage.status == PENDING,
                                                                    OutboxMessage.not_before <= now))
    return Backlog({PENDING: 0, SENDING: 0, **counts}, _age(now, oldest), _age(now, due))


def _age(now: dt.datetime, then: dt.datetime | None) -> float:
    if then is None:
        return 0.0
    if then.tzinfo is None:  # SQLite gives back naive UTC
        then = then.replace(tzinfo=dt.UTC)
    return max(0.0, (now - then).total_seconds())
