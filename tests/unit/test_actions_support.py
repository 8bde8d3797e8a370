"""Shared fakes and builders for the action tests (this module holds no tests).

Hand-written fakes, not mocks: a fake unit of work with fake repositories, trackers built
with ``Tracker.from_dict`` from the JSON files in ``tests/fixtures/trackers``, and a real
``CollectingDispatcher``. The rules engine is the real one.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.handoff.model import HandoffTicket, TicketStatus
from bot.identity import sign_identity
from bot.settings import Settings, load_settings
from rules.model import (
    Application,
    CatalogCourse,
    CERecord,
    CEStatus,
    CprAedCard,
    Credential,
    Provider,
    TrainerRecord,
)
from tests.unit.handoff_fakes import FakeRelay

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "trackers"
SECRET = "test-identity-secret"
SENDER = "telegram:4242"
TRAINER = "T-1001"

# --- records ------------------------------------------------------------------------------
# E = 2026-03-01, certified 2022-03-01: cycle start 2024-03-02, CE deadline (E+90) 2026-05-30,
# application deadline 2027-02-28, lapses 2027-03-01. Worked out by hand from the spec.
E = date(2026, 3, 1)
CPT = Credential("nasm-cpt", E, number="8812345", certified_on=date(2022, 3, 1))
RED_CROSS = CprAedCard("American Red Cross", date(2027, 1, 10), True, date(2025, 1, 10))


def record(
    ce: Iterable[CERecord] = (),
    cards: Iterable[CprAedCard] = (RED_CROSS,),
    applications: Iterable[Application] = (),
    credentials: Iterable[Credential] = (CPT,),
    timezone: str = "America/Chicago",
) -> TrainerRecord:
    return TrainerRecord(
        trainer_id=TRAINER,
        name="Dana Smith",
        timezone=timezone,
        credentials=tuple(credentials),
        ce_records=tuple(ce),
        cpr_aed_cards=tuple(cards),
        applications=tuple(applications),
    )


def approved(ceus: str, on: date = date(2025, 6, 1)) -> CERecord:
    return CERecord(on, D(ceus), CEStatus.APPROVED, title="course", course_id="NASM-CES")


def pending(ceus: str, on: date = date(2025, 8, 1)) -> CERecord:
    return CERecord(on, D(ceus), CEStatus.PENDING_PETITION, title="Kettlebell Basics", provider="Some Studio")


COMPLETE = record(ce=[approved("1.9")])  # all 2.0 CEUs with the card
PARTIAL = record(ce=[approved("1.2"), pending("0.3")])  # 1.3 earned, 0.7 remaining

COURSES = [
    CatalogCourse("NASM-CES", "Corrective Exercise Specialist", "NASM", D("1.9")),
    CatalogCourse("NASM-PES", "Performance Enhancement Specialist", "NASM", D("1.9")),
    CatalogCourse("NASM-YES", "Youth Exercise Specialist", "NASM", D("1.5")),
    CatalogCourse("NASM-WLS", "Weight Loss Specialist", "NASM", D("0.8")),
    CatalogCourse("NASM-CNC", "Certified Nutrition Coach", "NASM", D("1.9")),
    CatalogCourse("ACE-FUNC-TRAIN", "Functional Training Specialist", "ACE", D("1.0")),
]
PROVIDERS = [
    Provider("National Academy of Sports Medicine", True),
    Provider("American Council on Exercise", True),
    Provider("American College of Sports Medicine", True),
    Provider("National Strength and Conditioning Association", True),
    Provider("Kettlebell Kings Academy", False),
    Provider("Some Studio", False),
]

# --- fakes --------------------------------------------------------------------------------


class FakeTrainers:
    def __init__(self, records: dict[str, TrainerRecord]) -> None:
        self.records = records
        self.lookups: list[str] = []

    def get_record(self, trainer_id: str) -> TrainerRecord | None:
        self.lookups.append(trainer_id)
        return self.records.get(trainer_id)


class FakeCatalog:
    def __init__(self, courses: list[CatalogCourse], providers: list[Provider]) -> None:
        self.courses, self.providers = courses, providers

    def list_courses(self) -> list[CatalogCourse]:
        return list(self.courses)

    def list_providers(self) -> list[Provider]:
        return list(self.providers)


class FakeIdentities:
    def __init__(self, links: dict[tuple[str, str], str]) -> None:
        self.links = links

    def trainer_for(self, channel: str, user_id: str) -> str | None:
        return self.links.get((channel, user_id))


class FakeHandoff:
    def __init__(self) -> None:
        self.tickets: dict[int, HandoffTicket] = {}

    def add(self, sender, trainer_id, reason, transcript, created_at, assessment="") -> HandoffTicket:  # type: ignore[no-untyped-def]
        ticket = HandoffTicket(
            len(self.tickets) + 1, sender, trainer_id, reason, transcript, TicketStatus.OPEN, created_at,
            assessment=assessment,
        )
        self.tickets[ticket.id] = ticket
        return ticket

    def get(self, ticket_id: int) -> HandoffTicket | None:
        return self.tickets.get(ticket_id)

    def open_for_sender(self, sender: str) -> HandoffTicket | None:
        return next(
            (t for t in self.tickets.values() if t.sender == sender and t.status is TicketStatus.OPEN),
            None,
        )

    def list_open(self) -> list[HandoffTicket]:
        return [t for t in self.tickets.values() if t.status is TicketStatus.OPEN]

    def close(self, ticket_id: int, closed_at: datetime) -> HandoffTicket:
        ticket = self.tickets[ticket_id]
        if ticket.status is TicketStatus.OPEN:
            ticket = replace(ticket, status=TicketStatus.CLOSED, closed_at=closed_at)
            self.tickets[ticket_id] = ticket
        return ticket


class FakeReminderSettings:
    """Reminder settings by trainer; a trainer without one has reminders on (the store's default)."""

    def __init__(self, off: Iterable[str] = ()) -> None:
        self.off = set(off)

    def enabled(self, trainer_id: str) -> bool | None:
        return trainer_id not in self.off


class FakeUnitOfWork:
    def __init__(
        self,
        records: Iterable[TrainerRecord] = (),
        courses: list[CatalogCourse] = COURSES,
        providers: list[Provider] = PROVIDERS,
        links: dict[tuple[str, str], str] | None = None,
    ) -> None:
        self.trainers = FakeTrainers({r.trainer_id: r for r in records})
        self.catalog = FakeCatalog(courses, providers)
        self.identities = FakeIdentities(links or {})
        self.handoff = FakeHandoff()
        self.reminders: Any = FakeReminderSettings()
        self.relay = FakeRelay(self.handoff)  # type: ignore[arg-type]
        self.commits = 0
        self.entered = 0

    def __enter__(self) -> FakeUnitOfWork:
        self.entered += 1
        return self

    def __exit__(self, *args: Any) -> None:
        pass

    def commit(self) -> None:
        self.commits += 1

    def rollback(self) -> None:
        pass


class BrokenUnitOfWork(FakeUnitOfWork):
    def __enter__(self) -> FakeUnitOfWork:
        raise RuntimeError("database is down (T-1001 dana@example.com)")


def settings(today: date | None = date(2026, 3, 10), max_age: int = 300) -> Settings:
    base = load_settings({"RECERT_IDENTITY_SECRET": SECRET, "RECERT_DATABASE_URL": "sqlite://"})
    return replace(base, today=today, identity_max_age_seconds=max_age)


def make_action(cls: type, uow: FakeUnitOfWork | None = None, today: date | None = date(2026, 3, 10), **kwargs: Any) -> Any:
    uow = uow if uow is not None else FakeUnitOfWork()
    return cls(uow_factory=lambda: uow, settings=settings(today), **kwargs)


# --- trackers -----------------------------------------------------------------------------


def identity(trainer_id: str = TRAINER, sender: str = SENDER, secret: str = SECRET, age: int = 0) -> dict[str, Any]:
    return sign_identity(trainer_id, sender, secret, issued_at=int(time.time()) - age)


def tracker(
    fixture: str = "user_message",
    *,
    linked_as: str | None = None,
    metadata: dict[str, Any] | None = None,
    text: str | None = None,
    intent: str | None = None,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    sender: str | None = None,
) -> Tracker:
    """A tracker from a fixture; ``linked_as`` signs a fresh identity for that trainer."""
    state = copy.deepcopy(json.loads((FIXTURES / f"{fixture}.json").read_text()))
    if sender is not None:
        state["sender_id"] = sender
    message = state["latest_message"]
    if text is not None:
        message["text"] = text
    if intent is not None:
        message["intent"] = {"name": intent, "confidence": 0.95}
    if entities is not None:
        message["entities"] = entities
    if metadata is not None:
        message["metadata"] = metadata
    elif linked_as is not None:
        message["metadata"] = {"identity": identity(linked_as, state["sender_id"])}
    state["slots"].update(slots or {})
    return Tracker.from_dict(state)


def entity(name: str, value: str) -> dict[str, Any]:
    return {"entity": name, "value": value, "start": 0, "end": len(value), "extractor": "EntityRuler"}


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [m.get("text") or "" for m in dispatcher.messages]


def text(dispatcher: CollectingDispatcher) -> str:
    return " ".join(texts(dispatcher))


async def run(action: Any, tr: Tracker, domain: dict[str, Any] | None = None) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tr, domain or {})
    return dispatcher, events
