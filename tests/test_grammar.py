"""The command language, as officers type it (pure: no Slack, no database).

Table-driven per noun: every example in the registry parses into its verb's command; each line
below reads into the typed command shown, or is refused quoting what could not be read."""
import datetime as dt
import re

import pytest

from grammar import slacktext
from grammar.commands import (
    AddMeetings,
    AddPaper,
    Assign,
    ChangePerson,
    ChangeSettings,
    CloseAction,
    ConfirmClosure,
    ConfirmMeeting,
    Digest,
    DropPaper,
    Help,
    ListActions,
    ListPlan,
    MergePeople,
    MoveMeeting,
    MovePaper,
    NewAction,
    PaperReceived,
    RegisterPerson,
    RoleWords,
    SetDue,
    SetUpBoard,
    ShowAction,
    ShowBoard,
    ShowPerson,
    ShowSettings,
    Snooze,
    UpdateAction,
)
from grammar.dates import DateError, read_date
from grammar.language import all_verbs, parse
from grammar.refs import take_ref
from grammar.registry import Context, ParseError, dated
from grammar.who import WhoError, read_who
from store.terms import Ref, When, Who
from tests.slacktext import from_test_line

THU_29_NOV_2018 = dt.date(2018, 11, 29)
CONTEXT = Context(today=THU_29_NOV_2018, boards=("P&R", "Strategic Board", "Estates"),
                  initials=frozenset({"AH", "VH", "SH", "DM", "GN", "MH", "RH", "CG", "JG", "GA"}),
                  names={"annette hadley": "Annette Hadley"}, name_of={"UAH0001": "Anna Hook"}.get)


def read(line: str, context: Context = CONTEXT):
    """A line as Slack would send it (escaped), read as Clerk reads it."""
    return parse(slacktext.from_slack(from_test_line(line)), context)


def as_picked(example: str) -> str:
    """An example as Slack sends it once the person picks `@anna.hook` or `#pr-board` from its menus."""
    example = re.sub(r"(?<!\S)@([a-z][\w.\-]*)", lambda m: f"<@U{abs(hash(m.group(1))) % 10**6:06d}|{m.group(1)}>",
                     example)
    return re.sub(r"(?<!\S)#([a-z][\w\-]*)", lambda m: f"<#C{abs(hash(m.group(1))) % 10**6:06d}|{m.group(1)}>",
                  example)


def ref(typed: str) -> Ref:
    return take_ref(typed)[0]


AH, VH, SH, DM, MH, XX = (Who("initials", i) for i in ("AH", "VH", "SH", "DM", "MH", "XX"))
DEC_14, JAN_3 = dt.date(2018, 12, 14), dt.date(2019, 1, 3)


@pytest.mark.parametrize("verb", all_verbs(), ids=lambda v: v.key)
def test_every_example_in_the_registry_is_read_as_its_verb(verb):
    for _label, example in verb.examples:
        for line in dated(example, THU_29_NOV_2018).split(" · "):
            line = line.split("   ·   ")[0].replace(" (not on Slack)", "")
            command = read(as_picked(line))
            assert command.key == verb.key, (line, command)


