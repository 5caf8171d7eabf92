"""Part B never leaks: Part B items carry marker words in everything typed about them (title,
update, closing note, condition, drop reason), and every verb, form, button, job, App Home and
export is driven. No marker may reach the public board channel, a DM, ephemeral message or App Home
of someone not entitled (only the owners, the chair and the secretaries are), or a publishing export
(md, docx). Data exports (csv, xlsx) keep everything, with the private column. SQLite and PostgreSQL."""
import datetime as dt
import json
import re

import pytest

from jobs.runner import run_job
from tests.harness import post_text
from tests.test_action_log import SETUP
from tests.test_live_messages import button

MARK = re.compile(r"SECRET\w+")
ENTITLED = {"UAH0001", "UJG0001", "UGA0001"}  # AH owns the Part B items; JG chairs; GA is the secretary
NOT_ENTITLED = {"UVH0001", "UDM0001", "UOB0001"}


def at(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso)


@pytest.fixture
def world(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.fake.set_channel("CPR", is_private=False, name="pr-board")
    clerk.says("GA", "/clerk board Audit secretary + <@UGA0001|ga>")
    clerk.says("GA", "/clerk person OB <@UOB0001|ob> Olive Brown board Audit")
    clerk.says("GA", "/meeting add 20 December 2018 10am board P&R")
    return clerk


def audience(call) -> tuple[str, str | None]:
    """Who reads what this call sent: ("channel", id), ("user", id)."""
    a = call.args
    if call.method == "views.publish":
        return "user", a.get("user_id")
    if call.method == "chat.postEphemeral":
        return "user", a.get("user")
    if call.method == "response_url":
        return "user", None  # an ephemeral message: who pressed is checked at the press
    channel = a.get("channel", "")
    return ("user", channel[1:]) if channel.startswith("D") else ("channel", channel)


def sent_text(call) -> str:
    a = call.args
    return json.dumps({k: a.get(k) for k in ("text", "blocks", "view")}, ensure_ascii=False)


def leaks(clerk) -> list[str]:
    found = []
    for call in clerk.fake.calls:
        if call.method not in ("chat.postMessage", "chat.update", "chat.postEphemeral", "views.publish") or not call.ok:
            continue
        kind, who = audience(call)
        markers = MARK.findall(sent_text(call))
        if markers and (kind == "channel" or who not in ENTITLED):
            found.append(f"{call.method} to {kind} {who}: {sorted(set(markers))}")
    return found


def test_no_part_b_text_reaches_anyone_not_entitled(world, tmp_path):
    pr = world
    # every verb on Part B items, by people entitled to them: posts go to a public channel
    pr.says("GA", "/action new SECRETtitle vetting appeal owner AH due 13/12 private", channel="CPR")  # 1/18
    pr.says("GA", "/action new Part B – SECRETjuno evaluation owner AH due 14/12")  # 2/18: private by its title
    pr.says("AH", "/action update 1/18 SECRETupdate seen by counsel")
    pr.says("AH", "/action close 2/18 when SECRETcondition is met")
    pr.says("GA", "/action due 1/18 18/12")
    pr.says("GA", "/action assign 1/18 + JG")
    pr.says("GA", "/action new SECRETthird appeal owner AH due 21/12 confidential")  # 3/18
    pr.says("AH", "/action close 3/18 SECRETnote done")
    pr.says("GA", "/action reopen 3/18 SECRETreopen not yet")
    pr.says("JG", "/action confirm 2/18")
    pr.says("GA", "/plan add SECRETpaper on vetting for 20 December 2018 owner AH private")  # FP-1
    pr.says("GA", "/plan add SECRETsecond paper for tbc owner AH private")  # FP-2
    pr.says("AH", "/plan move FP-2 to 20 December 2018")
    pr.says("AH", "/plan drop FP-2 SECRETreason withdrawn")
    pr.says("AH", "/plan received FP-1")
    pr.deliver()
    # what the others see when they ask
    for who in ("VH", "DM", "OB"):
        for line in ("/action list", "/action list all", "/action list overdue", "/action digest board P&R",
                     "/plan list all board P&R", "/action show 1/18", "/action list AH", "/clerk person AH"):
            reply = pr.says(who, line)
            assert not MARK.search(reply), (who, line, reply)
    pr.dm("VH", "action list all")
    pr.mentions("VH", "action digest", channel="CPR")
    # a press on the Part B card in the public channel by someone not entitled is refused; the card stays public
    card = next(m for m in pr.fake.messages("CPR") if "(Part B) raised" in m["text"] and "1/18" in m["text"])
    pr.press("VH", button(card, "Mark done"), message=card, channel="CPR")
    pr.press("AH", button(card, "Add update"), message=card, channel="CPR", trigger=pr.fake.trigger())
    # forms: a Part B action raised from the form by someone on the board
    pr.slash("DM", "/action new", channel="CPR")
    pr.submit("DM", pr.opened(), {"title": {"type": "plain_text_input", "value": "SECRETform item"},
                                  "owners": {"selected_users": ["UAH0001"]},
                                  "board": {"selected_option": {"value": "P&R"}},
                                  "private": {"selected_options": [{"value": "private"}]}})
    # the jobs, at times when each has something to send
    for job, iso in (("action-reminders", "2018-12-11T10:00:00+00:00"), ("paper-deadlines", "2018-12-04T10:00:00+00:00"),
                     ("paper-deadlines", "2018-12-07T10:00:00+00:00"), ("chair-digest", "2018-12-10T09:30:00+00:00"),
                     ("meeting-pack", "2018-12-12T09:30:00+00:00")):
        pr.clock.set(iso)
        run_job(pr.clerk, job, at(iso))
    # App Home of everyone
    for user in ENTITLED | NOT_ENTITLED:
        pr.event({"type": "app_home_opened", "user": user, "channel": "D" + user, "tab": "home", "event_ts": "1.1"})
    pr.deliver()

    assert leaks(pr) == []
    # the entitled do see their Part B text, so the markers were there to leak
    assert MARK.search(pr.says("AH", "/action show 1/18")) and MARK.search(pr.says("JG", "/action digest"))
    assert any(MARK.search(sent_text(c)) for c in pr.fake.calls_to("views.publish") if c.args.get("user_id") == "UAH0001")
    assert any(MARK.search(post_text(p)) for p in pr.fake.posts("DUJG0001"))  # the chair's weekly digest
    pack = [post_text(p) for p in pr.fake.posts("CPR") if "Action log for the" in post_text(p)]
    assert pack and not any(MARK.search(t) for t in pack)

    # publishing exports leave Part B out unless asked; data exports keep it, marked private
    from bot import main
    env_db = pr.settings.DATABASE_URL
    import os
    os.environ["DATABASE_URL"] = env_db
    try:
        for fmt in ("md", "docx"):
            out = tmp_path / f"log.{fmt}"
            assert main(["export", "actions", "--board", "P&R", "--format", fmt, "--output", str(out)]) == 0
            assert not MARK.search(_text_of(out)), fmt
            assert main(["export", "plan", "--board", "P&R", "--format", fmt, "--output", str(out)]) == 0
            assert not MARK.search(_text_of(out)), fmt
        out = tmp_path / "log-all.md"
        assert main(["export", "actions", "--board", "P&R", "--format", "md", "--include-private", "--output", str(out)]) == 0
        assert MARK.search(out.read_text())
        out = tmp_path / "log.csv"
        assert main(["export", "actions", "--board", "P&R", "--format", "csv", "--output", str(out)]) == 0
        assert MARK.search(out.read_text()) and ",yes" in out.read_text()
    finally:
        del os.environ["DATABASE_URL"]


def _text_of(path) -> str:
    if path.suffix == ".docx":
        from docx import Document
        doc = Document(str(path))
        return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    return path.read_text()


def test_a_part_b_action_said_anywhere_among_the_clauses_is_private(world):
    for line in ("/action new Vetting appeal private owner AH due 14/12", "/action new Vetting appeal 2 owner AH private due 14/12",
                 "/action new Vetting appeal 3 (Part B) owner AH", "/action new Vetting appeal 4 owner AH due 14/12 confidential"):
        reply = world.says("GA", line, channel="CPR")
        assert "Part B (private)" in reply, (line, reply)
    world.deliver()
    assert all("Vetting" not in post_text(p) for p in world.fake.posts("CPR"))
    assert "Part B" in world.says("GA", "/plan add Vetting review private for tbc owner AH", channel="CPR")
    assert "Vetting review" not in post_text(world.fake.posts("CPR")[-1])


def test_csv_cells_a_spreadsheet_would_run_are_written_as_text_and_read_back_as_typed(world, tmp_path):
    world.says("GA", '/action new =HYPERLINK("http://evil";"x") owner AH', channel="CPR")
    world.says("GA", "/action new +44 call list owner AH", channel="CPR")
    world.says("GA", "/action new -1 budget line owner AH", channel="CPR")
    import os

    from bot import main
    os.environ["DATABASE_URL"] = world.settings.DATABASE_URL
    try:
        out = tmp_path / "log.csv"
        assert main(["export", "actions", "--board", "P&R", "--format", "csv", "--output", str(out)]) == 0
        text = out.read_text(encoding="utf-8-sig")
        assert "'=HYPERLINK" in text and ",'+44 call list," in text and ",'-1 budget line," in text
        from exchange.tables import read_table
        titles = [row[1] for row in read_table(out)[1:]]
        assert titles == ['=HYPERLINK("http://evil";"x")', "+44 call list", "-1 budget line"]
    finally:
        del os.environ["DATABASE_URL"]
