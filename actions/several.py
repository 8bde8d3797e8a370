"""Two questions in one message ("am I late and how much will I owe?"): both answers, in the order asked.

The NLU names such a message with a multi-intent, ``ask_am_i_late+ask_late_fee`` (config.yml splits
intents on "+"). One label covers both orders of the same pair, so this action finds where the
message asks each part (the first word that belongs to it) and runs the actions of the parts in
that order, each as it answers the question alone. What both answers would say (the link hint,
today's fee in the late answer and the fee answer) is said once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import RecertAction
from actions.status import (
    ActionAmILate,
    ActionCanRenew,
    ActionCeusRemaining,
    ActionExpirationDate,
    ActionLateFee,
)

# Concrete actions, created per part with the caller's own dependencies.
PARTS: dict[str, Callable[..., RecertAction]] = {
    "ask_expiration_date": ActionExpirationDate,
    "ask_ceus_remaining": ActionCeusRemaining,
    "ask_am_i_late": ActionAmILate,
    "ask_late_fee": ActionLateFee,
    "ask_can_renew": ActionCanRenew,
}
# The words that ask each part; the first one found marks where the message asks it.
_CUES: dict[str, re.Pattern[str]] = {
    "ask_expiration_date": re.compile(
        r"\b(?:expir\w*|run(?:s)? out|ran out|lapse\w*|due|deadline|by when|until when|when)\b", re.I
    ),
    "ask_ceus_remaining": re.compile(r"\b(?:ceus?|credits?|units?|continuing|ce)\b", re.I),
    "ask_am_i_late": re.compile(
        r"\b(?:am i (?:late|overdue|past|behind)|overdue|miss(?:ed)?|past (?:my|the)|behind)\b", re.I
    ),
    "ask_late_fee": re.compile(r"\b(?:fees?|cost\w*|pay|owe|price|much|damage|total)\b", re.I),
    "ask_can_renew": re.compile(r"\b(?:can i|could i|still (?:renew|recertify)|possible|able|option)\b", re.I),
}
SPLIT = "+"
# Between two sentences of an answer: "... $129.00 in all. The late fee is ..." (never inside "$99.00").
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"(])")
_FIGURE = re.compile(r"\d")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def without_repeats(text: str, said: list[str]) -> str:
    """``text`` less the sentences an earlier part already said; "" when it adds no figure of its own.

    "Am I late and how much will I owe?": the late answer already names today's fee and its tiers,
    and the fee answer would say them again, word for word. What is left is said only when it still
    carries a figure (a date, an amount); a lone rule sentence ("The fee is set by ...") was the
    reason of a figure said before.
    """
    before = {s for earlier in said for s in _sentences(earlier)}
    left = [s for s in _sentences(text) if s not in before]
    if len(left) == len(_sentences(text)):
        return text
    return " ".join(left) if any(_FIGURE.search(s) for s in left) else ""


def parts_in_order(intent: str, message: str) -> list[str]:
    """The known parts of a multi-intent, ordered by where the message asks them (else as named)."""
    parts = [p for p in intent.split(SPLIT) if p in PARTS]

    def position(index_part: tuple[int, str]) -> tuple[int, int]:
        index, part = index_part
        found = _CUES[part].search(message)
        return (found.start() if found else len(message) + index, index)

    return [part for _, part in sorted(enumerate(parts), key=position)]


class ActionAnswerInOrder(RecertAction):
    answers_from_record = True

    def name(self) -> str:
        return "action_answer_in_order"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        intent = str((message.get("intent") or {}).get("name") or "")
        events: list[EventType] = []
        said: list[dict[str, Any]] = []
        for part in parts_in_order(intent, str(message.get("text") or "")):
            action = self.sibling(PARTS[part])
            collected = CollectingDispatcher()
            events.extend(await action.run(collected, tracker, domain))
            for said_now in collected.messages:  # one part's sentence said once, not again by the next
                text = said_now.get("text")
                buttons = said_now.get("buttons")
                if text:
                    text = without_repeats(text, [str(s.get("text") or "") for s in said])
                    known_buttons = not buttons or any(buttons == s.get("buttons") for s in said)
                    if not text and known_buttons:  # "Talk to a person" offered once, under the first answer
                        continue
                    if text:
                        said_now = {**said_now, "text": text}
                if not (text and any(text == s.get("text") for s in said)):
                    said.append(said_now)
        dispatcher.messages.extend(said)
        return [e for i, e in enumerate(events) if e not in events[:i]]
