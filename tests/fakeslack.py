"""A fake Slack Web API served on 127.0.0.1, for driving slack_sdk.WebClient in tests.

    with FakeSlack() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.url)
        client.chat_postMessage(channel="C1", text="hi")
        assert fake.posts("C1")[0]["text"] == "hi"

Pure stdlib on purpose: it must not depend on anything the app under test uses. It behaves as
Slack's documentation says Slack behaves, not as Clerk expects; each rule below names its source,
and the code repeats the tag ([TRIGGER] ...) beside the line that applies it. Method pages are
https://docs.slack.dev/reference/methods/<method> (error tables read in the copies kept by
github.com/slack-ruby/slack-api-ref, methods/<group>/<method>.json, which tracks those pages).

[BLOCKS]   Block Kit beyond Slack's limits is refused (tests/blockkit.py has the sources):
           `invalid_blocks` for chat.*, `invalid_arguments` for views.*; `errors` lists why.
[NO_TEXT]  chat.postMessage / postEphemeral / update need one of `text`, `blocks`,
           `attachments` ("One of these arguments ... is required", the methods' arg groups):
           otherwise `no_text` ("No message text provided").
[TRUNCATE] `text` over 40,000 characters is not refused: Slack posts it cut to 40,000 and answers
           with `response_metadata.warnings: ["message_truncated"]` and the message "[WARN] Your
           message was truncated but still posted. The `text` field accepts up to 40,000
           characters." This "applies to all methods of posting messages to Slack:
           chat.postMessage, chat.postEphemeral, interactive message and slash command response
           URLs" (https://api.slack.com/changelog/2018-04-truncating-really-long-messages). The
           method pages still list `msg_too_long`; the changelog is the one that says what
           happens, so the fake truncates (chat.update too) and `fake.warnings()` lists it.
[METADATA] `metadata` is a "JSON object with event_type and event_payload fields"
           (chat.update / chat.postMessage pages; https://api.slack.com/metadata/using
           "You'll use two keys, event_type and event_payload"): anything else is
           `invalid_metadata_format` ("Invalid metadata format provided"). On chat.update "If you
           don't include this field, the message's previous metadata will be retained. To remove
           previous metadata, include an empty object". Reading it back: "If you receive a
           message by directly calling an API method and passing include_all_metadata=true, you
           will find a new metadata parameter ... with two keys: event_type and event_payload. If
           you do not pass include_all_metadata=true, you will receive the event_type field only"
           (https://api.slack.com/metadata/using#direct). Not enforced, because no page gives a
           number or a rule: the size behind `metadata_too_large` ("Metadata exceeds size limit";
           set `fake.metadata_max_bytes` to model one), and event_type naming (the design
           guidelines say "none of these guidelines are enforced programmatically",
           https://api.slack.com/reference/metadata).
[TRIGGER]  views.open / views.push exchange a trigger_id from an interaction. Triggers "expire in
           three seconds" and "may only be used once" (https://api.slack.com/docs/triggers).
           Errors (views.open page): `invalid_trigger_id` "The trigger_id is invalid. The
           expected format for the trigger_id argument is "132456.7890123.abcdef"",
           `exchanged_trigger_id` "The trigger_id was already exchanged in a previous call",
           `expired_trigger_id` "The trigger_id is expired". The fake only knows triggers it
           issued: `fake.trigger(at=...)` mints one (what Slack puts in the payload of a slash
           command, button press or shortcut); anything else is invalid_trigger_id. Unclear in the
           docs, chosen here: the page's "typical error response, before getting to any possible
           validation errors" is `invalid_arguments` / "invalid `trigger_id`" while its table
           names `invalid_trigger_id`; the fake answers the table's codes. A missing trigger_id is
           `invalid_arguments` (the arg group: "One of these arguments is required"). The
           trigger is checked before the view, and a call refused for its view does not use the
           trigger up (the docs do not say).
[VIEWS]    views.update: "Either view_id or external_id is required"; `not_found` "when the given
           view_id or external_id doesn't exist"; views.update and views.publish: `hash_conflict`
           "when the provided hash doesn't match the current stored value"; `duplicate_external_id`
           (views.open/push/update/publish pages). views.publish: `user_id` is required (the
           example error "invalid `user_id`", invalid_arguments). Every view returned carries a
           new `hash` (the responses' examples, "hash": "156772938.1827394").
[UPDATE]   chat.update of a ts Slack does not hold: `message_not_found` "No message exists with the
           requested timestamp"; of a message the app did not post: `cant_update_message`
           "Authenticated user does not have permission to update this message". A test that
           updates a message posted before it started (by an earlier Clerk) puts it there first
           with `fake.seed_message(...)`; there is no switch to turn this rule off.
[PERMALINK] chat.getPermalink: `message_not_found` "The message identified by message_ts could not
           be found" (chat.getPermalink page). A shortcut on a person's message needs that
           message seeded: `fake.seed_message(channel, text, user=...)`.
[EPHEMERAL] chat.postEphemeral: "id of the user who will receive the ephemeral message. The user
           should be in the channel"; `user_not_in_channel` "Intended recipient is not in the
           specified channel" (chat.postEphemeral page). The fake knows who is in a channel only
           when a test says so (`set_channel(..., members=[...])`); otherwise anyone is. Ephemeral
           messages never appear in history; `fake.ephemerals()` lists them.
[CHANNEL]  A private channel the app is not a member of is invisible to it: posting there is
           `channel_not_found`. Chosen code: the docs list both `channel_not_found` and
           `not_in_channel` ("Cannot post user messages to a channel they are not in") without
           saying which a bot gets for a private channel; a public one works without joining, with
           chat:write.public ("Send messages to channels @your_slack_app isn't a member of",
           https://api.slack.com/scopes/chat:write.public; Clerk's manifest asks for it).
[OPEN]     conversations.open (page): users "Comma separated lists of users. If only one user is
           included, this creates a 1:1 DM"; `users_list_not_supplied` "Missing users in
           request", `user_not_found` "Value(s) passed for users was invalid", `user_disabled` "A
           specified user has been disabled", `too_many_users` "Needs at most 8 users to open".
           DM ids are deterministic here (U123 -> DU123) so tests can predict them.
[USERS]    users.info: `user_not_found` "Value passed for user was invalid" (users.info page): for
           an id that is not a Slack user id, or one removed with `fake.remove_user()`. Every
           well-formed id a test names is otherwise a member of the workspace.
[HISTORY]  conversations.history / replies are cursor-paginated: `limit` is "a maximum number of
           results"; "Paginated responses include a top-level response_metadata object that
           includes a next_cursor when there are additional results"; "The limit parameter
           maximum is 1000 ... and may vary per method" (https://api.slack.com/apis/pagination).
           Default page size 100 and maximum 999 for conversations.history (its docs.slack.dev
           page; not in the stored copy read, so taken as stated there). Newest first; `oldest`,
           `latest`, `inclusive` bound the range (conversations.history page). Thread replies
           are not in history.
[SCOPES]   Every method checks the bot token's scopes, and answers `missing_scope` with `needed`
           (the scope) and `provided` (the token's scopes), as Slack's error responses do
           ("needed": "channels:history", "provided": "..."; the `needed`/`provided` fields of
           the SDKs' response types, e.g. @slack/web-api ConversationsJoinResponse). The scopes
           per method are METHOD_SCOPES below, from Slack's Web API spec (slackapi/slack-api-specs
           web-api/slack_web_openapi_v2.json, `paths./<method>.*.security`; its classic
           `chat:write:bot` is `chat:write` for a bot token) and, for conversations.join's bot
           scope `channels:join`, the method's page (docs.slack.dev/reference/methods/
           conversations.join, "Bot token: channels:join"). For conversations.* the scope
           follows the channel's kind (public, private, im, mpim). The token's scopes are the
           bot scopes of Clerk's manifest.yml unless a test sets `fake.scopes`.
[MEMBER]   Reading a public channel's history needs the app to be in it: a channel it posts to
           through chat:write.public only answers `not_in_channel` (reported on
           slackapi/deno-slack-sdk #128); conversations.join puts it there ("joins a user to an
           existing conversation"; a private one answers `method_not_supported_for_channel_type`,
           the method's error table).
[TOOLONG]  chat.postMessage, postEphemeral and update are refused with `msg_blocks_too_long` when
           the text of all a message's blocks passes about 12,000 characters, each block within
           its own limits (undocumented; slackapi/bolt-js #2509 "Blocks too long error at ~13200
           characters", #2867 "12,000 text characters with a buffer"). The fake refuses past
           MESSAGE_MAX_BLOCK_TEXT = 12,000. Not on response_url posts (#2867 saw no limit there).
[REVOKED]  After `tokens_revoked` / `app_uninstalled` the token answers `token_revoked` to every
           call (the methods' error tables: "Authentication token is for a deleted user or
           workspace or the app has been removed"); `fake.revoke()` does that.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.blockkit import MESSAGE_MAX_TEXT, problems

BOT_USER_ID = "UCLERKBOT"
BOT_ID = "BCLERK"
TEAM_ID = "T0001"
APP_ID = "A0001"

TRIGGER_TTL = 3.0  # seconds [TRIGGER]
MESSAGE_MAX_BLOCK_TEXT = 12_000  # [TOOLONG]
MANIFEST = Path(__file__).resolve().parent.parent / "manifest.yml"
# [SCOPES] The bot scope each method needs; for conversations.*, by the channel's kind.
METHOD_SCOPES: dict[str, str | dict[str, str] | None] = {
    "chat.postMessage": "chat:write", "chat.postEphemeral": "chat:write", "chat.update": "chat:write",
    "chat.delete": "chat:write", "chat.scheduleMessage": "chat:write",
    "chat.getPermalink": None, "auth.test": None, "views.open": None, "views.push": None,
    "views.update": None, "views.publish": None, "apps.connections.open": None, "response_url": None,
    "users.info": "users:read", "users.list": "users:read",
    "conversations.history": {"public": "channels:history", "private": "groups:history", "im": "im:history",
                              "mpim": "mpim:history"},
    "conversations.replies": {"public": "channels:history", "private": "groups:history", "im": "im:history",
                              "mpim": "mpim:history"},
    "conversations.info": {"public": "channels:read", "private": "groups:read", "im": "im:read",
                           "mpim": "mpim:read"},
    "conversations.members": {"public": "channels:read", "private": "groups:read", "im": "im:read",
                              "mpim": "mpim:read"},
    "conversations.join": {"public": "channels:join"},
    "conversations.list": "channels:read",  # (and groups:read for private ones: the console's #name, issue 28)
    "conversations.open": "im:write",
}


def manifest_scopes(path: Path = MANIFEST) -> set[str]:
    import yaml  # a test dependency; the app under test does not read YAML

    return set(yaml.safe_load(path.read_text())["oauth_config"]["scopes"]["bot"])
HISTORY_DEFAULT_LIMIT = 100  # [HISTORY]
HISTORY_MAX_LIMIT = 999
OPEN_MAX_USERS = 8  # [OPEN]
TRUNCATED_WARNING = ("[WARN] Your message was truncated but still posted. "
                     "The `text` field accepts up to 40,000 characters.")  # [TRUNCATE]
_USER_ID = re.compile(r"^[UW][A-Z0-9]+$")  # Slack ids: U or W, then upper-case letters and digits
_CHAT_POSTS = ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url")

# Arguments that Slack accepts as JSON text when form-encoded, but as nested
# objects in a JSON body. Decoded wherever the fake interprets a request.
_JSON_FIELDS = ("blocks", "attachments", "metadata", "view")


@dataclass
class Call:
    """One request the fake received, faulted or not."""

    method: str
    args: dict  # query + body, merged; JSON-ish fields left exactly as sent
    token: str | None
    status: int  # HTTP status returned; 0 when the connection was dropped
    response: dict | None = None  # JSON body returned; None when dropped
    headers: dict = field(default_factory=dict, repr=False)
    raw: bytes = field(default=b"", repr=False)  # exact body, e.g. to check signatures

    def json(self, name: str, default: Any = None) -> Any:
        """Arg `name` decoded: form bodies carry JSON as text, JSON bodies as objects."""
        value = self.args.get(name, default)
        return json.loads(value) if isinstance(value, str) else value

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response and self.response.get("ok"))


@dataclass
class _Fault:
    status: int | None
    retry_after: int | None
    error: str | None
    drop: bool
    hang: float = 0.0  # seconds: the call is applied, then the answer waits (a client killed meanwhile)


@dataclass
class _Trigger:
    issued: float  # on the fake's clock
    user: str | None
    exchanged: bool = False


class _Refusal(Exception):
    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.body = {"ok": False, "error": error, **extra}


def _decoded(args: dict) -> dict:
    out = dict(args)
    for name in _JSON_FIELDS:
        if isinstance(out.get(name), str):
            try:
                out[name] = json.loads(out[name])
            except ValueError:
                pass  # left as text; the checks below refuse it
    return out


def message_block_text(blocks: Any) -> int:
    """[TOOLONG] The characters of every `text` string in a message's blocks."""
    if isinstance(blocks, dict):
        return sum(len(v) if k == "text" and isinstance(v, str) else message_block_text(v) for k, v in blocks.items())
    if isinstance(blocks, list):
        return sum(message_block_text(v) for v in blocks)
    return 0


