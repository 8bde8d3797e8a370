"""Trainer and catalog repositories and the unit of work, on a real store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import sessionmaker

from bot.store.models import CERecordRow, CredentialRow, TrainerRow
from bot.store.repositories.trainers import UpsertOutcome
from bot.store.unit_of_work import REPOSITORIES, SqlAlchemyUnitOfWork
from rules.model import (
    Application,
    CatalogCourse,
    CERecord,
    CEStatus,
    CprAedCard,
    Credential,
    Plan,
    Provider,
    TrainerRecord,
)

UowFactory = Callable[[], SqlAlchemyUnitOfWork]

DANA = TrainerRecord(
    trainer_id="T-1001",
    name="Dana Smith",
    timezone="America/Chicago",
    credentials=(
        Credential("nasm-cpt", date(2026, 3, 1), Plan.STANDARD, "8812345", date(2024, 3, 1)),
    ),
    ce_records=(
        CERecord(date(2025, 6, 1), Decimal("1.9"), CEStatus.APPROVED, "Corrective Exercise Specialist", "NASM", "NASM-CES"),
        CERecord(date(2025, 8, 1), Decimal("0.3"), CEStatus.PENDING_PETITION, "Kettlebell Basics", "Some Studio"),
        CERecord(date(2025, 9, 1), Decimal("0.0"), CEStatus.PETITION_DENIED, "Free webinar", "Someone"),
    ),
    cpr_aed_cards=(CprAedCard("American Red Cross", date(2027, 1, 10), True, date(2025, 1, 10)),),
    applications=(Application("nasm-cpt", date(2026, 2, 20), date(2026, 2, 25), None),),
)
CES = CatalogCourse("NASM-CES", "Corrective Exercise Specialist", "NASM", Decimal("1.9"))


def _trainer(
    n: int,
    cpr_aed_cards: tuple[CprAedCard, ...] = DANA.cpr_aed_cards,
    applications: tuple[Application, ...] = DANA.applications,
) -> TrainerRecord:
    return replace(
        DANA,
        trainer_id=f"T-{n:06d}",
        name=f"Trainer {n}",
        ce_records=tuple(r for r in DANA.ce_records if r.course_id is None),
        cpr_aed_cards=cpr_aed_cards,
        applications=applications,
    )


def _store(uow_factory: UowFactory, *records: TrainerRecord) -> None:
    with uow_factory() as uow:
        uow.catalog.upsert_course(CES)
        for record in records:
            uow.trainers.upsert(record, email=f"{record.trainer_id}@example.com")
        uow.commit()


def test_record_round_trips_exactly(uow_factory: UowFactory) -> None:
    _store(uow_factory, DANA)
    with uow_factory() as uow:
        record = uow.trainers.get_record("T-1001")
        assert uow.trainers.exists("T-1001")
        assert uow.trainers.get_email("T-1001") == "T-1001@example.com"
    assert record == DANA
    assert all(type(r.ceus) is Decimal for r in record.ce_records)
    assert isinstance(record.credentials[0].plan, Plan)
    assert isinstance(record.ce_records[0].status, CEStatus)


def test_unknown_trainer(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        assert uow.trainers.get_record("T-404") is None
        assert not uow.trainers.exists("T-404")


def test_trainer_without_anything_but_a_name(uow_factory: UowFactory) -> None:
    bare = TrainerRecord("T-2", name="Lee Park", timezone="Europe/London")
    _store(uow_factory, bare)
    with uow_factory() as uow:
        assert uow.trainers.get_record("T-2") == bare


def test_upsert_reports_created_unchanged_updated(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.catalog.upsert_course(CES)
        assert uow.trainers.upsert(DANA) is UpsertOutcome.CREATED
        uow.commit()
    with uow_factory() as uow:
        assert uow.trainers.upsert(DANA) is UpsertOutcome.UNCHANGED
        assert uow.trainers.upsert(DANA, email="new@example.com") is UpsertOutcome.UPDATED
        uow.commit()


def test_upsert_keeps_credential_rows_and_replaces_lists(
    uow_factory: UowFactory, session_factory: sessionmaker
) -> None:
    _store(uow_factory, DANA)
    with session_factory() as session:
        credential_id = session.execute(select(CredentialRow.id)).scalar_one()
    renewed = replace(
        DANA,
        name="Dana Smith-Jones",
        credentials=(replace(DANA.credentials[0], expires_on=date(2028, 3, 1)),),
        ce_records=DANA.ce_records[:1],
        cpr_aed_cards=(),
        applications=(),
    )
    with uow_factory() as uow:
        assert uow.trainers.upsert(renewed) is UpsertOutcome.UPDATED
        uow.commit()
    with uow_factory() as uow:
        assert uow.trainers.get_record("T-1001") == renewed
    with session_factory() as session:
        assert session.execute(select(CredentialRow.id)).scalar_one() == credential_id
        assert session.execute(select(func.count()).select_from(CERecordRow)).scalar_one() == 1


def test_upsert_drops_credentials_missing_from_the_record(uow_factory: UowFactory) -> None:
    two = replace(
        DANA,
        credentials=DANA.credentials + (Credential("nasm-cpt-lifetime", date(2027, 1, 1), Plan.LIFETIME),),
    )
    _store(uow_factory, two)
    _store(uow_factory, DANA)
    with uow_factory() as uow:
        record = uow.trainers.get_record("T-1001")
        assert record is not None and record.credentials == DANA.credentials


def test_credentials_come_back_in_program_order(uow_factory: UowFactory) -> None:
    b = Credential("b-program", date(2027, 1, 1))
    a = Credential("a-program", date(2027, 1, 1))
    _store(uow_factory, replace(DANA, credentials=(b, a)))
    with uow_factory() as uow:
        record = uow.trainers.get_record("T-1001")
        assert record is not None and record.credentials == (a, b)
        reordered = replace(DANA, credentials=(b, a))
        assert uow.trainers.upsert(reordered, email="T-1001@example.com") is UpsertOutcome.UNCHANGED


def test_without_commit_nothing_is_written(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.catalog.upsert_course(CES)
        uow.trainers.upsert(DANA)
    with uow_factory() as uow:
        assert not uow.trainers.exists("T-1001")
        assert uow.catalog.list_courses() == []


def test_an_exception_rolls_back_and_closes(uow_factory: UowFactory) -> None:
    uow = uow_factory()
    with pytest.raises(RuntimeError, match="boom"):
        with uow:
            uow.catalog.upsert_course(CES)
            uow.trainers.upsert(DANA)
            raise RuntimeError("boom")
    with pytest.raises(RuntimeError, match="only available inside"):
        uow.trainers  # noqa: B018 - the repository is gone once the unit of work closed
    with uow_factory() as again:
        assert not again.trainers.exists("T-1001")


def test_a_unit_of_work_can_be_reused_but_not_nested(uow_factory: UowFactory) -> None:
    uow = uow_factory()
    with uow:
        uow.catalog.upsert_course(CES)
        uow.commit()
    with uow:
        assert uow.catalog.get_course("NASM-CES") == CES
        with pytest.raises(RuntimeError, match="already open"):
            uow.__enter__()


def test_the_unit_of_work_attaches_its_declared_repositories(uow_factory: UowFactory) -> None:
    uow = uow_factory()
    with uow:
        for name in REPOSITORIES:
            assert getattr(uow, name).session is uow.session
    with pytest.raises(RuntimeError, match="only available inside"):
        _ = uow.trainers


def test_catalog_repository(uow_factory: UowFactory) -> None:
    pes = CatalogCourse("NASM-PES", "Performance Enhancement Specialist", "NASM", Decimal("1.9"))
    with uow_factory() as uow:
        assert uow.catalog.upsert_course(pes)
        assert uow.catalog.upsert_course(CES)
        assert uow.catalog.upsert_provider(Provider("Some Studio", False))
        assert uow.catalog.upsert_provider(Provider("American Council on Exercise", True))
        uow.commit()
    with uow_factory() as uow:
        assert uow.catalog.list_courses() == [CES, pes]
        assert uow.catalog.get_course("NASM-PES") == pes
        assert uow.catalog.get_course("NOPE") is None
        assert uow.catalog.course_ids() == {"NASM-CES", "NASM-PES"}
        assert uow.catalog.list_providers() == [
            Provider("American Council on Exercise", True),
            Provider("Some Studio", False),
        ]
        assert not uow.catalog.upsert_course(CES)
        assert not uow.catalog.upsert_provider(Provider("Some Studio", False))
        assert uow.catalog.upsert_provider(Provider("Some Studio", True))
        assert uow.catalog.upsert_course(replace(CES, ceus=Decimal("1.5")))
        uow.commit()
    with uow_factory() as uow:
        course = uow.catalog.get_course("NASM-CES")
        assert course is not None and course.ceus == Decimal("1.5")
        assert Provider("Some Studio", True) in uow.catalog.list_providers()


@pytest.mark.parametrize("batch_size", [1, 3, 7, 1000])
def test_iter_records_streams_every_record_in_id_order(uow_factory: UowFactory, batch_size: int) -> None:
    records = [
        _trainer(n, cpr_aed_cards=() if n % 3 else DANA.cpr_aed_cards, applications=() if n % 2 else DANA.applications)
        for n in range(1, 22)
    ]
    with uow_factory() as uow:
        assert uow.trainers.add_many(reversed(records), chunk_size=4) == 21
        uow.commit()
    with uow_factory() as uow:
        streamed = list(uow.trainers.iter_records(batch_size=batch_size))
        assert uow.trainers.count() == 21
        singles = [uow.trainers.get_record(r.trainer_id) for r in records]
    assert streamed == records == singles


def test_iter_records_reads_lazily_one_batch_at_a_time(
    uow_factory: UowFactory, session_factory: sessionmaker
) -> None:
    with uow_factory() as uow:
        uow.trainers.add_many(_trainer(n) for n in range(1, 101))
        uow.commit()
    trainer_queries: list[str] = []

    def count(conn: Connection, cursor: object, statement: str, *args: object) -> None:
        if "FROM trainers" in statement:
            trainer_queries.append(statement)

    engine = session_factory.kw["bind"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        with uow_factory() as uow:
            stream = uow.trainers.iter_records(batch_size=10)
            first = next(stream)
            assert first.trainer_id == "T-000001"
            assert len(trainer_queries) == 1
            rest = list(stream)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(rest) == 99
    assert len(trainer_queries) == 11  # ten full batches, then an empty one ends the stream


def test_iter_records_on_an_empty_store(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        assert list(uow.trainers.iter_records()) == []
        with pytest.raises(ValueError):
            list(uow.trainers.iter_records(batch_size=0))


def test_add_many_refuses_existing_ids(uow_factory: UowFactory) -> None:
    from sqlalchemy.exc import IntegrityError

    _store(uow_factory, DANA)
    with uow_factory() as uow:
        with pytest.raises(IntegrityError):
            uow.trainers.add_many([DANA])
    with uow_factory() as uow:
        assert uow.session.execute(select(func.count()).select_from(TrainerRow)).scalar_one() == 1
