"""Errors of the handoff service (part of the ``BotError`` tree)."""

from bot.errors import BotError


class UnknownTicket(BotError):
    """No handoff ticket with that number."""
