"""The minutes reader (exchange/minutes.py): real minutes in, the proposed changes out.

No database and no Slack: the reader is pure. The board's log before the meeting is the Item
column of tests/data/pr-board-log-2018-10.csv, the same log tests/test_meeting_replay.py imports
before replaying the meeting of 29 November 2018 by typed commands."""
from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from exchange.minutes import minutes_text as text_of
from exchange.minutes import read_minutes_file
from grammar.minutes import (
    CLOSE,
    CLOSE_WHEN,
    CSV_COLUMNS,
    DECISION,
    MAX_CHARS,
    MEETING_ADD,
    NEW,
    PLAN_ADD,
    PLAN_DROP,
    PLAN_TBC,
    UPDATE,
    MinutesError,
    read_minutes,
)
from grammar.minutes import text as minutes_text
from grammar.minutes.rules import status_of

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ROOT / "tests" / "data" / "domain"  # copies of ../shared/domain, so a clone alone runs every test
MINUTES_2018_11 = DOMAIN / "board-minutes-2018-11.txt"
DATA = ROOT / "tests" / "data" / "minutes"
TABLE_MINUTES = DATA / "table-minutes-2016-10.md"
COMMITTEE_MINUTES = DATA / "committee-minutes-2024-03.txt"

with (ROOT / "tests" / "data" / "pr-board-log-2018-10.csv").open(encoding="utf-8") as f:
    LOG_2018 = [row["Item"] for row in csv.DictReader(f)]
PEOPLE_2018 = {"JG": "Jane Gardner", "PBI": "Pippa Brent-Isherwood", "MH": "Matthew Horne", "AP": "Andy Prophet",
               "AG": "Abbey Gough", "MG": "Mark Gilmartin", "DM": "Debbie Martin", "VH": "Victoria Harrington",
               "AH": "Anna Hook", "DS": "David Stovell", "GA": "Glykeria Anyfanti", "RH": "Roger Hirst",
               "JD": "Jules Donald", "CG": "Charles Garbett"}
LOG_2016 = ["55/16", "58/16", "59/16", "60/16", "61/16", "62/16", "63/16", "64/16"]



def shape(change):
    """What the hand-counted tables say of a change."""
    return (change.kind, change.ref, change.title, change.owners, change.due, change.condition, change.when,
            change.recurrence, change.private, change.line)


# -- the meeting of 29 November 2018, the whole file ---------------------------------------
#
# Counted by hand, paragraph by paragraph, from ../shared/domain/board-minutes-2018-11.txt:
# item 2.ii (Action Log) has 22 numbered items (42/18 … 89/18, with "84/1" as the minutes typed
# 84/18). Each item's last status sentence decides it: 18 say "can now close", "is completed and
# can now close" or "is complete and can now close" (42, 51, 65, 71, 72, 73, 75, 76, 77, 78, 79,
# 80, 82, 83, 84/1, 85, 87, 89); 66/18 "can close upon evaluation of the updated paper"; 68, 74
# and 81 "will remain open". Inside 71/18, "Action 90: …" raises a new action (due "in March
# 2019", no owner written). Item 2.iii (Forward Plan) lists three "Additions for the Forward
# Plan" (Mobile Policing for 3 January 2019; the Crime Prevention Strategy Action Plan, rolling
# quarterly from March 2019; the OSG impact analysis for March 2019), "Suggested removing the
# Finance report from April 2019" (a removal), "Once a date for delivery is identified this will
# be added to the Forward Plan" (the DVPO/DVPN study: tbc, and the minutes only call it "this"),
# and "Action 91: … Owners: AH and VH." Item 3 has "Action 92. Abbey Gough will be invited to join
# the ESMCP ICCS sub-group." (no owner written: Abbey Gough is the one invited). Two plan
# additions are said twice and are one decision each: 42/18's "to be added to the Forward Plan …
# for March 2019. This will remain as a quarterly rolling report" is the list's Crime Prevention
# item, and 74/18's "this item will be added to the agenda of the EP P&R Board meeting on the 3rd
# January 2019" is the list's Mobile Policing item. Items 1, 2.i and 3 to 15 decide nothing for
# the log or the plan (no "agreed"/"resolved" in the minute's own voice; "It has been decided
# that … a teleconference" and "It has also been agreed to restructure the staff" report what was
# decided elsewhere). 30 decisions: 18 + 1 + 3 + 3 new + 3 plan adds + 1 drop + 1 tbc.
# The replay (tests/test_meeting_replay.py) gave 90/18 the owners "MH and VH" and 92/18 "MG":
# the secretary's choice, not words of the minutes, so the reader leaves them empty and says so.

