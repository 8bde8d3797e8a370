"""``recert remind`` (one reminder pass, cron-friendly) and ``recert reminders TRAINER_ID`` (history)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from bot.errors import ConfigError, UnknownTrainer
from bot.settings import Settings


def register(subparsers: Any) -> None:
    remind = subparsers.add_parser(
        "remind",
        help="run one reminder pass: plan the due reminders and deliver them",
        description=(
            "Plan the reminders due now for every linked trainer who has not opted out, and "
            "deliver those inside the send window (09:00-20:00 in the trainer's time zone) "
            "through the Telegram channel; the others are planned for the window's next opening "
            "and left to a later pass. Each reminder is recorded, so running it again sends "
            "nothing twice. Exit 1 when some reminders could not be delivered (tried again by the "
            "next pass)."
        ),
    )
    remind.add_argument(
        "--now", metavar="DATETIME",
        help="plan as of this ISO date-time (2026-11-30T15:00:00+00:00; without an offset: UTC)",
    )
    remind.add_argument("--dry-run", action="store_true", help="plan with the same words; send and record nothing")
    remind.add_argument(
        "--json", action="store_true",
        help="print the plan as a JSON list of {trainer_id, program, milestone, send_at, text, ...}",
    )
    remind.set_defaults(handler=run_remind)

    history = subparsers.add_parser(
        "reminders",
        help="a trainer's reminder setting and the reminders sent to them",
        description="Whether the trainer gets reminders, and every reminder delivery on record.",
    )
    history.add_argument("trainer_id", metavar="TRAINER_ID")
    history.set_defaults(handler=run_history)


def parse_now(raw: str | None) -> datetime | None:
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ConfigError(f"--now must be an ISO date-time such as 2026-11-30T15:00:00+00:00, got {raw!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _uow_factory(settings: Settings) -> Callable[[], Any]:
    from bot import composition

    return composition.build(settings)


def run_remind(args: argparse.Namespace, settings: Settings) -> int:
    from bot.reminders.planner import count_trainers
    from bot.reminders.service import run_pass

    now = parse_now(args.now)
    frozen = None if now is not None else settings.today
    now = now or datetime.now(timezone.utc)
    if not args.dry_run and not settings.telegram_bot_token:
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is not set, so no reminder can be delivered; "
            "`recert remind --dry-run` shows the plan"
        )
    uow_factory = _uow_factory(settings)
    bar = None
    if sys.stderr.isatty():  # a bar with the elapsed time and rate; cron and pipes get the summary only
        from tqdm import tqdm

        bar = tqdm(total=count_trainers(uow_factory()), desc="Planning reminders", unit=" trainers", file=sys.stderr)

    def progress(count: int) -> None:
        if bar is not None:
            bar.update(count)

    async def run() -> Any:
        if args.dry_run:
            return await run_pass(uow_factory, now, dry_run=True, frozen_today=frozen, progress=progress)
        from bot.channels.rasa_client import RasaClient
        from bot.reminders.telegram import TelegramNotifier

        async with RasaClient(settings.rasa_url, settings.rasa_token) as rasa:
            async with TelegramNotifier.from_settings(settings, uow_factory) as notifier:
                return await run_pass(
                    uow_factory, now, rasa=rasa, notifier=notifier, frozen_today=frozen, progress=progress
                )

    try:
        report = asyncio.run(run())
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        json.dump([item.to_json() for item in report.planned], sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for item in report.planned:
            send_at = item.send_at.isoformat(timespec="seconds")
            print(f"{item.trainer_id}  {item.program}  {item.milestone:<9}  {send_at}")
            print(f"    {item.text}")
    print(report.summary(), file=sys.stderr)
    return 1 if report.failed else 0


def run_history(args: argparse.Namespace, settings: Settings) -> int:
    uow = _uow_factory(settings)()
    with uow:
        enabled = uow.reminders.enabled(args.trainer_id)
        if enabled is None:
            raise UnknownTrainer(f"no trainer with id {args.trainer_id!r} in the record store")
        accounts = uow.identities.for_trainer(args.trainer_id)
        history = uow.reminders.history(args.trainer_id)
    linked = ", ".join(f"{a.channel} {a.user_id}" for a in accounts) or "no linked account (nothing can be sent)"
    print(f"{args.trainer_id}: reminders {'on' if enabled else 'off (opted out)'}; {linked}.")
    if not history:
        print("No reminders on record.")
        return 0
    print(f"{'program':<10} {'cycle':<10} {'milestone':<10} {'due on':<10} {'state':<8} {'at (UTC)':<16} tries")
    for d in history:
        at = d.delivered_at or d.claimed_at
        note = f"  ({d.error})" if d.error else ""
        print(
            f"{d.program:<10} {d.cycle.isoformat():<10} {d.milestone:<10} {d.due_on.isoformat():<10} "
            f"{d.state:<8} {at:%Y-%m-%d %H:%M} {d.attempts:>5}{note}"
        )
    return 0



