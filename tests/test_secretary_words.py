"""Issue 28: the secretary's own words. Table-driven transcripts through signed requests, as Slack
sends them, on a fixed clock (Mon 7 Dec 2026)."""
import datetime as dt
import re

import pytest

from grammar import slacktext
from grammar.language import all_verbs, parse
from grammar.registry import Context, dated
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
    ("/clerk settings paper-deadline 12 working days publication 6 days", "paper-deadline 12"),
    ("/clerk settings timezone europe/london digest-day Friday", "digest-day friday"),
    ("/clerk settings timezone europe/dublin", "timezone Europe/Dublin"),
    ("/clerk settings closure chair-confirms numbering municipal-year", "closure chair-confirms"),
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


# -- names as people mean them --------------------------------------------------------------------

@pytest.mark.parametrize("typed", [
    "Children’s Services Panel", "children's services panel", "CHILDREN'S SERVICES PANEL",
    "Children's  Services   Panel", "childrens services panel", "Children\u200b's Services Panel",
    "Children's Services Panel\u202e", "Ｃhildren's Services Panel", "Children‘s Services Panel",
])
def test_a_lookalike_of_a_boards_name_is_that_board(pr, typed):
    pr.says("GA", "/clerk board Children's Services Panel")
    reply = pr.says("GA", f"/clerk board {typed}")
    assert "Set up board" not in reply and "board set up Children's Services Panel" in reply, reply
    listed = pr.says("GA", f"/action list board {typed}")
    assert "There is no board" not in listed, listed
    assert pr.says("GA", "/clerk board Children's Services Panel").count("board set up") == 1


@pytest.mark.parametrize("typed, meant", [
    ("Childrens Servces Panel", "Children's Services Panel"),
    ("P&Q", "P&R"),
])
def test_a_near_miss_of_a_board_gets_did_you_mean(pr, typed, meant):
    pr.says("GA", "/clerk board Children's Services Panel")
    reply = pr.says("GA", f"/action list board {typed}")
    assert f"Did you mean {meant}?" in reply.replace("&amp;", "&"), reply


@pytest.mark.parametrize("typed", ["Dafydd", "dafydd", "DAFYDD", "Dafydd ap Gwilym", "dafydd AP gwilym", "DAG", "dag",
                                   "Dafydd\u200b", "Dafydd  ap  Gwilym"])
def test_people_by_any_name_they_are_registered_under(pr, typed):
    pr.says("GA", "/action new Welsh language scheme owner DAG due 18/12")
    reply = pr.says("GA", f"/action list {typed}")
    assert "Welsh language scheme" in reply, reply
    assert "Register them" not in reply
    raised = pr.says("GA", f"/action new Translation budget owner {typed} due 18/12")
    assert "Owners: DAG" in raised or "Owner: DAG" in raised, raised


def test_a_first_name_two_people_share_lists_both_and_guesses_neither(pr):
    pr.says("GA", "/clerk person DJ Dafydd Jones")
    for line in ("/action list Dafydd", "/action new Translation budget owner dafydd due 18/12"):
        reply = pr.says("GA", line)
        assert "could be Dafydd ap Gwilym or Dafydd Jones" in reply, reply
        assert not reply.startswith("Raised")


@pytest.mark.parametrize("initials, name", [("SÓB", "Siobhán Ó Briain"), ("ŁK", "Łucja Kowalska"),
                                            ("ÉL", "Élodie Laurent")])
def test_initials_are_letters_in_any_script(pr, initials, name):
    reply = pr.says("GA", f"/clerk person {initials} {name}")
    assert reply.startswith(f"Registered *{initials}*") or reply.startswith(f"Registered {initials}"), reply
    raised = pr.says("GA", f"/action new Equality review owner {initials.lower()} and AH due 18/12")
    assert f"{initials} and AH" in raised, raised


def test_unknown_initials_near_a_registered_set_get_did_you_mean(pr):
    pr.says("GA", "/clerk person SÓB Siobhán Ó Briain")
    reply = pr.says("GA", "/action new Equality review owner SOB due 18/12")
    assert "I don't know SOB. Did you mean SÓB (Siobhán Ó Briain)?" in reply, reply


def test_an_unknown_name_is_not_offered_as_initials(pr):
    reply = pr.says("GA", "/action list Gwenllian")
    assert "/clerk person GWENLLIAN" not in reply and "I don't know Gwenllian" in reply, reply


# -- one resolver for meeting phrases: actions, papers and meetings alike --------------------------

@pytest.mark.parametrize("phrase, day", [
    ("the April meeting", "Thu 8 Apr 2027"), ("the april meeting", "Thu 8 Apr 2027"),
    ("the April 2027 meeting", "Thu 8 Apr 2027"), ("the meeting in April", "Thu 8 Apr 2027"),
    ("by the February meeting", "Thu 11 Feb 2027"), ("next meeting", "Thu 14 Jan 2027"),
    ("the next meeting", "Thu 14 Jan 2027"), ("the meeting after next", "Thu 11 Feb 2027"),
    ("the meeting on 11 February", "Thu 11 Feb 2027"), ("before the next meeting", "Thu 14 Jan 2027"),
])
def test_meeting_phrases_for_actions_and_papers(pr, phrase, day):
    raised = pr.says("GA", f"/action new Capital programme review owner AH due {phrase}")
    assert raised.startswith("Raised"), raised
    if phrase.startswith("before"):  # a due date's phrase only: a paper goes to a meeting, not before one
        refused = pr.says("GA", f"/plan add Capital programme update for {phrase}")
        assert "is not a meeting" in refused, refused
        return
    planned = pr.says("GA", f"/plan add Capital programme update for {phrase}")
    assert f"for the meeting on {day}" in planned, planned
    moved = pr.says("GA", f"/plan move FP-1 to {phrase}")
    assert f"the meeting on {day}" in moved or "no change" in moved.lower() or "already" in moved, moved
    assert f"due {day}" in raised, raised


