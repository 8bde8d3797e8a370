"""Unit tests of the benchmark's own logic (no Rasa): ``.venv/bin/python -m pytest bench/latency``.

They live beside the benchmark, and run with the project's tests (pyproject's ``testpaths``).
"""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from bot.identity import verify_identity

from .driver import Target, run_concurrent, run_sequential
from .scripts import LINKED_TRAINERS, OUR_MESSAGES, OUR_NO_ACTION_STEPS, PLAIN_MESSAGES, plan
from .stats import percentile, summarize


def test_percentile_interpolates_like_numpy_linear() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 50) == 25.0
    assert percentile(values, 95) == pytest.approx(38.5)  # rank 2.85 between 30 and 40
    assert percentile(values, 0) == 10.0 and percentile(values, 100) == 40.0
    assert percentile([7.0], 95) == 7.0
    with pytest.raises(ValueError):
        percentile([], 50)


def test_summary_counts_throughput_over_wall_time() -> None:
    summary = summarize([100.0] * 10, wall_seconds=2.0, errors=1)
    assert summary.messages == 10 and summary.errors == 1
    assert summary.messages_per_second == 5.0
    assert summary.p95_ms == summary.max_ms == 100.0


def test_scripts_have_the_same_length_and_plans_distinct_senders() -> None:
    assert len(OUR_MESSAGES) == len(PLAIN_MESSAGES)
    assert OUR_NO_ACTION_STEPS == {0, len(OUR_MESSAGES) - 1}  # greeting and thanks
    conversations = plan("run", "seq", 8, OUR_MESSAGES, linked=True)
    assert len({c.sender for c in conversations}) == 8
    assert [c.trainer_id is None for c in conversations] == [False, False, False, True] * 2
    assert {c.trainer_id for c in conversations} - {None} <= set(LINKED_TRAINERS)
    assert all(c.trainer_id is None for c in plan("run", "seq", 4, PLAIN_MESSAGES, linked=False))


class FakeRasa:
    """A REST channel that answers after a short sleep and records who was in flight."""

    def __init__(self, delay: float = 0.01) -> None:
        self.delay = delay
        self.in_flight = 0
        self.max_in_flight = 0
        self.bodies: list[dict] = []
        self.params: list[dict] = []

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        body = json.loads(request.content)
        self.bodies.append(body)
        self.params.append(dict(request.url.params))
        await asyncio.sleep(self.delay)
        self.in_flight -= 1
        return httpx.Response(200, json=[{"recipient_id": body["sender"], "text": "ok"}])


async def test_sequential_sends_one_message_at_a_time_with_signed_identity() -> None:
    fake = FakeRasa()
    target = Target("ours", "http://rasa.test", token="tok", identity_secret="secret")
    conversations = plan("run", "seq", 4, OUR_MESSAGES, linked=True)
    phase = await run_sequential(target, conversations, httpx.MockTransport(fake.handle))
    assert fake.max_in_flight == 1
    assert len(phase.latencies_ms) == 4 * len(OUR_MESSAGES) and phase.errors == 0
    assert all(p == {"token": "tok"} for p in fake.params)
    first, unlinked = fake.bodies[0], fake.bodies[3 * len(OUR_MESSAGES)]
    assert verify_identity(first["metadata"], first["sender"], "secret") == conversations[0].trainer_id
    assert "identity" not in unlinked.get("metadata", {})  # only a delivery id (bot.stack.replay_guard)
    assert [t["user"] for t in phase.transcript] == list(OUR_MESSAGES)


async def test_concurrent_keeps_the_requested_number_of_conversations_in_flight() -> None:
    fake = FakeRasa()
    target = Target("plain", "http://rasa.test")
    conversations = plan("run", "conc", 16, PLAIN_MESSAGES, linked=False)
    phase = await run_concurrent(target, conversations, 8, httpx.MockTransport(fake.handle))
    assert fake.max_in_flight == 8
    assert len(phase.samples) == 16 * len(PLAIN_MESSAGES) and phase.errors == 0
    # each conversation's messages still go out in order
    for sender in {b["sender"] for b in fake.bodies}:
        assert [b["message"] for b in fake.bodies if b["sender"] == sender] == list(PLAIN_MESSAGES)


async def test_an_empty_reply_or_a_server_error_is_an_error_not_a_latency() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        text = json.loads(request.content)["message"]
        if text == PLAIN_MESSAGES[1]:
            return httpx.Response(500)
        return httpx.Response(200, json=[] if text == PLAIN_MESSAGES[2] else [{"text": "ok"}])

    phase = await run_sequential(Target("plain", "http://rasa.test"),
                                 plan("run", "seq", 1, PLAIN_MESSAGES, linked=False),
                                 httpx.MockTransport(handle))
    assert phase.errors == 2 and len(phase.latencies_ms) == len(PLAIN_MESSAGES) - 2
