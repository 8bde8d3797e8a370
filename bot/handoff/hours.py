"""Staff hours from configuration: ``RECERT_STAFF_HOURS="Mon-Fri 09:00-17:00 America/Chicago"``.

Days are three-letter names, as ranges and lists (``Mon-Thu,Sat``); the times are the local
opening and closing time in the IANA zone named last. ``is_open`` and ``next_opening`` answer
for an aware ``datetime``; a trainer is told the truth from them (``bot.handoff.words``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import ConfigError

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_STAFF_HOURS = "Mon-Fri 09:00-17:00 America/Chicago"

_SPEC = re.compile(r"^\s*(\S+)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s+(\S+)\s*$")


@dataclass(frozen=True)
class StaffHours:
    days: frozenset[int]  # 0 = Monday
    opens: time
    closes: time
    zone: str

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(self.tz)
        return local.weekday() in self.days and self.opens <= local.time() < self.closes

    def next_opening(self, now: datetime) -> datetime:
        """The next moment staff start work after ``now`` (local time of the zone)."""
        local = now.astimezone(self.tz)
        for offset in range(0, 8):
            day = (local + timedelta(days=offset)).date()
            start = datetime.combine(day, self.opens, tzinfo=self.tz)
            if day.weekday() in self.days and start > local:
                return start
        raise ConfigError("staff hours name no working day")  # unreachable: parse() refuses it

    def closing(self, now: datetime) -> datetime:
        """When staff finish work on the local day of ``now`` (local time of the zone)."""
        return datetime.combine(now.astimezone(self.tz).date(), self.closes, tzinfo=self.tz)

    def describe(self) -> str:
        """"Monday to Friday, 09:00 to 17:00 (America/Chicago time)"."""
        return f"{describe_days(self.days)}, {self.opens:%H:%M} to {self.closes:%H:%M} ({self.zone} time)"


def describe_days(days: frozenset[int]) -> str:
    ordered = sorted(days)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{DAY_NAMES[ordered[0]]} to {DAY_NAMES[ordered[-1]]}"
    return ", ".join(DAY_NAMES[d] for d in ordered)


def parse_staff_hours(spec: str) -> StaffHours:
    """``StaffHours`` from ``"Mon-Fri 09:00-17:00 America/Chicago"``; ConfigError names the problem."""
    match = _SPEC.match(spec or "")
    if match is None:
        raise ConfigError(
            f"RECERT_STAFF_HOURS must look like 'Mon-Fri 09:00-17:00 America/Chicago', got {spec!r}"
        )
    days_spec, oh, om, ch, cm, zone = match.groups()
    days = _days(days_spec, spec)
    try:
        opens, closes = time(int(oh), int(om)), time(int(ch), int(cm))
    except ValueError:
        raise ConfigError(f"RECERT_STAFF_HOURS has an impossible time: {spec!r}") from None
    if opens >= closes:
        raise ConfigError(f"RECERT_STAFF_HOURS must open before it closes: {spec!r}")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"RECERT_STAFF_HOURS names an unknown time zone {zone!r}") from None
    return StaffHours(frozenset(days), opens, closes, zone)


def _days(days_spec: str, spec: str) -> set[int]:
    index = {name.lower(): i for i, name in enumerate(DAYS)}
    days: set[int] = set()
    for part in days_spec.split(","):
        first, _, last = part.partition("-")
        try:
            start = index[first.strip().lower()[:3]]
            end = index[last.strip().lower()[:3]] if last else start
        except KeyError:
            raise ConfigError(f"RECERT_STAFF_HOURS has an unknown day in {spec!r} (use Mon..Sun)") from None
        day = start
        while True:
            days.add(day)
            if day == end:
                break
            day = (day + 1) % 7
    return days
