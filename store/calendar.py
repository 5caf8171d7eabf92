"""UK working days: weekends and the bank holidays of a region (ENG, WLS, SCT, NIR), from `holidays`.

A paper deadline of 10 working days before Thu 3 Jan 2019 (England) is Mon 17 Dec 2018:
Christmas Day, Boxing Day and New Year's Day are skipped."""
from __future__ import annotations

import datetime as dt
import functools

import holidays

ONE_DAY = dt.timedelta(days=1)


@functools.lru_cache(maxsize=8)
def _bank_holidays(region: str) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv=region, years=range(2015, 2036))


class WorkingCalendar:
    def __init__(self, region: str = "ENG"):
        self.region = region
        self.bank_holidays = _bank_holidays(region)

    def holiday(self, day: dt.date) -> str | None:
        """The bank holiday's name, if `day` is one."""
        return self.bank_holidays.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self.bank_holidays

    def working_days_before(self, day: dt.date, count: int) -> dt.date:
        """The working day `count` working days before `day` (count=0: `day` itself or the one before)."""
        current = day
        if count == 0:
            while not self.is_working_day(current):
                current -= ONE_DAY
            return current
        while count:
            current -= ONE_DAY
            if self.is_working_day(current):
                count -= 1
        return current

    def next_working_day(self, day: dt.date) -> dt.date:
        """`day` if it is a working day, else the next one."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def why_not_working(self, day: dt.date) -> str | None:
        """"a Saturday", "Christmas Day (a bank holiday)", or None on a working day."""
        name = self.holiday(day)
        if name:
            return f"{name} (a bank holiday in {REGION_NAMES.get(self.region, self.region)})"
        if day.weekday() >= 5:
            return f"a {day:%A}"
        return None


REGION_NAMES = {"ENG": "England", "WLS": "Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
