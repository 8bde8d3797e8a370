"""The planner's reads over a real store (SQLite, and PostgreSQL when configured): narrowing a batch
to the trainers worth planning changes no plan, and the records it yields are complete."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal as D

from bot.reminders.planner import pass_days, plan, plan_record
from bot.store.repositories.trainers import TrainerBatch
from bot.store.unit_of_work import SqlAlchemyUnitOfWork
from rules.calendar import add_years
from rules.model import Application, CERecord, CEStatus, CprAedCard, Credential, Plan, TrainerRecord
from rules.policy import load_policy
from rules.reminders import due_windows

NOW = datetime(2026, 1, 30, 15, 0, tzinfo=timezone.utc)
UowFactory = Callable[[], SqlAlchemyUnitOfWork]


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


def store(uow_factory: UowFactory, count: int, opted_out: set[int]) -> list[TrainerRecord]:
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


def test_narrowed_batches_plan_what_every_record_would(uow_factory: UowFactory) -> None:
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
    with uow_factory() as uow:  # and the store did narrow: linked trainers left out, none with anything due
        windows = {"nasm-cpt": due_windows(load_policy("nasm-cpt"), *pass_days(NOW))}
        kept = uow.reminders.candidates(records[0].trainer_id, records[-1].trainer_id, "telegram", windows)
        linked = uow.reminders.recipients(records[0].trainer_id, records[-1].trainer_id, "telegram")
    skipped = [r for r in records if r.trainer_id in linked and r.trainer_id not in kept]
    assert len(skipped) > len(records) // 4
    assert all(list(plan_record(r, "x", NOW)) == [] for r in skipped)


def edge_records() -> list[TrainerRecord]:
    """Trainers whose rows sit on the days around each window's edge, in the zones furthest from
    UTC: the expiration series' first reminder and its end, a card's reminder and expiry, an
    audit's selection and documents' due date, each on the day before, of and after."""
    policy = load_policy("nasm-cpt")
    r = policy.reminders
    local_days = [NOW.date() + timedelta(days=d) for d in (-1, 0, 1)]
    far = date(2031, 1, 1)
    records: list[TrainerRecord] = []
    for zone in ("Pacific/Kiritimati", "Australia/Sydney", "Pacific/Honolulu", "Pacific/Pago_Pago"):
        for day in local_days:
            for shift in (-1, 0, 1):
                expirations = [
                    day + timedelta(days=max(r.days_before_expiration) + shift),
                    add_years(day, -policy.restore_after_years) + timedelta(days=shift),
                ]
                for expires in expirations:  # CEUs and card done before E: only the application is missing
                    done = (CERecord(expires - timedelta(days=200), D("2.0"), CEStatus.APPROVED),)
                    records.append(TrainerRecord(
                        f"T-{len(records):04d}", (Credential("nasm-cpt", expires, Plan.STANDARD, "1"),), done,
                        (CprAedCard("American Red Cross", far, True, None),), (), "edge", zone))
                card_days = [day + timedelta(days=shift), day + timedelta(days=r.cpr_aed_days_before_card_expiry + shift)]
                for card_expires in card_days:
                    records.append(TrainerRecord(
                        f"T-{len(records):04d}", (Credential("nasm-cpt", far, Plan.STANDARD, "1"),), (),
                        (CprAedCard("American Red Cross", card_expires, True, None),), (), "edge", zone))
                for selected in (day + timedelta(days=shift), day - timedelta(days=policy.audit_response_days + shift)):
                    records.append(TrainerRecord(
                        f"T-{len(records):04d}", (Credential("nasm-cpt", far, Plan.STANDARD, "1"),), (),
                        (CprAedCard("American Red Cross", far, True, None),),
                        (Application("nasm-cpt", selected, selected, None, far),), "edge", zone))
    return records


def test_the_store_keeps_every_trainer_on_a_window_edge(uow_factory: UowFactory) -> None:
    """Around every edge of the store's date filter, in the zones where "today" differs most from
    UTC's, the pass plans exactly what each record alone would."""
    records = edge_records()
    with uow_factory() as uow:
        for n, rec in enumerate(records):
            uow.trainers.upsert(rec)
            uow.identities.link("telegram", str(7000 + n), rec.trainer_id, NOW)
        uow.commit()
    planned = list(plan(uow_factory(), NOW, batch_size=25))
    expected = [item for n, rec in enumerate(records) for item in plan_record(rec, str(7000 + n), NOW)]
    assert planned == expected
    assert {p.milestone[:4] for p in planned} >= {"-120", "+330", "cpr-", "audi"}  # every series on an edge
    assert len({p.trainer_id for p in planned}) < len(records)  # and the days just outside plan nothing


def test_select_batch_yields_only_the_chosen_records_complete(uow_factory: UowFactory) -> None:
    records = store(uow_factory, 30, opted_out=set())
    seen: list[TrainerBatch] = []

    def choose(batch: TrainerBatch) -> set[str]:
        seen.append(batch)
        return {r.trainer_id for r in records if batch.first_id <= r.trainer_id <= batch.last_id
                and int(r.trainer_id[2:]) % 2 == 0}

    with uow_factory() as uow:
        got = list(uow.trainers.iter_records(7, select_batch=choose))
        stored = [uow.trainers.get_record(r.trainer_id) for n, r in enumerate(records) if n % 2 == 0]
    assert [(b.first_id, b.last_id, b.size) for b in seen] == [
        (records[i].trainer_id, records[min(i + 6, 29)].trainer_id, min(7, 30 - i)) for i in range(0, 30, 7)
    ]
    assert got == stored  # complete, CE records included
    assert any(r.ce_records for r in got)
