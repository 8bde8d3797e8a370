"""Talk to a person: open a handoff ticket with a short transcript and give its number."""

from __future__ import annotations

import asyncio
from typing import Any, Iterable

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import EXTERNAL_PREFIX, MISUNDERSTANDINGS, RecertAction
from bot.handoff.service import open_ticket

TRANSCRIPT_MESSAGES = 5
MESSAGE_CHARS = 300


def transcript(events: Iterable[dict[str, Any]], limit: int = TRANSCRIPT_MESSAGES) -> str:
    """The last ``limit`` things the user typed, one per line (button payloads and injected
    messages left out)."""
    typed = [
        " ".join(str(e.get("text") or "").split())[:MESSAGE_CHARS]
        for e in events
        if e.get("event") == "user"
        and e.get("text")
        and not str(e["text"]).startswith(("/", EXTERNAL_PREFIX))
    ]
    return "\n".join(f"user: {text}" for text in typed[-limit:])


class ActionHandoff(RecertAction):
    def name(self) -> str:
        return "action_handoff"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        caller = await self.caller(tracker)
        reasons = [f"asked via {(tracker.latest_message.get('intent') or {}).get('name') or 'unknown intent'}"]
        if (tracker.get_slot(MISUNDERSTANDINGS) or 0) >= 2:
            reasons.append("the assistant did not understand twice")
        if caller.linked:
            assessment = self.pick(self.assessments(caller), tracker)
            if assessment is not None:
                reasons.append(f"{assessment.program} phase {assessment.phase.value}")
        else:
            reasons.append("chat not linked to a record")
        ticket = await asyncio.to_thread(
            open_ticket,
            self.uow_factory(),
            tracker.sender_id,
            caller.trainer_id if caller.linked else None,
            "; ".join(reasons),
            transcript(tracker.events),
        )
        dispatcher.utter_message(
            text=(
                f"I've asked a person to take over: your ticket number is #{ticket.id}. "
                "They'll answer you here in this chat."
            )
        )
        return []
