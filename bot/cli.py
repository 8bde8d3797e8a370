"""``recert``: the one command-line entry point.

Each group of commands lives in its own module under ``bot/commands/`` and
exposes ``register(subparsers)``; a command handler takes the parsed arguments
and the settings and returns the exit code. Errors of the ``BotError`` tree are
turned into one clear line on stderr here, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from importlib import import_module

from bot import logs
from bot.errors import BotError
from bot.settings import load_settings, redacting_handler
from rules.errors import RulesError

COMMAND_MODULES = (
    "bot.commands.records",
    "bot.commands.stack",
    "bot.commands.linking",
    "bot.commands.handoff",
    "bot.commands.privacy",
    "bot.commands.reminders",
)
LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"
STACK_COMMANDS = ("up", "down")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="recert", description="NASM-CPT renewal assistant: records, rules and chat."
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug output")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        settings = load_settings()
        logging.basicConfig(  # no secret in a log line, also with --verbose
            level=logging.DEBUG if args.verbose else logging.WARNING,
            handlers=[redacting_handler(settings, LOG_FORMAT)],
        )
        if args.command in STACK_COMMANDS:
            # what starting and stopping did, for the operator: var/log/stack.jsonl (rotated)
            logs.attach("stack", settings)
        return int(args.handler(args, settings))
    except (BotError, RulesError) as exc:
        print(f"recert: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`recert status | head -2`): what is left to print has nowhere to go.
        # Python would report the pipe again when it flushes stdout at exit, so stdout goes to devnull.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, as a shell reports a command a closed pipe stopped


if __name__ == "__main__":
    sys.exit(main())