def test_before_the_next_meeting_is_the_working_day_before_it(pr):
    raised = pr.says("GA", "/action new Capital programme review owner AH due before the next meeting")
    assert "due Wed 13 Jan 2027" in raised, raised


@pytest.mark.parametrize("phrase, day", [
    ("the February meeting", "Thu 11 Feb 2027"), ("next meeting", "Thu 14 Jan 2027"),
    ("the meeting after next", "Thu 11 Feb 2027"), ("the meeting on 8 April", "Thu 8 Apr 2027"),
    ("the april meeting", "Thu 8 Apr 2027"),
])
def test_meeting_phrases_for_meetings(pr, phrase, day):
    assert f"The meeting on {day} is already confirmed." == pr.says("GA", f"/meeting confirm {phrase}")
    moved = pr.says("GA", f"/meeting move {phrase} to 20 April 2027")
    assert moved.startswith(f"Moved the meeting on {day} to *Tue 20 Apr 2027*"), moved
    cancelled = pr.says("GA", "/meeting cancel 20/4/2027")
    assert cancelled.startswith("Cancelled the meeting on Tue 20 Apr 2027"), cancelled


def test_a_meeting_phrase_for_a_meeting_the_board_has_not_got_is_refused(pr):
    reply = pr.says("GA", "/meeting cancel the March meeting")
    assert "P&amp;R has no meeting in March 2027" in reply, reply


@pytest.mark.parametrize("phrase, says", [
    ("the March meeting", "P&amp;R has no meeting in March 2027. Its coming meetings: Thu 14 Jan 2027"),
    ("the meeting on 12 January", "P&amp;R has no meeting on Tue 12 Jan 2027."),
])
def test_a_meeting_the_board_has_not_got_is_refused_in_plain_words(pr, phrase, says):
    for line in (f"/action new Fleet review owner AH due {phrase}", f"/plan add Fleet paper for {phrase}"):
        reply = pr.says("GA", line)
        assert says in reply and "no the" not in reply, reply


# -- everyday date phrases, with the date shown back --------------------------------------------

@pytest.mark.parametrize("phrase, day", [
    ("by the end of January", "Sun 31 Jan 2027"), ("end of January", "Sun 31 Jan 2027"),
    ("the end of January", "Sun 31 Jan 2027"), ("mid-January", "Fri 15 Jan 2027"), ("mid January", "Fri 15 Jan 2027"),
    ("the middle of March", "Mon 15 Mar 2027"), ("end of next week", "Fri 18 Dec 2026"),
    ("end of this week", "Fri 11 Dec 2026"), ("end of the week", "Fri 11 Dec 2026"),
    ("end of next month", "Sun 31 Jan 2027"), ("w/c 4 January", "Mon 4 Jan 2027"),
    ("week commencing 11 January", "Mon 11 Jan 2027"), ("after Christmas", "Tue 29 Dec 2026"),
    ("before Christmas", "Thu 24 Dec 2026"), ("after the New Year", "Mon 4 Jan 2027"),
    ("by 18/12", "Fri 18 Dec 2026"), ("after Easter", "Tue 30 Mar 2027"),
    ("Friday week", "Fri 18 Dec 2026"), ("Tuesday week", "Tue 15 Dec 2026"),
    ("close of play Friday", "Fri 11 Dec 2026"), ("COP Thursday", "Thu 10 Dec 2026"),
    ("end of the year", "Thu 31 Dec 2026"), ("year end", "Thu 31 Dec 2026"), ("end of next year", "Fri 31 Dec 2027"),
])
def test_everyday_date_phrases_are_read_and_shown_back(pr, phrase, day):
    raised = pr.says("GA", f"/action new Fleet review owner AH due {phrase}")
    assert f"due {day}" in raised, raised


@pytest.mark.parametrize("phrase, day", [("after Christmas", "Tue 29 Dec 2026"), ("until after Christmas", None),
                                         ("mid-January", "Fri 15 Jan 2027"), ("end of next week", "Fri 18 Dec 2026"),
                                         ("a week on Friday", "Fri 18 Dec 2026")])
def test_snooze_until_an_everyday_phrase(pr, phrase, day):
    pr.says("GA", "/action new Fleet review owner AH due 20/1/2027")
    typed = phrase if phrase.startswith("until") else f"until {phrase}"
    reply = pr.says("GA", f"/action snooze 1/26 {typed}")
    assert "snoozed until" in reply and (day is None or day in reply), reply


@pytest.mark.parametrize("phrase, hint", [
    ("early January", "mid-January"), ("late March", "end of March"), ("beginning of February", "w/c"),
    ("first week of January", "w/c 4 Jan"), ("second week of January", "w/c 11 Jan"),
    ("Christmas", "before Christmas (Thu 24 Dec) or after Christmas (Tue 29 Dec)"),
    ("Easter", "after Easter (Tue 30 Mar)"), ("Q1", "end of March or end of June"),
    ("end of Q2", "end of June or end of September"),
])
def test_vague_phrases_are_refused_with_the_nearest_form_that_works(pr, phrase, hint):
    reply = pr.says("GA", f"/action new Fleet review owner AH due {phrase}")
    assert hint in reply, reply
    assert "Raised" not in reply


# -- a no-op says "no change" and records nothing; a twin of an open action is asked about ---------

def _history_lines(pr, ref):
    return [line for line in pr.says("GA", f"/action show {ref}").splitlines() if line.startswith("•")]


