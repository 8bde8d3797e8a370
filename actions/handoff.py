"""A person: offer one on the topics the assistant must not decide alone, hand over when asked.

Offer and handoff are different steps. ``action_offer_handoff`` answers what it can about a
refund or billing dispute, a hardship or extension request or a disputed audit, and offers a
person (a sentence and a button). ``action_handoff`` runs when the trainer accepts an offer or
asks for a person directly: it opens a ticket (reason, the last turns, the trainer's assessment;
``bot.handoff.service`` queues it for the staff desk), pauses the conversation (Rasa's
``ConversationPaused``, stored in the tracker store, so no instance answers until staff resume
it) and tells the trainer what happens next and when (staff hours from the settings).

``action_session_start`` keeps a handed-off conversation paused across Rasa's session expiry
(a new session would otherwise reset the pause while the ticket is still open).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, EventType, SessionStarted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import words
from actions.audit import ActionAudit, says_documents_sent
from actions.base import EXTERNAL_PREFIX, MISUNDERSTANDINGS, Caller, RecertAction
from actions.petitions import ActionPetitionStatus, about_petition_denial
from bot.clock import now_in
from bot.handoff import words as handoff_words
from bot.handoff.service import hand_off, open_ticket_for
from rules.model import Assessment, CprAedStatus, Phase
from rules.serialize import format_assessment

logger = logging.getLogger(__name__)

TRANSCRIPT_TURNS = 20
MESSAGE_CHARS = 300

OFFER_ACTION = "action_offer_handoff"
# Topics the assistant answers only in part and hands to a person: intent -> (reason, answer).
TOPICS: dict[str, tuple[str, str]] = {
    "request_refund": (
        "refund or billing dispute",
        "Refunds and billing disputes are decided by our support staff, not by me: I can't see "
        "payments or change a charge. Would you like me to pass this to a person?",
    ),
    "request_extension": (
        "hardship or extension request",
        "Extensions and hardship exceptions are decided by our support staff case by case; I can "
        "only tell you the deadlines as the rules set them (ask me \"can I still renew?\"). Would "
        "you like me to pass your request to a person?",
    ),
    "dispute_audit": (
        "disputed audit",
        "A dispute about an audit is for our support staff to look at; I can tell you what the "
        "audit asks for and when it is due (ask me \"what about my audit?\"). Would you like me to "
        "pass this to a person?",
    ),
}


# The topics in words the NLU could not place ("my grandmother died and I couldn't finish, can I have a
# little longer?", "they still say my CE isn't proven, that's not right"); the fallback handler asks it
# only of messages the NLU was unsure of.
_TOPIC_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "request_extension",
        re.compile(
            r"\b(?:extension|extend\w*|more time|a (?:little|bit) longer|hardship|passed away|died|funeral|"
            r"hospital\w*|surgery|injur\w*|illness|sick)\b",
            re.I,
        ),
    ),
    (
        "dispute_audit",
        re.compile(
            r"\b(?:audit\w*|certificates?|proof|documents?)\b.*\b(?:wrong|not right|unfair|mistake|disagree|"
            r"isn'?t proven|not proven|rejected|didn'?t accept)\b",
            re.I,
        ),
    ),
    (
        "request_refund",
        re.compile(r"\b(?:refund\w*|money back|charged (?:me )?twice|double[- ]charged|overcharged)\b", re.I),
    ),
)


def topic_in_words(text: str | None) -> str | None:
    """The handoff topic a message's words name (the intent it would have had), or None."""
    for intent, pattern in _TOPIC_WORDS:
        if pattern.search(text or ""):
            return intent
    return None


def transcript(events: Iterable[dict[str, Any]], limit: int = TRANSCRIPT_TURNS) -> str:
    """The last ``limit`` turns, one per line: what the trainer typed (a button as its intent) and
    what the assistant said. Messages injected by our own services are left out."""
    turns: list[str] = []
    for event in events:
        kind, text = event.get("event"), " ".join(str(event.get("text") or "").split())
        if not text:
            continue
        if kind == "user":
            if text.startswith(EXTERNAL_PREFIX):
                continue
            if text.startswith("/"):
                text = f"[button: {text[1:].split('{')[0]}]"
            turns.append(f"trainer: {text[:MESSAGE_CHARS]}")
        elif kind == "bot":
            turns.append(f"assistant: {text[:MESSAGE_CHARS]}")
    return "\n".join(turns[-limit:])


