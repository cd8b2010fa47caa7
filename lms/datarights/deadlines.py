"""When a data-rights request must be answered: a number of days after it is received, counted
as business days (Monday to Friday, minus the organisation's holidays) or as calendar days.

Pure Python: the periods and holidays come from the data-protection settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


def parse_holidays(text: str) -> frozenset[dt.date]:
    """The holidays of the settings field: one ISO date per line; blank lines are ignored.
    Raises ValueError naming the first line that is not a date."""
    days = set()
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            days.add(dt.date.fromisoformat(line))
        except ValueError:
            raise ValueError(f"Line {number}: “{line}” is not a date (YYYY-MM-DD).") from None
    return frozenset(days)


def due_date(
    received: dt.date, *, days: int, business_days: bool, holidays: Iterable[dt.date] = ()
) -> dt.date:
    """The last day to answer: ``days`` days after ``received`` (which does not count)."""
    if not business_days:
        return received + dt.timedelta(days=days)
    closed = frozenset(holidays)
    day, left = received, days
    while left:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            left -= 1
    return day
