"""The periodic pass of `recert up`: every RECERT_REMINDER_INTERVAL seconds, failures logged, 0 = off."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.reminders import loop
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
    ready = tmp_path / "reminders.ready"

    async def run() -> None:
        task = asyncio.create_task(loop.run_loop(settings, ready))
        while len(calls) < 3:
            await asyncio.sleep(0.01)
        assert ready.exists()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(run())
    assert not ready.exists()


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
