"""Button payloads that only the gateway can issue.

A Telegram button carries ``callback_data`` (at most 64 bytes) that the client sends back when
pressed, and a modified client can send back anything. So a button never carries its payload:
it carries a random key (``b:`` and 128 random bits), and the payload stays on the server, with
the chat it was shown in and when. A press is honoured only for a key this gateway issued to
that chat within :data:`BUTTON_TTL`; anything else is "expired" and reaches no one. A random
key needs no signature: it cannot be guessed, and it is worthless outside its chat.

:class:`StoredButtons` keeps the payloads in the record store (``button_payloads``), so they
survive a restart and every gateway instance sees the same ones; ``recert prune`` removes old
ones. :class:`MemoryButtons` is the same contract in a dict, for tests.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.composition import UowFactory

CHANNEL = "telegram"
KEY_PREFIX = "b:"
KEY_BYTES = 16  # 22 characters of token_urlsafe: "b:" + 22 = 24 bytes of the 64 allowed
BUTTON_TTL = timedelta(days=7)


class ButtonStore(Protocol):
    async def issue(self, chat_id: int, payloads: Sequence[str]) -> list[str]:
        """One fresh ``callback_data`` key per payload, in order."""
        ...

    async def redeem(self, chat_id: int, data: str) -> str | None:
        """The payload behind a pressed button's data; None for anything this chat was not given."""
        ...


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)


def _well_formed(data: str) -> bool:
    return data.startswith(KEY_PREFIX) and len(data) <= len(KEY_PREFIX) + 32 and data.isascii()


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class StoredButtons:
    """Payloads in the record store; database work off the event loop."""

    def __init__(
        self,
        uow_factory: UowFactory,
        clock: Callable[[], datetime] = _utc_now,
        ttl: timedelta = BUTTON_TTL,
    ) -> None:
        self._uow = uow_factory
        self._now = clock
        self._ttl = ttl

    async def issue(self, chat_id: int, payloads: Sequence[str]) -> list[str]:
        keys = [new_key() for _ in payloads]

        def store() -> None:
            now = self._now()
            with self._uow() as uow:
                for key, payload in zip(keys, payloads, strict=False):
                    uow.buttons.add(key, CHANNEL, str(chat_id), payload, now)
                uow.commit()

        if keys:
            await asyncio.to_thread(store)
        return keys

    async def redeem(self, chat_id: int, data: str) -> str | None:
        if not _well_formed(data):
            return None

        def look_up() -> str | None:
            with self._uow() as uow:
                payload = uow.buttons.payload(data, CHANNEL, str(chat_id), self._now() - self._ttl)
                return None if payload is None else str(payload)

        return await asyncio.to_thread(look_up)


class MemoryButtons:
    """The same contract in memory (tests; payloads die with the process)."""

    def __init__(self, clock: Callable[[], datetime] = _utc_now, ttl: timedelta = BUTTON_TTL) -> None:
        self._issued: dict[str, tuple[int, str, datetime]] = {}
        self._now = clock
        self._ttl = ttl

    async def issue(self, chat_id: int, payloads: Sequence[str]) -> list[str]:
        keys = [new_key() for _ in payloads]
        for key, payload in zip(keys, payloads, strict=False):
            self._issued[key] = (chat_id, payload, self._now())
        return keys

    async def redeem(self, chat_id: int, data: str) -> str | None:
        issued = self._issued.get(data) if _well_formed(data) else None
        if issued is None or issued[0] != chat_id or issued[2] < self._now() - self._ttl:
            return None
        return issued[1]
