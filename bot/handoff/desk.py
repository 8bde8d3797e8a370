"""The staff desk: what support staff do with tickets, from Telegram or the command line.

Both ends (``bot.channels.telegram.staff`` and ``recert tickets``) call these methods, so they
behave the same. Blocking store work runs in a thread; the assistant's side (resuming a paused
conversation, asking it a question) goes through :class:`Conversations`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Protocol

from bot.handoff import service
from bot.handoff.model import HandoffTicket
from bot.handoff.service import TicketView

if TYPE_CHECKING:
    from bot.composition import UowFactory


class Conversations(Protocol):
    """The assistant's conversations, as staff need them (``bot.handoff.conversations``)."""

    async def resume(self, sender: str) -> None:
        """Let the assistant answer this conversation again (Rasa ``ConversationResumed``)."""
        ...

    async def ask(self, question: str) -> list[str]:
        """What the assistant answers to ``question`` in a conversation of its own."""
        ...


class StaffDesk:
    def __init__(
        self,
        uow_factory: UowFactory,
        conversations: Conversations,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._uow = uow_factory
        self._conversations = conversations
        self._now = clock or (lambda: datetime.now(timezone.utc))

    async def open_tickets(self) -> list[HandoffTicket]:
        return await asyncio.to_thread(service.list_open_tickets, self._uow())

    async def open_ticket_for(self, sender: str) -> HandoffTicket | None:
        return await asyncio.to_thread(service.open_ticket_for, self._uow(), sender)

    async def show(self, ticket_id: int) -> TicketView:
        return await asyncio.to_thread(service.show_ticket, self._uow(), ticket_id)

    async def ticket_for_staff_message(self, chat: str, message_id: str) -> HandoffTicket:
        return await asyncio.to_thread(service.ticket_for_staff_message, self._uow(), chat, message_id)

    async def reply(self, ticket_id: int, text: str, author: str, echo_to_staff: bool = False) -> HandoffTicket:
        return await asyncio.to_thread(
            service.reply, self._uow(), ticket_id, text, author, self._now(), echo_to_staff
        )

    async def resolve(self, ticket_id: int, author: str) -> HandoffTicket:
        """Resume the assistant first, then close and tell the trainer: if Rasa cannot be reached
        the ticket stays open (the error says so) and staff try again."""
        view = await self.show(ticket_id)
        if not view.ticket.open:
            return view.ticket
        await self._conversations.resume(view.ticket.sender)
        return await asyncio.to_thread(
            service.close_ticket, self._uow(), ticket_id, self._now(), author, True
        )

    async def ask(self, question: str) -> list[str]:
        return await self._conversations.ask(question)

    async def from_trainer(self, sender: str, text: str) -> HandoffTicket | None:
        """Relay a trainer's message to the staff thread when their ticket is open."""
        return await asyncio.to_thread(service.relay_from_trainer, self._uow(), sender, text, self._now())
