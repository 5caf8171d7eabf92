"""A fake Slack Socket Mode server on 127.0.0.1 (websockets' sync server), for driving an app's
Socket Mode client in tests. It pairs with tests.fakeslack.FakeSlack, whose apps.connections.open
hands out this server's URL:

    with FakeSlack() as fake, FakeSocketMode() as sock:
        fake.socket_url = sock.url
        ... start the app with SLACK_API_URL=fake.url and an xapp- token ...
        sock.wait_connected()
        envelope_id = sock.slash_command({"command": "/clerk", "text": "help", "user_id": "U1", ...})
        assert "help" in sock.wait_ack(envelope_id)["payload"]["text"]

What it does, as Slack does (https://docs.slack.dev/apis/events-api/using-socket-mode/):
- on each connection it sends {"type": "hello", "num_connections": n, "connection_info": ..., "debug_info": ...};
- envelopes go to the newest open connection as {"envelope_id", "type", "payload",
  "accepts_response_payload"} (events_api ones also carry retry_attempt and retry_reason);
- the client answers each with an ack {"envelope_id": ..., "payload": {...}?}, recorded in `acks`;
- disconnect() sends {"type": "disconnect", "reason": ...}: the client should ask apps.connections.open
  for a new URL and connect again (Slack refreshes connections every few hours).
Pings from the client get pongs (websockets does that by itself).

Pure websockets + stdlib: nothing from the app under test.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.protocol import State
from websockets.sync.server import Server, ServerConnection, serve

APP_ID = "A0001"
ENVELOPE_TYPES = ("slash_commands", "events_api", "interactive")


@dataclass
class Envelope:
    """One envelope the fake sent to the client."""

    envelope_id: str
    type: str
    payload: dict
    accepts_response_payload: bool
    connection: int  # index into FakeSocketMode.connections
    sent_at: float = field(default_factory=time.monotonic)


class FakeSocketMode:
    def __init__(self, port: int = 0, *, app_id: str = APP_ID) -> None:
        """port=0 picks a free port; give a port to bring the server up where a client was told to look."""
        self.app_id = app_id
        self.port = port
        self.connections: list[ServerConnection] = []  # oldest first, open or closed
        self.paths: list[str] = []  # request path (with ?ticket=…) of each connection
        self.received: list[Any] = []  # every text frame from clients, JSON-decoded when it is JSON
        self.acks: dict[str, dict] = {}  # envelope_id -> the client's ack
        self.sent: list[Envelope] = []
        self._changed = threading.Condition(threading.RLock())
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------

    @property
    def url(self) -> str:
        """What apps.connections.open answers: Slack's is wss://wss-primary.slack.com/link/?ticket=…&app_id=…"""
        return f"ws://127.0.0.1:{self.port}/link/?ticket=fake-ticket&app_id={self.app_id}"

    def start(self) -> FakeSocketMode:
        self._server = serve(self._handle, "127.0.0.1", self.port, compression=None,
                             logger=logging.getLogger("fakesocket"))
        self.port = self._server.socket.getsockname()[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="FakeSocketMode", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the listening socket and every connection (code 1001, going away)."""
        if self._server is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self) -> FakeSocketMode:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- test-facing helpers -----------------------------------------------

    def open_connections(self) -> list[ServerConnection]:
        with self._changed:
            return [c for c in self.connections if c.state is State.OPEN]

    def wait_connected(self, timeout: float = 5.0, *, count: int = 1) -> ServerConnection:
        """Wait until `count` connections have been made in all and the newest is open; return it."""
        def ready():
            return len(self.connections) >= count and self.connections[-1].state is State.OPEN

        with self._changed:
            if not self._changed.wait_for(ready, timeout):
                raise AssertionError(f"no Socket Mode connection #{count} within {timeout}s "
                                     f"({len(self.connections)} made)")
            return self.connections[-1]

    def send_envelope(self, type: str, payload: dict, *, accepts_response_payload: bool | None = None,
                      envelope_id: str | None = None, retry_attempt: int = 0, retry_reason: str = "") -> str:
        """Send an envelope to the newest open connection; returns its envelope_id."""
        if type not in ENVELOPE_TYPES:
            raise ValueError(f"envelope type must be one of {ENVELOPE_TYPES}")
        if accepts_response_payload is None:
            # Slack lets the ack carry a response for commands, view submissions and option loads.
            accepts_response_payload = type == "slash_commands" or (
                type == "interactive" and payload.get("type") in ("view_submission", "block_suggestion"))
        envelope_id = envelope_id or str(uuid.uuid4())
        message = {"envelope_id": envelope_id, "type": type, "payload": payload,
                   "accepts_response_payload": accepts_response_payload}
        if type == "events_api":
            message |= {"retry_attempt": retry_attempt, "retry_reason": retry_reason}
        conn = self._newest_open()
        with self._changed:
            self.sent.append(Envelope(envelope_id, type, payload, accepts_response_payload,
                                      self.connections.index(conn)))
        conn.send(json.dumps(message))
        return envelope_id

    def slash_command(self, payload: dict, **kw) -> str:
        return self.send_envelope("slash_commands", payload, **kw)

    def event(self, payload: dict, **kw) -> str:
        """payload: the event_callback body, e.g. tests.slackreq.make_event_envelope(event)."""
        return self.send_envelope("events_api", payload, **kw)

    def interactive(self, payload: dict, **kw) -> str:
        return self.send_envelope("interactive", payload, **kw)

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the client to reconnect, as Slack does before it retires a connection."""
        self._newest_open().send(json.dumps({"type": "disconnect", "reason": reason,
                                             "debug_info": {"host": "fakesocket"}}))

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict:
        """The client's ack of envelope_id: {"envelope_id": ..., "payload": {...}} (payload optional)."""
        with self._changed:
            if not self._changed.wait_for(lambda: envelope_id in self.acks, timeout):
                raise AssertionError(f"no ack for envelope {envelope_id} within {timeout}s; "
                                     f"acked: {list(self.acks)}")
            return self.acks[envelope_id]

    # -- server side (connection threads) ------------------------------------

    def _newest_open(self) -> ServerConnection:
        open_now = self.open_connections()
        if not open_now:
            raise AssertionError("no open Socket Mode connection to send to")
        return open_now[-1]

    def _handle(self, conn: ServerConnection) -> None:
        # hello first, as Slack does: only then is the connection listed and envelopes sent on it
        conn.send(json.dumps({"type": "hello", "num_connections": len(self.open_connections()) + 1,
                              "debug_info": {"host": "fakesocket", "build_number": 1,
                                             "approximate_connection_time": 18060},
                              "connection_info": {"app_id": self.app_id}}))
        with self._changed:
            self.connections.append(conn)
            self.paths.append(conn.request.path if conn.request else "")
            self._changed.notify_all()
        try:
            for raw in conn:
                self._receive(raw)
        except ConnectionClosed:
            pass
        finally:
            with self._changed:
                self._changed.notify_all()

    def _receive(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            message = raw
        with self._changed:
            self.received.append(message)
            if isinstance(message, dict) and "envelope_id" in message:
                self.acks.setdefault(message["envelope_id"], message)
            self._changed.notify_all()
