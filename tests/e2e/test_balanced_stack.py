"""Two Rasa instances behind HAProxy, the Redis lock store and PostgreSQL: one instance killed under load.

``recert up`` with ``RECERT_RASA_INSTANCES=2`` starts the production shape from the same
HAProxy template ``deploy/`` ships. 24 conversations of 4 turns each talk at once to the
balancer's REST webhook; when half of the messages are answered, ``rasa-1``'s process group
gets SIGKILL. The client is the gateway's (``RasaClient`` with its 90 s read timeout) and, as the
gateway does (``bot.channels.telegram.relay``), sends a message again once only when it never
reached the balancer; HAProxy replays on ``rasa-2`` what ``rasa-1`` never answered (the balancer's
log shows those replays). Then every message has its answer in time, each conversation's events are
in Rasa's ``events`` table complete and in order, and no message was handled twice.

The stack (``tests/e2e/balanced_fixtures.py``) is this test's own, since it kills a part of it; it starts
loading in the background when the session begins (each Rasa instance takes about 1.3 GB and a minute or
two to load), and the test runs last, once the shared stack's tests are done, so the machine is not busy
loading models while the load and the kill are timed.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.channels.rasa_client import DEFAULT_TIMEOUT, BotReply, RasaClient, RasaNotReached
from bot.store.bootstrap import make_engine
from tests.e2e.balanced_fixtures import RASA_TOKEN, BalancedStack

pytestmark = pytest.mark.slow

CONVERSATIONS = 24
TURNS = (
    "hi",
    "how many CEUs do I need to renew?",
    "what is the late fee?",
    "thanks, bye",
)
@dataclass
class Load:
    """The conversations' shared state: how many messages are answered, the answers, the kill."""

    total: int
    answered: int = 0
    half: asyncio.Event = field(default_factory=asyncio.Event)
    answers: dict[str, list[list[BotReply]]] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)
    client_retries: int = 0


async def _send_once_retried(client: RasaClient, sender: str, message: str, load: Load) -> list[BotReply]:
    """As the gateway does: again once, only when the message cannot have reached the balancer."""
    try:
        return await client.send_message(sender, message)
    except RasaNotReached:
        load.client_retries += 1
        await asyncio.sleep(1.0)
        return await client.send_message(sender, message)


async def _converse(client: RasaClient, sender: str, load: Load) -> None:
    load.answers[sender] = []
    for message in TURNS:
        started = time.monotonic()
        load.answers[sender].append(await _send_once_retried(client, sender, message, load))
        load.seconds.append(time.monotonic() - started)
        load.answered += 1
        if load.answered >= load.total // 2:
            load.half.set()


async def _run_load(stack: BalancedStack, victim_pid: int, senders: list[str]) -> tuple[Load, float]:
    load = Load(total=len(senders) * len(TURNS))
    killed_at = 0.0

    async def kill_at_half() -> None:
        nonlocal killed_at
        await load.half.wait()
        os.killpg(victim_pid, signal.SIGKILL)
        killed_at = time.monotonic()

    # The gateway's timeouts: a replayed message waits for the lock ticket the killed instance held on
    # its conversation (TICKET_LOCK_LIFETIME, 30 s) and must still be answered within them.
    async with RasaClient(f"http://127.0.0.1:{stack.rasa_port}", RASA_TOKEN, timeout=DEFAULT_TIMEOUT) as client:
        killer = asyncio.create_task(kill_at_half())
        await asyncio.gather(*(_converse(client, sender, load) for sender in senders))
        await killer
    return load, killed_at


def _events(database_url: str, senders: list[str]) -> dict[str, list[tuple[str, dict[str, object]]]]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text("SELECT sender_id, type_name, data FROM events ORDER BY id")
            ).all()
    finally:
        engine.dispose()
    events: dict[str, list[tuple[str, dict[str, object]]]] = {sender: [] for sender in senders}
    for sender_id, type_name, data in rows:
        if sender_id in events:
            events[sender_id].append((type_name, json.loads(data)))
    return events