MARCH_2019 = dt.date(2019, 3, 1)
EXPECTED_2018_11 = [
    # kind, ref, title, owners, due, condition, when, recurrence, private, first line
    (CLOSE, "42/18", "Crime Prevention Strategy", (), None, "", "", "", False, 62),
    (PLAN_ADD, None, "Crime Prevention Strategy Action Plan", (), None, "", "2019-03", "quarterly", False, 65),
    (CLOSE, "51/18", "Collaboration", (), None, "", "", "", False, 69),
    (CLOSE, "65/18", "Special Constabulary", (), None, "", "", "", False, 74),
    (CLOSE_WHEN, "66/18", "Special Constabulary", (), None, "evaluation of the updated paper", "", "", False, 78),
    (UPDATE, "68/18", "Finance – monthly report", (), None, "", "", "", False, 84),
    (CLOSE, "71/18", "Operational Support Group (OSG)", (), None, "", "", "", False, 87),
    (NEW, "90/18", "An analysis of anticipated impact from the agreed investment, per priority area of EP "
                   "operational activity", (), MARCH_2019, "", "", "", False, 90),
    (CLOSE, "72/18", "Part B – Essex Juno (related to Domestic Abuse)", (), None, "", "", "", True, 93),
    (CLOSE, "73/18", "Part B – Essex Juno (related to Domestic Abuse)", (), None, "", "", "", True, 97),
    (UPDATE, "74/18", "Mobile Policing", (), None, "", "", "", False, 101),
    (PLAN_ADD, None, "Update on Mobile Policing", (), None, "", "2019-01-03", "", False, 102),
    (CLOSE, "75/18", "Mobile Policing", (), None, "", "", "", False, 105),
    (CLOSE, "76/18", "Strategy and Outcomes for CSAS Organisations", (), None, "", "", "", False, 108),
    (CLOSE, "77/18", "Strategy and Outcomes for CSAS Organisations", (), None, "", "", "", False, 111),
    (CLOSE, "78/18", "19/20 Investment supporting the Police and Crime Plan", (), None, "", "", "", False, 115),
    (CLOSE, "79/18", "Operational transformation reserve", (), None, "", "", "", False, 119),
    (CLOSE, "80/18", "Operational transformation reserve", (), None, "", "", "", False, 123),
    (UPDATE, "81/18", "Medical Contract / Big Word", (), None, "", "", "", False, 127),
    (CLOSE, "82/18", "Medical Contract / Big Word", (), None, "", "", "", False, 138),
    (CLOSE, "83/18", "HR Sickness and Attendance Management", (), None, "", "", "", False, 142),
    (CLOSE, "84/1", "EP proposed response to Home Office Serious Violence Strategy", (), None, "", "", "", False, 146),
    (CLOSE, "85/18", "Finance: Quarterly report", (), None, "", "", "", False, 149),
    (CLOSE, "87/18", "PEQF", (), None, "", "", "", False, 152),
    (CLOSE, "89/18", "Part B AOB Clacton", (), None, "", "", "", True, 156),
    (PLAN_ADD, None, "OSG - An analysis of the expected impact from the agreed investment per priority area of EP "
                     "operational activity", (), None, "", "2019-03", "", False, 164),
    (PLAN_DROP, None, "Finance report", (), None, "", "2019-04", "", False, 165),
    (PLAN_TBC, None, "", (), None, "", "tbc", "", False, 166),
    (NEW, "91/18", "A timeline needs to be identified, to indicate when the study is to be delivered and presented "
                   "to the Board", ("AH", "VH"), None, "", "", "", False, 168),
    (NEW, "92/18", "Abbey Gough will be invited to join the ESMCP ICCS sub-group", (), None, "", "", "", False, 177),
]


@pytest.fixture(scope="module")
def november():
    return read_minutes(MINUTES_2018_11.read_text(encoding="utf-8"), refs=LOG_2018, people=PEOPLE_2018)


def test_the_november_2018_minutes_propose_the_hand_counted_decisions(november):
    assert [shape(c) for c in november.changes] == EXPECTED_2018_11
    correct = sum(1 for c, want in zip(november.changes, EXPECTED_2018_11) if shape(c) == want)
    print(f"\n2018-11: {correct} of {len(EXPECTED_2018_11)} decisions proposed correctly, "
          f"{len(november.not_understood)} listed as not understood, {len(november.unplaced)} paragraphs not placed")
    assert november.not_understood == ()
    assert (november.meeting_date, november.meeting_date_source) == (dt.date(2018, 11, 29), "line 4")
    assert november.warnings == ()
    assert not november.other_board
    # every action on the log before the meeting (22) but 84/18, which the minutes typed 84/1
    assert set(november.refs_matched) == set(LOG_2018) - {"84/18"} and len(november.refs_matched) == 21