@pytest.mark.parametrize("first, again, says", [
    ("/action due 1/26 18/12", "/action due 1/26 18 December", "No change: 1/26 is already due Fri 18 Dec 2026."),
    ("/action due 1/26 18/12", "/action due 1/26 Friday 18 December", "No change"),
    ("/action assign 1/26 AH and BON", "/action assign 1/26 ah, bon", "No change: 1/26's owners are already AH and BON."),
    ("/action snooze 1/26 until 14/12", "/action snooze 1/26 until 14 December", "No change"),
])
def test_a_change_to_what_is_already_so_says_no_change_and_records_nothing(pr, first, again, says):
    pr.says("GA", "/action new Fleet review owner AH due 20/12")
    pr.says("GA", first)
    before = _history_lines(pr, "1/26")
    reply = pr.says("GA", again)
    assert reply.startswith(says), reply
    assert _history_lines(pr, "1/26") == before


@pytest.mark.parametrize("second", [
    "/action new Fleet review owner AH due 20/12", "/action new fleet review owner ah due 24/12",
    "/action new Fleet  review owner Anna Hook",
])
def test_a_twin_of_an_open_action_is_asked_about_before_raising(pr, second):
    pr.says("GA", "/action new Fleet review owner AH due 20/12")
    reply = pr.says("GA", second)
    assert reply.startswith("1/26 is already open on P&amp;R's log with that title and owner (AH"), reply
    assert "Nothing was raised" in reply and "“again”" in reply
    raised = pr.says("GA", second.replace(" owner", " again owner", 1))
    first_line = raised.split("\n")[0]
    assert raised.startswith("Raised *2/26*") and first_line.lower().endswith(": fleet review"), raised


@pytest.mark.parametrize("other", ["/action new Fleet review owner BON board P&R",
                                   "/action new Fleet review owner AH and BON board P&R",
                                   "/action new Fleet review board Children's Services Panel owner AH"])
def test_the_same_title_with_other_owners_or_board_is_raised(pr, other):
    pr.says("GA", "/action new Fleet review owner AH due 20/12")
    pr.says("GA", "/clerk board Children's Services Panel")
    assert pr.says("GA", other).startswith("Raised"), other


@pytest.mark.parametrize("title", ["\u200b", "\u200b\u200b", "\u202e", "\ufeff \u200b", "\u2063", "\u200d", "\u3164",
                                   "\u2063 \u3164", "\ufe0f", "\u2800", "\uffa0\u115f", "\u034f \u200c"])
def test_a_title_of_only_invisible_characters_is_no_title(pr, title):
    reply = pr.says("GA", f"/action new {title} owner AH due 20/12")
    assert "needs a title" in reply, reply


# -- help's examples are dated from today, and every one is read as its verb -------------------------

@pytest.mark.parametrize("today", [dt.date(2026, 12, 7), dt.date(2027, 11, 30), dt.date(2029, 2, 28),
                                   dt.date(2030, 12, 31)])
def test_every_help_example_is_read_on_today_and_on_a_future_date(today):
    context = Context(today=today, boards=("P&R",), initials=frozenset({"AH", "VH", "SH", "DM", "GN", "GNI"}),
                      names={})
    for verb in all_verbs():
        for _label, example in verb.examples:
            written = dated(example, today)
            assert not re.search(r"\b(19|20)\d\d\b", written) or all(
                int(y) >= today.year for y in re.findall(r"\b((?:19|20)\d\d)\b", written)), written
            for line in written.split(" · "):
                line = line.split("   ·   ")[0].replace(" (not on Slack)", "")
                line = re.sub(r"(?<!\S)@([a-z][\w.\-]*)", r"<@U0000001|\1>", line)
                line = re.sub(r"(?<!\S)#([a-z][\w\-]*)", r"<#C0000001|\1>", line)
                command = parse(slacktext.from_slack(line.replace("&", "&amp;")), context)
                assert command.key == verb.key, (line, command)


def test_help_shows_no_past_date(pr):
    for noun in ("action", "plan", "meeting", "clerk"):
        shown = pr.says("GA", f"/{noun} help")
        assert "2019" not in shown and "2018" not in shown, shown


# -- replies a proofreader would pass -----------------------------------------------------------------

def test_one_function_for_lists_counts_and_ref_runs():
    from store.terms import format_ref
    from store.words import count, listed, ref_runs

    assert [listed(x) for x in ([], ["AH"], ["AH", "VH"], ["AH", "VH", "MG"])] == ["", "AH", "AH and VH", "AH, VH and MG"]
    assert [count(n, w) for n, w in ((1, "board"), (4, "board"), (1, "person"), (9, "person"), (2, "history entry"),
                                      (0, "paper"))] == ["1 board", "4 boards", "1 person", "9 people",
                                                         "2 history entries", "0 papers"]
    runs = [(2026, n) for n in (12, 13, 16, 17)]
    assert ref_runs(runs, format_ref) == "12/26, 13/26, 16/26 and 17/26"
    assert ref_runs([(2026, n) for n in (12, 13, 14, 16, 17, 18, 20)], format_ref) == "12/26 to 14/26, 16/26 to 18/26 and 20/26"
    assert ref_runs([(2025, 40), (2025, 41), (2025, 42), (2026, 1)], format_ref) == "40/25 to 42/25 and 1/26"
    sparse = [(2018, n) for n in (42, 51, 65, 66, 70, 75, 80, 89)]
    assert ref_runs(sparse, format_ref) == "42/18 to 89/18 (8 refs, with gaps)"


# What a template may hold after a number, where the count is never 1 (a limit) or the plural follows it.
COUNTED_OK = {"BACKUP_MAX_ROWS", "MAX_ROWS", "MAX_PEOPLE", "DUE_SOON_DAYS", "len(days)", "len(reply.messages)",
              "done.rowcount", "len(consoles)", "other.rows"}
