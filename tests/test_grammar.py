"""The command language, as officers type it (pure: no Slack, no database)."""
import datetime as dt

import pytest

from grammar.commands import ParseError, parse
from grammar.dates import DateError, read_date
from grammar.refs import take_ref
from grammar.who import WhoError, read_who

THU_29_NOV_2018 = dt.date(2018, 11, 29)


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
])
def test_british_dates(typed, expected):
    assert read_date(typed, THU_29_NOV_2018).value == expected


def test_old_logs_read_against_their_own_date():
    assert read_date("24 November", THU_29_NOV_2018, future=False, allow_past=True).value == dt.date(2018, 11, 24)
    assert read_date("27 th January 2017", THU_29_NOV_2018, future=False, allow_past=True).value == dt.date(2017, 1, 27)


@pytest.mark.parametrize("typed, says", [
    ("TBC", "is not a date"), ("asap", "is not a date"), ("74/18", "is not a date"),
    ("someday", "can't read"), ("1/11/2018", "is in the past"), ("14/12/2031", "more than two years"),
    ("end of blah", "after “end of” give a month"),
])
def test_what_is_not_a_due_date(typed, says):
    with pytest.raises(DateError, match=says):
        read_date(typed, THU_29_NOV_2018)


def test_next_meeting_is_ours_not_dateparsers():
    assert read_date("next meeting", THU_29_NOV_2018).next_meeting


@pytest.mark.parametrize("typed, number, year", [
    ("74/18", 74, 2018), ("74", 74, None), ("#74", 74, None), ("Action 74", 74, None), ("action 74:", 74, None),
    ("84/1", 84, 2001), ("12/2019", 12, 2019),
])
def test_refs(typed, number, year):
    ref, _ = take_ref(typed + " rest")
    assert (ref.number, ref.year) == (number, year)


@pytest.mark.parametrize("typed, people", [
    ("AH and VH", ["AH", "VH"]), ("SH/VH", ["SH", "VH"]), ("DM/RH/CG/SH", ["DM", "RH", "CG", "SH"]),
    ("PBI", ["PBI"]), ("<@U1|anna> <@U2>", ["U1", "U2"]), ("Annette Hadley, VH", ["Annette Hadley", "VH"]),
    ("Pippa Brent-Isherwood & AP", ["Pippa Brent-Isherwood", "AP"]),
])
def test_owner_lists(typed, people):
    assert [w.value for w in read_who(typed)] == people


def test_plain_text_at_names_are_refused_with_a_hint():
    with pytest.raises(WhoError, match="@ menu"):
        read_who("@anna")


def test_new_action_clauses_are_read_from_the_right():
    cmd = parse("/action new Review of funding due to cuts owner DM due 14/12", today=THU_29_NOV_2018)
    assert (cmd.text, [w.value for w in cmd.owners], cmd.due.value) == ("Review of funding due to cuts", ["DM"], dt.date(2018, 12, 14))
    cmd = parse("action new Appoint a new owner for the estate", today=THU_29_NOV_2018)
    assert cmd.text == "Appoint a new owner for the estate" and cmd.owners is None
    cmd = parse("/action new Analysis owner MH board Strategic Board private", today=THU_29_NOV_2018,
                boards=["Strategic Board", "P&R"])
    assert (cmd.text, cmd.board, cmd.private) == ("Analysis", "Strategic Board", True)
    assert parse("/action new Part B – Essex Juno", today=THU_29_NOV_2018).private


@pytest.mark.parametrize("typed, says", [
    ("/action new Report owner XY due 32/13", "“32/13” is not a date"),
    ("/action new Report board P&Q", "Did you mean P&R?"),
    ("/action clsoe 74", "Did you mean /action close?"),
    ("/action close", "Which action?"),
    ("/action close FP-1", "“FP-1” is not an action ref"),
    ("/action list mein", "Did you mean mine?"),
    ("/clerk person A1 Anna", "not a set of initials"),
    ("/clerk settings closure maybe", "closure can be direct or chair-confirms"),
    ("/clerk board P&R channel general", "is not a channel"),
    ("hello there", "I didn't recognise that command."),
])
def test_bad_commands_say_what_was_wrong_and_the_right_form(typed, says):
    with pytest.raises(ParseError) as exc:
        parse(typed, today=THU_29_NOV_2018, boards=["P&R"])
    assert says in exc.value.message
    assert exc.value.usage
