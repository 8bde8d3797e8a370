"""Reminders delivered through the real Telegram notifier (python-telegram-bot with its rate
limiter) to the fake Bot API over HTTP: buttons with stored keys, 429 waited out, 403 opts out,
one message per second to a chat."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

import pytest

from bot.channels.rasa_client import BotReply
from bot.channels.telegram.buttons import StoredButtons
from bot.reminders.service import PassReport, Wording, run_pass
from bot.reminders.telegram import ChatPacer, TelegramNotifier, rate_limited_bot
from bot.settings import load_settings
from tests.e2e.fake_telegram import FakeBotApi
from tests.integration.test_reminders_pass import NOW, FakeRasa, UowFactory, add, states, trainer


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as api:
        yield api


def notifier(api: FakeBotApi, uow_factory: UowFactory, max_retries: int = 3) -> TelegramNotifier:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url})
    return TelegramNotifier(rate_limited_bot(settings, max_retries), StoredButtons(uow_factory))


def deliver(api: FakeBotApi, uow_factory: UowFactory, rasa: Wording | None = None, max_retries: int = 3) -> PassReport:
    async def run() -> PassReport:
        async with notifier(api, uow_factory, max_retries) as channel:
            return await run_pass(uow_factory, NOW, rasa=rasa or FakeRasa(), notifier=channel, clock=lambda: NOW)

    return asyncio.run(run())


def test_reminder_reaches_the_chat_with_its_button(bot_api: FakeBotApi, uow_factory: UowFactory) -> None:
    add(uow_factory, trainer("T-1"))
    assert deliver(bot_api, uow_factory).sent == 1
    [message] = bot_api.sent("sendMessage")
    assert (message.chat_id, message.text) == (1001, "reminder -30d for telegram:1001")
    [(title, key)] = message.buttons
    assert title == "Add my deadlines to my calendar" and key.startswith("b:")  # a stored key, not the payload
    assert asyncio.run(StoredButtons(uow_factory).redeem(1001, key)) == "/add_to_calendar"


def test_429_waits_retry_after_and_sends_once(bot_api: FakeBotApi, uow_factory: UowFactory) -> None:
    add(uow_factory, trainer("T-1"))
    bot_api.flood(retry_after=1)
    started = time.monotonic()
    report = deliver(bot_api, uow_factory)
    assert report.sent == 1 and time.monotonic() - started >= 1.0
    assert [code for _, code in bot_api.refused] == [429]
    assert len(bot_api.sent("sendMessage")) == 1
    assert states(uow_factory, "T-1") == [("-30d", "sent", 1)]


def test_429_beyond_the_retries_is_a_failure_tried_next_pass(bot_api: FakeBotApi, uow_factory: UowFactory) -> None:
    add(uow_factory, trainer("T-1"))
    bot_api.flood(retry_after=0, times=2)
    assert deliver(bot_api, uow_factory, max_retries=1).failed == 1
    assert states(uow_factory, "T-1") == [("-30d", "failed", 1)]


def test_a_blocked_user_is_opted_out(bot_api: FakeBotApi, uow_factory: UowFactory) -> None:
    add(uow_factory, trainer("T-1"), trainer("T-2"))
    bot_api.blocked.add(1001)
    report = deliver(bot_api, uow_factory)
    assert (report.sent, report.blocked) == (1, 1)
    assert [m.chat_id for m in bot_api.sent("sendMessage")] == [1002]
    with uow_factory() as uow:
        assert (uow.reminders.enabled("T-1"), uow.reminders.enabled("T-2")) == (False, True)
    assert states(uow_factory, "T-1") == [("-30d", "blocked", 1)]


def test_one_message_per_second_per_chat(bot_api: FakeBotApi, uow_factory: UowFactory) -> None:
    add(uow_factory, trainer("T-1"))

    class TwoMessages(FakeRasa):
        async def trigger_intent(
            self, sender: str, intent: str, entities: Mapping[str, Any] | None = None, output_channel: str | None = None
        ) -> list[BotReply]:
            [reply] = await super().trigger_intent(sender, intent, entities, output_channel)
            return [replace(reply, buttons=()), replace(reply, text="second")]

    deliver(bot_api, uow_factory, rasa=TwoMessages())
    first, second = bot_api.sent("sendMessage")
    assert second.at - first.at >= 0.95


def test_pacer_spaces_one_chat_not_others() -> None:
    async def run() -> list[float]:
        pacer, started, times = ChatPacer(0.2), time.monotonic(), []
        for chat in (1, 2, 1):
            await pacer.wait(chat)
            times.append(time.monotonic() - started)
        return times

    first, other, again = asyncio.run(run())
    assert other < 0.1 and again >= 0.19