NOUN_AFTER_COUNT = re.compile(r"^ (board|person|action|paper|meeting|row|message|item|day|role|entry|update|change)s?\b")
NO_PROOFREADER = re.compile(r"\bno the\b|\?\.|\bhas no the\b|\ba the\b|\bthe the\b")


def _templates():
    import ast
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent
    for folder in ("grammar", "service", "render", "store", "jobs", "exchange"):
        for path in sorted((root / folder).rglob("*.py")):
            if "minutes" in path.parts or "minutes" in path.name or "migrations" in path.parts:
                continue  # issue 27's
            yield path, ast.parse(path.read_text())


def test_every_reply_template_reads_well():
    import ast

    problems = []
    for path, tree in _templates():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and NO_PROOFREADER.search(node.value):
                problems.append((path.name, node.lineno, node.value[:60]))
            if not isinstance(node, ast.JoinedStr):
                continue
            parts = node.values
            for i, (a, b) in enumerate(zip(parts, parts[1:])):
                if not (isinstance(a, ast.FormattedValue) and isinstance(b, ast.Constant)):
                    continue
                m = NOUN_AFTER_COUNT.match(b.value)
                counted = ast.unparse(a.value)
                if not m or counted in COUNTED_OK or not re.fullmatch(r"n|count|days|len\(.*\)|\w+\.rowcount", counted):
                    continue
                plural_follows = m.end() == len(b.value) and i + 2 < len(parts)  # "{n} row{'s' * (n != 1)}"
                if not plural_follows:
                    problems.append((path.name, node.lineno, ast.unparse(node)[:80]))
    assert not problems, problems


@pytest.mark.parametrize("line", [
    "/action list", "/action digest", "/clerk board P&R", "/clerk settings", "/plan list", "/meeting list",
    "/action new Fleet review owner AH, DAG and BON due 18/12", "/action assign 1/26 AH, DAG and BON",
    "/action show 1/26", "/action show 9/26", "/plan move FP-9 to next meeting", "/action due 1/26 the March meeting",
    "/clerk settings reminders 1", "/clerk settings paper-deadline 11", "/action list board P&Q",
])
def test_replies_read_well(pr, line):
    pr.says("GA", "/action new Fleet review owner AH, DAG and BON due 18/12")
    pr.says("GA", "/plan add Budget paper for next meeting owner AH")
    reply = pr.says("GA", line).replace("&amp;", "&")
    assert not NO_PROOFREADER.search(reply), reply
    assert not re.search(r"(?<![\d,])1 (boards|people|actions|papers|meetings|days|working days|rows)\b", reply), reply
    assert not re.search(r"(?<![\d,/])\b([02-9]|\d\d+) (board|person|action|paper|meeting|day|working day|row)\b(?!-)", reply), reply
    assert "; " not in "".join(ln for ln in reply.splitlines() if "owners now" in ln), reply


def test_owners_now_are_listed_as_people_read_them(pr):
    pr.says("GA", "/action new Fleet review owner AH due 18/12")
    reply = pr.says("GA", "/action assign 1/26 AH, DAG and BON")
    assert "owners now AH, DAG and BON" in reply, reply
    assert "owners now AH, DAG and BON" in pr.channel_sees("CPR")[-1], pr.channel_sees("CPR")


# -- the console: #channel-name, and a piped transcript that reads as a conversation -----------------

def test_the_console_takes_a_channel_by_name_and_echoes_piped_commands(tmp_path):
    from tests.cli import console

    said = console("clerk board P&R channel #pr-board\nclerk settings reminders 14,7,1\n"
                   "clerk board Audit channel #PR-Board\naction new Budget owner nobody-known\nclerk board P&R\n",
                   database_url=f"sqlite:///{tmp_path}/console.db")
    assert said.startswith("clerk> clerk board P&R channel #pr-board\nSet up board P&R."), said
    assert "Channel: #pr-board" in said
    assert "clerk> clerk settings reminders 14,7,1\nP&R settings changed: reminders 14,7,1." in said
    assert "clerk> clerk board Audit channel #PR-Board\nThat channel is already P&R's." in said
    assert "clerk> clerk board P&R\n" in said and "channel #pr-board" in said and "<##" not in said


def test_the_console_resolves_a_channel_name_through_slack_when_connected(tmp_path, fake_slack):
    from tests.cli import console

    fake_slack.set_channel("CPR0001", name="pr-board")
    said = console("clerk board P&R channel #pr-board\n", database_url=f"sqlite:///{tmp_path}/console.db",
                   env={"SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_API_URL": fake_slack.url})
    assert "Channel: CPR0001" in said, said
    said = console("clerk board Audit channel #PR-Board\naction show #74\n", database_url=f"sqlite:///{tmp_path}/console.db",
                   env={"SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_API_URL": fake_slack.url})
    assert "That channel is already P&R's." in said, said
    assert sum(c.method == "conversations.list" for c in fake_slack.calls) == 2  # never for a ref such as #74


# -- property: lookups are unchanged by case, quote style, spacing and invisible characters ----------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

BOARDS = ("Children's Services Panel", "P&R", "Finance & Audit Committee", "Police, Fire and Crime Panel")
PEOPLE = {"Siobhán O'Brien": "SÓB", "Dafydd ap Gwilym": "DAG", "Anna Hook": "AH"}
INVISIBLES = ["\u200b", "\u200e", "\u200f", "\u202e", "\u2066", "\u2069", "\ufeff", "\u2060", "\u00ad"]
QUOTES = ["'", "’", "‘", "ʼ"]


