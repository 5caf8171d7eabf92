"""British dates as board officers type them, read with dateparser.

dateparser does the reading; this module only keeps our own words out of its way ("next
meeting", "TBC", refs like 74/18 that it would read as 2074), adds "end of <month>" and
"w/c <date>", and refuses what is too far out to be meant.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from dateparser.date import DateDataParser

EXAMPLES = "14/12, 22 December, 27 January 2027, end of January, next Friday, in 2 weeks"
MAX_AHEAD = dt.timedelta(days=2 * 366)
NEXT_MEETING = "next meeting"
_NOT_DATES = re.compile(r"^(tbc|tbd|asap|n/?a|ongoing|none|-+)$", re.I)
_END_OF = re.compile(r"^(?:the\s+)?end\s+of\s+(?:the\s+)?(.+)$", re.I)
_WEEK_COMMENCING = re.compile(r"^(?:w/c|w\.c\.|week\s+commencing)\s+", re.I)
_ORDINAL_GAP = re.compile(r"(\d)\s+(st|nd|rd|th)\b", re.I)  # "22 nd December"


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


def read_date(words: str, today: dt.date, *, future: bool = True, allow_past: bool = False,
              allow_next_meeting: bool = True) -> ReadDate:
    """Read a British date typed by a person; `today` is the clock's date in the board's zone.

    future=True reads "24 November" as the next one (a new due date); imports of old logs pass
    future=False and an as-of date as `today`, with allow_past=True.
    """
    text = " ".join(words.strip().split())
    if not text:
        raise DateError(f"no date given. Dates look like {EXAMPLES}.")
    if text.lower() in (NEXT_MEETING, "the next meeting"):
        if not allow_next_meeting:
            raise DateError(f"“{text}” is not a date here. Dates look like {EXAMPLES}.")
        return ReadDate(None, text, next_meeting=True)
    if _NOT_DATES.match(text) or re.fullmatch(r"#?\d+/\d{1,2}", text) and int(text.lstrip("#").split("/")[0]) > 31:
        raise DateError(f"“{text}” is not a date. Dates look like {EXAMPLES}.")
    text = _WEEK_COMMENCING.sub("", text)
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
        if data.date_obj is None:
            raise DateError(f"I can't read “{words.strip()}” as a date. Dates look like {EXAMPLES}.")
        value = data.date_obj.date()
    problem = due_problem(value, today, allow_past=allow_past)
    if problem:
        raise DateError(f"{problem} Dates look like {EXAMPLES}.")
    return ReadDate(value, words.strip())


def due_problem(value: dt.date, today: dt.date, *, allow_past: bool = False) -> str | None:
    """What is wrong with a due date however it was given (typed, or picked in a form)."""
    if not allow_past and value < today:
        return f"{describe(value)} is in the past. Give a date from today on."
    if value - today > MAX_AHEAD:
        return f"{describe(value)} is more than two years away; is that what you meant?"
    return None


def describe(day: dt.date) -> str:
    """How every reply states a date: with its weekday, so "next Friday" is never ambiguous."""
    return f"{day:%a} {day.day} {day:%b %Y}"


@dataclass(frozen=True)
class When:
    """Where a forward-plan paper goes: a meeting's day, a month, the next meeting, or tbc."""

    kind: str  # "day" | "month" | "next meeting" | "tbc"
    day: dt.date | None = None  # the day, or the first of the month


_MONTH_ONLY = re.compile(r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(\s+\d{4})?$", re.I)


def read_when(words: str, today: dt.date) -> When:
    """`3 January 2019`, `March 2019`, `March`, `next meeting`, `tbc`. Months read forward from today."""
    text = " ".join(words.strip().split())
    if text.lower() in ("tbc", "tbd", "to be confirmed", "when a date is identified"):
        return When("tbc")
    if text.lower() in (NEXT_MEETING, "the next meeting"):
        return When("next meeting")
    if _MONTH_ONLY.match(text):
        data = _parser(today, "future").get_date_data(text)
        if data.date_obj is None:
            raise DateError(f"I can't read “{text}” as a month. Months look like March 2019 or March.")
        month = data.date_obj.date().replace(day=1)
        if month < today.replace(day=1):
            raise DateError(f"{month:%B %Y} is in the past. Give a month from this one on, e.g. {today:%B %Y}.")
        if month - today > MAX_AHEAD:
            raise DateError(f"{month:%B %Y} is more than two years away; is that what you meant?")
        return When("month", month)
    try:
        return When("day", read_date(text, today, allow_next_meeting=False).value)
    except DateError as exc:
        raise DateError(f"{exc} Or give a month (March 2019), next meeting, or tbc.") from None
