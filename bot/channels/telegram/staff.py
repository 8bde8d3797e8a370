"""The staff desk in Telegram: a group (``STAFF_CHAT_ID``) where tickets arrive and staff answer.

Handlers run in their own group (:data:`GROUP`, before the trainer relay's) and stop the update
there when they took it:

- in the staff chat: a reply to a ticket's message goes to its trainer; ``/resolve`` (as a reply,
  or ``/resolve N``) resumes the assistant, closes the ticket and tells the trainer; ``/ask
  QUESTION`` shows what the assistant would answer; ``/tickets`` lists the open ones; ``/stats``
  the FAQ traffic. Anything else said there stays between staff (never reaches the assistant).
- the same commands anywhere else are ignored;
- a private chat with an open ticket: the trainer's text goes to the ticket's thread (and into
  the conversation log, where Rasa, paused, answers nothing); a button pressed meanwhile is
  answered with where their messages go, and ``/restart`` is refused (Rasa's restart would lift
  the pause while the ticket is open).

Everything goes out as plain text (no ``parse_mode``), link previews off: a transcript holding
``<b>``, ``*`` or a link is shown as typed. Messages between staff and trainer go through the
relay queue in the store (``bot.handoff.delivery``), delivered by a loop this module starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram import Bot, LinkPreviewOptions, Message, ReplyParameters, Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.channels.rasa_client import RasaError
from bot.channels.telegram.context import Context, GatewayApplication
from bot.channels.telegram.outbox import split_text
from bot.channels.telegram.relay import CHANNEL, RasaLike
from bot.errors import BotError
from bot.handoff.delivery import run_delivery_loop
from bot.handoff.desk import StaffDesk
from bot.handoff.errors import HandoffError, NotATicketMessage

if TYPE_CHECKING:
    from bot.composition import UowFactory

logger = logging.getLogger(__name__)

GROUP = -1  # before the trainer relay's handlers (group 0)
STAFF_COMMANDS = ("resolve", "ask", "tickets", "stats")
_STAFF_COMMAND = re.compile(rf"^/({'|'.join(STAFF_COMMANDS)})(@\w+)?(\s|$)", re.IGNORECASE)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)

HOW_TO_ANSWER = (
    "Reply to a ticket's message (or to a trainer's message in its thread) to answer the trainer; "
    "/resolve as such a reply closes the ticket."
)
BUSY_WITH_STAFF = (
    "A person from our support staff is handling this conversation: type your message and they "
    "will see it."
)
NO_RESTART_DURING_HANDOFF = (
    "A person from our support staff is handling this conversation (ticket #{ticket}), so I can't start "
    "it over now. Type your message and they will see it; once they close the ticket I answer again."
)

Stats = Callable[[], Awaitable[tuple[str, bytes | None]]]  # summary text, PNG chart (or None)


class TelegramNotifier:
    """:class:`bot.handoff.delivery.Notifier` over python-telegram-bot."""

    channel = CHANNEL

    def __init__(self, bot: Bot, staff_chat_id: int | None) -> None:
        self._bot = bot
        self._staff = staff_chat_id

    @property
    def has_staff_desk(self) -> bool:
        return self._staff is not None

    async def to_staff(self, text: str, reply_to: tuple[str, str] | None) -> tuple[str, str]:
        assert self._staff is not None
        reply = (
            ReplyParameters(int(reply_to[1]), allow_sending_without_reply=True)
            if reply_to and reply_to[0] == str(self._staff)
            else None
        )
        first: Message | None = None
        for piece in split_text(text):
            sent = await self._bot.send_message(
                self._staff, piece, reply_parameters=reply, link_preview_options=NO_PREVIEW
            )
            first = first or sent
        assert first is not None
        return str(self._staff), str(first.message_id)

    async def to_trainer(self, sender: str, text: str) -> None:
        channel, _, user_id = sender.partition(":")
        if channel != CHANNEL or not user_id.isdigit():
            raise ValueError(f"not a private Telegram conversation: {sender!r}")
        for piece in split_text(text):
            await self._bot.send_message(int(user_id), piece, link_preview_options=NO_PREVIEW)


@dataclass
class StaffDeps:
    desk: StaffDesk
    staff_chat_id: int | None
    uow_factory: UowFactory  # for the relay queue's delivery
    rasa: RasaLike | None = None  # logs a paused trainer's messages in the conversation
    stats: Stats | None = None
    delivery_interval: float = 1.0
    _tasks: list[asyncio.Task[None]] = field(default_factory=list, repr=False)


def install(application: GatewayApplication, deps: StaffDeps) -> None:
    """Add the staff desk's handlers and start the relay delivery with the application."""
    staff_chat = filters.Chat(deps.staff_chat_id) if deps.staff_chat_id is not None else None
    if staff_chat is not None:
        application.add_handler(MessageHandler(staff_chat, _bound(on_staff_message, deps)), GROUP)
    application.add_handler(MessageHandler(filters.Regex(_STAFF_COMMAND), _bound(on_foreign_command, deps)), GROUP)
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, _bound(on_private_text, deps)),
        GROUP,
    )
    application.add_handler(CallbackQueryHandler(_bound(on_private_button, deps)), GROUP)
    application.add_handler(
        CommandHandler("restart", _bound(on_private_restart, deps), filters=filters.ChatType.PRIVATE), GROUP
    )

    previous_init, previous_shutdown = application.post_init, application.post_shutdown

    async def post_init(app: GatewayApplication) -> None:
        if previous_init is not None:
            await previous_init(app)
        notifier = TelegramNotifier(app.bot, deps.staff_chat_id)
        deps._tasks.append(asyncio.create_task(run_delivery_loop(deps.uow_factory, notifier, deps.delivery_interval)))

    async def post_shutdown(app: GatewayApplication) -> None:
        for task in deps._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        deps._tasks.clear()
        if previous_shutdown is not None:
            await previous_shutdown(app)

    application.post_init = post_init
    application.post_shutdown = post_shutdown