@st.composite
def lookalike(draw, name: str) -> str:
    out = []
    for ch in name:
        if ch == "'":
            ch = draw(st.sampled_from(QUOTES))
        elif ch.isalpha():
            ch = ch.upper() if draw(st.booleans()) else ch.lower()
        elif ch == " ":
            ch = " " * draw(st.integers(1, 3))
        out.append(ch)
        if draw(st.integers(0, 5)) == 0:
            out.append(draw(st.sampled_from(INVISIBLES)))
    return "".join(out)


def _context():
    from service.directory import first_names
    from store import names

    return Context(today=dt.date(2026, 12, 7), boards=BOARDS, initials=frozenset(PEOPLE.values()),
                   names={names.key(n): n for n in PEOPLE}, aliases=first_names(PEOPLE))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(BOARDS).flatmap(lambda b: st.tuples(st.just(b), lookalike(b))))
def test_a_board_is_found_whatever_its_case_quotes_spacing_and_invisible_characters(pair):
    from grammar.registry import board_named
    from store.boards import board_key

    board, typed = pair
    assert board_named(typed, _context(), "action", "list") == board
    assert board_key(typed) == board_key(board)
    command = parse(slacktext.from_slack(f"action list board {typed}".replace("&", "&amp;")), _context())
    assert command.board == board, (typed, command)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(PEOPLE)).flatmap(lambda p: st.tuples(st.just(p), lookalike(p))))
def test_a_person_is_found_whatever_their_names_case_quotes_spacing_and_invisible_characters(pair):
    from grammar.who import read_who
    from store.terms import Who

    name, typed = pair
    context = _context()
    assert read_who(typed, context.initials, context.names, context.aliases) == [Who("name", name)], typed
    first = typed.split()[0]
    assert read_who(first, context.initials, context.names, context.aliases) == [Who("name", name)], first


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(PEOPLE.values())).flatmap(lambda i: st.tuples(st.just(i), lookalike(i))))
def test_initials_are_found_in_any_case_with_invisible_characters(pair):
    from grammar.who import read_who
    from store.terms import Who

    initials, typed = pair
    context = _context()
    read = read_who(slacktext.from_slack(typed), context.initials, context.names, context.aliases)
    assert read == [Who("initials", initials)], typed


@pytest.mark.parametrize("line", ["/clerk person AHO Anna Hook", "/clerk person AHK anna  hook",
                                  "/clerk person AN Anna\u200b Hook", "/clerk person AX ANNA HOOK"])
def test_a_lookalike_of_a_registered_name_is_refused_as_too_close(pr, line):
    reply = pr.says("GA", line)
    assert "is already registered: AH (Anna Hook)" in reply, reply


# -- clause words are whole words, and a clause word with no value is the title's ----------------------

@pytest.mark.parametrize("line, title, owners", [
    ("/action new Review the staff board owner bon due 18/12", "Review the staff board", "BON"),
    ("/action new Onboarding owner bon due 18/12", "Onboarding", "BON"),
    ("/action new Boardroom booking owner bon due 18/12", "Boardroom booking", "BON"),
    ("/action new Update the ownership register owner bon due 18/12", "Update the ownership register", "BON"),
    ("/action new Fleet review owner bon due 18/12", "Fleet review", "BON"),
    ("/action new Overdue invoices owner bon, dag due 18/12", "Overdue invoices", "BON and DAG"),
])
def test_clause_words_are_whole_words(pr, line, title, owners):
    reply = pr.says("GA", line)
    assert reply.startswith(f"Raised *1/26* on P&amp;R's log: {title}\n"), reply
    assert f"Owners: {owners} · due Fri 18 Dec 2026" in reply, reply
    assert "There is no board" not in reply


def test_a_console_command_that_fails_says_one_line_and_the_piped_commands_after_it_run(tmp_path, monkeypatch, capsys):
    import io

    import bot
    from service.conversation import Conversation
    from settings import load

    handle = Conversation.handle

    def failing(self, text, who, *args, **kwargs):
        if text.startswith("boom"):
            raise ValueError("a bug")
        return handle(self, text, who, *args, **kwargs)

    monkeypatch.setattr(Conversation, "handle", failing)
    monkeypatch.setattr("sys.stdin", io.StringIO("clerk board P&R\nboom\nclerk board P&R\n"))
    settings = load(DATABASE_URL=f"sqlite:///{tmp_path}/console.db", SLACK_BOT_TOKEN=None, SLACK_APP_TOKEN=None)
    assert bot.console(settings, None) == 0
    said = capsys.readouterr().out
    assert "clerk> boom\nClerk could not do that (ValueError); nothing was changed." in said, said
    assert said.count("clerk> clerk board P&R") == 2 and "board set up P&R" in said


@pytest.mark.parametrize("again", ["/plan move FP-1 to 14 January 2027", "/plan move FP-1 to next meeting",
                                   "/plan move FP-1 to the January meeting"])
def test_moving_a_paper_where_it_is_says_no_change(pr, again):
    pr.says("GA", "/plan add Budget paper for next meeting owner AH")
    reply = pr.says("GA", again)
    assert reply.startswith("No change: FP-1 is already for the meeting on Thu 14 Jan 2027."), reply


# -- "end of <month>" is this month's end while it lasts, as mid-<month> is ----------------------------

