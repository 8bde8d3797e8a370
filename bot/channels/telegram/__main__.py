"""``python -m bot.channels.telegram``: run the gateway (``recert up`` starts it this way).

Webhook mode when ``TELEGRAM_WEBHOOK_URL`` is set (the secret token read from
``TELEGRAM_WEBHOOK_SECRET_FILE``, kept out of the command line and the process list), long
polling otherwise; never both, so polling never deletes a webhook that is in use. Either way the
gateway listens on ``127.0.0.1:RECERT_GATEWAY_PORT`` for its health route (and the webhook).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot import logs
from bot.channels.rasa_client import RasaClient
from bot.channels.telegram.app import build_application, default_deps
from bot.channels.telegram.server import WebhookOptions, rasa_check, serve_polling, serve_webhook, store_check
from bot.errors import BotError
from bot.settings import load_settings, require_production_secrets, webhook_secret


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.channels.telegram",
        description="The Telegram gateway: webhook mode with TELEGRAM_WEBHOOK_URL, long polling without.",
    )
    parser.add_argument("--listen", default="127.0.0.1", help="address of the webhook and health route")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        # JSON lines in var/log/gateway.jsonl, rotated; secrets and raw senders never reach them
        logs.configure(logs.part_name("gateway", settings), settings,
                       level=logging.DEBUG if args.verbose else logging.INFO)
        require_production_secrets(settings)
        secret = webhook_secret(settings) if settings.telegram_webhook_url else None
        deps = default_deps(settings)
        application = build_application(settings, deps)
        assert deps.uow_factory is not None
        health_rasa = RasaClient(settings.rasa_url, settings.rasa_token, timeout=2.0)
        checks = {"store": store_check(deps.uow_factory), "rasa": rasa_check(health_rasa)}
        if settings.telegram_webhook_url and secret is not None:
            options = WebhookOptions(settings.telegram_webhook_url, secret, args.listen, settings.gateway_port)
            asyncio.run(serve_webhook(application, options, deps.uow_factory, checks))
        else:
            asyncio.run(serve_polling(application, checks, args.listen, settings.gateway_port))
    except BotError as exc:
        print(f"telegram gateway: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