Handler = Callable[[Update, Context, StaffDeps], Awaitable[None]]


def _bound(
    handler: Handler, deps: StaffDeps
) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    async def run(update: Update, context: Context) -> None:
        await handler(update, context, deps)

    return run


# --- the staff chat -----------------------------------------------------------------------------


async def on_staff_message(update: Update, context: Context, deps: StaffDeps) -> None:
    """Everything in the staff chat ends here: nothing said there reaches the assistant."""
    message = update.effective_message
    if message is not None and message.text is not None:
        try:
            match = _STAFF_COMMAND.match(message.text)
            if match:
                argument = message.text[match.end():].strip()
                await _staff_command(match.group(1).lower(), argument, message, context.bot, deps)
            elif message.reply_to_message is not None:
                await _staff_reply(message, context.bot, deps)
        except Exception:
            logger.exception("the staff desk failed on a message")
            with contextlib.suppress(Exception):
                await _say(context.bot, message.chat_id, "Something went wrong; please try again.", message.message_id)
    raise ApplicationHandlerStop


def _author(message: Message) -> str:
    user = message.from_user
    return user.full_name if user is not None else "staff"


async def _say(bot: Bot, chat_id: int, text: str, reply_to: int | None = None) -> None:
    for index, piece in enumerate(split_text(text)):
        await bot.send_message(
            chat_id,
            piece,
            link_preview_options=NO_PREVIEW,
            reply_parameters=(
                ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to and index == 0 else None
            ),
        )


async def _ticket_of(message: Message, deps: StaffDeps) -> int:
    """The ticket a staff message replies to."""
    target = message.reply_to_message
    if target is None:
        raise NotATicketMessage(HOW_TO_ANSWER)
    ticket = await deps.desk.ticket_for_staff_message(str(message.chat_id), str(target.message_id))
    return ticket.id


async def _staff_reply(message: Message, bot: Bot, deps: StaffDeps) -> None:
    try:
        ticket_id = await _ticket_of(message, deps)
        await deps.desk.reply(ticket_id, message.text or "", _author(message))
    except NotATicketMessage:
        await _say(bot, message.chat_id, "That message belongs to no ticket. " + HOW_TO_ANSWER, message.message_id)
    except HandoffError as exc:
        await _say(bot, message.chat_id, f"Not sent: {exc}.", message.message_id)


async def _staff_command(command: str, argument: str, message: Message, bot: Bot, deps: StaffDeps) -> None:
    chat = message.chat_id
    if command == "tickets":
        tickets = await deps.desk.open_tickets()
        lines = [
            f"#{t.id} {t.created_at:%Y-%m-%d %H:%M} UTC, {t.trainer_id or 'not linked'}: {t.reason}" for t in tickets
        ]
        await _say(bot, chat, "Open tickets:\n" + "\n".join(lines) if lines else "No open tickets.")
    elif command == "ask":
        if not argument:
            await _say(bot, chat, "Usage: /ask QUESTION (what the assistant would answer a trainer who is not linked)")
            return
        try:
            answers = await deps.desk.ask(argument)
        except RasaError as exc:
            said = f"The assistant could not be asked right now ({type(exc).__name__})."
            await _say(bot, chat, said, message.message_id)
            return
        would = "The assistant would answer:\n\n" + ("\n\n".join(answers) or "(nothing)")
        await _say(bot, chat, would, message.message_id)
    elif command == "resolve":
        await _resolve(argument, message, bot, deps)
    elif command == "stats":
        if deps.stats is None:
            await _say(bot, chat, "Statistics are not available here.")
            return
        summary, chart = await deps.stats()
        if chart:
            await bot.send_photo(chat, chart, caption=summary[:1024] if len(summary) <= 1024 else None)
            if len(summary) > 1024:
                await _say(bot, chat, summary)
        else:
            await _say(bot, chat, summary)