def test_updates_are_the_items_substance_without_their_status_sentence(november):
    by_ref = {c.ref: c for c in november.changes if c.ref}
    # a closure keeps the minutes' own words, its status sentence too: they become the closing note
    assert by_ref["42/18"].text == ("Gareth Nicholson sent the Communications plan to Darren Horsman and Emma Thomas "
                                    "on 30th October 2018. This action can now close.")
    assert by_ref["68/18"].text == "AG updated that the decision sheet for virements has been received but has not been signed yet."
    assert by_ref["74/18"].text.startswith("AH updated that a paper has been prepared to answer queries around the "
                                           "cashable and non-cashable savings against the original business case.")
    assert by_ref["74/18"].text.endswith("The discussion will feed back in the meeting of the EP P&R Board on the "
                                         "3rd January 2019.")
    assert by_ref["81/18"].text.endswith("MH to identify a contact in the Force to meet with PBI to discuss Big Word "
                                         "contract and feedback from ICVs.")
    assert by_ref["66/18"].text.startswith("DM will update on the funding lines around Specials later at the meeting.")
    assert "can close" not in by_ref["66/18"].text
    # 71/18's update is its paragraphs without Action 90, which is a change of its own
    assert "Action 90" not in by_ref["71/18"].text and "An analysis" not in by_ref["71/18"].text
    assert by_ref["71/18"].text.endswith("MH and VH agreed with this approach. The original action can now close.")
    for ref in ("75/18", "76/18", "85/18", "89/18", "84/1"):  # "This action can now close." and nothing else
        assert by_ref[ref].kind == CLOSE and status_of(by_ref[ref].text).kind == CLOSE and len(by_ref[ref].text) < 60, ref
    assert by_ref["90/18"].text.startswith("An analysis of anticipated impact") and "This should link" in by_ref["90/18"].text
    assert by_ref["90/18"].notes == ("no owner given (the person who raises it will own it)",)


def test_the_typo_84_1_is_offered_its_nearest_real_ref_never_replaced(november):
    typo = next(c for c in november.changes if c.ref == "84/1")
    assert (typo.kind, typo.known_ref, typo.nearest) == (CLOSE, False, ("84/18",))
    assert typo.notes == ("84/1 is not on the log; nearest: 84/18",)
    assert all(c.known_ref for c in november.changes if c.ref and c.ref != "84/1" and c.kind != NEW)


def test_plan_items_said_twice_are_proposed_once_with_both_places(november):
    crime, mobile = [c for c in november.changes if c.kind == PLAN_ADD][:2]
    assert crime.lines == (65, 163) and mobile.lines == (102, 162)
    tbc = november.of(PLAN_TBC)[0]
    assert tbc.notes == ("the minutes do not name the paper here; give it a title",)
    assert "Once a date for delivery is identified this will be added to the Forward Plan" in tbc.text


def test_nothing_in_the_minutes_is_silently_dropped(november):
    text = MINUTES_2018_11.read_text(encoding="utf-8")
    covered = ({line for c in november.changes for line in c.lines} | {line for u in november.unplaced for line in u.lines}
               | set(november.structure))
    dropped = [n for n, line in enumerate(text.split("\n"), 1) if line.strip() and n not in covered]
    assert dropped == []
    quoted = {u.line: u for u in november.unplaced}
    # discussion after 42/18's closure, the question in the forward plan, the budget follow-up: quoted
    assert quoted[64].context == "after 42/18" and quoted[64].text.startswith("JG. The launch of the Strategy")
    assert quoted[167].text.startswith("MH inquired who is responsible for the delivery of this study.")
    assert quoted[271].text == "There will be a follow up discussion on the budget in the P&R January meeting."
    assert quoted[271].context == "iii) Budget update"
    # the attendance list is read as people, not quoted
    assert ("PBI", "Pippa Brent-Isherwood") in november.attendees and 7 not in quoted


def test_the_proposal_as_csv_rows(november):
    rows = november.as_csv_rows()
    assert tuple(rows[0]) == CSV_COLUMNS == ("change", "ref", "title", "owners", "due", "condition", "text")
    assert len(rows) == 1 + len(EXPECTED_2018_11)
    by_ref = {row[1]: row for row in rows[1:]}
    assert by_ref["66/18"][:6] == ["close when", "66/18", "Special Constabulary", "", "", "evaluation of the updated paper"]
    assert by_ref["84/1 (not on the log; nearest: 84/18)"][0] == "close"
    assert by_ref["91/18"][:5] == ["new action", "91/18", by_ref["91/18"][2], "AH; VH", ""]
    assert by_ref["90/18"][4] == "2019-03-01"
    plan = [row for row in rows[1:] if row[0].startswith("plan")]
    assert [(r[0], r[2], r[4], r[5]) for r in plan] == [
        ("plan add", "Crime Prevention Strategy Action Plan", "2019-03", "quarterly"),
        ("plan add", "Update on Mobile Policing", "2019-01-03", ""),
        ("plan add", EXPECTED_2018_11[25][2], "2019-03", ""),
        ("plan drop", "Finance report", "2019-04", ""),
        ("plan tbc", "", "tbc", "")]
    out = Path(__file__).parent / "__minutes_rows.csv"
    try:
        with out.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
        with out.open(newline="", encoding="utf-8") as f:
            assert list(csv.reader(f)) == rows
    finally:
        out.unlink(missing_ok=True)


def test_reading_is_deterministic_and_pure(november):
    again = read_minutes(MINUTES_2018_11.read_text(encoding="utf-8"), refs=LOG_2018, people=PEOPLE_2018)
    assert again == november


