"""The chair's digest: counts first, overdue oldest first, due soon, the rest; by owner; never cut off."""
import datetime as dt
import re

import pytest

from render.blocks import MAX_BLOCKS_PER_MESSAGE, MAX_SECTION_TEXT
from service.conversation import Speaker
from store import actions as log
from store.db import unit_of_work
from store.models import Action, ActionOwner, Board, Person
from tests.test_action_log import SETUP

NOW = dt.datetime(2018, 11, 29, 10, tzinfo=dt.UTC)


@pytest.fixture
def pr(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    return clerk


def seed(clerk, rows):
    """rows: (title, owner initials, due date or None)."""
    with unit_of_work(clerk.clerk.sessions) as s:
        board = s.query(Board).one()
        people = {p.initials: p for p in s.query(Person) if p.initials}
        if len(rows) < 10:  # through the rules, as a person raising them would
            for title, owner, due in rows:
                log.raise_action(s, board, None, title, [people[owner]], due, False, NOW, dt.date(2018, 11, 1))
            return
        s.add_all(Action(board=board, year=2018, number=n, title=title, due=due, status="open", private=False,
                         raised=dt.date(2018, 11, 1), owner_links=[ActionOwner(person=people[owner])])
                  for n, (title, owner, due) in enumerate(rows, 1))


def test_digest_orders_overdue_oldest_first_then_due_soon_then_the_rest_by_owner(pr):
    seed(pr, [("Decision sheet for virements", "DM", dt.date(2018, 11, 20)),
              ("Communications plan", "GN", dt.date(2018, 10, 30)),
              ("Mobile Policing paper", "AH", dt.date(2018, 12, 10)),
              ("OSG impact analysis", "VH", dt.date(2019, 3, 1)),
              ("DVPO study timeline", "AH", None)])
    pr.says("GA", "/action close 1/18")  # closed actions are not in the digest
    digest = pr.says("JG", "/action digest")
    assert digest.splitlines()[:2] == ["*P&amp;R: 4 open actions*",
                                       "1 overdue + 1 due in the next 14 days + 2 due later or undated = 4"]
    order = [line for line in digest.splitlines() if line.startswith(("*Overdue", "*Due", "*The rest", "_", "•"))]
    assert order == [
        "*Overdue (oldest first) — 1*",
        "• *2/18* Communications plan — GN — was due Tue 30 Oct 2018 (30 days overdue) — open",
        "*Due in the next 14 days — 1*", "• *3/18* Mobile Policing paper — AH — due Mon 10 Dec 2018 — open",
        "*The rest, by owner — 2*", "_AH_", "• *5/18* DVPO study timeline — no due date — open",
        "_VH_", "• *4/18* OSG impact analysis — due Fri 1 Mar 2019 — open"]


def test_overdue_is_oldest_first_whoever_owns_it_and_a_joint_action_is_under_each_owner(pr):
    seed(pr, [("Vetting appeal", "VH", dt.date(2018, 12, 14)), ("Estates review", "AH", dt.date(2018, 11, 20))])
    pr.says("GA", "/action new Joint paper owner AH and VH due 1/3/2019")
    pr.says("GA", "/action new Proposed one owner VH due 2/3/2019")
    pr.says("VH", "/action close 4/18 when the board has seen it")
    pr.clock.set("2019-01-04T10:00:00+00:00")
    digest = pr.says("JG", "/action digest")
    lines = digest.splitlines()
    assert lines[1] == ("2 overdue + 0 due in the next 14 days + 2 due later or undated = 4; "
                        "1 of the 4 await closure (proposed, or when a condition is met)")
    overdue = lines[lines.index("*Overdue (oldest first) — 2*") + 1:][:2]
    assert [shown.split(" — ")[0] for shown in overdue] == ["• *2/18* Estates review", "• *1/18* Vetting appeal"]
    rest = lines[lines.index("*The rest, by owner — 2*") + 1:]
    assert rest == ["_AH_", "• *3/18* Joint paper — due Fri 1 Mar 2019 — open (joint with VH)",
                    "_VH_", "• *3/18* Joint paper — due Fri 1 Mar 2019 — open (joint with AH)",
                    "• *4/18* Proposed one — due Sat 2 Mar 2019 — closing when the board has seen it"]


def test_a_digest_of_5000_actions_is_split_within_block_kit_limits_and_nothing_is_cut(pr):
    owners = ["AH", "VH", "DM", "GN", "JG"]
    seed(pr, [(f"Action number {i} " + "with a long title " * 10, owners[i % 5],
               dt.date(2018, 6, 1) + dt.timedelta(days=i % 400)) for i in range(5000)])
    reply = pr.says("JG", "/action digest")
    assert reply == ("P&amp;R has more than 40 open actions, so its digest is on its way to you as direct "
                     "messages."), reply
    parts = pr.posts("DUJG0001")  # put together by the sender, then sent
    assert len(parts) > 1
    refs = []
    for part in parts:
        assert len(part["blocks"]) <= MAX_BLOCKS_PER_MESSAGE
        for block in part["blocks"]:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= MAX_SECTION_TEXT
                refs += re.findall(r"• \*(\d+/18)\*", block["text"]["text"])
    assert len(refs) == 5000 and len(set(refs)) == 5000
    assert parts[0]["blocks"][0]["elements"][0]["text"].startswith("Digest of P&amp;R's open actions (part 1 of")


def test_a_long_digest_is_put_together_by_the_sender_with_what_the_reader_may_see_and_retried_if_that_fails(pr):
    """Over DIGEST_IN_REPLY open actions the reply comes at once and the sender puts the digest
    together (off the request's path); a failure there keeps the digest owed, and the reader's
    Part B rights are those at the moment it is put together."""
    from service.actions import DIGEST_IN_REPLY
    from store.models import OutboxMessage

    n = DIGEST_IN_REPLY + 5
    seed(pr, [(f"Item {i}", "AH" if i % 2 else "DM", dt.date(2018, 12, 1) + dt.timedelta(days=i)) for i in range(n)])
    with unit_of_work(pr.clerk.sessions) as s:
        secret = s.query(Action).filter_by(number=3).one()
        secret.private, secret.title = True, "Part B: the chief constable's contract, marker X9Q"
    reply = pr.says("VH", "/action digest")
    assert reply == (f"P&amp;R has more than {DIGEST_IN_REPLY} open actions, so its digest is on its way to you as "
                     "direct messages.")

    sender, calls = pr.clerk.sender, []
    together = sender.put_together

    def fails_once(*args):
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return together(*args)

    sender.put_together = fails_once
    pr.deliver()
    assert pr.fake.posts("DUVH0001") == []  # nothing half-sent
    with pr.clerk.sessions() as s:
        row = s.query(OutboxMessage).filter_by(kind="digest").one()
        board_id = str(s.query(Board).one().id)
        assert (row.status, row.last_error, row.channel, row.target) == ("pending", "RuntimeError", "UVH0001", board_id)
    pr.clock.now = row.not_before + dt.timedelta(seconds=1)
    parts = pr.posts("DUVH0001")
    shown = "\n".join(b["text"]["text"] for p in parts for b in p["blocks"] if b["type"] == "section")
    assert calls == [("digest", "UVH0001", board_id)] * 2
    assert shown.startswith(f"*P&amp;R: {n} open actions*")
    assert "X9Q" not in shown and "1 Part B action (text not shown here)" in shown
    assert len(re.findall(r"• \*(\d+/18)\*", shown)) == n - 1
    with pr.clerk.sessions() as s:
        assert s.query(OutboxMessage).filter_by(kind="digest").one().status == "sent"
    pr.fake.reset()
    pr.deliver()
    assert pr.fake.posts("DUVH0001") == []  # once


def test_the_console_prints_a_long_digest_whole_and_owes_nothing(pr):
    from store.models import OutboxMessage

    seed(pr, [(f"Item {i}", "AH", dt.date(2018, 12, 1)) for i in range(62)])
    console = pr.clerk.conversation.handle("action digest", Speaker(user_id="console", surface="console",
                                                                   initials="JG"))
    assert console.plain.startswith("P&R: 62 open actions")
    assert len(re.findall(r"• (\d+/18) ", console.plain)) == 62
    with pr.clerk.sessions() as s:
        assert s.query(OutboxMessage).filter_by(kind="digest").count() == 0


def test_a_digest_of_exactly_the_limit_is_answered_in_the_reply(pr):
    from service.actions import DIGEST_IN_REPLY

    seed(pr, [(f"Item {i}", "AH", dt.date(2018, 12, 1)) for i in range(DIGEST_IN_REPLY)])
    assert pr.says("JG", "/action digest").startswith(f"*P&amp;R: {DIGEST_IN_REPLY} open actions*")
    pr.says("GA", "/action new One more owner AH")
    assert "so its digest is on its way to you as direct messages" in pr.says("JG", "/action digest")


def test_a_long_digest_shows_what_the_reader_may_see_when_it_is_put_together_and_a_replay_owes_it_once(pr):
    from service.actions import DIGEST_IN_REPLY
    from store.models import OutboxMessage

    seed(pr, [(f"Item {i}", "DM", dt.date(2018, 12, 1)) for i in range(DIGEST_IN_REPLY + 1)])
    with unit_of_work(pr.clerk.sessions) as s:
        secret = s.query(Action).filter_by(number=2).one()
        secret.private, secret.title = True, "Part B: estates disposal, marker K7W"
    trigger = pr.fake.trigger()
    first = pr.slash("VH", "/action digest", trigger_id=trigger).json()["text"]
    again = pr.slash("VH", "/action digest", trigger_id=trigger).json()["text"]  # Slack sent it twice
    assert "so its digest is on its way to you as direct messages" in first
    assert again.startswith("That command was already done")
    with unit_of_work(pr.clerk.sessions) as s:  # before it is put together, VH comes to own the Part B item
        assert s.query(OutboxMessage).filter_by(kind="digest").count() == 1
        vh = s.query(Person).filter_by(initials="VH").one()
        s.add(ActionOwner(action_id=s.query(Action).filter_by(number=2).one().id, person_id=vh.id, position=1))
    shown = "\n".join(b["text"]["text"] for p in pr.posts("DUVH0001") for b in p["blocks"] if b["type"] == "section")
    assert "K7W" in shown and "text not shown here" not in shown
    assert shown.count("*P&amp;R: ") == 1  # one digest
