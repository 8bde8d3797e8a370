"""Importing files into a real store: all or nothing, idempotent, YAML and JSON alike."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from bot.errors import ImportFileError
from bot.importing.service import import_file
from bot.store.models import (
    ApplicationRow,
    CERecordRow,
    CourseRow,
    CprAedCardRow,
    CredentialRow,
    ProviderRow,
    TrainerRow,
)
from bot.store.repositories.trainers import UpsertOutcome
from bot.store.unit_of_work import SqlAlchemyUnitOfWork
from rules.model import CEStatus, Plan
from tests.unit.test_import_validation import GOOD_YAML

UowFactory = Callable[[], SqlAlchemyUnitOfWork]
TABLES = (TrainerRow, CredentialRow, CERecordRow, CprAedCardRow, ApplicationRow, CourseRow, ProviderRow)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(session_factory: sessionmaker) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the record tables, ids included: 'changes nothing' means this is equal."""
    with session_factory() as session:
        return {
            model.__tablename__: [
                tuple(row)
                for row in session.execute(
                    select(*model.__table__.columns).order_by(*model.__table__.primary_key.columns)
                )
            ]
            for model in TABLES
        }


def counts(session_factory: sessionmaker) -> dict[str, int]:
    with session_factory() as session:
        return {
            model.__tablename__: session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in TABLES
        }


def test_import_stores_the_records(tmp_path: Path, uow_factory: UowFactory) -> None:
    report = import_file(write(tmp_path, "records.yml", GOOD_YAML), uow_factory)
    assert report.outcomes[UpsertOutcome.CREATED] == 3
    assert (report.courses, report.providers, report.credentials, report.ce_records) == (1, 1, 3, 2)
    assert "3 trainers (3 created, 0 updated, 0 unchanged)" in report.summary()
    with uow_factory() as uow:
        dana = uow.trainers.get_record("T-1001")
        assert uow.trainers.get_email("T-1001") == "dana@example.com"
        lee = uow.trainers.get_record("T-1002")
    assert dana is not None and lee is not None
    assert dana.timezone == "America/Chicago" and dana.name == "Dana Smith"
    assert dana.credentials[0].expires_on == date(2026, 3, 1)
    assert dana.credentials[0].number == "8812345"
    ces, kettlebell = dana.ce_records
    assert (ces.course_id, ces.title, ces.provider, ces.ceus) == (
        "NASM-CES", "Corrective Exercise Specialist", "NASM", Decimal("1.9"),
    )
    assert kettlebell.status is CEStatus.PENDING_PETITION and kettlebell.course_id is None
    assert dana.applications[0].audit_selected_on == date(2026, 2, 25)
    assert dana.cpr_aed_cards[0].hands_on is True
    assert lee.credentials[0].plan is Plan.LIFETIME and lee.credentials[0].certified_on is None


def test_reimporting_the_same_file_changes_nothing(
    tmp_path: Path, uow_factory: UowFactory, session_factory: sessionmaker
) -> None:
    path = write(tmp_path, "records.yml", GOOD_YAML)
    import_file(path, uow_factory)
    before = snapshot(session_factory)
    report = import_file(path, uow_factory)
    assert report.outcomes[UpsertOutcome.UNCHANGED] == 3
    assert report.courses_changed == report.providers_changed == 0
    assert snapshot(session_factory) == before


def test_the_file_is_the_trainers_full_record(
    tmp_path: Path, uow_factory: UowFactory, session_factory: sessionmaker
) -> None:
    import_file(write(tmp_path, "records.yml", GOOD_YAML), uow_factory)
    data = yaml.safe_load(GOOD_YAML)
    dana = data["trainers"][0]
    dana["ce_records"] = dana["ce_records"][:1]
    dana["cpr_aed"] = []
    dana["credentials"][0]["expires_on"] = date(2028, 3, 1)
    del dana["applications"]
    path = write(tmp_path, "records.json", json.dumps({"trainers": [dana]}, default=str))
    report = import_file(path, uow_factory)
    assert report.outcomes[UpsertOutcome.UPDATED] == 1
    with uow_factory() as uow:
        record = uow.trainers.get_record("T-1001")
        assert uow.trainers.exists("T-1003")  # trainers not in the file are left alone
    assert record is not None
    assert [r.course_id for r in record.ce_records] == ["NASM-CES"]
    assert record.cpr_aed_cards == () and record.applications == ()
    assert record.credentials[0].expires_on == date(2028, 3, 1)
    assert counts(session_factory)["credentials"] == 3


def test_a_bad_record_after_good_ones_writes_nothing(
    tmp_path: Path, uow_factory: UowFactory, session_factory: sessionmaker
) -> None:
    bad = GOOD_YAML.replace("expires_on: 2026-01-15", "expires_on: 2026-02-30")
    with pytest.raises(ImportFileError) as info:
        import_file(write(tmp_path, "bad.yml", bad), uow_factory)
    assert "trainers[2] (T-1003).credentials[0].expires_on: '2026-02-30' is not a real date" in str(info.value)
    assert set(counts(session_factory).values()) == {0}


