"""The words of /meeting and /plan: meetings (one, or a series) and forward-plan papers."""
from __future__ import annotations

import datetime as dt
import re
from typing import Sequence

from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, rrule

from grammar.dates import DateError, When, read_date, read_when
from grammar.errors import Refusal
from grammar.who import WhoError, read_who

USAGE = {
    "meeting add": "/meeting add <date> [time] [provisional] [board <name>]   or   "
                   "/meeting add first Thursday of every month until July 2027",
    "meeting cancel": "/meeting cancel <date> [board <name>]",
    "meeting move": "/meeting move <date> to <new date> [time] [board <name>]",
    "meeting list": "/meeting list [board <name>]",
    "plan add": "/plan add <title> for <meeting date | month | next meeting | tbc> [owner <who>] "
                "[monthly|quarterly] [private] [board <name>]",
    "plan move": "/plan move FP-<n> to <meeting date | month | next meeting | tbc>",
    "plan drop": "/plan drop FP-<n> [reason]   (add “series” to stop a recurring paper)",
    "plan received": "/plan received FP-<n>",
    "plan list": "/plan list [<month> | tbc | all] [board <name>]",
}
MAX_SERIES = 36
_TIME = re.compile(r"\b(?:at\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?(?=\s|$)", re.I)
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": -1}
_WEEKDAYS = {"mon": MO, "tue": TU, "wed": WE, "thu": TH, "fri": FR, "sat": SA, "sun": SU}
_SERIES = re.compile(
    r"^(?:(?P<nth>first|second|third|fourth|last|1st|2nd|3rd|4th)\s+(?P<wd>mon|tue|wed|thu|fri|sat|sun)[a-z]*\s+of\s+)?"
    r"every\s+(?P<unit>month|quarter)(?:\s+from\s+(?P<start>.+?))?(?:\s+until\s+(?P<until>.+))?$", re.I)
FP_REF = re.compile(r"^(?:fp-?|#)?(\d{1,5})\b", re.I)


class PlanningError(Refusal):
    pass


def read_time(text: str) -> tuple[dt.time | None, str]:
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
            raise PlanningError(f"“{m.group(0).strip()}” is not a time of day.", USAGE["meeting add"])
        return dt.time(hour, minute), (text[:m.start()] + text[m.end():]).strip()
    return None, text


def read_meeting_days(text: str, today: dt.date) -> list[dt.date]:
    """One date, or a series: `first Thursday of every month until July 2027`, `every quarter from March 2019`."""
    m = _SERIES.match(text.strip())
    if not m:
        if "every" in text.lower():
            raise PlanningError(f"I can't read “{text}” as a series of meetings.", USAGE["meeting add"])
        try:
            return [read_date(text, today, allow_next_meeting=False).value]
        except DateError as exc:
            raise PlanningError(str(exc), USAGE["meeting add"]) from None
    try:
        start = read_when(m.group("start"), today) if m.group("start") else When("day", today)
        until = read_when(m.group("until"), today) if m.group("until") else None
    except DateError as exc:
        raise PlanningError(str(exc), USAGE["meeting add"]) from None
    if start.kind not in ("day", "month") or (until and until.kind not in ("day", "month")):
        raise PlanningError("A series runs from a date or month until a date or month.", USAGE["meeting add"])
    first = start.day
    if until is None:
        last = dt.date(first.year + 1, first.month, 1) - dt.timedelta(days=1)
    elif until.kind == "month":
        last = (until.day + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    else:
        last = until.day
    interval = 3 if m.group("unit").lower() == "quarter" else 1
    if m.group("nth"):
        weekday = _WEEKDAYS[m.group("wd").lower()[:3]](_ORDINALS[m.group("nth").lower()])
        rule = rrule(MONTHLY, interval=interval, byweekday=weekday, dtstart=first.replace(day=1), until=last)
    else:
        rule = rrule(MONTHLY, interval=interval, bymonthday=first.day, dtstart=first, until=last)
    days = [d.date() for d in rule if d.date() >= max(first, today)]
    if not days:
        raise PlanningError("That series has no meeting from today on.", USAGE["meeting add"])
    if len(days) > MAX_SERIES:
        raise PlanningError(f"That is {len(days)} meetings; add at most {MAX_SERIES} at once.", USAGE["meeting add"])
    return days


def take_fp_ref(text: str, usage: str) -> tuple[int, str]:
    m = FP_REF.match(text.strip())
    if not m:
        got = f"“{text.split()[0]}” is not a forward-plan ref" if text.strip() else "Which paper?"
        raise PlanningError(f"{got}. Forward-plan refs look like FP-12.", usage)
    return int(m.group(1)), text.strip()[m.end():].strip()


def read_plan_add(rest: str, today: dt.date, boards: Sequence[str], match_board) -> dict:
    """`<title> for <when> [owner <who>] [monthly|quarterly] [private] [board <name>]`."""
    usage = USAGE["plan add"]
    body, found = rest, {"private": False, "recurrence": None, "owners": None, "board": None}
    while True:
        m = re.search(r"\s+(private|part\s*b|monthly|quarterly)\s*$", body, re.I)
        if not m:
            break
        word = m.group(1).lower()
        found["private" if word.startswith(("private", "part")) else "recurrence"] = \
            True if word.startswith(("private", "part")) else word
        body = body[:m.start()]
    m = re.search(r"\bboard\s+(.+)$", body, re.I)
    if m and match_board(m.group(1), boards):
        found["board"], body = match_board(m.group(1), boards), body[:m.start()]
    m = re.search(r"\bowners?\s+(.+)$", body, re.I)
    if m:
        try:
            found["owners"] = read_who(m.group(1))
        except WhoError as exc:
            raise PlanningError(str(exc), usage) from None
        body = body[:m.start()]
    m = re.search(r"\s+(?:for|from)\s+(?!.*\s(?:for|from)\s)(.+)$", body, re.I)
    if not m:
        raise PlanningError("Which meeting is it for? Add “for <meeting date | month | next meeting | tbc>”.", usage)
    m2 = re.search(r"\s+(quarterly|monthly)$", body[:m.start()], re.I)
    if m2:  # "… quarterly from March 2019"
        found["recurrence"] = m2.group(1).lower()
        title = body[:m2.start()]
    else:
        title = body[:m.start()]
    try:
        found["when"] = read_when(m.group(1), today)
    except DateError as exc:
        raise PlanningError(str(exc), usage) from None
    title = " ".join(title.split())
    odd = re.search(r"\b(weekly|fortnightly|bi-?monthly|annually|yearly|half-yearly|six-monthly|"
                    r"every\s+\w+(?:\s+\w+)?)$", title, re.I)
    if odd:
        raise PlanningError(f"“{odd.group(1)}” is not a recurrence Clerk keeps: a paper repeats monthly or "
                            "quarterly (e.g. quarterly from March 2019).", usage)
    if not title:
        raise PlanningError("The paper needs a title.", usage)
    if len(title) > 500:
        raise PlanningError("Keep a paper's title to 500 characters.", usage)
    found["title"] = title
    return found
