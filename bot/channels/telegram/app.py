"""``build_application(settings, deps)`` and the two ways to run it: long polling and webhook.

Updates of one chat are handled one after another, in order; different chats
run concurrently, so one slow conversation never blocks the others
(:class:`PerChatOrder`). Webhook mode runs a small aiohttp server (aiohttp comes
with Rasa; python-telegram-bot's own webhook server needs tornado, which is not
installed) that accepts an update only with Telegram's ``secret_token`` header.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from telegram import BotCommand, Update
from telegram.ext import (
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.channels.rasa_client import RasaClient
from bot.channels.telegram import handlers, staff, words
from bot.channels.telegram.buttons import ButtonStore, MemoryButtons, StoredButtons
from bot.channels.telegram.context import CONTEXT_TYPES, GatewayApplication
from bot.channels.telegram.relay import LinkDirectory, Relay
from bot.errors import ConfigError
from bot.reminders import telegram_commands as reminder_commands
from bot.reminders.switch import ReminderSwitch
from bot.settings import Settings

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
UNSUPPORTED = (
    filters.Sticker.ALL | filters.PHOTO | filters.VOICE | filters.AUDIO | filters.VIDEO
    | filters.VIDEO_NOTE | filters.ANIMATION | filters.Document.ALL | filters.LOCATION
    | filters.VENUE | filters.CONTACT | filters.POLL | filters.Dice.ALL
)
NEW_POSTS = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST


class PerChatOrder(BaseUpdateProcessor):
    """Concurrent across chats, strictly in arrival order within a chat.

    ``do_process_update`` claims its place in the chat's chain before its first
    await; the application starts the update tasks in arrival order, so the
    chain follows the order Telegram delivered the updates in.
    """

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._tails: dict[int, asyncio.Future[None]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        previous = self._tails.get(chat.id)
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[chat.id] = done
        try:
            if previous is not None:
                await asyncio.shield(previous)
            await coroutine
        finally:
            done.set_result(None)
            if self._tails.get(chat.id) is done:
                del self._tails[chat.id]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


@dataclass
class GatewayDeps:
    relay: Relay
    rasa: RasaClient | None = None  # closed on shutdown when given
    buttons: ButtonStore | None = None  # default: in memory (tests); default_deps: the store
    ready_file: Path | None = None  # touched once the bot is initialised (``recert up`` waits for it)
    staff: Any = None  # staff.StaffDeps: the staff desk and the relay delivery (issue 8)
    reminders: ReminderSwitch | None = None  # /stop, /startreminders; None: those commands are not installed


def default_deps(settings: Settings) -> GatewayDeps:
    from bot.composition import build, conversation_log

    rasa = RasaClient(settings.rasa_url, settings.rasa_token)
    uow = build(settings)
    relay = Relay(rasa, LinkDirectory(uow, conversation_log(settings)), settings.identity_secret)
    return GatewayDeps(
        relay=relay,
        rasa=rasa,
        buttons=StoredButtons(uow),
        ready_file=settings.var_dir / "run" / "gateway.ready",
        staff=staff.default_staff_deps(settings, rasa, uow),
        reminders=ReminderSwitch(uow),
    )


def build_application(settings: Settings, deps: GatewayDeps) -> GatewayApplication:
    if not settings.telegram_bot_token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
    buttons = deps.buttons or MemoryButtons()

    async def post_init(application: GatewayApplication) -> None:
        await application.bot.set_my_commands([BotCommand(name, text) for name, text in words.COMMANDS])
        logger.info("gateway ready as @%s", application.bot.username)
        if deps.ready_file is not None:
            deps.ready_file.parent.mkdir(parents=True, exist_ok=True)
            deps.ready_file.touch()

    async def post_shutdown(application: GatewayApplication) -> None:
        if deps.ready_file is not None:
            deps.ready_file.unlink(missing_ok=True)
        if deps.rasa is not None:
            await deps.rasa.aclose()

    application = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .context_types(CONTEXT_TYPES)
        .base_url(settings.telegram_api_base_url)
        .base_file_url(_file_url(settings.telegram_api_base_url))
        .concurrent_updates(PerChatOrder())
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data.relay = deps.relay
    application.bot_data.buttons = buttons
    application.add_handler(CommandHandler("start", handlers.on_start))
    application.add_handler(CommandHandler("whoami", handlers.on_whoami))
    application.add_handler(CommandHandler("unlink", handlers.on_unlink))
    application.add_handler(CommandHandler("restart", handlers.on_restart))
    application.add_handler(CommandHandler("forget", handlers.on_forget))
    application.add_handler(CommandHandler("help", handlers.on_help))
    reminder_commands.install(application, deps.reminders)  # /stop, /startreminders, /calendar; /start's note
    application.add_handler(CallbackQueryHandler(handlers.on_button))
    application.add_handler(MessageHandler(NEW_POSTS & filters.COMMAND, handlers.on_help))
    application.add_handler(MessageHandler(NEW_POSTS & filters.TEXT & ~filters.COMMAND, handlers.on_text))
    application.add_handler(MessageHandler(NEW_POSTS & UNSUPPORTED, handlers.on_unsupported))
    application.add_error_handler(handlers.on_error)
    if deps.staff is not None:
        staff.install(application, deps.staff)
    return application


def _file_url(base_url: str) -> str:
    # https://api.telegram.org/bot -> https://api.telegram.org/file/bot
    head, sep, tail = base_url.rstrip("/").rpartition("/")
    return f"{head}/file/{tail}" if sep else base_url


def run_polling(application: GatewayApplication) -> None:
    """Long polling; network errors are retried by python-telegram-bot, forever at start-up too."""
    application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)


@dataclass(frozen=True)
class WebhookOptions:
    url: str  # the public HTTPS URL Telegram posts to
    secret_token: str  # 1-256 characters of A-Z a-z 0-9 _ -
    listen: str = "127.0.0.1"
    port: int = 8443
    path: str = "/telegram"


def webhook_app(application: GatewayApplication, secret_token: str, path: str) -> web.Application:
    """An aiohttp app that queues Telegram's updates, refusing requests without the secret.

    403 without the secret, 400 for a body that is not one Telegram update (never a 500 or a
    traceback, whatever the body), 413 over 1 MiB; only a well-formed update is queued.
    """
    expected = secret_token.encode("utf-8")

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, expected):
            return web.Response(status=403)
        try:
            data = json.loads(await request.read())
        except ValueError:  # not JSON, or not UTF-8
            return web.Response(status=400)
        update = update_from_json(data, application.bot)
        if update is None:
            return web.Response(status=400)
        await application.update_queue.put(update)
        return web.Response(status=200)

    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post(path, receive)
    return app


def update_from_json(data: Any, bot: Any) -> Update | None:
    """The update in a decoded webhook body; None for anything else."""
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:
        return None
    try:
        return Update.de_json(data, bot)
    except Exception:  # python-telegram-bot raises whatever a malformed field leads to
        logger.info("refused a malformed update")
        return None


async def serve_webhook(application: GatewayApplication, options: WebhookOptions) -> None:
    """Run the application behind a webhook until cancelled."""
    if not (1 <= len(options.secret_token) <= 256):
        raise ConfigError("the webhook secret token must be 1-256 characters")
    runner = web.AppRunner(webhook_app(application, options.secret_token, options.path))
    async with application:
        await application.start()
        await application.bot.set_webhook(
            options.url, secret_token=options.secret_token, allowed_updates=Update.ALL_TYPES
        )
        await runner.setup()
        await web.TCPSite(runner, options.listen, options.port).start()
        logger.info("webhook listening on %s:%s%s", options.listen, options.port, options.path)
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()
            await application.stop()