def test_the_same_minutes_hard_wrapped_or_in_a_docx_read_the_same(november, tmp_path):
    """Pasted from an e-mail or a PDF (lines wrapped at 78 columns), or as the Word document the
    minute-taker wrote (one paragraph a line): the same proposal, only the line numbers differ."""
    import textwrap

    def same(p):  # the updates' texts too (a plan item quotes its paragraph, which wrapping may split)
        return [shape(c)[:-1] + (c.text if c.kind in (CLOSE, CLOSE_WHEN, UPDATE, NEW) else "",) for c in p.changes]

    text = MINUTES_2018_11.read_text(encoding="utf-8")
    wrapped = "\n".join("\n".join(textwrap.wrap(line, 78)) if line.strip() else "" for line in text.split("\n"))
    assert same(read_minutes(wrapped, refs=LOG_2018, people=PEOPLE_2018)) == same(november)
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    document.save(tmp_path / "minutes.docx")
    from_word = read_minutes_file(tmp_path / "minutes.docx", refs=LOG_2018, people=PEOPLE_2018)
    assert same(from_word) == same(november) and from_word.meeting_date == dt.date(2018, 11, 29)


def test_the_summary_line(november):
    assert november.summary() == ("Minutes of Thu 29 Nov 2018: 30 changes proposed (18 close, 1 close when, 3 update, "
                                  "3 new action, 3 plan add, 1 plan drop, 1 plan tbc); 0 not understood; "
                                  f"{len(november.unplaced)} paragraphs not placed (quoted); 1 ref not on the log.")


# -- minutes written as a table --------------------------------------------------------------
#
# tests/data/minutes/table-minutes-2016-10.md, counted by hand: four rows review the log (58/16
# closes, 59/16 closes upon receipt of the revised paper, 61/16 stays open with a date, 62/16 is
# completed); row 3 holds two new actions in one cell (65/16 and 66/16, one owner line and one
# date line each); 67/16 and 68/16 (due at the next meeting); a new action with no ref (the next
# ref); the forward plan adds two (one quarterly), removes one and holds one until a date is
# identified; the next meeting is 24 November 2016.

EXPECTED_TABLE = [
    (CLOSE, "58/16", "", (), None, "", "", "", False),
    (CLOSE_WHEN, "59/16", "", (), None, "receipt of the revised paper", "", "", False),
    (UPDATE, "61/16", "", (), dt.date(2016, 12, 22), "", "", "", False),
    (CLOSE, "62/16", "", (), None, "", "", "", False),
    (NEW, "65/16", "SH/VH to discuss the estates budget with the Treasurer", ("SH", "VH"), dt.date(2016, 12, 22),
     "", "", "", False),
    (NEW, "66/16", "DM/RH/CG/SH to review the capital programme before the precept is set", ("DM", "RH", "CG", "SH"),
     dt.date(2017, 1, 27), "", "", "", False),
    (NEW, "67/16", "AH to circulate the revised performance framework to members", ("AH",), dt.date(2016, 11, 30),
     "", "", "", False),
    (NEW, "68/16", "CG to bring the estates strategy to the Board", ("CG",), None, "", "", "", False),
    (NEW, None, "DM to write to the Home Office about the special grant", ("DM",), dt.date(2016, 12, 14), "", "", "", False),
    (PLAN_ADD, None, "Estates Strategy", (), None, "", "2017-01-26", "", False),
    (PLAN_ADD, None, "Workforce report", (), None, "", "2016-12", "quarterly", False),
    (PLAN_DROP, None, "Treasury management report", (), None, "", "2016-11", "", False),
    (PLAN_TBC, None, "Collaboration review", (), None, "", "tbc", "", False),
    (MEETING_ADD, None, "Next meeting", (), None, "", "2016-11-24", "", False),
]
PEOPLE_2016 = {"SH": "Sue Harris", "VH": "Vicky Hall", "DM": "Debbie Martin", "RH": "Roger Hirst",
               "CG": "Charles Garbett", "AH": "Anna Hook"}


def check_table_minutes(proposal):
    assert [shape(c)[:-1] for c in proposal.changes] == EXPECTED_TABLE
    assert proposal.meeting_date == dt.date(2016, 10, 27)
    assert proposal.not_understood == () and not proposal.other_board
    by_ref = {c.ref: c for c in proposal.changes}
    assert by_ref["58/16"].text == "The decision sheet for the virements has been signed. This action can now close."
    assert by_ref["61/16"].text == "Recruitment to the analyst posts continues"
    assert (by_ref["68/16"].due_words.lower(), by_ref["68/16"].notes) == ("next meeting", ("due at the next meeting",))
    assert [c.unknown_owners for c in proposal.of(NEW)] == [()] * 5
    assert [c.due_words for c in proposal.of(NEW)][:2] == ["22 nd December", "27 th January 2017"]


def test_table_minutes_in_markdown():
    proposal = read_minutes_file(TABLE_MINUTES, refs=LOG_2016, people=PEOPLE_2016)
    check_table_minutes(proposal)
    assert [c.line for c in proposal.changes][:9] == [28, 29, 30, 31, 32, 32, 33, 34, 35]
    assert [u.line for u in proposal.unplaced] == [20, 24]  # the welcome; the last minutes approved


