"""Everyday date phrases a UK secretary writes that dateparser does not read, or would read as
another date: mid-January, the end of this or next week, month or year, Friday week, before or
after Christmas, Easter or the New Year, close of play Friday. Each is read as one day (and every
reply shows it with its weekday), or refused with the nearest forms that work ("early January",
"Q1", "Christmas" are no one day). Holidays are the bank holidays of the board's region (ENG, WLS,
SCT, NIR: CLERK_HOLIDAYS, passed in by the caller; the `holidays` package, through store.calendar)."""
from __future__ import annotations

import calendar
import datetime as dt
import re

from grammar.dates import _MONTH, DateError, _month_day

_MID = re.compile(r"^(?:mid|the\s+middle\s+of|middle\s+of)[\s-]*" + _MONTH + r"(?:\s+(\d{4}))?$", re.I)
_VAGUE = re.compile(r"^(early|late|beginning\s+of|start\s+of|the\s+beginning\s+of|the\s+start\s+of)[\s-]*"
                    + _MONTH + r"(?:\s+(\d{4}))?$", re.I)
_END_OF_WEEK = re.compile(r"^(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(next\s+)?week$", re.I)
_END_OF_MONTH = re.compile(r"^(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(next\s+)?month$", re.I)
_WEEKDAY = r"(mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"
_WEEKDAY_WEEK = re.compile(r"^(?:" + _WEEKDAY + r"\s+week|a\s+week\s+(?:on|from)\s+(?:this\s+)?" + _WEEKDAY + r")$", re.I)
_CLOSE_OF = re.compile(r"^(?:(?:the\s+)?(?:end|close)\s+of\s+(?:play|business|(?:the\s+)?day)|cop|cob|eod|eop)\b[\s,]*", re.I)
_END_OF_NAMED_MONTH = re.compile(r"^(?:the\s+)?end\s+of\s+" + _MONTH + r"(?:,?\s+(\d{4}))?$", re.I)
_YEAR_END = re.compile(r"^(?:(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(next\s+)?year|(?:the\s+)?year[\s-]end)$", re.I)
_QUARTER = re.compile(r"^(?:(?:the\s+)?end\s+of\s+)?(?:the\s+)?(?:q([1-4])|(first|second|third|fourth)\s+quarter)$", re.I)
_FIRST_WEEK = re.compile(r"^(?:the\s+)?(first|second|third|fourth|last)\s+week\s+(?:of|in)\s+" + _MONTH
                         + r"(?:\s+(\d{4}))?$", re.I)
_BEFORE_AFTER = re.compile(r"^(before|after)\s+(\S.*)$", re.I)
_HOLIDAY_ALONE = re.compile(r"^(?:at\s+)?(christmas|xmas|easter|new\s+year)$", re.I)
_HOLIDAY = re.compile(r"^(before|after)\s+(?:the\s+)?(christmas|xmas|easter|new\s+year)(?:\s+(?:break|holidays?))?$",
                      re.I)


def everyday(text: str, today: dt.date, region: str = "ENG") -> dt.date | None:
    """Phrases a UK secretary writes that dateparser does not read, or reads as another date:
    mid-January (the 15th), the end of this or next week (its Friday) or month, before or after
    Christmas, Easter or the New Year (the working day before or after, by the bank holidays of
    `region`). "Early" and "late" in a month are no one day: refused with the forms that work."""
    m = _MID.match(text)
    if m:
        return _month_day(m.group(1), m.group(2), today).replace(day=15)
    m = _VAGUE.match(text)
    if m:
        month = _month_day(m.group(2), m.group(3), today)
        raise DateError(f"“{text}” is not one day. Say a day, e.g. {month.day} {month:%B}, w/c {_monday(month)}, "
                        f"mid-{month:%B} or end of {month:%B}.")
    m = _END_OF_WEEK.match(text)
    if m:
        friday = today + dt.timedelta(days=4 - today.weekday())
        return friday + dt.timedelta(days=7) if m.group(1) else friday
    m = _END_OF_MONTH.match(text)
    if m:
        first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1) if m.group(1) else today.replace(day=1)
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    m = _END_OF_NAMED_MONTH.match(text)
    if m:  # "end of December" typed in December is this December's end, as mid-December is
        first = _month_day(m.group(1), m.group(2), today)
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    m = _HOLIDAY.match(text)
    if m:
        return _around_holiday(m.group(1).lower(), " ".join(m.group(2).lower().split()), today, region)
    m = _BEFORE_AFTER.match(text)
    if m:  # "before 18/12", "after Friday": the working day before or after that day, as for Christmas
        return _around_day(m.group(1).lower(), m.group(2), today, region)
    return _week_and_year(text, today, region)


