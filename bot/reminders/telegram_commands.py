"""The reminder commands of the Telegram gateway: ``/stopreminders``, ``/startreminders``, ``/calendar``.

Each stands for an intent of the assistant and reaches Rasa through the gateway's relay with the
chat's signed identity (``Relay.on_intent_command``), so the command and the trainer's own words
("stop the reminders", "add my deadlines to my calendar") take the same path and get the same
confirmation. Installed by ``bot.channels.telegram.app.build_application``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler

from bot.channels.telegram import handlers
from bot.channels.telegram.context import Context, GatewayApplication

COMMAND_INTENTS = {
    "stopreminders": "stop_reminders",
    "startreminders": "start_reminders",
    "calendar": "add_to_calendar",
}


def _handler(intent: str) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    async def on_command(update: Update, context: Context) -> None:
        incoming = handlers.incoming_from(update)
        if incoming is not None:
            await handlers._relay(context).on_intent_command(incoming, intent, handlers._outbox(context))

    return on_command


def install(application: GatewayApplication) -> None:
    for command, intent in COMMAND_INTENTS.items():
        application.add_handler(CommandHandler(command, _handler(intent)))
