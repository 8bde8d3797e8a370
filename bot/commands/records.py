"""``recert import``, ``recert check`` and ``recert demo``: the trainer records on the command line.

Each handler gets its units of work from the composition root (``bot.composition.build``, which
applies pending migrations once per process), runs one use case in a unit of work, and prints the
result. Errors of the ``BotError`` tree reach
``bot.cli.main``, which prints them as one line and exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.clock import today_in
from bot.composition import build
from bot.errors import UnknownTrainer
from bot.importing.service import import_file
from bot.settings import PROJECT_ROOT, Settings
from bot.store.unit_of_work import UnitOfWork
from rules.engine import assess_trainer
from rules.model import Assessment, TrainerRecord
from rules.serialize import assessment_to_dict, format_assessment

DEMO_CATALOG = PROJECT_ROOT / "data" / "catalog" / "sample-catalog.yml"
DEMO_TRAINERS = PROJECT_ROOT / "bot" / "demo" / "demo-trainers.yml"
DEMO_DATE = "2026-11-30"

def register(subparsers: Any) -> None:
    importer = subparsers.add_parser(
        "import",
        help="load records from a YAML or JSON file (all or nothing)",
        description="Load courses, providers and trainer records from YAML or JSON. One bad "
        "record rejects the whole file, naming the record and field; nothing is written. "
        "Importing the same file again changes nothing.",
    )
    importer.add_argument("file", type=Path, metavar="FILE")
    importer.set_defaults(handler=run_import)

    check = subparsers.add_parser(
        "check",
        help="assess a trainer's credentials",
        description="The renewal assessment for each of the trainer's credentials, on today's "
        "date in the trainer's time zone (or --today / RECERT_TODAY).",
    )
    check.add_argument("trainer_id", metavar="TRAINER_ID")
    check.add_argument("--today", metavar="DATE", help="assess as of this ISO date (YYYY-MM-DD)")
    check.add_argument("--json", action="store_true", help="print the assessment as JSON")
    check.set_defaults(handler=run_check)

    demo = subparsers.add_parser(
        "demo",
        help="load the sample catalog and the demo trainers",
        description=f"Import {DEMO_CATALOG.relative_to(PROJECT_ROOT)} and "
        f"{DEMO_TRAINERS.relative_to(PROJECT_ROOT)} (see bot/demo/README.md).",
    )
    demo.set_defaults(handler=run_demo)


# --- import ----------------------------------------------------------------------------------


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    report = import_file(args.file, build(settings))
    print(report.summary())
    return 0


def run_demo(args: argparse.Namespace, settings: Settings) -> int:
    factory = build(settings)
    for path in (DEMO_CATALOG, DEMO_TRAINERS):
        print(import_file(path, factory).summary())
    print(f"Try: RECERT_TODAY={DEMO_DATE} recert check T-1001   (bot/demo/README.md lists them all)")
    return 0


# --- check -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainerCheck:
    record: TrainerRecord
    today: date
    assessments: list[Assessment]


def check_trainer(trainer_id: str, uow: UnitOfWork, frozen_today: date | None) -> TrainerCheck:
    """The use case behind ``recert check``: load the record, find the trainer's today, assess."""
    with uow:
        record = uow.trainers.get_record(trainer_id)
    if record is None:
        raise UnknownTrainer(
            f"no trainer with id {trainer_id!r} in the store (load records with `recert import FILE`)"
        )
    today = today_in(record.timezone, frozen_today)
    return TrainerCheck(record, today, assess_trainer(record, today))


def check_to_dict(check: TrainerCheck) -> dict[str, Any]:
    return {
        "trainer_id": check.record.trainer_id,
        "name": check.record.name,
        "today": check.today.isoformat(),
        "timezone": check.record.timezone,
        "credentials": [assessment_to_dict(a) for a in check.assessments],
    }


def format_check(check: TrainerCheck) -> str:
    record = check.record
    lines = [
        f"{record.trainer_id} {record.name or ''}".rstrip()
        + f" - {check.today.isoformat()} ({record.timezone})"
    ]
    if not check.assessments:
        lines.append("No credentials on record.")
    for assessment in check.assessments:
        lines.append("")
        lines.append(format_assessment(assessment))
    return "\n".join(lines)


def _parse_today(raw: str | None) -> tuple[date | None, str | None]:
    if raw is None:
        return None, None
    try:
        return date.fromisoformat(raw.strip()), None
    except ValueError:
        return None, f"recert check: --today must be an ISO date (YYYY-MM-DD), got {raw!r}"


def run_check(args: argparse.Namespace, settings: Settings) -> int:
    today, problem = _parse_today(args.today)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    factory = build(settings)
    check = check_trainer(args.trainer_id, factory(), today or settings.today)
    if args.json:
        print(json.dumps(check_to_dict(check), indent=2, ensure_ascii=False))
    else:
        print(format_check(check))
    return 0
