"""Clerk's side of the Slack Web API: the client, and the outbox sender that uses it.

Retries are slack-sdk's own (connection errors, 429 with Retry-After, 5xx); what still fails
goes back to the outbox for a later attempt and is never marked sent.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.webhook import WebhookClient
from sqlalchemy.orm import Session, sessionmaker

from store import outbox
from store.db import reading, unit_of_work
from store.models import OutboxMessage

log = logging.getLogger("clerk.sender")

RETRIES = 3
METADATA_EVENT = "clerk_message"  # Slack message metadata carrying the outbox key
HISTORY_PAGES = 5  # of 200 messages: how far back a crashed post is looked for before posting again
PRIVACY_TTL = 300  # seconds
# Slack will never accept these for this message: keep the row, visible as failed, and go on.
PERMANENT = {"channel_not_found", "not_in_channel", "is_archived", "user_not_found", "user_disabled",
             "cannot_dm_bot", "msg_too_long", "invalid_blocks", "no_text", "restricted_action",
             "messages_tab_disabled", "message_not_found", "cant_update_message", "edit_window_closed",
             "expired_url", "used_url", "invalid_url"}
# The app itself cannot post: stop this round, mark nothing, say so once in the log.
FATAL = {"invalid_auth", "account_inactive", "token_revoked", "not_authed", "missing_scope", "team_access_not_granted"}


def _retry_handlers() -> list:
    return [ConnectionErrorRetryHandler(max_retry_count=RETRIES), RateLimitErrorRetryHandler(max_retry_count=RETRIES),
            ServerErrorRetryHandler(max_retry_count=RETRIES)]


def make_client(token: str, base_url: str) -> WebClient:
    return WebClient(token=token, base_url=base_url, timeout=10, retry_handlers=_retry_handlers())


def open_view(client: WebClient, trigger_id, view: dict) -> str | None:
    """views.open; None when it opened, else Slack's error (expired_trigger_id after 3 seconds)."""
    if not isinstance(trigger_id, str) or not trigger_id:
        return "no_trigger_id"
    try:
        client.views_open(trigger_id=trigger_id, view=view)
        return None
    except SlackApiError as exc:
        error = exc.response.get("error") if exc.response is not None else "unknown_error"
        log.warning("could not open a form: %s", error)
        return error or "unknown_error"


def permalink(client: WebClient, channel, ts) -> str | None:
    """A link back to a message (chat.getPermalink needs no scope); None if Slack won't give one."""
    if not isinstance(channel, str) or not isinstance(ts, str):
        return None
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
    except SlackApiError as exc:  # the action is still worth making without its link
        log.warning("no permalink for the message: %s", exc.response.get("error") if exc.response is not None else exc)
        return None


class ResponseUrlError(SlackApiError):
    """A response_url refused the message (expired, used up): shaped like a Web API error."""

    def __init__(self, status: int, body: str):
        error = "expired_url" if status == 404 else (body.strip() or f"http_{status}")[:60]
        super().__init__(f"response_url: {error}", {"ok": False, "error": error})


class FatalSlackError(Exception):
    pass