def test_table_minutes_as_tab_separated_text(tmp_path):
    """As Word copies a table: cells split by tabs, the two actions of one cell in one line, their
    owners and dates separated by semicolons."""
    lines = []
    for line in TABLE_MINUTES.read_text(encoding="utf-8").split("\n"):
        if line.startswith("|---"):
            continue
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            cells = [re.sub(r"\s*<br>\s*", " " if i == 1 else "; ", c) for i, c in enumerate(cells)]
            line = "\t".join(cells)
        lines.append(line)
    path = tmp_path / "minutes.txt"
    path.write_text("\n".join(lines), encoding="cp1252")  # as Notepad on Windows saves it
    check_table_minutes(read_minutes_file(path, refs=LOG_2016, people=PEOPLE_2016))


def test_table_minutes_as_a_real_docx(tmp_path):
    docx = pytest.importorskip("docx")
    document = docx.Document()
    table_rows = []
    for line in TABLE_MINUTES.read_text(encoding="utf-8").split("\n"):
        if line.startswith("|---"):
            continue
        if line.startswith("|"):
            table_rows.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        if table_rows:  # the table ends: write it where it stood
            table = document.add_table(rows=0, cols=len(table_rows[0]))
            for cells in table_rows:
                row = table.add_row()
                for cell, text in zip(row.cells, cells):
                    parts = text.split("<br>")
                    cell.text = parts[0]
                    for part in parts[1:]:
                        cell.add_paragraph(part)  # several actions in one cell
            table_rows = []
        if line.strip():
            document.add_paragraph(line)
    path = tmp_path / "minutes.docx"
    document.save(path)
    text = text_of(path)
    assert "| Item | Action | Owner | Date for Completion |" in text
    assert "65/16 – SH/VH to discuss the estates budget with the Treasurer. <br> 66/16 – DM/RH/CG/SH" in text
    check_table_minutes(read_minutes_file(path, refs=LOG_2016, people=PEOPLE_2016))


# -- other ways minutes say it -----------------------------------------------------------------

def test_a_committee_minutes_with_action_lines_agreed_and_resolved():
    proposal = read_minutes_file(COMMITTEE_MINUTES, refs=["12/24", "14/24", "15/24", "16/24"],
                                 people={"JS": "Jane Smith", "TB": "Tom Brown"})
    assert proposal.meeting_date == dt.date(2024, 3, 12)
    assert [(c.kind, c.ref, c.title, c.owners, c.due, c.condition, c.when) for c in proposal.changes] == [
        (CLOSE, "12/24", "TB to circulate the budget", (), None, "", ""),  # "Complete."
        (UPDATE, "14/24", "AG to review insurance", (), None, "", ""),  # "Ongoing; …"
        (CLOSE, "15/24", "", (), None, "", ""),  # "15/24 Closed."
        (CLOSE_WHEN, "16/24", "", (), None, "the auditors have replied", ""),  # a ref inside a sentence
        (NEW, None, "TB to circulate a revised version", ("TB",), dt.date(2024, 3, 29), "", ""),  # It was agreed … ACTION: TB
        (NEW, None, "JS to write to the auditors", ("JS",), None, "", ""),  # Agreed: JS to …
        (DECISION, None, "The budget be approved.", (), None, "", ""),  # RESOLVED: That …: listed, not applied
        (NEW, None, "The reserves policy be reviewed", ("AG",), None, "", ""),  # The chair asked that … ACTION: AG
        (PLAN_ADD, None, "Investment review", (), None, "", "2024-06"),
        (PLAN_DROP, None, "IT strategy", (), None, "", ""),
        (MEETING_ADD, None, "Next meeting", (), None, "", "2024-04-09"),
    ]
    assert proposal.changes[-1].time == dt.time(18, 0)
    reserves = proposal.changes[7]
    assert reserves.unknown_owners == ("AG",)  # kept, and flagged: AG is not a known person
    assert any("AG (Alice Green)" in w for w in proposal.warnings)  # the attendance list names her
    assert [(u.context, u.text) for u in proposal.unplaced] == [
        ("3. Budget", "The committee discussed the draft budget at length.")]


