"""The test tooling must behave like Slack does for the real SDK, or every test built on it lies."""

import datetime as dt
import json
import re
import time

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import (
    FixedValueRetryIntervalCalculator,
)
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
    # "If you do not pass include_all_metadata=true, you will receive the event_type field only"
    assert plain[1]["metadata"] == {"event_type": "clerk_task"} and "metadata" not in plain[0]
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

    fake.scopes.add("users:read")  # Clerk does not ask for it; the fake still answers it as Slack does
    assert web.users_info(user="U1")["user"]["id"] == "U1"
    fake.set_user("U2", real_name="Ada", deleted=True)
    user = web.users_info(user="U2")["user"]
    assert (user["real_name"], user["deleted"]) == ("Ada", True)

    view = web.views_publish(user_id="U1", view={"type": "home", "blocks": BLOCKS})["view"]
    assert view["id"].startswith("V") and view["blocks"] == BLOCKS
    assert web.views_update(view_id=view["id"], view={"type": "home", "blocks": []})["view"]["id"] == view["id"]
    assert web.chat_postEphemeral(channel="C1", user="U1", text="psst")["message_ts"]
    ts = web.chat_postMessage(channel="C1", text="here")["ts"]
    assert web.chat_getPermalink(channel="C1", message_ts=ts)["permalink"].startswith("https://")
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
    ts = fake.seed_message("C1", "old")["ts"]  # posted by Clerk before this test
    assert web.chat_update(channel="C1", ts=ts, text="x")
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


# -- Slack's rules, each as its documentation states it (sources in tests/fakeslack.py) -------------

def refused(call) -> str:
    """The error code Slack answers a call with (SlackApiError)."""
    with pytest.raises(SlackApiError) as err:
        call()
    return err.value.response["error"]


MODAL = {"type": "modal", "title": {"type": "plain_text", "text": "New action"}, "blocks": BLOCKS}


def test_a_message_needs_text_or_blocks(fake):  # [NO_TEXT]
    web = client(fake)
    assert refused(lambda: web.chat_postMessage(channel="C1")) == "no_text"
    assert refused(lambda: web.chat_postEphemeral(channel="C1", user="U1")) == "no_text"
    ts = web.chat_postMessage(channel="C1", blocks=BLOCKS)["ts"]  # blocks alone will do
    assert refused(lambda: web.chat_update(channel="C1", ts=ts)) == "no_text"
    assert fake.calls[0].response["errors"]  # seen by the conftest guard like a Block Kit refusal


def test_text_over_40000_characters_is_truncated_with_a_warning_not_refused(fake):  # [TRUNCATE]
    web = client(fake)
    resp = web.chat_postMessage(channel="C1", text="x" * 40_001)
    assert resp["ok"] and resp["response_metadata"]["warnings"] == ["message_truncated"]
    (message,) = fake.messages("C1")
    assert len(message["text"]) == 40_000
    web.chat_postEphemeral(channel="C1", user="U1", text="y" * 50_000)
    web.chat_update(channel="C1", ts=message["ts"], text="z" * 40_000)  # at the limit: no warning
    assert fake.warnings() == [("chat.postMessage", "message_truncated"), ("chat.postEphemeral", "message_truncated")]


@pytest.mark.parametrize("metadata", [
    {"event_payload": {"key": 1}},                       # no event_type
    {"event_type": "", "event_payload": {}},             # empty event_type
    {"event_type": "clerk_task", "event_payload": "k"},  # payload not an object
    ["clerk_task"],
])
def test_metadata_must_be_an_event_type_and_a_payload_object(fake, metadata):  # [METADATA]
    params = {"channel": "C1", "text": "hi", "metadata": json.dumps(metadata)}
    assert refused(lambda: client(fake).api_call("chat.postMessage", params=params)) == "invalid_metadata_format"
    assert fake.messages("C1") == []


def test_metadata_kept_replaced_or_removed_by_chat_update(fake):  # [METADATA]
    web = client(fake)
    ts = web.chat_postMessage(channel="C1", text="one", metadata=METADATA)["ts"]
    web.chat_update(channel="C1", ts=ts, text="two")  # absent: "previous metadata will be retained"
    assert fake.messages("C1")[0]["metadata"] == METADATA
    other = {"event_type": "clerk_task", "event_payload": {"task_id": 8}}
    web.chat_update(channel="C1", ts=ts, text="three", metadata=other)
    assert fake.messages("C1")[0]["metadata"] == other
    web.api_call("chat.update", json={"channel": "C1", "ts": ts, "text": "four", "metadata": {}})  # "an empty object"
    assert "metadata" not in fake.messages("C1")[0]


def test_metadata_size_is_refused_only_when_a_limit_is_set(fake):  # [METADATA]: Slack gives no number
    web = client(fake)
    big = {"event_type": "clerk_task", "event_payload": {"key": "k" * 5000}}
    assert web.chat_postMessage(channel="C1", text="hi", metadata=big)["ok"]
    fake.metadata_max_bytes = 1000
    try:
        assert refused(lambda: web.chat_postMessage(channel="C1", text="hi", metadata=big)) == "metadata_too_large"
    finally:
        fake.metadata_max_bytes = None


