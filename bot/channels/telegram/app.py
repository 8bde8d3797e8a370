"""``build_application(settings, deps)``: the gateway's python-telegram-bot application.

In polling mode, updates of one chat are handled one after another, in order; different chats
run concurrently, so one slow conversation never blocks the others (:class:`PerChatOrder`).
Webhook mode orders them through the record store instead, across gateway instances
(:mod:`bot.channels.telegram.inbox`); :mod:`bot.channels.telegram.server` runs either mode.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from bot.composition import UowFactory

logger = logging.getLogger(__name__)

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
    uow_factory: UowFactory | None = None  # the record store (webhook inbox, health route)
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
        uow_factory=uow,
        staff=staff.default_staff_deps(settings, rasa, uow),
        reminders=ReminderSwitch(uow, frozen_today=settings.today),
    )


def build_application(settings: Settings, deps: GatewayDeps) -> GatewayApplication:
    if not settings.telegram_bot_token:
        raise ConfigError("TELEGRAM_BOT_TOKEN is not set")
    buttons = deps.buttons or MemoryButtons()

    async def post_init(application: GatewayApplication) -> None:
        await application.bot.set_my_commands([BotCommand(name, text) for name, text in words.COMMANDS])
        logger.info("gateway started as @%s", application.bot.username)

    async def post_shutdown(application: GatewayApplication) -> None:
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
