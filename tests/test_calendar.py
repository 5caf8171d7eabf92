"""Paper deadlines in UK working days, against dates checked by hand on a calendar."""
import datetime as dt

import pytest

from store.calendar import WorkingCalendar

D = dt.date


@pytest.mark.parametrize("region, meeting, days, deadline", [
    # Thu 3 Jan 2019: back over New Year's Day (Tue 1), Boxing Day (Wed 26), Christmas (Tue 25), two weekends
    ("ENG", D(2019, 1, 3), 10, D(2018, 12, 17)),
    # Scotland also keeps 2 January: one more day back
    ("SCT", D(2019, 1, 3), 10, D(2018, 12, 14)),
    # Easter 2019: Good Friday 19 April and Easter Monday 22 April in England
    ("ENG", D(2019, 4, 25), 5, D(2019, 4, 16)),
    # Scotland has Good Friday but no Easter Monday
    ("SCT", D(2019, 4, 25), 5, D(2019, 4, 17)),
    # late May bank holiday, Mon 27 May 2019
    ("ENG", D(2019, 5, 30), 5, D(2019, 5, 22)),
    # August: Mon 26 Aug 2019 in England, Mon 5 Aug 2019 in Scotland
    ("ENG", D(2019, 8, 29), 5, D(2019, 8, 21)),
    ("SCT", D(2019, 8, 29), 5, D(2019, 8, 22)),
    ("SCT", D(2019, 8, 8), 5, D(2019, 7, 31)),
    ("ENG", D(2019, 8, 8), 5, D(2019, 8, 1)),
])
def test_working_days_before_a_meeting(region, meeting, days, deadline):
    assert WorkingCalendar(region).working_days_before(meeting, days) == deadline


def test_why_a_day_is_not_a_working_day():
    eng = WorkingCalendar("ENG")
    assert eng.why_not_working(D(2018, 12, 25)) == "Christmas Day (a bank holiday in England)"
    assert eng.why_not_working(D(2018, 12, 22)) == "a Saturday"
    assert eng.why_not_working(D(2018, 12, 24)) is None
    assert eng.next_working_day(D(2018, 12, 25)) == D(2018, 12, 27)
