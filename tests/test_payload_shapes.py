"""Clerk driven by interaction payloads in the shapes Slack really sends (tests/slackreq.py names the
SDK samples each shape is copied from): a press on a board channel's post, in App Home and in a DM;
the New action form submitted with each of its input types; the "Make an action" message shortcut;
and a user of an Enterprise Grid org. Each test checks the payload that went out, what the person
sees and what the log stored."""
import datetime as dt
import json
from urllib.parse import parse_qs

import pytest

from jobs.runner import run_job
from store.models import Action
from tests import slackreq
from tests.harness import buttons, post_text
from tests.test_action_log import SETUP
from tests.test_jobs import at
from tests.test_live_messages import button

GRID_USER = "W0GH00001"  # an Enterprise Grid org's users have W… ids


@pytest.fixture
def sent(monkeypatch):
    """The interaction payloads the harness sent, decoded, in order."""
    payloads = []
    real = slackreq.interaction

    def recording(url, secret, payload, **kw):
        body = slackreq.interaction_body(payload)
        payloads.append(json.loads(parse_qs(body)["payload"][0]))
        return real(url, secret, payload, **kw)

    monkeypatch.setattr(slackreq, "interaction", recording)
    return payloads


@pytest.fixture
def pr(clerk, sent):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.says("GA", "/action new Circulate the Specials funding analysis owner AH due 13/12", channel="CPR")  # 1/18
    clerk.deliver()
    return clerk


def stored(pr, title_start="Circulate"):
    with pr.clerk.sessions() as s:
        action = next(a for a in s.query(Action) if a.title.startswith(title_start))
        return {"ref": f"{action.number}/{action.year % 100}", "title": action.title, "status": action.status,
                "closed": action.closed, "due": action.due, "private": action.private, "board": action.board.name,
                "owners": [p.initials or p.name for p in action.owners]}


def updates(pr, channel):
    return [c for c in pr.fake.calls_to("chat.update") if c.ok and c.args["channel"] == channel]


def sent_from_a_workspace(payload, user):
    assert payload["team"] == {"id": "T0001", "domain": "test"}
    assert payload["enterprise"] is None and payload["is_enterprise_install"] is False
    assert payload["api_app_id"] == slackreq.API_APP_ID and payload["token"] == slackreq.VERIFICATION_TOKEN
    assert payload["user"]["id"] == user and payload["user"]["team_id"] == "T0001"


# -- presses ---------------------------------------------------------------------------------------

def test_mark_done_on_the_board_channel_post(pr, sent):
    post = pr.fake.messages("CPR")[0]
    pr.press("AH", button(post, "Mark done"), message=post, channel="CPR")

    payload = sent[-1]
    sent_from_a_workspace(payload, "UAH0001")
    assert payload["type"] == "block_actions" and payload["user"]["username"] == "ah"
    assert payload["container"] == {"type": "message", "message_ts": post["ts"], "channel_id": "CPR",
                                    "is_ephemeral": False}
    assert payload["channel"] == {"id": "CPR", "name": "cpr"}
    assert payload["message"]["bot_id"] == "BCLERK" and payload["message"]["ts"] == post["ts"]
    assert payload["message"]["blocks"] == post["blocks"] and payload["response_url"].startswith("http")
    action, = payload["actions"]
    assert action == {"action_id": "action_done", "block_id": "action-1",
                      "text": {"type": "plain_text", "text": "Mark done", "emoji": True}, "value": "1",
                      "type": "button", "action_ts": action["action_ts"], "style": "primary"}
    assert payload["trigger_id"].count(".") == 2

    # what the presser and the channel see
    update, = updates(pr, "CPR")
    assert update.args["ts"] == post["ts"]
    after = {"blocks": update.json("blocks")}
    assert post_text(after) == "*1/18* Circulate the Specials funding analysis — AH — closed 29 Nov 2018"
    assert buttons(after) == [("Reopen", "action_reopen")]
    told = pr.fake.calls_to("chat.postEphemeral")[-1]
    assert (told.args["channel"], told.args["user"]) == ("CPR", "UAH0001") and "closed by Anna Hook" in told.args["text"]
    # what is stored
    assert stored(pr)["status"] == "closed" and stored(pr)["closed"] == dt.date(2018, 11, 29)


def test_mark_done_in_app_home(pr, sent):
    pr.event({"type": "app_home_opened", "user": "UAH0001", "channel": "DUAH0001", "tab": "home",
              "event_ts": "1543485600.000300"})
    pr.deliver()
    home = pr.fake.home("UAH0001")
    assert ("Mark done", "action_done") in buttons(home)
    pr.press("AH", {"action_id": "action_done", "value": "1"}, in_home=True)

    payload = sent[-1]
    sent_from_a_workspace(payload, "UAH0001")
    assert payload["container"] == {"type": "view", "view_id": home["id"]}
    assert payload["view"]["type"] == "home" and payload["view"]["id"] == home["id"]
    assert payload["view"]["hash"] == home["hash"] and payload["view"]["blocks"] == home["blocks"]
    assert not {"channel", "message", "response_url"} & set(payload)  # App Home is no conversation
    assert payload["actions"][0]["block_id"] == "action-1" and payload["actions"][0]["text"]["text"] == "Mark done"

    # nothing to update in place: the Home tab is published again, without the action among the open ones
    assert pr.fake.calls_to("chat.update") == []
    republished = pr.fake.home("UAH0001")
    assert republished["hash"] != home["hash"]
    assert ("Mark done", "action_done") not in buttons(republished)
    assert "You have no open actions" in post_text(republished)
    said = [p for p in pr.fake.posts() if p["channel"] in ("UAH0001", "DUAH0001")]
    assert any("closed by Anna Hook" in p["text"] for p in said), said  # told in the DM, not a channel
    assert stored(pr)["status"] == "closed"


