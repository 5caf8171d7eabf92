"""Slack's text read and written exactly as Slack means it, for any text a person might type.

Property tests (hypothesis, bounded by example count): a person types anything (`&`, `<`, `>`,
entities, `<!channel>`, `<@U…>`, links, emoji) character by character; Slack sends it escaped;
what Clerk stores equals what was typed, every message shows it as typed, and no message carries a
live token the person typed. Boards made from Slack and from the console with `&` in their names
are one and the same."""
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from grammar.slacktext import decode
from render.fmt import MRKDWN
from service.conversation import Speaker
from store.models import ActionEvent, Board
from tests.harness import post_text
from tests.test_action_log import SETUP

PIECES = st.sampled_from(["&", "<", ">", "&amp;", "&lt;", "&gt;", "&amp;amp;", "<!channel>", "<!here>",
                          "<!everyone>", "<@U0ABC123>", "<@U0ABC123|anna>", "<#C0ABC123|general>",
                          "<https://evil.example/x?a=1&b=2|click me>", "<mailto:a@b.org>", "<!subteam^S0001|@panel>",
                          ":smile:", "😀", "é", "P&R", " ", "*bold*", "_it_", "`code`", "~s~", "|", ";", "#", "@",
                          "payload", "payload=", "&payload={"])
TYPED = st.builds(lambda first, rest: first + "".join(rest), st.sampled_from(list("AbcZ")),
                  st.lists(st.one_of(PIECES, st.text(alphabet="abcXYZ 019", min_size=1, max_size=5)), max_size=12)
                  ).map(lambda t: re.sub(r"\s+", " ", t).strip())
LIVE = re.compile(r"<[@#!]|<(?:https?|mailto):")  # what Slack would render as a mention, broadcast or link


@pytest.fixture
def pr(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.says("GA", "/action new Specials funding analysis owner AH", channel="CPR")
    clerk.deliver()
    return clerk


def stored_updates(clerk) -> list[str]:
    with clerk.clerk.sessions() as s:
        return list(s.scalars(select(ActionEvent.text).where(ActionEvent.kind == "update").order_by(ActionEvent.id)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=TYPED)
def test_any_text_is_stored_as_typed_shown_as_typed_and_never_live(pr, typed):
    posts_before = len(pr.fake.posts("CPR"))
    reply = pr.says("AH", f"/action update 1/18 {typed}", channel="CPR", literal=True)
    assert stored_updates(pr)[-1] == typed
    post = post_text(pr.posts("CPR")[posts_before])
    quoted = post.split("\n> ", 1)[1]
    assert decode(quoted) == typed  # shown as typed once Slack reads the mrkdwn
    assert quoted == MRKDWN.esc(typed)  # escaped exactly once
    for shown in (post, reply):
        assert not LIVE.search(shown.replace("<@UAH0001>", "")), shown  # Clerk's own ids aside, nothing live


@pytest.mark.parametrize("typed", ["The payload of the report is agreed", "payload={\"type\": \"x\"}",
                                   "see &payload=[] and %70ayload"])
def test_a_command_whose_text_says_payload_is_read_as_typed(pr, typed):
    """Bolt takes a body with the word "payload" anywhere in it for an interaction, and read a slash
    command's as empty ("unhandled request"): the update was lost."""
    reply = pr.says("AH", f"/action update 1/18 {typed}", channel="CPR", literal=True)
    assert reply.startswith("Done: *1/18* updated"), reply
    assert stored_updates(pr)[-1] == typed


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=TYPED)
def test_tokens_picked_from_slacks_menus_become_words_never_live(pr, typed):
    """The same pieces sent as Slack's real tokens (not typed): Clerk keeps them as words."""
    before = len(pr.fake.posts("CPR"))
    pr.says("AH", f"/action update 1/18 {typed}", channel="CPR")  # tokens in the line stay tokens
    stored = stored_updates(pr)[-1]
    assert "\x02" not in stored and "\x03" not in stored
    post = post_text(pr.posts("CPR")[before])
    assert not LIVE.search(post.split("\n> ", 1)[1]), post


def test_a_board_made_in_slack_and_at_the_console_is_one_board(clerk):
    clerk.says("UGA0001", "/clerk board P&R channel <#CPR|pr-board>")
    console = Speaker(user_id="console", surface="console")
    reply = clerk.clerk.conversation.handle("clerk board P&R", console)
    assert reply.plain.startswith("P&R") or "Members" in reply.plain  # shown, not made again
    clerk.clerk.conversation.handle("clerk person AH Anna Hook board P&R", console)
    clerk.clerk.conversation.handle("action new R&D review owner AH board P&R", console)
    with clerk.clerk.sessions() as s:
        assert s.scalars(select(Board.name)).all() == ["P&R"]
    assert "R&amp;D review" in clerk.says("UGA0001", "/action list all board P&R")
    assert "P&amp;R" in clerk.says("UGA0001", "/action list all board P&R")


def test_export_finds_a_board_by_the_name_people_type(clerk, tmp_path, monkeypatch):
    clerk.says("UGA0001", "/clerk board P&R")
    monkeypatch.setenv("DATABASE_URL", clerk.settings.DATABASE_URL)
    from bot import main
    out = tmp_path / "log.csv"
    assert main(["export", "actions", "--board", "P&R", "--format", "csv", "--output", str(out)]) == 0
    assert main(["export", "actions", "--board", "p&r", "--format", "md", "--output", str(tmp_path / "l.md")]) == 0