def _truthy(value: Any) -> bool:
    # Form bodies carry booleans as "1"/"0" (WebClient converts them), JSON as true/false.
    return value is True or str(value).lower() in ("1", "true")


def _seconds(at: float | dt.datetime | None, default: float) -> float:
    if at is None:
        return default
    return at.timestamp() if isinstance(at, dt.datetime) else float(at)


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.url = ""
        self._lock = threading.Lock()
        self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
        self._messages: dict[str, list[dict]] = defaultdict(list)  # channel -> oldest first
        self._ephemerals: list[dict] = []
        self._channels: dict[str, dict] = {}
        self._members: dict[str, set[str]] = {}  # channel -> user ids, only where a test set them
        self._users: dict[str, dict] = {}
        self._removed_users: set[str] = set()
        self._triggers: dict[str, _Trigger] = {}
        self._views: dict[str, dict] = {}  # view id -> the view as Slack holds it
        self._home: dict[str, str] = {}  # user id -> their Home tab's view id
        self._ts_counter = 0
        self._view_counter = 0
        self._trigger_counter = 0
        self._hash_counter = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        # The fake's own clock, in epoch seconds: real time, so a trigger minted by a test expires
        # 3 real seconds later whatever time Clerk's test clock says. Override to test expiry.
        self.clock: Callable[[], float] = time.time
        # [METADATA] Slack documents metadata_too_large but no threshold; None = not enforced.
        self.metadata_max_bytes: int | None = None
        # Socket Mode: when set (e.g. to tests.fakesocket.FakeSocketMode().url), apps.connections.open
        # answers {"ok": true, "url": socket_url}, as Slack hands out a WebSocket URL. Unset, the
        # method answers like any unknown one ({"ok": true}, no url).
        self.socket_url: str | None = None
        self.scopes: set[str] = manifest_scopes()  # [SCOPES] the bot token's; a test may take some away
        self.revoked: set[str] = set()  # [REVOKED] tokens Slack no longer accepts

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> FakeSlack:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/api/"
        # Poll for shutdown every 0.05 s: the default 0.5 s would dominate short test runs.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="FakeSlack", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- test-facing helpers -----------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def posts(self, channel: str | None = None) -> list[dict]:
        """Args of successful chat.postMessage calls, with JSON fields decoded."""
        return [
            _decoded(c.args)
            for c in self.calls_to("chat.postMessage")
            if c.ok and (channel is None or c.args.get("channel") == channel)
        ]

    def messages(self, channel: str) -> list[dict]:
        """The channel's messages as Slack holds them now (ts, text, blocks; updates applied), oldest first."""
        with self._lock:
            return [dict(m) for m in self._messages[channel]]

    def ephemerals(self, channel: str | None = None, user: str | None = None) -> list[dict]:
        """Ephemeral messages shown (chat.postEphemeral that succeeded): channel, user, text, blocks."""
        with self._lock:
            return [dict(e) for e in self._ephemerals
                    if (channel is None or e["channel"] == channel) and (user is None or e["user"] == user)]

    def warnings(self) -> list[tuple[str, str]]:
        """(method, warning) for every call Slack accepted with a warning, e.g. message_truncated."""
        with self._lock:
            return [(c.method, w) for c in self.calls if c.response
                    for w in (c.response.get("response_metadata") or {}).get("warnings", [])]

    def views(self) -> dict[str, dict]:
        """The views Slack holds now (modals opened, Home tabs published), by view id."""
        with self._lock:
            return {k: dict(v) for k, v in self._views.items()}

    def home(self, user_id: str) -> dict | None:
        """The Home tab last published for a user, or None."""
        with self._lock:
            view_id = self._home.get(user_id)
            return dict(self._views[view_id]) if view_id else None

    def set_channel(self, channel_id: str, *, is_private: bool = False, is_im: bool = False,
                    name: str | None = None, is_member: bool = True, is_mpim: bool = False,
                    members: list[str] | None = None) -> None:
        """Describe a channel. `members`: the users in it, for [EPHEMERAL]; unset, anyone is.
        `is_member`: whether Clerk is in it [MEMBER]."""
        with self._lock:
            self._channels[channel_id] = {
                "id": channel_id, "name": name or channel_id, "is_private": is_private or is_im or is_mpim,
                "is_im": is_im, "is_mpim": is_mpim, "is_member": is_member,
            }
            if members is not None:
                self._members[channel_id] = set(members)
            else:
                self._members.pop(channel_id, None)

    def set_user(self, user_id: str, *, real_name: str | None = None, deleted: bool = False) -> None:
        with self._lock:
            self._removed_users.discard(user_id)
            self._users[user_id] = self._default_user(user_id) | {"deleted": deleted}
            if real_name is not None:
                self._users[user_id]["real_name"] = real_name
                self._users[user_id]["profile"] = {"real_name": real_name, "display_name": real_name}

    def remove_user(self, user_id: str) -> None:
        """The workspace has no such user: users.info and conversations.open say user_not_found [USERS]."""
        with self._lock:
            self._users.pop(user_id, None)
            self._removed_users.add(user_id)

    def trigger(self, at: float | dt.datetime | None = None, *, user: str | None = None) -> str:
        """A trigger_id as Slack puts in an interaction payload, issued `at` (epoch seconds or an
        aware datetime, on the fake's clock; default now). views.open/push accept it once, within
        TRIGGER_TTL seconds of `at` [TRIGGER]."""
        with self._lock:
            issued = _seconds(at, self.clock())
            self._trigger_counter += 1
            # The documented shape: "132456.7890123.abcdef" (digits.digits.hex).
            trigger_id = f"{int(issued * 1000)}.{self._trigger_counter}.{secrets.token_hex(8)}"
            self._triggers[trigger_id] = _Trigger(issued, user)
            return trigger_id

    def seed_message(self, channel: str, text: str = "", *, user: str | None = None, ts: str | None = None,
                     blocks: list | None = None, metadata: dict | None = None,
                     thread_ts: str | None = None) -> dict:
        """Put a message in a channel as if it were there before the test: by `user`, or by Clerk
        when no user is given (e.g. posted by an earlier process). Returns the stored message."""
        with self._lock:
            message = ({"type": "message", "user": user, "ts": ts or self._next_ts(), "text": text} if user else
                       self._bot_message(ts or self._next_ts(), text))
            for name, value in (("blocks", blocks), ("metadata", metadata), ("thread_ts", thread_ts)):
                if value is not None:
                    message[name] = value
            self._messages[channel].append(message)
            self._messages[channel].sort(key=lambda m: float(m["ts"]))
            return dict(message)

    def revoke(self, token: str = "xoxb-test-token") -> None:
        """[REVOKED] Slack revoked this token (the app uninstalled, or its tokens revoked)."""
        with self._lock:
            self.revoked.add(token)

    def fail(self, method: str, *, status: int | None = None, retry_after: int | None = None,
             error: str | None = None, drop: bool = False, hang: float = 0.0, times: int = 1) -> None:
        """Fault the next `times` calls of `method`.

        status=429/500/503 answers with that status (plus Retry-After if retry_after
        is given); error="x" alone answers HTTP 200 {"ok": false, "error": "x"};
        drop=True closes the connection without a response (recorded as status 0);
        hang=N applies the call (a message is posted) and answers only after N seconds.
        """
        if not (status or error or drop or hang):
            raise ValueError("fail() needs status=, error=, drop=True or hang=")
        with self._lock:
            self._faults[method].extend(_Fault(status, retry_after, error, drop, hang) for _ in range(times))

    def reset(self) -> None:
        """Forget calls, pending faults, messages, triggers and views; channels and users set up stay."""
        with self._lock:
            self.calls.clear()
            self._faults.clear()
            self._messages.clear()
            self._ephemerals.clear()
            self._triggers.clear()
            self._views.clear()
            self._home.clear()
            self.scopes = manifest_scopes()
            self.revoked.clear()

    # -- request handling (server threads) ---------------------------------

    def _handle(self, method: str, args: dict, token: str | None, headers: dict, raw: bytes):
        """Returns (status, extra_headers, body_dict), or None to drop the connection."""
        with self._lock:
            fault = self._faults[method].popleft() if self._faults.get(method) else None
            hang = fault.hang if fault is not None else 0.0
            if fault is not None and hang:
                fault = None  # applied like any call; only the answer is late
            if fault is None:
                try:
                    self._authorised(method, _decoded(args), token)
                    status, extra, body = 200, {}, self._answer(method, args)
                except _Refusal as refusal:
                    status, extra, body = 200, {}, refusal.body
                except Exception as e:  # a bug in the fake or a malformed call: say so, don't hang up
                    status, extra, body = 500, {}, {"ok": False, "error": f"fakeslack: {e!r}"}
            elif fault.drop:
                status, extra, body = 0, {}, None
            else:
                status, extra, body = self._fault_response(fault)
            self.calls.append(Call(method, args, token, status, body, headers, raw))
        if hang:
            time.sleep(hang)
        return None if status == 0 else (status, extra, body)

    @staticmethod
    def _fault_response(fault: _Fault):
        status = fault.status or 200
        extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        default_error = {429: "ratelimited", 200: "unknown_error"}.get(status, "internal_error")
        return status, extra, {"ok": False, "error": fault.error or default_error}

    def _next_ts(self) -> str:
        # A message's ts is the time it was posted, in epoch seconds with microseconds, unique in its
        # channel (https://api.slack.com/messaging/retrieving#individual_messages); conversations.history's
        # `oldest`/`latest` compare against it. Taken from the fake's clock, at least 100µs after the last.
        now = int(self.clock() * 1_000_000)
        self._ts_counter = max(now, self._ts_counter + 100)
        return f"{self._ts_counter // 1_000_000}.{self._ts_counter % 1_000_000:06d}"

    def _next_hash(self) -> str:
        self._hash_counter += 1
        return f"{int(self.clock())}.{self._hash_counter:08x}"  # shaped like "156772938.1827394"

    @staticmethod
    def _bot_message(ts: str, text: str) -> dict:
        return {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "app_id": APP_ID, "ts": ts, "text": text}

    def _default_user(self, user_id: str) -> dict:
        real_name = f"User {user_id}"
        return {"id": user_id, "team_id": TEAM_ID, "name": user_id.lower(), "real_name": real_name,
                "deleted": False, "is_bot": False,
                "profile": {"real_name": real_name, "display_name": real_name}}

    def _user(self, user_id: Any) -> dict | None:
        """The workspace's user, or None when there is no such user [USERS]."""
        if not isinstance(user_id, str) or not _USER_ID.match(user_id) or user_id in self._removed_users:
            return None
        return self._users.get(user_id) or self._default_user(user_id)

    def _find_message(self, channel: str, ts: str) -> dict | None:
        return next((m for m in self._messages[channel] if m["ts"] == ts), None)

    def response_url(self, name: str) -> str:
        """A response_url Slack would put in an interaction payload; posts to it are recorded as
        calls of method "response_url" with the name in args["url_name"]."""
        return self.url + f"response/{name}"

    # -- rules ----------------------------------------------------------------

    def _kind(self, channel: Any) -> str:
        """[SCOPES] public, private, im or mpim: from what a test set, else from the id (D: a DM;
        G: a private channel or group DM as Slack used to number them; C: public)."""
        info = self._channels.get(str(channel)) or {}
        if info:
            return ("im" if info.get("is_im") else "mpim" if info.get("is_mpim") else
                    "private" if info.get("is_private") else "public")
        return {"D": "im", "G": "private"}.get(str(channel)[:1], "public")

    def _authorised(self, method: str, a: dict, token: str | None) -> None:
        """[REVOKED] [SCOPES]"""
        if method == "response_url":
            return  # a response_url carries its own authority, no token
        if token in self.revoked:
            raise _Refusal("token_revoked")
        needed = METHOD_SCOPES.get(method)
        if isinstance(needed, dict):
            kind = self._kind(a.get("channel"))
            if kind not in needed:
                raise _Refusal("method_not_supported_for_channel_type")
            needed = needed[kind]
        if needed and needed not in self.scopes:
            raise _Refusal("missing_scope", needed=needed, provided=",".join(sorted(self.scopes)))

    def _refused(self, method: str, a: dict) -> dict | None:
        """What real Slack refuses for a message's or view's content [NO_TEXT] [BLOCKS]."""
        if method in _CHAT_POSTS:
            if a.get("delete_original"):
                return None
            found = [p for p in problems("message", blocks=a.get("blocks"), text=a.get("text"))
                     if "Slack truncates" not in p and "Slack: no_text" not in p]  # [TRUNCATE] handled apart
            if not (a.get("text") or a.get("blocks") or a.get("attachments")):
                return {"ok": False, "error": "no_text", "errors": ["message: needs text, blocks or attachments"]}
            total = message_block_text(a.get("blocks"))
            if not found and method != "response_url" and total > MESSAGE_MAX_BLOCK_TEXT:
                return {"ok": False, "error": "msg_blocks_too_long",
                        "errors": [f"blocks: {total} characters of text > {MESSAGE_MAX_BLOCK_TEXT}"]}  # [TOOLONG]
            error = "invalid_blocks"
        elif method in ("views.open", "views.push", "views.update", "views.publish"):
            view = a.get("view") or {}
            kind = "home" if method == "views.publish" or (isinstance(view, dict) and view.get("type") == "home") \
                else "modal"
            found = problems(kind, view=view)
            error = "invalid_arguments"
        else:
            return None
        return {"ok": False, "error": error, "errors": found} if found else None

    def _truncate(self, a: dict) -> dict:
        """[TRUNCATE]: the text cut to 40,000 characters, and the warning Slack answers with."""
        text = a.get("text")
        if isinstance(text, str) and len(text) > MESSAGE_MAX_TEXT:
            a["text"] = text[:MESSAGE_MAX_TEXT]
            return {"response_metadata": {"messages": [TRUNCATED_WARNING], "warnings": ["message_truncated"]}}
        return {}

    def _metadata(self, a: dict) -> dict | None:
        """The metadata to store, `{}` meaning "remove" on chat.update [METADATA]."""
        if "metadata" not in a or a["metadata"] is None:
            return None
        meta = a["metadata"]
        if meta == {}:
            return {}
        if not (isinstance(meta, dict) and isinstance(meta.get("event_type"), str) and meta["event_type"]
                and isinstance(meta.get("event_payload"), dict)):
            raise _Refusal("invalid_metadata_format")
        if self.metadata_max_bytes is not None and len(json.dumps(meta).encode()) > self.metadata_max_bytes:
            raise _Refusal("metadata_too_large")
        return meta

    def _postable(self, channel: Any) -> None:
        """[CHANNEL]: a private channel the app is not in is invisible to it."""
        if not isinstance(channel, str) or not channel:
            raise _Refusal("channel_not_found")
        info = self._channels.get(channel)
        if info and info["is_private"] and not info["is_im"] and not info["is_member"]:
            raise _Refusal("channel_not_found")

    def _take_trigger(self, a: dict) -> _Trigger:
        """[TRIGGER]: the trigger this call exchanges, refused as Slack would; not yet marked used."""
        trigger_id = a.get("trigger_id") or a.get("interactivity_pointer")
        if not trigger_id:
            raise _Refusal("invalid_arguments", response_metadata={"messages": ["[ERROR] missing `trigger_id`"]})
        trigger = self._triggers.get(str(trigger_id))
        if trigger is None:
            raise _Refusal("invalid_trigger_id")
        if trigger.exchanged:
            raise _Refusal("exchanged_trigger_id")
        if self.clock() - trigger.issued > TRIGGER_TTL:
            raise _Refusal("expired_trigger_id")
        return trigger

    def _store_view(self, view: dict, view_id: str | None = None, **extra: Any) -> dict:
        """[VIEWS]: the view as Slack holds it, with an id and a fresh hash."""
        external_id = view.get("external_id") or ""
        if external_id and any(v.get("external_id") == external_id and k != view_id for k, v in self._views.items()):
            raise _Refusal("duplicate_external_id")
        if view_id is None:
            self._view_counter += 1
            view_id = f"V{self._view_counter:08d}"
        stored = {**view, **extra, "id": view_id, "team_id": TEAM_ID, "app_id": APP_ID, "bot_id": BOT_ID,
                  "external_id": external_id, "hash": self._next_hash(),
                  "state": {"values": {}}}
        stored.setdefault("root_view_id", view_id)
        self._views[view_id] = stored
        return dict(stored)

    # -- methods (called with self._lock held) -----------------------------------------

    def _answer(self, method: str, args: dict) -> dict:
        a = _decoded(args)
        if method in ("views.open", "views.push"):
            trigger = self._take_trigger(a)  # before the view is looked at [TRIGGER]
            refused = self._refused(method, a)
            if refused:
                return refused
            trigger.exchanged = True
            return {"ok": True, "view": self._store_view(a["view"])}
        refused = self._refused(method, a)
        if refused:
            return refused
        channel = a.get("channel")
        if method == "auth.test":
            # the fields of slackapi/java-slack-sdk json-logs/samples/api/auth.test.json
            return {"ok": True, "url": "https://test.slack.com/", "team": "Test", "user": "clerk",
                    "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "app_id": APP_ID,
                    "app_name": "Clerk", "is_enterprise_install": False}
        if method == "chat.postMessage":
            self._postable(channel)
            metadata = self._metadata(a)
            warning = self._truncate(a)
            message = self._bot_message(self._next_ts(), a.get("text", ""))
            for name in ("blocks", "attachments", "thread_ts"):
                if name in a:
                    message[name] = a[name]
            if metadata:
                message["metadata"] = metadata
            self._messages[channel].append(message)
            return {"ok": True, "channel": channel, "ts": message["ts"], "message": dict(message), **warning}
        if method == "chat.update":
            message = self._find_message(channel, a.get("ts"))
            if message is None:
                raise _Refusal("message_not_found")  # [UPDATE]
            if message.get("bot_id") != BOT_ID:
                raise _Refusal("cant_update_message")  # [UPDATE]
            metadata = self._metadata(a)
            warning = self._truncate(a)
            message.update({k: a[k] for k in ("text", "blocks", "attachments") if k in a})
            if metadata == {}:
                message.pop("metadata", None)  # "To remove previous metadata, include an empty object"
            elif metadata:
                message["metadata"] = metadata
            return {"ok": True, "channel": channel, "ts": message["ts"], "text": message.get("text", ""),
                    "message": dict(message), **warning}
        if method == "chat.postEphemeral":
            self._postable(channel)
            user = a.get("user")
            members = self._members.get(channel)
            if self._user(user) is None or (members is not None and user not in members):
                raise _Refusal("user_not_in_channel")  # [EPHEMERAL]
            warning = self._truncate(a)
            ts = self._next_ts()
            self._ephemerals.append({"channel": channel, "user": user, "message_ts": ts, "text": a.get("text", ""),
                                     **({"blocks": a["blocks"]} if "blocks" in a else {})})
            return {"ok": True, "message_ts": ts, **warning}
        if method == "response_url":  # Slack answers a response_url with plain "ok"; see _Handler
            return {"ok": True, **self._truncate(a)}
        if method == "chat.getPermalink":
            if self._find_message(channel, a.get("message_ts")) is None:
                raise _Refusal("message_not_found")  # [PERMALINK]
            ts = str(a.get("message_ts", "")).replace(".", "")
            return {"ok": True, "channel": channel,
                    "permalink": f"https://example.slack.com/archives/{channel}/p{ts}"}
        if method == "conversations.open":
            return self._open(a)
        if method == "conversations.list":  # one page: every channel described with set_channel
            return {"ok": True, "channels": [dict(c) for c in self._channels.values() if not c["is_im"]],
                    "response_metadata": {"next_cursor": ""}}
        if method == "conversations.info":
            info = self._channels.get(channel) or {
                "id": channel, "name": channel, "is_private": False,
                "is_im": channel.startswith("D"), "is_member": True}
            return {"ok": True, "channel": dict(info)}
        if method in ("conversations.history", "conversations.replies"):
            info = self._channels.get(channel)
            if info and not info["is_member"] and not info["is_im"]:
                raise _Refusal("channel_not_found" if info["is_private"] else "not_in_channel")  # [MEMBER]
            return self._history(method, channel, a)
        if method == "conversations.join":
            info = self._channels.setdefault(channel, {"id": channel, "name": channel, "is_private": False,
                                                       "is_im": False, "is_mpim": False, "is_member": True})
            if info["is_private"]:
                raise _Refusal("method_not_supported_for_channel_type")  # [MEMBER]
            already = info["is_member"]
            info["is_member"] = True
            return {"ok": True, "channel": dict(info),
                    **({"warning": "already_in_channel",
                        "response_metadata": {"warnings": ["already_in_channel"]}} if already else {})}
        if method == "users.info":
            user = self._user(a.get("user"))
            if user is None:
                raise _Refusal("user_not_found")  # [USERS]
            return {"ok": True, "user": dict(user)}
        if method == "views.publish":
            return self._publish(a)
        if method == "views.update":
            return self._update_view(a)
        if method == "apps.connections.open" and self.socket_url is not None:
            return {"ok": True, "url": self.socket_url}
        return {"ok": True}

    def _open(self, a: dict) -> dict:
        """[OPEN]"""
        if a.get("channel") and not a.get("users"):
            return {"ok": True, "no_op": True, "already_open": True, "channel": {"id": a["channel"]}}
        users = [u.strip() for u in str(a.get("users") or "").split(",") if u.strip()]
        if not users:
            raise _Refusal("users_list_not_supplied")
        if len(users) > OPEN_MAX_USERS:
            raise _Refusal("too_many_users")
        for user_id in users:
            user = self._user(user_id)
            if user is None:
                raise _Refusal("user_not_found")
            if user.get("deleted"):
                raise _Refusal("user_disabled")
        # Deterministic so tests can predict the DM channel: U123 -> DU123 (a group DM: G + ids).
        return {"ok": True, "channel": {"id": ("D" if len(users) == 1 else "G") + "".join(users)}}

    def _history(self, method: str, channel: str, a: dict) -> dict:
        """[HISTORY] [METADATA]"""
        if method == "conversations.history":  # thread replies don't show up in history
            found = [m for m in self._messages[channel] if m.get("thread_ts", m["ts"]) == m["ts"]]
        else:
            found = [m for m in self._messages[channel] if a.get("ts") in (m["ts"], m.get("thread_ts"))]
        inclusive = _truthy(a.get("inclusive"))
        if a.get("oldest"):
            oldest = float(a["oldest"])
            found = [m for m in found if float(m["ts"]) > oldest or (inclusive and float(m["ts"]) == oldest)]
        if a.get("latest"):
            latest = float(a["latest"])
            found = [m for m in found if float(m["ts"]) < latest or (inclusive and float(m["ts"]) == latest)]
        keep_metadata = _truthy(a.get("include_all_metadata"))
        out = []
        for m in found:
            m = dict(m)
            if "metadata" in m and not keep_metadata:
                m["metadata"] = {"event_type": m["metadata"].get("event_type")}  # "the event_type field only"
            out.append(m)
        if method == "conversations.history":
            out.reverse()  # newest first, as Slack does
        limit = min(int(a.get("limit") or HISTORY_DEFAULT_LIMIT), HISTORY_MAX_LIMIT)
        start = int(a["cursor"]) if str(a.get("cursor") or "").isdigit() else 0
        page = out[start:start + limit]
        more = start + limit < len(out)
        body = {"ok": True, "messages": page, "has_more": more}
        if more:
            body["response_metadata"] = {"next_cursor": str(start + limit)}
        return body

    def _publish(self, a: dict) -> dict:
        """[VIEWS]: a user's Home tab."""
        user_id = a.get("user_id")
        if self._user(user_id) is None:
            raise _Refusal("invalid_arguments", response_metadata={"messages": ["invalid `user_id`"]})
        view_id = self._home.get(user_id)
        if a.get("hash") and (view_id is None or self._views[view_id]["hash"] != a["hash"]):
            raise _Refusal("hash_conflict")
        stored = self._store_view(a["view"], view_id)
        self._home[user_id] = stored["id"]
        return {"ok": True, "view": stored}

    def _update_view(self, a: dict) -> dict:
        """[VIEWS]"""
        view_id = a.get("view_id")
        if not view_id and a.get("external_id"):
            view_id = next((k for k, v in self._views.items() if v.get("external_id") == a["external_id"]), None)
            if view_id is None:
                raise _Refusal("not_found")
        if not view_id:
            raise _Refusal("invalid_arguments",
                           response_metadata={"messages": ["[ERROR] either `view_id` or `external_id` is required"]})
        current = self._views.get(view_id)
        if current is None:
            raise _Refusal("not_found")
        if a.get("hash") and current["hash"] != a["hash"]:
            raise _Refusal("hash_conflict")
        return {"ok": True, "view": self._store_view(a["view"], view_id, root_view_id=current["root_view_id"])}


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        method = url.path.rsplit("/", 1)[-1]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        args = dict(parse_qsl(url.query, keep_blank_values=True))
        args.update(self._parse_body(raw))
        if "/response/" in url.path:
            method, args["url_name"] = "response_url", method
        auth = self.headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else args.get("token")

        result = self.server.fake._handle(method, args, token, dict(self.headers.items()), raw)
        if result is None:
            self.close_connection = True  # say nothing; the client sees RemoteDisconnected
            return
        status, extra, body = result
        if method == "response_url" and status == 200:  # Slack's answer to a response_url post is text
            status, body = (200, "ok") if body.get("ok") else (400, body.get("error", "invalid_payload"))
        payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST

    def _parse_body(self, raw: bytes) -> dict:
        # WebClient labels even body-less calls (e.g. auth.test) as JSON, so an
        # empty body must parse as "no args" whatever the Content-Type says.
        if not raw:
            return {}
        content_type = self.headers.get_content_type()
        text = raw.decode("utf-8")
        if content_type == "application/json":
            return json.loads(text)
        if content_type == "application/x-www-form-urlencoded":
            return dict(parse_qsl(text, keep_blank_values=True))
        return {}  # multipart file uploads: not modelled