def test_two_instances_lose_nothing_when_one_is_killed_under_load(balanced_stack: BalancedStack) -> None:
    parts = balanced_stack.processes()
    for name in ("actions", "rasa-1", "rasa-2", "balancer"):
        assert parts[name]["state"] == "up" and parts[name]["pid"], parts
    assert parts["balancer"]["port"] == balanced_stack.rasa_port
    assert {parts["rasa-1"]["port"], parts["rasa-2"]["port"]} == {balanced_stack.rasa_port + 1,
                                                                 balanced_stack.rasa_port + 2}
    victim = int(str(parts["rasa-1"]["pid"]))
    senders = [f"e2e-balanced-{uuid.uuid4().hex[:8]}-{i}" for i in range(CONVERSATIONS)]

    started = time.monotonic()
    load, killed_at = asyncio.run(_run_load(balanced_stack, victim, senders))
    elapsed = time.monotonic() - started
    replayed = _replays(balanced_stack.var_dir / "log" / "balancer.log")
    seconds = sorted(load.seconds)
    print(f"\n{load.total} messages in {elapsed:.0f}s; rasa-1 killed after {killed_at - started:.0f}s; "
          f"replayed by HAProxy: {replayed}; sent again by the client: {load.client_retries}; "
          f"p50 {seconds[len(seconds) // 2]:.1f}s, slowest {seconds[-1]:.1f}s")
    # The kill hit messages in flight on rasa-1, and HAProxy sent them to rasa-2.
    assert replayed > 0, "no request was in flight on rasa-1 when it was killed: the test proved nothing"

    # The kill happened, and the stack says so: rasa-1 is down, the balancer still serves.
    after = balanced_stack.processes()
    assert after["rasa-1"]["state"] == "down", after
    assert after["rasa-2"]["state"] == "up" and after["balancer"]["state"] == "up", after

    # Every message answered.
    for sender in senders:
        assert len(load.answers[sender]) == len(TURNS)
        for message, replies in zip(TURNS, load.answers[sender], strict=True):
            assert any(reply.text for reply in replies), f"{sender}: no answer to {message!r}"

    # Each conversation's events complete and in order in the tracker store, each message handled once.
    events = _events(balanced_stack.database_url, senders)
    for sender in senders:
        conversation = events[sender]
        users = [data.get("text") for type_name, data in conversation if type_name == "user"]
        assert users == list(TURNS), f"{sender}: user messages in the tracker store {users}"
        # After each user message: at least one bot message, and the turn ends listening again.
        turns = _split_turns(conversation)
        assert len(turns) == len(TURNS)
        for message, turn in zip(TURNS, turns, strict=True):
            kinds = [type_name for type_name, _ in turn]
            assert "bot" in kinds, f"{sender}: no bot message stored after {message!r}: {kinds}"
            assert turn[-1][0] == "action" and turn[-1][1].get("name") == "action_listen", (sender, kinds)
        # Nothing answered twice: the bot messages stored for a turn are the ones the client got.
        for replies, turn in zip(load.answers[sender], turns, strict=True):
            stored = [data.get("text") for type_name, data in turn if type_name == "bot"]
            assert stored == [reply.text for reply in replies], (sender, stored, replies)


def _replays(log: Path) -> int:
    """Requests HAProxy sent to another server (``retries=+N`` in the log format of the template)."""
    return sum(1 for line in log.read_text(errors="replace").splitlines() if "retries=+" in line)


def _split_turns(conversation: list[tuple[str, dict[str, object]]]) -> list[list[tuple[str, dict[str, object]]]]:
    """The events from each user message up to (not including) the next one."""
    turns: list[list[tuple[str, dict[str, object]]]] = []
    for event in conversation:
        if event[0] == "user":
            turns.append([])
        if turns:
            turns[-1].append(event)
    return turns
