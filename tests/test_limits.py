"""Block Kit limits with a log of 5,000 actions: every view and message Clerk sends stays within them.

One world per database (built once for the module): the P&R board, 5,000 actions (most owned by AH,
some by several people, about one in nine Part B, overdue, due soon, later, some closed, some
awaiting closure, long titles full of & < >, some with long updates), seven meetings and 200 papers.
Every surface is then driven once, at fixed instants, and each test below checks what a person sees
on one surface. The fake Slack Web API refuses whatever real Slack would (tests/blockkit.py); the
last tests say so explicitly, with the block counts.

    Thu 29 Nov 2018 10:00  slash lists, digest, plan, meetings; App Home of AH, JG, GA; the forms;
                           action-reminders and chair-digest; 11:00 Mark done on a reminder DM
    Mon 10 Dec 2018 10:00  paper-deadlines (five working days before the 17 Dec paper deadline)
    Tue 18 Dec 2018 10:00  paper-deadlines (papers not received); GA's App Home again
    Fri 21 Dec 2018 10:00  meeting-pack (publication day of the 3 Jan 2019 meeting)

The last test stands alone (its own small log): a long closing condition in the one-line views.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import insert, select

from jobs.runner import run_job
from store import plan as forward_plan
from store.db import unit_of_work
from store.models import CLOSED, CLOSING_WHEN, OPEN, PROPOSED, Action, ActionEvent, ActionOwner, Board, Meeting, Person
from tests import slackreq
from tests.blockkit import MESSAGE_MAX_BLOCKS, VIEW_MAX_BLOCKS, problems
from tests.databases import new_postgres_database
from tests.fakeslack import MESSAGE_MAX_BLOCK_TEXT, FakeSlack, message_block_text
from tests.harness import SECRET, ClerkUnderTest, block_text
from tests.test_action_log import SETUP

N_ACTIONS = 5000
N_PAPERS = 200  # the issue: "a 200-paper pack arrives whole"
OPEN_STATES = (OPEN, PROPOSED, CLOSING_WHEN)
T0 = "2018-11-29T10:00:00+00:00"  # a Thursday
TODAY = dt.date(2018, 11, 29)
USER = {"AH": "UAH0001", "JG": "UJG0001", "GA": "UGA0001", "VH": "UVH0001", "DM": "UDM0001"}

TOPICS = ["Circulate the Specials funding analysis", "Timeline for the DVPO study", "Send the Communications plan",
          "Update on Mobile Policing", "OSG impact analysis", "Decision sheet for virements",
          "Home Office Serious Violence Strategy response", "Crime Prevention Strategy action plan"]
LONG = ("Review of the R&D <draft v2> budget & the A&E \"winter pressures\" plan for P&R, with the OSG's "
        "> 30% uplift; ")
DENSE = "A&E <-> R&D & "
CONDITION = "the Home Office confirms the R&D <grant> allocation for 2019/20 & the PCC signs it off"
REF = re.compile(r"\*(\d+/18)\*")
BULLET_REF = re.compile(r"• \*(\d+/18)\*")
FP_REF = re.compile(r"\*(FP-\d+)\*")
PART = re.compile(r"^(?P<title>.*) \(part (?P<n>\d+) of (?P<of>\d+)\)$")


# -- the log ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """One seeded action, as the test knows it (the expectations are computed from these)."""

    number: int
    title: str
    owners: tuple[str, ...]
    due: dt.date | None
    status: str
    private: bool
    raised: dt.date
    closed: dt.date | None
    condition: str | None
    update: str | None

    @property
    def ref(self) -> str:
        return f"{self.number}/18"

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATES

    def overdue(self, today: dt.date) -> bool:
        return self.open and self.due is not None and self.due < today

    @property
    def marker(self) -> str | None:
        """Text found only in this Part B action's title."""
        return f"Juno {self.number}:" if self.private else None


