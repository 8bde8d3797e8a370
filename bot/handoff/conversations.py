"""The assistant's side of a handoff, over Rasa's HTTP API (:class:`RasaConversations`).

Pausing happens in the conversation itself (``action_handoff`` returns ``ConversationPaused``);
staff resume it by appending ``ConversationResumed`` and an ``action_listen``
(``POST /conversations/<id>/tracker/events`` with ``{"event": "resume"}`` and
``{"event": "action", ...}``). Both are events in the tracker store, so every Rasa instance and a
restarted one see them. ``/ask`` sends the question under a throwaway sender (``staff-ask:...``,
left out of ``recert stats``), never as the trainer, so no record is read.
"""

from __future__ import annotations

import uuid

from bot.channels.rasa_client import RasaClient

ASK_SENDER_PREFIX = "staff-ask:"


class RasaConversations:
    def __init__(self, rasa: RasaClient) -> None:
        self._rasa = rasa

    async def aclose(self) -> None:
        await self._rasa.aclose()

    async def resume(self, sender: str) -> None:
        """Resume, and listen: Rasa logs no ``action_listen`` after the action that paused, so without
        one the trainer's next message would follow ``action_handoff`` instead of a listen, which no
        rule covers: the fallback answered it and, rewinding to the last user message (the request
        for a person), handed the conversation over again, a new ticket after every resolve."""
        await self._rasa.append_events(sender, [{"event": "resume"}, {"event": "action", "name": "action_listen"}])

    async def pause(self, sender: str) -> None:
        await self._rasa.append_events(sender, [{"event": "pause"}])

    async def ask(self, question: str) -> list[str]:
        replies = await self._rasa.send_message(f"{ASK_SENDER_PREFIX}{uuid.uuid4().hex}", question)
        texts = []
        for reply in replies:
            lines = [reply.text] if reply.text else []
            lines += [f"[{button.title}]" for button in reply.buttons]
            if lines:
                texts.append("\n".join(lines))
        return texts