def test_mark_done_on_a_reminder_in_the_dm(pr, sent):
    run_job(pr.clerk, "action-reminders", at("2018-12-06T10:00:00+00:00"))
    pr.deliver()
    reminder = pr.fake.messages("DUAH0001")[-1]
    pr.press("AH", button(reminder, "Mark done"), message=reminder, in_dm=True)

    payload = sent[-1]
    sent_from_a_workspace(payload, "UAH0001")
    assert payload["channel"] == {"id": "DUAH0001", "name": "directmessage"}
    assert payload["container"]["channel_id"] == "DUAH0001" and payload["container"]["message_ts"] == reminder["ts"]
    assert payload["container"]["is_ephemeral"] is False and payload["message"]["ts"] == reminder["ts"]

    update, = updates(pr, "DUAH0001")
    assert update.args["ts"] == reminder["ts"]
    assert "*1/18* Circulate the Specials funding analysis — AH — closed 29 Nov 2018" in \
        post_text({"blocks": update.json("blocks")})
    assert any("closed by Anna Hook" in p["text"] for p in pr.fake.posts("DUAH0001"))
    assert not [c for c in pr.fake.calls_to("chat.postEphemeral") if c.args["channel"] == "DUAH0001"]  # a DM: a message
    assert stored(pr)["status"] == "closed"


# -- the New action form ------------------------------------------------------------------------------

def test_the_new_action_form_submitted_with_each_input_type(pr, sent):
    pr.slash("GA", "/action new", channel="CPR")
    opened = pr.opened()
    types = {b["block_id"]: b["element"]["type"] for b in opened["blocks"] if b["type"] == "input"}
    assert types == {"title": "plain_text_input", "owners": "multi_users_select", "others": "plain_text_input",
                     "due": "datepicker", "board": "static_select", "private": "checkboxes"}
    resp = pr.submit("GA", opened, {
        "title": {"value": "Review the custody audit findings"},
        "owners": {"selected_users": ["UAH0001", "UVH0001"]},
        "others": {"value": "GN"},
        "due": {"selected_date": "2019-01-10"},
        "board": {"selected_option": {"value": "P&R"}},
        "private": {"selected_options": [{"value": "private"}]}})
    assert resp.status_code == 200 and resp.text == ""  # the modal closes

    payload = sent[-1]
    sent_from_a_workspace(payload, "UGA0001")
    assert payload["type"] == "view_submission" and payload["response_urls"] == []
    view = payload["view"]
    held, = [v for v in pr.fake.views().values() if v.get("callback_id") == "new_action_modal"]
    assert (view["id"], view["hash"], view["team_id"], view["type"]) == (held["id"], held["hash"], "T0001", "modal")
    assert view["callback_id"] == "new_action_modal"
    assert json.loads(view["private_metadata"]) == {"channel": "CPR", "source": None}
    values = view["state"]["values"]
    assert values["title"] == {"value": {"type": "plain_text_input", "value": "Review the custody audit findings"}}
    assert values["owners"] == {"value": {"type": "multi_users_select", "selected_users": ["UAH0001", "UVH0001"]}}
    assert values["others"] == {"value": {"type": "plain_text_input", "value": "GN"}}
    assert values["due"] == {"value": {"type": "datepicker", "selected_date": "2019-01-10"}}
    assert values["board"] == {"value": {"type": "static_select", "selected_option": {
        "text": {"type": "plain_text", "text": "P&R"}, "value": "P&R"}}}
    checked, = values["private"]["value"]["selected_options"]
    assert values["private"]["value"]["type"] == "checkboxes"
    assert checked["value"] == "private" and checked["text"]["text"] == "Private (Part B)" and "description" in checked

    assert stored(pr, "Review") == {"ref": "2/18", "title": "Review the custody audit findings", "status": "open",
                                    "closed": None, "due": dt.date(2019, 1, 10), "private": True, "board": "P&R",
                                    "owners": ["AH", "VH", "GN"]}
    pr.deliver()
    told, = [c for c in pr.fake.calls_to("chat.postEphemeral") if c.args["user"] == "UGA0001"]
    assert told.args["channel"] == "CPR" and "Raised *2/18*" in told.args["text"]
    post = pr.fake.posts("CPR")[-1]
    assert "custody audit" not in json.dumps(post)  # Part B: the public channel sees no text
    assert post_text(post) == "*2/18* (Part B) raised by Glykeria Anyfanti (GA)."