@pytest.mark.parametrize("today, phrase, day", [
    (dt.date(2026, 12, 7), "end of December", dt.date(2026, 12, 31)),
    (dt.date(2026, 12, 7), "by the end of December", dt.date(2026, 12, 31)),
    (dt.date(2026, 12, 31), "the end of December", dt.date(2026, 12, 31)),
    (dt.date(2026, 12, 7), "end of January", dt.date(2027, 1, 31)),
    (dt.date(2027, 1, 31), "end of January", dt.date(2027, 1, 31)),
    (dt.date(2027, 1, 31), "by the end of Jan", dt.date(2027, 1, 31)),
    (dt.date(2027, 2, 1), "end of January", dt.date(2028, 1, 31)),
    (dt.date(2027, 2, 10), "end of February", dt.date(2027, 2, 28)),
    (dt.date(2027, 2, 10), "the end of February 2028", dt.date(2028, 2, 29)),
    (dt.date(2027, 6, 15), "end of May", dt.date(2028, 5, 31)),
    (dt.date(2027, 6, 15), "end of the month", dt.date(2027, 6, 30)),
])
def test_end_of_a_month_is_read_like_mid_month_on_any_clock(today, phrase, day):
    from grammar.dates import read_due
    assert read_due(phrase, today).day == day


def test_by_the_end_of_this_month_in_a_reply(pr):
    raised = pr.says("GA", "/action new Year-end returns owner AH due by the end of December")
    assert "due Thu 31 Dec 2026" in raised, raised


# -- "before <meeting>" is a due date's: anywhere else it is refused, never dropped -------------------

@pytest.mark.parametrize("line, right", [
    ("/meeting confirm before the next meeting", "next meeting"),
    ("/meeting cancel before the April meeting", "April 2027 meeting"),
    ("/plan add Budget monitoring for before the next meeting", "next meeting"),
    ("/plan add Budget monitoring owner AH for before the meeting after next", "meeting after next"),
    ("/plan move FP-1 to before the next meeting", "next meeting"),
])
def test_before_a_meeting_outside_a_due_date_is_refused_and_changes_nothing(pr, line, right):
    pr.says("GA", "/plan add Treasury report for the February meeting")
    meetings, plan = pr.says("GA", "/meeting list"), pr.says("GA", "/plan list all")
    reply = pr.says("GA", line)
    assert "is not a meeting" in reply and "“before” is for due dates" in reply, reply
    assert f"e.g. {right}" in reply, reply
    assert pr.says("GA", "/meeting list") == meetings and pr.says("GA", "/plan list all") == plan


@pytest.mark.parametrize("today", [dt.date(2026, 12, 7), dt.date(2027, 4, 8)])
def test_before_a_meeting_is_read_for_due_dates_only(today):
    from grammar.dates import DateError, read_due, read_meeting, read_when
    assert read_due("before the next meeting", today).before
    assert read_meeting("by the next meeting", today).kind == "next meeting"
    for reader in (read_meeting, read_when):
        with pytest.raises(DateError, match="is not a meeting"):
            reader("before the April meeting", today)


# -- a due date "before <meeting>" names both days: the due date and the meeting's -------------------

@pytest.mark.parametrize("now", [NOW, "2027-01-05T10:00:00+00:00"])
@pytest.mark.parametrize("line, due, meeting", [
    ("/action new Capital review owner AH due before the next meeting", "Wed 13 Jan 2027", "Thu 14 Jan 2027"),
    ("/action new Capital review owner AH due before the February meeting", "Wed 10 Feb 2027", "Thu 11 Feb 2027"),
    ("/action due 1/26 before the meeting after next", "Wed 10 Feb 2027", "Thu 11 Feb 2027"),
])
def test_a_due_date_before_a_meeting_shows_the_day_and_the_meeting(fake_slack, tmp_path, now, line, due, meeting):
    with ClerkUnderTest(f"sqlite:///{tmp_path}/clerk.db", fake_slack, now=NOW) as clerk:
        for who, setup in BOARD:
            clerk.says(who, setup)
        clerk.says("GA", "/action new Fleet review owner AH")
    with ClerkUnderTest(f"sqlite:///{tmp_path}/clerk.db", fake_slack, now=now) as clerk:
        reply = clerk.says("GA", line)
        assert f"Due {due}, the working day before the meeting on {meeting}." in reply, reply


def test_a_passed_day_before_a_meeting_names_the_meeting_and_the_day(fake_slack, tmp_path):
    with ClerkUnderTest(f"sqlite:///{tmp_path}/clerk.db", fake_slack, now=NOW) as clerk:
        for who, setup in BOARD:
            clerk.says(who, setup)
    with ClerkUnderTest(f"sqlite:///{tmp_path}/clerk.db", fake_slack, now="2027-01-14T08:00:00+00:00") as clerk:
        reply = clerk.says("GA", "/action new Capital review owner AH due before the next meeting")
        assert "meeting on Thu 14 Jan 2027 (Wed 13 Jan 2027) has passed" in reply, reply


# -- holidays follow the board's region (CLERK_HOLIDAYS), passed through the parsing Context -----------

@pytest.mark.parametrize("today, phrase, region, day", [
    (dt.date(2027, 3, 1), "after Easter", "ENG", dt.date(2027, 3, 30)),  # after Easter Monday
    (dt.date(2027, 3, 1), "after Easter", "SCT", dt.date(2027, 3, 29)),  # Scotland has no Easter Monday
    (dt.date(2027, 3, 26), "after Easter", "SCT", dt.date(2027, 3, 29)),  # a clock on Good Friday itself
    (dt.date(2027, 3, 1), "before Easter", "SCT", dt.date(2027, 3, 25)),
    (dt.date(2026, 12, 7), "after New Year", "ENG", dt.date(2027, 1, 4)),
    (dt.date(2026, 12, 7), "after New Year", "SCT", dt.date(2027, 1, 5)),  # 2 January (substitute Monday 4th)
    (dt.date(2027, 1, 4), "after the New Year", "SCT", dt.date(2027, 1, 5)),
    (dt.date(2026, 12, 7), "after Christmas", "NIR", dt.date(2026, 12, 29)),
])
def test_holiday_phrases_follow_the_boards_region(today, phrase, region, day):
    context = Context(today=today, boards=("P&R",), initials=frozenset({"AH"}), names={}, region=region)
    assert parse(f"action new Audit plan owner AH due {phrase}", context).due.day == day
    assert parse(f"action snooze 1/26 until {phrase}", context).until.day == day