def test_history_is_paginated_and_bounded(fake):  # [HISTORY]
    web = client(fake)
    stamps = [web.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(150)]
    first = web.conversations_history(channel="C1")
    assert len(first["messages"]) == 100 and first["has_more"]
    assert first["messages"][0]["text"] == "149"
    rest = web.conversations_history(channel="C1", cursor=first["response_metadata"]["next_cursor"])
    assert [m["text"] for m in rest["messages"]] == [str(i) for i in range(49, -1, -1)] and not rest["has_more"]
    assert "response_metadata" not in rest or not rest["response_metadata"].get("next_cursor")
    window = web.conversations_history(channel="C1", oldest=stamps[10], latest=stamps[13])["messages"]
    assert [m["text"] for m in window] == ["12", "11"]
    window = web.conversations_history(channel="C1", oldest=stamps[10], latest=stamps[13], inclusive=True)
    assert [m["text"] for m in window["messages"]] == ["13", "12", "11", "10"]
    assert len(web.conversations_history(channel="C1", limit=5000)["messages"]) == 150  # max 999


def test_updating_a_message_slack_does_not_hold_is_refused(fake):  # [UPDATE]
    web = client(fake)
    assert refused(lambda: web.chat_update(channel="C1", ts="1700000000.000100", text="x")) == "message_not_found"
    theirs = fake.seed_message("C1", "a person's words", user="U1")
    assert refused(lambda: web.chat_update(channel="C1", ts=theirs["ts"], text="x")) == "cant_update_message"
    ours = fake.seed_message("C1", "posted by an earlier Clerk")
    assert web.chat_update(channel="C1", ts=ours["ts"], text="now")["text"] == "now"
    assert [m["text"] for m in fake.messages("C1")] == ["a person's words", "now"]


def test_a_permalink_needs_the_message(fake):  # [PERMALINK]
    web = client(fake)
    assert refused(lambda: web.chat_getPermalink(channel="C1", message_ts="1.2")) == "message_not_found"
    seeded = fake.seed_message("C1", "make this an action", user="U1", ts="1543485600.000100")
    assert web.chat_getPermalink(channel="C1", message_ts=seeded["ts"])["permalink"].endswith("/p1543485600000100")


def test_views_open_exchanges_a_trigger_slack_issued_once(fake):  # [TRIGGER]
    web = client(fake)
    assert refused(lambda: web.views_open(trigger_id="123.456.abc", view=MODAL)) == "invalid_trigger_id"
    trigger = fake.trigger(user="U1")
    assert re.fullmatch(r"\d+\.\d+\.[0-9a-f]+", trigger)  # "132456.7890123.abcdef"
    view = web.views_open(trigger_id=trigger, view=MODAL)["view"]
    assert view["id"].startswith("V") and view["hash"] and fake.views()[view["id"]]["title"] == MODAL["title"]
    assert refused(lambda: web.views_open(trigger_id=trigger, view=MODAL)) == "exchanged_trigger_id"
    assert refused(lambda: web.views_push(trigger_id=trigger, view=MODAL)) == "exchanged_trigger_id"
    assert web.views_push(trigger_id=fake.trigger(), view=MODAL)["ok"]
    assert refused(lambda: web.api_call("views.open", json={"view": MODAL})) == "invalid_arguments"


def test_a_trigger_expires_three_seconds_after_it_was_issued(fake):  # [TRIGGER]
    web = client(fake)
    stale = fake.trigger(at=time.time() - 3.5)
    assert refused(lambda: web.views_open(trigger_id=stale, view=MODAL)) == "expired_trigger_id"
    fresh = fake.trigger(at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=2))
    assert web.views_open(trigger_id=fresh, view=MODAL)["ok"]
    # The fake's clock can be moved instead of waiting.
    now = [1_700_000_000.0]
    fake.clock = lambda: now[0]
    try:
        trigger = fake.trigger()
        now[0] += 3.01
        assert refused(lambda: web.views_open(trigger_id=trigger, view=MODAL)) == "expired_trigger_id"
    finally:
        fake.clock = time.time


def test_a_refused_view_or_a_fault_does_not_use_the_trigger_up(fake):  # [TRIGGER] [BLOCKS]
    web = client(fake)
    trigger = fake.trigger()
    bad = {**MODAL, "title": {"type": "plain_text", "text": "x" * 25}}
    assert refused(lambda: web.views_open(trigger_id=trigger, view=bad)) == "invalid_arguments"
    fake.fail("views.open", error="expired_trigger_id")  # fault injection still answers first
    assert refused(lambda: web.views_open(trigger_id=trigger, view=MODAL)) == "expired_trigger_id"
    assert web.views_open(trigger_id=trigger, view=MODAL)["ok"]


