"""Reminder passes over a real store (SQLite, and PostgreSQL when configured), with a fake Rasa
and a fake channel: exactly the due reminders, once; opt-out; a blocked user; failures tried
again; a run that dies between claim and mark repaired by the next; two workers at once."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from bot.channels.rasa_client import BotReply, Button, RasaFailed
from bot.importing.service import import_file
from bot.reminders.errors import DeliveryFailed, RecipientBlocked
from bot.reminders.planner import MAX_ATTEMPTS
from bot.reminders.service import PassReport, run_pass, set_reminders
from bot.store.unit_of_work import SqlAlchemyUnitOfWork
from rules.model import CERecord, CEStatus, CprAedCard, Credential, Plan, TrainerRecord

UTC = timezone.utc
NOW = datetime(2026, 1, 30, 15, 0, tzinfo=UTC)  # E - 30 days for E = 2026-03-01; 09:00 in Chicago
CPT = Credential("nasm-cpt", date(2026, 3, 1), Plan.STANDARD, "8812345", date(2022, 3, 1))
CARD = CprAedCard("American Red Cross", date(2028, 1, 1), True, date(2025, 1, 1))
UowFactory = Callable[[], SqlAlchemyUnitOfWork]


def trainer(trainer_id: str, tz: str = "America/Chicago") -> TrainerRecord:
    return TrainerRecord(
        trainer_id, (CPT,), (CERecord(date(2025, 6, 1), D("1.3"), CEStatus.APPROVED),), (CARD,), (), "T", tz
    )


def add(uow_factory: UowFactory, *records: TrainerRecord, linked: bool = True) -> None:
    with uow_factory() as uow:
        for _index, rec in enumerate(records):
            uow.trainers.upsert(rec)
            if linked:
                uow.identities.link("telegram", str(1000 + int(rec.trainer_id.split("-")[1])), rec.trainer_id, NOW)
        uow.commit()


class FakeRasa:
    """trigger_intent answers with one reminder message and a button, like action_send_reminder."""

    def __init__(self, delay: float = 0.0, fail: set[str] | None = None, crash: bool = False) -> None:
        self.calls: list[tuple[str, str, dict[str, Any], str | None]] = []
        self.delay, self.fail, self.crash = delay, fail or set(), crash
        self.lock = threading.Lock()

    async def trigger_intent(
        self, sender: str, intent: str, entities: Mapping[str, Any] | None = None, output_channel: str | None = None
    ) -> list[BotReply]:
        with self.lock:
            self.calls.append((sender, intent, dict(entities or {}), output_channel))
        if self.crash:
            raise Crash("the worker died")
        if self.delay:
            await asyncio.sleep(self.delay)
        if sender in self.fail:
            raise RasaFailed("Rasa failed with HTTP 500")
        assert entities is not None
        return [BotReply(f"reminder {entities['milestone']} for {sender}", (Button("Add my deadlines to my calendar", "/add_to_calendar"),))]


class Crash(BaseException):
    """Stands for the process dying (not an Exception: nothing catches it)."""


class FakeNotifier:
    channel = "telegram"

    def __init__(self, blocked: set[str] | None = None, failing: set[str] | None = None) -> None:
        self.sent: list[tuple[str, str]] = []
        self.blocked, self.failing = blocked or set(), failing or set()
        self.lock = threading.Lock()

    async def send(self, recipient: str, replies: Sequence[BotReply]) -> None:
        if recipient in self.blocked:
            raise RecipientBlocked("Forbidden: bot was blocked by the user")
        if recipient in self.failing:
            raise DeliveryFailed("network down")
        with self.lock:
            for reply in replies:
                self.sent.append((recipient, reply.text or ""))


def deliver(uow_factory: UowFactory, rasa: FakeRasa, notifier: FakeNotifier, now: datetime = NOW) -> PassReport:
    return asyncio.run(run_pass(uow_factory, now, rasa=rasa, notifier=notifier, clock=lambda: now))


def states(uow_factory: UowFactory, trainer_id: str) -> list[tuple[str, str, int]]:
    with uow_factory() as uow:
        return [(d.milestone, d.state, d.attempts) for d in uow.reminders.history(trainer_id)]


def test_a_pass_delivers_the_due_reminders_once(uow_factory: UowFactory) -> None:
    add(uow_factory, trainer("T-1"), trainer("T-2", tz="Pacific/Honolulu"))
    add(uow_factory, trainer("T-3"), linked=False)
    rasa, notifier = FakeRasa(), FakeNotifier()
    report = deliver(uow_factory, rasa, notifier)
    # T-1 in Chicago: 09:00, inside the window. T-2 in Honolulu: 05:00, planned for 09:00. T-3: not linked.
    assert [(p.trainer_id, p.milestone) for p in report.planned] == [("T-1", "-30d"), ("T-2", "-30d")]
    assert (report.sent, report.later) == (1, 1)
    assert rasa.calls == [("telegram:1001", "EXTERNAL_reminder", {"milestone": "-30d", "program": "nasm-cpt"}, None)]
    assert notifier.sent == [("1001", "reminder -30d for telegram:1001")]
    assert states(uow_factory, "T-1") == [("-30d", "sent", 1)]
    # again: nothing new for T-1; T-2 once its morning has come
    again = deliver(uow_factory, rasa, notifier, now=NOW + timedelta(hours=5))
    assert (again.sent, [p.trainer_id for p in again.planned]) == (1, ["T-2"])
    assert [r for r, _ in notifier.sent] == ["1001", "1002"]
    assert deliver(uow_factory, rasa, notifier, now=NOW + timedelta(hours=6)).planned == []


def test_dry_run_sends_and_records_nothing(uow_factory: UowFactory) -> None:
    add(uow_factory, trainer("T-1"))
    report = asyncio.run(run_pass(uow_factory, NOW, dry_run=True))
    assert [p.milestone for p in report.planned] == ["-30d"] and report.sent == 0
    assert states(uow_factory, "T-1") == []


def test_an_opted_out_trainer_gets_nothing_until_back_in(uow_factory: UowFactory) -> None:
    add(uow_factory, trainer("T-1"))
    assert set_reminders(uow_factory(), "T-1", False)
    assert deliver(uow_factory, FakeRasa(), FakeNotifier()).planned == []
    assert set_reminders(uow_factory(), "T-1", True)
    assert deliver(uow_factory, FakeRasa(), FakeNotifier()).sent == 1
    assert not set_reminders(uow_factory(), "T-404", False)


def test_a_reminder_waits_while_a_person_handles_the_conversation(uow_factory: UowFactory) -> None:
    """Rasa keeps a handed-off conversation paused (it would say nothing): the reminder is held, not
    claimed, not failed, and the first pass after the ticket is closed sends it."""
    add(uow_factory, trainer("T-1"))
    with uow_factory() as uow:
        ticket = uow.handoff.add("telegram:1001", "T-1", "asked for a person", "Trainer: hi", NOW)
        uow.commit()
    rasa, notifier = FakeRasa(), FakeNotifier()
    report = deliver(uow_factory, rasa, notifier)
    assert (report.held, report.sent, report.failed) == (1, 0, 0) and rasa.calls == []
    assert "1 held while a person handles the conversation" in report.summary()
    assert states(uow_factory, "T-1") == []
    with uow_factory() as uow:
        uow.handoff.close(ticket.id, NOW + timedelta(minutes=30))
        uow.commit()
    later = deliver(uow_factory, rasa, notifier, now=NOW + timedelta(hours=1))
    assert later.sent == 1 and states(uow_factory, "T-1") == [("-30d", "sent", 1)]


def test_a_user_who_blocked_the_bot_is_opted_out(uow_factory: UowFactory) -> None:
    add(uow_factory, trainer("T-1"))
    report = deliver(uow_factory, FakeRasa(), FakeNotifier(blocked={"1001"}))
    assert report.blocked == 1
    assert states(uow_factory, "T-1") == [("-30d", "blocked", 1)]
    with uow_factory() as uow:
        assert uow.reminders.enabled("T-1") is False
    assert deliver(uow_factory, FakeRasa(), FakeNotifier(), now=NOW + timedelta(days=20)).planned == []


def test_a_failed_send_is_tried_again_then_given_up(uow_factory: UowFactory) -> None:
    add(uow_factory, trainer("T-1"))
    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = deliver(uow_factory, FakeRasa(), FakeNotifier(failing={"1001"}), now=NOW + timedelta(minutes=attempt))
        assert report.failed == 1
        assert states(uow_factory, "T-1") == [("-30d", "failed", attempt)]
    assert deliver(uow_factory, FakeRasa(), FakeNotifier(), now=NOW + timedelta(hours=1)).planned == []


def test_rasa_down_is_a_failure_tried_again(uow_factory: UowFactory) -> None:
    add(uow_factory, trainer("T-1"))
    assert deliver(uow_factory, FakeRasa(fail={"telegram:1001"}), FakeNotifier()).failed == 1
    notifier = FakeNotifier()
    assert deliver(uow_factory, FakeRasa(), notifier, now=NOW + timedelta(minutes=5)).sent == 1
    assert states(uow_factory, "T-1") == [("-30d", "sent", 2)]


def test_a_run_that_dies_between_claim_and_mark_is_repaired(uow_factory: UowFactory) -> None:
    add(uow_factory, trainer("T-1"))
    with pytest.raises(Crash):
        deliver(uow_factory, FakeRasa(crash=True), FakeNotifier())
    assert states(uow_factory, "T-1") == [("-30d", "claimed", 1)]
    # a pass soon after leaves the claim alone: its worker may still be sending
    notifier = FakeNotifier()
    soon = deliver(uow_factory, FakeRasa(), notifier, now=NOW + timedelta(minutes=2))
    assert (soon.sent, soon.skipped, notifier.sent) == (0, 1, [])
    # once the claim is older than the claim timeout, the next pass takes it over and delivers it
    later = deliver(uow_factory, FakeRasa(), notifier, now=NOW + timedelta(minutes=11))
    assert (later.sent, later.repaired) == (1, 1)
    assert states(uow_factory, "T-1") == [("-30d", "sent", 2)]
    assert len(notifier.sent) == 1


def test_two_workers_at_once_never_send_twice(uow_factory: UowFactory) -> None:
    records = [trainer(f"T-{n}") for n in range(1, 41)]
    add(uow_factory, *records)
    rasa, notifier = FakeRasa(delay=0.005), FakeNotifier()

    def worker(name: str) -> PassReport:
        return asyncio.run(run_pass(uow_factory, NOW, rasa=rasa, notifier=notifier, worker=name, clock=lambda: NOW))

    with ThreadPoolExecutor(max_workers=3) as pool:
        reports = list(pool.map(worker, ["w1", "w2", "w3"]))
    assert sum(r.sent for r in reports) == 40
    recipients = [recipient for recipient, _ in notifier.sent]
    assert sorted(recipients) == sorted({str(1000 + n) for n in range(1, 41)})
    # A worker that plans after another has sent some never sees those (they are not due any more);
    # the ones it does see and finds taken are skipped. How many depends on timing; a second send never.
    assert sum(r.skipped for r in reports) <= 80
    assert all(r.failed == 0 and r.sent + r.skipped <= 40 for r in reports)


def test_import_links_telegram_and_sets_reminders(uow_factory: UowFactory, tmp_path: Path) -> None:
    path = tmp_path / "trainers.yml"
    path.write_text(
        "trainers:\n"
        "  - {id: T-1, name: Dana, timezone: America/Chicago, telegram_user_id: 4242,\n"
        "     credentials: [{program: nasm-cpt, expires_on: 2026-03-01}]}\n"
        "  - {id: T-2, name: Lee, timezone: UTC, telegram_user_id: '777', reminders: false}\n"
    )
    report = import_file(path, uow_factory)
    assert (report.links_changed, report.reminder_settings_changed) == (2, 1)
    with uow_factory() as uow:
        assert uow.identities.trainer_for("telegram", "4242") == "T-1"
        assert uow.identities.trainer_for("telegram", "777") == "T-2"
        assert (uow.reminders.enabled("T-1"), uow.reminders.enabled("T-2")) == (True, False)
    again = import_file(path, uow_factory)
    assert (again.links_changed, again.reminder_settings_changed) == (0, 0)
