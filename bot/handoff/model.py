"""A conversation handed to support staff, and the messages relayed between trainer and staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum


class TicketStatus(str, Enum):
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class HandoffTicket:
    id: int
    sender: str  # "<channel>:<user id>", the conversation to answer in
    trainer_id: str | None  # None when the chat is not linked
    reason: str
    transcript: str  # the last turns, one per line ("trainer: ...", "assistant: ...")
    status: TicketStatus
    created_at: datetime
    closed_at: datetime | None = None
    assessment: str = ""  # the trainer's assessment when the ticket was opened, as text

    @property
    def open(self) -> bool:
        return self.status is TicketStatus.OPEN

    @property
    def channel(self) -> str:
        """The channel the trainer wrote from ("telegram", "terminal", ...)."""
        return self.sender.partition(":")[0]


class Audience(str, Enum):
    STAFF = "staff"
    TRAINER = "trainer"


class Kind(str, Enum):
    """What a relayed message is."""

    TICKET = "ticket"  # the ticket itself, posted to staff
    TRAINER = "trainer"  # a trainer's message while the ticket is open, to staff
    STAFF = "staff"  # a staff member's answer, to the trainer
    NOTE = "note"  # something staff should know (an answer sent from the command line, ...)
    RESOLVED = "resolved"  # the ticket is closed: to the trainer (and a note to staff)


@dataclass(frozen=True)
class RelayMessage:
    id: int
    ticket_id: int
    audience: Audience
    kind: Kind
    text: str
    created_at: datetime
    author: str | None = None
    delivered_at: datetime | None = None
    attempts: int = 0
    external_chat: str | None = None
    external_id: str | None = None


@dataclass(frozen=True)
class Delivery:
    """A claimed message with what its channel needs: the ticket's conversation and staff thread."""

    message: RelayMessage
    ticket: HandoffTicket
    thread_root: tuple[str, str] | None  # (chat, message id) of the ticket's post to staff, once delivered