def test_an_action_log_table_matters_arising_and_an_actions_list():
    """tests/data/minutes/audit-committee-2019-02.md: the log reviewed as a Ref | Action | Owner | Due |
    Status | Update table, matters arising with the status after a dash or in brackets, an
    "(Action: AH)" at a paragraph's end, an "Actions" list numbered 1, 2, 3."""
    proposal = read_minutes_file(DATA / "audit-committee-2019-02.md", refs=[f"{n}/18" for n in range(74, 83)],
                                 people={"JG": "Jane Gardner", "AH": "Anna Hook", "VH": "Victoria Harrington",
                                         "DM": "Debbie Martin"})
    assert proposal.meeting_date == dt.date(2019, 2, 7)
    assert [(c.kind, c.ref, c.title, c.owners, c.due, c.due_words, c.condition, c.when, c.text) for c in proposal.changes] == [
        (UPDATE, "74/18", "Mobile Policing paper", (), dt.date(2019, 1, 3), "03/01/2019", "", "",
         "Paper went to the January meeting; follow-up in March"),
        (CLOSE, "75/18", "Independent assessment", (), None, "", "", "", "Report received. Closed"),
        (CLOSE, "76/18", "CSAS outcomes", (), None, "", "", "", ""),
        (CLOSE_WHEN, "78/18", "Investment timelines", (), None, "", "the timetable is published", "", ""),
        (NEW, "93/19", "VH to brief the Board on the new scorecard", ("VH",), dt.date(2019, 3, 4), "w/c 4 March", "", "",
         "VH to brief the Board on the new scorecard"),
        (CLOSE, "79/18", "Operational transformation reserve", (), None, "", "", "", "Closed"),
        (CLOSE, "80/18", "Fusion bid", (), None, "", "", "", "complete"),
        (CLOSE, "81/18", "", (), None, "", "", "", ""),  # "The Board agreed that action 81/18 be proposed for closure."
        (UPDATE, "82/18", "Medical contract", (), None, "", "", "", "Deferred to the March meeting."),
        (NEW, None, "The committee discussed the internal audit plan", ("AH",), None, "", "", "",
         "The committee discussed the internal audit plan (Action: AH)."),
        (NEW, None, "JG to write to the Chief Constable", ("JG",), dt.date(2019, 2, 14), "14 February", "", "",
         "JG to write to the Chief Constable by 14 February."),
        (NEW, None, "AH/VH to prepare the estates paper", ("AH", "VH"), None, "the March meeting", "", "",
         "AH/VH to prepare the estates paper for the March meeting."),
        (NEW, None, "DM to circulate the treasury report", ("DM",), dt.date(2019, 2, 28), "end of February", "", "",
         "DM to circulate the treasury report by end of February."),
        (MEETING_ADD, None, "Next meeting", (), None, "", "", "2019-03-07",
         "The next meeting will take place on 7 March 2019 at 10.00am (provisional)."),
    ]
    meeting = proposal.changes[-1]
    assert (meeting.time, meeting.provisional) == (dt.time(10, 0), True)
    # 77/18 is "Open" with nothing else: no change, and the row is quoted, not dropped
    assert [(u.line, u.context) for u in proposal.unplaced] == [(12, "a row that changes nothing: it stays open")]
    assert proposal.warnings == ()


def test_minutes_numbered_like_refs_are_not_mistaken_for_actions():
    """tests/data/minutes/trust-board-2019-04.txt numbers its items 19/041, 19/042 …; the action log
    inside uses the board's refs (Action 12/19, Action 14/19)."""
    proposal = read_minutes_file(DATA / "trust-board-2019-04.txt", refs=["12/19", "13/19", "14/19"],
                                 people={"HW": "Helen Ward", "PL": "Peter Lee", "SK": "Sara Khan"})
    assert [(c.kind, c.ref, c.title, c.owners, c.due, c.text) for c in proposal.changes] == [
        (CLOSE, "12/19", "PL to circulate the workforce plan", (), None, "Complete."),
        (UPDATE, "14/19", "", (), None, "SK will report in May."),
        (DECISION, None, "The Board approved the capital plan.", (), None, "Decision: The Board approved the capital plan."),
        (NEW, None, "SK to review the estates business case", ("SK",), dt.date(2019, 4, 30),
         "SK to review the estates business case by 30 April 2019."),
    ]
    assert [(u.line, u.context) for u in proposal.unplaced] == [
        (6, "19/041 Apologies for absence"), (9, "the minutes of the last meeting: nothing to change"),
        (16, "19/044 Finance report"), (21, "19/045 Any other business")]
    assert not proposal.other_board and proposal.refs_matched == ("12/19", "14/19")


def test_the_panel_minutes_resolutions_and_dates_of_meetings():
    """The Leicestershire panel pack: its agenda's next meeting and 2016 dates, and the minutes of 17 July."""
    proposal = read_minutes(text_of(DOMAIN / "panel-pack-2015-09.txt")[:60_000])
    assert (proposal.meeting_date, proposal.meeting_date_source) == (dt.date(2015, 7, 17), "line 84")
    meetings = proposal.of(MEETING_ADD)
    assert [m.when for m in meetings] == ["2015-12-16", "2016-01-25", "2016-02-09", "2016-03-22", "2016-06-30",
                                          "2016-07-19", "2016-09-26", "2016-12-05", "2015-09-16"]
    assert {m.time for m in meetings} == {dt.time(13, 0)}
    assert [m.provisional for m in meetings].count(True) == 1  # 9 February (Provisional only …)
    plan = proposal.of(PLAN_ADD)
    assert [(c.title, c.when) for c in plan] == [
        ("Update on the new model's effectiveness and sustainability", "2015-09"),
        ("Further update on the MTFS position", "2015-09")]  # "a further update be provided" is the same paper
    assert plan[1].lines == (212, 221)
    assert not proposal.not_understood
    decisions = proposal.of(DECISION)  # the panel's resolutions: listed as its decisions, none an action
    assert any("form a report to be submitted" in d.text for d in decisions)
    assert all(not d.owners for d in decisions) and len(decisions) >= 4