def test_a_form_left_at_its_initial_values_sends_them(pr, sent):
    """Slack sends every input, an untouched one with its initial value: the board the form opened
    on (the channel's), no owners picked (the action is the submitter's), no date, not Part B."""
    pr.slash("GA", "/action new", channel="CPR")
    resp = pr.submit("GA", pr.opened(), {"title": {"value": "Book the March away day"}})
    assert resp.status_code == 200 and resp.text == ""
    values = sent[-1]["view"]["state"]["values"]
    assert values["board"]["value"]["selected_option"]["value"] == "P&R"
    assert values["owners"]["value"] == {"type": "multi_users_select", "selected_users": []}
    assert values["others"]["value"] == {"type": "plain_text_input", "value": None}
    assert values["due"]["value"] == {"type": "datepicker", "selected_date": None}
    assert values["private"]["value"] == {"type": "checkboxes", "selected_options": []}
    assert stored(pr, "Book") == {"ref": "2/18", "title": "Book the March away day", "status": "open", "closed": None,
                                  "due": None, "private": False, "board": "P&R", "owners": ["GA"]}


# -- the message shortcut ------------------------------------------------------------------------------

def test_make_an_action_from_a_message_opens_the_form_prefilled(pr, sent):
    said = "Can <@UAH0001> send the OSG paper &amp; the budget to <#CPR|pr-board>?"  # as Slack stores it
    message = pr.fake.seed_message("CPR", said, user="UJG0001", ts="1543485600.000200")
    trigger = pr.fake.trigger()
    resp = pr.shortcut("GA", message, channel="CPR", trigger=trigger)
    assert resp.status_code == 200

    payload = sent[-1]
    assert payload["type"] == "message_action" and payload["callback_id"] == "make_action"
    assert payload["user"] == {"id": "UGA0001", "name": "ga", "team_id": "T0001"}  # a shortcut's user: no username
    assert payload["team"]["id"] == "T0001" and payload["enterprise"] is None
    assert payload["channel"] == {"id": "CPR", "name": "cpr"} and payload["message_ts"] == "1543485600.000200"
    assert payload["message"] == {"type": "message", "team": "T0001", "user": "UJG0001", "ts": "1543485600.000200",
                                  "text": said}
    assert payload["trigger_id"] == trigger and payload["response_url"].startswith("http")

    opened, = pr.fake.calls_to("views.open")
    assert opened.args["trigger_id"] == trigger and opened.ok
    view = opened.json("view")
    fields = {b["block_id"]: b for b in view["blocks"] if "block_id" in b}
    assert view["callback_id"] == "new_action_modal"
    assert fields["title"]["element"]["initial_value"] == "Can Anna Hook send the OSG paper & the budget to #pr-board?"
    assert fields["board"]["element"]["initial_option"]["value"] == "P&R"
    permalink = "https://example.slack.com/archives/CPR/p1543485600000200"
    assert permalink in view["blocks"][0]["elements"][0]["text"]

    # raised with the title as prefilled: the untouched title is sent with its initial value
    pr.submit("GA", view, {"owners": {"selected_users": ["UAH0001"]}})
    assert sent[-1]["view"]["state"]["values"]["title"]["value"]["value"] == fields["title"]["element"]["initial_value"]
    assert stored(pr, "Can Anna")["owners"] == ["AH"]
    assert f"raised from a Slack message: {permalink}" in pr.says("GA", "/action show 2/18")


# -- Enterprise Grid -----------------------------------------------------------------------------------

def test_an_enterprise_grid_user_presses_a_button(pr, sent):
    pr.says("GA", f"/clerk person GH <@{GRID_USER}|gh> Glenda Ash")
    pr.says("GA", "/action new Review the Grid rota owner GH due 20/12", channel="CPR")  # 2/18
    pr.deliver()
    post = next(m for m in pr.fake.messages("CPR") if "Review the Grid rota" in m["text"])
    pr.press(GRID_USER, button(post, "Mark done"), message=post, channel="CPR")

    payload = sent[-1]
    assert payload["user"] == {"id": GRID_USER, "username": "w0gh00001", "name": "w0gh00001", "team_id": "T0001"}
    assert payload["team"] == {"id": "T0001", "domain": "test", "enterprise_id": "E0001",
                               "enterprise_name": "Sandbox Org"}
    assert payload["enterprise"] == {"id": "E0001", "name": "Sandbox Org"}
    assert payload["is_enterprise_install"] is False  # installed on the workspace, which is in an org

    update, = updates(pr, "CPR")
    assert post_text({"blocks": update.json("blocks")}) == "*2/18* Review the Grid rota — GH — closed 29 Nov 2018"
    told = pr.fake.calls_to("chat.postEphemeral")[-1]
    assert (told.args["channel"], told.args["user"]) == ("CPR", GRID_USER)
    assert "closed by Glenda Ash" in told.args["text"]
    assert stored(pr, "Review the Grid")["status"] == "closed"
    assert stored(pr)["status"] == "open"  # 1/18 untouched
