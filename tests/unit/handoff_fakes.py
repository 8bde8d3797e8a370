"""Hand-written fakes of the handoff side: the ticket and relay repositories, a unit of work
holding them, a notifier that records what it sent, and the assistant's conversations."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.handoff.model import Audience, HandoffTicket, Kind, RelayMessage, TicketStatus
from rules.model import TrainerRecord


class FakeTickets:
    def __init__(self) -> None:
        self.tickets: dict[int, HandoffTicket] = {}

    def add(self, sender, trainer_id, reason, transcript, created_at, assessment=""):  # type: ignore[no-untyped-def]
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


class FakeRelay:
    def __init__(self, tickets: FakeTickets) -> None:
        self.messages: dict[int, RelayMessage] = {}
        self.claimed: dict[int, datetime] = {}
        self._ids = itertools.count(1)
        self._tickets = tickets

    def add(self, ticket_id, audience, kind, text, created_at, author=None):  # type: ignore[no-untyped-def]
        message = RelayMessage(next(self._ids), ticket_id, audience, kind, text, created_at, author)
        self.messages[message.id] = message
        return message

    def claim(self, audience, now, stale_before, channel=None, limit=50):  # type: ignore[no-untyped-def]
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

    def mark_delivered(self, message_id, delivered_at, external_chat=None, external_id=None):  # type: ignore[no-untyped-def]
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


class FakeTrainerRecords:
    def __init__(self, records: dict[str, TrainerRecord] | None = None) -> None:
        self.records = records or {}

    def get_record(self, trainer_id: str) -> TrainerRecord | None:
        return self.records.get(trainer_id)


class FakeHandoffUow:
    """A unit of work with the handoff repositories; one instance stands for the whole store."""

    def __init__(self, records: dict[str, TrainerRecord] | None = None) -> None:
        self.handoff = FakeTickets()
        self.relay = FakeRelay(self.handoff)
        self.trainers = FakeTrainerRecords(records)
        self.commits = 0

    def __enter__(self) -> FakeHandoffUow:
        return self

    def __exit__(self, *args: Any) -> None:
        pass

    def commit(self) -> None:
        self.commits += 1


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