@pytest.mark.parametrize("line, command", [
    # /action new: clauses in any order, never swallowed into the title
    ("/action new Review of funding due to cuts owner DM due 14/12",
     NewAction(title="Review of funding due to cuts", owners=(DM,), due=When("day", DEC_14))),
    ("/action new Circulate the paper due 14/12 owner DM", NewAction(title="Circulate the paper", owners=(DM,),
                                                                      due=When("day", DEC_14))),
    ("action new Appoint a new owner for the estate", NewAction(title="Appoint a new owner for the estate")),
    ("/action new Analysis owner MH board Strategic Board private",
     NewAction(title="Analysis", owners=(MH,), board="Strategic Board", private=True)),
    ("/action new Vetting appeal private owner AH due 14/12",
     NewAction(title="Vetting appeal", owners=(AH,), due=When("day", DEC_14), private=True)),
    ("/action new Vetting appeal (Part B) owner AH", NewAction(title="Vetting appeal", owners=(AH,), private=True)),
    ("/action new Vetting appeal owner AH confidential", NewAction(title="Vetting appeal", owners=(AH,), private=True)),
    ("/action new Part B – Essex Juno", NewAction(title="Part B – Essex Juno", private=True)),
    ("/action new Fleet review owner ah, vh due 14/12",
     NewAction(title="Fleet review", owners=(AH, VH), due=When("day", DEC_14))),
    ("/action new Fleet review owner annette hadley", NewAction(title="Fleet review",
                                                                owners=(Who("name", "Annette Hadley"),))),
    ("/action new Report to the board meeting owner AH", NewAction(title="Report to the board meeting", owners=(AH,))),
    ("/action new Review due dates owner AH due 14/12", NewAction(title="Review due dates", owners=(AH,),
                                                                  due=When("day", DEC_14))),
    ('/action new "Fees due to the council owner" owner AH due 14/12',
     NewAction(title="Fees due to the council owner", owners=(AH,), due=When("day", DEC_14))),
    ("/action new Report owner AH due next meeting", NewAction(title="Report", owners=(AH,), due=When("next meeting"))),
    ("/action new Report due the meeting after next", NewAction(title="Report", due=When("meeting after next"))),
    ("/action new Report due the March meeting", NewAction(title="Report", due=When("month's meeting",
                                                                                     dt.date(2019, 3, 1)))),
    ("/action new Tell <@UAH0001> and <!here> about it", NewAction(title="Tell Anna Hook and @here about it")),
    ("/action new P&R review owner <@UAH0001|anna>", NewAction(title="P&R review",
                                                             owners=(Who("slack", "UAH0001", "anna"),))),
    # refs, with board anywhere
    ("/action update 74/18 Paper prepared; to the 3 January meeting",
     UpdateAction(target=ref("74/18"), text="Paper prepared; to the 3 January meeting")),
    ("/action update 74 board P&R Sent", UpdateAction(target=ref("74"), text="Sent", board="P&R")),
    ("/action close 85/18 Completed", CloseAction(target=ref("85/18"), note="Completed")),
    ("/action close 66/18 when evaluation of the updated paper",
     CloseAction(target=ref("66/18"), condition="evaluation of the updated paper")),
    ("/action confirm #66 board P&R", ConfirmClosure(target=ref("#66"), board="P&R")),
    ("/action due 2 board P&R 20/12", SetDue(target=ref("2"), due=When("day", dt.date(2018, 12, 20)), board="P&R")),
    ("/action due 2 20/12 board Estates", SetDue(target=ref("2"), due=When("day", dt.date(2018, 12, 20)),
                                                board="Estates")),
    ("/action due 81/18 next meeting", SetDue(target=ref("81/18"), due=When("next meeting"))),
    ("/action snooze 74/18", Snooze(target=ref("74/18"))),
    ("/action snooze 74/18 until 14/12", Snooze(target=ref("74/18"), until=When("day", DEC_14))),
    ("/action assign 4 board P&R + XX", Assign(target=ref("4"), owners=(XX,), add=True, board="P&R")),
    ("/action assign 91/18 AH and VH", Assign(target=ref("91/18"), owners=(AH, VH))),
    ("/action show Action 74", ShowAction(target=ref("Action 74"))),
    ("/action list", ListActions(which="open")),
    ("/action list overdue board Estates", ListActions(which="overdue", board="Estates")),
    ("/action list VH", ListActions(which="who", who=(VH,))),
    ("/action digest board Strategic Board", Digest(board="Strategic Board")),
    # /plan and /meeting
    ("/plan add Budget monitoring for March 2019 quarterly owner SH private board P&R",
     AddPaper(title="Budget monitoring", when=When("month", dt.date(2019, 3, 1)), owners=(SH,),
              recurrence="quarterly", private=True, board="P&R")),
    ("/plan add Update on funding for Specials for 3 January 2019 owner AH",
     AddPaper(title="Update on funding for Specials", when=When("day", JAN_3), owners=(AH,))),
    ("/plan add Vetting private for tbc", AddPaper(title="Vetting", when=When("tbc"), private=True)),
    ("/plan move FP-3 to April 2019", MovePaper(number=3, when=When("month", dt.date(2019, 4, 1)))),
    ("/plan drop FP-9 board Estates", DropPaper(number=9, board="Estates")),
    ("/plan drop FP-9 series no longer needed", DropPaper(number=9, series=True, reason="no longer needed")),
    ("/plan received FP-1", PaperReceived(number=1)),
    ("/plan list March 2019", ListPlan(which="month", month=dt.date(2019, 3, 1))),
    ("/meeting add 3 January 2019 10am provisional", AddMeetings(days=(JAN_3,), time=dt.time(10), provisional=True)),
    ("/meeting confirm 9 February 2019", ConfirmMeeting(day=dt.date(2019, 2, 9))),
    ("/meeting move 3 January 2019 to 10 January 2019 2pm",
     MoveMeeting(day=JAN_3, to=dt.date(2019, 1, 10), time=dt.time(14))),
    # /clerk
    ("/clerk board P&R chair <@UJG0001|jg> secretary + GA channel <#CPR|pr-board>",
     SetUpBoard(name="P&R", roles=(RoleWords(role="chair", people=(Who("slack", "UJG0001", "jg"),)),
                                   RoleWords(role="secretary", people=(Who("initials", "GA"),), how="+")),
                channel="CPR")),
    ("/clerk board p&r", ShowBoard(name="P&R")),
    ("/clerk board Audit members - AH", SetUpBoard(name="Audit", roles=(RoleWords(role="member", people=(AH,),
                                                                                    how="-"),))),
    ("/clerk person GN Gareth Nicholson", RegisterPerson(initials="GN", full_name="Gareth Nicholson")),
    ("/clerk person gn <@UGN0001|gareth>", RegisterPerson(initials="GN", slack=Who("slack", "UGN0001", "gareth"))),
    ("/clerk person GN name Gareth Nicolson", ChangePerson(initials="GN", full_name="Gareth Nicolson")),
    ("/clerk person GN initials GNI", ChangePerson(initials="GN", new_initials="GNI")),
    ("/clerk person GN", ShowPerson(initials="GN")),
    ("/clerk merge GNI into GN", MergePeople(gone=Who("initials", "GNI"), keep=Who("initials", "GN"))),
    ("/clerk settings", ShowSettings()),
    ("/clerk settings numbering continuous board Estates", ChangeSettings(changes=(("numbering", "continuous"),),
                                                                          board="Estates")),
    ("help", Help(about="")),
    ("/plan help", Help(about="plan")),
])
def test_lines_are_read_into_typed_commands(line, command):
    assert read(line) == command


