"""The periodic pass of `recert up`: every RECERT_REMINDER_INTERVAL seconds, failures logged, 0 = off."""

from __future__ import annotations

import asyncio
import os
from dataclasses import replace
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.reminders import heartbeat, loop
from bot.settings import load_settings
from bot.stack import supervisor


def test_interval_setting() -> None:
    assert load_settings({}).reminder_interval == 3600
    assert load_settings({"RECERT_REMINDER_INTERVAL": "0"}).reminder_interval == 0
    with pytest.raises(ConfigError, match="RECERT_REMINDER_INTERVAL"):
        load_settings({"RECERT_REMINDER_INTERVAL": "soon"})


def test_passes_repeat_and_survive_a_failure(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls: list[int] = []

    async def one_pass(settings: object) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database down")

    monkeypatch.setattr(loop, "one_pass", one_pass)
    settings = replace(load_settings({}), reminder_interval=0)  # the loop itself sleeps 0 s here
    last = loop.LastPass()

    async def run() -> None:
        task = asyncio.create_task(loop.run_loop(settings, last))
        while len(calls) < 3:
            await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(run())
    assert last.ok is True and last.at is not None


def test_the_heartbeat_says_ready_only_while_fresh_with_the_store_and_the_loop(tmp_path: Path) -> None:
    path = tmp_path / "run" / heartbeat.FILE_NAME
    assert heartbeat.read(path) == (False, "no heartbeat yet")
    heartbeat.write(path, heartbeat.Beat(pid=123, at=1000.0, store=True, loop=True))
    assert heartbeat.read(path, pid=123, now=1001.0) == (True, "")
    assert heartbeat.read(path, pid=999, now=1001.0) == (False, "no heartbeat yet")  # an earlier worker's
    assert heartbeat.read(path, pid=123, now=1000.0 + heartbeat.STALE_SECONDS + 5) == (False, "no heartbeat for 20 s")
    heartbeat.write(path, heartbeat.Beat(pid=123, at=1000.0, store=False, loop=True))
    assert heartbeat.read(path, pid=123, now=1001.0) == (False, "the record store does not answer")
    heartbeat.write(path, heartbeat.Beat(pid=123, at=1000.0, store=True, loop=False))
    assert heartbeat.read(path, pid=123, now=1001.0) == (False, "the pass loop stopped")
    path.write_text("{half")
    assert heartbeat.read(path) == (False, "no heartbeat yet")


def test_the_worker_beats_while_its_loop_runs_and_removes_the_file_after(tmp_path: Path) -> None:
    path = tmp_path / heartbeat.FILE_NAME
    answers = iter([True, False])

    async def run() -> None:
        pass_loop = asyncio.create_task(asyncio.sleep(60))
        beats = asyncio.create_task(
            loop.beat_until_cancelled(path, pass_loop, loop.LastPass(), lambda: next(answers, False), every=0.05)
        )
        while not path.exists():
            await asyncio.sleep(0.01)
        assert heartbeat.read(path, pid=os.getpid()) == (True, "")
        await asyncio.sleep(0.08)  # the second beat: the store stopped answering
        assert heartbeat.read(path, pid=os.getpid()) == (False, "the record store does not answer")
        pass_loop.cancel()
        beats.cancel()
        with pytest.raises(asyncio.CancelledError):
            await beats

    asyncio.run(run())
    assert not path.exists()


def test_the_stack_runs_the_worker_only_with_a_token_and_an_interval(tmp_path: Path) -> None:
    base = {"RECERT_VAR_DIR": str(tmp_path)}
    paths = lambda s: supervisor.Paths.for_settings(s)  # noqa: E731
    for env, note in (
        ({}, "TELEGRAM_BOT_TOKEN not set"),
        ({"TELEGRAM_BOT_TOKEN": "1:x", "RECERT_REMINDER_INTERVAL": "0"}, "RECERT_REMINDER_INTERVAL=0"),
    ):
        settings = load_settings({**base, **env})
        [part] = [p for p in supervisor.status(settings, paths(settings)) if p.name == "reminders"]
        assert (part.state, part.note) == ("disabled", note)
    settings = load_settings({**base, "TELEGRAM_BOT_TOKEN": "1:x"})
    commands = supervisor.part_commands(settings, Path("m"), Path("e"), Path("c"))
    assert commands["reminders"][-2:] == ["-m", "bot.reminders.loop"]
    assert supervisor.child_env(settings, {})["RECERT_REMINDER_INTERVAL"] == "3600"
