"""People a board can trust: one record per person, linking to Slack keeps everything theirs, two
records of one person merged on a secretary's say-so, impostors refused, every change recorded.
Transcripts through signed requests, reading what Slack was sent, on SQLite and PostgreSQL."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from jobs.runner import run_job
from store.models import Action, ActionOwner, BoardRole, PeopleEvent, Person

BOARD = [
    ("GA", "/clerk board P&R chair <@UJG0001|jg> secretary <@UGA0001|ga> channel <#CPR|pr-board>"),
    ("GA", "/clerk person JG <@UJG0001|jg> Jane Gardner"),
    ("GA", "/clerk person GA <@UGA0001|ga> Glykeria Anyfanti"),
    ("GA", "/clerk person AH <@UAH0001|ah> Anna Hook"),
    ("GA", "/clerk person MH <@UMH0001|matt> Matthew Horne"),
    ("GA", "/meeting add 3 January 2019 10am"),
]


@pytest.fixture
def pr(clerk):
    for who, line in BOARD:
        reply = clerk.says(who, line)
        assert "Usage" not in reply and not reply.startswith("Only"), reply
    clerk.fake.set_channel("CPR", is_private=False, name="pr-board")
    return clerk


def count(clerk, table, *where) -> int:
    with clerk.clerk.sessions() as s:
        return s.scalar(select(func.count()).select_from(table).where(*where))


def test_linking_a_known_person_to_slack_keeps_everything_theirs(pr):
    pr.says("GA", "/clerk person GN Gareth Nicholson")
    pr.says("GA", "/action new Send the Communications plan owner GN due 6/12")
    pr.says("GA", "/plan add Communications plan for 3 January 2019 owner GN")
    # before the link, his reminders go to the secretary, for him
    run_job(pr.clerk, "action-reminders", dt.datetime(2018, 11, 29, 10, tzinfo=dt.timezone.utc))
    assert "Actions of Gareth Nicholson on P&amp;R (not on Slack" in pr.fake.posts("DUGA0001")[-1]["text"]

    reply = pr.says("GA", "/clerk person GN <@UGN0001|gareth>")
    assert reply == ("Updated *GN*: Gareth Nicholson, linked to @gareth. "
                     "Their 1 open action and 1 paper stay theirs.")
    mine = pr.says("UGN0001", "/action list mine")
    assert "Send the Communications plan" in mine and "Your open actions (1)" in mine
    assert "Send the Communications plan" in pr.says("GA", "/action list GN")
    assert count(pr, Person, Person.name == "Gareth Nicholson") == 1
    # his reminders now reach him, not the secretary
    pr.clock.set("2018-12-05T10:00:00+00:00")
    run_job(pr.clerk, "action-reminders", dt.datetime(2018, 12, 5, 10, tzinfo=dt.timezone.utc))
    assert "Your actions on P&amp;R" in pr.fake.posts("DUGN0001")[-1]["text"]
    # and what happened to his record is shown with it
    shown = pr.says("GA", "/clerk person GN")
    assert "*GN* Gareth Nicholson, on Slack as <@UGN0001>" in shown
    assert "(by GA) registered GN Gareth Nicholson" in shown and "(by GA) Slack user <@UGN0001>" in shown


def test_a_secretary_registered_by_the_console_keeps_her_rights_when_linked(clerk, tmp_path):
    console = clerk.clerk.conversation
    from service.conversation import Speaker
    at = Speaker(user_id="console", surface="console")
    for line in ("clerk board P&R", "clerk person GA Glykeria Anyfanti", "clerk board P&R secretary GA",
                 "clerk person GA <@UGA0001>"):
        assert console.handle(line, at).ok, line
    assert "settings changed: closure chair-confirms" in clerk.says("UGA0001", "/clerk settings closure chair-confirms")
    assert count(clerk, Person, Person.initials == "GA") == 1


def test_two_records_of_one_person_are_merged_on_a_secretarys_say_so(pr):
    pr.says("GA", "/clerk person GN Gareth Nicholson")  # as an import would make him
    pr.says("GA", "/action new Send the Communications plan owner GN due 6/12")
    pr.says("GA", "/action new Fleet review owner <@UGN0001|gareth> due 14/12")  # named once by his Slack user
    pr.says("UGN0001", "/action update 2/18 Looked at the fleet numbers")
    refused = pr.says("GA", "/clerk person GN <@UGN0001|gareth>")
    assert refused == ("@gareth is already gareth, with work of their own. If that is the same person as GN, "
                       "merge the two: /clerk merge @gareth into GN")
    assert "Only a secretary of every board each record is on can merge two records. You are not one on P&amp;R." in \
        pr.says("JG", "/clerk merge <@UGN0001|gareth> into GN")
    merged = pr.says("GA", "/clerk merge <@UGN0001|gareth> into GN")
    assert merged == "Merged gareth into *GN* (Gareth Nicholson): moved 1 action, 1 history entry."
    assert count(pr, Person, Person.name.in_(["gareth", "Gareth Nicholson"])) == 1
    mine = pr.says("UGN0001", "/action list mine")
    assert "Send the Communications plan" in mine and "Fleet review" in mine
    assert "(GN) update: Looked at the fleet numbers" in pr.says("GA", "/action show 2/18")
    assert "gareth merged into GN" in pr.says("GA", "/clerk person GN")


def test_strangers_and_members_cannot_take_someone_elses_record(pr):
    pr.says("GA", "/clerk person RL Richard Leicester")
    before = count(pr, PeopleEvent)
    assert pr.says("UZZ0001", "/clerk person RL Someone Else").startswith("You're not registered with Clerk yet")
    assert pr.says("AH", "/clerk person RL name Someone Else") == \
        "Only the chair or a secretary of every board they are on can change RL's record. You are not one on P&amp;R."
    assert pr.says("AH", "/clerk person ZZ <@UMH0001|matt>") == \
        "@matt is already MH (Matthew Horne). To give them the initials ZZ: /clerk person MH initials ZZ"
    assert pr.says("AH", "/clerk person MH initials ZZ") == \
        "Only the chair or a secretary of every board they are on can change MH's record. You are not one on P&amp;R."
    assert pr.says("UME0001", "/clerk person MH <@UME0001|me> Matthew Horne").startswith("You're not registered")
    assert pr.says("AH", "/clerk person MH <@UAH0001|ah>").startswith("Only the chair or a secretary")
    assert pr.says("AH", "/clerk board P&R chair AH").startswith("Only the chair or a secretary of P&amp;R")
    assert count(pr, PeopleEvent) == before
    # so the Part B action the secretary raises for MH stays with Matthew Horne
    pr.says("GA", "/action new Vetting appeal owner MH private")
    assert pr.says("UME0001", "/action show 1/18").startswith("You're not registered")
    assert "is a Part B (private) action" in pr.says("AH", "/action show 1/18")
    assert "Vetting appeal" in pr.says("UMH0001", "/action show 1/18")


@pytest.mark.parametrize("who, line, says", [
    ("GA", "/clerk person AH Alice Harper", "AH is already Anna Hook. To rename them: /clerk person AH name Alice Harper"),
    ("GA", "/clerk person XY <@UAH0001|ah>", "@ah is already AH (Anna Hook). To give them the initials XY"),
    ("GA", "/clerk person XY <@UAH0001|ah> Anna Hook", "@ah is already AH (Anna Hook)"),
    ("GA", "/clerk person XY @anna", "“@anna” looks like a mention, not a name"),
    ("GA", "/clerk person AH initials MH", "MH are Matthew Horne's initials. Give Anna Hook others"),
    ("GA", "/clerk board P&R secretary - GA", "P&amp;R must keep at least one secretary"),
    ("GA", "/clerk board P&R chair GA", "You can't change your own role on P&amp;R"),
    ("JG", "/clerk board P&R chair none", "You can't change your own role on P&amp;R"),
    ("GA", "/clerk board P&R secretary AH", "You can't change your own role on P&amp;R"),
    ("GA", "/clerk merge GA into GA", "GA and GA are already one record."),
    ("GA", "/clerk merge MH into AH", "are two different Slack users"),
])
def test_bad_changes_to_people_get_one_clear_reply_and_change_nothing(pr, who, line, says):
    before = (count(pr, PeopleEvent), count(pr, Person), count(pr, BoardRole))
    reply = pr.says(who, line)
    assert says in reply
    assert (count(pr, PeopleEvent), count(pr, Person), count(pr, BoardRole)) == before


def test_roles_change_with_a_record_and_a_board_shows_its_changes(pr):
    assert "AH is now a secretary" in pr.says("GA", "/clerk board P&R secretary + AH")
    assert "GA is no longer a secretary" in pr.says("AH", "/clerk board P&R secretary - GA")
    board = pr.says("JG", "/clerk board P&R")
    assert "Secretaries: Anna Hook (AH)" in board and "Members (4): AH, GA, JG, MH" in board
    assert "(by GA) AH given the role secretary" in board and "(by AH) GA no longer secretary" in board
    # the old secretary is still on the board, as a member, and may no longer change its settings
    assert pr.says("GA", "/clerk settings closure chair-confirms").startswith("Only a secretary of P&amp;R")


def test_owners_become_members_and_the_first_to_set_up_a_board_is_its_secretary(clerk):
    assert clerk.says("UNEW0001", "/clerk board Audit").startswith("Set up board *Audit*.")
    assert "Secretaries: unew0001" in clerk.says("UNEW0001", "/clerk board Audit")
    assert clerk.says("UOTHER01", "/clerk board Estates").startswith("You're not registered")
    clerk.says("UNEW0001", "/clerk person AH Anna Hook")
    clerk.says("UNEW0001", "/action new Review owner AH")
    with clerk.clerk.sessions() as s:
        roles = s.execute(select(Person, BoardRole.role).join(BoardRole, BoardRole.person_id == Person.id)).all()
        assert {(p.label, r) for p, r in roles} == {("unew0001", "secretary"), ("AH", "member")}


def test_the_console_is_never_reached_on_slack(clerk):
    from service.conversation import Speaker
    at = Speaker(user_id="console", surface="console")
    for line in ("clerk board P&R", "clerk person GN Gareth Nicholson",
                 "meeting add 3 January 2019 10am", "plan add Communications plan for 3 January 2019 owner GN"):
        assert clerk.clerk.conversation.handle(line, at).ok, line
    for job, day in (("paper-deadlines", "2018-12-18T10:00:00+00:00"), ("action-reminders", "2018-12-18T10:00:00+00:00")):
        clerk.clock.set(day)
        assert run_job(clerk.clerk, job, dt.datetime.fromisoformat(day)) == []
    clerk.deliver()
    assert not clerk.fake.calls_to("conversations.open") and not clerk.fake.posts()
    with clerk.clerk.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ActionOwner)) == 0
        assert s.scalars(select(Person.slack_user_id).where(Person.console.is_(True))).all() == [None]
        assert s.scalar(select(func.count()).select_from(Action)) == 0
