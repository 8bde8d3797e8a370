"""The reminder service's errors (one base, turned into words at the edges)."""

from __future__ import annotations

from bot.errors import BotError


class ReminderError(BotError):
    """Something about reminders went wrong."""


class RecipientBlocked(ReminderError):
    """The channel refuses for good: the user blocked the bot (Telegram's 403)."""


class DeliveryFailed(ReminderError):
    """The channel did not take the message now (network, a limit, a bad request); try later."""


class PassRunning(ReminderError):
    """Another reminder pass holds the single-writer guard of this store (SQLite)."""
