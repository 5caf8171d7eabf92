"""The words of /meeting and /plan: meetings (one, or a series) and forward-plan papers."""
from __future__ import annotations

import datetime as dt
import re

from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, rrule

from grammar.clauses import scan
from grammar.commands import (
    AddMeetings,
    AddPaper,
    CancelMeeting,
    ConfirmMeeting,
    DropPaper,
    ListMeetings,
    ListPlan,
    MoveMeeting,
    MovePaper,
    PaperReceived,
)
from grammar.dates import DateError, read_date, read_meeting, read_when
from grammar.registry import (
    Context,
    board_named,
    dated,
    only_head,
    owners_from,
    refuse,
    take_board_prefix,
    title_problem,
    verb,
    when_from,
)
from store.permissions import Act
from store.terms import When

M, P = "meeting", "plan"
MAX_SERIES = 36
BOARD_ONLY = {"board": "board"}
PLAN_CLAUSES = {"for": "for", "from": "for", "owner": "owner", "owners": "owner", "board": "board"}
_TIME = re.compile(r"\b(?:at\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?(?=\s|$)", re.I)
_PROVISIONAL = re.compile(r"\(?\bprovisional(?:ly)?\b\)?", re.I)
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": -1}
_WEEKDAYS = {"mon": MO, "tue": TU, "wed": WE, "thu": TH, "fri": FR, "sat": SA, "sun": SU}
_SERIES = re.compile(
    r"^(?:(?P<nth>first|second|third|fourth|last|1st|2nd|3rd|4th)\s+(?P<wd>mon|tue|wed|thu|fri|sat|sun)[a-z]*\s+of\s+)?"
    r"every\s+(?P<unit>month|quarter)(?:\s+from\s+(?P<start>.{1,40}?))?(?:\s+until\s+(?P<until>.{1,40}))?$", re.I)
FP_REF = re.compile(r"^(?:fp-?|#)?(\d{1,5})\b", re.I)
_ODD_RECURRENCE = re.compile(r"\b(weekly|fortnightly|bi-?monthly|annually|yearly|half-yearly|six-monthly)$", re.I)


def read_time(text: str, noun: str = M, name: str = "add") -> tuple[dt.time | None, str]:
    """`1pm`, `1.00pm`, `10:00`, `at 13:30`: the time and the text without it."""
    for m in _TIME.finditer(text):
        hour, minute, half = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower()
        if not (half or m.group(2)):
            continue  # a bare number is a day, not a time
        if half == "pm" and hour < 12:
            hour += 12
        if half == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            raise refuse(f"“{m.group(0).strip()}” is not a time of day.", noun, name)
        return dt.time(hour, minute), (text[:m.start()] + text[m.end():]).strip()
    return None, text


def _meeting(words: str, context: Context, name: str) -> dict:
    """A meeting named by its date, or by a phrase the board's meetings answer (the April meeting,
    next meeting, the meeting after next): the command's `day` or `meeting`."""
    try:
        phrase = read_meeting(words, context.today, region=context.region)
    except DateError as exc:
        raise refuse(str(exc), M, name) from None
    if phrase is not None:
        return {"meeting": phrase}
    return {"day": _day(words, context, name)}


def _day(words: str, context: Context, name: str, *, past: bool = True) -> dt.date:
    try:
        return read_date(words, context.today, allow_past=past, allow_next_meeting=False,
                         region=context.region).value
    except DateError as exc:
        raise refuse(str(exc), M, name) from None


def meeting_days(text: str, context: Context) -> list[dt.date]:
    """One date, or a series: `first Thursday of every month until July 2027`, `every quarter from March 2019`.
    A series without `until` is a year of meetings from today: twelve monthly, four quarterly."""
    today = context.today
    m = _SERIES.match(text.strip())
    if not m:
        if "every" in text.lower():
            raise refuse(f"I can't read “{text}” as a series of meetings.", M, "add")
        return [_day(text, context, "add", past=False)]
    try:
        start = read_when(m.group("start"), today, context.region) if m.group("start") else When("day", today)
        until = read_when(m.group("until"), today, context.region) if m.group("until") else None
    except DateError as exc:
        raise refuse(str(exc), M, "add") from None
    if start.kind not in ("day", "month") or (until and until.kind not in ("day", "month")):
        raise refuse("A series runs from a date or month until a date or month.", M, "add")
    first = start.day
    interval = 3 if m.group("unit").lower() == "quarter" else 1
    if until is None:  # a year of meetings: twelve monthly, four quarterly
        last, count = None, 12 // interval
    else:
        last = (until.day + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1) \
            if until.kind == "month" else until.day
        count = None
    limit = (count or MAX_SERIES) + 13  # enough occurrences to find those from today on, never unbounded
    if m.group("nth"):
        weekday = _WEEKDAYS[m.group("wd").lower()[:3]](_ORDINALS[m.group("nth").lower()])
        rule = rrule(MONTHLY, interval=interval, byweekday=weekday, dtstart=first.replace(day=1), until=last,
                     count=None if last else limit)
    else:
        rule = rrule(MONTHLY, interval=interval, bymonthday=first.day, dtstart=first, until=last,
                     count=None if last else limit)
    days = [d.date() for d in rule.xafter(dt.datetime.combine(max(first, today), dt.time()), count=MAX_SERIES + 1,
                                          inc=True)]
    if count is not None:
        days = days[:count]
    if not days:
        raise refuse("That series has no meeting from today on.", M, "add")
    if len(days) > MAX_SERIES:
        raise refuse(f"That is {len(days)} meetings; add at most {MAX_SERIES} at once.", M, "add")
    return days


