"""The handoff's office-hours words follow the project's clock (bot.clock), not the wall clock.

``RECERT_TODAY`` freezes the date in every process (demos run on 2026-11-30, a Monday): a trainer
told "they are not in right now" must be told it about that day, at the clock's hour, and the hour
staff start or finish is said in the trainer's own time zone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from actions.handoff import ActionHandoff
from bot.clock import now_in, today_in
from bot.settings import load_settings
from tests.unit.test_actions_support import COMPLETE, SECRET, TRAINER, FakeUnitOfWork, record, run, text, tracker

CHICAGO = ZoneInfo("America/Chicago")
OPEN = "Staff are at work now"
CLOSED = "they are not in right now"


def chicago(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=CHICAGO).astimezone(timezone.utc)


async def handed_off(today: date | None, now: datetime, rec=COMPLETE, linked: bool = True) -> str:  # type: ignore[no-untyped-def]
    settings = replace(load_settings({"RECERT_IDENTITY_SECRET": SECRET, "RECERT_DATABASE_URL": "sqlite://"}), today=today)
    action = ActionHandoff(uow_factory=lambda: FakeUnitOfWork([rec]), settings=settings, now=lambda: now)
    d, _ = await run(action, tracker(linked_as=TRAINER if linked else None, text="a person please", intent="ask_human"))
    return text(d)


# --- bot.clock ----------------------------------------------------------------------------------


def test_now_in_keeps_the_clocks_hour_on_the_frozen_date() -> None:
    wall = datetime(2026, 12, 5, 18, 0, tzinfo=timezone.utc)  # Saturday, 12:00 in Chicago
    assert now_in("America/Chicago", None, wall) == datetime(2026, 12, 5, 12, 0, tzinfo=CHICAGO)
    assert now_in("America/Chicago", date(2026, 11, 30), wall) == datetime(2026, 11, 30, 12, 0, tzinfo=CHICAGO)
    assert now_in("Not/AZone", None, wall) == wall  # an unknown zone is UTC
    assert today_in("America/Chicago", date(2026, 11, 30), wall) == date(2026, 11, 30)
    late = datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc)  # still November 30 in Chicago
    assert today_in("America/Chicago", None, late) == date(2026, 11, 30)
    assert today_in("Asia/Tokyo", None, late) == date(2026, 12, 1)


def test_settings_from_recert_today_freeze_the_date() -> None:
    settings = load_settings({"RECERT_TODAY": "2026-11-30"})
    wall = datetime(2026, 12, 5, 18, 0, tzinfo=timezone.utc)
    assert now_in("America/Chicago", settings.today, wall).date() == date(2026, 11, 30)


# --- the handoff's words -------------------------------------------------------------------------


async def test_a_frozen_weekday_is_open_although_the_wall_clock_is_a_saturday() -> None:
    saturday_noon = chicago(2026, 12, 5, 12)
    said = await handed_off(date(2026, 11, 30), saturday_noon)  # RECERT_TODAY: Monday 2026-11-30
    assert OPEN in said and CLOSED not in said
    assert "someone will look at it before they finish at 17:00 your time." in said
    said = await handed_off(None, saturday_noon)  # no frozen date: the clock's own Saturday
    assert CLOSED in said and "from Monday, December 7 at 09:00 your time." in said


async def test_a_frozen_sunday_is_closed_although_the_wall_clock_is_a_weekday() -> None:
    monday_noon = chicago(2026, 11, 30, 12)
    said = await handed_off(date(2026, 12, 6), monday_noon)  # RECERT_TODAY: Sunday 2026-12-06
    assert CLOSED in said and "from Monday, December 7 at 09:00 your time." in said


async def test_the_hours_boundary_on_the_frozen_day() -> None:
    friday = date(2026, 11, 27)
    assert OPEN in await handed_off(friday, chicago(2026, 11, 30, 16, 59))  # Friday 16:59: still at work
    said = await handed_off(friday, chicago(2026, 11, 30, 17, 0))  # Friday 17:00: gone for the weekend
    assert CLOSED in said and "from Monday, November 30 at 09:00 your time." in said
    thursday = date(2026, 11, 26)
    said = await handed_off(thursday, chicago(2026, 11, 30, 8, 59))  # Thursday 08:59: in at 09:00
    assert CLOSED in said and "from Thursday, November 26 at 09:00 your time." in said
    assert OPEN in await handed_off(thursday, chicago(2026, 11, 30, 9, 0))


async def test_the_hour_is_said_in_the_trainers_own_time_zone() -> None:
    tokyo = record(timezone="Asia/Tokyo")
    # Friday 18:30 in Chicago is Saturday 09:30 in Tokyo; staff start Monday 09:00 Chicago time,
    # which is Tuesday 00:00 in Tokyo (CST, UTC-6, in February)
    friday_evening = chicago(2026, 2, 13, 18, 30)
    said = await handed_off(None, friday_evening, rec=tokyo)
    assert CLOSED in said and "from Tuesday, February 17 at 00:00 your time." in said
    # the frozen date is the trainer's own: Tokyo's Monday, at Tokyo's clock hour (10:00) is
    # Sunday 19:00 in Chicago, so staff are not in
    said = await handed_off(date(2026, 2, 16), chicago(2026, 2, 12, 19), rec=tokyo)
    assert CLOSED in said and "from Tuesday, February 17 at 00:00 your time." in said
    # open: they finish at 17:00 Chicago, 08:00 the next morning in Tokyo
    said = await handed_off(None, chicago(2026, 2, 16, 10), rec=tokyo)
    assert OPEN in said and "before they finish at 08:00 your time." in said


async def test_an_unlinked_chat_is_told_the_staffs_zone() -> None:
    said = await handed_off(date(2026, 12, 6), chicago(2026, 11, 30, 12), linked=False)
    assert "from Monday, December 7 at 09:00 (America/Chicago time)." in said
    assert "your time" not in said