class OutboxSender:
    """Claims pending outbox rows, posts them, marks them sent. Runs as a thread in the server,
    and `send_due()` is called directly by job runs and tests."""

    def __init__(self, sessions: sessionmaker[Session], client: WebClient, clock: Callable[[], dt.datetime],
                 interval: float = 2.0, on_idle: Callable[[], None] | None = None,
                 home_view: Callable[[Session, str], dict] | None = None,
                 wall: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.timezone.utc),
                 read_sessions: sessionmaker[Session] | None = None, wake_event=None, stop_event=None,
                 put_together: Callable[[str, str, str], list[tuple[str, list | None]]] | None = None):
        self.sessions, self.client, self.clock, self.interval = sessions, client, clock, interval
        self.read_sessions = read_sessions or sessions  # App Home is only read: never under the write lock
        self.wall = wall  # leases run on real time, whatever time Clerk's clock says it is
        self.holder = f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.home_view = home_view  # renders a person's App Home when an outbox row asks for it
        self.put_together = put_together  # (kind, user, about) -> the messages of a row owed later (a digest)
        self.on_idle = on_idle  # housekeeping when nothing is waiting (SQLite WAL checkpoints)
        # threading.Event by default; multiprocessing.Event when the sender is its own process
        # (bot.SenderProcess), woken by the server's request threads
        self._wake = wake_event if wake_event is not None else threading.Event()
        self._stop = stop_event if stop_event is not None else threading.Event()
        self._thread: threading.Thread | None = None
        self._heartbeat: threading.Thread | None = None
        self._dm_channels: dict[str, str] = {}
        self._private: dict[str, tuple[bool, float]] = {}

    # -- thread -------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="clerk-outbox", daemon=True)
        self._thread.start()
        self._heartbeat = threading.Thread(target=self._renew_leases, name="clerk-outbox-lease", daemon=True)
        self._heartbeat.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        for thread in (self._thread, self._heartbeat):
            if thread:
                thread.join(timeout=15)

    def run(self) -> None:
        """Send until stopped, in the calling thread (the sender process's main thread)."""
        self._heartbeat = threading.Thread(target=self._renew_leases, name="clerk-outbox-lease", daemon=True)
        self._heartbeat.start()
        self._loop()
        self._heartbeat.join(timeout=15)

    def _renew_leases(self) -> None:
        """While this process lives, its claims stay its own (a post may take seconds under retries)."""
        every = outbox.LEASE.total_seconds() / 3
        while not self._stop.wait(every):
            try:
                with unit_of_work(self.sessions) as s:
                    outbox.renew(s, self.holder, self.wall())
            except Exception:  # noqa: BLE001 - the next beat tries again
                log.exception("could not renew the outbox leases")

    def wake(self) -> None:
        self._wake.set()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            try:
                while self.send_due() and not self._stop.is_set():
                    pass
                if self.on_idle is not None:
                    self.on_idle()
            except FatalSlackError as exc:
                log.error("Slack refused Clerk's token (%s); messages wait in the outbox until it is fixed", exc)
                self._stop.wait(60)
            except Exception:  # noqa: BLE001 - the sender must outlive any one bad row
                log.exception("outbox sender round failed; retrying")

    # -- one round ----------------------------------------------------------------------------

    def send_due(self, limit: int = 20) -> int:
        """Send what is due now; returns how many rows were claimed."""
        with unit_of_work(self.sessions) as s:  # the write lock only for the claim itself
            ids = outbox.claim_ids(s, self.clock(), holder=self.holder, wall=self.wall(), limit=limit)
        if not ids:
            return 0
        try:
            with reading(self.read_sessions) as s:  # the rows, blocks and all, decoded with no lock held
                rows = outbox.claimed(s, ids)
                s.expunge_all()
        except Exception:
            with unit_of_work(self.sessions) as s:  # not left "sending" under a lease this sender renews
                outbox.unclaim(s, ids, self.holder)
            raise
        for n, row in enumerate(rows):
            try:
                self._send_one(row)
            except FatalSlackError as exc:
                for rest in rows[n + 1:]:  # back to pending: nothing is marked, nothing waits on a claim
                    self._release(rest, str(exc))
                raise
        return len(rows)

    def _send_one(self, row: OutboxMessage) -> None:
        if row.kind in outbox.LATER:
            self._put_together(row)
            return
        try:
            ts = self._post(row)
        except SlackApiError as exc:
            error = exc.response.get("error", "unknown_error") if exc.response is not None else "unknown_error"
            if error in FATAL:
                self._release(row, error)
                raise FatalSlackError(error) from None
            if error in PERMANENT:
                log.warning("outbox %s to %s not sent: %s", row.id, row.channel, error)
                with unit_of_work(self.sessions) as s:
                    outbox.give_up(s, row, error, self.clock())
                return
            self._release(row, error)
            return
        except Exception as exc:  # noqa: BLE001 - network and server faults after slack-sdk's retries
            self._release(row, type(exc).__name__)
            return
        with unit_of_work(self.sessions) as s:
            outbox.mark_sent(s, row.id, self.clock(), ts)

    def _put_together(self, row: OutboxMessage) -> None:
        """A row owed later (a digest) becomes its messages, which the next round sends."""
        try:
            messages = self.put_together(row.kind, row.channel, row.target or "")
            with unit_of_work(self.sessions) as s:
                outbox.expanded(s, row, messages, self.clock(), self.holder)
        except Exception as exc:  # noqa: BLE001 - kept, and tried again later like a failed post
            log.exception("outbox %s (%s) could not be put together", row.id, row.kind)
            self._release(row, type(exc).__name__)

    def _release(self, row: OutboxMessage, error: str) -> None:
        delay = min(300, 5 * 2 ** min(row.attempts, 6))
        log.info("outbox %s to %s will be retried in %ss: %s", row.id, row.channel, delay, error)
        with unit_of_work(self.sessions) as s:
            outbox.release(s, row.id, self.clock() + dt.timedelta(seconds=delay), error)

    def _post(self, row: OutboxMessage) -> str | None:
        if row.kind == "home":
            with reading(self.read_sessions) as s:
                view = self.home_view(s, row.channel)
            self.client.views_publish(user_id=row.channel, view=view)
            return None
        if row.kind == "respond":  # an ephemeral message, replaced through its response_url
            resp = WebhookClient(row.target, timeout=10, retry_handlers=_retry_handlers()).send(
                text=row.text, blocks=row.blocks, replace_original=True)
            if resp.status_code != 200:
                raise ResponseUrlError(resp.status_code, resp.body or "")
            return None
        channel = self._dm_channel(row.channel) if row.channel[:1] in ("U", "W") else row.channel
        key = outbox.key_of(row)
        if row.attempts > 1 and row.kind == "message" and not row.ephemeral_to:
            ts = self._already_posted(channel, key, row.created)
            if ts:  # a crash came between posting it and marking it sent
                return ts
        text, blocks = row.text, row.blocks
        if row.public_text is not None and not self._is_private(channel):
            text, blocks = row.public_text, row.public_blocks
        if row.kind == "update":  # a message already posted, brought up to date in place
            return self.client.chat_update(channel=channel, ts=row.target, text=text, blocks=blocks).get("ts")
        if row.ephemeral_to:
            resp = self.client.chat_postEphemeral(channel=channel, user=row.ephemeral_to, text=text, blocks=blocks)
            return resp.get("message_ts")
        metadata = {"event_type": METADATA_EVENT, "event_payload": {"key": key}}
        resp = self.client.chat_postMessage(channel=channel, text=text, blocks=blocks, unfurl_links=False,
                                            metadata=metadata)
        return resp.get("ts")

    def _already_posted(self, channel: str, key: str, since: dt.datetime | None) -> str | None:
        """The ts of a message carrying this key in the channel's history since the row was owed."""
        oldest = f"{since.timestamp() - 600:.6f}" if since else None
        cursor = None
        for _page in range(HISTORY_PAGES):
            history = self.client.conversations_history(channel=channel, limit=200, include_all_metadata=True,
                                                        oldest=oldest, cursor=cursor)
            for message in history.get("messages", []):
                meta = message.get("metadata") or {}
                if meta.get("event_type") == METADATA_EVENT and (meta.get("event_payload") or {}).get("key") == key:
                    return message.get("ts")
            cursor = (history.get("response_metadata") or {}).get("next_cursor")
            if not history.get("has_more") or not cursor:
                break
        return None

    def _dm_channel(self, user_id: str) -> str:
        if user_id not in self._dm_channels:
            self._dm_channels[user_id] = self.client.conversations_open(users=user_id)["channel"]["id"]
        return self._dm_channels[user_id]

    def _is_private(self, channel: str) -> bool:
        """Asked of Slack, remembered for a few minutes: a channel made public stops getting Part B text."""
        known = self._private.get(channel)
        if known is None or time.monotonic() - known[1] > PRIVACY_TTL:
            info = self.client.conversations_info(channel=channel)["channel"]
            known = (bool(info.get("is_private") or info.get("is_im")), time.monotonic())
            self._private[channel] = known
        return known[0]
