"""The import use case: a validated file into the store, all or nothing.

``import_records(doc, uow, source)`` checks what needs the store (catalog courses referenced by
CE records must be in the file or already stored), then upserts in the unit of work's one
transaction and commits. Any problem raises :class:`~bot.errors.ImportFileError` before the
commit, and the unit of work rolls everything back.

Upsert rules (so importing the same file twice changes nothing): courses by id, providers by
name, trainers by id, credentials by (trainer, program); a trainer's CE records, CPR/AED cards
and applications are replaced by the file's lists — the file holds the trainer's full record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.exc import IntegrityError

from bot.errors import ImportFileError
from bot.importing.reader import read_import_file
from bot.importing.schema import CERecordIn, ImportFile, TrainerIn
from bot.importing.validate import Problem, describe, parse_import, reject
from bot.store.repositories.catalog import CatalogRepository
from bot.store.repositories.trainers import TrainerRepository, UpsertOutcome
from rules.model import (
    Application,
    CatalogCourse,
    CERecord,
    CprAedCard,
    Credential,
    Provider,
    TrainerRecord,
)

TELEGRAM = "telegram"


class ImportUnitOfWork(Protocol):
    trainers: TrainerRepository
    catalog: CatalogRepository

    def commit(self) -> None: ...


@dataclass
class ImportReport:
    """What an import did; ``courses``/``providers``/``trainers`` count the records in the file."""

    source: str
    courses: int = 0
    courses_changed: int = 0
    providers: int = 0
    providers_changed: int = 0
    outcomes: dict[UpsertOutcome, int] = field(
        default_factory=lambda: {outcome: 0 for outcome in UpsertOutcome}
    )
    credentials: int = 0
    ce_records: int = 0
    cpr_aed_cards: int = 0
    applications: int = 0
    links_changed: int = 0  # telegram_user_id: accounts newly linked (or moved) to their trainer
    reminder_settings_changed: int = 0

    @property
    def trainers(self) -> int:
        return sum(self.outcomes.values())

    def summary(self) -> str:
        o = self.outcomes
        return (
            f"{self.source}: imported {_n(self.courses, 'course')} ({self.courses_changed} new or changed), "
            f"{_n(self.providers, 'provider')} ({self.providers_changed} new or changed), "
            f"{_n(self.trainers, 'trainer')} ({o[UpsertOutcome.CREATED]} created, "
            f"{o[UpsertOutcome.UPDATED]} updated, {o[UpsertOutcome.UNCHANGED]} unchanged) "
            f"with {_n(self.credentials, 'credential')}, {_n(self.ce_records, 'CE record')}, "
            f"{_n(self.cpr_aed_cards, 'CPR/AED card')}, {_n(self.applications, 'application')}"
            + (f"; {_n(self.links_changed, 'Telegram link')} made" if self.links_changed else "")
            + (
                f"; {_n(self.reminder_settings_changed, 'reminder setting')} changed"
                if self.reminder_settings_changed else ""
            )
        )


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def load_import_file(path: Path) -> tuple[ImportFile, Any]:
    """Read and validate a file: (the validated document, the raw data for naming records)."""
    data = read_import_file(path)
    return parse_import(data, str(path)), data


def import_file(path: Path, uow_factory: Any) -> ImportReport:
    """Read, validate and import ``path`` with a fresh unit of work from ``uow_factory()``."""
    doc, data = load_import_file(path)
    with uow_factory() as uow:
        return import_records(doc, uow, str(path), data)


def import_records(
    doc: ImportFile, uow: ImportUnitOfWork, source: str = "import", data: Any = None
) -> ImportReport:
    """Write a validated document in one transaction; commit only when all of it is good."""
    courses = {c.id: CatalogCourse(c.id, c.title, c.provider, c.ceus) for c in doc.courses}
    referenced = _referenced_courses(doc)
    problems: list[Problem] = []
    for course_id in sorted(set(referenced) - set(courses)):
        stored = uow.catalog.get_course(course_id)
        if stored is None:
            for loc in referenced[course_id]:
                problems.append(
                    Problem(loc, f"unknown catalog course {course_id!r} (not in this file or the store)")
                )
        else:
            courses[course_id] = stored
    if problems:
        problems.sort(key=lambda p: p.loc)  # all ("trainers", i, "ce_records", j, "course")
        raise reject(source, problems, data)

    report = ImportReport(source=source, courses=len(doc.courses), providers=len(doc.providers))
    where = "courses"
    try:
        for course in doc.courses:
            report.courses_changed += uow.catalog.upsert_course(courses[course.id])
        uow.catalog.session.flush()
        where = "providers"
        for provider in doc.providers:
            report.providers_changed += uow.catalog.upsert_provider(
                Provider(provider.name, provider.approved)
            )
        uow.catalog.session.flush()
        for index, trainer in enumerate(doc.trainers):
            where = describe(("trainers", index), data) if data is not None else trainer.id
            record = to_record(trainer, courses)
            report.outcomes[uow.trainers.upsert(record, email=trainer.email)] += 1
            report.credentials += len(record.credentials)
            report.ce_records += len(record.ce_records)
            report.cpr_aed_cards += len(record.cpr_aed_cards)
            report.applications += len(record.applications)
            _channel_and_reminders(uow, trainer, report)
        where = "commit"
        uow.commit()
    except IntegrityError as exc:
        raise ImportFileError(
            f"{source}: rejected by the store at {where}, nothing was written: {exc.orig}"
        ) from None
    return report


def _channel_and_reminders(uow: Any, trainer: TrainerIn, report: ImportReport) -> None:
    """``telegram_user_id`` links the account (as a redeemed link code would); ``reminders``
    sets the trainer's reminder setting. Unchanged values write nothing."""
    if trainer.telegram_user_id is not None:
        if uow.identities.trainer_for(TELEGRAM, trainer.telegram_user_id) != trainer.id:
            uow.identities.link(TELEGRAM, trainer.telegram_user_id, trainer.id, datetime.now(timezone.utc))
            report.links_changed += 1
    if trainer.reminders is not None and uow.reminders.enabled(trainer.id) != trainer.reminders:
        uow.reminders.set_enabled(trainer.id, trainer.reminders)
        report.reminder_settings_changed += 1


