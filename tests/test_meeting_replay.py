"""The Essex P&R Board of 29 November 2018, replayed.

The log as it stood before the meeting is imported; the minute-taker then types what the meeting
decided (../shared/domain/board-minutes-2018-11.txt, item 2.ii and the new actions 90 to 92),
and the exported log is what the minutes say."""
import csv
import io
from pathlib import Path

from tests.cli import bot

ROOT = Path(__file__).resolve().parent.parent
LOG_BEFORE = ROOT / "tests" / "data" / "pr-board-log-2018-10.csv"

CLOSED_AT_THE_MEETING = ["42/18", "51/18", "65/18", "71/18", "72/18", "73/18", "75/18", "76/18", "77/18",
                         "78/18", "79/18", "80/18", "82/18", "83/18", "84/18", "85/18", "87/18", "89/18"]
UPDATES = {
    "42/18": "Gareth Nicholson sent the Communications plan to Darren Horsman and Emma Thomas on 30th October 2018.",
    "51/18": "Expression of interest email sent from the Chief Executive's Office; PBI and AP to discuss with Mike Gogarty.",
    "65/18": "Presentation on Specials given to the Essex Association of Local Councils on 20 November.",
    "66/18": "DM will send the updated financial analysis to AH next week, for circulation.",
    "68/18": "Decision sheet for virements received but not yet signed.",
    "71/18": "Update paper on OSG included in the papers; see new action for the impact analysis.",
    "74/18": "Paper prepared on cashable and non-cashable savings; to the EP P&R Board on 3rd January 2019.",
    "81/18": "PBI and PM to come back to the next P&R meeting on updating the Big Word contract with ICV feedback.",
}


def test_the_november_2018_meeting(clerk, database_url):
    ga = "GA"  # Glykeria Anyfanti, Boards Support Officer, minute-taker
    clerk.says(ga, "/clerk board P&R chair <@UJG0001|jg> secretary <@UGA0001|ga> channel <#CPR|pr-board>")
    clerk.says(ga, "/clerk person JG <@UJG0001|jg> Jane Gardner")
    clerk.says(ga, "/clerk person GA <@UGA0001|ga> Glykeria Anyfanti")
    clerk.fake.set_channel("CPR", is_private=True, name="pr-board")

    imported = bot("import", "actions", str(LOG_BEFORE), "--board", "P&R", "--as-of", "2018-11-28",
                   database_url=database_url)
    assert imported.returncode == 0, imported.stderr
    assert "Imported 22 actions" in imported.stdout

    for ref, text in UPDATES.items():
        assert "updated by Glykeria Anyfanti (GA)" in clerk.says(ga, f"/action update {ref} {text}", channel="CPR")
    # "84/1" as the minutes typed it
    assert "There is no action 84/1; did you mean 84/18?" in clerk.says(ga, "/action close 84/1", channel="CPR")
    for ref in CLOSED_AT_THE_MEETING:
        assert f"*{ref}* closed by Glykeria Anyfanti (GA)" in clerk.says(ga, f"/action close {ref}", channel="CPR")
    reply = clerk.says(ga, "/action close 66/18 when evaluation of the updated paper", channel="CPR")
    assert "can close upon evaluation of the updated paper" in reply

    new = [
        ("An analysis of anticipated impact from the agreed investment, per priority area of EP operational "
         "activity, linking performance metrics of expected benefits with increased EP capacity owner MH and VH "
         "due March 2019", "90/18"),
        ("A timeline for the delivery of the DVPO and DVPN study, and when it comes to the Board owner AH and VH",
         "91/18"),
        ("Abbey Gough to be invited to join the ESMCP ICCS sub-group owner MG", "92/18"),
    ]
    for words, ref in new:
        assert f"Raised *{ref}* on P&amp;R's log" in clerk.says(ga, f"/action new {words}", channel="CPR")

    # the board's (private) channel saw every change, Part B included
    seen = clerk.channel_sees("CPR")
    assert sum("closed by Glykeria Anyfanti" in s for s in seen) == len(CLOSED_AT_THE_MEETING)
    assert any(s.startswith("*72/18* closed by") and "Essex Juno" in s for s in seen)
    assert sum(" raised by " in s for s in seen) == 3

    exported = bot("export", "actions", "--board", "P&R", "--status", "all", "--format", "csv",
                   database_url=database_url)
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert list(rows[0]) == ["ref", "title", "owners", "due", "status", "raised", "closed", "last_update", "private"]
    log = {row["ref"]: row for row in rows}
    assert len(log) == 25
    for ref in CLOSED_AT_THE_MEETING:
        assert (log[ref]["status"], log[ref]["closed"]) == ("closed", "2018-11-29"), ref
    assert {ref for ref, row in log.items() if row["status"] == "open"} == {"68/18", "74/18", "81/18", "90/18", "91/18", "92/18"}
    assert log["66/18"]["status"] == "closing when evaluation of the updated paper"
    assert log["74/18"]["last_update"] == "2018-11-29: " + UPDATES["74/18"]
    assert log["74/18"]["due"] == "2019-01-03"
    assert (log["90/18"]["owners"], log["90/18"]["due"], log["90/18"]["raised"]) == ("MH; VH", "2019-03-01", "2018-11-29")
    assert log["91/18"]["owners"] == "AH; VH" and log["91/18"]["due"] == ""
    assert log["92/18"]["title"] == "Abbey Gough to be invited to join the ESMCP ICCS sub-group"
    assert [log[r]["private"] for r in ("72/18", "73/18", "89/18", "74/18")] == ["yes", "yes", "yes", "no"]