@pytest.mark.parametrize("line, says", [
    # a clause whose value can't be read is refused, quoting the words, never kept in a title
    ("/action new Fleet review owner AH due sometime soon", "I can't read “sometime soon” as a date"),
    ("/action new Fleet review due tbc", "Leave out “due” when there is no date yet"),
    ("/action new Fleet review due Christmas", "“Christmas” is a bank holiday, not a working day: say before Christmas"),
    ("/action new Fleet review owner the fleet team", "I can't read “the fleet team” as owners"),
    ("/action new Report board P&Q", "There is no board “P&Q”. Did you mean P&R?"),
    ("/action new Report owner AH owner VH", "“owner” is given twice"),
    # impossible dates are refused, never read as another date
    ("/action new Report due 32 December", "December has no day 32"),
    ("/action new Report due 14/13", "there is no month 13"),
    ("/action new Report due 12/14", "there is no month 14"),
    ("/action new Report due 31/02", "February has no day 31"),
    ("/action new Report owner XY due 32/13", "“32/13” is not a date"),
    ("/action new Report due 14/12/2031", "more than two years away"),
    ("/action due 74/18 someday", "I can't read “someday” as a date"),
    ("/action due 74/18 board P&Q 14/12", "There is no board “P&Q”"),
    # suggestions by edit distance, each once
    ("/action clsoe 74", "Did you mean /action close?"),
    ("acton list", "I didn't recognise “acton”. Did you mean /action list?"),
    ("/action list mein", "Did you mean mine?"),
    ("/clerk settigns", "Did you mean /clerk settings?"),
    ("/action close", "Which action?"),
    ("/action close FP-1", "“FP-1” is not an action ref"),
    ("/plan move FP-2 to Febtember", "I can't read “Febtember” as a month"),
    ("/plan add Weekly report weekly for tbc", "“weekly” is not a recurrence Clerk keeps"),
    ("/plan add Report monthly quarterly for tbc", "monthly or quarterly, not both"),
    ("/plan add Report owner AH", "Which meeting is it for?"),
    ("/clerk person A1 Anna", "not a set of initials"),
    ("/clerk person GN @gareth", "looks like a mention, not a name"),
    ("/clerk settings closure maybe", "closure can be direct or chair-confirms"),
    ("/clerk settings paper-deadline ²", "paper-deadline takes a number of working days"),
    ("/clerk board P&R channel general", "is not a channel"),
    ("/clerk board P&R chair AH and VH", "A board has one chair."),
    ("/clerk merge GNI", "Merge whom into whom?"),
    ("hello there", "I didn't recognise “hello”."),
])
def test_bad_commands_say_what_was_wrong_and_the_right_form(line, says):
    with pytest.raises(ParseError) as exc:
        read(line)
    assert says in exc.value.message
    assert exc.value.usage


def test_a_run_of_spaces_or_newlines_costs_no_more_than_the_words():
    # the cost is measured in bench/grammar.py; here only that the text is read the same way
    assert read("/action new a" + " " * 3000 + "b owner AH") == NewAction(title="a b", owners=(AH,))
    assert read("/action new a" + "\n" * 3000 + "b") == NewAction(title="a b")