# -- "before <day>" and "after <day>" are read alike: the working day before it, or after it -----------

@pytest.mark.parametrize("today, phrase, day", [
    (dt.date(2026, 12, 7), "after Friday", dt.date(2026, 12, 14)),  # Fri 11 Dec: the Monday after
    (dt.date(2026, 12, 7), "before Friday", dt.date(2026, 12, 10)),
    (dt.date(2026, 12, 7), "after 18/12", dt.date(2026, 12, 21)),
    (dt.date(2026, 12, 7), "before 18/12", dt.date(2026, 12, 17)),
    (dt.date(2026, 12, 7), "by after 24/12", dt.date(2026, 12, 29)),  # over Christmas and Boxing Day
    (dt.date(2026, 12, 7), "before 4/1", dt.date(2026, 12, 31)),
    (dt.date(2026, 12, 30), "after 31 December", dt.date(2027, 1, 4)),  # a clock inside the month named
    (dt.date(2027, 3, 1), "before 1 April", dt.date(2027, 3, 31)),
    (dt.date(2027, 3, 1), "after 26 March", dt.date(2027, 3, 30)),  # Good Friday, then Easter Monday
])
def test_before_and_after_a_day_are_the_working_day_either_side(today, phrase, day):
    from grammar.dates import read_due
    assert read_due(phrase, today).day == day


@pytest.mark.parametrize("phrase, shown", [("after Friday", "due Mon 14 Dec 2026"),
                                           ("before 18/12", "due Thu 17 Dec 2026")])
def test_before_and_after_a_day_are_shown_back(pr, phrase, shown):
    reply = pr.says("GA", f"/action new Fleet review owner AH due {phrase}")
    assert shown in reply, reply


def test_before_a_day_that_leaves_no_working_day_is_refused(pr):
    reply = pr.says("GA", "/action new Fleet review owner AH due before 7/12")
    assert "is in the past" in reply and "Fri 4 Dec 2026" in reply, reply


# -- every example a reply shows is dated from today: never a past date --------------------------------

_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"


def _dates_shown(reply: str) -> list[dt.date]:
    days = [dt.datetime.strptime(f"{d} {m} {y}", "%d %B %Y").date()
            for d, m, y in re.findall(rf"\b(\d{{1,2}}) ({_MONTH_NAMES}) (\d{{4}})\b", reply)]
    months = [dt.datetime.strptime(f"1 {m} {y}", "%d %B %Y").date()
              for m, y in re.findall(rf"(?<!\d )\b({_MONTH_NAMES}) (\d{{4}})\b", reply)]
    return days + months


@pytest.mark.parametrize("now", [NOW, "2027-11-30T10:00:00+00:00", "2028-01-31T10:00:00+00:00"])
def test_examples_in_replies_are_never_past_dated(fake_slack, tmp_path, now):
    with ClerkUnderTest(f"sqlite:///{tmp_path}/clerk.db", fake_slack, now=now) as clerk:
        for who, line in BOARD[:5]:  # a board with no meetings yet
            clerk.says(who, line)
        today = dt.date.fromisoformat(now[:10])
        replies = [clerk.says("GA", line) for line in (
            "/meeting list", "/action new Fleet review owner AH due 32 December",
            "/action new Fleet review owner AH due whenever suits", "/action new Fleet review owner AH due",
            "/plan add Budget for Marchh", "/plan add Budget for sometime", "/plan list Marchh",
            "/meeting add sometime soon", "/action new Fleet review owner AH due early January")]
        assert "/meeting add" in replies[0] and "Dates look like" in replies[1], replies
        for reply in replies:
            shown = _dates_shown(reply)
            assert all(day >= today.replace(day=1) for day in shown), (reply, shown)
            assert all(day >= today for day in shown if day.day != 1), (reply, shown)
# -- review of issue 28: names, people and rights ------------------------------------------------

@pytest.fixture
def pr_any(database_url, fake_slack):
    """The P&R board on SQLite and on PostgreSQL: what the store compares must not differ between them."""
    with ClerkUnderTest(database_url, fake_slack, now=NOW) as running:
        for who, line in BOARD:
            reply = running.says(who, line)
            assert "Usage" not in reply and not reply.startswith("Only"), reply
        yield running


@pytest.mark.parametrize("initials, name, first", [("ÉL", "Élodie Laurent", "Élodie"),
                                                   ("SÓB", "Siobhán Ó Briain", "Siobhán"),
                                                   ("ØR", "Ørjan Rasmussen", "Ørjan")])
def test_names_with_a_capital_outside_ascii_are_found_on_every_database(pr_any, initials, name, first):
    assert pr_any.says("GA", f"/clerk person {initials} {name}").startswith("Registered"), name
    for n, typed in enumerate((name, first, name.upper())):
        raised = pr_any.says("GA", f"/action new Review {n} for {typed} owner {typed} due 18/12")
        assert raised.startswith("Raised") and re.search(f"Owners?: {initials} ", raised), raised
        listed = pr_any.says("GA", f"/action list {typed}")
        assert f"Review {n} for {typed}" in listed and "I don't know" not in listed, listed
    again = pr_any.says("GA", f"/clerk person {initials} {name.upper()}")
    assert "is already" not in again, again


