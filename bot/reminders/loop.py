"""``python -m bot.reminders.loop``: a reminder pass every ``RECERT_REMINDER_INTERVAL`` seconds.

``recert up`` starts this worker beside the gateway when ``TELEGRAM_BOT_TOKEN`` is set and the
interval is not 0; its first pass comes one interval after it starts. Each pass is the one
``recert remind`` runs; a pass that fails (Rasa or the database down) is logged and the next one
comes on time. Stopping the worker mid-pass (SIGTERM) loses nothing: a delivery it had claimed is
taken over by a later pass (docs/reminders.md).
Several workers may run at once against one PostgreSQL store. Its readiness is a heartbeat
(:mod:`bot.reminders.heartbeat`), not a file touched once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from bot import logs
from bot.errors import BotError
from bot.reminders import heartbeat
from bot.settings import Settings, load_settings, require_production_secrets

logger = logging.getLogger(__name__)



async def one_pass(settings: Settings) -> None:
    from bot import composition
    from bot.channels.rasa_client import RasaClient
    from bot.reminders.service import run_pass
    from bot.reminders.telegram import TelegramNotifier

    started = time.monotonic()
    uow = composition.build(settings)
    async with RasaClient(settings.rasa_url, settings.rasa_token) as rasa:
        async with TelegramNotifier.from_settings(settings, uow) as notifier:
            report = await run_pass(
                uow, datetime.now(timezone.utc), rasa=rasa, notifier=notifier, frozen_today=settings.today
            )
    # counts only: never a message text or a personal record at INFO
    logger.info(
        "reminder pass: %s", report.summary(),
        extra=logs.fields(latency_ms=(time.monotonic() - started) * 1000, outcome="ok"),
    )


class LastPass:
    """When the last pass ended and whether it worked (the heartbeat reports it)."""

    at: float | None = None
    ok: bool | None = None


async def run_loop(settings: Settings, last: LastPass | None = None) -> None:
    last = last or LastPass()
    interval = settings.reminder_interval
    logger.info("reminder passes every %d s", interval)
    while True:
        # the first pass one interval after start: a restart never brings passes closer
        # together, and `recert remind` runs one at once when wanted
        await asyncio.sleep(interval)
        try:
            await one_pass(settings)
            last.ok = True
        except asyncio.CancelledError:
            raise
        except Exception:
            last.ok = False
            logger.exception(
                "reminder pass failed; the next one runs in %d s", interval, extra=logs.fields(outcome="failed")
            )
        last.at = time.time()


def store_answers(settings: Settings) -> bool:
    """The record store answers a query (for the heartbeat)."""
    from bot import composition

    try:
        with composition.build(settings)() as uow:
            return uow.telegram_updates.ping()
    except Exception:
        return False


async def beat_until_cancelled(
    path: Path, loop_task: asyncio.Task[None], last: LastPass, store: Callable[[], bool],
    every: float = heartbeat.BEAT_SECONDS,
) -> None:
    """Write a heartbeat every ``every`` seconds while the loop runs; remove it on the way out."""
    try:
        while True:
            store_ok = await asyncio.to_thread(store)
            heartbeat.write(path, heartbeat.Beat(
                pid=os.getpid(), at=time.time(), store=store_ok, loop=not loop_task.done(),
                last_pass_at=last.at, last_pass_ok=last.ok,
            ))
            await asyncio.sleep(every)
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def main() -> int:
    settings = load_settings()
    logs.configure(logs.part_name("reminders", settings), settings)  # JSON lines, rotated, no secrets
    try:
        require_production_secrets(settings)
        if not settings.telegram_bot_token or settings.reminder_interval <= 0:
            print("reminders: TELEGRAM_BOT_TOKEN unset or RECERT_REMINDER_INTERVAL=0; nothing to do", file=sys.stderr)
            return 0
        beat_file = settings.var_dir / "run" / heartbeat.FILE_NAME

        async def run() -> None:
            last = LastPass()
            task = asyncio.create_task(run_loop(settings, last))
            beats = asyncio.create_task(beat_until_cancelled(beat_file, task, last, lambda: store_answers(settings)))
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, task.cancel)
            try:
                await task
            except asyncio.CancelledError:
                pass
            finally:
                beats.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await beats

        asyncio.run(run())
    except BotError as exc:
        print(f"reminders: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
