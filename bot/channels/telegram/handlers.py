"""Thin python-telegram-bot handlers: read the update, call the relay, nothing more."""

from __future__ import annotations

import logging

from telegram import Update

from bot.channels.telegram.buttons import ButtonStore
from bot.channels.telegram.context import Context
from bot.channels.telegram.outbox import BotOutbox
from bot.channels.telegram.relay import Incoming, Relay

logger = logging.getLogger(__name__)


def incoming_from(update: Update) -> Incoming | None:
    chat = update.effective_chat
    if chat is None:
        return None
    user = update.effective_user
    message = update.effective_message
    return Incoming(
        chat_id=chat.id,
        chat_type=chat.type,
        user_id=user.id if user is not None and not user.is_bot else None,
        message_id=message.message_id if message is not None else None,
        update_id=update.update_id,
    )


def _relay(context: Context) -> Relay:
    return context.bot_data.relay


def _buttons(context: Context) -> ButtonStore:
    return context.bot_data.buttons


def _outbox(context: Context) -> BotOutbox:
    return BotOutbox(context.bot, _buttons(context))


async def on_text(update: Update, context: Context) -> None:
    incoming, message = incoming_from(update), update.effective_message
    if incoming is None or message is None or message.text is None:
        return
    await _relay(context).on_text(incoming, message.text, _outbox(context))


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    incoming = incoming_from(update)
    if query is None or incoming is None:
        return
    # Only a key this gateway issued to this chat gives a payload; forged data gives None.
    payload = await _buttons(context).redeem(incoming.chat_id, query.data) if isinstance(query.data, str) else None
    await _relay(context).on_button(incoming, query.id, payload, _outbox(context))


async def on_start(update: Update, context: Context) -> None:
    if (incoming := incoming_from(update)) is not None:
        code = context.args[0] if context.args else None
        await _relay(context).on_start(incoming, code, _outbox(context))


async def on_whoami(update: Update, context: Context) -> None:
    if (incoming := incoming_from(update)) is not None:
        await _relay(context).on_whoami(incoming, _outbox(context))


async def on_unlink(update: Update, context: Context) -> None:
    if (incoming := incoming_from(update)) is not None:
        await _relay(context).on_unlink(incoming, _outbox(context))


async def on_restart(update: Update, context: Context) -> None:
    if (incoming := incoming_from(update)) is not None:
        await _relay(context).on_restart(incoming, _outbox(context))


async def on_forget(update: Update, context: Context) -> None:
    if (incoming := incoming_from(update)) is not None:
        await _relay(context).on_forget(incoming, _outbox(context))


async def on_help(update: Update, context: Context) -> None:
    """/help and any command the bot does not know (never passed to Rasa as an intent)."""
    if (incoming := incoming_from(update)) is not None:
        await _relay(context).on_help(incoming, _outbox(context))


async def on_unsupported(update: Update, context: Context) -> None:
    if (incoming := incoming_from(update)) is not None:
        await _relay(context).on_unsupported(incoming, _outbox(context))


async def on_error(update: object, context: Context) -> None:
    """The one error handler: log it, tell the user, keep the gateway running."""
    logger.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await _relay(context).on_failure(update.effective_chat.id, _outbox(context))
        except Exception:  # the failure may be Telegram itself being unreachable
            logger.warning("could not tell the user about the error", exc_info=True)