def offered_topic(events: list[dict[str, Any]]) -> str | None:
    """The topic of the person offered in the turn before this one (``action_offer_handoff``)."""
    earlier = events[:-1] if events and events[-1].get("event") == "user" else events
    last_action = next(
        (e for e in reversed(earlier) if e.get("event") == "action" and e.get("name") != "action_listen"),
        None,
    )
    if last_action is None or last_action.get("name") != OFFER_ACTION:
        return None
    offered_at = earlier.index(last_action)
    asked = next((e for e in reversed(earlier[:offered_at]) if e.get("event") == "user"), None)
    intent = (((asked or {}).get("parse_data") or {}).get("intent") or {}).get("name")
    return TOPICS[intent][0] if intent in TOPICS else None


def handoff_reasons(tracker: Tracker, caller: Caller, assessments: list[Assessment]) -> list[str]:
    """Why the conversation goes to a person, most telling first."""
    typed = str((tracker.latest_message or {}).get("text") or "")
    reasons = ["accepted the offer of a person" if typed.startswith("/") else "asked for a person"]
    topic = offered_topic(list(tracker.events))
    if topic:
        reasons.append(topic)
    if (tracker.get_slot(MISUNDERSTANDINGS) or 0) >= 2:
        reasons.append("the assistant did not understand twice")
    for a in assessments:
        if a.phase is Phase.LAPSED and a.submitted_on is None:
            reasons.append(f"{a.program} past the one-year limit")
        if a.cpr_aed.status is CprAedStatus.NEEDS_CONFIRMATION:
            reasons.append("CPR/AED provider needs confirmation")
    if not caller.linked:
        reasons.append("chat not linked to a record")
    return reasons


class ActionOfferHandoff(RecertAction):
    def name(self) -> str:
        return OFFER_ACTION

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if about_petition_denial(tracker):  # "what if they reject it?" about a petition, not an audit dispute
            return await self.sibling(ActionPetitionStatus).run(dispatcher, tracker, domain)
        if intent == "dispute_audit" and says_documents_sent((tracker.latest_message or {}).get("text")):
            # "I already sent the documents yesterday, am I done now?": what the record shows of them first
            return await self.sibling(ActionAudit).run(dispatcher, tracker, domain)
        topic = intent if intent in TOPICS else topic_in_words((tracker.latest_message or {}).get("text"))
        _, answer = TOPICS.get(topic or "", ("", "A person can help with that. Would you like me to pass it on?"))
        dispatcher.utter_message(
            text=answer,
            buttons=[
                words.handoff_button("Yes, a person"),
                {"title": "No, thanks", "payload": words.payload(words.INTENT_DENY)},
            ],
        )
        return []


class ActionHandoff(RecertAction):
    def name(self) -> str:
        return "action_handoff"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        caller = await self.caller(tracker)
        assessments = self.assessments(caller)
        reasons = handoff_reasons(tracker, caller, assessments)
        now = self._now() if self._now else datetime.now(timezone.utc)
        zone = caller.record.timezone if caller.record else None
        told_at = now_in(zone, self.settings.today, now)  # the project's clock: RECERT_TODAY wins
        ticket, created = await asyncio.to_thread(
            hand_off,
            self.uow_factory(),
            tracker.sender_id,
            caller.trainer_id if caller.linked else None,
            "; ".join(reasons),
            transcript(tracker.events),
            "\n".join(format_assessment(a) for a in assessments),
            now,
        )
        said = handoff_words.handed_off(ticket, self.settings.staff_hours, told_at, created, trainer_zone=zone)
        dispatcher.utter_message(text=said)
        return [ConversationPaused()]


class ActionSessionStart(RecertAction):
    """Rasa's session start (no slots carried over, as ``domain.yml`` says), which also keeps a
    conversation with an open ticket paused: Rasa's new session would otherwise lift the pause."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        try:
            ticket = await asyncio.to_thread(open_ticket_for, self.uow_factory(), tracker.sender_id)
        except Exception:  # never keep a session from starting; the gateway still routes to staff
            logger.exception("could not look up an open ticket at session start")
            ticket = None
        if ticket is not None:
            events.append(ConversationPaused())
        events.append(ActionExecuted("action_listen"))
        return events
