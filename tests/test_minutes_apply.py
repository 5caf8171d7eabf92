"""From the minutes to the log: read, review, apply, on SQLite and PostgreSQL.

The P&R Board's log before its meeting of 29 November 2018 is imported; the whole of that
meeting's minutes (../shared/domain/board-minutes-2018-11.txt) is read, reviewed (its one typo,
84/1, corrected by the secretary) and applied: the log ends as the meeting decided, every event
says it came from the minutes, the board's channel is told once, and the same minutes again change
nothing. The same through Slack's forms, with minutes written as a table."""
import argparse
import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from exchange.minutes_cli import import_minutes
from store.models import Action, ActionEvent, ForwardPlanItem
from tests.harness import post_text
from tests.test_action_log import SETUP
from tests.test_meeting_replay import LOG_BEFORE

ROOT = Path(__file__).resolve().parent.parent
MINUTES = ROOT / "tests" / "data" / "domain" / "board-minutes-2018-11.txt"  # a copy of ../shared/domain
CLOSED = ["42/18", "51/18", "65/18", "71/18", "72/18", "73/18", "75/18", "76/18", "77/18", "78/18", "79/18", "80/18",
          "82/18", "83/18", "84/18", "85/18", "87/18", "89/18"]


def args(file, apply=False, format="text", date=None, skip_bad=False):
    """`python bot.py import minutes FILE --board P&R [--format csv] [--apply [--skip-bad]]`, run in this process."""
    return argparse.Namespace(cmd="import", what="minutes", file=str(file), board="P&R", date=date, format=format,
                              apply=apply, skip_bad=skip_bad)