def take_fp(text: str, name: str) -> tuple[int, str]:
    m = FP_REF.match(text.strip())
    if not m:
        got = f"“{text.split()[0]}” is not a forward-plan ref" if text.strip() else "Which paper?"
        raise refuse(f"{got}. Forward-plan refs look like FP-12.", P, name)
    return int(m.group(1)), text.strip()[m.end():].strip()


def _board_and_rest(text: str, context: Context, noun: str, name: str) -> tuple[str | None, str]:
    found = scan(text, clauses=BOARD_ONLY, boards=context.boards)
    return board_named(found.clauses.get("board"), context, noun, name), only_head(found, noun, name)


# -- /meeting --------------------------------------------------------------------------------

@verb(M, "add", "/meeting add <date> [time] [provisional] [board <name>]   or   "
                "/meeting add first Thursday of every month until July", acts=(Act.MEETINGS,),
      about="add a meeting, or a series",
      examples=[("Add a meeting", "meeting add {meeting} 10am"),
                ("A provisional one", "meeting add {later_meeting} 1pm provisional"),
                ("A series", "meeting add first Thursday of every month until July")])
def meeting_add(text: str, context: Context) -> AddMeetings:
    board, rest = _board_and_rest(text, context, M, "add")
    provisional = bool(_PROVISIONAL.search(rest))
    rest = " ".join(_PROVISIONAL.sub(" ", rest).split())
    time = None
    if not re.search(r"\bevery\b", rest, re.I):
        time, rest = read_time(rest)
    if not rest:
        raise refuse("Which date?", M, "add")
    return AddMeetings(days=tuple(meeting_days(rest, context)), time=time, provisional=provisional, board=board)


@verb(M, "confirm", "/meeting confirm <date> [board <name>]", acts=(Act.MEETINGS,),
      about="a provisional meeting becomes a fixed one",
      examples=[("Fix a provisional meeting", "meeting confirm {later_meeting}")])
def meeting_confirm(text: str, context: Context) -> ConfirmMeeting:
    board, rest = _board_and_rest(text, context, M, "confirm")
    return ConfirmMeeting(**_meeting(rest, context, "confirm"), board=board)


@verb(M, "cancel", "/meeting cancel <date> [board <name>]", acts=(Act.MEETINGS,),
      about="cancel a meeting (its papers wait in that month)",
      examples=[("Cancel (its papers wait in that month)", "meeting cancel {meeting}")])
def meeting_cancel(text: str, context: Context) -> CancelMeeting:
    board, rest = _board_and_rest(text, context, M, "cancel")
    return CancelMeeting(**_meeting(rest, context, "cancel"), board=board)


@verb(M, "move", "/meeting move <date> to <new date> [time] [board <name>]", acts=(Act.MEETINGS,),
      about="reschedule a meeting; its papers follow",
      examples=[("Reschedule", "meeting move {meeting} to {week_later}")])
def meeting_move(text: str, context: Context) -> MoveMeeting:
    board, rest = _board_and_rest(text, context, M, "move")
    parts = re.split(r"\s+to\s+", rest, maxsplit=1, flags=re.I)
    if len(parts) != 2:
        raise refuse("Move which meeting to when? e.g. /meeting move "
                     + dated("{meeting} to {week_later}", context.today), M, "move")
    old, new = parts
    time, new = read_time(new, M, "move")
    return MoveMeeting(**_meeting(old, context, "move"), to=_day(new, context, "move", past=False), time=time,
                       board=board)


@verb(M, "list", "/meeting list [board <name>]", acts=(Act.READ,), about="the coming meetings",
      examples=[("What is coming", "meeting list")])
def meeting_list(text: str, context: Context) -> ListMeetings:
    board, rest = _board_and_rest(text, context, M, "list")
    if rest:
        raise refuse(f"I don't know what to do with “{rest}”.", M, "list")
    return ListMeetings(board=board)


# -- /plan -----------------------------------------------------------------------------------

