"""The gateway's python-telegram-bot types: what ``bot_data`` holds and the ``Context`` every handler takes.

    async def on_x(update: Update, context: Context) -> None:
        await context.bot_data.relay.on_text(...)

``build_application`` builds the application with :data:`CONTEXT_TYPES`, so PTB makes one
:class:`BotData` and every callback's context is a :data:`Context`; it then sets the dependencies.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

from bot.channels.telegram.buttons import ButtonStore
from bot.channels.telegram.relay import Relay


class BotData:
    """The handlers' dependencies, set once by ``build_application`` before any update arrives."""

    relay: Relay
    buttons: ButtonStore


UserData: TypeAlias = dict[Any, Any]
ChatData: TypeAlias = dict[Any, Any]
Context: TypeAlias = CallbackContext[ExtBot[None], UserData, ChatData, BotData]
# The gateway uses no job queue, but PTB makes its default one (Rasa's APScheduler satisfies it), typed
# by ApplicationBuilder with the default context whatever ``context_types`` says.
GatewayApplication: TypeAlias = Application[
    ExtBot[None], Context, UserData, ChatData, BotData,
    JobQueue[CallbackContext[ExtBot[None], UserData, ChatData, dict[Any, Any]]],
]

CONTEXT_TYPES: ContextTypes[Context, UserData, ChatData, BotData] = ContextTypes(
    context=CallbackContext, bot_data=BotData
)
