"""Clerk in Socket Mode (firewalled installs), as `python bot.py` runs it with SLACK_APP_TOKEN set.

One Clerk process serves the whole module: tests.fakeslack.FakeSlack is the Web API (its
apps.connections.open hands out the WebSocket URL), tests.fakesocket.FakeSocketMode is Slack's
Socket Mode endpoint. That endpoint is down when Clerk starts, as behind a firewall that is not
yet open, so the module also shows Clerk serving /healthz meanwhile and connecting later. Clerk
runs on today's clock, so refs are read from its replies rather than assumed.

The last test stops Clerk with SIGTERM; pytest runs a module's tests in file order.
"""
from __future__ import annotations

import json
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
import requests

from tests import slackreq
from tests.cli import clean_env
from tests.fakeslack import BOT_USER_ID, FakeSlack
from tests.fakesocket import FakeSocketMode
from tests.harness import reply_text

ROOT = Path(__file__).resolve().parent.parent
BOT_TOKEN = "xoxb-socket-mode-test-0001"
APP_TOKEN = "xapp-1-A0001-socket-mode-test-0002"
# The builtin Socket Mode client checks its session every ping_interval (10 s with Bolt's handler)
# and reconnects if it is down: a late endpoint is found within that, plus start-up.
CONNECT_WITHIN = 20.0

