"""The New action and Add plan item forms, and the Make an action shortcut, as Slack drives them:
signed interaction requests in, views.open and the posts recorded by the fake Web API."""
import pytest

from tests.test_action_log import SETUP


@pytest.fixture
def pr(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.says("GA", "/meeting add 3 January 2019 10am")
    clerk.deliver()
    clerk.fake.reset()
    return clerk


def blocks_by_id(view):
    return {b["block_id"]: b for b in view["blocks"] if "block_id" in b}


def text(value):
    return {"type": "plain_text_input", "value": value}


def test_action_new_with_nothing_after_it_opens_the_form(pr):
    trigger = pr.fake.trigger()
    resp = pr.slash("AH", "/action new", channel="CPR", trigger_id=trigger)
    assert resp.status_code == 200 and resp.text == ""  # the form says it all
    call, = pr.fake.calls_to("views.open")
    assert call.args["trigger_id"] == trigger and call.ok
    view = call.json("view")
    fields = blocks_by_id(view)
    assert view["callback_id"] == "new_action_modal" and view["title"]["text"] == "New action"
    assert [fields[b]["label"]["text"] for b in ("title", "owners", "others", "due", "board", "private")] == [
        "Action", "Owners on Slack", "Owners not on Slack", "Due", "Board", "Part B"]
    assert fields["owners"]["element"]["type"] == "multi_users_select"
    assert fields["due"]["element"]["type"] == "datepicker"
    assert fields["board"]["element"]["initial_option"]["value"] == "P&R"  # the channel's board
    assert fields["private"]["element"]["type"] == "checkboxes"


def test_bad_fields_are_shown_on_the_field_and_nothing_is_saved(pr):
    pr.slash("AH", "/action new", channel="CPR")
    resp = pr.submit("AH", pr.opened(), {
        "title": text("   "), "owners": {"type": "multi_users_select", "selected_users": []},
        "others": text("XY and Gareth Nicholson"), "due": {"type": "datepicker", "selected_date": "2018-11-01"},
        "board": {"type": "static_select", "selected_option": None}, "private": {"selected_options": []}})
    errors = resp.json()["errors"]
    assert resp.json()["response_action"] == "errors" and errors["others"].startswith("I don't know XY. Register")
    assert errors == {"title": "The action needs a title.", "others": errors["others"],
                      "due": "Thu 1 Nov 2018 is in the past. Give a date from today on.",
                      "board": "Choose the board whose log it goes on."}
    resp = pr.submit("AH", pr.opened(), {"title": text("Report"), "others": text("@gareth")})
    assert "plain-text @name" in resp.json()["errors"]["others"]
    assert pr.says("GA", "/action list all") == "All actions on P&amp;R: none."
    assert pr.posts("CPR") == []


def test_a_filled_form_raises_the_action_as_the_command_would(pr):
    pr.slash("GA", "/action new", channel="CPR")
    resp = pr.submit("GA", pr.opened(), {
        "title": text("Circulate the OSG paper to Panel members"),
        "owners": {"type": "multi_users_select", "selected_users": ["UAH0001"]},
        "others": text("GN"), "due": {"type": "datepicker", "selected_date": "2018-12-14"},
        "board": {"type": "static_select", "selected_option": {"value": "P&R"}},
        "private": {"type": "checkboxes", "selected_options": []}})
    assert resp.status_code == 200 and resp.text == ""  # the modal closes
    assert "*1/18* Circulate the OSG paper to Panel members — AH and GN — due Fri 14 Dec 2018 — open" \
        in pr.says("GA", "/action list")
    pr.deliver()
    told, = [c for c in pr.fake.calls_to("chat.postEphemeral") if c.args["user"] == "UGA0001"]
    assert told.args["channel"] == "CPR" and "Raised *1/18*" in told.args["text"]
    post, = pr.posts("CPR")
    assert post["text"].startswith("*1/18* raised by Glykeria Anyfanti (GA)")
    assert [e["text"]["text"] for e in post["blocks"][-1]["elements"]] == ["Mark done", "Snooze a week", "Add update"]


def test_make_an_action_from_a_message_keeps_the_link_in_its_history(pr):
    said = "Can <@UAH0001> send the OSG paper &amp; the budget to <#CPR|pr-board>?"  # as Slack stores it
    pr.fake.seed_message("CPR", said, user="UJG0001", ts="1543485600.000200")
    resp = pr.interact({"type": "message_action", "callback_id": "make_action", "trigger_id": pr.fake.trigger(),
                        "user": {"id": "UGA0001", "name": "ga"}, "channel": {"id": "CPR", "name": "pr-board"},
                        "message_ts": "1543485600.000200", "response_url": pr.fake.response_url("sc"),
                        "message": {"type": "message", "user": "UJG0001", "ts": "1543485600.000200", "text": said}})
    assert resp.status_code == 200
    link, = pr.fake.calls_to("chat.getPermalink")
    assert (link.args["channel"], link.args["message_ts"]) == ("CPR", "1543485600.000200")
    view = pr.opened()
    permalink = "https://example.slack.com/archives/CPR/p1543485600000200"
    assert blocks_by_id(view)["title"]["element"]["initial_value"] == \
        "Can Anna Hook send the OSG paper & the budget to #pr-board?"
    assert permalink in view["blocks"][0]["elements"][0]["text"]
    pr.submit("GA", view, {"title": text("Send the OSG paper and the budget"),
                           "owners": {"selected_users": ["UAH0001"]},
                           "board": {"selected_option": {"value": "P&R"}}})
    shown = pr.says("GA", "/action show 1/18")
    assert f"raised from a Slack message: {permalink}" in shown
    assert "Owners: AH" in shown


def test_the_app_home_button_opens_the_form_and_a_late_trigger_is_told_not_crashed(pr):
    trigger = pr.fake.trigger()
    pr.press("AH", {"action_id": "open_new_action", "value": "new"}, in_home=True, trigger=trigger)
    opened = pr.fake.calls_to("views.open")[-1]
    assert opened.args["trigger_id"] == trigger and opened.ok
    pr.fake.fail("views.open", error="expired_trigger_id")
    pr.press("AH", {"action_id": "open_new_action", "value": "new"}, in_home=True, trigger="trig.late")
    dm = pr.fake.posts("DUAH0001")[-1]
    assert dm["text"].startswith("The New action form could not open: Slack took too long to open it (expired_trigger_id).")
    assert "/action new <title> owner <who> due <date>" in dm["text"]
    pr.fake.fail("views.open", error="expired_trigger_id")
    reply = pr.slash("AH", "/action new", channel="CPR").json()
    assert reply["response_type"] == "ephemeral" and "Slack took too long" in reply["text"]


def test_the_add_plan_item_form_places_a_paper_or_says_what_is_wrong(pr):
    pr.slash("GA", "/plan add", channel="CPR")
    view = pr.opened()
    assert view["callback_id"] == "plan_item_modal"
    groups = blocks_by_id(view)["when"]["element"]["option_groups"]
    assert groups[0]["label"]["text"] == "Meetings of P&R"
    assert groups[0]["options"][0] == {"text": {"type": "plain_text", "text": "Thu 3 Jan 2019"},
                                       "value": "day:2019-01-03:P&R"}
    assert [o["value"] for o in groups[-1]["options"]] == ["next meeting", "tbc"]
    board = {"selected_option": {"value": "P&R"}}
    assert pr.submit("GA", view, {"title": text("Q2 Performance Report"), "board": board})\
        .json()["errors"] == {"when": "Choose a meeting, a month, the next meeting or TBC."}
    refused = pr.submit("AH", view, {"title": text("Q2 Performance Report"), "board": board,
                                     "when": {"selected_option": {"value": "day:2019-01-03:P&R"}}}).json()
    assert refused["errors"]["board"].startswith("Only the chair or a secretary")
    assert pr.says("GA", "/plan list all").endswith("nothing planned.")
    ok = pr.submit("GA", view, {"title": text("Q2 Performance Report"), "board": board,
                                "when": {"selected_option": {"value": "day:2019-01-03:P&R"}},
                                "owners": {"selected_users": ["UAH0001"]},
                                "recurrence": {"selected_option": {"value": "quarterly"}}})
    assert ok.status_code == 200 and ok.text == ""
    assert "• *FP-1* Q2 Performance Report — AH — paper awaited — quarterly" in pr.says("GA", "/plan list all")
