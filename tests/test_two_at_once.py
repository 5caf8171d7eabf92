"""Two officers at once: conflicting changes sent together, by a barrier, to two `python bot.py`
processes on one database (PostgreSQL, and SQLite), many rounds each. Whatever the timing, the
result (the stored state, its history, what the board's channel is owed) is one of the two results
of the same changes made one after the other, and nobody gets an error instead of a sentence."""
from __future__ import annotations

import datetime as dt
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from store.models import (
    Action,
    ActionEvent,
    Board,
    BoardRole,
    ForwardPlanItem,
    Meeting,
    OutboxMessage,
    PlanEvent,
)
from tests import slackreq
from tests.harness import SECRET
from tests.test_reliability import Server
from tests.test_reliability import world as world  # noqa: F401 - the fixture: P&R set up, its channel private

USERS = {"AH": "UAH0001", "GA": "UGA0001", "JG": "UJG0001", "VH": "UVH0001", "DM": "UDM0001"}
FAULTS = re.compile(r"could not read|Traceback|did not take that change", re.I)


@dataclass
class Pair:
    """Two changes to one subject, and what has to be true of it before them."""

    name: str
    first: tuple[str, str]  # (who, line); X stands for the subject's ref
    second: tuple[str, str]
    prepare: tuple[tuple[str, str], ...] = ()
    subject: str = "action"  # action | paper | meeting


ACTION_PAIRS = [
    Pair("close + close", ("AH", "/action close X"), ("GA", "/action close X")),
    Pair("close + close when", ("AH", "/action close X"), ("GA", "/action close X when the paper is evaluated")),
    Pair("close + snooze", ("AH", "/action close X"), ("AH", "/action snooze X")),
    Pair("reopen twice", ("GA", "/action reopen X"), ("JG", "/action reopen X"), prepare=(("GA", "/action close X"),)),
    Pair("confirm twice", ("GA", "/action confirm X"), ("JG", "/action confirm X"),
         prepare=(("AH", "/action close X when the paper is evaluated"),)),
    Pair("assign + assign +", ("GA", "/action assign X VH"), ("JG", "/action assign X + DM")),
    Pair("due + close", ("GA", "/action due X 20/12/2026"), ("AH", "/action close X")),
    Pair("update + close", ("AH", "/action update X Sent round to the panel"), ("GA", "/action close X")),
    Pair("Mark done twice", ("AH", "press action_done"), ("GA", "press action_done")),
    Pair("Snooze + Mark done", ("AH", "press action_snooze"), ("GA", "press action_done")),
]
OTHER_PAIRS = [
    Pair("received + drop", ("GA", "/plan received X"), ("JG", "/plan drop X not needed"), subject="paper"),
    Pair("move + drop", ("GA", "/plan move X to tbc"), ("JG", "/plan drop X not needed"), subject="paper"),
    Pair("cancel + move", ("GA", "/meeting cancel X"), ("JG", "/meeting move X to X+7"), subject="meeting"),
    Pair("cancel + cancel", ("GA", "/meeting cancel X"), ("JG", "/meeting cancel X"), subject="meeting"),
]


