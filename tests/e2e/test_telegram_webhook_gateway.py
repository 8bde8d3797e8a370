"""The real gateway in webhook mode (python-telegram-bot + the store inbox) against the fake Bot API.

The fake Bot API POSTs each update to the gateway's webhook with the secret header, several at
once, as Telegram does; Rasa is the scripted fake of ``test_telegram_gateway.py``; the store is
real SQLite. The same gateway under ``recert up`` with the real stack: ``test_telegram_stack.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.channels.telegram.server import WebhookOptions, serve_webhook, store_check
from bot.stack.processes import free_port
from bot.store.models import TelegramUpdateRow
from tests.e2e.fake_telegram import FakeBotApi
from tests.e2e.gateway_harness import GatewayOptions, Uows, build_gateway, gateway_settings
from tests.e2e.test_telegram_gateway import DANA, LEE, SECRET, FakeRasa

WEBHOOK_SECRET = "webhook-secret_0123456789"
PUBLIC_URL = "https://bot.example.test/telegram"


@dataclass
class Gateway:
    rasa: FakeRasa
    port: int
    stop: asyncio.Event
    task: asyncio.Task[None]
    uows: Uows

    async def health(self) -> httpx.Response:
        async with httpx.AsyncClient() as client:
            return await client.get(f"http://127.0.0.1:{self.port}/health")


async def start_gateway(
    tmp_path: Path, api: FakeBotApi, uows: Uows, rasa: FakeRasa, drain_seconds: float = 8.0
) -> Gateway:
    settings = gateway_settings(api, tmp_path, SECRET)
    application = build_gateway(settings, uows, rasa, GatewayOptions(retry_delays=(0.05, 0.1)))
    port = free_port()
    api.deliver_to = f"http://127.0.0.1:{port}/telegram"

    async def rasa_answers() -> bool:
        return not rasa.down

    stop = asyncio.Event()
    task = asyncio.create_task(serve_webhook(
        application, WebhookOptions(PUBLIC_URL, WEBHOOK_SECRET, "127.0.0.1", port), uows,
        {"store": store_check(uows), "rasa": rasa_answers}, stop,
        worker_options={"poll_interval": 0.1}, drain_seconds=drain_seconds,
    ))
    gateway = Gateway(rasa, port, stop, task, uows)
    for _ in range(200):
        with contextlib.suppress(httpx.HTTPError):
            if (await gateway.health()).status_code == 200:
                return gateway
        assert not task.done(), task.exception()
        await asyncio.sleep(0.05)
    raise AssertionError("the webhook gateway did not become healthy")


@pytest.fixture
async def gateway(tmp_path: Path, fake_api: FakeBotApi, uows: Uows) -> AsyncIterator[Gateway]:
    gateway = await start_gateway(tmp_path, fake_api, uows, FakeRasa())
    yield gateway
    gateway.stop.set()
    await asyncio.wait_for(gateway.task, 30)


def stored(uows: Uows) -> list[tuple[int, bool]]:
    with uows() as unit:
        rows = unit.session.execute(select(TelegramUpdateRow.update_id, TelegramUpdateRow.processed_at))
        return sorted((int(r.update_id), r.processed_at is not None) for r in rows)


async def eventually(check: Callable[[], bool] | Callable[[], Awaitable[bool]], timeout: float = 20.0) -> None:
    for _ in range(int(timeout / 0.05)):
        result = check()
        if result if isinstance(result, bool) else await result:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def test_the_webhook_is_registered_with_its_secret_and_nothing_polls(
    gateway: Gateway, fake_api: FakeBotApi
) -> None:
    assert fake_api.webhook is not None
    assert fake_api.webhook["url"] == PUBLIC_URL and fake_api.webhook["secret_token"] == WEBHOOK_SECRET
    assert not fake_api.sent("getUpdates") and not fake_api.sent("deleteWebhook")
    health = await gateway.health()
    assert health.json() == {"mode": "webhook", "store": True, "rasa": True, "webhook": True, "inbox": True,
                             "ok": True}
    gateway.rasa.down = True
    health = await gateway.health()
    assert health.status_code == 503 and health.json()["rasa"] is False


async def test_one_chats_messages_reach_rasa_in_order_though_posted_at_once(
    gateway: Gateway, fake_api: FakeBotApi
) -> None:
    gateway.rasa.delays = {"one": 0.4, "lee one": 0.2}  # the first is slow: the others must wait for it
    texts = ["one", "two", "three", "four", "five"]
    for text in texts:
        fake_api.send_text(DANA, text)  # each POSTed on its own connection, at once
    fake_api.send_text(LEE, "lee one")
    fake_api.send_text(LEE, "lee two")
    await eventually(lambda: len(gateway.rasa.received) == 7)
    dana = [r["message"] for r in gateway.rasa.received if r["sender"] == f"telegram:{DANA}"]
    lee = [r["message"] for r in gateway.rasa.received if r["sender"] == f"telegram:{LEE}"]
    assert dana == texts and lee == ["lee one", "lee two"]
    await eventually(lambda: len(fake_api.messages(DANA)) == 5)
    assert [m.text for m in fake_api.messages(DANA)] == [f"[no record] you said: {t}" for t in texts]
    await eventually(lambda: all(done for _, done in stored(gateway.uows)))


async def test_a_request_without_the_secret_is_refused_and_nothing_is_handled(
    gateway: Gateway, fake_api: FakeBotApi
) -> None:
    payload = fake_api.text_update(DANA, "forged")
    assert await asyncio.to_thread(fake_api.post_with_secret, payload, "not-the-secret") == 403
    assert await asyncio.to_thread(fake_api.post_with_secret, payload, "") == 403
    await asyncio.sleep(0.5)
    assert stored(gateway.uows) == [] and gateway.rasa.received == [] and fake_api.messages(DANA) == []


async def test_sigterm_drains_what_was_acknowledged_and_a_restart_takes_up_the_rest(
    tmp_path: Path, fake_api: FakeBotApi, uows: Uows
) -> None:
    rasa = FakeRasa()
    rasa.delays = {"slow 1": 0.5}
    first = await start_gateway(tmp_path, fake_api, uows, rasa, drain_seconds=20)
    for n in (1, 2, 3):
        fake_api.send_text(DANA, f"slow {n}")
    await eventually(lambda: len(stored(first.uows)) == 3)  # all three acknowledged
    first.stop.set()  # what SIGTERM does
    await asyncio.wait_for(first.task, 30)
    assert [r["message"] for r in rasa.received] == ["slow 1", "slow 2", "slow 3"]
    assert stored(first.uows) == [(n, True) for n in (1, 2, 3)]

    # Stopped without time to drain: what was acknowledged stays stored, and the next gateway handles it.
    rasa.delays = {"late 4": 1.0}
    second = await start_gateway(tmp_path, fake_api, uows, rasa, drain_seconds=0)
    for n in (4, 5):
        fake_api.send_text(DANA, f"late {n}")
    await eventually(lambda: len(stored(second.uows)) == 5)
    second.stop.set()
    await asyncio.wait_for(second.task, 30)
    assert not all(done for _, done in stored(second.uows))
    third = await start_gateway(tmp_path, fake_api, uows, rasa)
    try:
        await eventually(lambda: all(done for _, done in stored(third.uows)))
        messages = [r["message"] for r in rasa.received]
        assert messages[:3] == ["slow 1", "slow 2", "slow 3"]
        assert [m for m in messages if m == "late 5"] == ["late 5"]  # handled once
        assert messages.index("late 4") < messages.index("late 5")
    finally:
        third.stop.set()
        await asyncio.wait_for(third.task, 30)


async def test_polling_mode_serves_health_too_and_stops_on_the_signal(
    tmp_path: Path, fake_api: FakeBotApi, uows: Uows
) -> None:
    from bot.channels.telegram.server import serve_polling

    rasa = FakeRasa()
    application = build_gateway(gateway_settings(fake_api, tmp_path, SECRET), uows, rasa)
    port = free_port()

    async def rasa_answers() -> bool:
        return not rasa.down

    stop = asyncio.Event()
    task = asyncio.create_task(serve_polling(
        application, {"store": store_check(uows), "rasa": rasa_answers}, "127.0.0.1", port, stop
    ))

    async def healthy() -> bool:
        try:
            async with httpx.AsyncClient() as http:
                return (await http.get(f"http://127.0.0.1:{port}/health")).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        await eventually(healthy)
        async with httpx.AsyncClient() as http:
            body = (await http.get(f"http://127.0.0.1:{port}/health")).json()
        assert body == {"mode": "polling", "store": True, "rasa": True, "poller": True, "ok": True}
        fake_api.send_text(DANA, "polled")
        await eventually(lambda: [m.text for m in fake_api.messages(DANA)] == ["[no record] you said: polled"])
        assert fake_api.webhook is None and stored(uows) == []  # polling keeps nothing in the inbox
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
    assert not await healthy()  # the health route is gone with the gateway


async def test_two_gateways_behind_a_balancer_keep_one_chat_in_order(
    tmp_path: Path, fake_api: FakeBotApi, uows: Uows
) -> None:
    rasa = FakeRasa()  # both instances talk to the same Rasa
    rasa.delays = {"m1": 0.3, "m4": 0.2}
    first = await start_gateway(tmp_path / "a", fake_api, uows, rasa)
    second = await start_gateway(tmp_path / "b", fake_api, uows, rasa)
    fake_api.deliver_to = [f"http://127.0.0.1:{first.port}/telegram", f"http://127.0.0.1:{second.port}/telegram"]
    try:
        texts = [f"m{n}" for n in range(1, 9)]
        for text in texts:
            fake_api.send_text(DANA, text)  # alternately to each instance, all at once
        fake_api.send_text(LEE, "lee")
        await eventually(lambda: len(rasa.received) == 9)
        await eventually(lambda: all(done for _, done in stored(first.uows)))
        dana = [r["message"] for r in rasa.received if r["sender"] == f"telegram:{DANA}"]
        assert dana == texts  # in order, each once, though both instances took updates of the chat
        receivers = {status for _, status in fake_api.deliveries}
        assert receivers == {200}
        assert len({u % 2 for u, _ in fake_api.deliveries}) == 2  # both instances acknowledged some
        await eventually(lambda: [m.text for m in fake_api.messages(DANA)] == [
            f"[no record] you said: {t}" for t in texts])
    finally:
        for gateway in (first, second):
            gateway.stop.set()
        await asyncio.gather(*(asyncio.wait_for(g.task, 30) for g in (first, second)))
