"""Nothing lost, nothing twice, on SQLite and PostgreSQL: concurrent raises from two processes,
`kill -9` in the middle of a burst, a slash command sent twice, and values from Slack that are
valid requests with bad contents. Real `python bot.py` processes, signed requests, the fake Slack
counting what it was sent."""
import datetime as dt
import json
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from store.models import Action, ActionEvent, Board, ForwardPlanItem, Meeting, OutboxMessage, PeopleEvent, Person
from tests import slackreq
from tests.cli import clean_env
from tests.harness import SECRET, post_text
from tests.test_action_log import SETUP
from tests.test_serving import free_port, wait_healthy

ROOT = Path(__file__).resolve().parent.parent


class Server:
    """`python bot.py` on a port of its own, logging to a file (a pipe nobody reads would fill and stall it)."""

    def __init__(self, database_url: str, fake, tmp_path: Path, name: str, **env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/slack/events"
        self.log = tmp_path / f"{name}.log"
        base = clean_env()
        base.update({"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake.url,
                     "DATABASE_URL": database_url, "PORT": str(self.port), "CLERK_SCHEDULER": "off", **env})
        with self.log.open("w") as out:
            self.proc = subprocess.Popen([sys.executable, "bot.py"], cwd=ROOT, env=base, stdout=out, stderr=out)
        wait_healthy(self.port, self.proc, seconds=60)

    def says(self, user: str, line: str, **kw) -> requests.Response:
        command, _, text = line.partition(" ")
        return slackreq.slash(self.url, SECRET, command, text, user_id=user, user_name=user.lower(), **kw)

    def stop(self, sig=signal.SIGTERM) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)


@pytest.fixture
def world(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.fake.set_channel("CPR", is_private=True, name="pr-board")
    clerk.deliver()
    clerk.fake.reset()
    return clerk


def test_100_concurrent_new_actions_from_two_processes_get_100_refs(world, database_url, tmp_path):
    servers = [Server(database_url, world.fake, tmp_path, f"clerk{i}") for i in (1, 2)]
    barrier = threading.Barrier(100)

    def raise_one(i):
        barrier.wait()
        return servers[i % 2].says("UGA0001", f"/action new Concurrent action {i} owner AH", channel_id="CPR")

    try:
        with ThreadPoolExecutor(100) as pool:
            replies = list(pool.map(raise_one, range(100)))
    finally:
        for server in servers:
            server.stop()
    assert [r.status_code for r in replies] == [200] * 100
    refs = [re.search(r"Raised \*(\d+/\d+)\*", r.json()["text"]).group(1) for r in replies]
    assert len(set(refs)) == 100
    with world.clerk.sessions() as s:
        numbers = sorted(s.scalars(select(Action.number)))
    assert numbers == list(range(1, 101))


def test_kill_9_in_a_burst_then_restart_applies_each_command_once_and_posts_each_once(world, database_url, tmp_path):
    first = Server(database_url, world.fake, tmp_path, "first")
    world.fake.fail("chat.postMessage", hang=120)  # Slack takes a post … and Clerk dies before hearing back

    def raise_one(i):
        try:
            return first.says("UGA0001", f"/action new Burst action {i} owner AH", channel_id="CPR").status_code
        except requests.RequestException:
            return None  # the process died under it

    def dm_one(i):
        event = {"type": "message", "channel_type": "im", "channel": "DUAH0001", "user": "UAH0001",
                 "text": f"action new Burst DM {i} owner AH", "ts": f"1543485600.{i:06d}"}
        try:
            return slackreq.event(first.url, SECRET, event).status_code
        except requests.RequestException:
            return None

    with ThreadPoolExecutor(6) as pool:
        answered = [pool.submit(raise_one, i) for i in range(20)] + [pool.submit(dm_one, i) for i in range(10)]
        deadline = time.time() + 30
        while not world.fake.calls_to("chat.postMessage") and time.time() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # more commands arrive while the first post hangs
        first.stop(signal.SIGKILL)
        codes = [f.result() for f in answered]
    second = Server(database_url, world.fake, tmp_path, "second")
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            with world.clerk.read_sessions() as s:
                waiting = s.scalar(select(func.count()).select_from(OutboxMessage).where(
                    OutboxMessage.status.in_(("pending", "sending")), OutboxMessage.kind == "message"))
            if not waiting:
                break
            time.sleep(0.5)
        assert not waiting, (first.log.read_text()[-2000:], second.log.read_text()[-2000:])
    finally:
        second.stop()
    with world.clerk.sessions() as s:
        raised = {a.ref: a.title for a in s.scalars(select(Action))}
    posted = [post_text(p) for p in world.fake.posts("CPR")]
    for ref in raised:  # each applied command: its post exactly once
        assert sum(f"*{ref}* raised by" in text for text in posted) == 1, (ref, posted)
    assert len(posted) == len(raised)
    dm_titles = [t for t in raised.values() if t.startswith("Burst DM")]
    replies = [post_text(p) for p in world.fake.posts("DUAH0001")]
    for title in dm_titles:  # each DM command applied: its reply exactly once
        assert sum(title in r for r in replies) == 1, (title, replies)
    assert all(code in (200, None) for code in codes)
    assert sum(code == 200 for code in codes[:20]) <= sum(t.startswith("Burst action") for t in raised.values())


def test_a_slash_command_sent_twice_is_applied_once(world):
    body = slackreq.slash_body("/action", "new Replayed action owner AH", user_id="UGA0001", user_name="ga",
                               channel_id="CPR")
    first = slackreq.post_signed(world.events_url, body, secret=SECRET, content_type=slackreq.FORM)
    again = slackreq.post_signed(world.events_url, body, secret=SECRET, content_type=slackreq.FORM)
    assert "Raised *1/18*" in first.json()["text"]
    assert again.json()["text"].startswith("That command was already done")
    with world.clerk.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Action)) == 1
    assert "Replayed action" in world.says("GA", "/action list")  # reads are never refused as replays


