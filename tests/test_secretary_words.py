"""Issue 28: the secretary's own words. Table-driven transcripts through signed requests, as Slack
sends them, on a fixed clock (Mon 7 Dec 2026)."""
import pytest

from tests.harness import ClerkUnderTest

NOW = "2026-12-07T10:00:00+00:00"  # a Monday
BOARD = [
    ("GA", "/clerk board P&R chair <@UJG0001|jg> secretary <@UGA0001|ga> channel <#CPR|pr-board>"),
    ("GA", "/clerk person JG <@UJG0001|jg> Jane Gardner"),
    ("GA", "/clerk person GA <@UGA0001|ga> Glykeria Anyfanti"),
    ("GA", "/clerk person AH Anna Hook"),
    ("GA", "/clerk person DAG Dafydd ap Gwilym"),
    ("GA", "/clerk person BON Bonnie Owens"),
    ("GA", "/meeting add 14 January 2027"),
    ("GA", "/meeting add 11 February 2027"),
    ("GA", "/meeting add 8 April 2027"),
]


@pytest.fixture
def clerk(fake_slack, tmp_path):
    with ClerkUnderTest(f"sqlite:///{tmp_path}/clerk.db", fake_slack, now=NOW) as running:
        yield running


@pytest.fixture
def pr(clerk):
    for who, line in BOARD:
        reply = clerk.says(who, line)
        assert "Usage" not in reply and not reply.startswith("Only"), reply
    return clerk


# -- a command is decided on the rights its speaker had when it was typed ------------------------

@pytest.mark.parametrize("line", [
    "/clerk board P&R chair <@UJG0001|jane> secretary <@UGL0001|glykeria> channel <#CPR|pr-board>",
    "/clerk board P&R secretary <@UGL0001|glykeria> chair <@UJG0001|jane> channel <#CPR|pr-board>",
    "/clerk board P&R channel <#CPR|pr-board> secretary <@UGL0001|glykeria>",
])
def test_the_readmes_first_step_sets_up_the_board_in_one_command(clerk, line):
    reply = clerk.says("UAN0001", line)
    assert reply.startswith("Set up board *P&amp;R*"), reply
    assert "Channel: <#CPR>" in reply and "Secretaries: glykeria" in reply
    # and once set up, someone who is no longer an officer is refused
    later = clerk.says("UAN0001", "/clerk board P&R channel <#COTHER|other>")
    assert later.startswith("Only"), later


# -- settings take the forms help shows, and refuse contradictions ----------------------------

@pytest.mark.parametrize("line, shown", [
    ("/clerk settings reminders 14,7,1", "reminders 14,7,1"),
    ("/clerk settings reminders 7,1,14", "reminders 14,7,1"),
    ("/clerk settings reminders 14, 7, 1", "reminders 14,7,1"),
    ("/clerk settings reminders 3", "reminders 3"),
    ("/clerk settings paper-deadline 12 publication 6", "paper-deadline 12"),
])
def test_settings_in_the_forms_help_shows(pr, line, shown):
    reply = pr.says("GA", line)
    assert "settings changed" in reply and shown in reply, reply


@pytest.mark.parametrize("line", [
    "/clerk settings publication 12 paper-deadline 10",
    "/clerk settings publication 10",
    "/clerk settings paper-deadline 5",
    "/clerk settings paper-deadline 3 publication 4",
])
def test_a_paper_deadline_after_publication_is_refused_with_the_reason(pr, line):
    reply = pr.says("GA", line)
    assert "Papers would be due after the pack is published" in reply, reply
    assert "paper-deadline 10 working days" in pr.says("GA", "/clerk settings")
