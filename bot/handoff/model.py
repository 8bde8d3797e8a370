"""A conversation handed to support staff."""

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
    transcript: str  # the last user messages, one per line
    status: TicketStatus
    created_at: datetime
    closed_at: datetime | None = None