def fingerprint(clerk) -> tuple:
    with clerk.clerk.sessions() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) for t in (
            Action, ActionEvent, Board, Person, PeopleEvent, ForwardPlanItem, Meeting)) + (
            tuple(s.execute(select(Action.status, Action.due)).all()),)


@pytest.mark.parametrize("send", [
    lambda w: w.slash("GA", "/action new NUL\x00 byte owner AH", literal=True),
    lambda w: slackreq.slash(w.events_url, SECRET, "/action", "list", user_id="U" + "X" * 40),
    lambda w: slackreq.slash(w.events_url, SECRET, "/action", "new Report owner AH", user_id="UGA0001",
                             channel_id="C" + "Y" * 40),
    lambda w: slackreq.slash(w.events_url, SECRET, "/clerk", "board " + "İ" * 60, user_id="UGA0001"),
    lambda w: slackreq.slash(w.events_url, SECRET, "/clerk", "person ZZ " + "Long " * 30, user_id="UGA0001"),
    lambda w: w.interact({"type": "block_actions", "user": {"id": "UGA0001"}, "trigger_id": w.fake.trigger(),
                          "actions": [{"action_id": "action_done", "value": "²", "action_ts": "1.2"}],
                          "container": {"type": "message", "channel_id": "CPR", "message_ts": "1.1"}}),
    lambda w: w.interact({"type": "view_submission", "user": {"id": "UGA0001"},
                          "view": {"id": "VBAD", "callback_id": "action_update_modal", "private_metadata": "{not json",
                                   "state": {"values": {"update": {"text": {"value": "Something"}}}}}}),
    lambda w: w.interact({"type": "view_submission", "user": {"id": "UGA0001"},
                          "view": {"id": "VBAD2", "callback_id": "new_action_modal", "private_metadata": "[1, 2]",
                                   "state": {"values": {"title": {"value": {"value": "Report"}},
                                                        "due": {"value": {"selected_date": "2019-13-45"}},
                                                        "board": {"value": {"selected_option": {"value": "P&R"}}}}}}}),
    lambda w: w.interact({"type": "view_submission", "user": {"id": "UGA0001"},
                          "view": {"id": "VBAD3", "callback_id": "plan_item_modal", "private_metadata": "{}",
                                   "state": {"values": {"title": {"value": {"value": "Report"}},
                                                        "board": {"value": {"selected_option": {"value": "P&R"}}},
                                                        "when": {"value": {"selected_option": {"value": "tbc"}}},
                                                        "recurrence": {"value": {"selected_option": {"value": "hourly"}}}}}}}),
], ids=["NUL byte", "user id over 32", "channel id over 32", "İ×60 board", "name over 120", "button value ²",
        "bad private_metadata", "datepicker 2019-13-45", "recurrence hourly"])
def test_valid_requests_with_bad_values_get_a_clear_answer_never_a_500(world, send):
    world.says("GA", "/action new Circulate the OSG paper owner AH", channel="CPR")
    before = fingerprint(world)
    resp = send(world)
    assert resp.status_code in (200, 400), resp.text
    if resp.status_code == 200 and resp.text and resp.headers.get("Content-Type", "").startswith("application/json"):
        body = resp.json()
        assert body.get("response_action") == "errors" or body.get("text"), body
    assert fingerprint(world) == before


