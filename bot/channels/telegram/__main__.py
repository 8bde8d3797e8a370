"""``python -m bot.channels.telegram [--webhook-url URL --secret-token-file FILE]``: run the gateway.

Long polling by default. Webhook mode (production) registers ``--webhook-url``
with Telegram and accepts only requests carrying the secret token read from
``--secret-token-file`` (kept out of the command line and the process list).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot import logs
from bot.channels.telegram.app import (
    WebhookOptions,
    build_application,
    default_deps,
    run_polling,
    serve_webhook,
)
from bot.errors import BotError
from bot.settings import load_settings, require_production_secrets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.channels.telegram")
    parser.add_argument("--webhook-url", help="public HTTPS URL for webhook mode (default: long polling)")
    parser.add_argument("--secret-token-file", type=Path, help="file holding the webhook secret token")
    parser.add_argument("--listen", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8443)
    parser.add_argument("--path", default="/telegram")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        # JSON lines in var/log/gateway.jsonl, rotated; secrets and raw senders never reach them
        logs.configure(logs.part_name("gateway", settings), settings,
                       level=logging.DEBUG if args.verbose else logging.INFO)
        require_production_secrets(settings)
        application = build_application(settings, default_deps(settings))
        if args.webhook_url:
            if args.secret_token_file is None:
                parser.error("--webhook-url needs --secret-token-file")
            secret = args.secret_token_file.read_text().strip()
            options = WebhookOptions(args.webhook_url, secret, args.listen, args.port, args.path)
            asyncio.run(serve_webhook(application, options))
        else:
            run_polling(application)
    except BotError as exc:
        print(f"telegram gateway: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
