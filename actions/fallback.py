"""When the assistant did not understand: say what it can do, and after two misses offer a person."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import words
from actions.base import MISUNDERSTANDINGS, RecertAction

SORRY = "Sorry, I can't answer that."
CAPABILITIES = (
    "I can tell you when your certification expires, whether you're late, how many CEUs you "
    "still need, whether a course or provider counts, the fees, what to do for an audit, and "
    "how to renew step by step."
)
OFFER = "Sorry, I still didn't get that. Would you like to talk to a person?"


class ActionHandleMisunderstanding(RecertAction):
    resets_misunderstandings = False

    def name(self) -> str:
        return "action_handle_misunderstanding"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        count = int(tracker.get_slot(MISUNDERSTANDINGS) or 0) + 1
        if count >= 2:
            dispatcher.utter_message(
                text=OFFER,
                buttons=[
                    words.handoff_button("Yes, a person"),
                    {"title": "No, I'll rephrase", "payload": words.payload(words.INTENT_DENY)},
                ],
            )
        else:
            dispatcher.utter_message(text=f"{SORRY} {CAPABILITIES}")
        return [SlotSet(MISUNDERSTANDINGS, count)]
