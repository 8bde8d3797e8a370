"""``recert link-code TRAINER_ID`` and ``recert unlink``: the staff/portal side of account linking."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from typing import Any

import httpx

from bot.composition import build
from bot.errors import BotError
from bot.linking import service
from bot.settings import Settings


def register(subparsers: Any) -> None:
    link = subparsers.add_parser(
        "link-code",
        help="issue a single-use code that links a Telegram account to a trainer",
        description=(
            "Issue a single-use link code for TRAINER_ID (valid 15 minutes) and print the "
            "Telegram deep link https://t.me/<bot>?start=<code>. The bot's username comes from "
            "--bot-username or from Telegram's getMe with TELEGRAM_BOT_TOKEN."
        ),
    )
    link.add_argument("trainer_id", metavar="TRAINER_ID")
    link.add_argument("--bot-username", help="the bot's Telegram username (without @)")
    link.set_defaults(handler=cmd_link_code)

    unlink = subparsers.add_parser(
        "unlink", help="remove the link of a channel account (e.g. telegram 123456789)"
    )
    unlink.add_argument("channel", choices=["telegram", "terminal"])
    unlink.add_argument("user_id")
    unlink.set_defaults(handler=cmd_unlink)


def bot_username(settings: Settings) -> str | None:
    """The bot's username from Telegram's ``getMe``; None without a token or an answer."""
    if not settings.telegram_bot_token:
        return None
    url = f"{settings.telegram_api_base_url}{settings.telegram_bot_token}/getMe"
    try:
        response = httpx.get(url, timeout=10.0)
        result = response.json().get("result") or {}
    except (httpx.HTTPError, ValueError, AttributeError):
        return None
    username = result.get("username") if isinstance(result, dict) else None
    return str(username) if username else None


def cmd_link_code(args: argparse.Namespace, settings: Settings) -> int:
    issued = service.issue_code(build(settings)(), args.trainer_id, datetime.now(timezone.utc))
    username = (args.bot_username or "").lstrip("@") or bot_username(settings)
    expires = issued.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    print(f"Link code for {issued.trainer_id} (single use, valid until {expires}):")
    print(f"  {issued.code}")
    if username:
        print(f"Deep link: https://t.me/{username}?start={issued.code}")
    else:
        print(f"Send the bot: /start {issued.code}")
        print("(no deep link: pass --bot-username or set TELEGRAM_BOT_TOKEN)")
    return 0


def cmd_unlink(args: argparse.Namespace, settings: Settings) -> int:
    if not service.unlink(build(settings)(), args.channel, args.user_id):
        raise BotError(f"{args.channel} account {args.user_id} is not linked")
    print(f"Unlinked {args.channel} account {args.user_id}.")
    return 0