@pytest.mark.parametrize("line", [
    "/clerk board Audit secretary <@UNS0001|newsec> members <@UNM0001|newmember>",
    "/clerk board Audit members <@UNM0001|newmember> secretary <@UNS0001|newsec>",
])
def test_every_clause_is_decided_on_the_rights_the_speaker_had_when_it_was_typed(pr, line):
    reply = pr.says("JG", line)
    assert reply.startswith("Set up board *Audit*"), reply
    assert "Secretaries: newsec" in reply, reply
    shown = pr.says("UNS0001", "/clerk board Audit")
    assert "newmember" in shown, shown


@pytest.mark.parametrize("first, second", [
    ("Children’s review", "Children's review"), ("Children's review", "Children’s review"),
    ("Élan review", "ÉLAN REVIEW"), ("Ｆleet review", "Fleet review"), ("Fleet\u200b review", "fleet review"),
])
def test_a_twin_in_other_quotes_or_letters_is_asked_about(pr_any, first, second):
    assert pr_any.says("GA", f"/action new {first} owner AH due 20/12").startswith("Raised")
    reply = pr_any.says("GA", f"/action new {second} owner AH due 20/12")
    assert reply.startswith("1/26 is already open"), reply
    assert pr_any.says("GA", f"/action new {second} owner AH and BON due 20/12").startswith("Raised")
    assert pr_any.says("GA", f"/action new {second} due 20/12").startswith("Raised")
    assert pr_any.says("GA", f"/action new {second} due 20/12").startswith("3/26 is already open")  # owner: the speaker


@pytest.mark.parametrize("name", ["\u3164", "\u2063\u200d", "\u2800 \ufe0f"])
def test_a_name_of_only_unseen_characters_is_no_name(pr, name):
    reply = pr.says("GA", f"/clerk person ZZ {name}")
    assert "Give the person's full name" in reply, reply


@pytest.mark.parametrize("registered", ["Dr Imogen Smith", "Cllr. Imogen Smith", "Prof Dr Imogen Smith", "Mrs Imogen Smith"])
def test_a_title_is_not_a_first_name(pr, registered):
    assert pr.says("GA", f"/clerk person JSM {registered}").startswith("Registered")
    pr.says("GA", "/clerk person DRX Dr Xavier Ruiz")
    for n, typed in enumerate(("Imogen", "imogen smith", registered)):
        raised = pr.says("GA", f"/action new Audit {n} owner {typed} due 18/12")
        assert raised.startswith("Raised") and re.search("Owners?: JSM ", raised), raised
    listed = pr.says("GA", "/action list Dr")
    assert "could be" not in listed and "Audit 0" not in listed, listed


@pytest.mark.parametrize("typed", ["Childrens Service Panel", "Children's Service Panel",
                                   "Childrens Services Panels chair <@UJG0001|jg>"])
def test_a_near_miss_of_a_board_is_not_made_a_second_board(pr, typed):
    pr.says("GA", "/clerk board Children's Services Panel")
    reply = pr.says("GA", f"/clerk board {typed}")
    assert "There is a board Children's Services Panel already" in reply and "in quotes" in reply, reply
    assert "Set up board" not in reply
    assert "Childrens Service" not in pr.says("GA", "/clerk boards").replace("Children's Services", ""), "made"
    name = typed.split(" chair")[0]
    made = pr.says("GA", f'/clerk board "{name}"')
    assert made.startswith(f"Set up board *{name.replace(chr(39), '&#x27;')}*") or made.startswith("Set up board"), made
    assert "Set up board" not in pr.says("GA", f'/clerk board "{name}"')


@pytest.mark.parametrize("first, second", [("New board 5", "New board 6"), ("Panel A", "Panel B"),
                                           ("Audit 2026", "Audit 2027")])
def test_boards_whose_names_differ_in_a_number_or_letter_are_other_boards(pr, first, second):
    assert pr.says("GA", f"/clerk board {first}").startswith("Set up board")
    assert pr.says("GA", f"/clerk board {second}").startswith("Set up board")


@pytest.mark.parametrize("typed", ["Сhildrеn's Sеrviсеs Pаnеl", "CHILDRΕN'S SΕRVICΕS PΑNΕL", "Children's Services Ρanel"])
def test_lookalike_letters_of_other_alphabets_are_the_same_board(pr, typed):
    pr.says("GA", "/clerk board Children's Services Panel")
    reply = pr.says("GA", f"/clerk board {typed}")
    assert "board set up Children's Services Panel" in reply, reply


@pytest.mark.parametrize("typed", ["Аnnа Hооk", "АNNА НООК", "Anna Ηοοk"])
def test_lookalike_letters_of_other_alphabets_are_the_same_person(pr, typed):
    raised = pr.says("GA", f"/action new Fleet review owner {typed} due 20/12")
    assert raised.startswith("Raised") and re.search("Owners?: AH ", raised), raised


def test_people_are_found_by_the_name_slack_labels_them_with(pr_any):
    assert pr_any.says("GA", "/clerk person IS <@UIS0001|imogen.s> Imogen Smith").startswith("Registered")
    pr_any.says("GA", "/clerk person KS Kate Sims")
    pr_any.says("GA", "/clerk person KS <@UKS0001|katie>")
    for n, (typed, initials) in enumerate((("imogen.s", "IS"), ("@imogen.s", "IS"), ("Katie", "KS"), ("@katie", "KS"))):
        raised = pr_any.says("GA", f"/action new Audit {n} owner {typed} due 18/12")
        assert raised.startswith("Raised") and re.search(f"Owners?: {initials} ", raised), raised
    listed = pr_any.says("GA", "/action list katie")
    assert "Audit 2" in listed and "Audit 0" not in listed, listed
