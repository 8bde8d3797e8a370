"""Errors of the handoff service (part of the ``BotError`` tree)."""

from bot.errors import BotError


class HandoffError(BotError):
    """Something a staff action could not do."""


class UnknownTicket(HandoffError):
    """No handoff ticket with that number."""


class TicketClosed(HandoffError):
    """The ticket is closed: nothing more goes to its trainer through it."""


class NotATicketMessage(HandoffError):
    """A staff reply that points at no ticket's message."""
