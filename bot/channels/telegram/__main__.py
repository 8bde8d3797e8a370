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

from bot.channels.telegram.app import (
    WebhookOptions,
    build_application,
    default_deps,
    run_polling,
    serve_webhook,
)
from bot.errors import BotError
from bot.settings import load_settings, redacting_handler, require_production_secrets

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


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
        logging.basicConfig(
            level=logging.DEBUG if args.verbose else logging.INFO,
            handlers=[redacting_handler(settings, LOG_FORMAT)],  # secrets never reach the log
        )
        logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines carry the bot token
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
