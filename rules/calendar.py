"""Calendar arithmetic for renewal dates.

Years are calendar years, so a credential expiring on 29 February 2028 reaches its
one-year anniversary on 28 February 2029, as the specification (section 2) requires:
the same rule as python-dateutil's ``relativedelta(years=n)``, which the tests use as
the reference. ``date.replace`` does it several times faster, and the engine calls it
for every credential it assesses. Days are plain day counts.
"""

from __future__ import annotations

from datetime import date, timedelta


def add_years(day: date, years: int) -> date:
    """``day`` moved by whole calendar years; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def days_between(start: date, end: date) -> int:
    """Whole days from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return (end - start).days