SETUP = [
    ("UGA0001", "/clerk board P&R chair <@UJG0001|jg> secretary <@UGA0001|ga> channel <#CPR|pr-board>"),
    ("UGA0001", "/clerk person JG <@UJG0001|jg> Jane Gardner"),
    ("UGA0001", "/clerk person GA <@UGA0001|ga> Glykeria Anyfanti"),
    ("UGA0001", "/clerk person AH <@UAH0001|ah> Anna Hook"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, timeout: float = 5.0, every: float = 0.05):
    """Poll what() until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while True:
        found = what()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(every)


class SocketClerk:
    """`python bot.py` in Socket Mode, and what the fakes around it saw."""

    def __init__(self, tmp: Path, fake: FakeSlack, sock: FakeSocketMode):
        self.fake, self.sock, self.tmp = fake, sock, tmp
        self.port = free_port()
        self.db = tmp / "clerk.db"
        self.stderr_path = tmp / "clerk.stderr"
        env = clean_env()
        env.update({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_API_URL": fake.url,
                    "DATABASE_URL": f"sqlite:///{self.db}", "PORT": str(self.port), "CLERK_SCHEDULER": "off"})
        # No SLACK_SIGNING_SECRET: Socket Mode needs none (Settings.require_serving).
        self._stderr = self.stderr_path.open("w")
        self.proc = subprocess.Popen([sys.executable, "bot.py"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=self._stderr, text=True)
        self.socket_started = False
        self.observed: dict = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stderr(self) -> str:
        self._stderr.flush()
        return self.stderr_path.read_text()

    def wait_healthy(self, timeout: float = 30.0) -> requests.Response:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"Clerk exited {self.proc.returncode}:\n{self.stderr()}")
            try:
                return requests.get(self.url + "/healthz", timeout=1)
            except requests.ConnectionError:
                time.sleep(0.1)
        raise AssertionError(f"Clerk did not answer /healthz:\n{self.stderr()}")

    def start_socket_endpoint(self) -> None:
        """Bring Slack's Socket Mode endpoint up, where apps.connections.open has pointed Clerk all along."""
        if not self.socket_started:
            self.sock.start()
            self.socket_started = True
        self.sock.wait_connected(timeout=CONNECT_WITHIN)

    # -- what people do, as Slack delivers it over the socket --------------------------------

    def slash(self, user: str, line: str, *, channel: str = "CGENERAL") -> dict:
        """Send a slash command envelope; returns the ack."""
        assert self.proc.poll() is None, "Clerk has stopped"
        command, _, text = line.partition(" ")
        payload = dict(parse_qsl(slackreq.slash_body(command, text, user_id=user, user_name=user.lower(),
                                                     channel_id=channel), keep_blank_values=True))
        return self.sock.wait_ack(self.sock.slash_command(payload))

    def says(self, user: str, line: str, *, channel: str = "CGENERAL") -> str:
        """A slash command; returns the text of the ephemeral reply carried by the ack."""
        ack = self.slash(user, line, channel=channel)
        assert ack["payload"]["response_type"] == "ephemeral", ack
        return reply_text(ack["payload"])

    def event(self, event: dict, *, event_id: str | None = None, retry_attempt: int = 0) -> dict:
        envelope = slackreq.make_event_envelope(event, event_id)
        return self.sock.wait_ack(self.sock.event(envelope, retry_attempt=retry_attempt,
                                                  retry_reason="timeout" if retry_attempt else ""))

    def query(self, sql: str, *args) -> list[tuple]:
        with sqlite3.connect(self.db, timeout=10) as conn:
            return conn.execute(sql, args).fetchall()


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("socket-mode")
    with FakeSlack() as fake:
        sock = FakeSocketMode(port=free_port())  # not started yet: the endpoint is unreachable
        fake.socket_url = sock.url
        # Nothing listens at the WebSocket URL yet, as behind a firewall not yet opened: Clerk
        # must keep serving /healthz and keep trying. The builtin client tries once, then asks
        # for a new URL at once and every 10 s after; Slack answering those two requests slowly
        # leaves a window to bring the endpoint up before the second try, so it connects then.
        fake.fail("apps.connections.open", hang=1.0, times=2)
        clerk = SocketClerk(tmp, fake, sock)
        try:
            clerk.wait_healthy()
            clerk.observed["asked_again"] = wait_for(
                lambda: len(fake.calls_to("apps.connections.open")) >= 2, timeout=CONNECT_WITHIN)
            clerk.observed["healthz"] = requests.get(clerk.url + "/healthz", timeout=2)
            clerk.observed["events"] = requests.post(clerk.url + "/slack/events", data="{}", timeout=2)
            clerk.observed["connections_before"] = len(sock.connections)
            clerk.start_socket_endpoint()
            for user, line in SETUP:
                clerk.says(user, line, channel="CPR")
            yield clerk
        finally:
            if clerk.proc.poll() is None:
                clerk.proc.kill()
                clerk.proc.wait(timeout=10)
            clerk._stderr.close()
            sock.stop()


def test_serves_healthz_while_slack_is_unreachable_then_connects(running):
    assert running.observed["healthz"].status_code == 200
    assert {k: running.observed["healthz"].json()[k] for k in ("ok", "socket_mode")} == {"ok": True, "socket_mode": "connecting"}
    assert running.observed["asked_again"], running.stderr()
    assert running.observed["connections_before"] == 0
    # Clerk asked the Web API for a WebSocket URL, with the app-level token, not the bot token
    opened = running.fake.calls_to("apps.connections.open")
    assert opened and all(call.token == APP_TOKEN for call in opened)
    # ... and, the endpoint being down, asked again and connected once it was up
    assert len(opened) >= 2
    assert len(running.sock.connections) == 1
    assert running.sock.open_connections()
    assert running.sock.paths[-1] == "/link/?ticket=fake-ticket&app_id=A0001"


def test_slack_events_are_not_served_over_http_in_socket_mode(running):
    assert running.observed["events"].status_code == 404
    signed = slackreq.slash(running.url + "/slack/events", "any-secret", "/action", "list")
    assert signed.status_code == 404
    assert "Socket Mode" in signed.text
    said = requests.get(running.url + "/healthz", timeout=2).json()
    assert {k: said[k] for k in ("ok", "socket_mode")} == {"ok": True, "socket_mode": "connected"}


def test_a_slash_command_is_answered_in_the_ack(running):
    ack = running.slash("UGA0001", "/action help")
    assert set(ack) == {"envelope_id", "payload"}
    assert ack["payload"]["response_type"] == "ephemeral"
    assert "/action" in ack["payload"]["text"] and "close" in ack["payload"]["text"]
    assert "/clerk board" in running.says("UGA0001", "/clerk help")


def test_raising_an_action_over_the_socket_stores_it(running):
    reply = running.says("UAH0001", "/action new Update on Mobile Policing owner AH due in 2 weeks", channel="CPR")
    m = re.search(r"Raised \*(\d+)/(\d\d)\* on P&amp;R's log: Update on Mobile Policing", reply)
    assert m, reply
    ref = f"{m[1]}/{m[2]}"
    assert running.query("SELECT title, status FROM action WHERE number = ? AND year % 100 = ?",
                         int(m[1]), int(m[2])) == [("Update on Mobile Policing", "open")]
    shown = running.says("UGA0001", f"/action show {ref}")
    assert "Update on Mobile Policing" in shown and "Owners: AH" in shown and "Status: open" in shown
    # the board's channel is told through the outbox, which runs in the same process
    posted = wait_for(lambda: [p for p in running.fake.posts("CPR") if ref in str(p)])
    assert posted, running.fake.calls


def test_an_app_mention_is_acked_and_answered_through_the_web_api(running):
    running.says("UGA0001", "/action new Circulate the OSG paper owner AH", channel="CPR")
    before = len(running.fake.calls_to("chat.postEphemeral"))
    ack = running.event({"type": "app_mention", "user": "UGA0001", "channel": "CPR",
                         "text": f"<@{BOT_USER_ID}> action list", "ts": "1700000100.000100",
                         "event_ts": "1700000100.000100"})
    assert ack == {"envelope_id": ack["envelope_id"]}  # events carry no response payload
    replies = wait_for(lambda: running.fake.calls_to("chat.postEphemeral")[before:])
    assert replies, [c.method for c in running.fake.calls]
    reply = replies[0].args
    assert (reply["channel"], reply["user"]) == ("CPR", "UGA0001")
    assert "Circulate the OSG paper" in json.dumps(reply)


def test_an_event_delivered_again_is_acked_and_applied_once(running):
    dm = {"type": "message", "channel_type": "im", "channel": "DUAH0001", "user": "UAH0001",
          "text": "action new Send the Communications plan owner AH", "ts": "1700000200.000100",
          "event_ts": "1700000200.000100"}
    for attempt in (0, 1):  # Slack redelivers when it thinks the first went unacknowledged
        assert "payload" not in running.event(dm, event_id="EvSOCKET0001", retry_attempt=attempt)
    assert wait_for(lambda: running.fake.posts("DUAH0001"))
    time.sleep(0.3)  # room for a wrongly applied second delivery to show up
    assert running.query("SELECT count(*) FROM action WHERE title = 'Send the Communications plan'") == [(1,)]
    assert len([p for p in running.fake.posts("DUAH0001") if "Send the Communications plan" in str(p)]) == 1


def test_a_button_press_arrives_as_an_interactive_envelope(running):
    reply = running.says("UAH0001", "/action new Book the room for March owner AH", channel="CPR")
    ref = re.search(r"Raised \*(\d+/\d\d)\*", reply)[1]
    (action_id,), = running.query("SELECT id FROM action WHERE title = 'Book the room for March'")
    press = {"type": "block_actions", "user": {"id": "UAH0001", "username": "ah", "team_id": "T0001"},
             "api_app_id": "A0001", "team": {"id": "T0001"}, "channel": {"id": "DUAH0001"},
             "trigger_id": "1.2.trigger", "container": {"type": "message", "message_ts": "1700000300.000100"},
             "actions": [{"type": "button", "action_id": "action_done", "block_id": f"action:{action_id}",
                          "value": str(action_id), "action_ts": "1700000301.000100"}]}
    ack = running.sock.wait_ack(running.sock.interactive(press))
    assert "payload" not in ack
    assert wait_for(lambda: running.query("SELECT status FROM action WHERE id = ?", action_id) == [("closed",)])
    assert "closed" in running.says("UGA0001", f"/action show {ref}")


def test_when_slack_asks_to_reconnect_clerk_opens_a_new_connection(running):
    made, opened = len(running.sock.connections), len(running.fake.calls_to("apps.connections.open"))
    running.sock.disconnect("refresh_requested")
    running.sock.wait_connected(timeout=10, count=made + 1)
    assert len(running.fake.calls_to("apps.connections.open")) > opened
    assert wait_for(lambda: len(running.sock.open_connections()) == 1)  # the old one is let go
    assert "/action" in running.says("UGA0001", "/action help")


def test_sigterm_stops_clerk_cleanly_and_no_token_is_logged(running):
    running.proc.send_signal(signal.SIGTERM)
    assert running.proc.wait(timeout=15) == 0
    log = running.stderr()
    assert "Clerk using Socket Mode" in log and "Clerk stopped" in log
    assert BOT_TOKEN not in log and APP_TOKEN not in log
    assert "xoxb-" not in log and "xapp-" not in log
    assert wait_for(lambda: not running.sock.open_connections())

