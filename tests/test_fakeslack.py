"""The test tooling must behave like Slack does for the real SDK, or every test built on it lies."""

import json
import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.signature import SignatureVerifier

from tests import slackreq
from tests.fakeslack import FakeSlack

SECRET = "s3cret"
BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*hi*"}}]
METADATA = {"event_type": "clerk_task", "event_payload": {"task_id": 7}}


@pytest.fixture(scope="module")
def server():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def fake(server):
    server.reset()
    return server


def client(fake, **kwargs):
    return WebClient(token="xoxb-test", base_url=fake.url, **kwargs)


def test_post_message_json_body(fake):
    resp = client(fake).chat_postMessage(channel="C1", text="hi", blocks=BLOCKS, metadata=METADATA)

    assert resp["ok"] and resp["channel"] == "C1"
    assert resp["message"]["metadata"] == METADATA and resp["message"]["bot_id"] == "BCLERK"
    (call,) = fake.calls
    assert call.method == "chat.postMessage" and call.token == "xoxb-test" and call.status == 200
    assert call.headers["Content-Type"].startswith("application/json")
    assert call.args["blocks"] == BLOCKS  # JSON bodies carry nested objects, not JSON text
    assert fake.posts("C1") == [{"channel": "C1", "text": "hi", "blocks": BLOCKS, "metadata": METADATA}]
    assert fake.posts("C2") == []


def test_post_message_form_body(fake):
    # Form callers must serialise JSON fields themselves; the fake sees text.
    params = {"channel": "C1", "text": "hi", "blocks": json.dumps(BLOCKS), "metadata": json.dumps(METADATA)}
    client(fake).api_call("chat.postMessage", params=params)

    (call,) = fake.calls
    assert call.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert call.args["blocks"] == json.dumps(BLOCKS)
    assert call.json("blocks") == BLOCKS and call.json("metadata") == METADATA
    assert fake.posts()[0]["metadata"] == METADATA


def test_ts_unique_and_increasing(fake):
    web = client(fake)
    stamps = [web.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(3)]
    assert stamps == sorted(stamps) and len(set(stamps)) == 3
    assert stamps == sorted(stamps, key=float)


def test_history_newest_first_with_metadata_only_when_asked(fake):
    web = client(fake)
    first = web.chat_postMessage(channel="C1", text="one", metadata=METADATA)["ts"]
    web.chat_postMessage(channel="C1", text="two")
    web.chat_postMessage(channel="C1", text="reply", thread_ts=first)
    web.chat_postMessage(channel="C9", text="elsewhere")

    with_meta = web.conversations_history(channel="C1", include_all_metadata=True)["messages"]
    assert [m["text"] for m in with_meta] == ["two", "one"]
    assert with_meta[1]["metadata"] == METADATA
    plain = web.conversations_history(channel="C1")["messages"]
    assert "metadata" not in plain[1]
    assert [m["text"] for m in web.conversations_replies(channel="C1", ts=first)["messages"]] == ["one", "reply"]


def test_update_changes_stored_message(fake):
    web = client(fake)
    ts = web.chat_postMessage(channel="C1", text="old")["ts"]
    resp = web.chat_update(channel="C1", ts=ts, text="new", blocks=BLOCKS)
    assert (resp["ts"], resp["text"]) == (ts, "new")
    (message,) = web.conversations_history(channel="C1")["messages"]
    assert message["text"] == "new" and message["blocks"] == BLOCKS


def test_lookups(fake):
    web = client(fake)
    auth = web.auth_test()  # sent with no body at all
    assert (auth["user_id"], auth["bot_id"], auth["team_id"]) == ("UCLERKBOT", "BCLERK", "T0001")
    assert web.conversations_open(users="U123")["channel"]["id"] == "DU123"

    assert web.conversations_info(channel="C5")["channel"] == {
        "id": "C5", "name": "C5", "is_private": False, "is_im": False, "is_member": True}
    fake.set_channel("G7", is_private=True, name="secret", is_member=False)
    info = web.conversations_info(channel="G7")["channel"]
    assert (info["name"], info["is_private"], info["is_member"]) == ("secret", True, False)

    assert web.users_info(user="U1")["user"]["id"] == "U1"
    fake.set_user("U2", real_name="Ada", deleted=True)
    user = web.users_info(user="U2")["user"]
    assert (user["real_name"], user["deleted"]) == ("Ada", True)

    view = web.views_publish(user_id="U1", view={"type": "home", "blocks": BLOCKS})["view"]
    assert view["id"].startswith("V") and view["blocks"] == BLOCKS
    assert web.views_update(view_id=view["id"], view={"type": "home", "blocks": []})["view"]["id"] == view["id"]
    assert web.chat_postEphemeral(channel="C1", user="U1", text="psst")["message_ts"]
    assert web.chat_getPermalink(channel="C1", message_ts="1700000000.000100")["permalink"].startswith("https://")
    assert web.reactions_add(channel="C1", timestamp="1.2", name="eyes").data == {"ok": True}
    assert [c.method for c in fake.calls][-1] == "reactions.add"


def test_rate_limit_is_retried_after_retry_after(fake):
    fake.fail("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    resp = client(fake, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)]).chat_postMessage(
        channel="C1", text="hi")
    assert resp["ok"] and time.monotonic() - started >= 1
    assert [c.status for c in fake.calls] == [429, 200]
    assert len(fake.posts()) == 1  # the rate-limited attempt is not a post


