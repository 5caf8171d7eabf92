"""Generated command text through the service and through signed requests, on SQLite and PostgreSQL
(hypothesis, bounded by example count): nothing raises, nothing answers 500, and a refusal never
changes the log. Parse cost against length is measured in bench/grammar.py, not asserted here."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from service.conversation import Speaker
from store.models import (
    Action,
    ActionEvent,
    Board,
    BoardRole,
    ForwardPlanItem,
    Meeting,
    OutboxMessage,
    PeopleEvent,
    Person,
    PlanEvent,
)
from tests.test_action_log import SETUP

WORDS = ["action", "plan", "meeting", "clerk", "new", "update", "close", "when", "confirm", "reopen", "due", "assign",
         "+", "-", "show", "list", "mine", "digest", "add", "move", "to", "drop", "received", "for", "from", "owner",
         "owners", "board", "P&R", "Strategic", "private", "Part", "B", "confidential", "monthly", "quarterly",
         "person", "merge", "into", "settings", "closure", "numbering", "chair", "secretary", "members", "channel",
         "1/18", "2", "#3", "84/1", "FP-1", "FP-99", "14/12", "32/13", "31/02", "next", "meeting", "after", "tbc",
         "3 January 2019", "March", "end of January", "AH", "VH", "ah", "GN", "XY", "Anna Hook", "<@UAH0001|ah>",
         "<#CPR|pr-board>", "<!channel>", "&amp;", "&lt;", "\"", "“", "(Part B)", "series", "provisional", "10am",
         "every", "month", "until", "initials", "name", "help", "²", "٣", "İİİ", "\t", "  ", ";", ":"]
LINES = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), min_size=1, max_size=14).map(" ".join)
TABLES = (Action, ActionEvent, Board, BoardRole, ForwardPlanItem, Meeting, PeopleEvent, Person, PlanEvent)


@pytest.fixture
def pr(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.says("GA", "/meeting add 3 January 2019 10am")
    clerk.says("GA", "/action new Specials funding analysis owner AH", channel="CPR")
    clerk.says("GA", "/plan add Finance report for 3 January 2019 owner AH")
    return clerk


def fingerprint(clerk) -> tuple:
    with clerk.clerk.sessions() as s:
        counts = tuple(s.scalar(select(func.count()).select_from(t)) for t in TABLES)
        states = tuple(s.execute(select(Action.status, Action.due, Action.title, Action.private).order_by(Action.id)))
        return counts, states, s.scalar(select(func.count()).select_from(OutboxMessage))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=LINES, who=st.sampled_from(["UGA0001", "UAH0001", "UVH0001", "UZZ0001"]))
def test_generated_lines_never_raise_and_a_refusal_changes_nothing(pr, line, who):
    before = fingerprint(pr)
    for text in (line, "/" + line, "action " + line):
        reply = pr.clerk.conversation.handle(text, Speaker(user_id=who, channel_id="CPR", surface="slash"))
        assert reply.messages and reply.plain
        if not reply.ok:
            assert fingerprint(pr) == before, (text, reply.plain)
        before = fingerprint(pr)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=LINES, command=st.sampled_from(["/action", "/plan", "/meeting", "/clerk"]))
def test_generated_slash_commands_are_answered_never_500(pr, line, command):
    resp = pr.slash("GA", f"{command} {line}", channel="CPR", literal=True)
    assert resp.status_code == 200 and resp.json()["response_type"] == "ephemeral"
