"""Webhook updates through the record store: acknowledged only once stored, handled per chat in order.

Telegram posts webhook updates over several connections at once, to whichever gateway instance
the balancer picks, so neither arrival order nor the instance says anything about a chat's order.
The webhook therefore only stores the update (:meth:`UpdateInbox.accept`, unique ``update_id``)
and answers 200; an :class:`InboxWorker` in every instance then:

1. finds chats with stored, unhandled updates and no live claim (``chats_waiting``);
2. claims one (a row in ``telegram_chat_claims`` that expires, renewed while it works), so only
   one instance at a time handles a chat;
3. hands that chat's updates to python-telegram-bot one at a time, lowest ``update_id`` first,
   marking each handled when its handlers returned;
4. releases the claim when the chat has nothing left.

An update that arrives while its chat is being handled is picked up by the claim holder (it
looks for the chat's next update after each one). An update waits ``reorder_window`` after it
was stored before it is handled, so one that overtook an earlier update of its chat on another
connection is put back in order. An instance that dies leaves its claims to expire
(``claim_ttl``) and its updates stored: another instance, or the restarted one, handles them.
SIGTERM stops the webhook first and then :meth:`InboxWorker.drain` waits for what this
instance acknowledged. Handling is at-least-once: an instance killed in the middle of an update
leaves it unhandled, and the next holder handles it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from bot import logs
from bot.store.repositories.telegram_updates import StoredUpdate

if TYPE_CHECKING:
    from bot.composition import UowFactory

logger = logging.getLogger(__name__)

NO_CHAT = 0  # the "chat" of updates that have none (inline queries, polls): handled in order too
CLAIM_TTL = timedelta(seconds=30)
REORDER_WINDOW = timedelta(milliseconds=200)
KEEP_HANDLED = timedelta(hours=1)  # Telegram resends an update only until it was answered
POLL_INTERVAL = 1.0  # seconds: how often claims of other (maybe dead) instances are looked at
MAX_CHATS = 64  # chats one instance handles at the same time
STOP_GRACE = 10.0  # seconds the chats get to stop when the worker is cancelled

Handle = Callable[[dict[str, Any]], Awaitable[None]]


def instance_name() -> str:
    """A name no other gateway instance has, even after a restart: host, pid and a random part."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def chat_of(data: dict[str, Any]) -> int:
    """The chat an update belongs to (its ``effective_chat``), found in the raw JSON."""
    for key, value in data.items():
        if key == "update_id" or not isinstance(value, dict):
            continue
        chat = value.get("chat")
        if chat is None and isinstance(value.get("message"), dict):  # a button press
            chat = value["message"].get("chat")
        if isinstance(chat, dict) and type(chat.get("id")) is int:
            return int(chat["id"])
        sender = value.get("from")
        if key == "callback_query" and isinstance(sender, dict) and type(sender.get("id")) is int:
            return int(sender["id"])  # a press on an inline message: the private chat of its user
    return NO_CHAT


class UpdateInbox:
    """The store side, off the event loop (blocking database work runs in a thread)."""

    def __init__(self, uow_factory: UowFactory, owner: str, clock: Callable[[], datetime] | None = None) -> None:
        self._uow = uow_factory
        self.owner = owner
        self._now = clock or (lambda: datetime.now(timezone.utc))

    async def accept(self, data: dict[str, Any]) -> bool:
        """Store one update (committed before this returns); False if it was already stored."""
        body = json.dumps(data, separators=(",", ":"), ensure_ascii=False)

        def run() -> bool:
            with self._uow() as uow:
                added = uow.telegram_updates.add(int(data["update_id"]), chat_of(data), body, self.owner, self._now())
                uow.commit()
                return added

        return await asyncio.to_thread(run)

    async def chats_waiting(self, limit: int) -> list[int]:
        def run() -> list[int]:
            with self._uow() as uow:
                return uow.telegram_updates.chats_waiting(self._now(), limit)

        return await asyncio.to_thread(run)

    async def claim(self, chat_id: int, ttl: timedelta) -> bool:
        def run() -> bool:
            with self._uow() as uow:
                now = self._now()
                taken = uow.telegram_updates.claim_chat(chat_id, self.owner, now, now + ttl)
                uow.commit()
                return taken

        return await asyncio.to_thread(run)

    async def release(self, chat_id: int | None = None) -> None:
        """Give up one chat's claim, or all of this instance's claims."""

        def run() -> None:
            with self._uow() as uow:
                if chat_id is None:
                    uow.telegram_updates.release_all(self.owner)
                else:
                    uow.telegram_updates.release_chat(chat_id, self.owner)
                uow.commit()

        await asyncio.to_thread(run)

    async def next_for_chat(self, chat_id: int) -> StoredUpdate | None:
        def run() -> StoredUpdate | None:
            with self._uow() as uow:
                return uow.telegram_updates.next_for_chat(chat_id)

        return await asyncio.to_thread(run)

    async def mark_processed(self, update_id: int) -> None:
        def run() -> None:
            with self._uow() as uow:
                uow.telegram_updates.mark_processed(update_id, self._now())
                uow.commit()

        await asyncio.to_thread(run)

    async def unprocessed(self, mine_only: bool = False) -> int:
        def run() -> int:
            with self._uow() as uow:
                return uow.telegram_updates.unprocessed(self.owner if mine_only else None)

        return await asyncio.to_thread(run)

    async def prune(self, keep: timedelta = KEEP_HANDLED) -> int:
        def run() -> int:
            with self._uow() as uow:
                removed = uow.telegram_updates.delete_processed_before(self._now() - keep)
                uow.commit()
                return removed

        return await asyncio.to_thread(run)

    def now(self) -> datetime:
        return self._now()