@pytest.mark.parametrize("typed, expected", [
    ("14/12", dt.date(2018, 12, 14)),
    ("22 nd December", dt.date(2018, 12, 22)),
    ("27 th January 2019", dt.date(2019, 1, 27)),
    ("end of January", dt.date(2019, 1, 31)),
    ("end of February 2020", dt.date(2020, 2, 29)),
    ("w/c 3 Dec", dt.date(2018, 12, 3)),
    ("next Friday", dt.date(2018, 11, 30)),
    ("in 2 weeks", dt.date(2018, 12, 13)),
    ("3rd January 2019", dt.date(2019, 1, 3)),
    ("24 November", dt.date(2019, 11, 24)),  # a new due date: the next 24 November
    ("31/12/2018", dt.date(2018, 12, 31)),
    ("3/1/19", dt.date(2019, 1, 3)),
    ("2019-01-03", dt.date(2019, 1, 3)),
    ("Dec 14", dt.date(2018, 12, 14)),
])
def test_british_dates(typed, expected):
    assert read_date(typed, THU_29_NOV_2018).value == expected


def test_old_logs_read_against_their_own_date():
    assert read_date("24 November", THU_29_NOV_2018, future=False, allow_past=True).value == dt.date(2018, 11, 24)
    assert read_date("27 th January 2017", THU_29_NOV_2018, future=False, allow_past=True).value == dt.date(2017, 1, 27)
    assert read_date("14/12", THU_29_NOV_2018, future=False, allow_past=True).value == dt.date(2017, 12, 14)


@pytest.mark.parametrize("typed, says", [
    ("TBC", "is not a date"), ("asap", "is not a date"), ("74/18", "is not a date"),
    ("someday", "can't read"), ("1/11/2018", "is in the past"), ("14/12/2031", "more than two years"),
    ("end of blah", "after “end of” give a month"), ("32 December", "December has no day 32"),
    ("31/04/2019", "April has no day 31"), ("29/02/2019", "February has no day 29"),
])
def test_what_is_not_a_due_date(typed, says):
    with pytest.raises(DateError, match=says):
        read_date(typed, THU_29_NOV_2018)


@pytest.mark.parametrize("typed, number, year", [
    ("74/18", 74, 2018), ("74", 74, None), ("#74", 74, None), ("Action 74", 74, None), ("action 74:", 74, None),
    ("84/1", 84, 2001), ("12/2019", 12, 2019),
])
def test_refs(typed, number, year):
    found, _ = take_ref(typed + " rest")
    assert (found.number, found.year) == (number, year)


@pytest.mark.parametrize("typed, people", [
    ("AH and VH", ["AH", "VH"]), ("SH/VH", ["SH", "VH"]), ("DM/RH/CG/SH", ["DM", "RH", "CG", "SH"]),
    ("PBI", ["PBI"]), ("\x02@U0001|anna\x03 \x02@U0002\x03", ["U0001", "U0002"]), ("Annette Hadley, VH", ["Annette Hadley", "VH"]),
    ("Pippa Brent-Isherwood & AP", ["Pippa Brent-Isherwood", "AP"]), ("ah; vh", ["AH", "VH"]),
])
def test_owner_lists(typed, people):
    assert [w.value for w in read_who(typed)] == people


def test_plain_text_at_names_are_refused_with_a_hint():
    with pytest.raises(WhoError, match="@ menu"):
        read_who("@anna")


@pytest.mark.parametrize("raw, typed", [
    ("P&amp;R", "P&R"), ("a &lt;b&gt; c", "a <b> c"), ("&amp;amp;", "&amp;"), ("&amp;lt;", "&lt;"),
    ("<@U1|anna> &amp; <#C1|pr>", "\x02@U1|anna\x03 & \x02#C1|pr\x03"),
    ("<https://x.org/?a=1&amp;b=2|R&amp;D>", "\x02https://x.org/?a=1&b=2|R&D\x03"),
])
def test_slacks_text_is_read_as_typed(raw, typed):
    assert slacktext.from_slack(raw) == typed


def test_slack_tokens_in_free_text_become_words():
    assert slacktext.plain(slacktext.from_slack("<@U1|anna> <@U2> <#C1|pr-board> <!here> <!subteam^S1|@panel> "
                                                "<https://a.org|the paper> <https://b.org>"),
                           {"U2": "Victoria Harrington"}.get) == \
        "@anna Victoria Harrington #pr-board @here @panel the paper (https://a.org) https://b.org"


@pytest.mark.parametrize("raw, says", [
    ("action new a\x00b", "control character (U+0000)"), ("x" * 4001, "at most 4,000"),
])
def test_what_ingress_refuses_before_parsing(raw, says):
    assert says in slacktext.problem(raw)


def test_every_verb_has_a_runner():
    from grammar import commands
    from service.runners import RUNNERS
    types = {t for t in vars(commands).values() if isinstance(t, type) and issubclass(t, commands.Command)
             and t not in (commands.Command, commands.RoleWords)}
    assert types - set(RUNNERS) == set()
