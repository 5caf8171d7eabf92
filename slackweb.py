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

from render.blocks import section
from store import faults, outbox
from store.db import read_only, reading, unit_of_work
from store.models import OutboxMessage, SlackFault

log = logging.getLogger("clerk.sender")

RETRIES = 3
METADATA_EVENT = "clerk_message"  # Slack message metadata carrying the outbox key
HISTORY_PAGES = 5  # of 200 messages: how far back a crashed post is looked for before posting again
PRIVACY_TTL = 300  # seconds
FAULT_RECHECK = 600  # seconds: a message held for a missing scope, or a refused token, is tried again this often
FENCE_MARGIN = dt.timedelta(seconds=2)  # a claim must have this much lease left when its message is sent
FAULTS_TTL = 1.0  # seconds: how stale a sender process's view of the recorded faults may be

# One table of Slack's errors (the methods' pages on docs.slack.dev list them; `msg_blocks_too_long`
# is undocumented, slackapi/bolt-js #2509). Anything not named here is TEMPORARY: retried with
# back-off (slack-sdk has already honoured Retry-After for 429s), never marked sent.
# GONE: this message's place or person cannot take it (a channel archived or gone, a person who
# left): the row is kept as failed and the people it falls back on get it instead, once.
GONE = {"channel_not_found", "not_in_channel", "is_archived", "user_not_found", "user_disabled",
        "cannot_dm_bot", "restricted_action", "messages_tab_disabled", "message_not_found",
        "cant_update_message", "edit_window_closed", "expired_url", "used_url", "invalid_url",
        "user_not_in_channel", "ekm_access_denied", "channel_is_limited_access"}
# INVALID: Slack refused the message itself. Kept as failed and never sent again, to anyone (the
# same blocks would be refused again); the people it falls back on are told what happened.
INVALID = {"invalid_blocks", "invalid_blocks_format", "msg_too_long", "msg_blocks_too_long", "no_text",
           "invalid_arguments", "invalid_metadata_format", "metadata_too_large", "invalid_attachments",
           "too_many_attachments", "invalid_json", "json_not_object", "invalid_form_data", "invalid_array_arg",
           "invalid_arg_name", "invalid_charset", "invalid_post_type", "missing_post_type"}
# TOKEN: the bot token itself is refused: nothing can be sent with it; every row waits, and the
# fault is recorded once (store.faults), logged once and shown on /healthz.
TOKEN = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
         "team_access_not_granted", "not_allowed_token_type", "app_uninstalled"}
# Of those, the ones no later call can mend: the token is never used again (a reinstall brings a
# new one, and a new token starts clean).
DEAD = {"token_revoked", "app_uninstalled", "tokens_revoked", "account_inactive"}
# SCOPE: `missing_scope` names the scope (`needed`): only the messages that need it wait, retried
# every FAULT_RECHECK seconds; the secretaries are told once what the Slack admin must grant.
SCOPE = "missing_scope"


def slack_error(exc: SlackApiError) -> str:
    return (exc.response.get("error") if exc.response is not None else None) or "unknown_error"


def _retry_handlers() -> list:
    return [ConnectionErrorRetryHandler(max_retry_count=RETRIES), RateLimitErrorRetryHandler(max_retry_count=RETRIES),
            ServerErrorRetryHandler(max_retry_count=RETRIES)]


# seconds a call in a request's path may take (urllib's timeout is per step, connecting and reading):
# views.open, and before it a permalink for the message shortcut, both within Slack's 3 s
QUICK_TIMEOUT = 0.9
PERMALINK_TIMEOUT = 0.5


def make_client(token: str, base_url: str, *, quick: bool = False) -> WebClient:
    """The sender's client retries (slack-sdk's handlers: connection errors, 429 with Retry-After,
    5xx); a `quick` one, for calls made while Slack waits for Clerk's answer, never does."""
    if quick:
        return WebClient(token=token, base_url=base_url, timeout=QUICK_TIMEOUT, retry_handlers=[])
    return WebClient(token=token, base_url=base_url, timeout=10, retry_handlers=_retry_handlers())


