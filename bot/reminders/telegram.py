"""Reminders through Telegram: the :class:`~bot.reminders.notifier.Notifier` for the Bot API.

Flood limits, as Telegram states them: about 30 messages per second overall and one per second
in a private chat. python-telegram-bot's :class:`~telegram.ext.AIORateLimiter` (the
``rate-limiter`` extra, ``aiolimiter``) keeps the overall rate and, on a 429, waits the
``retry_after`` Telegram asks for, holding every other request meanwhile, and tries again (up to
``MAX_RETRIES`` times); it only limits group chats per chat, so the one-per-second spacing of a
private chat is kept here. A 403 (the user blocked the bot, deleted their account, or never
started it) is :class:`~bot.reminders.errors.RecipientBlocked`: the pass opts the trainer out.

Messages go out through the gateway's :class:`~bot.channels.telegram.outbox.BotOutbox`, so a
reminder's buttons (e.g. "Add my deadlines to my calendar") get stored keys like every other
button, and a press reaches the trainer's conversation through the gateway.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from telegram import Bot
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, ExtBot

from bot.channels.rasa_client import BotReply
from bot.channels.telegram.buttons import ButtonStore, StoredButtons
from bot.channels.telegram.outbox import BotOutbox
from bot.reminders.errors import DeliveryFailed, RecipientBlocked
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.composition import UowFactory

OVERALL_PER_SECOND = 30
PER_CHAT_INTERVAL = 1.0  # seconds between two messages to one private chat
MAX_RETRIES = 3  # 429s waited out for one message before it counts as failed


def rate_limited_bot(settings: Settings, max_retries: int = MAX_RETRIES) -> ExtBot[Any]:
    """A Bot API client that keeps Telegram's overall limit and waits out 429s."""
    if not settings.telegram_bot_token:
        raise DeliveryFailed("TELEGRAM_BOT_TOKEN is not set")
    base = settings.telegram_api_base_url.rstrip("/")
    head, sep, tail = base.rpartition("/")
    return ExtBot(
        settings.telegram_bot_token,
        base_url=base,
        base_file_url=f"{head}/file/{tail}" if sep else base,
        rate_limiter=AIORateLimiter(
            overall_max_rate=OVERALL_PER_SECOND, overall_time_period=1, max_retries=max_retries
        ),
    )


class ChatPacer:
    """At most one message per ``interval`` seconds to each chat."""

    def __init__(self, interval: float = PER_CHAT_INTERVAL, clock: Callable[[], float] = time.monotonic) -> None:
        self._interval = interval
        self._clock = clock
        self._next: dict[int, float] = {}
        self._lock = asyncio.Lock()

    async def wait(self, chat_id: int) -> None:
        async with self._lock:
            now = self._clock()
            at = max(now, self._next.get(chat_id, now))
            self._next[chat_id] = at + self._interval
        if at > now:
            await asyncio.sleep(at - now)


class TelegramNotifier:
    channel = "telegram"

    def __init__(self, bot: Bot, buttons: ButtonStore, pacer: ChatPacer | None = None) -> None:
        self._bot = bot
        self._outbox = BotOutbox(bot, buttons)
        self._pacer = pacer or ChatPacer()

    @classmethod
    def from_settings(cls, settings: Settings, uow_factory: UowFactory) -> TelegramNotifier:
        return cls(rate_limited_bot(settings), StoredButtons(uow_factory))

    async def __aenter__(self) -> TelegramNotifier:
        await self._bot.initialize()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._bot.shutdown()

    async def send(self, recipient: str, replies: Sequence[BotReply]) -> None:
        try:
            chat_id = int(recipient)
        except ValueError:
            raise DeliveryFailed(f"not a Telegram chat id: {recipient!r}") from None
        for reply in replies:
            text = reply.text or ("Choose one:" if reply.buttons else "")
            if not text:
                continue
            await self._pacer.wait(chat_id)
            try:
                await self._outbox.send_text(chat_id, text, reply.buttons)
            except Forbidden as exc:
                raise RecipientBlocked(exc.message) from exc
            except RetryAfter as exc:
                raise DeliveryFailed(f"Telegram still asks to wait ({exc.message})") from exc
            except TelegramError as exc:
                raise DeliveryFailed(exc.message) from exc