def test_a_list_of_papers_for_the_next_meeting():
    text = ("Minutes of the Board held on 5 June 2019\n\nItems for the next meeting:\n- Estates strategy (DM)\n"
            "- Risk register, quarterly\n- Annual report for September 2019\n"
            "- Monthly performance report, for the 3rd July 2019\n")
    proposal = read_minutes(text, refs=["1/19"], people={"AH": "Anna Hook"})
    assert [(c.kind, c.title, c.owners, c.when, c.recurrence, c.unknown_owners) for c in proposal.changes] == [
        (PLAN_ADD, "Estates strategy", ("DM",), "next meeting", "", ("DM",)),  # DM writes it; not a known person
        (PLAN_ADD, "Risk register", (), "next meeting", "quarterly", ()),
        (PLAN_ADD, "Annual report", (), "2019-09", "", ()),  # "annual" names the report; it is not a recurrence
        (PLAN_ADD, "Monthly performance report", (), "2019-07-03", "monthly", ()),
    ]


@pytest.mark.parametrize("sentence, kind, condition", [
    ("This action can now close.", CLOSE, ""),
    ("This action is completed and can now close.", CLOSE, ""),
    ("This is complete and can now close.", CLOSE, ""),
    ("The original action can now close.", CLOSE, ""),
    ("Complete.", CLOSE, ""),
    ("Action closed.", CLOSE, ""),
    ("AGREED that the action be closed.", CLOSE, ""),
    ("The Committee agreed to close the action.", CLOSE, ""),
    ("The Board agreed that action 81/18 be proposed for closure.", CLOSE, ""),
    ("This action can close upon evaluation of the updated paper.", CLOSE_WHEN, "evaluation of the updated paper"),
    ("Closed once the timetable is published", CLOSE_WHEN, "the timetable is published"),
    ("Once the report is received, this action can close.", CLOSE_WHEN, "the report is received"),
    ("The action will remain open.", UPDATE, ""),
    ("Ongoing.", UPDATE, ""),
    ("Carried forward to the next meeting.", UPDATE, ""),
    ("This action cannot close until the audit reports.", UPDATE, ""),
    ("Not yet complete.", UPDATE, ""),
    ("The consultation will close on 30 June.", None, ""),  # not the action
    ("PBI and AP want to close the gap.", None, ""),
    ("This will remain as a quarterly rolling report on crime prevention.", None, ""),
    ("There being no other business, the meeting closed at 12:55.", None, ""),
])
def test_what_a_sentence_says_of_its_action(sentence, kind, condition):
    from grammar.minutes.rules import status_of
    status = status_of(sentence)
    assert (status.kind if status else None, status.condition if status else "") == (kind, condition)


# -- refs, owners, the limits ---------------------------------------------------------------

def test_nearest_refs_by_edit_distance_with_transpositions():
    known = frozenset(LOG_2018)
    # two digits swapped first, then one edit away (insertions and deletions before substitutions)
    assert minutes_text.nearest_refs("47/18", known) == ("74/18", "42/18", "77/18")
    assert minutes_text.nearest_refs("84/1", known) == ("84/18",)
    assert minutes_text.nearest_refs("88/18", known) == ("87/18", "89/18", "85/18")  # several: offered, not chosen
    assert minutes_text.nearest_refs("512/99", known) == ()


def test_a_mistyped_ref_in_minutes_is_listed_with_its_neighbours():
    proposal = read_minutes("29 November 2018\n\n47/18 – Mobile Policing.\nThis action can now close.\n", refs=LOG_2018)
    (change,) = proposal.changes
    assert (change.kind, change.ref, change.known_ref, change.nearest) == (CLOSE, "47/18", False,
                                                                           ("74/18", "42/18", "77/18"))


def test_unknown_owners_are_kept_and_flagged():
    text = "Minutes of the meeting held on 3 March 2019\n\nAction: ZQ and AH to draft the terms of reference by 1 April 2019.\n"
    proposal = read_minutes(text, refs=LOG_2018, people=PEOPLE_2018)
    (change,) = proposal.changes
    assert (change.kind, change.owners, change.unknown_owners, change.due) == (NEW, ("ZQ", "AH"), ("ZQ",), dt.date(2019, 4, 1))
    assert any(w.startswith("Not registered: ZQ") for w in proposal.warnings)


def test_the_meeting_date_given_wins_and_a_different_one_in_the_text_is_said():
    proposal = read_minutes("29 November 2018\n\n74/18 – Mobile Policing. This action will remain open.\n",
                            meeting_date=dt.date(2018, 11, 30), refs=LOG_2018)
    assert (proposal.meeting_date, proposal.meeting_date_source) == (dt.date(2018, 11, 30), "given")
    assert proposal.warnings == ("The minutes say the meeting was on Thu 29 Nov 2018 (line 1); they are read as the "
                                 "minutes of Fri 30 Nov 2018, as given.",)