def test_home_views_and_updates_carry_a_hash(fake):  # [VIEWS]
    web = client(fake)
    home = {"type": "home", "blocks": BLOCKS}
    first = web.views_publish(user_id="U1", view=home)["view"]
    assert fake.home("U1")["hash"] == first["hash"]
    second = web.views_publish(user_id="U1", view=home, hash=first["hash"])["view"]
    assert second["id"] == first["id"] and second["hash"] != first["hash"]
    assert refused(lambda: web.views_publish(user_id="U1", view=home, hash=first["hash"])) == "hash_conflict"
    assert refused(lambda: web.views_publish(user_id="not-a-user", view=home)) == "invalid_arguments"

    modal = web.views_open(trigger_id=fake.trigger(), view={**MODAL, "external_id": "form-1"})["view"]
    assert refused(lambda: web.views_update(view_id="VNOPE", view=MODAL)) == "not_found"
    assert refused(lambda: web.views_update(external_id="form-9", view=MODAL)) == "not_found"
    assert refused(lambda: web.views_update(view_id=modal["id"], hash="1.stale", view=MODAL)) == "hash_conflict"
    updated = web.views_update(external_id="form-1", hash=modal["hash"], view={**MODAL, "external_id": "form-1"})
    assert updated["view"]["id"] == modal["id"]
    taken = {**MODAL, "external_id": "form-1"}
    assert refused(lambda: web.views_open(trigger_id=fake.trigger(), view=taken)) == "duplicate_external_id"


def test_ephemeral_messages_go_to_members_and_never_into_history(fake):  # [EPHEMERAL]
    web = client(fake)
    fake.set_channel("CPR", name="pr-board", members=["UAH0001", BOT])
    assert web.chat_postEphemeral(channel="CPR", user="UAH0001", text="only you")["ok"]
    assert refused(lambda: web.chat_postEphemeral(channel="CPR", user="UVH0001", text="x")) == "user_not_in_channel"
    assert [e["text"] for e in fake.ephemerals("CPR", "UAH0001")] == ["only you"]
    assert fake.messages("CPR") == [] and web.conversations_history(channel="CPR")["messages"] == []
    fake.set_channel("CPR", name="pr-board")  # membership no longer known: anyone may be shown one
    assert web.chat_postEphemeral(channel="CPR", user="UVH0001", text="x")["ok"]


BOT = "UCLERKBOT"


def test_a_private_channel_clerk_is_not_in_is_invisible(fake):  # [CHANNEL]
    web = client(fake)
    fake.set_channel("GSECRET", is_private=True, is_member=False)
    assert refused(lambda: web.chat_postMessage(channel="GSECRET", text="x")) == "channel_not_found"
    fake.set_channel("CPUBLIC", is_private=False, is_member=False)  # chat:write.public
    assert web.chat_postMessage(channel="CPUBLIC", text="x")["ok"]


def test_conversations_open_checks_its_users(fake):  # [OPEN]
    web = client(fake)
    assert web.conversations_open(users="UAH0001")["channel"]["id"] == "DUAH0001"
    assert web.conversations_open(users="UM1,UM2")["channel"]["id"] == "GUM1UM2"  # a group DM
    assert web.conversations_open(channel="DUAH0001")["channel"]["id"] == "DUAH0001"
    assert refused(lambda: web.api_call("conversations.open", json={})) == "users_list_not_supplied"
    assert refused(lambda: web.conversations_open(users=",".join(f"U{i}0" for i in range(9)))) == "too_many_users"
    fake.set_user("ULEFT01", deleted=True)
    assert refused(lambda: web.conversations_open(users="ULEFT01")) == "user_disabled"
    fake.remove_user("UGONE01")
    assert refused(lambda: web.conversations_open(users="UGONE01")) == "user_not_found"
    assert refused(lambda: web.conversations_open(users="anna")) == "user_not_found"


def test_users_info_knows_only_slack_user_ids(fake):  # [USERS]
    web = client(fake)
    fake.scopes.add("users:read")  # Clerk does not ask for it; the fake still answers it as Slack does
    assert web.users_info(user="UAH0001")["user"]["name"] == "uah0001"
    assert refused(lambda: web.users_info(user="Annette Hadley")) == "user_not_found"
    fake.remove_user("UAH0001")
    assert refused(lambda: web.users_info(user="UAH0001")) == "user_not_found"
    fake.set_user("UAH0001", real_name="Annette Hadley")  # back again
    assert web.users_info(user="UAH0001")["user"]["real_name"] == "Annette Hadley"


def test_reset_forgets_triggers_and_views(fake):
    web = client(fake)
    trigger = fake.trigger()
    web.views_publish(user_id="U1", view={"type": "home", "blocks": BLOCKS})
    fake.reset()
    assert fake.views() == {} and fake.home("U1") is None
    assert refused(lambda: web.views_open(trigger_id=trigger, view=MODAL)) == "invalid_trigger_id"
