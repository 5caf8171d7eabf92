"""Who may change what, closure rules and Part B, as the board would see them."""
import pytest

from tests.test_action_log import SETUP


@pytest.fixture
def pr(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.fake.set_channel("CPR", is_private=False, name="pr-board")
    return clerk


def test_only_owners_chair_and_secretaries_change_an_action(pr):
    pr.says("GA", "/action new Circulate the updated Specials finance paper owner DM due 14/12")
    refusal = pr.says("VH", "/action close 1/18")
    assert refusal == "Only 1/18's owners, the chair or a secretary can close it."
    assert "Only 1/18's owners" in pr.says("VH", "/action update 1/18 I had a look")
    assert "closed by Debbie Martin (DM)" in pr.says("DM", "/action close 1/18 Sent to AH")
    assert "Only the chair or a secretary of P&amp;R can reopen 1/18." in pr.says("DM", "/action reopen 1/18")
    assert "reopened by Jane Gardner (JG)" in pr.says("JG", "/action reopen 1/18 Figures still missing")
    assert "Only the chair or a secretary of P&amp;R can reassign 1/18." in pr.says("DM", "/action assign 1/18 AH")
    assert "owners now AH" in pr.says("GA", "/action assign 1/18 AH")
    assert "owners now AH and VH" in pr.says("GA", "/action assign 1/18 + VH")
    history = pr.says("GA", "/action show 1/18")
    assert "owners DM → AH" in history and "owners AH → AH; VH" in history
    assert "closed → open: Figures still missing" in history


def test_chair_confirms_closure_when_the_board_says_so(pr):
    assert "closure chair-confirms" in pr.says("GA", "/clerk settings closure chair-confirms")
    assert "Only a secretary of P&amp;R can change its settings." in pr.says("DM", "/clerk settings closure direct")
    pr.says("GA", "/action new Decision sheet for virements owner DM")
    reply = pr.says("DM", "/action close 1/18 Signed")
    assert "closure proposed (the chair or a secretary confirms it)" in reply
    assert "already proposed" in pr.says("DM", "/action close 1/18")
    assert "Only the chair or a secretary of P&amp;R can confirm the closure of 1/18." in pr.says("DM", "/action confirm 1/18")
    assert "closure confirmed; closed by Jane Gardner (JG)" in pr.says("JG", "/action confirm 1/18")
    assert "— closed 29 Nov 2018" in pr.says("GA", "/action list closed")


def test_close_upon_a_condition_then_confirm(pr):
    pr.says("GA", "/action new Funding lines around Specials owner DM")
    reply = pr.says("DM", "/action close 1/18 when evaluation of the updated paper")
    assert "can close upon evaluation of the updated paper" in reply
    assert "closing when evaluation of the updated paper" in pr.says("GA", "/action list")
    assert "closure confirmed" in pr.says("GA", "/action confirm 1/18")


def test_part_b_text_stays_with_owners_chair_and_secretaries(pr):
    pr.says("GA", "/action new Essex Juno away day owner AH private", channel="CPR")
    assert "is a Part B (private) action" in pr.says("VH", "/action show 1/18")
    assert "Essex Juno" in pr.says("AH", "/action show 1/18")
    listing = pr.says("VH", "/action list")
    assert "Essex Juno" not in listing and "1 Part B action not shown here" in listing
    digest = pr.says("VH", "/action digest")
    assert "Essex Juno" not in digest and "1 Part B action (text not shown here)" in digest
    assert "Essex Juno" in pr.says("JG", "/action digest")
    # the board channel is public: it is told an action was raised, never its text
    seen = pr.channel_sees("CPR")
    assert seen == ["*1/18* (Part B) raised by Glykeria Anyfanti (GA)."]


def test_part_b_text_goes_to_a_private_board_channel(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.fake.set_channel("CPR", is_private=True, name="pr-board")
    clerk.says("GA", "/action new Part B – AOB Clacton owner AH")
    assert "Part B – AOB Clacton" in clerk.channel_sees("CPR")[0]


def test_refs_people_type(pr):
    for i in range(3):
        pr.says("GA", f"/action new Something {i + 1} owner AH")  # three the same would be asked about (issue 28)
    for typed in ("2/18", "2", "#2", "Action 2"):
        assert pr.says("GA", f"/action show {typed}").startswith("*2/18* Something")
    pr.clock.set("2019-01-10T10:00:00+00:00")
    pr.says("GA", "/action new In the new year owner AH")
    assert "1 could be 1/19 or 1/18" in pr.says("GA", "/action show 1")
    assert "no action 9/18; did you mean" not in pr.says("GA", "/action show 9/18")
    assert "There is no action 9/18" in pr.says("GA", "/action show 9/18")


def test_a_ref_from_another_board(pr):
    pr.says("GA", "/clerk board Strategic Board secretary GA channel <#CSB|strategic>")
    pr.says("GA", "/action new Only on strategic owner AH board Strategic Board")
    pr.says("GA", "/action new On P&R owner AH board P&R")
    pr.says("GA", "/action new Second on P&R owner AH board P&R")
    reply = pr.says("GA", "/action show 2/18", channel="CSB")
    assert reply == "2/18 is on P&amp;R's log, not Strategic Board's. Add “board P&amp;R” after the ref, or type it in that board's channel."
    assert "Only on strategic" in pr.says("GA", "/action show 1/18", channel="CSB")
    assert "more than one board" in pr.says("GA", "/action show 1/18", channel="CGENERAL")
    assert "On P&amp;R" in pr.says("GA", "/action show 1/18 board P&R", channel="CGENERAL")


def test_mentions_reply_ephemerally_and_dms_reply_in_the_dm(pr):
    pr.event({"type": "app_mention", "channel": "CPR", "user": "UAH0001",
              "text": "<@UCLERKBOT> action new Circulate the OSG paper owner AH", "ts": "1.2", "event_ts": "1.2"})
    pr.deliver()
    ephemeral = pr.fake.calls_to("chat.postEphemeral")
    assert len(ephemeral) == 1 and ephemeral[0].args["user"] == "UAH0001"
    assert "Raised *1/18*" in ephemeral[0].args["text"]
    pr.dm("AH", "action list mine")
    assert "Circulate the OSG paper" in pr.channel_sees("DUAH0001")[-1]
    pr.dm("AH", "actoin list")
    assert "I didn't recognise “actoin”. Did you mean /action list?" in pr.channel_sees("DUAH0001")[-1]


def test_registering_someone_an_import_knew_by_name_adopts_them(pr):
    from store.models import Person
    with pr.clerk.sessions() as s, s.begin():
        s.add(Person(name="Richard Leicester", created=pr.clock()))
    assert "Updated *RL*: Richard Leicester" in pr.says("GA", "/clerk person RL Richard Leicester")
    with pr.clerk.sessions() as s:
        assert s.query(Person).filter_by(name="Richard Leicester").count() == 1