class InboxWorker:
    """Claims chats with stored updates and hands their updates to ``handle``, in order (see module doc)."""

    def __init__(
        self,
        inbox: UpdateInbox,
        handle: Handle,
        *,
        claim_ttl: timedelta = CLAIM_TTL,
        reorder_window: timedelta = REORDER_WINDOW,
        poll_interval: float = POLL_INTERVAL,
        max_chats: int = MAX_CHATS,
    ) -> None:
        self.inbox = inbox
        self._handle = handle
        self._ttl = claim_ttl
        self._window = reorder_window
        self._poll = poll_interval
        self._max_chats = max_chats
        self._wake = asyncio.Event()
        self._chats: dict[int, asyncio.Task[None]] = {}
        self._stopping = False
        self.last_beat = 0.0  # time.monotonic() of the last round of the loop (for the health route)
        self.handled = 0

    def wake(self) -> None:
        """Something was stored: look for work now rather than at the next poll."""
        self._wake.set()

    def alive(self) -> bool:
        """The loop went round recently (it goes round at least every ``poll_interval``)."""
        return time.monotonic() - self.last_beat < max(3 * self._poll, 5.0)

    async def run(self) -> None:
        """Until cancelled: claim waiting chats and handle them; handled updates are pruned now and then."""
        last_prune = 0.0
        try:
            while True:
                self.last_beat = time.monotonic()
                try:
                    await self._claim_waiting()
                    if time.monotonic() - last_prune > 60:
                        last_prune = time.monotonic()
                        await self.inbox.prune()
                except asyncio.CancelledError:
                    raise
                except Exception:  # the store is down: keep trying, the health route says so
                    logger.exception("could not look for stored Telegram updates")
                await self._nap()
                self._wake.clear()
        finally:
            await self._stop_chats()

    async def _nap(self) -> None:
        """Wait until woken or ``poll_interval`` passed.

        Not ``asyncio.wait_for``: on Python 3.10 it swallows a cancellation that arrives in the
        same loop round as the wake-up (bpo-42130), and the worker would then never stop.
        ``asyncio.wait`` lets the cancellation through.
        """
        woken = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({woken}, timeout=self._poll)
        finally:
            woken.cancel()

    async def _claim_waiting(self) -> None:
        room = self._max_chats - len(self._chats)
        if room <= 0:
            return
        for chat_id in await self.inbox.chats_waiting(room + len(self._chats)):
            if chat_id in self._chats or len(self._chats) >= self._max_chats:
                continue
            if await self.inbox.claim(chat_id, self._ttl):
                task = asyncio.create_task(self._serve_chat(chat_id), name=f"telegram-chat-{chat_id}")
                self._chats[chat_id] = task
                task.add_done_callback(functools.partial(self._chat_done, chat_id))

    def _chat_done(self, chat_id: int, _task: asyncio.Task[None]) -> None:
        self._chats.pop(chat_id, None)
        if not self._stopping:
            self._wake.set()  # an update may have come in just as the chat was released

    async def _serve_chat(self, chat_id: int) -> None:
        renewal = asyncio.create_task(self._keep_claim(chat_id))
        try:
            while True:
                stored = await self.inbox.next_for_chat(chat_id)
                if stored is None:
                    return
                age = self.inbox.now() - stored.received_at
                if age < self._window:  # an earlier update of this chat may still be on its way
                    await asyncio.sleep((self._window - age).total_seconds())
                    continue
                if renewal.done():  # the claim was lost (the store was unreachable too long)
                    return
                await self._handle_one(stored)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("stopped handling a chat's stored updates; another round takes them up")
        finally:
            renewal.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await renewal
            with contextlib.suppress(Exception):
                await asyncio.shield(self.inbox.release(chat_id))

    async def _handle_one(self, stored: StoredUpdate) -> None:
        started = time.monotonic()
        outcome = "handled"
        try:
            await self._handle(json.loads(stored.body))
        except Exception:  # the application's own error handler saw it already; do not retry forever
            outcome = "failed"
            logger.exception("a stored Telegram update failed")
        await asyncio.shield(self.inbox.mark_processed(stored.update_id))
        self.handled += 1
        logger.info(  # no text, and the chat only hashed (bot.logs)
            "stored telegram update handled",
            extra=logs.fields(
                sender=f"telegram-chat:{stored.chat_id}", latency_ms=(time.monotonic() - started) * 1000,
                outcome=outcome,
            ),
        )

    async def _keep_claim(self, chat_id: int) -> None:
        """Renew the chat's claim every third of its lifetime; return when it cannot be renewed."""
        while True:
            await asyncio.sleep(self._ttl.total_seconds() / 3)
            try:
                if not await self.inbox.claim(chat_id, self._ttl):
                    logger.warning("lost the claim on a chat; its other updates go to the instance that took it")
                    return
            except Exception:
                logger.warning("could not renew a chat's claim", exc_info=True)

    async def drain(self, timeout: float) -> bool:
        """Wait until every update this instance acknowledged is handled (by it or another); True if so."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if await self.inbox.unprocessed(mine_only=True) == 0:
                    return True
            except Exception:
                logger.warning("could not count stored updates while draining", exc_info=True)
            self.wake()
            await asyncio.sleep(0.2)
        return False

    async def _stop_chats(self) -> None:
        self._stopping = True
        chats = list(self._chats.values())
        for task in chats:
            task.cancel()
        if chats:  # bounded: a handler that swallows its cancellation must not keep the gateway from stopping
            _, stuck = await asyncio.wait(chats, timeout=STOP_GRACE)
            if stuck:
                logger.warning("%d chat(s) did not stop within %.0f s; their claims expire", len(stuck), STOP_GRACE)
        with contextlib.suppress(Exception):
            await self.inbox.release()
