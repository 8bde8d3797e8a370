"""Where reminders go: a small interface, implemented for Telegram (:mod:`bot.reminders.telegram`)
and by an in-memory fake in the tests (the same idea as ``bot.handoff.delivery.Notifier``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.channels.rasa_client import BotReply


class Notifier(Protocol):
    """Delivers the assistant's messages to one user of one channel.

    ``send`` raises :class:`~bot.reminders.errors.RecipientBlocked` when the user blocked the bot
    (never worth trying again) and :class:`~bot.reminders.errors.DeliveryFailed` for anything
    that may work later; it waits out the channel's flood limits itself.
    """

    channel: str

    async def send(self, recipient: str, replies: Sequence[BotReply]) -> None: ...
