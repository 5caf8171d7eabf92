"""British dates as board officers type them, read with dateparser.

dateparser does the reading of words ("next Friday", "22 nd December", "in 2 weeks"); this module
keeps our own words out of its way ("next meeting", "TBC", refs like 74/18 that it would read as
2074), refuses impossible dates before dateparser can turn them into other ones (`32 December`
would be 1 Dec 2032, `14/13` 14 Nov 2113), adds "end of <month>" and "w/c <date>", and refuses what
is too far out to be meant. Day/month numbers (`14/12`, `3/1/2019`, `2019-01-03`), once checked,
are made into a date directly: that is the check's own result, and it saves dateparser's 1.5 ms
inside Slack's 3-second reply.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from dateparser.date import DateDataParser

from store.terms import When, describe

MAX_AHEAD = dt.timedelta(days=2 * 366)
MAX_WORDS = 60  # characters of a date; nobody writes a longer one
NEXT_MEETING = "next meeting"
_NOT_DATES = re.compile(r"^(tbc|tbd|tba|asap|n/?a|ongoing|none|soon|later|-+)$", re.I)
_END_OF = re.compile(r"^(?:the\s+)?end\s+of\s+(?:the\s+)?(.+)$", re.I)
_WEEK_COMMENCING = re.compile(r"^(?:w/c|w\.c\.|week\s+commencing)\s+", re.I)
_ORDINAL_GAP = re.compile(r"(\d)\s+(st|nd|rd|th)\b", re.I)  # "22 nd December"
_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m} | \
          {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m} | {"sept": 9}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|" \
         r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY_MONTH = re.compile(r"^(?:\w+day\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(\d{4}))?$", re.I)
_MONTH_DAY = re.compile(r"^(?:\w+day\s+)?" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$", re.I)
_MONTH_ONLY = re.compile(r"^" + _MONTH + r"(?:\s+(\d{4}))?$", re.I)
_MONTHISH = re.compile(r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(\s+\d{4})?$", re.I)
_MEETING_OF_MONTH = re.compile(r"^(?:the\s+)?(?:" + _MONTH + r"(?:\s+(\d{4}))?\s+meeting|meeting\s+in\s+"
                               + _MONTH + r"(?:\s+(\d{4}))?)$", re.I)
_MEETING_ON = re.compile(r"^(?:the\s+)?meeting\s+(?:on|of)\s+(.+)$", re.I)
_NEXT = re.compile(r"^(?:the\s+)?next\s+(?:board\s+)?meeting$", re.I)
_AFTER_NEXT = re.compile(r"^(?:the\s+)?meeting\s+after\s+(?:the\s+)?next(?:\s+one)?$", re.I)
_MEETING_LEAD = re.compile(r"^(by|before|at|for|in\s+time\s+for)\s+(?=(?:the\s+)?(?:next\s+|meeting|\w+\s+(?:\d{4}\s+)?meeting))",
                           re.I)
_TBC = re.compile(r"^(tbc|tbd|to be confirmed|when a date is identified|once a date is identified)$", re.I)


_LEAD = re.compile(r"^(?:by|on|until|till|til|no\s+later\s+than)\s+(?=\S)", re.I)
class DateError(ValueError):
    """A date that cannot be read, or is not one Clerk accepts here."""


@dataclass(frozen=True)
class ReadDate:
    value: dt.date | None  # None for NEXT_MEETING, resolved by the caller who knows the meetings
    words: str  # what was typed
    next_meeting: bool = False


@functools.lru_cache(maxsize=16)
def _parser(base: dt.date, prefer: str) -> DateDataParser:
    return DateDataParser(languages=["en"], settings={
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": prefer,
        "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": dt.datetime.combine(base, dt.time(12)),
    })


def warm() -> None:
    """Load dateparser's English data now, not inside the first 3-second ack."""
    _parser(dt.date.today(), "future").get_date_data("22 nd December")
    _parser(dt.date.today(), "future").get_date_data("TBC")


def _impossible(text: str) -> str | None:
    """Why a date written with numbers is not one: a 13th month, a 32nd day, 31 February."""
    m = _NUMERIC.match(text)
    if m:
        day, month = int(m.group(1)), int(m.group(2))
        if day > 31 and not m.group(3):
            return f"“{text}” is not a date (is it an action ref?)"
        year = _full_year(m.group(3)) if m.group(3) else 2024  # a leap year: 29/02 may be real
        return _check(day, month, year, text)
    m = _ISO.match(text)
    if m:
        return _check(int(m.group(3)), int(m.group(2)), int(m.group(1)), text)
    m = _DAY_MONTH.match(text) or _MONTH_DAY.match(text)
    if m:
        if m.re is _DAY_MONTH:
            day, month = int(m.group(1)), _month(m.group(2))
        else:
            day, month = int(m.group(2)), _month(m.group(1))
        return _check(day, month, int(m.group(3)) if m.group(3) else 2024, text)
    return None