async def _resolve(argument: str, message: Message, bot: Bot, deps: StaffDeps) -> None:
    try:
        ticket_id = int(argument.lstrip("#")) if argument else await _ticket_of(message, deps)
        await deps.desk.resolve(ticket_id, _author(message))
    except ValueError:
        await _say(bot, message.chat_id, "Usage: /resolve as a reply to a ticket's message, or /resolve NUMBER.")
    except NotATicketMessage:
        await _say(bot, message.chat_id, "/resolve needs a ticket: " + HOW_TO_ANSWER, message.message_id)
    except RasaError as exc:
        logger.warning("could not resume a conversation: %s", exc)
        await _say(
            bot, message.chat_id,
            "The assistant could not be resumed (Rasa is not answering), so the ticket stays open. "
            "Try again in a moment.",
            message.message_id,
        )
    except BotError as exc:
        await _say(bot, message.chat_id, f"Not resolved: {exc}.", message.message_id)


async def on_foreign_command(update: Update, context: Context, deps: StaffDeps) -> None:
    """A staff command outside the staff chat: ignored (no answer, nothing done)."""
    chat = update.effective_chat
    logger.info("staff command outside the staff chat ignored (chat %s)", chat.id if chat else None)
    raise ApplicationHandlerStop


# --- a trainer whose conversation is with staff ----------------------------------------------


async def on_private_text(update: Update, context: Context, deps: StaffDeps) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or message.text is None or user is None or user.is_bot:
        return
    sender = f"{CHANNEL}:{user.id}"
    ticket = await deps.desk.from_trainer(sender, message.text)
    if ticket is None:
        return  # no open ticket: the assistant answers (the relay's handler)
    if deps.rasa is not None:
        try:  # into the conversation log; Rasa is paused and answers nothing
            replies = await deps.rasa.send_message(sender, message.text, {"channel": CHANNEL, "handed_off": True})
            if replies:
                logger.warning(
                    "a paused conversation answered %d messages; dropped (ticket #%d)", len(replies), ticket.id
                )
        except RasaError as exc:
            logger.info("could not log a handed-off message in the conversation: %s", exc)
    raise ApplicationHandlerStop


async def on_private_button(update: Update, context: Context, deps: StaffDeps) -> None:
    """A button pressed while a person handles the conversation: say where messages go."""
    query, user, chat = update.callback_query, update.effective_user, update.effective_chat
    if query is None or user is None or chat is None or chat.type != "private":
        return
    if await deps.desk.open_ticket_for(f"{CHANNEL}:{user.id}") is None:
        return
    await query.answer()
    await _say(context.bot, chat.id, BUSY_WITH_STAFF)
    raise ApplicationHandlerStop


async def on_private_restart(update: Update, context: Context, deps: StaffDeps) -> None:
    """/restart while a person handles the conversation: refused, the handoff goes on."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    ticket = await deps.desk.open_ticket_for(f"{CHANNEL}:{user.id}")
    if ticket is None:
        return  # no handoff: the relay restarts the conversation
    await _say(context.bot, chat.id, NO_RESTART_DURING_HANDOFF.format(ticket=ticket.id))
    raise ApplicationHandlerStop


def default_staff_deps(settings: Any, rasa: Any, uow_factory: UowFactory) -> StaffDeps:
    """The staff desk over the store and the gateway's Rasa client (``app.default_deps``)."""
    from bot.handoff.conversations import RasaConversations

    return StaffDeps(
        desk=StaffDesk(uow_factory, RasaConversations(rasa)),
        staff_chat_id=settings.staff_chat_id,
        uow_factory=uow_factory,
        rasa=rasa,
        stats=_stats_provider(settings),
    )


def _stats_provider(settings: Any) -> Stats:
    from bot.handoff import stats

    async def provide() -> tuple[str, bytes | None]:
        return await asyncio.to_thread(stats.summary_and_chart, settings)

    return provide
