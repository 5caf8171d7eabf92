"""Authority that stops at the board's edge, refusals that change nothing, only Clerk's own workspace
and app, and a sender that never sends what another has taken over. On SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select, update

from store import outbox
from store.db import unit_of_work
from store.models import Action, OutboxMessage, PeopleEvent, Person
from tests import slackreq
from tests.harness import SECRET, post_text

TWO_BOARDS = [
    ("GA", "/clerk board Finance chair <@UJG0001|jg> secretary <@UGA0001|ga> channel <#CFIN|finance>"),
    ("GA", "/clerk person JG <@UJG0001|jg> Jane Gardner"),
    ("GA", "/clerk person GA <@UGA0001|ga> Glykeria Anyfanti"),
    ("JG", "/clerk board Estates chair <@UJG0001|jg> secretary <@USB0001|sb> channel <#CEST|estates>"),
    ("SB", "/clerk person SB <@USB0001|sb> Sam Brook"),
    ("SB", "/clerk person AH <@UAH0001|ah> Anna Hook"),
    ("SB", "/action new Estates disposal valuation owner AH private board Estates"),
]


@pytest.fixture
def boards(clerk):
    for who, line in TWO_BOARDS:
        said = clerk.says(who, line)
        assert "Only" not in said and "not registered" not in said, (line, said)
    clerk.fake.set_channel("CFIN", is_private=True, name="finance")
    clerk.fake.set_channel("CEST", is_private=True, name="estates")
    clerk.deliver()
    return clerk


def events(clerk) -> int:
    with clerk.clerk.sessions() as s:
        return s.scalar(select(func.count()).select_from(PeopleEvent))


def slack_user_of(clerk, initials: str) -> str | None:
    with clerk.clerk.sessions() as s:
        return s.scalar(select(Person.slack_user_id).where(Person.initials == initials))


def test_a_secretary_of_one_board_cannot_take_over_another_through_its_people(boards):
    pr = boards
    assert "Only" not in pr.says("GA", "/clerk board Finance member + SB")  # adding SB to Finance is allowed
    before = events(pr)
    for line in ("/clerk person SB <@UXX0001|someone>", "/clerk person SB initials XB", "/clerk person SB name Someone",
                 "/clerk person JG <@UXX0001|someone>", "/clerk merge SB into GA"):
        said = pr.says("GA", line)
        assert said.startswith("Only "), (line, said)
        assert "Estates" in said, said  # it names the board where GA has no say
    assert slack_user_of(pr, "SB") == "USB0001" and slack_user_of(pr, "JG") == "UJG0001"
    assert events(pr) == before  # the record of changes has nothing new
    # the real SB is still Estates' secretary, and the stranger reads nothing of Estates
    assert "Estates disposal valuation" in pr.says("SB", "/action show 1/18 board Estates")
    assert "Estates disposal valuation" not in pr.says("UXX0001", "/action list all board Estates")
    # JG, an officer of both boards, may
    assert "initials" in pr.says("JG", "/clerk person SB initials SBR")


def test_a_refused_forged_form_submission_edits_nothing(boards):
    pr = boards
    pr.says("SB", "/action list all board Estates")
    pr.deliver()
    with pr.clerk.sessions() as s:
        action_id = s.scalar(select(Action.id).where(Action.title == "Estates disposal valuation"))
    posted = pr.fake.seed_message("CFIN", "an old card", blocks=[{"type": "section", "text": {
        "type": "mrkdwn", "text": "an old card"}}])
    pr.fake.reset()
    view = {"id": "VFORGED1", "type": "modal", "callback_id": "action_update_modal", "team_id": "T0001",
            "private_metadata": json.dumps({"action": action_id, "channel": "CFIN", "message_ts": posted["ts"]}),
            "hash": "1.a", "blocks": [], "state": {"values": {"update": {"text": {"type": "plain_text_input",
                                                                                    "value": "taken over"}}}}}
    payload = slackreq.with_envelope(slackreq.view_submission(slackreq.interaction_user("UGA0001", "ga"), view,
                                                              trigger_id=slackreq.new_trigger_id()))
    resp = pr.interact(payload)
    assert resp.status_code == 200
    pr.deliver()
    assert pr.fake.calls_to("chat.update") == []  # the card it names is not touched
    assert all("Estates disposal valuation" not in post_text(p) for p in pr.fake.posts())
    with pr.clerk.sessions() as s:
        assert s.scalar(select(func.count()).select_from(OutboxMessage)
                        .where(OutboxMessage.kind.in_(("update", "respond")))) == 0


def test_a_failed_part_b_post_is_passed_on_without_its_text(boards):
    pr = boards
    pr.fake.set_channel("CEST", is_private=False, name="estates")  # made public since
    pr.fake.fail("chat.postMessage", error="not_in_channel")
    assert "1/18" in pr.says("AH", "/action update 1/18 Valuer appointed board Estates")
    pr.deliver()
    told = [post_text(p) for p in pr.fake.posts("DUAH0001")]
    assert told and told[0].startswith("I could not post in <#CEST>")
    assert not any("Estates disposal valuation" in t for t in told)


def test_reading_minutes_is_an_officers_act(boards):
    pr = boards
    from service.minutes import read_pasted
    view = {"private_metadata": json.dumps({"channel": None}), "state": {"values": {
        "board": {"value": {"type": "static_select", "selected_option": {"value": "Estates"}}},
        "text": {"value": {"type": "plain_text_input", "value": "Action 1/26: closed. Action 2/26: noted."}}}}}
    for user in ("UAH0001", "UZZ0001"):  # an owner who is no officer, a stranger
        answer = read_pasted(pr.clerk.conversation, user, view)
        assert answer["response_action"] == "errors", answer
        assert "chair or a secretary" in " ".join(answer["errors"].values()) or \
            "not registered" in " ".join(answer["errors"].values())
    assert pr.says("UZZ0001", "/action minutes").startswith("You're not registered")
    assert pr.says("AH", "/action minutes board Estates").startswith("Only")


@pytest.mark.parametrize("where", [{"team_id": "T9999"}, {"api_app_id": "A9999"}])
def test_requests_from_another_workspace_or_app_do_nothing(boards, where):
    pr = boards
    body = slackreq.slash_body("/action", "new From elsewhere owner AH board Finance", user_id="UGA0001",
                               user_name="ga", channel_id="CFIN", trigger_id=pr.fake.trigger(),
                               team_id=where.get("team_id", "T0001"))
    if "api_app_id" in where:
        body = body.replace("api_app_id=A0001", f"api_app_id={where['api_app_id']}")
    resp = slackreq.post_signed(pr.events_url, body, secret=SECRET, content_type=slackreq.FORM)
    assert resp.status_code == 200 and "Raised" not in resp.text
    event = {"type": "message", "channel_type": "im", "channel": "DUGA0001", "user": "UGA0001",
             "text": "action new From elsewhere too owner AH board Finance", "ts": "1764579600.000100"}
    envelope = slackreq.make_event_envelope(event, team_id=where.get("team_id", "T0001"))
    envelope["api_app_id"] = where.get("api_app_id", "A0001")
    resp = slackreq.post_signed(pr.events_url, json.dumps(envelope), secret=SECRET, content_type=slackreq.JSON)
    assert resp.status_code == 200  # so Slack does not retry it
    pr.deliver()
    with pr.clerk.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Action).where(Action.title.like("From elsewhere%"))) == 0


def test_values_the_database_cannot_store_get_a_sentence_not_an_error(boards):
    pr = boards
    long_user = "U" + "A" * 5000
    resp = pr.event({"type": "message", "channel_type": "im", "channel": "DUGA0001", "user": long_user,
                     "text": "action list", "ts": "1764579600.000200"})
    assert resp.status_code == 200
    button = {"action_id": "action_done", "value": "1", "block_id": "action-1"}
    payload = slackreq.with_envelope(slackreq.home_press(
        slackreq.interaction_user("USB0001", "sb"), slackreq.button_action(button, "1764579600.\x00001"),
        trigger_id=slackreq.new_trigger_id(), view={"id": "VHOME", "type": "home", "blocks": []}))
    assert pr.interact(payload).status_code == 200
    pr.deliver()
    with pr.clerk.sessions() as s:  # the press was read and applied: its id is stored without the NUL
        assert s.scalar(select(Action.status).where(Action.id == 1)) == "closed"
    mention = {"type": "app_mention", "channel": "C" + "A" * 5000, "user": "UGA0001", "text": "<@UCLERKBOT> action list",
               "ts": "1764579600.000300"}
    assert pr.event(mention).status_code == 200  # refused, and no answer owed to a channel no one has
    from service.minutes import read_pasted
    view = {"private_metadata": "{}", "state": {"values": {
        "board": {"value": {"type": "static_select", "selected_option": {"value": "Estates\x00"}}},
        "text": {"value": {"type": "plain_text_input", "value": "Action 1/18: can now close."}}}}}
    answer = read_pasted(pr.clerk.conversation, "USB0001", view)
    assert answer["response_action"] == "errors" and "Choose the board" in answer["errors"]["board"]


class Wall:
    def __init__(self):
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def test_a_sender_held_up_past_its_lease_sends_nothing_another_took_over(boards):
    """As a process stopped (SIGSTOP) past its lease and then resumed: its claim was taken over and
    sent by another sender; the first, resuming, checks its claim before it sends, and sends nothing."""
    pr = boards
    pr.deliver()
    pr.fake.reset()
    assert "1/18" in pr.says("SB", "/action update 1/18 Valuer appointed board Estates")
    client = pr.clerk.sender.client
    frozen_wall, other_wall = Wall(), Wall()
    frozen = pr.clerk.make_sender(client, wall=frozen_wall)
    other = pr.clerk.make_sender(client, wall=other_wall)
    with unit_of_work(pr.clerk.sessions) as s:
        ids = outbox.claim_ids(s, pr.clock(), holder=frozen.holder, wall=frozen_wall(), limit=50)
    with pr.clerk.sessions() as s:
        rows = outbox.claimed(s, ids)
        s.expunge_all()
    assert rows
    other_wall.now = frozen_wall.now + outbox.LEASE + dt.timedelta(seconds=1)  # the lease ran out meanwhile
    while other.send_due():
        pass
    sent = len([c for c in pr.fake.calls if c.method in ("chat.postMessage", "views.publish") and c.ok])
    assert sent >= 1
    frozen_wall.now = other_wall.now  # it resumes
    for row in rows:
        frozen._send_one(row)
    assert len([c for c in pr.fake.calls if c.method in ("chat.postMessage", "views.publish") and c.ok]) == sent
    with pr.clerk.sessions() as s:
        s.execute(update(OutboxMessage).values(claimed_by=None))
        assert {m.status for m in s.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids)))} == {"sent"}
