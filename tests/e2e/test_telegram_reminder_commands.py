"""/stop, /startreminders, /start and /restart through the real gateway (python-telegram-bot, long
polling) and the fake Bot API, with the staff desk installed; Rasa is a scripted fake behind
``httpx.MockTransport`` that pauses a conversation like ``action_handoff`` and, like Rasa 3.6, lets
``/restart`` through a pause and lifts it. Real SQLite store.
"""

from __future__ import annotations

import asyncio
import json
from contextlib import AbstractAsyncContextManager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.channels.telegram import words as gateway_words
from bot.channels.telegram.staff import NO_RESTART_DURING_HANDOFF
from bot.handoff import service as handoff
from bot.linking import service as linking
from bot.reminders import words
from bot.reminders.switch import started_words
from tests.e2e import gateway_harness as harness
from tests.e2e.fake_telegram import FakeBotApi, Sent
from tests.e2e.gateway_harness import DANA_SMITH, LEE_JONES, GatewayOptions, Uows, gateway_settings, seeded_store

SECRET = "reminder-commands-secret"
DANA, LEE, STRANGER, SAM = 111, 222, 333, 900
STAFF, LOUNGE = -100500, -100600


class FakeRasa:
    """The REST channel and the tracker events API, with Rasa 3.6's pause semantics: a paused
    conversation answers nothing, except ``/restart``, which resets it and lifts the pause."""

    def __init__(self, uows: Uows) -> None:
        self.uows = uows
        self.received: list[tuple[str, str]] = []
        self.paused: set[str] = set()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if request.url.path.endswith("/tracker/events"):
            sender = request.url.path.split("/")[2]
            for event in body:
                (self.paused.add if event["event"] == "pause" else self.paused.discard)(sender)
            return httpx.Response(200, json={"sender_id": sender, "paused": sender in self.paused})
        sender, message = body["sender"], body["message"]
        self.received.append((sender, message))
        if message == "/restart":
            self.paused.discard(sender)
            return httpx.Response(200, json=[])
        if sender in self.paused:
            return httpx.Response(200, json=[])
        if message == "talk to a person":
            ticket, _ = await asyncio.to_thread(
                handoff.hand_off, self.uows(), sender, "T-1001", "asked for a person", "trainer: talk to a person", ""
            )
            self.paused.add(sender)
            return httpx.Response(200, json=[{"text": f"I've passed your conversation on: ticket #{ticket.id}."}])
        return httpx.Response(200, json=[{"text": f"assistant: you said {message}"}])


@pytest.fixture
def uows(tmp_path: Path) -> Uows:
    """Dana (T-1001) linked to the Telegram account DANA; Lee (T-1002) not linked."""
    uows = seeded_store(tmp_path / "store.sqlite3", DANA_SMITH, LEE_JONES)
    now = datetime.now(timezone.utc)
    code = linking.issue_code(uows(), "T-1001", now).code
    linking.redeem(uows(), "telegram", str(DANA), code, now)
    return uows


def running_gateway(tmp_path: Path, api: FakeBotApi, uows: Uows, rasa: FakeRasa) -> AbstractAsyncContextManager[None]:
    """The polling gateway with the staff desk and the reminder switch over the scripted Rasa."""
    settings = gateway_settings(api, tmp_path, SECRET, staff_chat_id=STAFF)
    return harness.running_gateway(settings, uows, rasa, GatewayOptions(staff=True, reminders=True))


async def say(api: FakeBotApi, user_id: int, text: str, count: int = 1, **kw: Any) -> list[str]:
    """Send ``text`` as the user; the next ``count`` messages the bot sends to the chat."""
    chat = kw.get("chat_id") or user_id
    after = len(api.messages(chat))
    api.send_text(user_id, text, **kw)
    found: list[Sent] = await asyncio.to_thread(api.wait_for_messages, chat, count, 15.0, after)
    await asyncio.sleep(0.3)  # nothing more than expected arrives
    assert len(api.messages(chat)) == after + count, [m.text for m in api.messages(chat)[after:]]
    return [m.text for m in found]


def reminders_on(uows: Uows, trainer_id: str = "T-1001") -> bool | None:
    with uows() as uow:
        return uow.reminders.enabled(trainer_id)


async def test_stop_opts_out_and_startreminders_opts_back_in(tmp_path: Path, fake_api: FakeBotApi, uows: Uows) -> None:
    api, rasa = fake_api, FakeRasa(uows)
    async with running_gateway(tmp_path, api, uows, rasa):
        assert await say(api, DANA, "/stop") == [words.STOPPED]
        assert reminders_on(uows) is False
        assert await say(api, DANA, "/stop") == [words.ALREADY_STOPPED]
        assert await say(api, DANA, "/startreminders") == [started_words(DANA_SMITH, None)]
        assert reminders_on(uows) is True
        assert await say(api, DANA, "/stopreminders") == [words.STOPPED]  # the older name still works
        assert reminders_on(uows) is False
        assert rasa.received == []  # the setting is the gateway's job: nothing went to the assistant
        assert reminders_on(uows, "T-1002") is True  # only the linked trainer's setting changed


