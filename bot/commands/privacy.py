"""``recert forget``, ``recert prune`` and ``recert config``: personal data and settings."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.composition import build, conversation_log
from bot.errors import BotError
from bot.linking import privacy
from bot.settings import Settings, development_secrets_in_use, effective_values


def register(subparsers: Any) -> None:
    forget = subparsers.add_parser(
        "forget",
        help="delete a trainer's conversations and channel links (the record stays)",
        description=(
            "Delete the conversation events Rasa keeps for every account of TRAINER_ID (Telegram, "
            "the terminal chat), the accounts' links and link codes, and the conversation text in "
            "their handoff tickets. The certification record itself (credentials, CE records, "
            "cards, applications) stays."
        ),
    )
    forget.add_argument("trainer_id", metavar="TRAINER_ID")
    forget.set_defaults(handler=cmd_forget)

    prune = subparsers.add_parser(
        "prune",
        help="delete conversation events (and issued buttons) older than DAYS days",
        description=(
            "Delete conversation events older than DAYS days from the tracker store, and the "
            "payloads of buttons issued before then. The current session of a conversation "
            "still going on is kept whole."
        ),
    )
    prune.add_argument("--older-than", dest="days", type=int, required=True, metavar="DAYS")
    prune.set_defaults(handler=cmd_prune)

    config = subparsers.add_parser(
        "config",
        help="print the effective settings (secrets masked) and where each comes from",
        description="Each setting as the commands see it: from the environment, the .env file or "
        "the default. Secrets show only their last four characters.",
    )
    config.set_defaults(handler=cmd_config)


def cmd_forget(args: argparse.Namespace, settings: Settings) -> int:
    result = privacy.forget_trainer(build(settings)(), conversation_log(settings), args.trainer_id)
    accounts = ", ".join(result.accounts) or "none"
    print(
        f"Forgot {args.trainer_id}: deleted {result.events} conversation events; "
        f"removed channel links: {accounts}. The certification record is kept."
    )
    return 0


def cmd_prune(args: argparse.Namespace, settings: Settings) -> int:
    if args.days < 1:
        raise BotError(f"--older-than must be at least 1 day, got {args.days}")
    result = privacy.prune(
        build(settings)(), conversation_log(settings), datetime.now(timezone.utc), timedelta(days=args.days)
    )
    print(
        f"Deleted {result.events} conversation events and {result.buttons} button payloads "
        f"from before {result.cutoff:%Y-%m-%d %H:%M} UTC."
    )
    return 0


def cmd_config(args: argparse.Namespace, settings: Settings) -> int:
    rows = effective_values(settings)
    width = max(len(f"{name}={value}") for name, value, _ in rows)
    for name, value, source in rows:
        print(f"{f'{name}={value}':<{width}}  ({source})")
    print(f".env file: {settings.env_file or 'none'}")
    mode = "production" if settings.production else "development"
    print(f"mode: {mode}")
    if settings.production and (dev := development_secrets_in_use(settings)):
        print(f"warning: production refuses the development default of {' and '.join(dev)}; `recert up` will stop")
    return 0
