"""App Home, as the owner, the chair and the secretary each see it."""
import datetime as dt

import pytest

from render.blocks import MAX_BLOCKS_PER_VIEW, MAX_SECTION_TEXT
from tests.test_action_log import SETUP


@pytest.fixture
def pr(clerk):
    for who, line in SETUP:
        clerk.says(who, line)
    clerk.says("GA", "/meeting add 3 January 2019 10am")
    clerk.says("GA", "/plan add Update on Mobile Policing for 3 January 2019 owner AH")
    clerk.says("GA", "/action new Circulate the Specials funding analysis owner AH due 13/12")  # 1/18
    clerk.says("GA", "/action new Timeline for the DVPO study owner AH and VH")  # 2/18
    clerk.deliver()
    clerk.fake.reset()
    return clerk


def open_home(clerk, user):
    clerk.event({"type": "app_home_opened", "user": user, "channel": "D" + user, "tab": "home",
                 "event_ts": "1.1"})
    clerk.deliver()
    return [c.json("view") for c in clerk.fake.calls_to("views.publish") if c.args["user_id"] == user][-1]


def texts(view):
    return [b["text"]["text"] for b in view["blocks"] if b["type"] in ("section", "header")]


def test_the_owner_sees_their_actions_with_buttons_their_papers_and_the_next_meeting(pr):
    view = open_home(pr, "UAH0001")
    shown = texts(view)
    assert shown[0] == "Clerk — Anna Hook"
    assert shown[1] == "*Your open actions (2)*"
    assert shown[2] == "*1/18* Circulate the Specials funding analysis — due Thu 13 Dec 2018 — open"
    assert shown[3] == "*2/18* Timeline for the DVPO study — AH and VH — no due date — open"
    buttons = [b for b in view["blocks"] if b["type"] == "actions"]
    assert [e["action_id"] for e in buttons[0]["elements"]] == ["open_new_action"]  # not an officer: no plan form
    assert [e["action_id"] for e in buttons[1]["elements"]] == ["action_done", "action_snooze", "action_update"]
    assert buttons[1]["block_id"] == "action-1"
    assert "*Your papers (1)*\n• *FP-1* Update on Mobile Policing — paper deadline Mon 17 Dec 2018" in shown
    assert "*P&amp;R*\nNext meeting: Thu 3 Jan 2019 at 10:00" in shown
    assert not any("open actions ·" in t for t in shown)  # the board's figures are the chair's and secretaries'


def test_the_chair_sees_the_digest_in_brief_and_the_secretary_settings_and_late_papers(pr):
    chair = texts(open_home(pr, "UJG0001"))
    assert any("2 open actions · 0 overdue · 1 due in 14 days — `/action digest`" in t for t in chair)
    assert not any("Settings:" in t for t in chair)
    forms = next(b for b in open_home(pr, "UJG0001")["blocks"] if b["type"] == "actions")
    assert [e["text"]["text"] for e in forms["elements"]] == ["New action", "Add plan item"]
    pr.clock.set("2018-12-18T10:00:00+00:00")  # after FP-1's paper deadline
    secretary = texts(open_home(pr, "UGA0001"))
    assert any("Papers not received: FP-1" in t and "Settings: `/clerk settings board P&amp;R`" in t
               for t in secretary)


def test_a_change_refreshes_the_home_of_those_it_concerns(pr):
    pr.says("GA", "/action close 1/18")
    pr.deliver()
    published = {c.args["user_id"] for c in pr.fake.calls_to("views.publish")}
    assert published == {"UAH0001", "UGA0001"}
    view = [c.json("view") for c in pr.fake.calls_to("views.publish") if c.args["user_id"] == "UAH0001"][-1]
    assert texts(view)[1] == "*Your open actions (1)*"


def test_hundreds_of_actions_stay_within_the_view_limit_most_urgent_first(pr):
    from store.db import unit_of_work
    from store.models import Action, ActionOwner, Board, Person
    with unit_of_work(pr.clerk.sessions) as s:
        board, ah = s.query(Board).one(), s.query(Person).filter_by(initials="AH").one()
        s.add_all(Action(board=board, year=2018, number=100 + n, title=f"Action {n} " + "long " * 100,
                         due=dt.date(2018, 12, 1) + dt.timedelta(days=n % 90), status="open", private=False,
                         raised=dt.date(2018, 11, 1), owner_links=[ActionOwner(person=ah)]) for n in range(500))
    view = open_home(pr, "UAH0001")
    assert len(view["blocks"]) <= MAX_BLOCKS_PER_VIEW
    assert all(len(t) <= MAX_SECTION_TEXT for t in texts(view))
    assert texts(view)[1] == "*Your open actions (502)*"
    assert any(b["type"] == "context" and "… and 482 more, less urgent: `/action list mine`" in b["elements"][0]["text"]
               for b in view["blocks"])