class Board2:
    """P&R, served by two Clerk processes, with what a round needs: fresh subjects and their state."""

    def __init__(self, world, servers: list[Server]):
        self.world, self.servers = world, servers
        self.n = 0
        self.days = iter(range(1, 400, 14))

    def send(self, server: Server, who: str, line: str, subject_id: int | None = None):
        if line.startswith("press "):
            button = {"action_id": line.split()[1], "value": str(subject_id), "block_id": f"action-{subject_id}"}
            self.n += 1
            user = slackreq.interaction_user(USERS[who], who.lower())
            payload = slackreq.with_envelope(slackreq.home_press(
                user, slackreq.button_action(button, f"1764579600.{self.n:06d}"), trigger_id=slackreq.new_trigger_id(),
                view={"id": "VHOME", "type": "home", "team_id": "T0001", "blocks": [], "state": {"values": {}},
                      "hash": "1.a"}))
            return slackreq.interaction(server.url, SECRET, payload)
        return server.says(USERS[who], line, channel_id="CPR")

    def new_subject(self, pair: Pair) -> tuple[str, int | None]:
        """A fresh action, paper or meeting, prepared: its ref (as typed) and an action's id."""
        first = self.servers[0]
        if pair.subject == "action":
            reply = first.says("UGA0001", "/action new Concurrent subject owner AH", channel_id="CPR").json()["text"]
            if "is already open" in reply:  # a twin of an open action is asked about; "again" raises it (issue 28)
                reply = first.says("UGA0001", "/action new Concurrent subject again owner AH",
                                   channel_id="CPR").json()["text"]
            ref = re.search(r"Raised \*(\d+/\d+)\*", reply).group(1)
            with self.world.clerk.sessions() as s:
                number, yy = ref.split("/")
                ident = s.scalar(select(Action.id).where(Action.number == int(number),
                                                         (Action.year % 100) == int(yy)))
        elif pair.subject == "paper":
            reply = first.says("UGA0001", "/plan add Concurrent paper for tbc owner AH", channel_id="CPR").json()["text"]
            ref, ident = re.search(r"(FP-\d+)", reply).group(1), None
        else:
            day = self._day()
            reply = first.says("UGA0001", f"/meeting add {day}", channel_id="CPR").json()["text"]
            assert "Added" in reply or "meets" in reply, reply
            ref, ident = day, None
        for who, line in pair.prepare:
            said = self.send(first, who, line.replace("X", ref), ident).json().get("text", "")
            assert not FAULTS.search(said), said
        return ref, ident

    def _day(self) -> str:
        day = dt.date(2027, 3, 1) + dt.timedelta(days=next(self.days))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return day.strftime("%d %B %Y").lstrip("0")

    def line_for(self, line: str, ref: str) -> str:
        if "X+7" in line:
            moved = dt.datetime.strptime(ref, "%d %B %Y").date() + dt.timedelta(days=7)
            line = line.replace("X+7", moved.strftime("%d %B %Y").lstrip("0"))
        return line.replace("X", ref)

    def state(self, pair: Pair, ref: str, ident: int | None) -> tuple:
        """What a person would find afterwards: the subject's state, its history, the posts owed about it."""
        with self.world.clerk.sessions() as s:
            if pair.subject == "action":
                a = s.get(Action, ident)
                events = tuple((e.kind, e.old, e.new, e.text) for e in
                               s.scalars(select(ActionEvent).where(ActionEvent.action_id == a.id)
                                         .order_by(ActionEvent.id)))
                owners = tuple(sorted(o.initials or o.name for o in a.owners))
                shown = (a.status, a.closing_condition, a.closed is not None, a.snoozed_until, a.due, owners)
                mark = f"*{a.ref}*"
            elif pair.subject == "paper":
                number = int(ref.split("-")[1])
                item = s.scalar(select(ForwardPlanItem).join(Board).where(ForwardPlanItem.number == number))
                events = tuple((e.kind, e.old, e.new, e.text) for e in
                               s.scalars(select(PlanEvent).where(PlanEvent.item_id == item.id).order_by(PlanEvent.id)))
                shown = (item.status, item.meeting_id is not None, item.month, item.received is not None)
                mark = f"*{ref}*"
            else:
                day = dt.datetime.strptime(ref, "%d %B %Y").date()
                meetings = s.scalars(select(Meeting).where(Meeting.day.between(day, day + dt.timedelta(days=7)))
                                     .order_by(Meeting.day)).all()
                shown = tuple(((m.day - day).days, m.cancelled) for m in meetings)
                events = ()
                mark = f"{day:%a} {day.day} {day:%b %Y}"
            posts = sum(mark in (m.text or "") for m in s.scalars(
                select(OutboxMessage).where(OutboxMessage.channel == "CPR", OutboxMessage.kind == "message")))
        return shown, events, posts

    def apply(self, pair: Pair, ref: str, ident: int | None, order: tuple[int, int] | None = None):
        """The two changes: in `order` one after the other, else together from both processes."""
        changes = [pair.first, pair.second]
        if order is not None:
            return [self.send(self.servers[0], *self._typed(changes[i], ref), ident) for i in order]
        barrier = threading.Barrier(2)

        def one(i: int):
            barrier.wait()
            return self.send(self.servers[i], *self._typed(changes[i], ref), ident)

        with ThreadPoolExecutor(2) as pool:
            return list(pool.map(one, (0, 1)))

    def _typed(self, change: tuple[str, str], ref: str) -> tuple[str, str]:
        return change[0], self.line_for(change[1], ref)


