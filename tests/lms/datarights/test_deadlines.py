import datetime as dt

import pytest

from lms.datarights.deadlines import due_date, parse_holidays

FRIDAY = dt.date(2026, 3, 20)


def test_business_days_skip_weekends_and_holidays():
    # Fri + 1 business day = Mon; + 5 = the next Fri; a holiday on Tue pushes it to Mon.
    assert due_date(FRIDAY, days=1, business_days=True) == dt.date(2026, 3, 23)
    assert due_date(FRIDAY, days=5, business_days=True) == dt.date(2026, 3, 27)
    holidays = {dt.date(2026, 3, 24)}
    assert due_date(FRIDAY, days=5, business_days=True, holidays=holidays) == dt.date(2026, 3, 30)
    # Ten business days: two working weeks.
    assert due_date(FRIDAY, days=10, business_days=True) == dt.date(2026, 4, 3)


def test_calendar_days():
    assert due_date(FRIDAY, days=10, business_days=False) == dt.date(2026, 3, 30)


def test_holidays_are_read_one_date_per_line():
    assert parse_holidays("2026-07-28\n\n 2026-07-29 \n") == {
        dt.date(2026, 7, 28),
        dt.date(2026, 7, 29),
    }
    with pytest.raises(ValueError, match="Line 2"):
        parse_holidays("2026-07-28\n28/07/2026")
