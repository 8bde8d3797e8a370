"""Calendar arithmetic for renewal dates.

Years are calendar years (python-dateutil's ``relativedelta``), so a credential
expiring on 29 February 2028 reaches its one-year anniversary on 28 February
2029, as the specification (section 2) requires. Days are plain day counts.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta


def add_years(day: date, years: int) -> date:
    """``day`` moved by whole calendar years; 29 February falls back to the 28th."""
    return day + relativedelta(years=years)


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def days_between(start: date, end: date) -> int:
    """Whole days from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return (end - start).days
