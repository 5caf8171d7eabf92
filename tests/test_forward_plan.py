"""The forward plan, as the P&R Board's minutes of 29 November 2018 decided it (item 2.iii)."""
import csv
import io
from pathlib import Path

import pytest

from tests.cli import bot
from tests.test_action_log import SETUP

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def pr(clerk):
    for who, line in SETUP + [("GA", "/clerk person MH <@UMH0001|mh> Matthew Horne"),
                              ("GA", "/clerk person AP Andy Prophet")]:
        clerk.says(who, line)
    clerk.fake.set_channel("CPR", is_private=False, name="pr-board")
    return clerk


def test_meetings_and_paper_deadlines(pr):
    reply = pr.says("GA", "/meeting add 3 January 2019 10am")
    assert "*Thu 3 Jan 2019 at 10:00* — papers by Mon 17 Dec 2018, pack published Fri 21 Dec 2018" in reply
    assert "already meets on Thu 3 Jan 2019" in pr.says("GA", "/meeting add 3/1/2019")
    assert "is in the past" in pr.says("GA", "/meeting add 1 November 2018")
    assert "Only the chair or a secretary of P&amp;R can add meetings." in pr.says("VH", "/meeting add 10 January 2019")
    reply = pr.says("GA", "/meeting add first Thursday of every month from February 2019 until July 2019")
    assert "Added 6 meetings" in reply and "Thu 7 Mar 2019" in reply and "Thu 4 Jul 2019" in reply
    reply = pr.says("GA", "/meeting add 26 December 2019 provisional")
    assert "Note: Thu 26 Dec 2019 is Boxing Day (a bank holiday in England)." in reply
    listing = pr.says("AH", "/meeting list")
    assert listing.count("• ") == 8 and "(provisional)" in listing
    assert "I can't read “every fortnight” as a series" in pr.says("GA", "/meeting add every fortnight")


def test_the_november_2018_forward_plan(pr, database_url):
    pr.says("GA", "/meeting add 3 January 2019 10am")
    pr.says("GA", "/meeting add first Thursday of every month from February 2019 until July 2019")
    # already on the plan before the meeting
    pr.says("GA", "/plan add Finance report for April 2019 owner DM")
    # "Additions for the Forward Plan"
    reply = pr.says("GA", "/plan add Update on Mobile Policing for 3rd January 2019 owner AH", channel="CPR")
    assert "*FP-2* Update on Mobile Policing added to the forward plan for the meeting on Thu 3 Jan 2019." in reply
    assert "Paper deadline: Mon 17 Dec 2018 (10 working days before)." in reply
    reply = pr.says("GA", "/plan add Crime Prevention Strategy Action Plan quarterly from March 2019 owner AP")
    assert "*FP-3*" in reply and "quarterly" in reply and "Thu 7 Mar 2019" in reply
    pr.says("GA", "/plan add OSG analysis of the expected impact of the agreed investment for March 2019 owner MH")
    reply = pr.says("GA", "/plan add Academic study on DVPOs and DVPNs for tbc owner AH and VH")
    assert "added to the forward plan for TBC" in reply
    # "DM. Suggested removing the Finance report from April 2019."
    assert "dropped from the forward plan" in pr.says("GA", "/plan drop FP-1 removed at DM's suggestion")
    # the board channel saw the additions
    assert any("Update on Mobile Policing added to the forward plan" in p for p in pr.channel_sees("CPR"))

    # bad input: one reply, no change
    assert "There is no FP-9 on P&amp;R's forward plan" in pr.says("GA", "/plan received FP-9")
    assert "Only FP-2's owners, the chair or a secretary of P&amp;R can move it." in pr.says("VH", "/plan move FP-2 to February 2019")
    assert "Only the chair or a secretary of P&amp;R can add to the forward plan." in pr.says("VH", "/plan add X for tbc")
    assert "I can't read “Febtember” as a month" in pr.says("GA", "/plan move FP-2 to Febtember")

    # the quarterly report is received; its next occurrence goes on June's meeting
    pr.clock.set("2019-03-01T10:00:00+00:00")
    assert "can mark it received" in pr.says("VH", "/plan received FP-3")
    reply = pr.says("GA", "/plan received FP-3")
    assert "Next quarterly paper planned: *FP-6* Crime Prevention Strategy Action Plan" in reply
    assert "Thu 6 Jun 2019" in reply

    # a cancelled meeting sends its papers to the month's TBC list and tells their owners
    pr.clock.set("2018-12-01T10:00:00+00:00")
    reply = pr.says("GA", "/meeting cancel 3 January 2019")
    assert "1 paper moved to January 2019 (TBC); their owners are told." in reply
    dm = pr.channel_sees("DUAH0001")[-1]
    assert "meeting on Thu 3 Jan 2019 is cancelled; your paper *FP-2* Update on Mobile Policing waits in January 2019" in dm
    assert "was cancelled" in pr.says("GA", "/plan move FP-4 to 3 January 2019")
    pr.says("GA", "/meeting add 10 January 2019")
    assert "FP-2" in pr.says("GA", "/plan list January 2019") and "Thu 10 Jan 2019" in pr.says("GA", "/plan list January 2019")

    exported = bot("export", "plan", "--format", "csv", "--board", "P&R", database_url=database_url)
    assert exported.returncode == 0, exported.stderr
    rows = {r["ref"]: r for r in csv.DictReader(io.StringIO(exported.stdout))}
    assert list(next(iter(rows.values()))) == ["ref", "title", "meeting", "paper_deadline", "owners", "status",
                                               "recurrence", "private"]
    assert rows["FP-1"]["status"] == "dropped"
    assert (rows["FP-2"]["meeting"], rows["FP-2"]["paper_deadline"], rows["FP-2"]["owners"]) == \
        ("2019-01-10", "2018-12-24", "AH")
    assert (rows["FP-3"]["meeting"], rows["FP-3"]["status"], rows["FP-3"]["recurrence"]) == ("2019-03-07", "received", "quarterly")
    assert (rows["FP-4"]["meeting"], rows["FP-4"]["paper_deadline"]) == ("2019-03-07", "2019-02-21")
    assert (rows["FP-5"]["meeting"], rows["FP-5"]["owners"]) == ("tbc", "AH; VH")
    assert (rows["FP-6"]["meeting"], rows["FP-6"]["recurrence"]) == ("2019-06-06", "quarterly")


