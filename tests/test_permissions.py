"""Who may do what, every verb × every role, through signed requests on SQLite and PostgreSQL.

The expected answer of each case comes from store.permissions.POLICY, the same table the code asks
and the README shows (checked below). A refused case changes nothing; an allowed change changes
the log. Roles: a stranger (not registered), a member of another board only, a member of the
board, an owner of the action or paper in question, the chair, a secretary."""
from pathlib import Path

import pytest
from sqlalchemy import func, select

from grammar.language import all_verbs
from store.models import Action, ActionEvent, Board, BoardRole, ForwardPlanItem, Meeting, PeopleEvent, Person, PlanEvent
from store.permissions import POLICY, ROLES, Act

ROOT = Path(__file__).resolve().parent.parent
SPEAKER = {"stranger": "UZZ0001", "member of another board": "OB", "member": "VH", "owner": "AH", "chair": "JG",
           "secretary": "GA"}
WORLD = [
    ("GA", "/clerk board P&R chair <@UJG0001|jg> secretary <@UGA0001|ga> channel <#CPR|pr-board>"),
    ("GA", "/clerk person JG <@UJG0001|jg> Jane Gardner"),
    ("GA", "/clerk person GA <@UGA0001|ga> Glykeria Anyfanti"),
    ("GA", "/clerk person AH <@UAH0001|ah> Anna Hook"),
    ("GA", "/clerk person VH <@UVH0001|vh> Victoria Harrington"),
    ("GA", "/clerk board Audit"),
    ("GA", "/clerk person SH <@USH0001|sh> Simon Hall board Audit"),
    ("GA", "/clerk person OB <@UOB0001|ob> Olive Brown board Audit"),
    ("GA", "/clerk board Audit secretary + SH"),
    ("GA", "/meeting add 3 January 2019 10am board P&R"),
] + [("GA", f"/clerk person P{c} Person {c} board P&R") for c in "ABCDEF"] \
  + [("GA", f"/clerk person Q{c} Other {c} board P&R") for c in "ABCDEF"] \
  + [("SH", f"/clerk person M{c} Audit member {c}") for c in "ABCDEF"]
ROLE_N = {role: n for n, role in enumerate(ROLES)}  # each role acts on its own target: n+1/18, FP-(n+1), …
LETTER = "ABCDEF"


def words(line: str, n: int) -> str:
    """{n} is the role's target number, {c} its letter, {day} its own day of the month."""
    return line.format(n=n + 1, c=LETTER[n], day=8 + n)


def each(line: str) -> list[tuple[str, str]]:
    """The secretary prepares one target per role."""
    return [("GA", words(line, n)) for n in range(len(ROLES))]


PAPERS = each("/plan add Paper {n} for 3 January 2019 owner AH board P&R")
ACTIONS = each("/action new Target {n} owner AH due 14/12 board P&R")
MEETINGS = each("/meeting add {day} January 2019 provisional board P&R")

# (case name, what it needs first, the line each role types, the act its answer follows, whether it writes)
CASES = [
    ("action help", [], "/action help", Act.HELP, False),
    ("plan help", [], "/plan help", Act.HELP, False),
    ("action new", [], "/action new Something {n} owner AH board P&R", Act.RAISE, True),
    ("action update", ACTIONS, "/action update {n}/18 Progress", Act.CHANGE_ACTION, True),
    ("action close", ACTIONS, "/action close {n}/18 Done", Act.CHANGE_ACTION, True),
    ("action close when", ACTIONS, "/action close {n}/18 when the paper is in", Act.CHANGE_ACTION, True),
    ("action due", ACTIONS, "/action due {n}/18 20/12", Act.CHANGE_ACTION, True),
    ("action snooze", ACTIONS, "/action snooze {n}/18", Act.CHANGE_ACTION, True),
    ("action confirm", ACTIONS + each("/action close {n}/18 when the paper is in"), "/action confirm {n}/18",
     Act.OFFICER_ACTION, True),
    ("action reopen", ACTIONS + each("/action close {n}/18"), "/action reopen {n}/18", Act.OFFICER_ACTION, True),
    ("action assign", ACTIONS, "/action assign {n}/18 VH", Act.OFFICER_ACTION, True),
    ("action show", ACTIONS, "/action show {n}/18", Act.READ, False),
    ("action list", ACTIONS, "/action list", Act.READ, False),
    ("action digest", ACTIONS, "/action digest board P&R", Act.READ, False),
    ("meeting add", [], "/meeting add {day} February 2019 board P&R", Act.MEETINGS, True),
    ("meeting confirm", MEETINGS, "/meeting confirm {day} January 2019 board P&R", Act.MEETINGS, True),
    ("meeting cancel", MEETINGS, "/meeting cancel {day} January 2019 board P&R", Act.MEETINGS, True),
    ("meeting move", MEETINGS, "/meeting move {day} January 2019 to {day} March 2019 board P&R", Act.MEETINGS, True),
    ("meeting list", [], "/meeting list board P&R", Act.READ, False),
    ("plan add", [], "/plan add Report {n} for tbc board P&R", Act.PLAN_ADD, True),
    ("plan move", PAPERS, "/plan move FP-{n} to tbc board P&R", Act.PLAN_CHANGE, True),
    ("plan drop", PAPERS, "/plan drop FP-{n} board P&R", Act.PLAN_CHANGE, True),
    ("plan received", PAPERS, "/plan received FP-{n} board P&R", Act.PLAN_CHANGE, True),
    ("plan list", PAPERS, "/plan list board P&R", Act.READ, False),
    ("clerk board (new)", [], "/clerk board New board {n}", Act.CREATE_BOARD, True),
    ("clerk board (roles)", [], "/clerk board P&R members + M{c}", Act.BOARD_OFFICERS, True),
    ("clerk board (show)", [], "/clerk board P&R", Act.READ, False),
    ("clerk person (new)", [], "/clerk person N{c} New Person {n} board P&R", Act.REGISTER, True),
    ("clerk person (rename)", [], "/clerk person P{c} name Renamed {n}", Act.CHANGE_PERSON, True),
    ("clerk person (initials)", [], "/clerk person P{c} initials R{c}", Act.CHANGE_PERSON, True),
    ("clerk person (show)", [], "/clerk person AH", Act.READ, False),
    ("clerk merge", [], "/clerk merge Q{c} into P{c}", Act.MERGE, True),
    ("clerk settings (show)", [], "/clerk settings board P&R", Act.READ, False),
    ("clerk settings (change)", [], "/clerk settings paper-deadline {n} board P&R", Act.SETTINGS, True),
]


