"""Sends the scripted conversations through Rasa's REST channel and times every message.

The client is the project's own :class:`bot.channels.rasa_client.RasaClient` (the one
the terminal chat and the Telegram gateway use), so the measured path is the real one:
``POST /webhooks/rest/webhook?token=...`` with ``{sender, message, metadata}``. One
message's latency runs from just before the request is sent to the moment the full
reply list has been read and parsed. The identity is signed before the clock starts, as
the terminal channel signs it per message, so signing is not part of the figure.

Sequential mode runs one conversation at a time. Concurrent mode runs ``concurrency``
workers that each take the next conversation from a shared queue, so that many
conversations are in flight until the queue drains (the last few overlap less).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.channels.rasa_client import RasaClient, RasaError
from bot.identity import IDENTITY_KEY, sign_identity

from .scripts import Conversation


@dataclass(frozen=True)
class Target:
    """A Rasa server to drive: where it is and how our channels talk to it."""

    name: str  # "plain" or "ours"
    base_url: str
    token: str | None = None
    identity_secret: str | None = None  # None: the bot knows no identities

    def metadata(self, conversation: Conversation) -> Mapping[str, Any] | None:
        if conversation.trainer_id is None or self.identity_secret is None:
            return None
        identity = sign_identity(conversation.trainer_id, conversation.sender, self.identity_secret)
        return {IDENTITY_KEY: identity}


@dataclass(frozen=True)
class Sample:
    """One timed message."""

    conversation: int
    step: int
    text: str
    linked: bool
    latency_ms: float
    ok: bool
    replies: int = 0
    error: str | None = None


@dataclass
class Phase:
    """The samples of one bot in one mode, and the wall time from first send to last reply."""

    samples: list[Sample] = field(default_factory=list)
    wall_seconds: float = 0.0
    transcript: list[dict[str, Any]] = field(default_factory=list)  # the first conversation

    @property
    def latencies_ms(self) -> list[float]:
        return [s.latency_ms for s in self.samples if s.ok]

    @property
    def errors(self) -> int:
        return sum(1 for s in self.samples if not s.ok)


async def _converse(
    client: RasaClient, target: Target, index: int, conversation: Conversation, phase: Phase
) -> None:
    for step, text in enumerate(conversation.messages):
        metadata = target.metadata(conversation)
        started = time.perf_counter()
        try:
            replies = await client.send_message(conversation.sender, text, metadata)
        except RasaError as exc:
            elapsed = (time.perf_counter() - started) * 1000.0
            phase.samples.append(Sample(index, step, text, conversation.trainer_id is not None,
                                        elapsed, ok=False, error=f"{type(exc).__name__}: {exc}"))
            continue
        elapsed = (time.perf_counter() - started) * 1000.0
        ok = bool(replies)  # every scripted message has an answer; none means something broke
        phase.samples.append(Sample(
            index, step, text, conversation.trainer_id is not None, elapsed, ok=ok,
            replies=len(replies), error=None if ok else "empty reply",
        ))
        if index == 0:
            phase.transcript.append({
                "sender": conversation.sender,
                "trainer_id": conversation.trainer_id,
                "user": text,
                "bot": [r.text or (f"[image] {r.image}" if r.image else "[custom]") for r in replies],
                "ms": round(elapsed, 1),
            })


def _client(target: Target, transport: httpx.AsyncBaseTransport | None) -> RasaClient:
    return RasaClient(target.base_url, target.token, transport=transport)


async def run_sequential(
    target: Target,
    conversations: Sequence[Conversation],
    transport: httpx.AsyncBaseTransport | None = None,  # tests: httpx.MockTransport
) -> Phase:
    """One conversation after the other, one message at a time."""
    phase = Phase()
    async with _client(target, transport) as client:
        started = time.perf_counter()
        for index, conversation in enumerate(conversations):
            await _converse(client, target, index, conversation, phase)
        phase.wall_seconds = time.perf_counter() - started
    return phase


async def run_concurrent(
    target: Target,
    conversations: Sequence[Conversation],
    concurrency: int,
    transport: httpx.AsyncBaseTransport | None = None,  # tests: httpx.MockTransport
) -> Phase:
    """``concurrency`` conversations in flight at once, each still one message at a time."""
    phase = Phase()
    queue: asyncio.Queue[tuple[int, Conversation]] = asyncio.Queue()
    for item in enumerate(conversations):
        queue.put_nowait(item)

    async def worker(client: RasaClient) -> None:
        while True:
            try:
                index, conversation = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            await _converse(client, target, index, conversation, phase)

    async with _client(target, transport) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        phase.wall_seconds = time.perf_counter() - started
    phase.samples.sort(key=lambda s: (s.conversation, s.step))
    return phase