def _week_and_year(text: str, today: dt.date, region: str) -> dt.date | None:
    m = _CLOSE_OF.match(text)
    if m:  # "close of play Friday" is Friday; "end of play" alone is today
        rest = text[m.end():].strip()
        if not rest:
            return today
        from grammar.dates import read_date

        return read_date(rest, today, allow_next_meeting=False, region=region).value
    m = _WEEKDAY_WEEK.match(text)
    if m:  # "Friday week", "a week on Friday": a week after the coming Friday
        name = (m.group(1) or m.group(2)).lower()[:3]
        wanted = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].index(name)
        ahead = (wanted - today.weekday()) % 7 or 7
        return today + dt.timedelta(days=ahead + 7)
    m = _YEAR_END.match(text)
    if m:
        return dt.date(today.year + (1 if m.group(1) else 0), 12, 31)
    m = _QUARTER.match(text)
    if m:
        q = int(m.group(1)) if m.group(1) else ["first", "second", "third", "fourth"].index(m.group(2).lower()) + 1
        calendar_end, financial_end = calendar.month_name[3 * q], calendar.month_name[(3 * q + 3 - 1) % 12 + 1]
        raise DateError(f"“{text}” could be the calendar year's quarter or the financial year's: say end of "
                        f"{calendar_end} or end of {financial_end}.")
    m = _FIRST_WEEK.match(text)
    if m:
        month = _month_day(m.group(2), m.group(3), today)
        nth = ["first", "second", "third", "fourth"].index(m.group(1).lower()) if m.group(1).lower() != "last" else None
        end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        start = month + dt.timedelta(days=7 * nth) if nth is not None else end - dt.timedelta(days=end.weekday())
        raise DateError(f"“{text}” is not one day. Say the week's Monday, e.g. w/c {_monday(start)}, or a day.")
    m = _HOLIDAY_ALONE.match(text)
    if m:
        holiday = " ".join(m.group(1).lower().split())
        before, after = (_around_holiday(which, holiday, today, region) for which in ("before", "after"))
        raise DateError(f"“{text}” is a bank holiday, not a working day: say before {m.group(1)} "
                        f"({before:%a} {before.day} {before:%b}) or after {m.group(1)} ({after:%a} {after.day} {after:%b}).")
    return None


def _monday(day: dt.date) -> str:
    monday = day + dt.timedelta(days=(7 - day.weekday()) % 7)
    return f"{monday.day} {monday:%b}"


def _around_day(which: str, words: str, today: dt.date, region: str) -> dt.date:
    """The working day before a day, or the next one after it (the board's region's bank holidays)."""
    from grammar.dates import read_date
    from store.calendar import WorkingCalendar

    day = read_date(words, today, allow_next_meeting=False, allow_past=True, region=region).value
    cal = WorkingCalendar(region)
    return cal.working_days_before(day, 1) if which == "before" else cal.next_working_day(day + ONE_DAY)


_HOLIDAY_NAMES = {"christmas": ("Christmas Day", "Christmas Day"), "xmas": ("Christmas Day", "Christmas Day"),
                  "easter": ("Good Friday", "Easter Monday"), "new year": ("New Year's Day", "New Year's Day")}


def _around_holiday(which: str, holiday: str, today: dt.date, region: str) -> dt.date:
    """The working day before the holiday's first bank holiday, or after its last (and the bank
    holidays that follow it: Boxing Day, a substitute day), the next such holiday from today, in
    the board's region (Scotland has no Easter Monday: after Easter is after Good Friday there)."""
    from store.calendar import WorkingCalendar

    cal = WorkingCalendar(region)
    first_name, last_name = _HOLIDAY_NAMES[holiday]
    for year in (today.year, today.year + 1):
        days = sorted(d for d, name in cal.bank_holidays.items() if d.year == year)
        firsts = [d for d in days if cal.holiday(d).startswith(first_name)]
        lasts = [d for d in days if cal.holiday(d).startswith(last_name)] or firsts
        if not firsts or not lasts:
            continue
        if which == "before":
            day = cal.working_days_before(firsts[0], 1)
        else:
            day = cal.next_working_day(lasts[0] + ONE_DAY)
        if day >= today:
            return day
    raise DateError(f"I can't tell when “{which} {holiday}” is. Give a date, e.g. 4 January.")


ONE_DAY = dt.timedelta(days=1)