def fingerprint(clerk) -> tuple:
    with clerk.clerk.sessions() as s:
        return tuple(s.scalar(select(func.count()).select_from(t)) for t in (
            Action, ActionEvent, ForwardPlanItem, PlanEvent, Meeting, Board, BoardRole, Person, PeopleEvent)) + (
            tuple(s.execute(select(Action.status, Action.due, Action.snoozed_until).order_by(Action.id)).all()),
            tuple(s.execute(select(Meeting.day, Meeting.provisional, Meeting.cancelled).order_by(Meeting.id)).all()),
            tuple(s.execute(select(Board.paper_deadline_days)).scalars()))


def refused(reply: str) -> bool:
    return reply.startswith(("Only ", "You're not registered", "You can't"))


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_every_verb_as_every_role(clerk, case):
    name, prepare, line, act, writes = case
    for who, setup in WORLD + prepare:
        reply = clerk.says(who, setup)
        assert not refused(reply) and "Usage:" not in reply, (setup, reply)
    for role in ROLES:
        typed = words(line, ROLE_N[role])
        before = fingerprint(clerk)
        reply = clerk.says(SPEAKER[role], typed)
        expected = role in POLICY[act]
        assert refused(reply) is not expected, f"{name} as {role}: {typed!r} → {reply!r}"
        assert "Usage:" not in reply, f"{name} as {role}: {typed!r} → {reply!r}"
        if not expected or not writes:
            assert fingerprint(clerk) == before, f"{name} as {role} changed the log: {reply!r}"
        else:
            assert fingerprint(clerk) != before, f"{name} as {role} was allowed but changed nothing: {reply!r}"


def test_every_verb_is_in_the_table():
    covered = {c[0].split(" (")[0].split(" when")[0] for c in CASES}
    assert {v.key for v in all_verbs()} - {"action minutes"} <= covered | {"clerk board", "clerk person"}
    assert {act for v in all_verbs() for act in v.acts} <= {c[3] for c in CASES}


def test_the_readme_shows_the_table_the_code_asks():
    from service.help import permission_table
    assert permission_table() in (ROOT / "README.md").read_text()


def test_refusals_name_who_may(clerk):
    for who, setup in WORLD + ACTIONS[:1]:  # 1/18, owned by AH
        clerk.says(who, setup)
    assert clerk.says("VH", "/action close 1/18") == "Only 1/18's owners, the chair or a secretary can close it."
    assert clerk.says("AH", "/action reopen 1/18") == "Only the chair or a secretary of P&amp;R can reopen 1/18."
    assert clerk.says("JG", "/clerk settings closure chair-confirms board P&R") == \
        "Only a secretary of P&amp;R can change its settings."
    assert clerk.says("OB", "/action new Audit item for P&R board P&R").startswith(
        "Only members of P&amp;R can raise actions on P&amp;R's log. A chair or secretary adds you: "
        "/clerk board P&amp;R member + OB")
    stranger = clerk.says("UZZ0001", "/action list")
    assert stranger.startswith("You're not registered with Clerk yet, so you can read help and nothing else.")
    assert "/action new" in clerk.says("UZZ0001", "/action help")  # help is for everyone