def _month(word: str) -> int:
    word = word.lower().rstrip(".")
    return _MONTHS.get(word) or _MONTHS[word[:3]]


def _check(day: int, month: int, year: int, text: str) -> str | None:
    if not 1 <= month <= 12:
        return f"“{text}” is not a date: there is no month {month}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return f"“{text}” is not a date: {calendar.month_name[month]} has no day {day}"
    return None


def _full_year(yy: str) -> int:
    return int(yy) if len(yy) == 4 else 2000 + int(yy)


def _numeric(text: str, today: dt.date, future: bool) -> dt.date | None:
    """14/12, 3/1/2019, 2019-01-03 (already checked): the date, the year nearest in the preferred
    direction when none is written."""
    m = _ISO.match(text)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _NUMERIC.match(text)
    if not m:
        return None
    day, month = int(m.group(1)), int(m.group(2))
    if m.group(3):
        return dt.date(_full_year(m.group(3)), month, day)
    for year in ((today.year, today.year + 1) if future else (today.year, today.year - 1)):
        if day <= calendar.monthrange(year, month)[1]:
            candidate = dt.date(year, month, day)
            if (candidate >= today) if future else (candidate <= today):
                return candidate
    return None  # 29/02 with no leap year ahead: dateparser decides


def read_date(words: str, today: dt.date, *, future: bool = True, allow_past: bool = False,
              allow_next_meeting: bool = True, region: str = "ENG") -> ReadDate:
    """Read a British date typed by a person; `today` is the clock's date in the board's zone.

    future=True reads "24 November" as the next one (a new due date); imports of old logs pass
    future=False and an as-of date as `today`, with allow_past=True. `region` is the board's bank
    holidays (CLERK_HOLIDAYS: ENG, WLS, SCT, NIR), for "before Christmas", "after Easter".
    """
    text = " ".join(words.strip().split())
    if not text:
        raise DateError(f"no date given. Dates look like {examples(today)}.")
    if len(text) > MAX_WORDS:
        raise DateError(f"“{text[:40]}…” is too long for a date. Dates look like {examples(today)}.")
    from grammar import phrases  # everyday phrases build on this module's months and errors
    if _NEXT.match(text):
        if not allow_next_meeting:
            raise DateError(f"“{text}” is not a date here. Dates look like {examples(today)}.")
        return ReadDate(None, text, next_meeting=True)
    if _NOT_DATES.match(text):
        raise DateError(f"“{text}” is not a date. Dates look like {examples(today)}.")
    text = _LEAD.sub("", text)  # "by the end of January", "until 14/12"
    text = _WEEK_COMMENCING.sub("", text)
    phrase = phrases.everyday(text, today, region)
    if phrase is not None:
        problem = due_problem(phrase, today, allow_past=allow_past)
        if problem:
            raise DateError(f"{problem} Dates look like {examples(today)}.")
        return ReadDate(phrase, words.strip())
    impossible = _impossible(_ORDINAL_GAP.sub(r"\1\2", text))
    if impossible:
        raise DateError(f"{impossible}. Dates look like {examples(today)}.")
    value = _numeric(text, today, future)
    if value is None:
        end_of = _END_OF.match(text)
        parser = _parser(today, "future" if future else "past")
        if end_of:
            data = parser.get_date_data(end_of.group(1))
            if data.date_obj is None or data.period not in ("month", "year"):
                raise DateError(f"“{words.strip()}”: after “end of” give a month, e.g. end of January.")
            day = data.date_obj.date()
            if data.period == "year":
                value = dt.date(day.year, 12, 31)
            else:
                value = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        else:
            data = parser.get_date_data(_ORDINAL_GAP.sub(r"\1\2", text))
            if data.date_obj is None or data.period not in ("day", "week", "month"):
                raise DateError(f"I can't read “{words.strip()}” as a date. Dates look like {examples(today)}.")
            value = data.date_obj.date()
    problem = due_problem(value, today, allow_past=allow_past)
    if problem:
        raise DateError(f"{problem} Dates look like {examples(today)}.")
    return ReadDate(value, words.strip())


