"""The reminder commands of the Telegram gateway: ``/stop``, ``/startreminders``, ``/calendar``, and
what ``/start`` says about reminders.

- ``/stop`` (and ``/stopreminders``, the older name) turns the linked trainer's reminders off;
  ``/startreminders`` turns them on. The gateway changes the setting in the store itself
  (:mod:`bot.reminders.switch`), so the opt-out works while a person handles the conversation
  (Rasa paused) or Rasa is down, and replies with the words the assistant uses for "stop the
  reminders". A handoff is never ended by it: the reply says the ticket stays open.
- ``/calendar`` stands for the intent ``add_to_calendar`` and reaches Rasa through the relay with
  the chat's signed identity (``Relay.on_intent_command``), like "add my deadlines to my calendar".
- ``/start`` never changes the setting (Telegram sends it when a user first opens the bot, and
  again when they unblock it): after the gateway's welcome or link confirmation, a linked trainer
  is told whether reminders are on and how to change that.

Installed by ``bot.channels.telegram.app.build_application``; conversation restarts are ``/restart``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.channels.telegram import handlers
from bot.channels.telegram import words as gateway_words
from bot.channels.telegram.context import Context, GatewayApplication
from bot.reminders import words
from bot.reminders.switch import ReminderSwitch, Switched
from rules.policy import load_policy

COMMAND_INTENTS = {"calendar": "add_to_calendar"}
SWITCH_COMMANDS = {"stop": False, "stopreminders": False, "startreminders": True}
AFTER_START_GROUP = 1  # after the relay's /start handler (group 0) has welcomed or linked


def switched_text(result: Switched) -> str:
    """The confirmation of a /stop or /startreminders."""
    if result.trainer_id is None:
        text = f"{words.NOT_LINKED_REMINDERS}\n\n{gateway_words.HOW_TO_LINK}"
    elif result.now:
        text = result.started or words.started_text(load_policy())
    else:
        text = words.STOPPED if result.before else words.ALREADY_STOPPED
    if result.ticket_id is not None:
        text += " " + words.during_handoff(result.ticket_id)
    return text


def _intent_handler(intent: str) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    async def on_command(update: Update, context: Context) -> None:
        incoming = handlers.incoming_from(update)
        if incoming is not None:
            await handlers._relay(context).on_intent_command(incoming, intent, handlers._outbox(context))

    return on_command


def _switch_handler(switch: ReminderSwitch, enabled: bool) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    async def on_command(update: Update, context: Context) -> None:
        incoming = handlers.incoming_from(update)
        if incoming is None:
            return
        outbox = handlers._outbox(context)
        if not incoming.private or incoming.user_id is None:
            await outbox.send_text(incoming.chat_id, gateway_words.GROUP_NO_LINKING, reply_to=incoming.message_id)
            return
        result = await switch.turn(incoming.user_id, enabled)
        await outbox.send_text(incoming.chat_id, switched_text(result))

    return on_command


def _after_start(switch: ReminderSwitch) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    async def on_start(update: Update, context: Context) -> None:
        incoming = handlers.incoming_from(update)
        if incoming is None or not incoming.private or incoming.user_id is None:
            return
        state = await switch.state(incoming.user_id)
        if state.trainer_id is not None and state.now is not None:  # linked (before, or by this /start)
            text = state.started or words.state_text(state.now, load_policy())
            await handlers._outbox(context).send_text(incoming.chat_id, text)

    return on_start


def install(application: GatewayApplication, switch: ReminderSwitch | None) -> None:
    """Add the commands; without a ``switch`` (a gateway with no record store) only ``/calendar``."""
    for command, intent in COMMAND_INTENTS.items():
        application.add_handler(CommandHandler(command, _intent_handler(intent)))
    if switch is None:
        return
    for command, enabled in SWITCH_COMMANDS.items():
        application.add_handler(CommandHandler(command, _switch_handler(switch, enabled)))
    application.add_handler(
        CommandHandler("start", _after_start(switch), filters=filters.ChatType.PRIVATE), AFTER_START_GROUP
    )