@pytest.fixture
def two(world, database_url, tmp_path):
    servers = [Server(database_url, world.fake, tmp_path, f"clerk{i}", CLERK_SENDER="thread") for i in (1, 2)]
    # the chair and the secretary as they sit on P&R; VH and DM are members
    for line in ("/clerk board P&R member + VH and DM",):
        assert "Only" not in servers[0].says("UGA0001", line, channel_id="CPR").json()["text"]
    try:
        yield Board2(world, servers)
    finally:
        for server in servers:
            server.stop()


def check_pair(two: Board2, pair: Pair, rounds: int) -> None:
    sequential = set()
    for order in ((0, 1), (1, 0)):
        ref, ident = two.new_subject(pair)
        for reply in two.apply(pair, ref, ident, order):
            assert reply.status_code == 200 and not FAULTS.search(reply.text), (pair.name, reply.text)
        sequential.add(two.state(pair, ref, ident))
    for n in range(rounds):
        ref, ident = two.new_subject(pair)
        replies = two.apply(pair, ref, ident)
        assert [r.status_code for r in replies] == [200, 200], (pair.name, n, [r.text for r in replies])
        assert not any(FAULTS.search(r.text) for r in replies), (pair.name, n, [r.text for r in replies])
        got = two.state(pair, ref, ident)
        assert got in sequential, f"{pair.name}, round {n}: {got}\nnot one of {sequential}"


def rounds_for(database_url: str) -> int:
    return 10 if database_url.startswith("postgresql") else 3  # SQLite's writers queue: fewer rounds show it


@pytest.mark.parametrize("pair", ACTION_PAIRS, ids=lambda p: p.name)
def test_two_changes_to_one_action_at_once_end_as_one_after_the_other(two, pair, database_url):
    check_pair(two, pair, rounds_for(database_url))


@pytest.mark.parametrize("pair", OTHER_PAIRS, ids=lambda p: p.name)
def test_two_changes_to_one_paper_or_meeting_at_once_end_as_one_after_the_other(two, pair, database_url):
    check_pair(two, pair, rounds_for(database_url))


def test_two_secretaries_removing_each_other_leave_the_board_one(two, database_url):
    first, second = two.servers
    for n in range(rounds_for(database_url)):
        name = f"Panel {n}"
        said = first.says("UGA0001", f"/clerk board {name} chair <@UJG0001|jg> secretary <@UGA0001|ga>",
                          channel_id="CGENERAL").json()["text"]
        assert "Only" not in said, said
        said = first.says("UGA0001", f"/clerk board {name} secretary + VH", channel_id="CGENERAL").json()["text"]
        assert "Only" not in said, said
        barrier = threading.Barrier(2)

        def remove(server: Server, user: str, other: str, barrier=barrier, name=name) -> str:
            barrier.wait()
            return server.says(user, f"/clerk board {name} secretary - {other}", channel_id="CGENERAL").text

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(remove, (first, second), ("UGA0001", "UVH0001"), ("VH", "GA")))
        assert not any(FAULTS.search(a) for a in answers), answers
        with two.world.clerk.sessions() as s:
            board = s.scalar(select(Board).where(Board.name == name))
            secretaries = s.scalars(select(BoardRole).where(BoardRole.board_id == board.id,
                                                            BoardRole.role == "secretary")).all()
        assert len(secretaries) == 1, (answers, [r.person_id for r in secretaries])


