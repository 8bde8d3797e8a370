"""What "today" is, for one trainer.

Dates in the rules are calendar dates in the trainer's own time zone, so "today"
depends on where the trainer is. ``RECERT_TODAY`` (``Settings.today``) freezes it
for tests and demos in every process.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def today_in(tz_name: str | None, frozen: date | None = None, now: datetime | None = None) -> date:
    """The calendar date in ``tz_name`` (UTC when unknown), or ``frozen`` when set."""
    if frozen is not None:
        return frozen
    try:
        zone = ZoneInfo(tz_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    moment = now or datetime.now(timezone.utc)
    return moment.astimezone(zone).date()