def test_no_meeting_date_is_said_and_dates_without_a_year_wait():
    proposal = read_minutes("Action 5: DM to circulate the paper by 22 nd December.\n", refs=["4/18"])
    (change,) = proposal.changes
    assert proposal.meeting_date is None and proposal.meeting_date_source == "not found"
    assert (change.ref, change.due, change.due_words) == ("5", None, "22 nd December")
    assert any("do not say the meeting's date" in w for w in proposal.warnings)
    dated = read_minutes("Action 5: DM to circulate the paper by 22 nd December.\n", refs=["4/18"], today=dt.date(2018, 11, 1))
    assert (dated.changes[0].ref, dated.changes[0].due) == ("5/18", dt.date(2018, 12, 22))


# -- bad input: one clear message each ----------------------------------------------------------

def test_an_empty_paste():
    for empty in ("", "   \n\t\n"):
        with pytest.raises(MinutesError, match=r"^The minutes are empty: paste the text of the minutes, or give a "
                                               r"\.txt, \.md or \.docx file\.$"):
            read_minutes(empty, refs=LOG_2018)


def test_a_docx_that_is_not_one(tmp_path):
    fake = tmp_path / "minutes.docx"
    fake.write_text("MINUTES\n74/18 – This action can now close.\n", encoding="utf-8")
    message = ("minutes.docx is not a Word .docx document. Open it in Word and save it as .docx (Word document), "
               "or paste the text of the minutes.")
    with pytest.raises(MinutesError) as refused:
        read_minutes_file(fake, refs=LOG_2018)
    assert str(refused.value) == message
    openpyxl = pytest.importorskip("openpyxl")
    openpyxl.Workbook().save(tmp_path / "log.xlsx")
    (tmp_path / "log.xlsx").rename(fake)  # a real Office file, but a workbook
    with pytest.raises(MinutesError) as refused:
        read_minutes_file(fake, refs=LOG_2018)
    assert str(refused.value) == message
    with pytest.raises(MinutesError, match=r"minutes\.pdf: Clerk reads minutes from \.txt, \.md or \.docx files"):
        read_minutes_file(tmp_path / "minutes.pdf")


def test_minutes_of_another_board():
    proposal = read_minutes(MINUTES_2018_11.read_text(encoding="utf-8"), refs=LOG_2016)
    assert proposal.other_board and proposal.refs_matched == ()
    assert proposal.warnings == ("None of the 22 actions these minutes speak of (42/18, 51/18, 65/18, 66/18, 68/18, "
                                 "71/18) is on this board's log: are these the minutes of another board?",)
    table = read_minutes_file(TABLE_MINUTES, refs=LOG_2018)
    assert table.other_board and "another board" in table.warnings[0]
    assert not read_minutes_file(TABLE_MINUTES, refs=LOG_2016).other_board


def test_more_than_100000_characters():
    text = TABLE_MINUTES.read_text(encoding="utf-8")
    too_long = (text * (MAX_CHARS // len(text) + 2))[:MAX_CHARS + 1]
    with pytest.raises(MinutesError, match=r"^The minutes are 100,001 characters long; Clerk reads at most 100,000 at once\."):
        read_minutes(too_long, refs=LOG_2016)


def test_a_100000_character_paste_is_read_whole():
    """How long it takes is bench/minutes.py's to measure."""
    text = TABLE_MINUTES.read_text(encoding="utf-8") + "\n\n"
    pasted = (text * (MAX_CHARS // len(text) + 1))[:MAX_CHARS]
    proposal = read_minutes(pasted, refs=LOG_2016)
    assert len(proposal.changes) > 14 * 40


# Texts some earlier readers took from 5 s to 11 minutes over; bench/minutes.py shows the reader is
# linear in each of them.
PATHOLOGICAL = [
    "a" * 99_000, "(AH/" * 24_000, "1/1 " * 24_000, "can close upon " * 6_500, "AH/VH and " * 9_000,
    "to be added to the " * 5_000, "| a " * 24_000, "\t" * 99_000 + "x", "Action 9: " * 9_000, "22 nd " * 16_000,
    "Mr. " * 24_000, "a\n" * 49_000, "74/18 – x\n" * 9_000, "Additions for the Forward Plan:\n" + "· a\n" * 30_000,
    "Item | Action | Owner | Date\n" + "| 1 | 65/16 – SH/VH to x | SH | 22 nd December |\n" * 2_000,
    "12/19 Apologies\n" * 6_000, "Owners: " + "AH and " * 14_000, "x " * 49_999 + "."]


@pytest.mark.parametrize("unit", PATHOLOGICAL)
def test_pathological_pastes_are_read_or_refused_in_words(unit):
    try:
        proposal = read_minutes(unit[:MAX_CHARS], refs=LOG_2018)
    except MinutesError as exc:
        assert str(exc)  # one message that says what is wrong
    else:
        assert proposal.paragraphs >= 1
