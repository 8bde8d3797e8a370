"""The conversation lock after an instance died holding it: the waiter is served, and only in turn.

Each test runs on Rasa's ``InMemoryLockStore`` and, when ``RECERT_TEST_REDIS_URL`` names a Redis
database (CI sets it), on its ``RedisLockStore`` under a key prefix of its own: the production lock
store, which shares the wait loop. The clock (``time.time``, which Rasa's tickets read) is moved by
hand, the way a busy event loop or a dead instance moves it.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from rasa.core import lock_store as rasa_lock_store
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore

from bot.stack import lock_tickets
from bot.stack.runtime_config import lock_store_config

REDIS_ENV = "RECERT_TEST_REDIS_URL"

LIFETIME = 30.0
POLL = 0.001  # seconds of real time between the waiters' polls


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    fake = Clock(1_000_000.0)
    monkeypatch.setattr(time, "time", fake)
    monkeypatch.setattr(rasa_lock_store, "LOCK_LIFETIME", LIFETIME)
    yield fake


@pytest.fixture
def patched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LockStore, "_acquire_lock", LockStore._acquire_lock)  # restored after the test
    lock_tickets.install()


class Holder:
    """A message holding (or waiting for) the conversation's lock until ``release``."""

    def __init__(self, store: LockStore, conversation: str) -> None:
        self.acquired = asyncio.Event()
        self._release = asyncio.Event()
        self.task = asyncio.create_task(self._run(store, conversation))

    async def _run(self, store: LockStore, conversation: str) -> None:
        async with store.lock(conversation, lock_lifetime=LIFETIME, wait_time_in_seconds=POLL):
            self.acquired.set()
            await self._release.wait()

    async def release(self) -> None:
        self._release.set()
        await self.task


async def _polls() -> None:
    """Long enough in real time for every waiter to poll a few times."""
    await asyncio.sleep(POLL * 20)


@pytest.fixture(params=["memory", "redis"])
async def store(request: pytest.FixtureRequest) -> AsyncIterator[LockStore]:
    if request.param == "memory":
        yield InMemoryLockStore()
        return
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"{REDIS_ENV} is not set (CI sets it): Rasa's Redis lock store is not tried")
    config = lock_store_config(url)  # the connection `recert up` gives Rasa
    redis_store = RedisLockStore(
        host=config["url"], port=config["port"], db=config["db"], username=config.get("username"),
        password=config.get("password"), use_ssl=bool(config.get("use_ssl")), key_prefix=f"locktest{uuid.uuid4().hex[:8]}",
    )
    yield redis_store
    for key in redis_store.red.scan_iter(f"{redis_store.key_prefix}*"):
        redis_store.red.delete(key)


async def _dead_ticket_then_waiter(store: LockStore, clock: Clock) -> Holder:
    """An instance killed while holding the lock (a ticket nobody will finish), then its message replayed."""
    store.issue_ticket("c", LIFETIME)
    clock.now += 0.2
    waiter = Holder(store, "c")
    await _polls()
    assert not waiter.acquired.is_set()  # the dead ticket still blocks
    return waiter


@pytest.mark.usefixtures("patched")
async def test_a_replayed_message_is_served_when_the_dead_ticket_expires_even_if_it_wakes_late(
    store: LockStore, clock: Clock
) -> None:
    waiter = await _dead_ticket_then_waiter(store, clock)
    clock.now += LIFETIME + 5  # the waiter wakes after the dead ticket and its own first expiry
    await asyncio.wait_for(waiter.acquired.wait(), timeout=2)
    await waiter.release()
    assert store.get_lock("c") is None  # nobody waits any more: the lock is gone, as Rasa leaves it


async def test_without_it_rasas_own_loop_never_serves_that_waiter(store: LockStore, clock: Clock) -> None:
    """Why the fix exists: Rasa 3.6's loop, in the same situation, waits for ever (here: 0.2 s of polling)."""
    waiter = await _dead_ticket_then_waiter(store, clock)
    clock.now += LIFETIME + 5
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(asyncio.shield(waiter.acquired.wait()), timeout=0.2)
    waiter.task.cancel()


@pytest.mark.usefixtures("patched")
async def test_a_dead_tickets_lifetime_still_blocks_until_it_ends(store: LockStore, clock: Clock) -> None:
    waiter = await _dead_ticket_then_waiter(store, clock)
    clock.now += LIFETIME - 1  # the dead ticket (issued 0.2 s before the waiter's) has not expired
    await _polls()
    assert not waiter.acquired.is_set()
    clock.now += 1
    await asyncio.wait_for(waiter.acquired.wait(), timeout=2)
    await waiter.release()


@pytest.mark.usefixtures("patched")
async def test_live_waiters_keep_their_order_however_long_they_wait(store: LockStore, clock: Clock) -> None:
    first = Holder(store, "c")
    await asyncio.wait_for(first.acquired.wait(), timeout=2)
    second = Holder(store, "c")
    await _polls()
    third = Holder(store, "c")
    await _polls()
    clock.now += LIFETIME / 2
    await _polls()
    assert not second.acquired.is_set() and not third.acquired.is_set()

    await first.release()
    await asyncio.wait_for(second.acquired.wait(), timeout=2)
    # Longer than the third's first lifetime: it keeps renewing its ticket, and the second's turn,
    # renewed when it acquired the lock, has not run out.
    clock.now += LIFETIME - 1
    await _polls()
    assert not third.acquired.is_set()

    await second.release()
    await asyncio.wait_for(third.acquired.wait(), timeout=2)
    await third.release()


@pytest.mark.usefixtures("patched")
async def test_other_conversations_are_not_held_up(store: LockStore, clock: Clock) -> None:
    await _dead_ticket_then_waiter(store, clock)
    other = Holder(store, "another conversation")
    await asyncio.wait_for(other.acquired.wait(), timeout=2)
    await other.release()


def test_the_rasa_server_installs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LockStore, "_acquire_lock", LockStore._acquire_lock)
    lock_tickets.install()
    assert LockStore._acquire_lock is lock_tickets.acquire_keeping_place
