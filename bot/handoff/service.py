"""Handing a conversation to a person: open, list and close tickets.

Use cases in the ``use_case(args, uow)`` shape; each opens its own ``with uow:`` and commits.
A sender has at most one open ticket: asking again returns the ticket already open.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from bot.handoff.errors import UnknownTicket
from bot.handoff.model import HandoffTicket

MAX_REASON = 500
MAX_TRANSCRIPT = 4000


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


def open_ticket(
    uow: Any,
    sender: str,
    trainer_id: str | None,
    reason: str,
    transcript: str,
    now: datetime | None = None,
) -> HandoffTicket:
    """The sender's open ticket, created when there is none."""
    with uow:
        existing = uow.handoff.open_for_sender(sender)
        if existing is not None:
            return existing
        ticket = uow.handoff.add(
            sender=sender,
            trainer_id=trainer_id,
            reason=reason[:MAX_REASON],
            transcript=transcript[-MAX_TRANSCRIPT:],
            created_at=_now(now),
        )
        uow.commit()
        return ticket


def list_open_tickets(uow: Any) -> list[HandoffTicket]:
    with uow:
        return list(uow.handoff.list_open())


def close_ticket(uow: Any, ticket_id: int, now: datetime | None = None) -> HandoffTicket:
    """Close a ticket (closing a closed ticket changes nothing)."""
    with uow:
        ticket = uow.handoff.get(ticket_id)
        if ticket is None:
            raise UnknownTicket(f"no handoff ticket #{ticket_id}")
        closed = uow.handoff.close(ticket_id, _now(now))
        uow.commit()
        return closed
