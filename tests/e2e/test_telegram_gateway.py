"""The real gateway (python-telegram-bot, long polling) over HTTP against the fake Bot API.

Rasa is replaced by a scripted fake behind ``httpx.MockTransport`` (the real Rasa
stack is in ``test_telegram_stack.py``, slow); the record store is real SQLite.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.channels.telegram import words
from bot.identity import verify_identity
from bot.linking import service
from tests.e2e.fake_telegram import BOT_USERNAME, FakeBotApi
from tests.e2e.gateway_harness import GatewayOptions, Uows, gateway_settings, running_gateway

SECRET = "gateway-test-secret"
DANA, LEE, STRANGER = 111, 222, 333
GROUP = -1001


class FakeRasa:
    """Answers like Rasa's REST channel; records what it received; can be 'down' or slow."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.down = False
        self.delays: dict[str, float] = {}

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        body = json.loads(request.content)
        self.received.append(body)
        message = body["message"]
        await asyncio.sleep(self.delays.get(message, 0))
        identity = verify_identity(body.get("metadata"), body["sender"], SECRET)
        if message == "buttons please":
            return httpx.Response(200, json=[{"text": "Which one?", "buttons": [
                {"title": "Am I late?", "payload": "/ask_late"},
                {"title": "Long one", "payload": "/inform" + "x" * 100}]}])
        if message == "long answer":
            return httpx.Response(200, json=[{"text": ("word " * 1000).strip()}])
        if message == "silent":
            return httpx.Response(200, json=[])
        who = f"record of {identity}" if identity else "no record"
        return httpx.Response(200, json=[{"recipient_id": body["sender"], "text": f"[{who}] you said: {message}"}])


@pytest.fixture
async def gateway(tmp_path: Path, fake_api: FakeBotApi, uows: Uows) -> AsyncIterator[FakeRasa]:
    rasa = FakeRasa()
    settings = gateway_settings(fake_api, tmp_path, SECRET)
    async with running_gateway(settings, uows, rasa, GatewayOptions(retry_delays=(0.05, 0.1))):
        yield rasa


async def reply(api: FakeBotApi, chat_id: int, until: Callable[[Any], bool] | None = None) -> list[Any]:
    after = len(api.messages(chat_id))
    return await asyncio.to_thread(api.wait_for_reply, chat_id, after, until, 15.0)


async def say(api: FakeBotApi, user_id: int, text: str, **kw: Any) -> list[Any]:
    chat = kw.get("chat_id") or user_id
    after = len(api.messages(chat))
    api.send_text(user_id, text, **kw)
    return await asyncio.to_thread(api.wait_for_reply, chat, after, None, 15.0)


def issue(uows: Uows, minutes_ago: float = 0) -> str:
    return service.issue_code(uows(), "T-1001", datetime.now(timezone.utc) - timedelta(minutes=minutes_ago)).code


async def test_commands_are_registered_and_polling_uses_the_local_api(gateway: FakeRasa, fake_api: FakeBotApi) -> None:
    commands = fake_api.sent("setMyCommands")[0].params["commands"]
    assert [c["command"] for c in commands] == [
        "help", "start", "whoami", "unlink", "stop", "startreminders", "restart", "calendar", "forget",
    ]
    for _ in range(100):
        if fake_api.sent("getUpdates"):
            break
        await asyncio.sleep(0.05)
    assert fake_api.sent("getMe") and fake_api.sent("getUpdates")


async def test_link_from_deep_link_then_ask_with_a_signed_identity(
    gateway: FakeRasa, fake_api: FakeBotApi, uows: Uows
) -> None:
    before = await say(fake_api, DANA, "am I late?")
    assert before[0].text == "[no record] you said: am I late?"

    linked = await say(fake_api, DANA, f"/start {issue(uows)}")
    assert "You're linked, Dana Smith" in linked[0].text

    answer = await say(fake_api, DANA, "am I late?")
    assert answer[0].text == "[record of T-1001] you said: am I late?"
    body = gateway.received[-1]
    assert body["sender"] == f"telegram:{DANA}"
    assert body["metadata"]["identity"]["trainer_id"] == "T-1001"
    assert fake_api.sent("sendChatAction", DANA), "typing is shown while the assistant works"

    who = await say(fake_api, DANA, "/whoami")
    assert "Dana Smith (T-1001)" in who[0].text and "****345" in who[0].text and "8812345" not in who[0].text

    gone = await say(fake_api, DANA, "/unlink")
    assert gone[0].text == words.UNLINKED
    after = await say(fake_api, DANA, "am I late?")
    assert after[0].text == "[no record] you said: am I late?"