@verb(P, "add", "/plan add <title> for <meeting date | month | next meeting | tbc> [owner <who>] "
                "[monthly|quarterly] [private] [board <name>]", acts=(Act.PLAN_ADD,),
      about="put a paper on the forward plan",
      examples=[("A paper for a meeting", "plan add Update on Mobile Policing for {meeting} owner AH"),
                ("A quarterly rolling report",
                 "plan add Crime Prevention Strategy Action Plan quarterly from {month} owner VH"),
                ("Added once a date is identified", "plan add DVPO and DVPN study for tbc owner AH and VH")])
def plan_add(text: str, context: Context) -> AddPaper:
    found = scan(text, clauses=PLAN_CLAUSES, boards=context.boards, flags=("private", "monthly", "quarterly"),
                 last_wins=("for",))
    title = " ".join(context.plain(only_head(found, P, "add")).split())
    recurrences = found.flags & {"monthly", "quarterly"}
    if len(recurrences) > 1:
        raise refuse("A paper repeats monthly or quarterly, not both.", P, "add")
    odd = _ODD_RECURRENCE.search(title)
    if odd:
        raise refuse(f"“{odd.group(1)}” is not a recurrence Clerk keeps: a paper repeats monthly or "
                     f"quarterly (e.g. quarterly from {dated('{month}', context.today)}).", P, "add")
    problem = title_problem(title, "paper")
    if problem:
        raise refuse(problem, P, "add")
    if "for" not in found.clauses:
        raise refuse("Which meeting is it for? Add “for <meeting date | month | next meeting | tbc>”.", P, "add")
    when = when_from(found.clauses["for"], context, P, "add")
    owners = owners_from(found.clauses["owner"], context, P, "add") if "owner" in found.clauses else ()
    return AddPaper(title=title, when=when, owners=owners, recurrence=next(iter(recurrences), None),
                    private="private" in found.flags or bool(re.match(r"^part\s*b\b", title, re.I)),
                    board=board_named(found.clauses.get("board"), context, P, "add"))


@verb(P, "move", "/plan move FP-<n> to <meeting date | month | next meeting | tbc> [board <name>]",
      acts=(Act.PLAN_CHANGE,), about="move a paper to another meeting or month",
      examples=[("Move a paper", "plan move FP-3 to {later_month}")])
def plan_move(text: str, context: Context) -> MovePaper:
    number, rest = take_fp(text, "move")
    board, rest = _board_and_rest(rest, context, P, "move")
    rest = re.sub(r"^(to|for)\s+", "", rest, flags=re.I)
    if not rest:
        raise refuse("Move it to which meeting or month?", P, "move")
    return MovePaper(number=number, when=when_from(rest, context, P, "move"), board=board)


@verb(P, "drop", "/plan drop FP-<n> [reason]   (add “series” to stop a recurring paper)", synonyms=("remove",),
      acts=(Act.PLAN_CHANGE,), about="take a paper off the plan",
      examples=[("Drop a paper", "plan drop FP-4 removed from April")])
def plan_drop(text: str, context: Context) -> DropPaper:
    number, rest = take_fp(text, "drop")
    board, rest = take_board_prefix(rest, context)
    m = re.match(r"^(?:the\s+)?series\b[\s:,-]*", rest, re.I)
    series = bool(m)
    if m:
        rest = rest[m.end():]
    if board is None:
        board, rest = take_board_prefix(rest, context)
    return DropPaper(number=number, reason=context.plain(rest).strip(), series=series, board=board)


@verb(P, "received", "/plan received FP-<n> [board <name>]", synonyms=("receive", "in"),
      acts=(Act.PLAN_CHANGE,), about="the paper is in",
      examples=[("The paper is in", "plan received FP-1")])
def plan_received(text: str, context: Context) -> PaperReceived:
    number, rest = take_fp(text, "received")
    board, rest = _board_and_rest(rest, context, P, "received")
    if rest:
        raise refuse(f"I don't know what to do with “{rest}”.", P, "received")
    return PaperReceived(number=number, board=board)


@verb(P, "list", "/plan list [<month> | tbc | all] [board <name>]", synonyms=("ls",), acts=(Act.READ,),
      about="the forward plan", examples=[("The plan", "plan list · plan list {month} · plan list tbc")])
def plan_list(text: str, context: Context) -> ListPlan:
    board, rest = _board_and_rest(text, context, P, "list")
    word = rest.strip().lower()
    if word in ("", "coming", "all", "tbc"):
        return ListPlan(which=word or "coming", board=board)
    when = when_from(rest, context, P, "list")
    if when.kind != "month":
        raise refuse(f"List a month ({dated('{month}', context.today)}), tbc or all, not “{rest}”.", P, "list")
    return ListPlan(which="month", month=when.day, board=board)