def open_view(client: WebClient, trigger_id, view: dict) -> str | None:
    """views.open; None when it opened, else Slack's error (expired_trigger_id after 3 seconds)."""
    if not isinstance(trigger_id, str) or not trigger_id:
        return "no_trigger_id"
    try:
        client.views_open(trigger_id=trigger_id, view=view)
        return None
    except SlackApiError as exc:
        error = slack_error(exc)
    except Exception as exc:  # noqa: BLE001 - a timeout or a dropped connection: the trigger is spent anyway
        error = "timeout" if "timeout" in type(exc).__name__.lower() or "timed out" in str(exc) else "unreachable"
    log.warning("could not open a form: %s", error)
    return error


def permalink(client: WebClient, channel, ts) -> str | None:
    """A link back to a message (chat.getPermalink needs no scope); None if Slack won't give one."""
    if not isinstance(channel, str) or not isinstance(ts, str):
        return None
    try:  # a shorter timeout than the form's own: both must fit in the 3 s Slack waits
        quick = WebClient(token=client.token, base_url=client.base_url, timeout=PERMALINK_TIMEOUT, retry_handlers=[])
        return quick.chat_getPermalink(channel=channel, message_ts=ts)["permalink"]
    except SlackApiError as exc:  # the action is still worth making without its link
        log.warning("no permalink for the message: %s", slack_error(exc))
    except Exception as exc:  # noqa: BLE001 - slow or unreachable: the form opens without the link
        log.warning("no permalink for the message: %s", type(exc).__name__)
    return None


class ResponseUrlError(SlackApiError):
    """A response_url refused the message (expired, used up): shaped like a Web API error."""

    def __init__(self, status: int, body: str):
        error = "expired_url" if status == 404 else (body.strip() or f"http_{status}")[:60]
        super().__init__(f"response_url: {error}", {"ok": False, "error": error})


class TakenOver(Exception):
    """This sender's claim on a row ran out (it was held up) and another may have taken it over."""


class FatalSlackError(Exception):
    """The bot token was refused: nothing can be sent with it until it is fixed (or replaced)."""


