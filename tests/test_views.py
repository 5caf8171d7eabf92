"""The views a board reads every week, as the chair and the secretary read them: lists across boards,
numbering however it is switched, replies in a secretary's words, start-up and jobs at the console.
On SQLite and PostgreSQL."""
from pathlib import Path

import pytest

from tests.cli import bot, console
from tests.test_action_log import SETUP

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def pr(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.says("GA", "/clerk board Strategic Board secretary + <@UGA0001|ga> channel <#CSB|strategic>")
    clerk.says("GA", "/clerk board Strategic Board members + AH")
    return clerk


def test_lists_span_the_speakers_boards_and_each_line_names_its_board(pr):
    pr.says("GA", "/action new Estates review owner AH due 14/12", channel="CPR")  # 1/18 on P&R
    pr.says("GA", "/action new Strategy refresh owner AH due 13/12", channel="CSB")  # 1/18 on Strategic Board
    pr.clock.set("2018-12-20T10:00:00+00:00")
    overdue = pr.says("GA", "/action list overdue")
    assert overdue.splitlines()[0] == "*Overdue actions on P&amp;R, Strategic Board (2)*"
    assert "• Strategic Board: *1/18* Strategy refresh" in overdue and "• P&amp;R: *1/18* Estates review" in overdue
    mine = pr.says("AH", "/action list mine")
    assert "• P&amp;R: *1/18* Estates review" in mine and "• Strategic Board: *1/18* Strategy refresh" in mine
    in_channel = pr.says("GA", "/action list overdue", channel="CPR")
    assert in_channel.splitlines()[0] == "*Overdue actions on P&amp;R (1)*" and "Strategic" not in in_channel
    only_one = pr.says("VH", "/action list")  # VH sits on one board: lines need no board
    assert only_one.startswith("*Open actions on P&amp;R (1)*") and "• *1/18*" in only_one


@pytest.mark.parametrize("switch", ["continuous", "municipal-year", "calendar-year"])
def test_every_numbering_continues_after_the_highest_and_every_ref_can_be_typed_back(pr, switch):
    for n in range(3):
        pr.says("GA", f"/action new Before {n} owner AH", channel="CPR")  # 1/18 .. 3/18
    if switch == "calendar-year":
        pr.says("GA", "/clerk settings numbering continuous", channel="CPR")
        pr.says("GA", "/action new Continuous one owner AH", channel="CPR")  # 4
    reply = pr.says("GA", f"/clerk settings numbering {switch}", channel="CPR")
    assert f"settings changed: numbering {switch}" in reply
    raised = pr.says("GA", "/action new After the switch owner AH", channel="CPR")
    ref = raised.split("*")[1]
    assert ref == {"continuous": "4", "municipal-year": "4/18", "calendar-year": "5/18"}[switch]
    number = ref.split("/")[0]
    for typed in {ref, number, f"#{number}", f"Action {number}"}:
        assert pr.says("GA", f"/action show {typed}", channel="CPR").startswith(f"*{ref}* After the switch"), typed
    for older in ("1/18", "#2/18"):  # the old refs stay typeable too
        assert pr.says("GA", f"/action show {older}", channel="CPR").startswith(f"*{older.lstrip('#')}* Before")


def test_replies_read_as_a_secretary_would_write_them(pr):
    pr.says("GA", "/action new Delivery plan owner AH", channel="CPR")
    pr.says("GA", "/action new Updated paper owner AH", channel="CPR")
    assert "1/18 can close when the delivery date is identified" in \
        pr.says("AH", "/action close 1/18 when the delivery date is identified", channel="CPR").replace("*", "")
    assert "2/18 can close upon evaluation of the updated paper" in \
        pr.says("AH", "/action close 2/18 when evaluation of the updated paper", channel="CPR").replace("*", "")
    pr.says("GA", "/meeting add 3 January 2019 10am", channel="CPR")
    added = pr.says("GA", "/plan add Monthly finance report for 3 January 2019 owner AH monthly", channel="CPR")
    assert "— AH — paper awaited —" in added and " — due —" not in added
    dropped = pr.says("GA", "/plan drop FP-1 not this month", channel="CPR")
    assert "It repeats monthly: the next one, *FP-2*, is planned for February 2019 (no meeting yet)." in dropped
    assert "*FP-2* Monthly finance report — AH — paper awaited — monthly" in pr.says("GA", "/plan list", channel="CPR")


def test_a_series_of_meetings_is_a_year_and_says_when_a_deadline_has_gone(pr):
    reply = pr.says("GA", "/meeting add first Thursday of every month", channel="CPR")  # on Thu 29 Nov 2018
    assert reply.startswith("Added 12 meetings of P&amp;R:")
    assert "Thu 6 Dec 2018" in reply and "Thu 7 Nov 2019" in reply
    assert "Note: the paper deadline of Thu 6 Dec 2018 has already passed (10 working days before)" in reply
    quarterly = pr.says("GA", "/meeting add every quarter from March 2019 board Strategic Board")
    assert quarterly.startswith("Added 4 meetings of Strategic Board:")


def test_settings_errors_and_unknown_jobs_are_one_line(tmp_path):
    for url in ("postgres://clerk:secret@db/clerk", "mysql://clerk@db/clerk"):
        done = bot("db", "upgrade", env={"DATABASE_URL": url})
        line, = done.stderr.strip().splitlines()
        assert done.returncode == 2 and line.startswith("DATABASE_URL") and "postgresql+psycopg://" in line
        assert "secret" not in done.stderr and "Traceback" not in done.stderr
    db = {"DATABASE_URL": f"sqlite:///{tmp_path}/jobs.db"}
    for args, says in ((("jobs", "run"), "Which job?"), (("jobs", "run", "reminders"), "There is no job “reminders”.")):
        done = bot(*args, env=db)
        line, = done.stderr.strip().splitlines()
        assert done.returncode == 2 and line.startswith(says) and "action-reminders" in line


def test_the_console_says_when_nobody_is_on_slack_and_a_dry_run_shows_each_message_whole(tmp_path):
    db = {"DATABASE_URL": f"sqlite:///{tmp_path}/console.db"}
    said = console("clerk board P&R\nclerk person GN Gareth Nicholson\n"
                   "action new Send the plan owner GN due 6/12/2026\n", env=db)
    assert "Raised 1/26 on P&R's log: Send the plan" in said, said
    done = bot("jobs", "run", "action-reminders", "--at", "2026-12-01T10:00", "--dry-run", env=db)
    assert done.returncode == 0, done.stderr
    assert "would owe 0 messages" in done.stdout
    assert "Nobody registered with Clerk is on Slack yet" in done.stdout
    said = console("clerk person GA <@UGA0001> Glykeria Anyfanti\nclerk board P&R secretary GA\n", env=db)
    assert "Glykeria Anyfanti" in said and "secretary" in said, said
    done = bot("jobs", "run", "action-reminders", "--at", "2026-12-01T10:00", "--dry-run", env=db)
    assert "→ UGA0001 (1 item):" in done.stdout
    assert "    Actions of Gareth Nicholson on P&R (not on Slack; please pass this on)" in done.stdout  # plain text
    assert "    1/26 Send the plan — due in 5 days" in done.stdout  # the whole message, not its first line
    assert "Nobody registered" not in done.stdout
