"""The planner's reads over a real store (SQLite, and PostgreSQL when configured): narrowing a batch
to the trainers worth planning changes no plan, and the records it yields are complete."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D
from typing import Any

from bot.reminders.planner import plan, plan_record, worth_planning
from rules.model import Application, CERecord, CEStatus, CprAedCard, Credential, Plan, TrainerRecord

NOW = datetime(2026, 1, 30, 15, 0, tzinfo=timezone.utc)


def record(n: int) -> TrainerRecord:
    """Trainer n: expirations spread over two years around NOW, some cards, some audits."""
    expires = date(2025, 6, 1) + timedelta(days=9 * n)
    cards = (CprAedCard("American Red Cross", expires - timedelta(days=30 * (n % 3)), True, date(2024, 1, 1)),)
    applications = (
        (Application("nasm-cpt", date(2026, 1, 10), date(2026, 1, 15), None, expires),) if n % 7 == 0 else ()
    )
    ces = tuple(CERecord(expires - timedelta(days=100 + k), D("0.5"), CEStatus.APPROVED) for k in range(n % 4))
    tz = ("America/Chicago", "Australia/Sydney", "Pacific/Honolulu")[n % 3]
    return TrainerRecord(f"T-{n:04d}", (Credential("nasm-cpt", expires, Plan.STANDARD, str(n)),), ces, cards,
                         applications, f"Trainer {n}", tz)


def store(uow_factory: Callable[[], Any], count: int, opted_out: set[int]) -> list[TrainerRecord]:
    records = [record(n) for n in range(count)]
    with uow_factory() as uow:
        for n, rec in enumerate(records):
            uow.trainers.upsert(rec)
            if n % 5 != 4:  # every fifth trainer is not linked
                uow.identities.link("telegram", str(5000 + n), rec.trainer_id, NOW)
        for n in opted_out:
            uow.reminders.set_enabled(records[n].trainer_id, False)
        uow.commit()
    return records


def test_narrowed_batches_plan_what_every_record_would(uow_factory: Callable[[], Any]) -> None:
    records = store(uow_factory, 120, opted_out={1, 2})
    planned = list(plan(uow_factory(), NOW, batch_size=16))  # several batches, one partly empty
    expected = [
        item
        for n, rec in enumerate(records)
        if n % 5 != 4 and n not in {1, 2}
        for item in plan_record(rec, str(5000 + n), NOW)
    ]
    assert planned == expected
    assert len(planned) > 10  # the data has reminders due
    skipped = [r for r in records if not worth_planning(r, NOW)]
    assert skipped and all(list(plan_record(r, "x", NOW)) == [] for r in skipped)


def test_select_batch_yields_only_the_chosen_records_complete(uow_factory: Callable[[], Any]) -> None:
    records = store(uow_factory, 30, opted_out=set())
    seen: list[list[TrainerRecord]] = []

    def choose(batch: list[TrainerRecord]) -> set[str]:
        seen.append(batch)
        return {r.trainer_id for r in batch if int(r.trainer_id[2:]) % 2 == 0}

    with uow_factory() as uow:
        got = list(uow.trainers.iter_records(7, select_batch=choose))
        stored = [uow.trainers.get_record(r.trainer_id) for n, r in enumerate(records) if n % 2 == 0]
    assert [len(b) for b in seen] == [7, 7, 7, 7, 2]
    assert all(r.ce_records == () for batch in seen for r in batch)  # chosen before CE records are read
    assert got == stored  # complete, CE records included
    assert any(r.ce_records for r in got)