def test_the_action_log_appendix_for_the_pack(pr, database_url, tmp_path):
    from docx import Document
    pr.says("GA", "/action new Circulate the OSG paper owner AH due 14/12")
    pr.says("GA", "/action update 1/18 Sent to the board support office")
    pr.says("GA", "/action new Essex Juno away day owner AH private")
    out = tmp_path / "appendix.docx"
    done = bot("export", "actions", "--format", "docx", "--output", str(out), database_url=database_url)
    assert done.returncode == 0, done.stderr
    table = Document(out).tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["Ref", "Action", "Owners", "Due", "Status", "Latest update"]
    assert cells[1][:5] == ["1/18", "Circulate the OSG paper", "AH", "14 December 2018", "open"]  # as a board paper prints it
    assert cells[1][5] == "29 November 2018: Sent to the board support office"
    assert len(cells) == 2  # the Part B action only with --include-private
    bot("export", "actions", "--format", "docx", "--output", str(out), "--include-private", database_url=database_url)
    assert [[c.text for c in row.cells][1] for row in Document(out).tables[0].rows][2] == "Essex Juno away day"


def test_a_paper_for_a_month_waits_for_its_meeting_and_follows_a_rescheduled_one(pr):
    reply = pr.says("GA", "/plan add Rural Crime Strategy update for April 2019 owner AH")
    assert "for April 2019 (no meeting yet)" in reply and "no paper deadline yet" in reply
    reply = pr.says("GA", "/meeting add 4 April 2019 10am")
    assert "*FP-1* Rural Crime Strategy update moves from April 2019 onto this meeting." in reply
    assert "*Thu 4 Apr 2019 at 10:00* — papers by Thu 21 Mar 2019" in pr.says("GA", "/plan list April 2019")
    reply = pr.says("GA", "/meeting move 4 April 2019 to 11 April 2019")
    assert "1 paper moved with it" in reply
    assert "is now due by Thu 28 Mar 2019" in pr.channel_sees("DUAH0001")[-1]
    assert "papers by Thu 28 Mar 2019" in pr.says("GA", "/plan list April 2019")


def test_a_recurrence_clerk_does_not_keep_is_refused(pr):
    reply = pr.says("GA", "/plan add Performance report fortnightly for March 2019")
    assert "“fortnightly” is not a recurrence Clerk keeps" in reply and "Usage:" in reply
    assert "nothing planned" in pr.says("GA", "/plan list all")


def test_the_plan_exports_to_xlsx_and_docx(pr, database_url, tmp_path):
    from docx import Document
    from openpyxl import load_workbook
    pr.says("GA", "/meeting add 3 January 2019 10am")
    pr.says("GA", "/plan add Update on Mobile Policing for 3 January 2019 owner AH")
    pr.says("GA", "/plan add Essex Juno review for 3 January 2019 owner AH private")
    xlsx = tmp_path / "plan.xlsx"
    assert bot("export", "plan", "--format", "xlsx", "--output", str(xlsx), database_url=database_url).returncode == 0
    sheet = load_workbook(xlsx).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["ref", "title", "meeting", "paper_deadline", "owners", "status", "recurrence", "private"]
    assert rows[1][:2] == ["FP-1", "Update on Mobile Policing"] and rows[1][3].date().isoformat() == "2018-12-17"
    docx = tmp_path / "plan.docx"
    assert bot("export", "plan", "--format", "docx", "--output", str(docx), database_url=database_url).returncode == 0
    doc = Document(docx)
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells == [["Ref", "Paper", "Meeting", "Paper deadline", "Owners", "Status"],
                     ["FP-1", "Update on Mobile Policing", "3 January 2019", "17 December 2018", "AH", "late"]]  # exported today, long after
    assert "1 Part B item not included." in doc.paragraphs[1].text