def test_a_rejected_reimport_leaves_the_previous_import(
    tmp_path: Path, uow_factory: UowFactory, session_factory: sessionmaker
) -> None:
    import_file(write(tmp_path, "records.yml", GOOD_YAML), uow_factory)
    before = snapshot(session_factory)
    bad = GOOD_YAML.replace("name: Dana Smith", "name: Dana Changed").replace(
        "{course: NASM-CES,", "{course: NASM-NOPE,"
    )
    with pytest.raises(ImportFileError, match="unknown catalog course 'NASM-NOPE'"):
        import_file(write(tmp_path, "bad.yml", bad), uow_factory)
    assert snapshot(session_factory) == before


def test_unknown_catalog_course_is_named(tmp_path: Path, uow_factory: UowFactory) -> None:
    text = GOOD_YAML.replace("ce_records:\n", "ce_records:\n      - {course: NASM-XYZ, completed_on: 2025-01-01, status: approved}\n")
    with pytest.raises(ImportFileError) as info:
        import_file(write(tmp_path, "bad.yml", text), uow_factory)
    assert str(info.value).splitlines()[1] == (
        "  trainers[0] (T-1001).ce_records[0].course: unknown catalog course 'NASM-XYZ' "
        "(not in this file or the store)"
    )


def test_a_course_already_in_the_store_can_be_referenced(
    tmp_path: Path, uow_factory: UowFactory
) -> None:
    catalog = "courses:\n  - {id: NASM-PES, title: Performance Enhancement Specialist, provider: NASM, ceus: 1.9}\n"
    import_file(write(tmp_path, "catalog.yml", catalog), uow_factory)
    trainer = (
        "trainers:\n"
        "  - id: T-7\n    name: Kim Lee\n    timezone: America/Los_Angeles\n"
        "    credentials: [{program: nasm-cpt, expires_on: 2027-01-31}]\n"
        "    ce_records: [{course: NASM-PES, completed_on: 2026-01-05, status: approved}]\n"
    )
    import_file(write(tmp_path, "trainer.yml", trainer), uow_factory)
    with uow_factory() as uow:
        kim = uow.trainers.get_record("T-7")
    assert kim is not None
    (record,) = kim.ce_records
    # Title, provider and CEUs come from the catalog when the file does not give them.
    assert (record.title, record.provider, record.ceus) == (
        "Performance Enhancement Specialist", "NASM", Decimal("1.9"),
    )


def test_json_and_yaml_import_the_same_rows(
    tmp_path: Path, database_url: str, session_factory: sessionmaker, uow_factory: UowFactory
) -> None:
    import_file(write(tmp_path, "records.yml", GOOD_YAML), uow_factory)
    from_yaml = snapshot(session_factory)
    as_json = json.dumps(yaml.safe_load(GOOD_YAML), default=str, indent=2)
    report = import_file(write(tmp_path, "records.json", as_json), uow_factory)
    assert report.outcomes[UpsertOutcome.UNCHANGED] == 3
    assert snapshot(session_factory) == from_yaml


def test_json_file_with_a_yaml_suffix_is_still_read(tmp_path: Path, uow_factory: UowFactory) -> None:
    data = {"providers": [{"name": "ASTI", "approved": True}]}
    report = import_file(write(tmp_path, "providers.txt", json.dumps(data)), uow_factory)
    assert report.providers == 1


def test_catalog_updates_change_only_what_changed(tmp_path: Path, uow_factory: UowFactory) -> None:
    path = write(tmp_path, "records.yml", GOOD_YAML)
    import_file(path, uow_factory)
    changed = GOOD_YAML.replace("provider: NASM, ceus: 1.9}", "provider: NASM, ceus: 1.5}")
    changed = changed.replace("approved: true}", "approved: false}")
    report = import_file(write(tmp_path, "changed.yml", changed), uow_factory)
    assert (report.courses_changed, report.providers_changed) == (1, 1)
    assert report.outcomes[UpsertOutcome.UNCHANGED] == 3  # a CE record keeps the CEUs it was given
    with uow_factory() as uow:
        course = uow.catalog.get_course("NASM-CES")
        assert course is not None and course.ceus == Decimal("1.5")
        assert uow.catalog.list_providers()[0].approved is False


def test_missing_file(tmp_path: Path, uow_factory: UowFactory) -> None:
    with pytest.raises(ImportFileError, match="no such file"):
        import_file(tmp_path / "nope.yml", uow_factory)


def test_empty_file(tmp_path: Path, uow_factory: UowFactory) -> None:
    with pytest.raises(ImportFileError, match="the file is empty"):
        import_file(write(tmp_path, "empty.yml", ""), uow_factory)
