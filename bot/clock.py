"""What "today" and "now" are, for one trainer.

Dates in the rules are calendar dates in the trainer's own time zone, so "today"
depends on where the trainer is. ``RECERT_TODAY`` (``Settings.today``) freezes it
for tests and demos in every process; a test may also hand in a frozen ``now``.
Anything said about the day or the hour (staff hours in a handoff) asks this
module, never the wall clock directly, so a demo on the frozen date is told the
same as a trainer on that day would be.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_of(tz_name: str | None) -> ZoneInfo:
    """The IANA zone ``tz_name``, UTC when it is unknown or not given."""
    try:
        return ZoneInfo(tz_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def now_in(tz_name: str | None, frozen: date | None = None, now: datetime | None = None) -> datetime:
    """The current moment in ``tz_name`` (aware): ``now`` or the wall clock, on the ``frozen`` date when set.

    ``RECERT_TODAY`` replaces the date only: the local time of day stays the clock's, so a demo
    frozen on a Monday is "Monday, at the hour it is now", never the real weekday.
    """
    zone = zone_of(tz_name)
    local = (now or datetime.now(timezone.utc)).astimezone(zone)
    if frozen is None:
        return local
    return datetime.combine(frozen, local.time(), tzinfo=zone)


def today_in(tz_name: str | None, frozen: date | None = None, now: datetime | None = None) -> date:
    """The calendar date in ``tz_name`` (UTC when unknown), or ``frozen`` when set."""
    return now_in(tz_name, frozen, now).date()
