"""Trainers and everything the rules engine reads about them.

Rows go in and out as :class:`rules.model.TrainerRecord` (frozen dataclasses, ``Decimal`` CEUs);
no ORM object leaves this module. Reads are plain column selects, which keeps
:meth:`TrainerRepository.iter_records` fast enough to stream a whole store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from itertools import islice
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from bot.store.models import (
    ApplicationRow,
    CERecordRow,
    CprAedCardRow,
    CredentialRow,
    TrainerRow,
)
from rules.model import (
    Application,
    CERecord,
    CEStatus,
    CprAedCard,
    Credential,
    Plan,
    TrainerRecord,
)

_TRAINER = TrainerRow.__table__
_CREDENTIAL = CredentialRow.__table__
_CE = CERecordRow.__table__
_CARD = CprAedCardRow.__table__
_APPLICATION = ApplicationRow.__table__

_CREDENTIAL_COLUMNS = (
    _CREDENTIAL.c.trainer_id,
    _CREDENTIAL.c.program,
    _CREDENTIAL.c.expires_on,
    _CREDENTIAL.c.plan,
    _CREDENTIAL.c.number,
    _CREDENTIAL.c.certified_on,
)
_CE_COLUMNS = (
    _CE.c.trainer_id,
    _CE.c.completed_on,
    _CE.c.ceus,
    _CE.c.status,
    _CE.c.title,
    _CE.c.provider,
    _CE.c.course_id,
    _CE.c.counted_for,
)
_CARD_COLUMNS = (
    _CARD.c.trainer_id,
    _CARD.c.provider,
    _CARD.c.expires_on,
    _CARD.c.hands_on,
    _CARD.c.issued_on,
)
_APPLICATION_COLUMNS = (
    _APPLICATION.c.trainer_id,
    _APPLICATION.c.program,
    _APPLICATION.c.submitted_on,
    _APPLICATION.c.audit_selected_on,
    _APPLICATION.c.audit_documents_submitted_on,
    _APPLICATION.c.for_expiration,
)


_PLANS = {plan.value: plan for plan in Plan}
_STATUSES = {status.value: status for status in CEStatus}


class UpsertOutcome(str, Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class _Children:
    credentials: dict[str, list[Credential]]
    ce_records: dict[str, list[CERecord]]
    cards: dict[str, list[CprAedCard]]
    applications: dict[str, list[Application]]


@dataclass(frozen=True)
class TrainerBatch:
    """One batch of :meth:`TrainerRepository.iter_records`: the trainers with ids from ``first_id``
    to ``last_id`` (inclusive, in id order), ``size`` of them."""

    first_id: str
    last_id: str
    size: int


def _trainer_between(first: str, last: str) -> Callable[[Table], Any]:
    """The filter of one batch of ``iter_records``: trainers ``first`` to ``last``, inclusive."""
    return lambda table: table.c.trainer_id.between(first, last)


_CHOSEN_IDS = bindparam("chosen_ids", expanding=True)


def _trainer_in_chosen(table: Table) -> Any:
    """The trainers a ``select_batch`` of ``iter_records`` kept, bound as ``chosen_ids``: an
    expanding parameter, so the statement is compiled once, not once per list of ids."""
    return table.c.trainer_id.in_(_CHOSEN_IDS)


class TrainerRepository:
    """Trainer records in one session; the unit of work commits."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # --- reads -----------------------------------------------------------------------------

    def exists(self, trainer_id: str) -> bool:
        found = self.session.execute(
            select(_TRAINER.c.id).where(_TRAINER.c.id == trainer_id)
        ).first()
        return found is not None

    def get_record(self, trainer_id: str) -> TrainerRecord | None:
        """The trainer's full record, or None when there is no such trainer."""
        row = self.session.execute(
            select(_TRAINER.c.id, _TRAINER.c.name, _TRAINER.c.timezone).where(
                _TRAINER.c.id == trainer_id
            )
        ).first()
        if row is None:
            return None
        children = self._children(lambda t: t.c.trainer_id == trainer_id)
        return _record(row, children)

    def get_email(self, trainer_id: str) -> str | None:
        return self.session.execute(
            select(_TRAINER.c.email).where(_TRAINER.c.id == trainer_id)
        ).scalar_one_or_none()

    def programs(self) -> list[str]:
        """The programs the stored credentials belong to (each needs its policy)."""
        query = select(_CREDENTIAL.c.program).distinct().order_by(_CREDENTIAL.c.program)
        return list(self.session.execute(query).scalars())

    def count(self) -> int:
        return int(self.session.execute(select(func.count()).select_from(_TRAINER)).scalar_one())

    def iter_records(
        self, batch_size: int = 1000, select_batch: Callable[[TrainerBatch], Collection[str]] | None = None
    ) -> Iterator[TrainerRecord]:
        """Every trainer's record, in id order, ``batch_size`` trainers at a time.

        Keyset pagination: each batch is one query per table over an id range, so memory stays
        flat however large the store is, and the same code streams on SQLite and PostgreSQL.

        ``select_batch`` narrows a pass that needs only some trainers (the reminder planner): it
        gets each batch's id range and size and returns the ids to keep, chosen in the store (a
        query of its own), so only those trainers' rows are read and built into records.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        after: str | None = None
        while True:
            query = select(_TRAINER.c.id, _TRAINER.c.name, _TRAINER.c.timezone)
            if after is not None:
                query = query.where(_TRAINER.c.id > after)
            rows = self.session.execute(query.order_by(_TRAINER.c.id).limit(batch_size)).all()
            if not rows:
                return
            first, last = rows[0].id, rows[-1].id
            if select_batch is None:
                children = self._children(_trainer_between(first, last))
                for row in rows:
                    yield _record(row, children)
            else:
                chosen = set(select_batch(TrainerBatch(first, last, len(rows))))
                if chosen:
                    children = self._children(_trainer_in_chosen, {"chosen_ids": sorted(chosen)})
                    for row in rows:
                        if row.id in chosen:
                            yield _record(row, children)
            after = last
            if len(rows) < batch_size:
                return

    def _children(self, where: Callable[[Table], Any], params: Mapping[str, Any] | None = None) -> _Children:
        """The child rows of the trainers selected by ``where(table)`` (with ``params`` bound),
        grouped by trainer.

        One query per table, fetched whole (``.all()``): the hot path of ``iter_records``.
        """

        def rows(table: Table, columns: Sequence[Any], *order: Any) -> Sequence[Any]:
            query = select(*columns).where(where(table)).order_by(table.c.trainer_id, *order)
            return self.session.execute(query, params or {}).all()

        credentials: dict[str, list[Credential]] = defaultdict(list)
        for trainer_id, program, expires_on, plan, number, certified_on in rows(
            _CREDENTIAL, _CREDENTIAL_COLUMNS, _CREDENTIAL.c.program
        ):
            credentials[trainer_id].append(Credential(program, expires_on, _PLANS[plan], number, certified_on))
        ce_records: dict[str, list[CERecord]] = defaultdict(list)
        for trainer_id, completed_on, ceus, status, title, provider, course_id, counted_for in rows(
            _CE, _CE_COLUMNS, _CE.c.id
        ):
            ce_records[trainer_id].append(
                CERecord(completed_on, ceus, _STATUSES[status], title, provider, course_id, counted_for)
            )
        cards: dict[str, list[CprAedCard]] = defaultdict(list)
        for trainer_id, provider, expires_on, hands_on, issued_on in rows(_CARD, _CARD_COLUMNS, _CARD.c.id):
            cards[trainer_id].append(CprAedCard(provider, expires_on, bool(hands_on), issued_on))
        applications: dict[str, list[Application]] = defaultdict(list)
        for trainer_id, program, submitted_on, selected_on, documents_on, for_expiration in rows(
            _APPLICATION, _APPLICATION_COLUMNS, _APPLICATION.c.id
        ):
            applications[trainer_id].append(
                Application(program, submitted_on, selected_on, documents_on, for_expiration)
            )
        return _Children(credentials, ce_records, cards, applications)

    # --- writes ----------------------------------------------------------------------------

    def upsert(self, record: TrainerRecord, email: str | None = None) -> UpsertOutcome:
        """Make the stored trainer equal to ``record`` (the record is the trainer's full record).

        The trainer is keyed by id and each credential by (trainer, program), so their row ids
        survive an update; CE records, CPR/AED cards and applications are replaced by the
        record's lists. Nothing is written when the stored record is already equal.
        """
        trainer_id = record.trainer_id
        # Stored credentials come back ordered by program; compare like with like.
        record = replace(record, credentials=tuple(sorted(record.credentials, key=_program)))
        existing = self.get_record(trainer_id)
        if existing is not None and existing == record and self.get_email(trainer_id) == email:
            return UpsertOutcome.UNCHANGED
        trainer = self.session.get(TrainerRow, trainer_id)
        if trainer is None:
            self.session.add(
                TrainerRow(
                    id=trainer_id, name=record.name or trainer_id, email=email, timezone=record.timezone
                )
            )
        else:
            trainer.name = record.name or trainer_id
            trainer.email = email
            trainer.timezone = record.timezone
        self.session.flush()
        self._replace_credentials(trainer_id, record.credentials)
        if existing is None or existing.ce_records != record.ce_records:
            self.session.execute(delete(_CE).where(_CE.c.trainer_id == trainer_id))
            self._insert(_CE, _ce_rows(trainer_id, record.ce_records))
        if existing is None or existing.cpr_aed_cards != record.cpr_aed_cards:
            self.session.execute(delete(_CARD).where(_CARD.c.trainer_id == trainer_id))
            self._insert(_CARD, _card_rows(trainer_id, record.cpr_aed_cards))
        if existing is None or existing.applications != record.applications:
            self.session.execute(delete(_APPLICATION).where(_APPLICATION.c.trainer_id == trainer_id))
            self._insert(_APPLICATION, _application_rows(trainer_id, record.applications))
        return UpsertOutcome.CREATED if existing is None else UpsertOutcome.UPDATED

    def _replace_credentials(self, trainer_id: str, credentials: Sequence[Credential]) -> None:
        stored = {
            row.program: row
            for row in self.session.execute(
                select(CredentialRow).where(CredentialRow.trainer_id == trainer_id)
            ).scalars()
        }
        wanted = {c.program for c in credentials}
        for program, row in stored.items():
            if program not in wanted:
                self.session.delete(row)
        for credential in credentials:
            row = stored.get(credential.program)
            if row is None:
                row = CredentialRow(trainer_id=trainer_id, program=credential.program)
                self.session.add(row)
            row.number = credential.number
            row.certified_on = credential.certified_on
            row.expires_on = credential.expires_on
            row.plan = Plan(credential.plan).value
        self.session.flush()

    def add_many(
        self, records: Iterable[TrainerRecord], emails: Mapping[str, str | None] | None = None,
        chunk_size: int = 5000,
    ) -> int:
        """Bulk-insert new trainers (executemany per table); returns how many were added.

        For loading large stores (the benchmark, migrations from other systems); the ids must
        not exist yet. Use :meth:`upsert` for anything that may already be stored.
        """
        emails = emails or {}
        self.session.flush()  # Core inserts do not autoflush: pending rows (courses) go first
        added = 0
        iterator = iter(records)
        while chunk := list(islice(iterator, chunk_size)):
            self._insert(
                _TRAINER,
                [
                    {
                        "id": r.trainer_id,
                        "name": r.name or r.trainer_id,
                        "email": emails.get(r.trainer_id),
                        "timezone": r.timezone,
                    }
                    for r in chunk
                ],
            )
            self._insert(
                _CREDENTIAL, [row for r in chunk for row in _credential_rows(r.trainer_id, r.credentials)]
            )
            self._insert(_CE, [row for r in chunk for row in _ce_rows(r.trainer_id, r.ce_records)])
            self._insert(
                _CARD, [row for r in chunk for row in _card_rows(r.trainer_id, r.cpr_aed_cards)]
            )
            self._insert(
                _APPLICATION,
                [row for r in chunk for row in _application_rows(r.trainer_id, r.applications)],
            )
            added += len(chunk)
        return added

    def _insert(self, table: Any, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.session.execute(insert(table), rows)


def _program(credential: Credential) -> str:
    return credential.program


def _record(row: Any, children: _Children) -> TrainerRecord:
    trainer_id = row.id
    return TrainerRecord(
        trainer_id=trainer_id,
        credentials=tuple(children.credentials.get(trainer_id, ())),
        ce_records=tuple(children.ce_records.get(trainer_id, ())),
        cpr_aed_cards=tuple(children.cards.get(trainer_id, ())),
        applications=tuple(children.applications.get(trainer_id, ())),
        name=row.name,
        timezone=row.timezone,
    )


def _credential_rows(trainer_id: str, credentials: Iterable[Credential]) -> list[dict[str, Any]]:
    return [
        {
            "trainer_id": trainer_id,
            "program": c.program,
            "number": c.number,
            "certified_on": c.certified_on,
            "expires_on": c.expires_on,
            "plan": Plan(c.plan).value,
        }
        for c in credentials
    ]


def _ce_rows(trainer_id: str, records: Iterable[CERecord]) -> list[dict[str, Any]]:
    return [
        {
            "trainer_id": trainer_id,
            "course_id": r.course_id,
            "title": r.title or r.course_id or "",
            "provider": r.provider or "",
            "completed_on": r.completed_on,
            "ceus": r.ceus,
            "status": CEStatus(r.status).value,
            "counted_for": r.counted_for,
        }
        for r in records
    ]


def _card_rows(trainer_id: str, cards: Iterable[CprAedCard]) -> list[dict[str, Any]]:
    return [
        {
            "trainer_id": trainer_id,
            "provider": c.provider,
            "issued_on": c.issued_on,
            "expires_on": c.expires_on,
            "hands_on": c.hands_on,
        }
        for c in cards
    ]


def _application_rows(trainer_id: str, applications: Iterable[Application]) -> list[dict[str, Any]]:
    return [
        {
            "trainer_id": trainer_id,
            "program": a.program,
            "submitted_on": a.submitted_on,
            "audit_selected_on": a.audit_selected_on,
            "audit_documents_submitted_on": a.audit_documents_submitted_on,
            "for_expiration": a.for_expiration,
        }
        for a in applications
    ]
