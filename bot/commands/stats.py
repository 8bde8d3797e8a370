"""``recert stats [--since DATE] [--json] [--chart FILE.png]``: where the FAQ traffic goes.

Reads Rasa's tracker store (``bot.handoff.stats`` defines every figure) and the handoff tickets:
conversations, messages, containment, fallback rate, handoffs by reason, the top unrecognised
messages (what to teach the assistant next) and the top intents.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from bot.composition import build
from bot.errors import BotError
from bot.settings import Settings


def _date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date (YYYY-MM-DD): {raw!r}") from None


def register(subparsers: Any) -> None:
    stats = subparsers.add_parser(
        "stats",
        help="FAQ traffic: containment, fallback and handoff rates, what to teach next",
        description="Figures from Rasa's tracker store. A conversation is a sender with a message in "
        "the period; containment is the share never handed to a person; the fallback rate is the "
        "share of messages not understood (NLU fallback or the misunderstanding answer); handoffs "
        "are the tickets opened, by reason.",
    )
    stats.add_argument("--since", type=_date, metavar="DATE", help="from this day on (UTC), e.g. 2026-11-01")
    stats.add_argument("--json", action="store_true", help="print JSON instead of text")
    stats.add_argument(
        "--chart", type=Path, metavar="FILE.png", help="also draw messages per day with containment and handoff rates"
    )
    stats.set_defaults(handler=run_stats)


def run_stats(args: argparse.Namespace, settings: Settings) -> int:
    from bot.handoff.stats import chart_png, format_summary, traffic_for

    result = traffic_for(settings, args.since, build(settings))
    if args.chart is not None:
        try:
            args.chart.write_bytes(chart_png(result))
        except OSError as exc:
            raise BotError(f"cannot write the chart to {args.chart}: {exc.strerror}") from None
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        print(format_summary(result))
        if args.chart is not None:
            print(f"Chart: {args.chart}")
    return 0