def _referenced_courses(doc: ImportFile) -> dict[str, list[tuple[str | int, ...]]]:
    refs: dict[str, list[tuple[str | int, ...]]] = {}
    for i, trainer in enumerate(doc.trainers):
        for j, ce in enumerate(trainer.ce_records):
            if ce.course is not None:
                refs.setdefault(ce.course, []).append(("trainers", i, "ce_records", j, "course"))
    return refs


def to_record(trainer: TrainerIn, courses: dict[str, CatalogCourse]) -> TrainerRecord:
    """The domain record for one validated trainer (catalog references resolved)."""
    return TrainerRecord(
        trainer_id=trainer.id,
        name=trainer.name,
        timezone=trainer.timezone,
        credentials=tuple(
            sorted(
                (
                    Credential(
                        program=c.program,
                        expires_on=c.expires_on,
                        plan=c.plan,
                        number=c.number,
                        certified_on=c.certified_on,
                    )
                    for c in trainer.credentials
                ),
                key=lambda c: c.program,
            )
        ),
        ce_records=tuple(_ce_record(ce, courses) for ce in trainer.ce_records),
        cpr_aed_cards=tuple(
            CprAedCard(
                provider=card.provider,
                expires_on=card.expires_on,
                hands_on=card.hands_on,
                issued_on=card.issued_on,
            )
            for card in trainer.cpr_aed
        ),
        applications=tuple(
            Application(
                program=a.program,
                submitted_on=a.submitted_on,
                audit_selected_on=a.audit_selected_on,
                audit_documents_submitted_on=a.audit_documents_submitted_on,
                for_expiration=a.for_expiration,
            )
            for a in trainer.applications
        ),
    )


def _ce_record(ce: CERecordIn, courses: dict[str, CatalogCourse]) -> CERecord:
    course = courses[ce.course] if ce.course is not None else None
    title = ce.title or (course.title if course else None)
    provider = ce.provider or (course.provider if course else None)
    ceus = ce.ceus if ce.ceus is not None else (course.ceus if course else None)
    assert title is not None and provider is not None and ceus is not None  # schema guarantees
    return CERecord(
        completed_on=ce.completed_on,
        ceus=ceus,
        status=ce.status,
        title=title,
        provider=provider,
        course_id=ce.course,
        counted_for=ce.counted_for,
    )
