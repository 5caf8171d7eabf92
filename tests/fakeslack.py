"""A fake Slack Web API served on 127.0.0.1, for driving slack_sdk.WebClient in tests.

    with FakeSlack() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.url)
        client.chat_postMessage(channel="C1", text="hi")
        assert fake.posts("C1")[0]["text"] == "hi"

Pure stdlib on purpose: it must not depend on anything the app under test uses. Like Slack, it
refuses Block Kit beyond Slack's limits (tests/blockkit.py): `invalid_blocks`, `invalid_arguments`.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.blockkit import problems

BOT_USER_ID = "UCLERKBOT"
BOT_ID = "BCLERK"
TEAM_ID = "T0001"

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


def _decoded(args: dict) -> dict:
    out = dict(args)
    for name in _JSON_FIELDS:
        if isinstance(out.get(name), str):
            out[name] = json.loads(out[name])
    return out


def _truthy(value: Any) -> bool:
    # Form bodies carry booleans as "1"/"0" (WebClient converts them), JSON as true/false.
    return value is True or str(value).lower() in ("1", "true")


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.url = ""
        self._lock = threading.Lock()
        self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
        self._messages: dict[str, list[dict]] = defaultdict(list)  # channel -> oldest first
        self._channels: dict[str, dict] = {}
        self._users: dict[str, dict] = {}
        self._ts_counter = 0
        self._view_counter = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        # Socket Mode: when set (e.g. to tests.fakesocket.FakeSocketMode().url), apps.connections.open
        # answers {"ok": true, "url": socket_url}, as Slack hands out a WebSocket URL. Unset, the
        # method answers like any unknown one ({"ok": true}, no url).
        self.socket_url: str | None = None

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

    def set_channel(self, channel_id: str, *, is_private: bool = False, is_im: bool = False,
                    name: str | None = None, is_member: bool = True) -> None:
        with self._lock:
            self._channels[channel_id] = {
                "id": channel_id, "name": name or channel_id,
                "is_private": is_private, "is_im": is_im, "is_member": is_member,
            }

    def set_user(self, user_id: str, *, real_name: str | None = None, deleted: bool = False) -> None:
        with self._lock:
            self._users[user_id] = self._default_user(user_id) | {"deleted": deleted}
            if real_name is not None:
                self._users[user_id]["real_name"] = real_name
                self._users[user_id]["profile"] = {"real_name": real_name, "display_name": real_name}

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
        """Forget calls, pending faults and messages; channels and users set up stay."""
        with self._lock:
            self.calls.clear()
            self._faults.clear()
            self._messages.clear()

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
                    status, extra, body = 200, {}, self._answer(method, args)
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
        # Steps of 100µs keep ts unique, increasing, and ordered as strings too.
        self._ts_counter += 100
        return f"{1700000000 + self._ts_counter // 1_000_000}.{self._ts_counter % 1_000_000:06d}"

    def _default_user(self, user_id: str) -> dict:
        real_name = f"User {user_id}"
        return {"id": user_id, "team_id": TEAM_ID, "name": user_id.lower(), "real_name": real_name,
                "deleted": False, "is_bot": False,
                "profile": {"real_name": real_name, "display_name": real_name}}

    def _find_message(self, channel: str, ts: str) -> dict | None:
        return next((m for m in self._messages[channel] if m["ts"] == ts), None)

    def response_url(self, name: str) -> str:
        """A response_url Slack would put in an interaction payload; posts to it are recorded as
        calls of method "response_url" with the name in args["url_name"]."""
        return self.url + f"response/{name}"

    def _refused(self, method: str, a: dict) -> dict | None:
        """What real Slack refuses: Block Kit beyond its limits (tests/blockkit.py)."""
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url"):
            if a.get("delete_original"):
                return None
            found = problems("message", blocks=a.get("blocks"), text=a.get("text"))
            error = "invalid_blocks"
        elif method in ("views.open", "views.push", "views.update", "views.publish"):
            view = a.get("view") or {}
            kind = "home" if method == "views.publish" or view.get("type") == "home" else "modal"
            found = problems(kind, view=view)
            error = "invalid_arguments"
        else:
            return None
        return {"ok": False, "error": error, "errors": found} if found else None

    def _answer(self, method: str, args: dict) -> dict:  # called with self._lock held
        a = _decoded(args)
        refused = self._refused(method, a)
        if refused:
            return refused
        channel = a.get("channel")
        if method == "auth.test":
            return {"ok": True, "url": "https://test.slack.com/", "team": "Test", "user": "clerk",
                    "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID}
        if method == "chat.postMessage":
            message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "ts": self._next_ts(),
                       "text": a.get("text", "")}
            for name in ("blocks", "attachments", "metadata", "thread_ts"):
                if name in a:
                    message[name] = a[name]
            self._messages[channel].append(message)
            return {"ok": True, "channel": channel, "ts": message["ts"], "message": dict(message)}
        if method == "chat.update":
            # Unknown ts still succeeds (real Slack: message_not_found) so tests need not post first.
            message = self._find_message(channel, a.get("ts")) or {"ts": a.get("ts")}
            message.update({k: a[k] for k in ("text", "blocks", "attachments", "metadata") if k in a})
            return {"ok": True, "channel": channel, "ts": message["ts"], "text": message.get("text", ""),
                    "message": dict(message)}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "response_url":  # Slack answers a response_url with plain "ok"; see _Handler
            return {"ok": True}
        if method == "chat.getPermalink":
            ts = str(a.get("message_ts", "")).replace(".", "")
            return {"ok": True, "channel": channel,
                    "permalink": f"https://example.slack.com/archives/{channel}/p{ts}"}
        if method == "conversations.open":
            # Deterministic so tests can predict the DM channel: U123 -> DU123.
            users = str(a.get("users", "")).replace(",", "")
            return {"ok": True, "channel": {"id": "D" + users}}
        if method == "conversations.info":
            info = self._channels.get(channel) or {
                "id": channel, "name": channel, "is_private": False,
                "is_im": channel.startswith("D"), "is_member": True}
            return {"ok": True, "channel": dict(info)}
        if method in ("conversations.history", "conversations.replies"):
            if method == "conversations.history":  # thread replies don't show up in history
                found = [m for m in self._messages[channel] if m.get("thread_ts", m["ts"]) == m["ts"]]
            else:
                found = [m for m in self._messages[channel] if a.get("ts") in (m["ts"], m.get("thread_ts"))]
            keep_metadata = _truthy(a.get("include_all_metadata"))
            found = [{k: v for k, v in m.items() if keep_metadata or k != "metadata"} for m in found]
            if method == "conversations.history":
                found.reverse()  # newest first, as Slack does
            limit = int(a.get("limit") or 0)
            return {"ok": True, "messages": found[:limit] if limit else found, "has_more": False}
        if method == "users.info":
            user_id = a.get("user")
            return {"ok": True, "user": dict(self._users.get(user_id) or self._default_user(user_id))}
        if method in ("views.publish", "views.open", "views.update"):
            if method == "views.update" and a.get("view_id"):
                view_id = a["view_id"]
            else:
                self._view_counter += 1
                view_id = f"V{self._view_counter:08d}"
            return {"ok": True, "view": {**(a.get("view") or {}), "id": view_id}}
        if method == "apps.connections.open" and self.socket_url is not None:
            return {"ok": True, "url": self.socket_url}
        return {"ok": True}


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

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep pytest output clean
