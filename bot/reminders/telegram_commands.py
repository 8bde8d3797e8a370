"""The reminder commands of the Telegram gateway: ``/stopreminders``, ``/startreminders``, ``/calendar``.

Each stands for an intent of the assistant and reaches Rasa through the gateway's relay with the
chat's signed identity (``Relay.on_intent_command``), so the command and the trainer's own words
("stop the reminders", "add my deadlines to my calendar") take the same path and get the same
confirmation. Installed by ``bot.channels.telegram.app.build_application``.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.channels.telegram import handlers

COMMAND_INTENTS = {
    "stopreminders": "stop_reminders",
    "startreminders": "start_reminders",
    "calendar": "add_to_calendar",
}


def _handler(intent: str):
    async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        incoming = handlers.incoming_from(update)
        if incoming is not None:
            await handlers._relay(context).on_intent_command(incoming, intent, handlers._outbox(context))

    return on_command


def install(application: Application) -> None:
    for command, intent in COMMAND_INTENTS.items():
        application.add_handler(CommandHandler(command, _handler(intent)))
