"""Planning reminders for one trainer: milestones on the days around them, the send window in the
trainer's own time zone, finished deliveries left out, and the words of each reminder.

E = 2026-03-01: -30d is 2026-01-30, -14d 2026-02-15, +1d 2026-03-02 (tests/unit/test_rules_reminders.py).
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest

from bot.reminders.planner import local_now, plan_record, send_time, zone_of
from bot.reminders.words import reminder_message
from bot.store.repositories.reminders import DeliveryKey
from rules.engine import assess
from rules.model import Application, CERecord, CEStatus, CprAedCard, Credential, Plan, TrainerRecord
from rules.policy import load_policy

POLICY = load_policy("nasm-cpt")
CPT = Credential("nasm-cpt", date(2026, 3, 1), Plan.STANDARD, "8812345", date(2022, 3, 1))
CARD = CprAedCard("American Red Cross", date(2028, 1, 1), True, date(2025, 1, 1))
PARTIAL = CERecord(date(2025, 6, 1), D("1.3"), CEStatus.APPROVED)
FULL = CERecord(date(2025, 6, 1), D("1.9"), CEStatus.APPROVED)
UTC = timezone.utc


def record(*ce: CERecord, tz: str = "UTC", cards=(CARD,), apps=(), trainer_id: str = "T-1") -> TrainerRecord:  # type: ignore[no-untyped-def]
    return TrainerRecord(trainer_id, (CPT,), tuple(ce), tuple(cards), tuple(apps), "Dana", tz)


def planned(rec: TrainerRecord, now: datetime, **kwargs):  # type: ignore[no-untyped-def]
    return list(plan_record(rec, "42", now, **kwargs))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 29), ["-60d"]),
        (date(2026, 1, 30), ["-30d"]),
        (date(2026, 2, 14), ["-30d"]),  # a pass that missed days sends the latest milestone only
        (date(2026, 2, 15), ["-14d"]),
        (date(2026, 3, 1), ["-1d"]),
        (date(2026, 3, 2), ["+1d"]),
        (date(2026, 5, 31), []),  # CE short after the grace period: cannot be renewed, nothing sent
    ],
)
def test_milestones_on_the_days_around_them(day: date, expected: list[str]) -> None:
    now = datetime.combine(day, time(12), UTC)
    assert [p.milestone for p in planned(record(PARTIAL), now)] == expected


def test_nothing_to_do_means_no_reminder() -> None:
    done = record(FULL, apps=(Application("nasm-cpt", date(2026, 1, 10)),))
    assert planned(done, datetime(2026, 1, 30, 12, tzinfo=UTC)) == []


def test_a_finished_delivery_is_not_planned_again() -> None:
    now = datetime(2026, 1, 30, 12, tzinfo=UTC)
    finished = {DeliveryKey("T-1", "nasm-cpt", date(2026, 3, 1), "-30d")}
    assert planned(record(PARTIAL), now, finished=finished) == []
    # the next cycle's -30d is another delivery
    other = {DeliveryKey("T-1", "nasm-cpt", date(2024, 3, 1), "-30d")}
    assert [p.milestone for p in planned(record(PARTIAL), now, finished=other)] == ["-30d"]


def test_the_reminder_names_the_gap_the_deadline_and_how_to_stop() -> None:
    rec = record(PARTIAL, cards=())
    [item] = planned(rec, datetime(2026, 1, 30, 12, tzinfo=UTC))
    assert item.text == (
        "Reminder: your NASM Certified Personal Trainer certification expires on March 1, 2026 (in 30 days). "
        "You need 0.6 more CEU and a current CPR/AED card by March 1, 2026 to avoid the $30.00 late fee. "
        'To stop these reminders, reply "stop reminders" (or send /stop).'
    )
    assert item.key == DeliveryKey("T-1", "nasm-cpt", date(2026, 3, 1), "-30d")
    assert item.sender == "telegram:42"


def test_after_expiry_the_reminder_names_the_grace_deadline() -> None:
    [item] = planned(record(PARTIAL), datetime(2026, 3, 2, 12, tzinfo=UTC))
    assert "You need 0.6 more CEU by May 30, 2026: continuing education completed after that no longer counts" in item.text
    assert "$30.00 to $50.00" in item.text


def test_audit_reminder_words() -> None:
    rec = record(FULL, apps=(Application("nasm-cpt", date(2026, 2, 20), date(2026, 2, 25)),))
    a = assess(POLICY, rec, CPT, date(2026, 3, 17))
    text = reminder_message(a, "audit+20d", POLICY)
    assert text.startswith("Reminder: Your application was selected for an audit on February 25, 2026")
    assert "by March 27, 2026" in text


# --- the send window in the trainer's time zone ----------------------------------------------


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("2026-01-30T08:59:00", "2026-01-30T09:00:00"),
        ("2026-01-30T09:00:00", "2026-01-30T09:00:00"),
        ("2026-01-30T15:30:10", "2026-01-30T15:30:10"),
        ("2026-01-30T19:59:59", "2026-01-30T19:59:59"),
        ("2026-01-30T20:00:00", "2026-01-31T09:00:00"),
        ("2026-01-30T23:30:00", "2026-01-31T09:00:00"),
    ],
)
def test_send_time_is_inside_the_window(local: str, expected: str) -> None:
    zone = ZoneInfo("America/Chicago")
    moment = datetime.fromisoformat(local).replace(tzinfo=zone)
    assert send_time(moment, time(9), time(20)) == datetime.fromisoformat(expected).replace(tzinfo=zone)


def test_sydney_and_honolulu_in_the_same_pass() -> None:
    # 2026-01-29 22:00 UTC = 09:00 on Jan 30 in Sydney (UTC+11) and 12:00 on Jan 29 in Honolulu (UTC-10)
    now = datetime(2026, 1, 29, 22, 0, tzinfo=UTC)
    sydney = planned(record(PARTIAL, tz="Australia/Sydney", trainer_id="T-SYD"), now)
    honolulu = planned(record(PARTIAL, tz="Pacific/Honolulu", trainer_id="T-HNL"), now)
    # Sydney's today is Jan 30: the -30d reminder, now (09:00 local)
    assert [(p.milestone, p.send_at.isoformat()) for p in sydney] == [("-30d", "2026-01-30T09:00:00+11:00")]
    assert sydney[0].due_by(now)
    # Honolulu's today is still Jan 29: the -60d milestone, at noon local
    assert [(p.milestone, p.send_at.isoformat()) for p in honolulu] == [("-60d", "2026-01-29T12:00:00-10:00")]
    # six hours later: 04:00 UTC = 15:00 in Sydney and 18:00 Honolulu; at 07:00 UTC Honolulu is 21:00
    late = datetime(2026, 1, 30, 7, 0, tzinfo=UTC)
    [h] = planned(record(PARTIAL, tz="Pacific/Honolulu", trainer_id="T-HNL"), late)
    assert h.send_at.isoformat() == "2026-01-30T09:00:00-10:00" and not h.due_by(late)
    # and at 2026-01-30 12:00 UTC it is 23:00 in Sydney: planned for 09:00 the next morning
    [s] = planned(record(PARTIAL, tz="Australia/Sydney", trainer_id="T-SYD"), datetime(2026, 1, 30, 12, tzinfo=UTC))
    assert s.send_at.isoformat() == "2026-01-31T09:00:00+11:00"


def test_frozen_today_keeps_the_clock_time() -> None:
    zone = zone_of("America/Chicago")
    moment = local_now(datetime(2026, 5, 5, 16, 0, tzinfo=UTC), zone, date(2026, 1, 30))
    assert moment.isoformat() == "2026-01-30T11:00:00-06:00"  # 11:00 CDT on the clock, on the frozen day


def test_unknown_zone_is_utc() -> None:
    assert zone_of("Mars/Olympus") == ZoneInfo("UTC")


def test_json_has_the_contract_keys() -> None:
    [item] = planned(record(PARTIAL, tz="Australia/Sydney"), datetime(2026, 1, 29, 22, 0, tzinfo=UTC))
    data = item.to_json()
    assert {"trainer_id", "program", "milestone", "send_at", "text"} <= set(data)
    assert datetime.fromisoformat(data["send_at"]).utcoffset() is not None