def owners_of(i: int) -> tuple[str, ...]:
    if i % 100 == 66:
        return ("AH", "VH", "DM")
    k = i % 10
    if k <= 5:
        return ("AH",)
    if k == 6:
        return ("AH", "VH")
    if k == 7:
        return ("VH",)
    if k == 8:
        return ("GN",) if i % 20 == 8 else ("GN", "DM")
    return (("DM",), ("JG",), ("GA",))[(i // 10) % 3]


def row(i: int) -> Row:
    k = (i * 7) % 20
    status = CLOSED if k in (0, 1) else PROPOSED if k == 2 else CLOSING_WHEN if k == 3 and i % 2 else OPEN
    private = i % 9 == 4
    if i % 997 == 0:
        title = f"Dense {i}: " + DENSE * 40
    elif i % 17 == 0:
        title = f"Long {i}: " + LONG * 4
    else:
        title = f"{TOPICS[i % len(TOPICS)]} (item {i})"
    if private:
        title = f"Juno {i}: {title}"
    update = None
    if i % 343 == 0:
        update = f"Long update {i}: " + ("Met the OSG & the PCC's office <Friday>; R&D > A&E on cost. " * 40)
    elif i % 7 == 0:
        update = f"Letter sent to the OSG & the PCC's office <ref {i}>"
    return Row(number=i, title=title[:500].strip(), owners=owners_of(i),
               due=None if i % 13 == 5 else dt.date(2018, 6, 1) + dt.timedelta(days=(i * 37) % 400),
               status=status, private=private, raised=dt.date(2018, 1, 2) + dt.timedelta(days=(i * 13) % 331),
               closed=dt.date(2018, 11, 28) - dt.timedelta(days=(i * 11) % 90) if status == CLOSED else None,
               condition=CONDITION if status == CLOSING_WHEN else None, update=update)


@dataclass(frozen=True)
class Paper:
    number: int
    title: str
    owners: tuple[str, ...]
    meeting: dt.date | None  # None: TBC
    private: bool

    @property
    def ref(self) -> str:
        return f"FP-{self.number}"


def paper(n: int) -> Paper:
    meeting = dt.date(2019, 1, 3) if n <= 100 else dt.date(2019, 2, 7) if n <= 130 else None
    owners = ("GN",) if n % 5 == 0 else ("AH", "VH") if n % 5 == 1 else ("AH",)
    title = f"Paper {n}: " + (LONG * 4 if n % 6 == 0 else TOPICS[n % len(TOPICS)])
    return Paper(n, title[:500].strip(), owners, meeting, n % 10 == 7)


# -- driving Slack -----------------------------------------------------------------------------------

def interact(clerk: ClerkUnderTest, payload: dict):
    payload = {"team": {"id": "T0001"}, "api_app_id": "A0001", "token": "legacy", **payload}
    resp = slackreq.interaction(clerk.events_url, SECRET, payload)
    assert resp.status_code == 200, resp.text
    return resp


def home_button(clerk: ClerkUnderTest, user: str, action_id: str, trigger: str):
    return interact(clerk, {
        "type": "block_actions", "user": {"id": user, "name": user.lower()}, "trigger_id": trigger,
        "container": {"type": "view", "view_id": "VHOME"}, "view": {"id": "VHOME", "type": "home"},
        "actions": [{"type": "button", "action_id": action_id, "block_id": "forms", "value": "new",
                     "action_ts": f"{trigger}.1"}]})


def open_home(clerk: ClerkUnderTest, user: str) -> None:
    clerk.event({"type": "app_home_opened", "user": user, "channel": "D" + user, "tab": "home", "event_ts": "1.1"})


def message_of(call) -> dict:
    """A chat.* call as the message it posted (or became)."""
    return {"channel": call.args.get("channel"), "ts": (call.response or {}).get("ts") or call.args.get("ts"),
            "text": call.args.get("text", ""), "blocks": call.json("blocks") or []}


def section_texts(blocks) -> list[str]:
    return [b["text"]["text"] for b in blocks if b.get("type") == "section" and "text" in b]


class World:
    """The board with its 5,000 actions, and what each surface sent while it was driven."""

    def __init__(self, clerk: ClerkUnderTest):
        self.clerk, self.fake = clerk, clerk.fake
        self.rows = [row(i) for i in range(1, N_ACTIONS + 1)]
        self.papers = [paper(n) for n in range(1, N_PAPERS + 1)]
        self.calls: dict[str, list] = {}  # surface -> the fake calls made while it was driven
        self.replies: dict[str, object] = {}  # surface -> the ephemeral reply text (forms: status, body)
        self.owed: dict[str, list] = {}  # job -> what run_job owed
        self.expect: dict[str, object] = {}
        self.ref_of: dict[int, str] = {}  # action id -> ref

    @contextlib.contextmanager
    def surface(self, name: str):
        start = len(self.fake.calls)
        yield
        self.clerk.deliver()
        self.calls[name] = list(self.fake.calls[start:])

    def says(self, name: str, who: str, line: str, **kw) -> None:
        with self.surface(name):
            self.replies[name] = self.clerk.says(who, line, **kw)

    def job(self, name: str, job: str, iso: str) -> None:
        self.clerk.clock.set(iso)
        with self.surface(name):
            self.owed[name] = run_job(self.clerk.clerk, job, dt.datetime.fromisoformat(iso))

    # what a surface sent

    def messages(self, name: str, channel: str | None = None, method: str = "chat.postMessage") -> list[dict]:
        return [message_of(c) for c in self.calls[name]
                if c.method == method and c.ok and (channel is None or c.args.get("channel") == channel)]

    def views(self, name: str, method: str) -> list[dict]:
        return [c.json("view") for c in self.calls[name] if c.method == method and c.ok]

    def home(self, name: str, user: str) -> dict:
        published = [c.json("view") for c in self.calls[name] if c.method == "views.publish" and c.ok
                     and c.args.get("user_id") == user]
        assert published, f"{name}: no App Home published for {user}; calls: {[c.method for c in self.calls[name]]}"
        return published[-1]

    # -- building ---------------------------------------------------------------------------------

    def build(self) -> None:
        clerk = self.clerk
        for who, line in SETUP:
            clerk.says(who, line)
        self.fake.set_channel("CPR", is_private=False, name="pr-board")  # Part B text must not show there
        clerk.says("GA", "/meeting add 3 January 2019 10am")
        clerk.says("GA", "/meeting add first Thursday of every month from February 2019 until July 2019")
        now = clerk.clock()
        with unit_of_work(clerk.clerk.sessions) as s:  # in bulk: three INSERTs of many rows
            board_id = s.scalar(select(Board.id))
            person = dict(s.execute(select(Person.initials, Person.id).where(Person.initials.is_not(None))).all())
            s.execute(insert(Action), [
                {"board_id": board_id, "year": 2018, "number": r.number, "title": r.title, "due": r.due,
                 "status": r.status, "private": r.private, "raised": r.raised, "closed": r.closed,
                 "closing_condition": r.condition} for r in self.rows])
            action_id = dict(s.execute(select(Action.number, Action.id)).all())
            s.execute(insert(ActionOwner), [{"action_id": action_id[r.number], "person_id": person[o], "position": k}
                                            for r in self.rows for k, o in enumerate(r.owners)])
            s.execute(insert(ActionEvent), [
                {"action_id": action_id[r.number], "at": now, "dated": dt.date(2018, 11, 20),
                 "person_id": person[r.owners[0]], "kind": "update", "text": r.update} for r in self.rows if r.update])
        with unit_of_work(clerk.clerk.sessions) as s:
            board = s.query(Board).one()
            people = {p.initials: p for p in s.query(Person) if p.initials}
            meetings = {m.day: m for m in s.query(Meeting)}
            for p in self.papers:
                place = forward_plan.Place(meeting=meetings.get(p.meeting))
                item = forward_plan.add(s, board, people["GA"], p.title, place, [people[o] for o in p.owners], None,
                                        p.private, now)
                assert item.ref == p.ref
            self.ref_of = {a.id: a.ref for a in s.query(Action)}
        assert len(self.ref_of) == N_ACTIONS
        clerk.deliver()
        assert not refusals(self.fake.calls), refusals(self.fake.calls)
        self.fake.reset()

    # -- driving every surface --------------------------------------------------------------------

    def drive(self) -> None:
        clerk = self.clerk
        # Thu 29 Nov 2018 10:00: what people type
        self.says("list all", "GA", "/action list all")
        self.says("list mine", "AH", "/action list mine")
        self.says("list overdue", "VH", "/action list overdue")
        self.says("digest", "JG", "/action digest")
        self.says("plan list", "GA", "/plan list all")
        self.says("meeting list", "AH", "/meeting list")
        # App Home
        for who in ("AH", "JG", "GA"):
            with self.surface(f"home {who}"):
                open_home(clerk, USER[who])
        # the forms
        for name, line, channel in (("form /action new", "/action new", "CPR"), ("form /plan add", "/plan add", None)):
            with self.surface(name):
                resp = clerk.slash("GA", line, **({"channel": channel} if channel else {}))
                self.replies[name] = (resp.status_code, resp.text)  # read now: an unread body holds the connection
        with self.surface("form home buttons"):
            self.triggers = [self.fake.trigger() for _ in range(3)]
            home_button(clerk, USER["AH"], "open_new_action", self.triggers[0])
            home_button(clerk, USER["JG"], "open_new_action", self.triggers[1])
            home_button(clerk, USER["JG"], "open_plan_item", self.triggers[2])
        with self.surface("form shortcut"):
            text = "Can <@UAH0001> send " + ("the R&amp;D &lt;draft&gt; &amp; the A&amp;E plan to <#CPR|pr-board>, "
                                             * 60)
            self.fake.seed_message("CPR", text, user=USER["JG"], ts="1543485600.000200")
            interact(clerk, {"type": "message_action", "callback_id": "make_action", "trigger_id": self.fake.trigger(),
                             "user": {"id": USER["GA"], "name": "ga"}, "channel": {"id": "CPR", "name": "pr-board"},
                             "message_ts": "1543485600.000200", "response_url": self.fake.response_url("sc"),
                             "message": {"type": "message", "user": USER["JG"], "ts": "1543485600.000200",
                                         "text": text}})
        # the jobs, and a press on what they sent
        self.job("action-reminders", "action-reminders", T0)
        self.job("chair-digest", "chair-digest", T0)
        self._press_mark_done()
        self.job("paper-deadlines warn", "paper-deadlines", "2018-12-10T10:00:00+00:00")
        self.job("paper-deadlines late", "paper-deadlines", "2018-12-18T10:00:00+00:00")
        with self.surface("home GA late papers"):
            open_home(clerk, USER["GA"])
        self.job("meeting-pack", "meeting-pack", "2018-12-21T10:00:00+00:00")

    def _press_mark_done(self) -> None:
        """AH presses Mark done on the first action of their first reminder DM, as Slack sends it."""
        self.clerk.clock.set("2018-11-29T11:00:00+00:00")
        first = self.messages("action-reminders", "DUAH0001")[0]
        buttons = next(b for b in first["blocks"] if b["type"] == "actions"
                       and b["elements"][0]["action_id"] == "action_done")
        value = buttons["elements"][0]["value"]
        self.expect["pressed"] = self.ref_of[int(value)]
        self.expect["pressed message"] = first
        message = {"type": "message", "user": "UCLERKBOT", "bot_id": "BCLERK", "ts": first["ts"],
                   "text": first["text"], "blocks": first["blocks"]}
        with self.surface("press"):
            interact(self.clerk, {
                "type": "block_actions", "user": {"id": USER["AH"], "name": "ah"}, "trigger_id": "trig.press",
                "container": {"type": "message", "message_ts": first["ts"], "channel_id": first["channel"],
                              "is_ephemeral": False},
                "channel": {"id": first["channel"]}, "message": message,
                "response_url": self.fake.response_url("press"),
                "actions": [{"type": "button", "action_id": "action_done", "value": value,
                             "block_id": buttons["block_id"], "action_ts": "1543489200.000001"}]})


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def world(request, tmp_path_factory):
    with contextlib.ExitStack() as stack:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('limits')}/clerk.db"
        else:
            url = stack.enter_context(new_postgres_database())
        fake = stack.enter_context(FakeSlack())
        clerk = stack.enter_context(ClerkUnderTest(url, fake))
        w = World(clerk)
        w.build()
        w.drive()
        yield w
        assert not refusals(fake.calls), f"Slack would refuse: {refusals(fake.calls)}"  # as conftest's fake_slack


def refusals(calls) -> list:
    return [(c.method, c.response["errors"]) for c in calls if c.response and c.response.get("errors")]


# -- helpers for what people read -------------------------------------------------------------------

def parts(messages: list[dict], title: str | None) -> list[dict]:
    """The parts of one long reply (titled `title`; None: the only one), in order; every part from 1 to N
    must be there, once."""
    found = {}
    total = set()
    titles = set()
    for m in messages:
        first = m["blocks"][0] if m["blocks"] else {}
        if first.get("type") != "context":
            continue
        match = PART.match(first["elements"][0]["text"])
        if match and (title is None or match["title"] == title):
            titles.add(match["title"])
            found.setdefault(int(match["n"]), []).append(m)
            total.add(int(match["of"]))
    assert len(titles) == 1, f"{title!r}: parts of {sorted(titles)} among {len(messages)} messages"
    assert len(total) == 1, f"{title!r}: parts disagree on how many there are: {sorted(total)}"
    n = total.pop()
    assert sorted(found) == list(range(1, n + 1)), f"{title!r}: parts {sorted(found)} of {n} arrived"
    assert all(len(v) == 1 for v in found.values()), f"{title!r}: a part arrived twice"
    return [found[i][0] for i in range(1, n + 1)]


def refs_in(messages: list[dict], pattern=BULLET_REF) -> list[str]:
    return [ref for m in messages for t in section_texts(m["blocks"]) for ref in pattern.findall(t)]


def everything_shown(messages: list[dict]) -> str:
    return "\n".join(t for m in messages for t in map(block_text, m["blocks"]) if t)


def long_reply(world: World, name: str, user: str, title: str) -> list[dict]:
    reply = world.replies[name]
    assert re.search(r"That is \d+ messages long, so I've sent it to you as a direct message\.", reply), reply
    return parts(world.messages(name, "D" + user), title)


# -- slash commands -----------------------------------------------------------------------------------

def test_action_list_all_reaches_the_secretary_in_parts_with_every_action(world):
    got = long_reply(world, "list all", "UGA0001", "All actions on P&amp;R")
    refs = refs_in(got)
    assert sorted(refs) == sorted(r.ref for r in world.rows)  # the secretary sees Part B too, closed ones too
    shown = everything_shown(got)
    assert "*17/18* Long 17: Review of the R&amp;D &lt;draft v2&gt; budget &amp; the A&amp;E" in shown
    assert "closing when the Home Office confirms the R&amp;D &lt;grant&gt; allocation" in shown


def test_action_list_mine_gives_the_owner_of_thousands_all_of_theirs(world):
    got = long_reply(world, "list mine", "UAH0001", "Your open actions")
    mine = [r.ref for r in world.rows if r.open and "AH" in r.owners]
    assert len(mine) > 2500
    assert sorted(refs_in(got)) == sorted(mine)
    assert f"*Your open actions ({len(mine)})*" in section_texts(got[0]["blocks"])[0]


def test_action_list_overdue_hides_part_b_text_from_who_may_not_see_it(world):
    overdue = [r for r in world.rows if r.overdue(TODAY)]
    visible = [r for r in overdue if not r.private or "VH" in r.owners]
    hidden = len(overdue) - len(visible)
    got = long_reply(world, "list overdue", "UVH0001", "Overdue actions on P&amp;R")
    assert sorted(refs_in(got)) == sorted(r.ref for r in visible)
    shown = everything_shown(got)
    assert f"… and {hidden} Part B actions not shown here." in shown
    leaked = [r.ref for r in overdue if r.private and "VH" not in r.owners and r.marker in shown]
    assert not leaked, f"Part B titles shown to VH: {leaked[:10]}"


def test_the_chairs_digest_is_split_and_lists_every_open_action(world):
    # answered at once (the sender puts the digest together), then the parts in the chair's DMs
    assert world.replies["digest"] == ("P&amp;R has more than 40 open actions, so its digest is on its way to you "
                                       "as direct messages."), world.replies["digest"]
    got = parts(world.messages("digest", "DUJG0001"), "Digest of P&amp;R's open actions")
    open_refs = [r.ref for r in world.rows if r.open]
    assert set(refs_in(got)) == set(open_refs)  # every one (a joint one under each of its owners)
    late = sum(r.overdue(TODAY) for r in world.rows)
    counts = f"*P&amp;R: {len(open_refs)} open actions*\n{late} overdue + "
    assert section_texts(got[0]["blocks"])[0].startswith(counts)


def test_plan_list_all_shows_every_paper(world):
    reply = world.replies["plan list"]
    if "sent it to you as a direct message" in reply:
        shown = everything_shown(parts(world.messages("plan list", "DUGA0001"), None))
    else:
        shown = reply
    assert sorted(set(FP_REF.findall(shown)), key=lambda r: int(r[3:])) == [p.ref for p in world.papers]
    assert "*Thu 3 Jan 2019 at 10:00* — papers by Mon 17 Dec 2018, pack published Fri 21 Dec 2018" in shown
    assert "*TBC* — added once a date is identified" in shown


def test_meeting_list(world):
    reply = world.replies["meeting list"]
    assert reply.startswith("*P&amp;R: coming meetings*")
    assert reply.count("• ") == 7 and "Thu 4 Jul 2019" in reply


# -- App Home -------------------------------------------------------------------------------------------

def home_texts(view: dict) -> list[str]:
    return [t for t in map(block_text, view["blocks"]) if t]


def test_app_home_of_the_owner_of_thousands(world):
    view = world.home("home AH", "UAH0001")
    shown = home_texts(view)
    mine = [r for r in world.rows if r.open and "AH" in r.owners]
    assert shown[0] == "Clerk — Anna Hook"
    assert shown[1] == f"*Your open actions ({len(mine)})*"
    oldest = min((r for r in mine if r.overdue(TODAY)), key=lambda r: (r.due, r.number))
    assert shown[2].startswith(f"*{oldest.ref}* ")  # most urgent first
    assert f"… and {len(mine) - 20} more, less urgent: `/action list mine`" in shown
    papers = [p for p in world.papers if "AH" in p.owners]
    assert any(t.startswith(f"*Your papers ({len(papers)})*") for t in shown)
    assert f"… and {len(papers) - 30} more: `/plan list`" in "\n".join(shown)
    assert sum(b["type"] == "actions" and b.get("block_id", "").startswith("action-") for b in view["blocks"]) == 20


def test_app_home_of_the_chair_and_the_secretary(world):
    open_rows = [r for r in world.rows if r.open]
    late = sum(r.overdue(TODAY) for r in open_rows)
    soon = sum(1 for r in open_rows if r.due and TODAY <= r.due <= TODAY + dt.timedelta(days=14))
    chair = home_texts(world.home("home JG", "UJG0001"))
    assert chair[0] == "Clerk — Jane Gardner"
    assert any(f"{len(open_rows)} open actions · {late} overdue · {soon} due in 14 days — `/action digest`" in t
               for t in chair)
    secretary = home_texts(world.home("home GA", "UGA0001"))
    assert any("Settings: `/clerk settings board P&amp;R`" in t for t in secretary)
    later = home_texts(world.home("home GA late papers", "UGA0001"))
    late_papers = ", ".join(p.ref for p in world.papers if p.meeting == dt.date(2019, 1, 3))
    assert any(f"Papers not received: {late_papers}" in t for t in later)


# -- forms ------------------------------------------------------------------------------------------------

def fields(view: dict) -> dict:
    return {b["block_id"]: b for b in view["blocks"] if "block_id" in b}


def test_action_new_and_plan_add_with_nothing_after_them_open_the_forms(world):
    for name in ("form /action new", "form /plan add"):
        status, text = world.replies[name]
        assert status == 200 and text == "", (name, text)  # the form says it all
    new, = world.views("form /action new", "views.open")
    assert new["callback_id"] == "new_action_modal"
    assert [fields(new)[b]["label"]["text"] for b in ("title", "owners", "others", "due", "board", "private")] == [
        "Action", "Owners on Slack", "Owners not on Slack", "Due", "Board", "Part B"]
    assert fields(new)["board"]["element"]["initial_option"]["value"] == "P&R"
    plan, = world.views("form /plan add", "views.open")
    assert plan["callback_id"] == "plan_item_modal"
    groups = fields(plan)["when"]["element"]["option_groups"]
    assert [g["label"]["text"] for g in groups] == ["Meetings of P&R", "A month", "Not fixed"]
    assert len(groups[0]["options"]) == 7 and groups[0]["options"][0]["value"] == "day:2019-01-03:P&R"


def test_the_app_home_buttons_and_the_shortcut_open_the_forms(world):
    opened = world.calls["form home buttons"]
    assert [(c.args["trigger_id"], c.json("view")["callback_id"]) for c in opened if c.method == "views.open"] == [
        (world.triggers[0], "new_action_modal"), (world.triggers[1], "new_action_modal"),
        (world.triggers[2], "plan_item_modal")]
    view, = world.views("form shortcut", "views.open")
    title = fields(view)["title"]["element"]
    assert title["initial_value"].startswith("Can Anna Hook send the R&D <draft> & the A&E plan to #pr-board,")
    assert len(title["initial_value"]) <= title["max_length"] == 500
    assert "/archives/CPR/p1543485600000200" in view["blocks"][0]["elements"][0]["text"]


# -- jobs ---------------------------------------------------------------------------------------------------

def test_action_reminders_reach_each_owner_in_messages_of_24(world):
    owed = world.owed["action-reminders"]
    to_ah = {world.ref_of[o.subject] for item in owed if item.recipient == "UAH0001" for o in item.occasions}
    dms = world.messages("action-reminders", "DUAH0001")
    assert len(dms) == math.ceil(len(to_ah) / 24)
    assert all(m["text"].startswith("Your actions on P&amp;R\n") for m in dms)
    shown = [REF.match(t)[1] for m in dms for t in section_texts(m["blocks"]) if REF.match(t)]
    assert sorted(shown) == sorted(to_ah)
    assert {r.ref for r in world.rows if r.overdue(TODAY) and "AH" in r.owners} <= to_ah
    # Gareth is not on Slack: his go to the secretary
    for_gn = world.messages("action-reminders", "DUGA0001")
    gn = [m for m in for_gn if m["text"].startswith("Actions of Gareth Nicholson on P&amp;R (not on Slack;")]
    gn_overdue = {r.ref for r in world.rows if r.overdue(TODAY) and "GN" in r.owners}
    assert gn_overdue <= {REF.match(t)[1] for m in gn for t in section_texts(m["blocks"]) if REF.match(t)}


def test_mark_done_on_a_reminder_dm_updates_that_message_in_place(world):
    pressed, before = world.expect["pressed"], world.expect["pressed message"]
    update, = [c for c in world.calls["press"] if c.method == "chat.update"]
    assert (update.args["channel"], update.args["ts"]) == ("DUAH0001", before["ts"])
    after = update.json("blocks")
    assert len(after) == len(before["blocks"])
    at = next(i for i, b in enumerate(after) if b["type"] == "section" and b["text"]["text"].startswith(f"*{pressed}*"))
    assert "— closed 29 Nov 2018" in after[at]["text"]["text"]
    assert [e["text"]["text"] for e in after[at + 1]["elements"]] == ["Reopen"]
    assert [b for i, b in enumerate(after) if i not in (at, at + 1)] == \
        [b for i, b in enumerate(before["blocks"]) if i not in (at, at + 1)]  # the other actions as they were
    told = everything_shown(world.messages("press", "DUAH0001"))
    assert f"*{pressed}* closed by Anna Hook (AH)" in told
    assert any(pressed in m["text"] for m in world.messages("press", "CPR"))


def test_the_weekly_chair_digest_job(world):
    got = parts(world.messages("chair-digest", "DUJG0001"), "Weekly digest of P&amp;R's actions")
    open_refs = [r.ref for r in world.rows if r.open]  # before the press
    assert set(refs_in(got)) == set(open_refs)  # every one (a joint one under each of its owners)
    shown = everything_shown(got)
    assert "*Since Thu 22 Nov*" in shown
    new = [r.ref for r in sorted(world.rows, key=lambda r: r.number) if r.raised >= dt.date(2018, 11, 22)]
    assert new and all(ref in shown for ref in new)


def test_paper_deadlines_warn_owners_then_list_what_is_missing(world):
    january = [p for p in world.papers if p.meeting == dt.date(2019, 1, 3)]
    warned = everything_shown(world.messages("paper-deadlines warn", "DUAH0001"))
    assert sorted(set(FP_REF.findall(warned))) == sorted(p.ref for p in january if "AH" in p.owners)
    assert "paper due Mon 17 Dec 2018" in warned
    for_gn = everything_shown(world.messages("paper-deadlines warn", "DUGA0001"))
    assert sorted(set(FP_REF.findall(for_gn))) == sorted(p.ref for p in january if "GN" in p.owners)
    assert "(for Gareth Nicholson, not on Slack)" in for_gn
    late = everything_shown(world.messages("paper-deadlines late", "DUGA0001"))
    assert "*Papers not received for P&amp;R on Thu 3 Jan 2019*" in late
    assert sorted(set(FP_REF.findall(late))) == sorted(p.ref for p in january)


def test_the_meeting_pack_posts_the_whole_action_log_to_the_board_channel(world):
    messages = world.messages("meeting-pack", "CPR")
    got = parts(messages, "Action log for P&amp;R, Thu 3 Jan 2019")
    assert len(got) == len(messages)
    pressed = world.expect["pressed"]
    open_refs = {r.ref for r in world.rows if r.open and r.ref != pressed}
    closed = {r.ref for r in world.rows if r.status == CLOSED and r.closed >= dt.date(2018, 11, 22)} | {pressed}
    assert sorted(refs_in(got)) == sorted(open_refs | closed)
    shown = everything_shown(got)
    assert "*Action log for the P&amp;R meeting on Thu 3 Jan 2019*" in shown
    assert f"{len(open_refs)} open · {len(closed)} closed since the last meeting" in shown
    long_update = next(r for r in world.rows if r.open and not r.private and r.update and len(r.update) > 2000)
    assert f"Long update {long_update.number}: Met the OSG &amp; the PCC's office &lt;Friday&gt;" in shown


def test_the_meeting_pack_asks_each_owner_for_updates(world):
    pressed = world.expect["pressed"]
    mine = {r.ref for r in world.rows if r.open and "AH" in r.owners and r.ref != pressed}
    asks = world.messages("meeting-pack", "DUAH0001")
    assert len(asks) == math.ceil(len(mine) / 24)
    assert all(m["text"].startswith("P&amp;R meets on Thu 3 Jan 2019: please add an update") for m in asks)
    assert sorted(REF.match(t)[1] for m in asks for t in section_texts(m["blocks"]) if REF.match(t)) == sorted(mine)


def test_the_meeting_pack_in_a_public_channel_shows_no_part_b_text(world):
    posted = world.messages("meeting-pack", "CPR")
    shown = everything_shown(posted) + "\n".join(m["text"] for m in posted)
    leaked = [r.ref for r in world.rows if r.private and r.marker in shown]
    assert not leaked, (f"{len(leaked)} Part B titles posted to the public channel CPR by the meeting pack, "
                        f"e.g. {leaked[:5]}")
    assert "Part B action (text not shown here)" in shown


# -- Slack's limits, across everything ----------------------------------------------------------------------

MESSAGE_METHODS = ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url")
VIEW_METHODS = ("views.open", "views.push", "views.update", "views.publish")


def every_call(world: World) -> list:
    return [c for calls in world.calls.values() for c in calls]


def test_every_surface_was_driven(world):
    methods = {}
    for name, calls in world.calls.items():
        for c in calls:
            methods.setdefault(c.method, set()).add(name)
    assert methods["chat.postMessage"] == {"list all", "list mine", "list overdue", "plan list", "digest", "action-reminders",
                                           "chair-digest", "press", "paper-deadlines warn", "paper-deadlines late",
                                           "meeting-pack"}
    assert methods["views.publish"] >= {"home AH", "home JG", "home GA", "home GA late papers"}
    assert len(methods["views.open"]) == 4 and methods["chat.update"] == {"press"}
    assert len([c for c in every_call(world) if c.method == "chat.postMessage"]) > 300


def test_slack_refused_nothing(world):
    refused = [f"{name}: {c.method} → {c.response.get('error')}: {c.response.get('errors')}"
               for name, calls in world.calls.items() for c in calls if c.response and not c.response.get("ok")]
    assert not refused, "Slack would refuse what Clerk sent:\n" + "\n".join(refused[:20])


def test_every_message_and_view_is_within_block_kit_limits(world):
    too_big, found = [], []
    for name, calls in world.calls.items():
        for c in calls:
            if c.method in MESSAGE_METHODS:
                blocks = c.json("blocks") or []
                if len(blocks) > MESSAGE_MAX_BLOCKS:
                    too_big.append(f"{name}: {c.method} with {len(blocks)} blocks")
                if message_block_text(blocks) > MESSAGE_MAX_BLOCK_TEXT:  # Slack: msg_blocks_too_long [TOOLONG]
                    too_big.append(f"{name}: {c.method} with {message_block_text(blocks)} characters of block text")
                found += [f"{name}: {c.method}: {p}"
                          for p in problems("message", blocks=blocks, text=c.args.get("text"))]
            elif c.method in VIEW_METHODS:
                view = c.json("view")
                if len(view["blocks"]) > VIEW_MAX_BLOCKS:
                    too_big.append(f"{name}: {c.method} with {len(view['blocks'])} blocks")
                kind = "home" if c.method == "views.publish" else "modal"
                found += [f"{name}: {c.method}: {p}" for p in problems(kind, view=view)]
    assert not too_big, too_big
    assert not found, "\n".join(found[:20])


def test_a_long_closing_condition_keeps_app_home_and_reminders_within_limits(clerk):
    """`/action close <ref> when <condition>` takes a condition of any length, and one-line views (App Home,
    reminder DMs, the card a press updates) put title and condition in one section of at most 3,000
    characters: a pasted paragraph of a condition must not stop a person's App Home or reminders."""
    for who, line in SETUP:
        clerk.says(who, line)
    title = ("Review of the R&D <draft> & A&E plan " * 13)[:480].strip()
    clerk.says("GA", f"/action new {title} owner AH due 3/12")
    condition = "the Home Office confirms the grant " + "and the PCC agrees the R&D budget " * 60
    assert "closing when" in clerk.says("AH", f"/action close 1/18 when {condition}")
    clerk.deliver()
    open_home(clerk, USER["AH"])
    clerk.deliver()
    run_job(clerk.clerk, "action-reminders", dt.datetime(2018, 12, 3, 10, tzinfo=dt.UTC))  # due today
    clerk.deliver()
    refused = [f"{c.method}: {c.response['errors']}" for c in clerk.fake.calls if c.response
               and c.response.get("errors")]
    assert not refused, "Slack would refuse:\n" + "\n".join(refused)
    home = [c.json("view") for c in clerk.fake.calls_to("views.publish") if c.args["user_id"] == USER["AH"]][-1]
    assert any(t.startswith("*1/18* Review of the R&amp;D &lt;draft&gt;") and "closing when the Home Office" in t
               for t in home_texts(home))
    reminder, = clerk.fake.posts("DUAH0001")[-1:]
    assert reminder["text"].startswith("Your actions on P&amp;R\n1/18 Review of the R&amp;D")


def test_a_reply_split_in_parts_labels_them_with_its_first_line_escaped_once():
    from render.blocks import paginate, sections
    lines = ["*P&amp;R Forward plan (all)*"] + [f"• *FP-{n}* Paper {n} " + "x" * 200 for n in range(1, 800)]
    parts = paginate(sections(lines), lines, lines[0], title_is_first_line=True)
    assert len(parts) > 1
    assert parts[0].blocks[0]["elements"][0]["text"] == f"*P&amp;R Forward plan (all)* (part 1 of {len(parts)})"
    single = paginate(sections(lines[:3]), lines[:3], lines[0], title_is_first_line=True)
    assert single[0].text == "\n".join(lines[:3])  # the heading once, not twice