def test_the_same_minutes_applied_twice_at_once_are_applied_once(world):
    """Two officers apply one meeting's minutes in the same second (two threads on one database):
    one applies them, the other is told they were already applied; never a fault."""
    from service.conversation import Speaker
    from service.minutes import apply
    from store.models import MinutesApplied

    for line in ("/action new Circulate the OSG paper owner AH", "/action new Timeline for the DVPO study owner VH"):
        assert "Raised" in world.says("GA", line, channel="CPR")
    lines = ["action close 1/18 Circulated at the meeting", "action update 2/18 Study commissioned",
             "action new Impact analysis of the OSG uplift owner AH"]
    barrier, answers = threading.Barrier(2), []

    def officer(user: str) -> None:
        barrier.wait()
        answers.append(apply(world.clerk.conversation, lines, board_name="P&R", meeting=dt.date(2018, 11, 29),
                             digest="minutes-of-29-november", who=Speaker(user_id=user, surface="form")))

    threads = [threading.Thread(target=officer, args=(user,)) for user in ("UGA0001", "UJG0001")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(a.already for a in answers) == [False, True], answers
    assert "nothing changed" in next(a for a in answers if a.already).lines[0]
    with world.clerk.sessions() as s:
        assert s.scalar(select(func.count()).select_from(MinutesApplied)) == 1
        assert s.scalar(select(func.count()).select_from(Action).where(Action.title.like("Impact analysis%"))) == 1
        closed = s.scalars(select(ActionEvent).where(ActionEvent.kind == "status", ActionEvent.new == "closed")).all()
        assert len(closed) == 1


def sender_of(server: Server) -> int:
    """The pid of a server's outbox sender process (a spawned child; not multiprocessing's tracker)."""
    import os
    import time
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for child in os.popen(f"pgrep -P {server.proc.pid}").read().split():
            try:
                cmdline = open(f"/proc/{child}/cmdline", "rb").read().replace(b"\0", b" ")
            except OSError:
                continue
            if b"multiprocessing.spawn" in cmdline or b"spawn_main" in cmdline:
                return int(child)
        time.sleep(0.1)
    raise AssertionError("no sender process")


def test_a_sender_stopped_past_its_lease_sends_nothing_another_sent(world, database_url, tmp_path):
    """SIGSTOP the sender of one server while it asks Slack whether the board's channel is private
    (before a Part B post), past its lease; the other server's sender takes the post over and sends
    it; the first, resumed, checks its claim before posting and sends nothing. One post."""
    import os
    import signal
    import time

    from store.outbox import LEASE

    world.fake.set_channel("CPR", is_private=True, name="pr-board")
    world.fake.fail("conversations.info", hang=3)  # Slack is slow to answer the first sender
    first = Server(database_url, world.fake, tmp_path, "first")
    try:
        pid = sender_of(first)
        said = first.says("UGA0001", "/action new Part B Estates disposal owner AH", channel_id="CPR").json()["text"]
        assert "Raised" in said, said
        deadline = time.monotonic() + 20
        while not world.fake.calls_to("conversations.info") and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(pid, signal.SIGSTOP)  # held up mid-send, its lease no longer renewed
        second = Server(database_url, world.fake, tmp_path, "second")
        try:
            deadline = time.monotonic() + LEASE.total_seconds() + 30
            while not world.fake.posts("CPR") and time.monotonic() < deadline:
                second.says("UGA0001", "/action list mine", channel_id="CPR")  # wakes its sender now and then
                time.sleep(0.5)
            assert len(world.fake.posts("CPR")) == 1
            os.kill(pid, signal.SIGCONT)
            deadline = time.monotonic() + 30  # the stalled answer arrives; the first sender decides
            while "taken over by another sender" not in first.log.read_text() and time.monotonic() < deadline:
                time.sleep(0.1)
            assert "taken over by another sender" in first.log.read_text()
            with world.clerk.sessions() as s:
                pending = s.scalar(select(func.count()).select_from(OutboxMessage).where(
                    OutboxMessage.status.in_(("pending", "sending")), OutboxMessage.channel == "CPR"))
            assert pending == 0
            assert len(world.fake.posts("CPR")) == 1  # not posted again by the one that was stopped
        finally:
            second.stop()
    finally:
        try:
            os.kill(pid, signal.SIGCONT)
        except OSError:
            pass
        first.stop()
