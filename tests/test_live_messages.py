"""Every message about one action carries its buttons, and a press brings the message up to date
in place: chat.update for channel and DM messages, the response_url for ephemeral ones."""
import pytest

from jobs.runner import run_job
from tests.harness import buttons, post_text
from tests.test_action_log import SETUP
from tests.test_jobs import at


@pytest.fixture
def pr(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.says("GA", "/action new Circulate the Specials funding analysis owner AH due 13/12", channel="CPR")  # 1/18
    clerk.says("GA", "/action new Essex Juno evaluation owner AH due 13/12 private", channel="CPR")  # 2/18
    clerk.deliver()
    return clerk


def button(message, label):
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if element.get("type") == "button" and element["text"]["text"] == label:
                return {**element, "block_id": block["block_id"]}
    raise AssertionError(f"no {label} button in {message['blocks']}")


def updates(clerk, channel):
    return [c for c in clerk.fake.calls_to("chat.update") if c.ok and c.args["channel"] == channel]


def test_a_board_post_is_brought_up_to_date_when_its_button_is_pressed(pr):
    raised = pr.fake.messages("CPR")[0]
    assert buttons(raised) == [("Mark done", "action_done"), ("Snooze a week", "action_snooze"),
                               ("Add update", "action_update")]
    pr.press("AH", button(raised, "Mark done"), message=raised, channel="CPR")
    update, = updates(pr, "CPR")
    assert update.args["ts"] == raised["ts"]
    after = {"blocks": update.json("blocks")}
    assert post_text(after) == "*1/18* Circulate the Specials funding analysis — AH — closed 29 Nov 2018"
    assert buttons(after) == [("Reopen", "action_reopen")]
    told = pr.fake.calls_to("chat.postEphemeral")[-1]  # the presser, where they pressed
    assert (told.args["channel"], told.args["user"]) == ("CPR", "UAH0001") and "closed by Anna Hook" in told.args["text"]
    assert any(t.startswith("*1/18* closed by Anna Hook (AH)") for t in pr.channel_sees("CPR"))
    # the chair reopens from the same (updated) message
    pr.press("JG", button(after, "Reopen"), message={**raised, "blocks": after["blocks"]}, channel="CPR")
    assert buttons({"blocks": updates(pr, "CPR")[-1].json("blocks")})[0] == ("Mark done", "action_done")


def test_a_press_on_an_action_that_changed_meanwhile_says_its_state_and_changes_nothing(pr):
    """Refused means nothing happens (issue 25): the reply says why, and the pressed message is not edited."""
    run_job(pr.clerk, "action-reminders", at("2018-12-06T10:00:00+00:00"))
    pr.deliver()
    reminder = pr.fake.messages("DUAH0001")[-1]
    pr.says("GA", "/action close 1/18 Sent round on 5 December")  # closed by someone else
    pr.press("AH", button(reminder, "Mark done"), message=reminder, channel="DUAH0001")
    assert "1/18 is already closed" in pr.fake.posts("DUAH0001")[-1]["text"]
    assert updates(pr, "DUAH0001") == []
    shown = pr.says("GA", "/action show 1/18")
    assert shown.count("→ closed") == 1


def test_an_ephemeral_reply_is_replaced_through_its_response_url(pr):
    reply = pr.slash("AH", "/action show 1/18", channel="CPR").json()
    assert buttons(reply)[0] == ("Mark done", "action_done")
    pr.press("AH", button(reply, "Snooze a week"), channel="CPR", ephemeral=True)
    sent, = pr.fake.calls_to("response_url")
    assert sent.args["replace_original"] in (True, "true")
    assert post_text({"blocks": sent.json("blocks")}).startswith("*1/18* Circulate the Specials funding analysis")
    assert pr.fake.calls_to("chat.update") == []  # chat.update cannot change an ephemeral message


def test_a_failed_update_is_retried_not_forgotten(pr):
    raised = pr.fake.messages("CPR")[0]
    pr.fake.fail("chat.update", status=500, times=4)  # beyond slack-sdk's own 3 retries
    pr.press("AH", button(raised, "Mark done"), message=raised, channel="CPR")
    assert updates(pr, "CPR") == []
    pr.clock.set("2018-11-29T10:05:00+00:00")
    pr.deliver()
    assert len(updates(pr, "CPR")) == 1


def test_part_b_stays_hidden_when_a_public_channel_post_is_updated(pr):
    post = pr.fake.messages("CPR")[1]
    assert "Essex Juno" not in post_text(post)
    pr.press("AH", button(post, "Mark done"), message=post, channel="CPR")
    update, = updates(pr, "CPR")
    assert "Essex Juno" not in str(update.args)
    assert "*2/18* Part B action (text not shown here)" in post_text({"blocks": update.json("blocks")})


def test_forged_or_stale_presses_get_401_and_change_nothing(pr):
    import time

    from tests import slackreq
    raised = pr.fake.messages("CPR")[0]
    payload = {"type": "block_actions", "user": {"id": "UAH0001"}, "team": {"id": "T0001"}, "trigger_id": "t",
               "container": {"type": "message", "channel_id": "CPR", "message_ts": raised["ts"]},
               "channel": {"id": "CPR"}, "message": raised,
               "actions": [{**button(raised, "Mark done"), "action_ts": "7.7"}]}
    assert slackreq.interaction(pr.events_url, "wrong-secret", payload).status_code == 401
    old = time.time() - 10 * 60  # Bolt refuses requests signed more than 5 minutes ago (replays)
    assert slackreq.interaction(pr.events_url, "test-signing-secret", payload, timestamp=old).status_code == 401
    pr.deliver()
    assert pr.fake.calls_to("chat.update") == []
    assert "Status: open" in pr.says("AH", "/action show 1/18")
