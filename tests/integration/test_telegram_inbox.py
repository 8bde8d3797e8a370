"""Webhook updates through the store: acknowledged once stored, each chat's updates in order,
across gateway instances and restarts (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import asyncio
import random
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.channels.telegram.inbox import NO_CHAT, InboxWorker, UpdateInbox, chat_of
from bot.channels.telegram.server import SECRET_HEADER, Health, http_app
from bot.store.models import TelegramChatClaimRow, TelegramUpdateRow
from bot.store.unit_of_work import SqlAlchemyUnitOfWork

UowFactory = Callable[[], SqlAlchemyUnitOfWork]
FAST: dict[str, Any] = {"reorder_window": timedelta(milliseconds=50), "poll_interval": 0.05}


def update(update_id: int, chat_id: int, text: str = "hi") -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {"message_id": update_id, "date": 0, "chat": {"id": chat_id, "type": "private"},
                    "from": {"id": chat_id, "is_bot": False, "first_name": "T"}, "text": text},
    }


class Recorder:
    """A ``handle`` that records which update of which chat ran, and fails if a chat ever runs twice at once."""

    def __init__(self, delay: Callable[[], float] = lambda: 0.0) -> None:
        self.order: dict[int, list[int]] = defaultdict(list)
        self.busy: set[int] = set()
        self.overlaps = 0
        self._delay = delay

    async def __call__(self, data: dict[str, Any]) -> None:
        chat = chat_of(data)
        if chat in self.busy:
            self.overlaps += 1
        self.busy.add(chat)
        try:
            await asyncio.sleep(self._delay())
            self.order[chat].append(data["update_id"])
        finally:
            self.busy.discard(chat)

    def total(self) -> int:
        return sum(len(ids) for ids in self.order.values())


async def until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def stop(task: asyncio.Task[None], timeout: float = 15.0) -> None:
    """Cancel a worker and wait, bounded: a worker that does not stop fails the test instead of hanging it."""
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=timeout)
    assert task in done, "the worker did not stop when cancelled"


def stored(uows: UowFactory) -> list[tuple[int, bool]]:
    with uows() as uow:
        rows = uow.session.execute(
            select(TelegramUpdateRow.update_id, TelegramUpdateRow.processed_at).order_by(TelegramUpdateRow.update_id)
        )
        return [(int(r.update_id), r.processed_at is not None) for r in rows]


def test_the_chat_of_an_update() -> None:
    assert chat_of(update(1, 42)) == 42
    assert chat_of({"update_id": 2, "callback_query": {"id": "x", "from": {"id": 7}, "data": "b:1",
                                                       "message": {"chat": {"id": -5}}}}) == -5
    assert chat_of({"update_id": 3, "callback_query": {"id": "x", "from": {"id": 7}, "data": "b:1"}}) == 7
    assert chat_of({"update_id": 4, "inline_query": {"id": "q", "from": {"id": 7}, "query": ""}}) == NO_CHAT


async def test_a_redelivered_update_is_stored_once(uow_factory: UowFactory) -> None:
    inbox = UpdateInbox(uow_factory, "gw-1")
    assert await inbox.accept(update(10, 42)) is True
    assert await inbox.accept(update(10, 42, "changed")) is False
    assert stored(uow_factory) == [(10, False)]


async def test_each_chat_in_update_id_order_whatever_the_arrival_order(uow_factory: UowFactory) -> None:
    inbox = UpdateInbox(uow_factory, "gw-1")
    recorder = Recorder(delay=lambda: random.uniform(0, 0.01))
    worker = InboxWorker(inbox, recorder, **FAST)
    ids = {chat: [chat * 100 + n for n in range(6)] for chat in (1, 2, 3)}
    arrivals = [(chat, i) for chat, chat_ids in ids.items() for i in chat_ids]
    random.Random(7).shuffle(arrivals)  # the connections Telegram uses overtake one another
    for chat, update_id in arrivals:
        await inbox.accept(update(update_id, chat))
    task = asyncio.create_task(worker.run())
    try:
        # Handled is recorded after the handler returns: wait for the store, not only the handler.
        await until(lambda: recorder.total() == 18 and all(done for _, done in stored(uow_factory)))
    finally:
        await stop(task)
    assert dict(recorder.order) == ids
    assert recorder.overlaps == 0
    assert all(done for _, done in stored(uow_factory))


async def test_two_instances_handle_one_chat_in_order_once_each(uow_factory: UowFactory) -> None:
    recorder = Recorder(delay=lambda: random.uniform(0, 0.02))
    inboxes = [UpdateInbox(uow_factory, "gw-a"), UpdateInbox(uow_factory, "gw-b")]
    workers = [InboxWorker(inbox, recorder, **FAST) for inbox in inboxes]
    tasks = [asyncio.create_task(worker.run()) for worker in workers]
    try:
        # The balancer spreads one busy chat's updates (and another chat's) over both instances,
        # while both are handling.
        for n in range(1, 31):
            inbox = inboxes[n % 2]
            if await inbox.accept(update(n, 42 if n % 3 else 43)):
                workers[n % 2].wake()
            await asyncio.sleep(random.uniform(0, 0.01))
        await until(lambda: sum(worker.handled for worker in workers) == 30)
        await asyncio.sleep(0.2)  # time for a second handling of anything, were there one
    finally:
        for task in tasks:
            await stop(task)
    assert recorder.order[42] == [n for n in range(1, 31) if n % 3]
    assert recorder.order[43] == [n for n in range(1, 31) if not n % 3]
    assert recorder.overlaps == 0  # never both instances on the chat at once
    assert sum(worker.handled for worker in workers) == 30  # none handled twice
    with uow_factory() as uow:  # both instances released their claims on the way out
        assert uow.session.execute(select(func.count()).select_from(TelegramChatClaimRow)).scalar_one() == 0


async def test_a_restarted_gateway_handles_what_was_stored_but_not_handled(uow_factory: UowFactory) -> None:
    gone = UpdateInbox(uow_factory, "gw-dead")
    for n in (1, 2, 3):
        await gone.accept(update(n, 42))
    # The dead instance held the chat when it was killed: its claim expires, nothing is lost.
    with uow_factory() as uow:
        now = datetime.now(timezone.utc)
        uow.telegram_updates.claim_chat(42, "gw-dead", now, now + timedelta(milliseconds=300))
        uow.commit()
    recorder = Recorder()
    worker = InboxWorker(UpdateInbox(uow_factory, "gw-new"), recorder, **FAST)
    task = asyncio.create_task(worker.run())
    try:
        await asyncio.sleep(0.15)
        assert recorder.total() == 0  # the claim is still live: another instance may be working
        await until(lambda: recorder.total() == 3 and all(done for _, done in stored(uow_factory)))
    finally:
        await stop(task)
    assert recorder.order[42] == [1, 2, 3]
    assert stored(uow_factory) == [(1, True), (2, True), (3, True)]


async def test_an_update_interrupted_mid_way_is_handled_again(uow_factory: UowFactory) -> None:
    started = asyncio.Event()

    async def hangs(data: dict[str, Any]) -> None:
        started.set()
        await asyncio.sleep(60)

    first = InboxWorker(UpdateInbox(uow_factory, "gw-1"), hangs, **FAST)
    await first.inbox.accept(update(5, 42))
    task = asyncio.create_task(first.run())
    await asyncio.wait_for(started.wait(), 10)
    await stop(task)  # killed while handling: the update stays stored, unhandled
    assert stored(uow_factory) == [(5, False)]
    recorder = Recorder()
    second = InboxWorker(UpdateInbox(uow_factory, "gw-2"), recorder, **FAST)
    task = asyncio.create_task(second.run())
    try:
        await until(lambda: recorder.total() == 1 and stored(uow_factory) == [(5, True)])
    finally:
        await stop(task)
    assert stored(uow_factory) == [(5, True)]


async def test_a_worker_cancelled_in_the_round_it_is_woken_stops(uow_factory: UowFactory) -> None:
    # Python 3.10's asyncio.wait_for swallowed exactly this cancellation, and the worker polled on forever.
    worker = InboxWorker(UpdateInbox(uow_factory, "gw-1"), Recorder(), poll_interval=30.0)
    task = asyncio.create_task(worker.run())
    await until(lambda: worker.last_beat > 0)
    await asyncio.sleep(0.3)  # past its look for work, napping until woken
    worker.wake()
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=5)
    assert task in done and task.cancelled()


async def test_drain_waits_for_what_this_instance_acknowledged(uow_factory: UowFactory) -> None:
    recorder = Recorder(delay=lambda: 0.05)
    worker = InboxWorker(UpdateInbox(uow_factory, "gw-1"), recorder, **FAST)
    task = asyncio.create_task(worker.run())
    try:
        for n in range(1, 6):
            await worker.inbox.accept(update(n, 42))
        assert await worker.drain(timeout=20) is True
        assert recorder.order[42] == [1, 2, 3, 4, 5]
    finally:
        await stop(task)


async def test_the_webhook_stores_only_updates_with_the_secret(uow_factory: UowFactory) -> None:
    inbox = UpdateInbox(uow_factory, "gw-1")

    async def accept(data: dict[str, Any]) -> None:
        await inbox.accept(data)

    app = http_app(Health("webhook"), ("s3cret", "/telegram", accept, None))
    async with TestClient(TestServer(app)) as client:
        assert (await client.post("/telegram", json=update(1, 42))).status == 403
        assert (await client.post("/telegram", json=update(2, 42), headers={SECRET_HEADER: "wrong"})).status == 403
        assert (await client.post("/telegram", json=update(3, 42), headers={SECRET_HEADER: "s3cret "})).status == 403
        assert stored(uow_factory) == []
        assert (await client.post("/telegram", data=b"{", headers={SECRET_HEADER: "s3cret"})).status == 400
        assert (await client.post("/telegram", json={"update_id": "x"}, headers={SECRET_HEADER: "s3cret"})).status == 400
        assert (await client.post("/telegram", json=update(4, 42), headers={SECRET_HEADER: "s3cret"})).status == 200
        assert (await client.post("/telegram", json=update(4, 42), headers={SECRET_HEADER: "s3cret"})).status == 200
        assert stored(uow_factory) == [(4, False)]
        health = await client.get("/health")
        assert health.status == 200 and (await health.json())["ok"] is True


async def test_the_webhook_answers_503_when_it_cannot_store(uow_factory: UowFactory) -> None:
    async def broken(data: dict[str, Any]) -> None:
        raise OSError("database down")

    async def down() -> bool:
        return False

    app = http_app(Health("webhook", {"store": down}), ("s3cret", "/telegram", broken, None))
    async with TestClient(TestServer(app)) as client:
        # not acknowledged, so Telegram sends it again later
        assert (await client.post("/telegram", json=update(1, 42), headers={SECRET_HEADER: "s3cret"})).status == 503
        health = await client.get("/health")
        assert health.status == 503 and await health.json() == {"mode": "webhook", "store": False, "ok": False}
