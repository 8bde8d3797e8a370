"""``recert up`` / ``down`` / ``status`` / ``chat``: the local stack and a terminal to it."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.channels.rasa_client import RasaAuthError, RasaClient, RasaUnavailable
from bot.channels.terminal import TerminalChat, terminal_sender
from bot.errors import BotError, UnknownTrainer
from bot.identity import IDENTITY_KEY, sign_identity
from bot.settings import Settings


class StackNotRunning(BotError):
    """The assistant does not answer."""


def register(subparsers: Any) -> None:
    up_parser = subparsers.add_parser(
        "up",
        help="start the assistant in the background (action server, Rasa, Telegram gateway)",
        description=(
            "Apply migrations, train the model when missing or stale, start the action server, "
            "the Rasa server and (with TELEGRAM_BOT_TOKEN) the Telegram gateway, and wait until "
            "each answers. Logs in var/log/, pid files in var/run/."
        ),
    )
    up_parser.add_argument(
        "--timeout", type=float, default=120.0, metavar="SECONDS",
        help="how long each part may take to answer (default 120)",
    )
    up_parser.add_argument(
        "--model", type=Path, metavar="FILE",
        help="serve this trained model instead of the one for the current inputs (no training)",
    )
    up_parser.set_defaults(handler=cmd_up)
    train = subparsers.add_parser(
        "train",
        help="rebuild the spaCy pipeline from the store's catalog; train the model if stale",
        description=(
            "Rebuild the spaCy pipeline from the record store's course catalog, train the Rasa "
            "model when the one for the current inputs is missing, and print its path."
        ),
    )
    train.set_defaults(handler=cmd_train)
    subparsers.add_parser("down", help="stop the assistant").set_defaults(handler=cmd_down)
    status_parser = subparsers.add_parser(
        "status", help="show each part of the assistant: pid, port, up/down (exit 3 if not all up)"
    )
    status_parser.add_argument(
        "--json", action="store_true",
        help="a JSON list, one object per process: name, pid, port, state, note",
    )
    status_parser.set_defaults(handler=cmd_status)
    balancer_parser = subparsers.add_parser(
        "balancer-config",
        help="print the HAProxy configuration for Rasa servers on other hosts (deploy/)",
        description=(
            "Render deploy/haproxy/haproxy.cfg.j2, the template `recert up` uses for the local "
            "instances, for a balancer host: listen on --bind, balance over each --server. "
            "HAProxy reads RECERT_RASA_TOKEN from its environment for the health checks."
        ),
    )
    balancer_parser.add_argument(
        "--bind", default="0.0.0.0:5005", metavar="HOST:PORT", help="where HAProxy listens (default 0.0.0.0:5005)"
    )
    balancer_parser.add_argument(
        "--server", action="append", required=True, metavar="NAME=HOST:PORT",
        help="a Rasa server, e.g. rasa-a=10.0.0.11:5005 (repeat for each)",
    )
    balancer_parser.add_argument("--user", metavar="NAME", help="the user HAProxy drops to (Debian: haproxy)")
    balancer_parser.set_defaults(handler=cmd_balancer_config)
    runtime_parser = subparsers.add_parser(
        "runtime-config",
        help="write the endpoints.yml and credentials.yml a Rasa server is started with (deploy/)",
        description=(
            "Write Rasa's endpoints (tracker store, lock store, action server) and credentials from "
            "the settings, as `recert up` does into var/run/; the systemd unit rasa@.service runs it "
            "before each start. endpoints.yml may hold passwords: it is written readable by the owner only."
        ),
    )
    runtime_parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="the directory to write into")
    runtime_parser.set_defaults(handler=cmd_runtime_config)
    subparsers.add_parser(
        "migrate", help="apply the record store's migrations (recert up does it too; deploy/: recert-migrate.service)"
    ).set_defaults(handler=cmd_migrate)

    chat = subparsers.add_parser(
        "chat",
        help="chat with the running assistant from this terminal",
        description=(
            "Chat with the running assistant (start it with `recert up`). With --as the local "
            "operator acts as that trainer. When stdin is not a terminal, each line is one "
            "message; the replies are printed and the command exits at end of input. Each run starts "
            "a new conversation session (slots and misunderstandings of an earlier run are not carried "
            "over) unless --resume is given."
        ),
    )
    chat.add_argument("--as", dest="trainer_id", metavar="TRAINER_ID", help="act as this trainer")
    chat.add_argument(
        "--resume", action="store_true", help="continue the previous conversation of this sender instead"
    )
    chat.set_defaults(handler=cmd_chat)


def cmd_up(args: argparse.Namespace, settings: Settings) -> int:
    from bot.stack import supervisor

    return supervisor.up(
        settings, supervisor.Paths.for_settings(settings), timeout=args.timeout, model=args.model
    )


def cmd_train(args: argparse.Namespace, settings: Settings) -> int:
    from bot.stack import supervisor
    from bot.stack.model import ensure_model

    paths = supervisor.Paths.for_settings(settings)
    supervisor.migrate_store(settings)
    log = paths.log_dir / "train.log"
    print(f"Building the spaCy pipeline and, if needed, training (log: {log})...", file=sys.stderr)
    model, _ = ensure_model(paths.root, log, supervisor.child_env(settings))
    print(model)
    return 0


def cmd_down(args: argparse.Namespace, settings: Settings) -> int:
    from bot.stack import supervisor

    return supervisor.down(settings, supervisor.Paths.for_settings(settings))


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from bot.stack import supervisor

    parts = supervisor.status(settings, supervisor.Paths.for_settings(settings))
    if getattr(args, "json", False):
        print(json.dumps([part.as_json() for part in parts], indent=2))
    else:
        print(supervisor.format_status(parts))
    return 0 if all(part.state in ("up", "disabled") for part in parts) else 3


def cmd_balancer_config(args: argparse.Namespace, settings: Settings) -> int:
    from bot.stack import balancer

    servers = []
    for spec in args.server:
        name, sep, address = spec.partition("=")
        if not sep or not name or ":" not in address:
            raise BotError(f"--server takes NAME=HOST:PORT, got {spec!r}")
        servers.append(balancer.Server(name, address))
    sys.stdout.write(balancer.render(args.bind, servers, run_as=args.user))
    return 0


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from bot.stack import supervisor

    supervisor.migrate_store(settings)
    print("The record store is up to date.")
    return 0


def cmd_runtime_config(args: argparse.Namespace, settings: Settings) -> int:
    from bot.stack.runtime_config import write_runtime_config

    for path in write_runtime_config(settings, args.out):
        print(path)
    return 0


def _trainer_exists(settings: Settings, trainer_id: str) -> bool:
    from bot.composition import build
    from bot.linking.service import trainer_exists  # the store is only needed with --as

    return trainer_exists(build(settings)(), trainer_id)


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    trainer_id: str | None = args.trainer_id
    if trainer_id is not None and not _trainer_exists(settings, trainer_id):
        raise UnknownTrainer(f"no trainer with id {trainer_id!r} in the record store")
    return asyncio.run(_chat(settings, trainer_id, resume=bool(getattr(args, "resume", False))))


async def _chat(settings: Settings, trainer_id: str | None, *, resume: bool = False) -> int:
    sender = terminal_sender(trainer_id)

    def metadata() -> dict[str, Any] | None:
        if trainer_id is None:
            return None
        return {IDENTITY_KEY: sign_identity(trainer_id, sender, settings.identity_secret)}

    interactive = sys.stdin.isatty()
    async with RasaClient(settings.rasa_url, settings.rasa_token) as client:
        try:
            await client.status()
        except RasaAuthError as exc:
            raise StackNotRunning(
                f"the assistant at {settings.rasa_url} refused the token; "
                "is RECERT_RASA_TOKEN the one it was started with?"
            ) from exc
        except RasaUnavailable as exc:
            raise StackNotRunning(
                f"the assistant is not running (no answer at {settings.rasa_url}); "
                "start it with `recert up`"
            ) from exc
        if interactive:
            who = f"as trainer {trainer_id}" if trainer_id else "not linked"
            print(f"Chatting {who}. /quit or Ctrl-D to leave.")
        chat = TerminalChat(client, sender, metadata, sys.stdout, new_session=not resume)
        try:
            return await chat.run(_line_reader(interactive), prompt=interactive)
        except RasaUnavailable as exc:
            raise StackNotRunning(f"the assistant stopped answering: {exc}") from exc


def _line_reader(interactive: bool) -> Callable[[], str | None]:
    def read() -> str | None:
        if interactive:
            try:
                return input()
            except EOFError:
                return None
        line = sys.stdin.readline()
        return line if line else None

    return read