def due_problem(value: dt.date, today: dt.date, *, allow_past: bool = False) -> str | None:
    """What is wrong with a due date however it was given (typed, or picked in a form)."""
    if not allow_past and value < today:
        return f"{describe(value)} is in the past. Give a date from today on."
    if value - today > MAX_AHEAD:
        return f"{describe(value)} is more than two years away; is that what you meant?"
    return None


def _month_day(name: str, year: str | None, today: dt.date) -> dt.date:
    month = _month(name)
    if year:
        return dt.date(int(year), month, 1)
    first = dt.date(today.year, month, 1)
    return first if first >= today.replace(day=1) else dt.date(today.year + 1, month, 1)


def read_meeting(words: str, today: dt.date, *, due: bool = False, region: str = "ENG") -> When | None:
    """`next meeting`, `the meeting after next`, `the March meeting`, `the meeting on 3 January`:
    a meeting the caller finds among the board's meetings; None when the words are not one.
    "before <meeting>" is a due date's (due=True), the working day before it; anywhere else (a
    paper's meeting, the meeting to confirm) it names no meeting and is refused, never dropped."""
    text = " ".join(words.split())
    m = _MEETING_LEAD.match(text)
    if m:  # "by the next meeting" is that meeting; "before the next meeting" the working day before it
        found = read_meeting(text[m.end():], today, region=region)
        if found is not None and m.group(1).lower() == "before":
            if not due:
                raise DateError(f"“{text}” is not a meeting: “before” is for due dates (due {text}). "
                                f"Name the meeting itself, e.g. {found.words().removeprefix('the ')}.")
            return When(found.kind, found.day, before=True)
        return found
    if _NEXT.match(text):
        return When("next meeting")
    if _AFTER_NEXT.match(text):
        return When("meeting after next")
    m = _MEETING_OF_MONTH.match(text)
    if m:
        name, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return When("month's meeting", _month_day(name, year, today))
    m = _MEETING_ON.match(text)
    if m:
        return When("meeting on", read_date(m.group(1), today, allow_next_meeting=False, region=region).value)
    return None


def read_due(words: str, today: dt.date, region: str = "ENG") -> When:
    """A due date: a day, or a meeting (resolved against the board's meetings by the service)."""
    meeting = read_meeting(words, today, due=True, region=region)
    if meeting is not None:
        return meeting
    return When("day", read_date(words, today, allow_next_meeting=False, region=region).value)


def examples(today: dt.date) -> str:
    """The dates a refusal shows, written from today: never a past one (a dated one is in the month
    after next)."""
    later = _later(today)
    return f"14/12, 22 December, 27 {later:%B %Y}, end of {later:%B}, next Friday, in 2 weeks, next meeting"


def _later(today: dt.date) -> dt.date:
    """A month to show in an example: the month after next."""
    return (today.replace(day=1) + dt.timedelta(days=62)).replace(day=1)


def read_when(words: str, today: dt.date, region: str = "ENG") -> When:
    """Where a paper goes: `3 January 2019`, `March 2019`, `March`, `next meeting`, `the meeting
    after next`, `tbc`. Months read forward from today."""
    text = " ".join(words.strip().split())
    if _TBC.match(text):
        return When("tbc")
    meeting = read_meeting(text, today, region=region)
    if meeting is not None:
        return meeting
    m = _MONTH_ONLY.match(text)
    if not m and _MONTHISH.match(text):
        raise DateError(f"I can't read “{text}” as a month. Months look like {_later(today):%B %Y} or {_later(today):%B}.")
    if m:
        month = _month_day(m.group(1), m.group(2), today)
        if month < today.replace(day=1):
            raise DateError(f"{month:%B %Y} is in the past. Give a month from this one on, e.g. {today:%B %Y}.")
        if month - today > MAX_AHEAD:
            raise DateError(f"{month:%B %Y} is more than two years away; is that what you meant?")
        return When("month", month)
    try:
        return When("day", read_date(text, today, allow_next_meeting=False, region=region).value)
    except DateError as exc:
        raise DateError(f"{exc} Or give a month ({_later(today):%B %Y}), next meeting, or tbc.") from None


__all__ = ["examples", "DateError", "ReadDate", "When", "describe", "due_problem", "read_date", "read_due",
           "read_meeting", "read_when", "warm", "NEXT_MEETING", "MAX_AHEAD"]
