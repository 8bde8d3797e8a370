"""Inside each Rasa server: a message waiting for its conversation's lock keeps its place in line.

Rasa's ticket lock (``rasa.core.lock_store``) gives each message a numbered ticket that expires
``TICKET_LOCK_LIFETIME`` seconds after it was issued, so that the ticket of an instance that died
holding a conversation's lock stops blocking that conversation. But a waiting message's own ticket
expires on the same clock. A message the balancer replays on a survivor just after its first
instance was killed gets its ticket a fraction of a second after the dead one's, so the two expire
that fraction apart; the waiter polls once a second (later on a busy event loop) and usually wakes
after both have expired. Its own ticket is gone, the conversation's lock is still stored with no
ticket in it, ``now_serving`` is 0 and never the waiter's number, and Rasa's loop waits forever:
the message is never answered (the hang of ``tests/e2e/test_balanced_stack.py``).

A waiter is alive, so its ticket should not expire: here every poll renews the waiter's ticket
(and puts it back in its numbered place if this process was too busy to renew it in time), and the
ticket gets a full lifetime again when the lock is acquired, for the turn itself. Only the tickets
of instances that stopped polling, the dead ones, expire. Mutual exclusion is Rasa's: a ticket with
a lower number that has not expired still blocks.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rasa.core.lock import TicketLock
    from rasa.core.lock_store import LockStore

logger = logging.getLogger(__name__)


def keep_in_line(lock: TicketLock, ticket_number: int, lifetime: float) -> None:
    """Renew ``ticket_number``'s expiry to ``lifetime`` from now, back in its place if it had expired."""
    from rasa.core.lock import Ticket

    lock.remove_expired_tickets()
    expires = time.time() + lifetime
    for ticket in lock.tickets:
        if ticket.number == ticket_number:
            ticket.expires = expires
            return
    logger.warning("a waiting message's lock ticket had expired; it is back in its place in line")
    place = sum(1 for ticket in lock.tickets if ticket.number < ticket_number)
    lock.tickets.insert(place, Ticket(ticket_number, expires))


def ticket_lifetime() -> float:
    """Rasa's ticket lifetime (``TICKET_LOCK_LIFETIME``, read by Rasa when it is imported)."""
    from rasa.core import lock_store

    return float(lock_store.LOCK_LIFETIME)


async def acquire_keeping_place(
    self: LockStore, conversation_id: str, ticket: int, wait_time_in_seconds: float
) -> TicketLock:
    """``LockStore._acquire_lock`` with the waiter's ticket renewed at every poll and on acquiring."""
    while True:
        # A lock deleted meanwhile (a finisher saw no unexpired ticket) is created again with ours in it.
        lock = self.get_or_create_lock(conversation_id)
        keep_in_line(lock, ticket, ticket_lifetime())
        self.save_lock(lock)
        if not lock.is_locked(ticket):
            return lock
        await asyncio.sleep(wait_time_in_seconds)


def install() -> None:
    """Replace the wait loop of every Rasa lock store (Redis and in-memory share it)."""
    from rasa.core.lock_store import LockStore

    LockStore._acquire_lock = acquire_keeping_place
