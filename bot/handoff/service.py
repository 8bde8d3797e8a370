"""Handing a conversation to a person: tickets and the messages relayed through them.

Use cases in the ``use_case(args, uow)`` shape; each opens its own ``with uow:`` and commits.
A sender has at most one open ticket: asking again returns the ticket already open. Nothing
here talks to a channel or to Rasa: messages for staff or the trainer go into the relay queue
(``uow.relay``), which a channel delivers (``bot.handoff.delivery``); pausing and resuming the
assistant is the caller's part (the action pauses, ``bot.handoff.desk`` resumes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from bot.handoff import words
from bot.handoff.errors import NotATicketMessage, TicketClosed, UnknownTicket
from bot.handoff.model import Audience, HandoffTicket, Kind, RelayMessage

if TYPE_CHECKING:
    from bot.store.unit_of_work import UnitOfWork

MAX_REASON = 500
MAX_TRANSCRIPT = 3000
MAX_ASSESSMENT = 1500


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(timezone.utc)


def hand_off(
    uow: UnitOfWork,
    sender: str,
    trainer_id: str | None,
    reason: str,
    transcript: str,
    assessment: str = "",
    now: datetime | None = None,
) -> tuple[HandoffTicket, bool]:
    """The sender's open ticket, created (and queued for the staff desk) when there is none;
    ``True`` when it was created."""
    with uow:
        existing = uow.handoff.open_for_sender(sender)
        if existing is not None:
            return existing, False
        ticket = uow.handoff.add(
            sender=sender,
            trainer_id=trainer_id,
            reason=reason[:MAX_REASON],
            transcript=transcript[-MAX_TRANSCRIPT:],
            created_at=_now(now),
            assessment=assessment[:MAX_ASSESSMENT],
        )
        trainer = uow.trainers.get_record(trainer_id) if trainer_id else None
        uow.relay.add(ticket.id, Audience.STAFF, Kind.TICKET, words.ticket_post(ticket, trainer), ticket.created_at)
        uow.commit()
        return ticket, True


def open_ticket(
    uow: UnitOfWork,
    sender: str,
    trainer_id: str | None,
    reason: str,
    transcript: str,
    now: datetime | None = None,
    assessment: str = "",
) -> HandoffTicket:
    """The sender's open ticket, created when there is none (see :func:`hand_off`)."""
    return hand_off(uow, sender, trainer_id, reason, transcript, assessment, now)[0]


def list_open_tickets(uow: UnitOfWork) -> list[HandoffTicket]:
    with uow:
        return list(uow.handoff.list_open())


def open_ticket_for(uow: UnitOfWork, sender: str) -> HandoffTicket | None:
    with uow:
        return uow.handoff.open_for_sender(sender)


@dataclass(frozen=True)
class TicketView:
    ticket: HandoffTicket
    thread: list[RelayMessage]


def show_ticket(uow: UnitOfWork, ticket_id: int) -> TicketView:
    with uow:
        ticket = _get(uow, ticket_id)
        return TicketView(ticket, list(uow.relay.thread(ticket_id)))


def relay_from_trainer(uow: UnitOfWork, sender: str, text: str, now: datetime | None = None) -> HandoffTicket | None:
    """A trainer's message while their ticket is open goes to the staff thread; None when no
    ticket is open (the assistant answers)."""
    with uow:
        ticket = uow.handoff.open_for_sender(sender)
        if ticket is None:
            return None
        uow.relay.add(ticket.id, Audience.STAFF, Kind.TRAINER, words.from_trainer(ticket.id, text), _now(now))
        uow.commit()
        return ticket


def reply(
    uow: UnitOfWork,
    ticket_id: int,
    text: str,
    author: str,
    now: datetime | None = None,
    echo_to_staff: bool = False,
) -> HandoffTicket:
    """A staff answer, queued for the trainer; ``echo_to_staff`` also shows it in the staff thread
    (an answer given from the command line, which the staff group did not see)."""
    with uow:
        ticket = _get(uow, ticket_id)
        if not ticket.open:
            raise TicketClosed(f"ticket #{ticket_id} is closed; the trainer talks to the assistant again")
        when = _now(now)
        uow.relay.add(ticket.id, Audience.TRAINER, Kind.STAFF, words.to_trainer(text), when, author=author)
        if echo_to_staff:
            uow.relay.add(ticket.id, Audience.STAFF, Kind.NOTE, words.answered_elsewhere(ticket.id, author, text), when)
        uow.commit()
        return ticket


def close_ticket(
    uow: UnitOfWork,
    ticket_id: int,
    now: datetime | None = None,
    author: str | None = None,
    notify: bool = False,
) -> HandoffTicket:
    """Close a ticket (closing a closed ticket changes nothing). ``notify`` queues the news for
    the trainer and a note for the staff thread, the first time only."""
    with uow:
        ticket = _get(uow, ticket_id)
        when = _now(now)
        closed = uow.handoff.close(ticket_id, when)
        if notify and ticket.open:
            uow.relay.add(ticket_id, Audience.TRAINER, Kind.RESOLVED, words.resolved(ticket_id), when, author=author)
            uow.relay.add(
                ticket_id, Audience.STAFF, Kind.NOTE, words.resolved_note(ticket_id, author or "staff"), when
            )
        uow.commit()
        return closed


def ticket_for_staff_message(uow: UnitOfWork, external_chat: str, external_id: str) -> HandoffTicket:
    """The ticket a staff reply points at (its post, or a message relayed into its thread)."""
    with uow:
        ticket_id = uow.relay.ticket_for_external(external_chat, external_id)
        if ticket_id is None:
            raise NotATicketMessage("that message belongs to no ticket")
        return _get(uow, ticket_id)


def _get(uow: UnitOfWork, ticket_id: int) -> HandoffTicket:
    ticket = uow.handoff.get(ticket_id)
    if ticket is None:
        raise UnknownTicket(f"no handoff ticket #{ticket_id}")
    return ticket
