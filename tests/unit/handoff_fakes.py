"""Hand-written fakes of the handoff side: the ticket and relay repositories, a unit of work
holding them, a notifier that records what it sent, and the assistant's conversations.

The fake repositories subclass the real ones (never calling their ``__init__``: a method a fake does
not override fails on the missing session), so mypy checks every overridden signature against the
real repository; the fake unit of work declares the attributes of
:class:`bot.store.unit_of_work.UnitOfWork` and the ``_check_*`` assignments below compare each fake
with the Protocol it stands in for.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING

from bot.handoff.model import Audience, HandoffTicket, Kind, RelayMessage, TicketStatus
from bot.store.repositories.buttons import ButtonRepository
from bot.store.repositories.catalog import CatalogRepository
from bot.store.repositories.handoff import HandoffTicketRepository
from bot.store.repositories.identities import IdentityRepository
from bot.store.repositories.link_codes import LinkCodeRepository
from bot.store.repositories.privacy import PrivacyRepository
from bot.store.repositories.relay import RelayRepository
from bot.store.repositories.reminders import ReminderRepository
from bot.store.repositories.telegram_updates import TelegramUpdateRepository
from bot.store.repositories.trainers import TrainerRepository
from rules.model import TrainerRecord

if TYPE_CHECKING:
    from bot.handoff import delivery, desk
    from bot.store.unit_of_work import UnitOfWork


class FakeTickets(HandoffTicketRepository):
    def __init__(self) -> None:
        self.tickets: dict[int, HandoffTicket] = {}

    def add(
        self,
        sender: str,
        trainer_id: str | None,
        reason: str,
        transcript: str,
        created_at: datetime,
        assessment: str = "",
    ) -> HandoffTicket:
        ticket = HandoffTicket(
            len(self.tickets) + 1, sender, trainer_id, reason, transcript, TicketStatus.OPEN, created_at,
            assessment=assessment,
        )
        self.tickets[ticket.id] = ticket
        return ticket

    def get(self, ticket_id: int) -> HandoffTicket | None:
        return self.tickets.get(ticket_id)

    def open_for_sender(self, sender: str) -> HandoffTicket | None:
        return next((t for t in self.tickets.values() if t.sender == sender and t.open), None)

    def list_open(self) -> list[HandoffTicket]:
        return [t for t in self.tickets.values() if t.open]

    def list_since(self, since: datetime | None) -> list[HandoffTicket]:
        return [t for t in self.tickets.values() if since is None or t.created_at >= since]

    def close(self, ticket_id: int, closed_at: datetime) -> HandoffTicket:
        ticket = self.tickets[ticket_id]
        if ticket.open:
            ticket = replace(ticket, status=TicketStatus.CLOSED, closed_at=closed_at)
            self.tickets[ticket_id] = ticket
        return ticket


class FakeRelay(RelayRepository):
    def __init__(self, tickets: FakeTickets) -> None:
        self.messages: dict[int, RelayMessage] = {}
        self.claimed: dict[int, datetime] = {}
        self._ids = itertools.count(1)
        self._tickets = tickets

    def add(
        self,
        ticket_id: int,
        audience: Audience,
        kind: Kind,
        text: str,
        created_at: datetime,
        author: str | None = None,
    ) -> RelayMessage:
        message = RelayMessage(next(self._ids), ticket_id, audience, kind, text, created_at, author)
        self.messages[message.id] = message
        return message

    def claim(
        self,
        audience: Audience,
        now: datetime,
        stale_before: datetime,
        channel: str | None = None,
        limit: int = 50,
    ) -> list[RelayMessage]:
        found = []
        for m in sorted(self.messages.values(), key=lambda m: m.id):
            claimed = self.claimed.get(m.id)
            ticket = self._tickets.tickets[m.ticket_id]
            if (m.audience is audience and m.delivered_at is None
                    and (claimed is None or claimed < stale_before)
                    and (channel is None or ticket.sender.startswith(channel + ":"))):
                self.claimed[m.id] = now
                m = replace(m, attempts=m.attempts + 1)
                self.messages[m.id] = m
                found.append(m)
        return found[:limit]

    def mark_delivered(
        self,
        message_id: int,
        delivered_at: datetime,
        external_chat: str | None = None,
        external_id: str | None = None,
    ) -> None:
        self.messages[message_id] = replace(
            self.messages[message_id], delivered_at=delivered_at, external_chat=external_chat, external_id=external_id
        )

    def release(self, message_id: int) -> None:
        self.claimed.pop(message_id, None)

    def ticket_for_external(self, external_chat: str, external_id: str) -> int | None:
        return next((m.ticket_id for m in self.messages.values() if m.audience is Audience.STAFF
                     and (m.external_chat, m.external_id) == (external_chat, external_id)), None)

    def thread_root(self, ticket_id: int) -> tuple[str, str] | None:
        return next(((str(m.external_chat), str(m.external_id)) for m in self.messages.values()
                     if m.ticket_id == ticket_id and m.kind is Kind.TICKET and m.external_id), None)

    def thread(self, ticket_id: int) -> list[RelayMessage]:
        return [m for m in self.messages.values() if m.ticket_id == ticket_id]

    def pending(self, audience: Audience | None = None) -> int:
        return sum(1 for m in self.messages.values() if m.delivered_at is None and audience in (None, m.audience))

    def to(self, audience: Audience) -> list[RelayMessage]:
        return [m for m in self.messages.values() if m.audience is audience]


class FakeTrainerRecords(TrainerRepository):
    def __init__(self, records: dict[str, TrainerRecord] | None = None) -> None:
        self.records = records or {}

    def get_record(self, trainer_id: str) -> TrainerRecord | None:
        return self.records.get(trainer_id)


class FakeHandoffUow:
    """A unit of work with the handoff repositories; one instance stands for the whole store.

    The repositories are declared as :class:`~bot.store.unit_of_work.UnitOfWork` declares them
    (its attributes are settable, so their types must match exactly); the fakes are also kept
    under ``fake_*`` for what only a fake can tell (``fake_relay.to(...)``). The repositories the
    handoff does not use are declared but never set: a service reaching for one fails loudly.
    """

    trainers: TrainerRepository
    catalog: CatalogRepository
    identities: IdentityRepository
    link_codes: LinkCodeRepository
    handoff: HandoffTicketRepository
    relay: RelayRepository
    buttons: ButtonRepository
    privacy: PrivacyRepository
    reminders: ReminderRepository
    telegram_updates: TelegramUpdateRepository

    def __init__(self, records: dict[str, TrainerRecord] | None = None) -> None:
        self.fake_tickets = FakeTickets()
        self.fake_relay = FakeRelay(self.fake_tickets)
        self.fake_trainers = FakeTrainerRecords(records)
        self.handoff = self.fake_tickets
        self.relay = self.fake_relay
        self.trainers = self.fake_trainers
        self.commits = 0
        self.rollbacks = 0

    def __enter__(self) -> FakeHandoffUow:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        pass

    def commit(self) -> None:
        self.commits += 1

    def rollback(self) -> None:
        self.rollbacks += 1


class FakeNotifier:
    """Records what it sent; ``fail_staff``/``fail_trainer`` make the next sends raise."""

    channel = "telegram"

    def __init__(self, staff_desk: bool = True) -> None:
        self.staff: list[tuple[str, tuple[str, str] | None, tuple[str, str]]] = []
        self.trainers: list[tuple[str, str]] = []
        self.fail_staff = 0
        self.fail_trainer = 0
        self._ids = itertools.count(500)
        self._desk = staff_desk

    @property
    def has_staff_desk(self) -> bool:
        return self._desk

    async def to_staff(self, text: str, reply_to: tuple[str, str] | None) -> tuple[str, str]:
        if self.fail_staff:
            self.fail_staff -= 1
            raise ConnectionError("staff desk unreachable")
        posted = ("-100900", str(next(self._ids)))
        self.staff.append((text, reply_to, posted))
        return posted

    async def to_trainer(self, sender: str, text: str) -> None:
        if self.fail_trainer:
            self.fail_trainer -= 1
            raise ConnectionError("trainer unreachable")
        self.trainers.append((sender, text))


class FakeConversations:
    def __init__(self, answers: dict[str, list[str]] | None = None, down: bool = False) -> None:
        self.resumed: list[str] = []
        self.asked: list[str] = []
        self.answers = answers or {}
        self.down = down

    async def resume(self, sender: str) -> None:
        if self.down:
            from bot.channels.rasa_client import RasaNotReached

            raise RasaNotReached("cannot reach Rasa")
        self.resumed.append(sender)

    async def ask(self, question: str) -> list[str]:
        self.asked.append(question)
        return self.answers.get(question, ["I can answer that."])


if TYPE_CHECKING:
    # Each fake against the Protocol it stands in for (mypy only; nothing runs here).
    _check_uow: UnitOfWork = FakeHandoffUow()
    _check_notifier: delivery.Notifier = FakeNotifier()
    _check_conversations: desk.Conversations = FakeConversations()
