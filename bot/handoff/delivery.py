"""Delivering the relay queue: staff posts to the staff desk, staff answers to the trainer.

A channel implements :class:`Notifier` (Telegram: ``bot.channels.telegram.staff``; tests: a
fake). :func:`deliver_pending` claims what is waiting, sends it in order, and marks each message
delivered as soon as it is sent, so a restart sends nothing twice and loses nothing: a claim whose
process died is taken again after ``CLAIM_TIMEOUT``. A message that fails stays claimed until then
(a slow retry), and the ticket's later messages wait behind it, so a thread never arrives out of
order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Protocol

from bot.handoff.errors import UnknownTicket
from bot.handoff.model import Audience, Delivery, Kind

if TYPE_CHECKING:
    from bot.composition import UowFactory
    from bot.store.unit_of_work import UnitOfWork

logger = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(seconds=30)


class Notifier(Protocol):
    """Where relayed messages go. ``channel`` names the trainers' channel it can reach."""

    channel: str

    @property
    def has_staff_desk(self) -> bool: ...

    async def to_staff(self, text: str, reply_to: tuple[str, str] | None) -> tuple[str, str]:
        """Post to the staff desk (in reply to ``(chat, message id)`` when given); the post's
        ``(chat, message id)``."""
        ...

    async def to_trainer(self, sender: str, text: str) -> None:
        """Send to the trainer behind the conversation ``sender`` ("telegram:42")."""
        ...


@dataclass(frozen=True)
class DeliveryReport:
    delivered: int = 0
    failed: int = 0


def claim(uow: UnitOfWork, audience: Audience, channel: str | None, now: datetime) -> list[Delivery]:
    with uow:
        messages = uow.relay.claim(audience, now, now - CLAIM_TIMEOUT, channel=channel)
        deliveries = []
        for message in messages:
            ticket = uow.handoff.get(message.ticket_id)
            if ticket is None:  # the relay's foreign key keeps every message's ticket
                raise UnknownTicket(f"no handoff ticket #{message.ticket_id} for relay message {message.id}")
            root = uow.relay.thread_root(message.ticket_id) if audience is Audience.STAFF else None
            deliveries.append(Delivery(message, ticket, root))
        uow.commit()
        return deliveries


def mark_delivered(uow: UnitOfWork, message_id: int, now: datetime, external: tuple[str, str] | None) -> None:
    with uow:
        chat, external_id = external if external else (None, None)
        uow.relay.mark_delivered(message_id, now, chat, external_id)
        uow.commit()


async def deliver_pending(
    uow_factory: UowFactory,
    notifier: Notifier,
    clock: Callable[[], datetime] | None = None,
) -> DeliveryReport:
    """One pass over the queue; what was sent and what failed (to be tried again later)."""
    now = (clock or (lambda: datetime.now(timezone.utc)))
    delivered = failed = 0
    for audience in (Audience.STAFF, Audience.TRAINER):
        if audience is Audience.STAFF and not notifier.has_staff_desk:
            continue
        channel = notifier.channel if audience is Audience.TRAINER else None
        deliveries = await asyncio.to_thread(claim, uow_factory(), audience, channel, now())
        blocked: set[int] = set()
        roots: dict[int, tuple[str, str]] = {}
        for delivery in deliveries:
            message = delivery.message
            if message.ticket_id in blocked:
                continue  # an earlier message of this ticket failed: keep the thread in order
            try:
                external: tuple[str, str] | None = None
                if audience is Audience.STAFF:
                    root = roots.get(message.ticket_id) or delivery.thread_root
                    external = await notifier.to_staff(message.text, root)
                    if message.kind is Kind.TICKET:
                        roots[message.ticket_id] = external
                else:
                    await notifier.to_trainer(delivery.ticket.sender, message.text)
            except Exception as exc:  # the channel's own errors (network, blocked bot, ...)
                failed += 1
                blocked.add(message.ticket_id)
                logger.warning(
                    "relay message %d (ticket #%d, to %s) not delivered, attempt %d: %r",
                    message.id, message.ticket_id, audience.value, message.attempts, exc,
                )
                continue
            await asyncio.to_thread(mark_delivered, uow_factory(), message.id, now(), external)
            delivered += 1
    return DeliveryReport(delivered, failed)


async def run_delivery_loop(
    uow_factory: UowFactory, notifier: Notifier, interval: float = 1.0
) -> None:
    """Deliver every ``interval`` seconds until cancelled (the gateway runs this)."""
    while True:
        try:
            await deliver_pending(uow_factory, notifier)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("relay delivery pass failed")
        await asyncio.sleep(interval)
