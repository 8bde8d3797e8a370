"""Inside each Rasa server: a message delivered twice is answered from the tracker store, not handled twice.

HAProxy replays a request on another instance when its first instance closed the connection
without answering (``retry-on empty-response``, deploy/haproxy/haproxy.cfg.j2). Most such requests
left nothing behind: Rasa stores a turn's events only once the whole turn is done. But an instance
killed after storing the turn and before its answer left the socket has handled the message, and
the replay would handle it again: the user message and its answers twice in the conversation, the
actions run twice (the e2e test with one instance killed under load saw exactly that).

So every message carries a delivery id in its metadata (``message_id``: bot.channels.rasa_client
puts a fresh one in each request, and a replay is the same request, so the same id). Before
handling a message, under the conversation's lock (the Redis lock store: the dead instance's
ticket has expired by then), the server looks in the conversation's current session for a user
message with that id. If it is there, the turn was handled: its stored bot messages are sent as the
answer, as Rasa sends them (``BotUttered.message()``), and nothing else happens. Messages without
an id are handled as before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from bot.channels.rasa_client import MESSAGE_ID_KEY

logger = logging.getLogger(__name__)


def delivery_id(metadata: Mapping[str, Any] | None) -> str | None:
    value = (metadata or {}).get(MESSAGE_ID_KEY)
    return str(value) if value else None


def stored_answers(events: Iterable[Any], message_id: str) -> list[dict[str, Any]] | None:
    """The bot messages stored after the user message with ``message_id``; None if there is no such message."""
    from rasa.shared.core.events import BotUttered, UserUttered

    answers: list[dict[str, Any]] | None = None
    for event in events:
        if isinstance(event, UserUttered):
            if answers is not None:
                break  # the next turn
            if delivery_id(event.metadata) == message_id:
                answers = []
        elif answers is not None and isinstance(event, BotUttered):
            answers.append(event.message())
    return answers


def install() -> None:
    """Wrap ``MessageProcessor.handle_message`` (called by the agent under the conversation's lock)."""
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.processor import MessageProcessor

    handle_message = MessageProcessor.handle_message

    async def handle_message_once(self: MessageProcessor, message: UserMessage) -> Any:
        message_id = delivery_id(message.metadata)
        if message_id is not None and message.sender_id is not None:
            tracker = await self.tracker_store.retrieve(message.sender_id)
            answers = stored_answers(tracker.events, message_id) if tracker is not None else None
            if answers is not None:
                logger.warning("a message delivered again was answered from the tracker store, not handled again")
                for answer in answers:
                    await message.output_channel.send_response(message.sender_id, answer)
                if isinstance(message.output_channel, CollectingOutputChannel):
                    return message.output_channel.messages
                return None
        return await handle_message(self, message)

    MessageProcessor.handle_message = handle_message_once