@pytest.fixture
def pr(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.clock.set("2018-11-28T17:00:00+00:00")
    from exchange import actions as exchange
    rows, bad = exchange.read_log(exchange.read_table(LOG_BEFORE), clerk.clock().date())
    with clerk.clerk.read_sessions() as s:
        from store.models import Board
        board_id = s.scalar(select(Board.id))
    exchange.import_log(clerk.clerk.sessions, board_id, rows, bad, clerk.clock().date(), clerk.clock())
    clerk.clock.set("2018-11-29T15:00:00+00:00")  # the afternoon of the meeting
    clerk.fake.set_channel("CPR", is_private=False, name="pr-board")
    clerk.deliver()
    clerk.fake.reset()
    return clerk


def log_of(clerk) -> dict[str, Action]:
    with clerk.clerk.sessions() as s:
        return {a.ref: (a.status, a.closing_condition, a.title, [p.label for p in a.owners], a.due)
                for a in s.scalars(select(Action))}


def test_the_november_2018_minutes_read_reviewed_and_applied(pr, tmp_path, capsys):
    before = log_of(pr)
    assert import_minutes(pr.clerk, args(MINUTES)) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("Minutes of Thu 29 Nov 2018: 30 changes proposed")
    assert ("action close 84/1 This action is completed and can now close.   [84/1 is not on the log; nearest: 84/18: "
            "correct the ref]") in shown
    # the one line the log refuses is named before anything is applied, with the log's reason and its source words
    assert shown.count("✗ cannot be applied as it stands") == 1
    assert "✗ cannot be applied as it stands: There is no action 84/1; did you mean 84/18?" in shown
    assert "   from: “84/1 – EP proposed response to Home Office Serious Violence Strategy. This action" in shown, shown
    assert "Nothing is changed until you apply" in shown and log_of(pr) == before

    assert import_minutes(pr.clerk, args(MINUTES, apply=True)) == 1  # the typo stops it: all or nothing
    refused = capsys.readouterr().err
    assert "Nothing applied" in refused and "There is no action 84/1; did you mean 84/18?" in refused
    assert log_of(pr) == before

    assert import_minutes(pr.clerk, args(MINUTES, apply=False, format="csv")) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["change", "ref", "title", "owners", "due", "condition", "text"]
    for row in rows:  # the secretary corrects the ref the minutes mistyped, and names the owners they left out
        if row[1].startswith("84/1 "):
            row[1] = "84/18"
        if row[0] == "new action" and not row[3]:
            row[3] = "MH; VH" if row[1] == "90/18" else "MG"
    edited = tmp_path / "proposal.csv"
    with edited.open("w", newline="") as out:
        csv.writer(out).writerows(rows)
    assert import_minutes(pr.clerk, args(edited, apply=True)) == 2  # an edited proposal needs the meeting's date
    assert "add --date" in capsys.readouterr().err
    assert import_minutes(pr.clerk, args(edited, apply=True, date="29/11/2018")) == 0, capsys.readouterr().err
    applied = capsys.readouterr().out
    assert "The minutes of Thu 29 Nov 2018 were applied to P&R's log by Console" in applied

    after = log_of(pr)
    assert [ref for ref in CLOSED if after[ref][0] == "closed"] == CLOSED
    assert after["66/18"][:2] == ("closing when", "evaluation of the updated paper")
    assert {ref for ref, a in after.items() if a[0] != "closed"} == {"66/18", "68/18", "74/18", "81/18",
                                                                       "90/18", "91/18", "92/18"}
    assert after["90/18"][3] == ["MH", "VH"] and after["91/18"][3] == ["AH", "VH"] and after["92/18"][3] == ["MG"]
    with pr.clerk.sessions() as s:
        marked = s.scalars(select(ActionEvent.text).where(ActionEvent.at == pr.clock())).all()
        assert marked and all("the minutes of 29 November 2018" in (t or "") for t in marked)
        assert "Crime Prevention Strategy Action Plan" in s.scalars(select(ForwardPlanItem.title)).all()
    posts = [post_text(p) for p in pr.posts("CPR")]
    assert len(posts) == 1 and posts[0].startswith("The minutes of Thu 29 Nov 2018 were applied to P&amp;R's log")
    assert "*66/18* can close once a condition is met" in posts[0] and "*90/18* raised" in posts[0]
    assert "(Part B)" not in posts[0] or "Essex Juno" not in posts[0]

    assert import_minutes(pr.clerk, args(edited, apply=True, date="29/11/2018")) == 0
    assert "were applied to P&R's log on Thu 29 Nov 2018 by Console; nothing changed" in capsys.readouterr().out
    assert log_of(pr) == after and len(pr.posts("CPR")) == 1


TABLE_MINUTES = """East Panel — minutes of the meeting held on 29 November 2018

Item | Action | Owner | Date for Completion
74/18 | This action can now close. | AH |
81/18 | The contract review is under way with the commissioning group. This action will remain open. | AH |
93/18 | 93/18 – SH/VH to discuss the Specials funding with the Chief Constable | SH/VH | 22 nd December
94/18 | 94/18 – DM/RH/CG/SH to circulate the estates paper (Part B) | DM/RH/CG/SH | 27 th January 2019
"""


def view_submission(pr, who, view, values):
    state = {"values": values}
    return pr.interact({"type": "view_submission", "user": {"id": pr.user(who), "name": who.lower()},
                        "view": {**view, "id": view.get("id", "VMIN"), "state": state}})


def test_the_minutes_forms_read_a_table_review_it_and_apply_it_once(pr):
    for line in ("/clerk person SH <@USH0001|sh> Sarah Hill", "/clerk person RH Roger Hirst",
                 "/clerk person CG Chris Garnett"):
        pr.says("GA", line)
    trigger = pr.fake.trigger()
    assert pr.slash("GA", "/action minutes", channel="CPR", trigger_id=trigger).text == ""
    paste = pr.opened()
    assert paste["callback_id"] == "minutes_paste_modal"
    resp = view_submission(pr, "GA", paste, {"text": {"value": {"type": "plain_text_input", "value": TABLE_MINUTES}},
                                             "board": {"value": {"selected_option": {"value": "P&R"}}},
                                             "meeting": {"value": {"selected_date": None}}})
    answer = resp.json()
    assert answer["response_action"] == "update"
    review = answer["view"]
    fields = {b["block_id"]: b["element"]["initial_value"] for b in review["blocks"] if b.get("type") == "input"}
    assert list(fields.values()) == [
        "action close 74/18 This action can now close.",
        "action update 81/18 The contract review is under way with the commissioning group.",
        'action new "SH/VH to discuss the Specials funding with the Chief Constable" owner SH and VH due 22/12/2018 '
        "numbered 93/18",
        'action new "DM/RH/CG/SH to circulate the estates paper (Part B)" owner DM and RH and CG and SH '
        "due 27/01/2019 private numbered 94/18"]
    values = {block: {"command": {"type": "plain_text_input", "value": command}} for block, command in fields.items()}
    values["c1"]["command"]["value"] = ""  # left out
    values["c2"]["command"]["value"] = fields["c2"].replace("due 22/12/2018", "due 21/12/2018")  # edited
    done = view_submission(pr, "GA", review, values)
    assert done.status_code == 200 and done.text == ""
    after = log_of(pr)
    assert after["74/18"][0] == "closed" and after["81/18"][0] == "open"
    assert after["93/18"][3:] == (["SH", "VH"], __import__("datetime").date(2018, 12, 21))
    posts = [post_text(p) for p in pr.posts("CPR")]
    assert len(posts) == 1 and "*93/18* raised" in posts[0] and "*94/18* raised" in posts[0]
    assert "estates paper" not in posts[0]  # Part B in a public channel: its ref only
    again = view_submission(pr, "GA", review, values)
    assert again.status_code == 200
    pr.deliver()
    told = [json.dumps(c.args) for c in pr.fake.calls_to("chat.postEphemeral")]
    assert any("nothing changed" in t for t in told)
    assert len(pr.posts("CPR")) == 1


def test_a_line_the_log_refuses_comes_unticked_with_its_reason_and_the_rest_apply(pr):
    """Minutes with a mistyped ref (84/1) and a next meeting already on the calendar: the review
    shows the typo's line unticked with the log's reason, the meeting as no change; Apply makes the
    rest. Ticked again and still wrong, it is refused on its own line and nothing is applied."""
    for line in ("/clerk person SH <@USH0001|sh> Sarah Hill", "/clerk person RH Roger Hirst",
                 "/clerk person CG Chris Garnett", "/meeting add 13/12/2018 10:00"):
        pr.says("GA", line)
    minutes = TABLE_MINUTES + "84/1 | This action can now close. | AH |\n\nDate of next meeting – 13 December 2018\n"
    trigger = pr.fake.trigger()
    pr.slash("GA", "/action minutes", channel="CPR", trigger_id=trigger)
    paste = pr.opened()
    review = view_submission(pr, "GA", paste, {
        "text": {"value": {"type": "plain_text_input", "value": minutes}},
        "board": {"value": {"selected_option": {"value": "P&R"}}},
        "meeting": {"value": {"selected_date": None}}}).json()["view"]
    blocks = {b.get("block_id"): b for b in review["blocks"] if b.get("block_id")}
    commands = {k: b["element"]["initial_value"] for k, b in blocks.items() if k.startswith("c")}
    assert commands["c4"] == "action close 84/1 This action can now close."
    tick = blocks["k4"]["element"]
    assert tick["type"] == "checkboxes" and "initial_options" not in tick  # unticked
    assert "There is no action 84/1" in tick["options"][0]["description"]["text"]
    assert [k for k in blocks if k.startswith("k")] == ["k4"]  # only the refused line
    said = json.dumps(review["blocks"])
    assert "Meeting already scheduled" in said and "no change" in said and "meeting add 13/12/2018" not in said
    assert "from “74/18 | This action can now close. | AH”" in blocks["c0"]["hint"]["text"]

    values = {k: {"command": {"type": "plain_text_input", "value": v}} for k, v in commands.items()}
    values["k4"] = {"include": {"type": "checkboxes", "selected_options": tick["options"]}}  # ticked anyway: refused on its line, nothing applied
    before = log_of(pr)
    refused = view_submission(pr, "GA", review, values).json()
    assert refused["response_action"] == "errors" and list(refused["errors"]) == ["c4"]
    assert "There is no action 84/1" in refused["errors"]["c4"] and log_of(pr) == before

    values["k4"] = {"include": {"type": "checkboxes", "selected_options": []}}  # left unticked: the rest apply
    done = view_submission(pr, "GA", review, values)
    assert done.status_code == 200 and done.text == ""
    after = log_of(pr)
    assert after["74/18"][0] == "closed" and "93/18" in after and "94/18" in after
    posts = [post_text(p) for p in pr.posts("CPR")]
    assert len(posts) == 1 and "4 changes" in posts[0]


BATCH_MINUTES = """P&R Board — minutes of the meeting held on 29 November 2018

1. Action log

74/18 – The paper was circulated. This action can now close.
84/1 – This action can now close.

2. New actions

ACTION: VH to circulate the estates paper by 14 December.

Action 90: A timeline for the DVPO study to be provided to the Board (AH and VH, 27 th January 2019).

ACTION: AH to write to the Chief Constable about Specials funding.

Date of next meeting – 13 December 2018 at 10.00 am
"""


def test_the_refs_a_batch_takes_are_its_own_and_refused_lines_can_be_skipped(pr, tmp_path, capsys):
    """`Action 90` and two unnumbered actions around it, on a log whose next ref is 90/18: the
    numbered one keeps 90/18 and the others take 91/18 and 92/18 (no untrue "already on the log").
    The mistyped 84/1 stops an all-or-nothing apply; --skip-bad applies the rest and names it.
    The next meeting, already on the calendar, is no change."""
    pr.says("GA", "/meeting add 13/12/2018 10:00")
    path = tmp_path / "minutes.txt"
    path.write_text(BATCH_MINUTES, encoding="utf-8")
    before = log_of(pr)
    assert import_minutes(pr.clerk, args(path, apply=True)) == 1
    err = capsys.readouterr().err
    assert "Nothing applied" in err and "84/1" in err and "--skip-bad" in err and "already on the log" not in err
    assert log_of(pr) == before
    assert import_minutes(pr.clerk, args(path, apply=True, skip_bad=True)) == 1
    out, err = capsys.readouterr()
    assert "Left out (1), as --skip-bad asked:" in err and "action close 84/1" in err and "There is no action 84/1" in err
    assert "Meeting already scheduled" not in err and "already meets" not in err
    after = log_of(pr)
    assert after["74/18"][0] == "closed"
    assert after["90/18"][2] == "A timeline for the DVPO study to be provided to the Board"
    assert after["90/18"][3:] == (["AH", "VH"], __import__("datetime").date(2019, 1, 27))
    assert after["91/18"][2].startswith("VH to circulate the estates paper") and after["91/18"][3] == ["VH"]
    assert after["92/18"][2].startswith("AH to write to the Chief Constable") and after["92/18"][3] == ["AH"]
    with pr.clerk.sessions() as s:
        closing = s.scalars(select(ActionEvent.text).join(Action).where(Action.number == 74, ActionEvent.at == pr.clock(),
                                                                        ActionEvent.kind == "status")).all()
    assert closing == ["The paper was circulated. This action can now close. (from the minutes of 29 November 2018)"]


@pytest.mark.parametrize("name, content, says", [
    ("minutes.docx", b"not a word document", "is not a Word .docx document"),
    ("empty.txt", b"   \n", "The minutes are empty"),
    ("other.txt", b"Minutes of the Audit Committee, 4 March 2019\n\n12/19 This action can now close.\n"
                  b"13/19 This action will remain open.\n", "do not look like P&R's"),
    ("long.txt", b"x " * 60_000, "Clerk reads at most 100,000"),
])
def test_minutes_that_cannot_be_read_get_one_message_and_change_nothing(pr, tmp_path, capsys, name, content, says):
    before = log_of(pr)
    path = tmp_path / name
    path.write_bytes(content)
    assert import_minutes(pr.clerk, args(path, apply=True)) == 2
    err = capsys.readouterr().err.strip()
    assert says in err and len(err.splitlines()) == 1
    assert log_of(pr) == before