def test_a_meeting_moved_onto_a_cancelled_meetings_day_takes_its_dropped_papers_along(world):
    world.says("GA", "/meeting add 3 January 2019 10am")
    world.says("GA", "/meeting add 10 January 2019 10am")
    world.says("GA", "/plan add Dropped paper for 10 January 2019 owner AH")
    world.says("GA", "/plan drop FP-1 not needed")
    world.says("GA", "/meeting cancel 10 January 2019")
    reply = world.says("GA", "/meeting move 3 January 2019 to 10 January 2019")
    assert reply.startswith("Moved the meeting on Thu 3 Jan 2019 to *Thu 10 Jan 2019 at 10:00*")
    with world.clerk.sessions() as s:
        assert [m.day for m in s.scalars(select(Meeting))] == [dt.date(2019, 1, 10)]


KINDS = st.one_of(st.none(), st.integers(-5, 10**12), st.text(max_size=30), st.sampled_from(["²", "\x00", "İ" * 60,
                  "1.1", "CPR", "UGA0001", "{", "[]", "-1", "99999999999999"]), st.lists(st.integers(), max_size=3),
                  st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(["user", "actions", "container", "channel", "message", "view", "trigger_id",
                              "response_url", "value", "action_id", "private_metadata", "state"]), value=KINDS,
       kind=st.sampled_from(["block_actions", "view_submission", "message_action"]))
def test_every_interaction_payload_field_fuzzed_never_gives_a_500(world, field, value, kind):
    payload = {"type": kind, "user": {"id": "UGA0001", "name": "ga"}, "trigger_id": world.fake.trigger(),
               "container": {"type": "message", "channel_id": "CPR", "message_ts": "1.1"}, "channel": {"id": "CPR"},
               "actions": [{"action_id": "action_done", "value": "1", "action_ts": "1.2"}],
               "callback_id": "make_action", "message": {"ts": "1.1", "text": "hi"},
               "view": {"id": "VFUZZ", "callback_id": "new_action_modal", "private_metadata": "{}",
                        "state": {"values": {"title": {"value": {"value": "Fuzzed"}}}}}}
    if field in ("value", "action_id"):
        payload["actions"][0][field] = value
    elif field in ("private_metadata", "state"):
        payload["view"][field] = value
    else:
        payload[field] = value
    resp = world.interact(payload)
    assert resp.status_code in (200, 400, 404), (field, value, resp.status_code, resp.text)
    assert wait_healthy_inproc(world)


def wait_healthy_inproc(world) -> bool:
    return requests.get(world.url + "/healthz", timeout=5).json()["ok"] is True


def test_a_refusal_in_a_press_reply_is_not_json_noise(world):
    """A press whose action is gone answers plainly."""
    resp = world.interact({"type": "block_actions", "user": {"id": "UGA0001"}, "trigger_id": world.fake.trigger(),
                           "actions": [{"action_id": "action_done", "value": "424242", "action_ts": "3.3"}],
                           "container": {"type": "message", "channel_id": "CPR", "message_ts": "1.1"}})
    assert resp.status_code == 200
    world.deliver()
    told = [json.dumps(c.args) for c in world.fake.calls_to("chat.postEphemeral")]
    assert any("no longer in the log" in t for t in told)


def test_a_payload_field_is_checked_wherever_it_comes_in_the_form_and_typed_text_never_counts_as_one():
    from urllib.parse import urlencode

    from handlers.payloads import problem

    form = "application/x-www-form-urlencoded"
    assert problem(b"payload=%7Bnot+json", form) == "the payload is not JSON"
    assert problem(b"token=x&payload=%7Bnot+json", form) == "the payload is not JSON"
    typed = urlencode({"command": "/action", "text": "update 1/18 payload={nope & payload=[]"}).encode()
    assert b"payload%3D" in typed and problem(typed, form) is None
    assert problem(b"\xff\xfe", form) == "not UTF-8"
    encoded = b'text=payload&%70ayload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A5%7D'
    assert problem(encoded, form) == "actions is not a list of objects"  # the field's name encoded
    twice = b'payload=%7B%22type%22%3A%22block_actions%22%2C%22actions%22%3A%5B%7B%7D%5D%7D&payload=%7Bnot'
    assert problem(twice, form) == "the payload is not JSON"  # Bolt reads the last