async def test_stop_from_an_unlinked_account_or_a_group_changes_nothing(
    tmp_path: Path, fake_api: FakeBotApi, uows: Uows
) -> None:
    api, rasa = fake_api, FakeRasa(uows)
    async with running_gateway(tmp_path, api, uows, rasa):
        (unlinked,) = await say(api, STRANGER, "/stop")
        assert unlinked == f"{words.NOT_LINKED_REMINDERS}\n\n{gateway_words.HOW_TO_LINK}"
        (group,) = await say(api, DANA, "/stop", chat_type="group", chat_id=LOUNGE)
        assert group == gateway_words.GROUP_NO_LINKING
        assert reminders_on(uows) is True and reminders_on(uows, "T-1002") is True


async def test_restart_starts_the_conversation_over_and_keeps_the_setting(
    tmp_path: Path, fake_api: FakeBotApi, uows: Uows
) -> None:
    api, rasa = fake_api, FakeRasa(uows)
    async with running_gateway(tmp_path, api, uows, rasa):
        assert await say(api, DANA, "/restart") == [gateway_words.RESTARTED]
        assert rasa.received == [("telegram:111", "/restart")]
        assert reminders_on(uows) is True


async def test_start_states_the_setting_and_never_changes_it(tmp_path: Path, fake_api: FakeBotApi, uows: Uows) -> None:
    api, rasa = fake_api, FakeRasa(uows)
    async with running_gateway(tmp_path, api, uows, rasa):
        welcome, state = await say(api, DANA, "/start", count=2)
        # on, in the words of the record (tests/integration/test_reminder_switch_words.py has their content)
        assert welcome.startswith(gateway_words.WELCOME) and state == started_words(DANA_SMITH, None)
        await say(api, DANA, "/stop")
        # Telegram sends /start again when a user unblocks the bot or taps Start: it is no opt-in
        welcome, state = await say(api, DANA, "/start", count=2)
        assert state == words.IS_OFF and reminders_on(uows) is False
        # someone not linked gets the welcome only
        (only,) = await say(api, STRANGER, "/start")
        assert gateway_words.HOW_TO_LINK in only
        # linking with a deep link: confirmed, then the reminders' state
        code = linking.issue_code(uows(), "T-1002", datetime.now(timezone.utc)).code
        linked, state = await say(api, LEE, f"/start {code}", count=2)
        assert linked.startswith("You're linked, Lee Jones!") and state == started_words(LEE_JONES, None)
        assert rasa.received == []


async def test_stop_during_a_handoff_keeps_the_ticket_open_and_the_assistant_paused(
    tmp_path: Path, fake_api: FakeBotApi, uows: Uows
) -> None:
    api, rasa = fake_api, FakeRasa(uows)
    async with running_gateway(tmp_path, api, uows, rasa):
        (told,) = await say(api, DANA, "talk to a person")
        assert told.endswith("ticket #1.")
        await asyncio.to_thread(api.wait_for_messages, STAFF, 1, 15.0, 0)  # the ticket reached the desk

        # /stop: reminders off, and the reply says the conversation with staff goes on
        assert await say(api, DANA, "/stop") == [f"{words.STOPPED} {words.during_handoff(1)}"]
        assert reminders_on(uows) is False
        ticket = handoff.open_ticket_for(uows(), "telegram:111")
        assert ticket is not None and ticket.id == 1
        assert "telegram:111" in rasa.paused  # nothing resumed the assistant

        # /restart would lift Rasa's pause under an open ticket: refused, and said so
        assert await say(api, DANA, "/restart") == [NO_RESTART_DURING_HANDOFF.format(ticket=1)]
        assert ("telegram:111", "/restart") not in rasa.received and "telegram:111" in rasa.paused

        # the trainer's words still go to the ticket's thread, not to the assistant
        staff_before = len(api.messages(STAFF))
        api.send_text(DANA, "please also stop the reminders")
        (relayed,) = await asyncio.to_thread(api.wait_for_messages, STAFF, 1, 15.0, staff_before)
        assert relayed.text == "#1 trainer: please also stop the reminders"

        # /startreminders during the handoff: on again, the ticket still open
        assert await say(api, DANA, "/startreminders") == [
            f"{started_words(DANA_SMITH, None)} {words.during_handoff(1)}"
        ]
        assert reminders_on(uows) is True and handoff.open_ticket_for(uows(), "telegram:111") is not None
