"""The actions on a real SQLite record store: records, catalog, identities and handoff tickets."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, timezone
from decimal import Decimal as D
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import select

from actions.base import RecertAction, default_uow_factory
from actions.courses import ActionCourseCounts
from actions.handoff import ActionHandoff
from actions.reminders import ActionSendReminder
from actions.status import ActionCeusRemaining, ActionExpirationDate
from bot.handoff import service
from bot.handoff.model import TicketStatus
from bot.store.bootstrap import make_session_factory
from bot.store.models import HandoffTicketRow, RelayMessageRow
from bot.store.unit_of_work import SqlAlchemyUnitOfWork
from rules.model import CatalogCourse, Provider
from tests.unit.test_actions_support import PARTIAL, SENDER, TRAINER, run, settings, text, tracker

TODAY = date(2026, 2, 9)
NOW = datetime(2026, 2, 9, 15, 0, tzinfo=timezone.utc)
UowFactory = Callable[[], SqlAlchemyUnitOfWork]
ActionT = TypeVar("ActionT", bound=RecertAction)


@pytest.fixture
def uow_factory(tmp_path: Path) -> UowFactory:
    session_factory = make_session_factory(f"sqlite:///{tmp_path / 'store.sqlite3'}", migrate=True)
    factory = functools.partial(SqlAlchemyUnitOfWork, session_factory)
    with factory() as uow:
        uow.catalog.upsert_course(CatalogCourse("NASM-CES", "Corrective Exercise Specialist", "NASM", D("1.9")))
        uow.catalog.upsert_course(CatalogCourse("NASM-YES", "Youth Exercise Specialist", "NASM", D("1.5")))
        uow.catalog.upsert_provider(Provider("American Council on Exercise", True))
        uow.session.flush()  # CE records refer to catalog courses
        uow.trainers.upsert(PARTIAL, email="dana@example.com")
        uow.identities.link("telegram", "4242", TRAINER, NOW)
        uow.commit()
    return factory


def action(cls: Callable[..., ActionT], uow_factory: UowFactory, today: date = TODAY) -> ActionT:
    return cls(uow_factory=uow_factory, settings=settings(today))


async def test_linked_trainer_answer_from_the_store(uow_factory: UowFactory) -> None:
    d, _ = await run(action(ActionCeusRemaining, uow_factory), tracker(linked_as=TRAINER))
    assert text(d).startswith("You have 1.3 of the 2.0 CEUs you need (2.0 CEUs every two years, 0.1 CEU of them from CPR/AED), so you still need 0.7 CEU.")
    assert "Petitioned courses worth 0.3 CEU are still pending" in text(d)


async def test_unlinked_conversation_never_reads_the_record(uow_factory: UowFactory) -> None:
    d, _ = await run(action(ActionExpirationDate, uow_factory), tracker(text=f"I am {TRAINER}"))
    assert "March 1, 2026" not in text(d)


async def test_course_counts_from_the_stored_catalog(uow_factory: UowFactory) -> None:
    d, _ = await run(
        action(ActionCourseCounts, uow_factory),
        tracker(linked_as=TRAINER, slots={"course": "corective exercise", "date": "2025-06-01"}),
    )
    assert "Corrective Exercise Specialist (NASM-CES) from NASM is NASM-approved and gives 1.9 CEUs" in text(d)
    assert "Completed on June 1, 2025, it falls in your current cycle (March 2, 2024 to May 30, 2026)" in text(d)


async def test_reminder_resolves_the_trainer_through_channel_identities(uow_factory: UowFactory) -> None:
    d, _ = await run(action(ActionSendReminder, uow_factory), tracker("external_reminder"))
    assert text(d).startswith("Reminder: your NASM Certified Personal Trainer certification expires on March 1, 2026 (in 20 days).")


async def test_handoff_ticket_is_stored(uow_factory: UowFactory) -> None:
    d, _ = await run(action(ActionHandoff, uow_factory), tracker("handoff_conversation", linked_as=TRAINER))
    with uow_factory() as uow:
        rows = uow.session.execute(select(HandoffTicketRow)).scalars().all()
        assert len(rows) == 1
        row = rows[0]
        assert (row.sender, row.trainer_id, row.status) == (SENDER, TRAINER, "open")
        assert row.transcript.splitlines()[0] == "trainer: my cert says expired but I renewed"
        assert row.transcript.splitlines()[-1] == "trainer: [button: ask_human]"
        assert row.assessment.startswith("NASM-CPT")
        relayed = uow.session.execute(select(RelayMessageRow)).scalars().all()
        assert [(m.ticket_id, m.audience, m.kind) for m in relayed] == [(row.id, "staff", "ticket")]
        assert row.created_at.tzinfo is not None
        ticket_id = row.id
    assert f"to our support staff: ticket #{ticket_id}." in text(d)


def test_handoff_service_round_trip(uow_factory: UowFactory) -> None:
    ticket = service.open_ticket(uow_factory(), SENDER, None, "asked", "user: hi", now=NOW)
    again = service.open_ticket(uow_factory(), SENDER, None, "asked again", "", now=NOW)
    assert again.id == ticket.id
    assert [t.id for t in service.list_open_tickets(uow_factory())] == [ticket.id]
    closed = service.close_ticket(uow_factory(), ticket.id, now=NOW)
    assert closed.status is TicketStatus.CLOSED and closed.closed_at == NOW
    assert service.list_open_tickets(uow_factory()) == []
    fresh = service.open_ticket(uow_factory(), SENDER, TRAINER, "again", "", now=NOW)
    assert fresh.id != ticket.id and fresh.trainer_id == TRAINER


def test_default_uow_factory_is_built_once_per_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'default.sqlite3'}"
    first = default_uow_factory(url)
    assert default_uow_factory(url) is first
    with first() as uow:
        assert uow.catalog.list_courses() == []
