"""The gateway's core: who is writing, what Rasa answers, what Telegram shows.

Identity is decided here from Telegram's authenticated user id only: a private
chat with a linked account sends the sender ``telegram:<user id>`` and a signed
identity; groups and channels use a sender of their own (``telegram-group:...``)
and never an identity, so no personal record can be shown there. A message is sent
to Rasa again (with backoff) only when it cannot have reached Rasa (no connection:
:class:`~bot.channels.rasa_client.RasaNotReached`); after a timeout, a broken
connection or a 5xx Rasa may have acted on it, so the user hears the trouble
message instead and decides. A button press reaches Rasa only with a payload the
gateway issued to that chat (``buttons.py``); the gateway's own buttons (the
``/forget`` confirmation) never reach Rasa at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Protocol

from bot.channels.rasa_client import MESSAGE_ID_KEY, BotReply, Button, RasaError, RasaNotReached
from bot.channels.telegram import words
from bot.channels.telegram.outbox import Outbox
from bot.identity import IDENTITY_KEY, sign_identity
from bot.linking import privacy, service
from bot.linking.errors import CodeAlreadyUsed, CodeExpired, CodeNotFound, LinkError, TooManyAttempts
from bot.linking.privacy import ConversationStore, Forgotten
from bot.linking.service import LinkedAccount

if TYPE_CHECKING:
    from bot.composition import UowFactory

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_MESSAGE_CHARS = 2000
RETRY_DELAYS = (0.5, 1.0, 2.0)
TYPING_INTERVAL = 4.0  # Telegram shows "typing" for about 5 seconds
# Payloads of the gateway's own buttons: handled here, never sent to Rasa.
FORGET_CONFIRM = "recert:forget:confirm"
FORGET_CANCEL = "recert:forget:cancel"


class RasaLike(Protocol):
    async def send_message(
        self, sender: str, message: str, metadata: dict[str, Any] | None = None
    ) -> list[BotReply]: ...


class Links(Protocol):
    """The linking use cases the relay needs (:class:`LinkDirectory`), by Telegram user id."""

    async def trainer_for(self, user_id: int) -> str | None: ...

    async def redeem(self, user_id: int, code: str) -> tuple[str, LinkedAccount | None]: ...

    async def whoami(self, user_id: int) -> LinkedAccount | None: ...

    async def unlink(self, user_id: int) -> bool: ...

    async def forget(self, user_id: int) -> Forgotten: ...


@dataclass(frozen=True)
class Incoming:
    """Where a message came from, as Telegram authenticated it."""

    chat_id: int
    chat_type: str  # private, group, supergroup, channel
    user_id: int | None
    message_id: int | None = None
    update_id: int | None = None  # Telegram's id of the update: the same when Telegram or our inbox delivers it again

    @property
    def delivery_id(self) -> str | None:
        """The message's delivery id for Rasa (bot.stack.replay_guard): stable across gateway
        restarts and instances, so an update handled again after a crash is answered from the
        tracker instead of being handled twice."""
        return None if self.update_id is None else f"{CHANNEL}-update:{self.update_id}"

    @property
    def private(self) -> bool:
        return self.chat_type == "private" and self.user_id is not None

    @property
    def sender(self) -> str:
        if self.private:
            return f"{CHANNEL}:{self.user_id}"
        if self.user_id is not None:
            return f"{CHANNEL}-group:{self.chat_id}:{self.user_id}"
        return f"{CHANNEL}-channel:{self.chat_id}"


class LinkDirectory:
    """The linking use cases for Telegram accounts, off the event loop (blocking database work)."""

    def __init__(
        self,
        uow_factory: UowFactory,
        conversations: ConversationStore,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._uow = uow_factory
        self._conversations = conversations
        self._now = clock or (lambda: datetime.now(timezone.utc))

    async def trainer_for(self, user_id: int) -> str | None:
        return await asyncio.to_thread(service.trainer_for, self._uow(), CHANNEL, str(user_id))

    async def redeem(self, user_id: int, code: str) -> tuple[str, LinkedAccount | None]:
        def run() -> tuple[str, LinkedAccount | None]:
            trainer_id = service.redeem(self._uow(), CHANNEL, str(user_id), code, self._now())
            return trainer_id, service.whoami(self._uow(), CHANNEL, str(user_id))

        return await asyncio.to_thread(run)

    async def whoami(self, user_id: int) -> LinkedAccount | None:
        return await asyncio.to_thread(service.whoami, self._uow(), CHANNEL, str(user_id))

    async def unlink(self, user_id: int) -> bool:
        return await asyncio.to_thread(service.unlink, self._uow(), CHANNEL, str(user_id))

    async def forget(self, user_id: int) -> Forgotten:
        return await asyncio.to_thread(
            privacy.forget_account, self._uow(), self._conversations, CHANNEL, str(user_id)
        )


class Relay:
    def __init__(
        self,
        rasa: RasaLike,
        links: Links,
        identity_secret: str,
        *,
        max_message_chars: int = MAX_MESSAGE_CHARS,
        retry_delays: Sequence[float] = RETRY_DELAYS,
        typing_interval: float = TYPING_INTERVAL,
    ) -> None:
        self._rasa = rasa
        self._links = links
        self._secret = identity_secret
        self._max_chars = max_message_chars
        self._retry_delays = tuple(retry_delays)
        self._typing_interval = typing_interval

    # --- messages for the assistant ---------------------------------------------------

    async def on_text(self, incoming: Incoming, text: str, outbox: Outbox) -> None:
        if len(text) > self._max_chars:
            await outbox.send_text(incoming.chat_id, words.too_long(self._max_chars), reply_to=incoming.message_id)
            return
        if text.lstrip().startswith("/"):
            # Rasa reads "/intent{...}" as an intent with entities; users never get to inject those.
            await self.on_help(incoming, outbox)
            return
        await self._converse(incoming, text, outbox)

    async def on_button(self, incoming: Incoming, callback_id: str, payload: str | None, outbox: Outbox) -> None:
        """A pressed button; ``payload`` is None unless the gateway issued it to this chat."""
        await outbox.answer_callback(callback_id)
        if payload is None:  # forged, from another chat, or too old: nothing reaches Rasa
            await outbox.send_text(incoming.chat_id, words.BUTTON_EXPIRED)
        elif payload == FORGET_CONFIRM:
            await self._forget(incoming, outbox)
        elif payload == FORGET_CANCEL:
            await outbox.send_text(incoming.chat_id, words.FORGET_CANCELLED)
        else:
            await self._converse(incoming, payload, outbox)

    async def on_restart(self, incoming: Incoming, outbox: Outbox) -> None:
        # Rasa's default intent "restart" resets the conversation (slots, active form). During a
        # handoff the staff desk answers /restart instead (a restart would lift Rasa's pause).
        try:
            await self._send(incoming.sender, "/restart", {"channel": CHANNEL})
        except RasaError as exc:
            logger.warning("could not restart a conversation: %s", exc)
            await outbox.send_text(incoming.chat_id, words.RESTART_FAILED)
            return
        await outbox.send_text(incoming.chat_id, words.RESTARTED)

    async def on_intent_command(self, incoming: Incoming, intent: str, outbox: Outbox) -> None:
        """A command that stands for an intent (``/calendar`` -> ``/add_to_calendar``): sent to
        Rasa by the gateway itself, with the chat's identity; private chats only."""
        if not incoming.private:
            await outbox.send_text(incoming.chat_id, words.GROUP_NO_LINKING, reply_to=incoming.message_id)
            return
        await self._converse(incoming, f"/{intent}", outbox)

    async def on_forget(self, incoming: Incoming, outbox: Outbox) -> None:
        """Say what /forget deletes and ask for a confirmation (a button only this chat can press)."""
        if not incoming.private:
            await outbox.send_text(incoming.chat_id, words.GROUP_NO_LINKING, reply_to=incoming.message_id)
            return
        assert incoming.user_id is not None
        linked = await self._links.trainer_for(incoming.user_id)
        buttons = (Button(words.FORGET_CONFIRM_TITLE, FORGET_CONFIRM), Button(words.FORGET_CANCEL_TITLE, FORGET_CANCEL))
        question = words.FORGET_ASK_LINKED if linked else words.FORGET_ASK_NOT_LINKED
        await outbox.send_text(incoming.chat_id, question, buttons)

    async def _forget(self, incoming: Incoming, outbox: Outbox) -> None:
        if not incoming.private:  # the confirmation is only ever shown in a private chat
            await outbox.send_text(incoming.chat_id, words.BUTTON_EXPIRED)
            return
        assert incoming.user_id is not None
        try:
            result = await self._links.forget(incoming.user_id)
        except Exception:
            logger.exception("forgetting a telegram account failed")
            await outbox.send_text(incoming.chat_id, words.FORGET_FAILED)
            return
        logger.info("forgot a telegram account: %d conversation events deleted", result.events)
        await outbox.send_text(incoming.chat_id, words.forgotten(result))

    async def _converse(self, incoming: Incoming, text: str, outbox: Outbox) -> None:
        metadata: dict[str, Any] = {"channel": CHANNEL, "chat_type": incoming.chat_type}
        if incoming.delivery_id is not None:
            metadata[MESSAGE_ID_KEY] = incoming.delivery_id
        if incoming.private:
            trainer_id = await self._links.trainer_for(incoming.user_id)  # type: ignore[arg-type]
            if trainer_id is not None:
                metadata[IDENTITY_KEY] = sign_identity(trainer_id, incoming.sender, self._secret)
        async with self._typing(incoming.chat_id, outbox):
            replies = await self._ask(incoming.sender, text, metadata)
        if not replies:
            await outbox.send_text(incoming.chat_id, words.TROUBLE)
            return
        reply_to = None if incoming.private else incoming.message_id
        for reply in replies:
            if reply.text:
                await outbox.send_text(incoming.chat_id, reply.text, reply.buttons, reply_to=reply_to)
                reply_to = None
            elif reply.buttons:
                await outbox.send_text(incoming.chat_id, "Choose one:", reply.buttons)
            if reply.image:
                await outbox.send_image(incoming.chat_id, reply.image)
            document = (reply.custom or {}).get("document")
            if isinstance(document, dict) and document.get("content") and incoming.private:
                # a file the assistant made for this trainer (the .ics of their deadlines)
                name = str(document.get("filename") or "file")
                await outbox.send_document(incoming.chat_id, name, str(document["content"]).encode("utf-8"))
        if not incoming.private:
            await outbox.send_text(incoming.chat_id, words.GROUP_PRIVATE_ONLY)

    async def _ask(self, sender: str, text: str, metadata: dict[str, Any]) -> list[BotReply]:
        """Rasa's replies; empty when Rasa (or its action server) failed."""
        try:
            return await self._send(sender, text, metadata)
        except RasaError as exc:
            # Not retried: after a timeout, a broken connection or a 5xx Rasa may have acted.
            logger.warning("no answer from Rasa: %s", exc)
            return []

    async def _send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[BotReply]:
        """Send, again after a pause only while the message cannot have reached Rasa."""
        for delay in self._retry_delays:
            try:
                return await self._rasa.send_message(sender, text, metadata)
            except RasaNotReached as exc:
                logger.info("Rasa not reached (%s); trying again in %ss", exc, delay)
                await asyncio.sleep(delay)
        return await self._rasa.send_message(sender, text, metadata)

    @contextlib.asynccontextmanager
    async def _typing(self, chat_id: int, outbox: Outbox) -> AsyncIterator[None]:
        async def keep_typing() -> None:
            while True:
                await asyncio.sleep(self._typing_interval)
                with contextlib.suppress(Exception):
                    await outbox.typing(chat_id)

        with contextlib.suppress(Exception):  # "typing" is a courtesy; never fail a message for it
            await outbox.typing(chat_id)

        task = asyncio.create_task(keep_typing())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # --- commands ---------------------------------------------------------------------

    async def on_start(self, incoming: Incoming, code: str | None, outbox: Outbox) -> None:
        if not incoming.private:
            await outbox.send_text(incoming.chat_id, words.GROUP_NO_LINKING, reply_to=incoming.message_id)
            return
        assert incoming.user_id is not None
        if not code:
            linked = await self._links.trainer_for(incoming.user_id)
            text = words.WELCOME + "\n\n" + (
                "Your account is linked, so you can ask about your own record." if linked else words.HOW_TO_LINK
            )
            await outbox.send_text(incoming.chat_id, text)
            return
        try:
            trainer_id, account = await self._links.redeem(incoming.user_id, code)
        except TooManyAttempts as exc:
            await outbox.send_text(incoming.chat_id, words.throttled(exc.retry_after))
        except CodeExpired:
            await outbox.send_text(incoming.chat_id, words.CODE_EXPIRED)
        except CodeAlreadyUsed:
            await outbox.send_text(incoming.chat_id, words.CODE_USED)
        except (CodeNotFound, LinkError):
            await outbox.send_text(incoming.chat_id, words.CODE_NOT_FOUND)
        else:
            logger.info("telegram user linked to a trainer record")
            await outbox.send_text(incoming.chat_id, words.linked(account, trainer_id))

    async def on_whoami(self, incoming: Incoming, outbox: Outbox) -> None:
        if not incoming.private:
            await outbox.send_text(incoming.chat_id, words.GROUP_NO_LINKING, reply_to=incoming.message_id)
            return
        account = await self._links.whoami(incoming.user_id)  # type: ignore[arg-type]
        await outbox.send_text(incoming.chat_id, words.whoami(account) if account else words.NOT_LINKED)

    async def on_unlink(self, incoming: Incoming, outbox: Outbox) -> None:
        if not incoming.private:
            await outbox.send_text(incoming.chat_id, words.GROUP_NO_LINKING, reply_to=incoming.message_id)
            return
        removed = await self._links.unlink(incoming.user_id)  # type: ignore[arg-type]
        await outbox.send_text(incoming.chat_id, words.UNLINKED if removed else words.NOT_LINKED_NOTHING_TO_UNLINK)

    async def on_help(self, incoming: Incoming, outbox: Outbox) -> None:
        await outbox.send_text(incoming.chat_id, words.HELP)

    async def on_unsupported(self, incoming: Incoming, outbox: Outbox) -> None:
        await outbox.send_text(incoming.chat_id, words.UNSUPPORTED, reply_to=incoming.message_id)

    async def on_failure(self, chat_id: int, outbox: Outbox) -> None:
        await outbox.send_text(chat_id, words.TROUBLE)