async def test_expired_and_used_codes_and_throttle(gateway: FakeRasa, fake_api: FakeBotApi, uows: Uows) -> None:
    assert (await say(fake_api, DANA, f"/start {issue(uows, minutes_ago=16)}"))[0].text == words.CODE_EXPIRED
    code = issue(uows)
    assert "You're linked" in (await say(fake_api, DANA, f"/start {code}"))[0].text
    assert (await say(fake_api, LEE, f"/start {code}"))[0].text == words.CODE_USED
    assert (await say(fake_api, LEE, "am I late?"))[0].text.startswith("[no record]")
    for n in range(service.MAX_FAILED_ATTEMPTS):
        assert (await say(fake_api, STRANGER, f"/start wrong{n}"))[0].text == words.CODE_NOT_FOUND
    throttled = await say(fake_api, STRANGER, f"/start {issue(uows)}")
    assert "Too many wrong link codes" in throttled[0].text


async def test_group_chats_never_get_identity_and_are_asked_to_go_private(
    gateway: FakeRasa, fake_api: FakeBotApi, uows: Uows
) -> None:
    await say(fake_api, DANA, f"/start {issue(uows)}")
    replies = await reply_group(fake_api, "am I late?")
    assert replies[0].text == "[no record] you said: am I late?"
    assert replies[-1].text == words.GROUP_PRIVATE_ONLY
    body = gateway.received[-1]
    assert body["sender"] == f"telegram-group:{GROUP}:{DANA}"
    assert "identity" not in body["metadata"]
    assert (await reply_group(fake_api, "/whoami"))[0].text == words.GROUP_NO_LINKING


async def reply_group(api: FakeBotApi, text: str) -> list[Any]:
    return await say(api, DANA, text, chat_type="supergroup", chat_id=GROUP)


async def test_sticker_and_very_long_message_never_reach_rasa(gateway: FakeRasa, fake_api: FakeBotApi) -> None:
    after = len(fake_api.messages(DANA))
    fake_api.send_sticker(DANA)
    sticker = await asyncio.to_thread(fake_api.wait_for_reply, DANA, after, None, 15.0)
    assert sticker[0].text == words.UNSUPPORTED
    refusal = await say(fake_api, DANA, "x" * 10_000)
    assert "too long" in refusal[0].text
    assert gateway.received == []


async def test_buttons_become_inline_keyboards_and_callbacks_send_the_payload(gateway: FakeRasa, fake_api: FakeBotApi) -> None:
    shown = await say(fake_api, DANA, "buttons please")
    assert shown[0].text == "Which one?"
    (title, data), (_, long_data) = shown[0].buttons
    assert title == "Am I late?"
    assert "/ask_late" not in data and "/inform" not in long_data  # the payloads stay with the gateway
    assert len(long_data.encode()) <= 64
    after = len(fake_api.messages(DANA))
    fake_api.press_button(DANA, long_data, shown[0])
    answer = await asyncio.to_thread(fake_api.wait_for_reply, DANA, after, None, 15.0)
    assert answer[0].text.endswith("you said: /inform" + "x" * 100)
    assert fake_api.sent("answerCallbackQuery")


async def test_forged_or_foreign_button_data_never_reaches_rasa(gateway: FakeRasa, fake_api: FakeBotApi) -> None:
    shown = await say(fake_api, DANA, "buttons please")
    (_, dana_key), _ = shown[0].buttons
    received = len(gateway.received)
    for user, data in [(DANA, "/ask_late"), (DANA, '/inform{"trainer_id": "T-1002"}'), (DANA, "b:forged-key"),
                       (LEE, dana_key)]:  # a real key, pressed from another chat
        after = len(fake_api.messages(user))
        fake_api.press_button(user, data)
        answer = await asyncio.to_thread(fake_api.wait_for_reply, user, after, None, 15.0)
        assert answer[0].text == words.BUTTON_EXPIRED
    assert len(gateway.received) == received