class FaultView:
    """This token's faults as recorded (store.faults), read again at most every `ttl` seconds: another
    process (the server receiving `tokens_revoked`, a replica's sender) may record one. One view
    serves the sender and the server's request path."""

    def __init__(self, read_sessions: sessionmaker[Session], token: str, ttl: float):
        self.read_sessions, self.token, self.ttl = read_sessions, token, ttl
        self._read: tuple[float, list[SlackFault]] = (float("-inf"), [])

    def all(self) -> list[SlackFault]:
        if time.monotonic() - self._read[0] > self.ttl:
            with reading(self.read_sessions) as s:
                found = faults.active(s, self.token)
                s.expunge_all()
            self._read = (time.monotonic(), found)
        return self._read[1]

    def token_refused(self) -> str | None:
        """Slack's error for this token when it was refused (token_revoked, invalid_auth, …), else None."""
        return next((f.detail for f in self.all() if f.kind == faults.TOKEN), None)

    def changed(self) -> None:
        """Read them again before the next look (this process recorded or cleared one)."""
        self._read = (float("-inf"), [])


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
        self.token = faults.fingerprint(client.token or "")  # which token: faults are kept per token
        self.faults = FaultView(self.read_sessions, self.token, FAULTS_TTL)
        self._token_checked = float("-inf")
        self._said_read_only = float("-inf")

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

    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval)
            self._wake.clear()
            try:
                while self.send_due() and not self._stop.is_set():
                    pass
                if self.on_idle is not None:
                    self.on_idle()
            except FatalSlackError:
                self._stop.wait(self.interval)  # said once when recorded; until then nothing is sent
            except Exception as exc:  # noqa: BLE001 - the sender must outlive any one bad row
                if not read_only(exc):
                    log.exception("outbox sender round failed; retrying")
                elif time.monotonic() - self._said_read_only > FAULT_RECHECK:  # one line, not a traceback a round
                    self._said_read_only = time.monotonic()
                    log.error("the database is read-only: nothing can be sent or marked sent until it is writable")

    # -- the token, and what Slack's set-up lacks ------------------------------------------------

    def _token_usable(self) -> bool:
        """False while the token is refused: revoked for good, or refused and not yet due a re-check
        (then auth.test asks Slack, costing one call per FAULT_RECHECK seconds)."""
        refused = [f for f in self.faults.all() if f.kind == faults.TOKEN]
        if not refused:
            return True
        if any(f.detail in DEAD for f in refused):
            return False
        if time.monotonic() - self._token_checked < FAULT_RECHECK:
            return False
        self._token_checked = time.monotonic()
        try:
            self.client.auth_test()
        except SlackApiError as exc:
            log.info("Slack still refuses Clerk's token (%s)", slack_error(exc))
            return False
        except Exception:  # noqa: BLE001 - Slack unreachable: try again at the next re-check
            return False
        with unit_of_work(self.sessions) as s:
            for fault in refused:
                faults.clear(s, faults.TOKEN, self.token, fault.detail)
        log.warning("Slack accepts Clerk's token again; sending what waited")
        self.faults.changed()
        return True

    def _token_refused(self, error: str) -> None:
        with unit_of_work(self.sessions) as s:
            new = faults.record(s, faults.TOKEN, self.token, error, self.clock())
        if new:  # once, not every round: the outbox keeps every row until the token is fixed
            log.error("Slack refused Clerk's bot token (%s): nothing is sent until it is fixed; messages wait "
                      "in the outbox. %s", error, "Reinstall the app and set SLACK_BOT_TOKEN to its new token."
                      if error in DEAD else "Check SLACK_BOT_TOKEN, or reinstall the app.")
        self.faults.changed()
        self._token_checked = time.monotonic()

    def _scope_missing(self, row: OutboxMessage, needed: str) -> None:
        """Only this row waits (and the others that need the scope, as each meets it); the
        secretaries hear once what the Slack admin must grant."""
        now = self.clock()
        with unit_of_work(self.sessions) as s:
            new = faults.record(s, faults.SCOPE, self.token, needed, now)
            outbox.release(s, row.id, now + dt.timedelta(seconds=FAULT_RECHECK), f"{SCOPE}:{needed}")
            if new:
                log.error("Clerk's Slack app lacks the scope %s; messages that need it wait in the outbox until a "
                          "Slack admin reinstalls the app from manifest.yml", needed)
                scopes = [f"`{scope}`" for scope in needed.split(",") if scope]
                which = f"the permission {scopes[0]}" if len(scopes) == 1 else \
                    f"one of the permissions {', '.join(scopes)}"
                note = (f"Clerk's Slack app is missing {which}, so some of its messages are waiting. Nothing is "
                        "lost: they go out once a Slack admin reinstalls Clerk from its manifest.yml, which asks "
                        "for what Clerk needs. Other messages go out as usual.")
                for user in faults.secretaries_on_slack(s):
                    outbox.enqueue(s, user, note, now, blocks=[section(note)],
                                   key=f"fault:{self.token}:{needed}:{now:%Y%m%d%H%M%S}:{user}")
        self.faults.changed()

    # -- one round ----------------------------------------------------------------------------

    def send_due(self, limit: int = 20) -> int:
        """Send what is due now; returns how many rows were claimed. Raises FatalSlackError, claiming
        nothing, while the token is refused."""
        if not self._token_usable():
            raise FatalSlackError(self.faults.token_refused())
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
            except Exception as exc:  # noqa: BLE001 - one bad row never holds up the rest
                log.exception("outbox %s could not be sent; it is tried again later", row.id)
                try:
                    self._release(row, type(exc).__name__)
                except Exception:  # noqa: BLE001 - its lease runs out, and it is claimed again
                    log.exception("outbox %s could not be given back", row.id)
        return len(rows)

    def _send_one(self, row: OutboxMessage) -> None:
        """One row, its key on every line logged meanwhile (logs.KEY), counted by outcome (metrics)."""
        import logs

        token = logs.KEY.set(outbox.key_of(row))
        try:
            self._send_counted(row)
        finally:
            logs.KEY.reset(token)

    def _send_counted(self, row: OutboxMessage) -> None:
        import metrics

        if row.kind in outbox.LATER:
            self._put_together(row)
            return
        started = time.perf_counter()
        try:
            ts = self._post(row)
        except TakenOver:
            log.warning("outbox %s was taken over by another sender while this one was held up; not sent here", row.id)
            with unit_of_work(self.sessions) as s:  # if nobody did take it, it is anyone's again (settled from history)
                outbox.unclaim(s, [row.id], self.holder)
            return
        except SlackApiError as exc:
            error = slack_error(exc)
            if error in TOKEN:
                self._release(row, error)
                self._token_refused(error)
                raise FatalSlackError(error) from None
            if error == SCOPE:  # `needed` may name several scopes, any one of which would do
                metrics.sent("waiting", error)
                self._scope_missing(row, str(exc.response.get("needed") or "unknown").replace(" ", ""))
            elif error in GONE or error in INVALID:
                log.warning("outbox %s to %s not sent: %s", row.id, row.channel, error)
                with unit_of_work(self.sessions) as s:
                    self._give_up(s, row, error)
            else:
                self._release(row, error)
            return
        except Exception as exc:  # noqa: BLE001 - network and server faults after slack-sdk's retries
            self._release(row, type(exc).__name__)
            return
        with unit_of_work(self.sessions) as s:
            outbox.mark_sent(s, row.id, self.clock(), ts)
            if (row.last_error or "").startswith(f"{SCOPE}:"):  # what it waited for was granted
                scope = row.last_error.split(":", 1)[1]
                if faults.clear(s, faults.SCOPE, self.token, scope):
                    log.warning("Clerk's Slack app has the scope %s now; what waited for it is being sent", scope)
                self.faults.changed()
        metrics.sent("sent", seconds=time.perf_counter() - started)
        log.info("outbox %s sent to %s (%s, attempt %s)", row.id, row.channel, row.kind, row.attempts)

    def _give_up(self, s, row: OutboxMessage, error: str) -> None:
        """Kept as failed; whoever should know is told a true sentence, once. A refused message is
        never sent again, so it is not forwarded: only where it could not go is it passed on."""
        invalid = error in INVALID
        where = f"<#{row.channel}>" if row.channel[:1] in ("C", "G") else f"<@{row.channel}>"
        tell = row.fallback_to.split(",") if row.fallback_to else []
        if invalid:
            what = "too long for one message" if "long" in error else "not a message Slack accepts"
            note = (f"Slack refused a message Clerk made for {where} ({error}: {what}), so it was not sent and "
                    "will not be tried again. Nothing on the log is lost: `/action list` and `/action digest` "
                    "show it, and `python bot.py export actions` writes it out. Please tell whoever runs Clerk.")
            if not tell and row.channel[:1] in ("U", "W") and row.kind == "message" and ":to:" not in (row.key or ""):
                tell = [row.channel]  # the person it was for hears that something did not arrive
        elif error == "is_archived":
            note = (f"I could not post in {where}: the channel is archived. Give the board a channel again with "
                    "`/clerk board <name> channel #…`. This was the post:\n")
        elif row.channel[:1] in ("C", "G"):
            note = (f"I could not post in {where} ({error}). Invite Clerk there with `/invite @Clerk` so the "
                    "board sees its changes. This was the post:\n")
        else:
            note = f"I could not reach {where} ({error}). This was for them:\n"
        if not tell and row.channel[:1] in ("C", "G"):  # a board post nobody made (a job's): its secretaries
            tell = faults.secretaries_of_channel(s, row.channel)
        outbox.give_up(s, row, error, self.clock(), tell=tell, note=note, forward=not invalid)
        import metrics

        metrics.sent("failed", error)

    def _fence(self, row: OutboxMessage) -> None:
        """A fencing check just before a message goes: the claim is still this sender's, its lease
        good for a little longer; else TakenOver, and nothing is sent from here."""
        with reading(self.read_sessions) as s:
            if not outbox.still_mine(s, row.id, self.holder, self.wall(), FENCE_MARGIN):
                raise TakenOver(row.id)

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
        import metrics

        metrics.sent("retried", error)
        with unit_of_work(self.sessions) as s:
            outbox.release(s, row.id, self.clock() + dt.timedelta(seconds=delay), error, holder=self.holder)

    def _post(self, row: OutboxMessage) -> str | None:
        """Send one row. Whatever Slack was asked first (a DM's channel, whether a channel is private,
        its history), the claim is checked just before the message itself goes (`_fence`)."""
        if row.kind == "home":
            with reading(self.read_sessions) as s:
                view = self.home_view(s, row.channel)
            self._fence(row)
            self.client.views_publish(user_id=row.channel, view=view)
            return None
        if row.kind == "respond":  # an ephemeral message, replaced through its response_url
            self._fence(row)
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
        self._fence(row)
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
        """The ts of a message carrying this key in the channel's history since the row was owed.
        Reading history needs the app in the channel: a public one it posted to without joining
        (chat:write.public) is joined first (channels:join), as conversations.history asks."""
        oldest = f"{since.timestamp() - 600:.6f}" if since else None
        cursor = None
        for _page in range(HISTORY_PAGES):
            history = self._history(channel, limit=200, include_all_metadata=True, oldest=oldest, cursor=cursor)
            for message in history.get("messages", []):
                meta = message.get("metadata") or {}
                if meta.get("event_type") == METADATA_EVENT and (meta.get("event_payload") or {}).get("key") == key:
                    return message.get("ts")
            cursor = (history.get("response_metadata") or {}).get("next_cursor")
            if not history.get("has_more") or not cursor:
                break
        return None

    def _history(self, channel: str, **page):
        try:
            return self.client.conversations_history(channel=channel, **page)
        except SlackApiError as exc:
            if slack_error(exc) != "not_in_channel":
                raise
        self.client.conversations_join(channel=channel)
        return self.client.conversations_history(channel=channel, **page)

    def _dm_channel(self, user_id: str) -> str:
        if user_id not in self._dm_channels:
            self._dm_channels[user_id] = self.client.conversations_open(users=user_id)["channel"]["id"]
        return self._dm_channels[user_id]

    def _is_private(self, channel: str) -> bool:
        """A DM is private without asking (conversations.info there would need im:read); a channel
        is asked of Slack and remembered for a few minutes: one made public stops getting Part B text."""
        if channel[:1] == "D":
            return True
        known = self._private.get(channel)
        if known is None or time.monotonic() - known[1] > PRIVACY_TTL:
            info = self.client.conversations_info(channel=channel)["channel"]
            known = (bool(info.get("is_private") or info.get("is_im")), time.monotonic())
            self._private[channel] = known
        return known[0]



def channel_ids(settings, names: set[str], *, pages: int = 20) -> dict[str, str]:
    """Channel ids by name (`pr-board` -> C0123), for the console's `#pr-board`: the workspace's
    public and private channels Clerk can see (conversations.list; channels:read, groups:read),
    read page by page until every name is found. A name Slack does not know is left out."""
    client = make_client(settings.SLACK_BOT_TOKEN.get_secret_value(), settings.SLACK_API_URL)
    found: dict[str, str] = {}
    cursor = None
    for _ in range(pages):
        try:
            page = client.conversations_list(types="public_channel,private_channel", exclude_archived=True,
                                             limit=1000, cursor=cursor)
        except SlackApiError:
            break
        for channel in page.get("channels", []):
            if channel.get("name") in names:
                found[channel["name"]] = channel["id"]
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor or set(found) >= names:
            break
    return found