def test_rate_limit_without_retry_raises(fake):
    fake.fail("chat.postMessage", status=429, retry_after=30)
    with pytest.raises(SlackApiError) as err:
        client(fake, retry_handlers=[]).chat_postMessage(channel="C1", text="hi")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "30"


@pytest.mark.parametrize("status", [500, 503])
def test_server_error_is_retried(fake, status):
    fake.fail("chat.update", status=status)
    quick = FixedValueRetryIntervalCalculator(0.01)
    web = client(fake, retry_handlers=[ServerErrorRetryHandler(interval_calculator=quick)])
    assert web.chat_update(channel="C1", ts="1", text="x")
    assert [c.status for c in fake.calls] == [status, 200]


def test_dropped_connection_is_retried(fake):
    # WebClient retries connection errors by default; use that handler class with a
    # short interval here instead of its 0.5-1.5 s backoff.
    (default,) = client(fake).retry_handlers
    assert isinstance(default, ConnectionErrorRetryHandler) and default.max_retry_count == 1
    quick = ConnectionErrorRetryHandler(interval_calculator=FixedValueRetryIntervalCalculator(0.01))

    fake.fail("chat.postMessage", drop=True)
    assert client(fake, retry_handlers=[quick]).chat_postMessage(channel="C1", text="hi")["ok"]
    assert [c.status for c in fake.calls] == [0, 200]
    assert len(fake.posts()) == 1


def test_dropped_connection_without_retry_raises(fake):
    fake.fail("auth.test", drop=True)
    with pytest.raises(ConnectionError):  # http.client.RemoteDisconnected
        client(fake, retry_handlers=[]).auth_test()


def test_error_answer_raises_slack_api_error(fake):
    fake.fail("chat.postMessage", error="channel_not_found", times=2)
    web = client(fake)
    for _ in range(2):
        with pytest.raises(SlackApiError) as err:
            web.chat_postMessage(channel="C404", text="hi")
        assert err.value.response["error"] == "channel_not_found"
    assert web.chat_postMessage(channel="C404", text="hi")["ok"]
    assert [c.status for c in fake.calls] == [200, 200, 200] and len(fake.posts()) == 1


# -- signing helpers: post them to the fake, which records raw body and headers --

def signature_ok(call, secret=SECRET):
    return SignatureVerifier(secret).is_valid(
        call.raw, call.headers["X-Slack-Request-Timestamp"], call.headers["X-Slack-Signature"])


def test_signed_requests_verify(fake):
    url = fake.url + "slack/events"
    slackreq.slash(url, SECRET, "/clerk", "add ünïcode task", channel_id="C42")
    slackreq.event(url, SECRET, {"type": "app_mention", "text": "hi", "ts": "1.2"}, retry_num=1)
    slackreq.interaction(url, SECRET, {"type": "block_actions", "actions": []})
    slackreq.url_verification(url, SECRET, "chal")

    slash, event, interaction, verification = fake.calls
    assert all(signature_ok(c) for c in fake.calls)
    assert slash.args["command"] == "/clerk" and slash.args["text"] == "add ünïcode task"
    assert {"token", "team_id", "team_domain", "channel_id", "channel_name", "user_id", "user_name",
            "api_app_id", "response_url", "trigger_id"} <= slash.args.keys()
    assert event.args["type"] == "event_callback" and event.args["event_id"].startswith("Ev")
    assert (event.headers["X-Slack-Retry-Num"], event.headers["X-Slack-Retry-Reason"]) == ("1", "http_timeout")
    assert interaction.json("payload")["type"] == "block_actions"
    assert verification.args == {"token": "verification-token", "challenge": "chal", "type": "url_verification"}


def test_stale_or_forged_signatures_rejected(fake):
    url = fake.url + "slack/events"
    slackreq.slash(url, SECRET, "/clerk", "x", timestamp=time.time() - 600)
    slackreq.slash(url, "wrong", "/clerk", "x")
    stale, forged = fake.calls
    assert not signature_ok(stale) and not signature_ok(forged)


def test_same_event_id_gives_same_envelope():
    ev = {"type": "message", "text": "hi", "ts": "1700000000.000100"}
    assert slackreq.event_body(ev, "Ev1") == slackreq.event_body(ev, "Ev1")
    assert slackreq.make_event_envelope(ev)["event_id"] != slackreq.make_event_envelope(ev)["event_id"]


def test_bolt_accepts_slash_and_rejects_stale(fake):
    # End to end with the app framework: auth.test goes to the fake, the body to Bolt.
    from slack_bolt import App
    from slack_bolt.request import BoltRequest

    app = App(client=client(fake), signing_secret=SECRET)
    app.command("/clerk")(lambda ack, command: ack(f"got {command['text']}"))
    body = slackreq.slash_body("/clerk", "hello")

    ok = app.dispatch(BoltRequest(body=body, headers=slackreq.signature_headers(body, SECRET)))
    assert (ok.status, ok.body) == (200, "got hello")
    stale = slackreq.signature_headers(body, SECRET, time.time() - 600)
    assert app.dispatch(BoltRequest(body=body, headers=stale)).status == 401