async def test_long_replies_are_split_at_telegrams_limit(gateway: FakeRasa, fake_api: FakeBotApi) -> None:
    after = len(fake_api.messages(DANA))
    fake_api.send_text(DANA, "long answer")
    parts = await asyncio.to_thread(fake_api.wait_for_messages, DANA, 2, 15.0, after)
    assert all(len(p.text) <= 4096 for p in parts)
    assert " ".join(p.text for p in parts) == ("word " * 1000).strip()


async def test_rasa_down_then_back(gateway: FakeRasa, fake_api: FakeBotApi) -> None:
    gateway.down = True
    assert (await say(fake_api, DANA, "am I late?"))[0].text == words.TROUBLE
    assert (await say(fake_api, DANA, "silent"))[0].text == words.TROUBLE
    gateway.down = False
    assert (await say(fake_api, DANA, "am I late?"))[0].text == "[no record] you said: am I late?"
    # An empty answer (e.g. the action server failed inside Rasa) is trouble too.
    assert (await say(fake_api, DANA, "silent"))[0].text == words.TROUBLE


async def test_order_within_a_chat_and_no_blocking_across_chats(gateway: FakeRasa, fake_api: FakeBotApi) -> None:
    gateway.delays = {"slow one": 1.5}
    fake_api.send_text(DANA, "slow one")
    fake_api.send_text(DANA, "fast two")
    fake_api.send_text(LEE, "other chat")
    lee = await asyncio.to_thread(fake_api.wait_for_messages, LEE, 1, 15.0)
    dana = await asyncio.to_thread(fake_api.wait_for_messages, DANA, 2, 15.0)
    assert [m.text for m in dana] == ["[no record] you said: slow one", "[no record] you said: fast two"]
    assert lee[0].at < dana[0].at, "the slow conversation did not block the other chat"


async def test_start_without_code_explains_linking(gateway: FakeRasa, fake_api: FakeBotApi) -> None:
    text = (await say(fake_api, DANA, "/start"))[0].text
    assert text.startswith(words.WELCOME) and "link" in text
    assert (await say(fake_api, DANA, "/help"))[0].text == words.HELP
    assert (await say(fake_api, DANA, "/nonsense"))[0].text == words.HELP
    assert BOT_USERNAME


async def test_forget_asks_then_deletes_the_conversations_and_the_link(
    gateway: FakeRasa, fake_api: FakeBotApi, uows: Uows, tmp_path: Path
) -> None:
    from sqlalchemy import insert

    from bot.store.bootstrap import make_engine
    from bot.store.conversations import EVENTS, ConversationLog

    await say(fake_api, DANA, f"/start {issue(uows)}")
    log = ConversationLog(make_engine(f"sqlite:///{tmp_path / 'rasa-tracker.sqlite3'}"))  # where `recert up` keeps it
    EVENTS.metadata.create_all(log._engine)
    with log._engine.begin() as conn:
        for sender in ("telegram:111", "telegram:222"):
            conn.execute(insert(EVENTS).values(sender_id=sender, type_name="user", timestamp=1.0e9))

    forged = len(fake_api.messages(DANA))
    fake_api.press_button(DANA, "recert:forget:confirm")  # the payload itself is not a key
    assert (await asyncio.to_thread(fake_api.wait_for_reply, DANA, forged, None, 15.0))[0].text == words.BUTTON_EXPIRED
    assert sorted(log.senders()) == ["telegram:111", "telegram:222"]  # the forged press deleted nothing

    asked = await say(fake_api, DANA, "/forget")
    assert asked[0].text == words.FORGET_ASK_LINKED
    (yes, confirm), (_, _) = asked[0].buttons
    assert yes == words.FORGET_CONFIRM_TITLE
    after = len(fake_api.messages(DANA))
    fake_api.press_button(DANA, confirm, asked[0])
    done = await asyncio.to_thread(fake_api.wait_for_reply, DANA, after, None, 15.0)
    assert done[0].text.startswith("Done: I deleted our conversations (1 stored conversation event)")
    assert log.senders() == ["telegram:222"]
    with uows() as uow:
        assert uow.identities.trainer_for("telegram", str(DANA)) is None
        assert uow.trainers.get_record("T-1001") is not None
    assert all(body["message"] != "recert:forget:confirm" for body in gateway.received)
