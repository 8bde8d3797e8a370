"""General questions answered by ``utter_faq/<key>`` responses, with the policy's figures filled in.

The response selector puts its prediction on the latest message (Rasa 3.6):
``latest_message["response_selector"]["faq"]["response"]["intent_response_key"]`` is
e.g. ``"faq/late_fee"``, whose response is ``utter_faq/late_fee``. The responses use the
placeholders of :func:`faq_values`; every value comes from the policy file.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import words
from actions.base import Caller, RecordAction
from actions.context import previous_reply_text
from actions.courses import ActionCourseCounts, CatalogMixin
from actions.cpr_words import (
    CprMention,
    asks_about_own_card,
    cpr_mention,
    cpr_requirement_text,
    describes_a_class,
    own_card_answer,
)
from actions.fallback import SORRY
from actions.matching import find_course_in_text, match_course
from actions.new_card import answer_new_card, asks_about_new_card
from actions.others import TRAINER_ID as _TRAINER_ID
from actions.others import linked_chat_text
from actions.petitions import (
    SECOND_PETITION,
    ActionPetitionStatus,
    about_petition_denial,
    petitions_text,
    petitions_this_cycle,
)
from actions.status import (
    ActionAmILate,
    ActionCeusRemaining,
    ActionExpirationDate,
    ActionLateFee,
    asked_submission_day,
    asked_submission_month,
)
from actions.submission_words import card_for_application
from actions.words import day
from rules.engine import ceus_for_contact_hours
from rules.formatting import format_ceu_amount, format_ceus, format_money
from rules.model import Assessment, CatalogCourse
from rules.policy import Policy

_MY_GRACE = re.compile(r"\bmy\b.*\bgrace\b", re.I)
RETRIEVAL_INTENT = "faq"
LINK_KEY = f"{RETRIEVAL_INTENT}/link_account"  # its domain words are for a chat not linked yet


def faq_values(policy: Policy) -> dict[str, str]:
    """The placeholders FAQ responses may use, formatted."""
    f = policy.fees
    return {
        "renewal_fee": format_money(f.renewal_standard),
        "lifetime_renewal_fee": format_money(f.renewal_lifetime),
        "late_fee_first": format_money(f.late_first_tier),
        "late_fee_second": format_money(f.late_second_tier),
        "petition_fee": format_money(f.petition),
        "ceus_required": format_ceus(policy.ceus_required),
        "cpr_aed_ceus": format_ceus(policy.cpr_aed_ceus),
        "ce_cap": format_ceus(policy.ce_cap),
        "ce_grace_days": str(policy.ce_grace_days),
        "audit_days": str(policy.audit_response_days),
        "cycle_years": str(policy.cycle_years),
        "restore_after_years": str(policy.restore_after_years),
        "restore_period": _years(policy.restore_after_years),
        "hours_per_ceu": str(policy.contact_hours_per_ceu),
        "ceus_per_hour": _per_hour(policy.contact_hours_per_ceu),
    }


def _per_hour(hours_per_ceu: int) -> str:
    """The CEU one contact hour is worth: "0.1" for 10 hours per CEU ("0.08" for 12)."""
    value = Decimal(1) / Decimal(hours_per_ceu)
    return format_ceus(value) if value == value.quantize(Decimal("0.1")) else f"{value:.2f}"


def _years(n: int) -> str:
    """"1 year", "2 years"."""
    return f"{n} year" if n == 1 else f"{n} years"


def faq_key(latest_message: dict[str, Any]) -> str | None:
    """``"faq/late_fee"`` from the response selector's prediction, or None."""
    selector = latest_message.get("response_selector") or {}
    for name in (RETRIEVAL_INTENT, "default"):
        prediction = (selector.get(name) or {}).get("response") or {}
        key = prediction.get("intent_response_key")
        if isinstance(key, str) and key.startswith(f"{RETRIEVAL_INTENT}/"):
            return key
    intent = (latest_message.get("intent") or {}).get("name")  # "faq/late_fee" in some set-ups
    if isinstance(intent, str) and intent.startswith(f"{RETRIEVAL_INTENT}/"):
        return intent
    return None


HOURS_KEY = f"{RETRIEVAL_INTENT}/ceu_hours"
LIFETIME_KEY = f"{RETRIEVAL_INTENT}/certify_for_life"
PETITION_KEY = f"{RETRIEVAL_INTENT}/petition"
CARD_KEYS = frozenset(f"{RETRIEVAL_INTENT}/{key}" for key in ("need_cpr", "online_cpr", "bls_extra_ceus"))
_MY_CARD = re.compile(r"\bmy\s+(?:current\s+|own\s+)?card\b|\bthe card i (?:have|got|hold)\b", re.I)
_BANK_CARD = re.compile(r"\b(?:credit|debit|bank|visa|mastercard|amex)\b", re.I)
# the FAQ answers about earning CE or the card: none of it helps a credential that lapsed without an application
CE_AND_CARD_KEYS = frozenset(
    f"{RETRIEVAL_INTENT}/{key}"
    for key in ("need_cpr", "online_cpr", "bls_extra_ceus", "petition", "when_submit_course", "college_courses")
)
# "should I file a petition for it?", "can I petition it again?": filing one, not what one costs
_AGAIN = re.compile(r"\b(?:again|another|resubmit\w*|second|re-?petition|should i|do i need to|can i|file)\b", re.I)
_LATE = re.compile(r"\blate\b|\bafter\b.{0,30}\b(?:expir\w*|deadline)|\bpenalt\w*", re.I)
_HOURS = re.compile(
    r"(?<![\d.])(\d{1,3}(?:\.\d{1,2})?)\s*(?:contact\s+|classroom\s+|course\s+)?(?:hours?|hrs?|h)\b", re.I
)


def contact_hours(message: str | None) -> Decimal | None:
    """The number of hours a trainer typed ("5 hours", "7.5 hrs"), or None."""
    found = _HOURS.search(message or "")
    return Decimal(found.group(1)) if found else None


def hours_text(hours: Decimal, policy: Policy) -> str:
    """The trainer's hours as CEUs, from the rules engine; tenths are what NASM records."""
    value = ceus_for_contact_hours(policy, hours)
    said = f"{hours.normalize():f} contact {'hour' if hours == 1 else 'hours'}"
    if value == value.quantize(Decimal("0.1")):
        return f"{said} is {format_ceu_amount(value)}."
    return (
        f"{said} is {value.normalize():f} CEU by the rule; NASM records CEUs in tenths, so the figure that "
        "counts is the one on your certificate."
    )


_ASKS_IF_LACKING = re.compile(
    r"\b(?:be|been|is|get)\s+(?:\w+\s+)?(?:expired|out of date|invalid|too old)\b|\btoo old\b|\brun(?:s)? out\b"
    r"|\bneed (?:a |to get a )?(?:new|another|fresh)\b|\bhave to (?:renew|replace|redo)\b",
    re.I,
)
_STILL_NEED = re.compile(
    r"\b(?:what|wat)\b.{0,12}\b(?:do|else do)\s+i\s+(?:still\s+)?need\b.{0,12}\b(?:exactly|still|left|now)\b"
    r"|\bwhat do i still need\b|\bwhat am i (?:still )?missing\b",
    re.I,
)
_LATE_PART = re.compile(r"\b(?:am i|are we|i'?m)\s+(?:\w+\s+)?(?:late|overdue|behind)\b", re.I)
_EXPIRY_PART = re.compile(r"\b(?:when\b.{0,25}\bexpir\w*|expir\w* date|deadline)\b", re.I)


def _answer_for_other_part(part: str) -> type[RecordAction] | None:
    """The record answer of the part of a message that is not about the card ("am I late?", "how many CEUs
    do I need", "what's my total cost?"), or None."""
    if not part.strip():
        return None
    if words.asks_about_money(part):
        return ActionLateFee
    if _LATE_PART.search(part):
        return ActionAmILate
    if _EXPIRY_PART.search(part):
        return ActionExpirationDate
    if words.mentions_ce(part):
        return ActionCeusRemaining
    return None


class ActionAnswerFaq(CatalogMixin):
    """A general answer, unless the question is about a CPR/AED class or the trainer's own card.

    The response selector groups every CPR/AED question under the CPR/AED answers; a message that
    describes one class (a provider, online or hands-on, first aid, BLS) gets the verdict on that
    class, and one about "my" card gets the card on the trainer's record, or says it needs the link.
    """

    def name(self) -> str:
        return "action_answer_faq"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if about_petition_denial(tracker):  # "and if they decline it?" after the petition answer
            return await self.sibling(ActionPetitionStatus).run(dispatcher, tracker, domain)
        message = (tracker.latest_message or {}).get("text")
        if _STILL_NEED.search(message or "") and (words.mentions_ce(message) or cpr_mention(message) is not None):
            # "cpr + ceus, what do i still need exactly": the trainer's own gap, not what a CEU is
            return await self.sibling(ActionCeusRemaining).run(dispatcher, tracker, domain)
        if words.asks_if_more_ce_still_counts(message) and cpr_mention(message, policy=self.policy) is None:
            # "can I still add CEUs?" is not "do extra CEUs carry over?": the CE deadline on the record answers it
            return await self.sibling(ActionCeusRemaining).run(dispatcher, tracker, domain)
        if _MY_GRACE.search(message or ""):
            # "when is my grace period over?": the trainer's own date, not the rule
            return await self.sibling(ActionExpirationDate).run(dispatcher, tracker, domain)
        if faq_key(tracker.latest_message or {}) in CE_AND_CARD_KEYS and await self._lapsed(dispatcher, tracker):
            return []  # "what if I do a CPR class and 0.5 CEU this week?" from a lapsed credential: nothing helps
        if asks_about_new_card(message):  # "if I take a new hands-on Red Cross class, how many CEUs then?"
            await answer_new_card(self, dispatcher, tracker)
            return []
        mention = cpr_mention(message, policy=self.policy)
        own_card_named = mention is not None and await self._names_card_on_record(tracker, mention)
        if mention is not None and describes_a_class(mention) and not own_card_named:
            self.cpr_answer(dispatcher, tracker, await self.caller(tracker), mention, None)
            return []
        if asks_about_own_card(message, self.policy) or (
            faq_key(tracker.latest_message or {}) in CARD_KEYS
            and _MY_CARD.search(message or "")
            and not (words.asks_about_money(message) or _BANK_CARD.search(message or ""))
        ):
            # "is my card ok?" classified as a CPR/AED question: the card is the CPR/AED card (the fallback
            # does not guess so: "is my card ok?" is also a bank question)
            await self.own_card(dispatcher, tracker)
            return []
        key = faq_key(tracker.latest_message or {})
        if key == LINK_KEY or _TRAINER_ID.search(message or ""):
            # "show me the record of T-1014", "how do I link my account?": words that depend on
            # whether this chat is linked, never "this chat has to be linked" to a linked chat
            caller = await self.caller(tracker)
            if await self.refuse_other_record(dispatcher, tracker, caller):
                return []
            if key == LINK_KEY and caller.linked:
                dispatcher.utter_message(text=linked_chat_text())
                return []
        if key == PETITION_KEY and _AGAIN.search(message or "") and await self._own_petition_named(dispatcher, tracker):
            return []
        if key == PETITION_KEY and (approved := await self._catalog_course_named(tracker, message or "")) is not None:
            # "can I petition the stretching course?": an approved course needs none (the $25.00 would buy
            # nothing), and whether it counts is the course answer's (the window, the record)
            dispatcher.utter_message(
                text=f"{approved.title} ({approved.id}) is NASM-approved, so it needs no petition."
            )
            return await self.sibling(ActionCourseCounts).run(dispatcher, tracker, domain)
        if key == LIFETIME_KEY and _LATE.search(message or "") and (await self.caller(tracker)).linked:
            # "certify for life means I don't pay late fees, right?": the trainer's own fees, from the record
            return await self.sibling(ActionLateFee).run(dispatcher, tracker, domain)
        hours = contact_hours(message) if key == HOURS_KEY else None
        if hours is not None:  # "I did 5 hours of workshops, how many CEUs is that?": the figure, then the rule
            dispatcher.utter_message(text=hours_text(hours, self.policy))
        response = f"utter_{key}" if key else None
        known = (domain or {}).get("responses")
        if response is None or (known is not None and response not in known):
            dispatcher.utter_message(text=SORRY, buttons=[words.handoff_button()])
            return []
        dispatcher.utter_message(response=response, **faq_values(self.policy))
        return []

    async def _catalog_course_named(self, tracker: Tracker, message: str) -> CatalogCourse | None:
        """The catalog course the message names (an entity, its title or code, or a title word of a course
        on the linked trainer's record), or None."""
        courses, _ = await self.catalog()
        for e in (tracker.latest_message or {}).get("entities") or []:
            if e.get("entity") in ("course", "credential"):
                found = match_course(str(e.get("value") or ""), courses).found
                if found is not None:
                    return found
        return find_course_in_text(message, courses).found or await self.own_course_named(tracker, message, courses)

    async def _lapsed(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
        """For a linked trainer whose credential lapsed without an application: say so (a course or a card
        can no longer help), and True; False otherwise."""
        caller = await self.caller(tracker)
        assessment = self.assessment_for(caller, tracker)
        if assessment is None or not RecordAction.lapsed_without_application(assessment):
            return False
        dispatcher.utter_message(text=words.lapsed_text(assessment, self.policy), buttons=[words.handoff_button()])
        return True

    async def _own_petition_named(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
        """"Should I file a petition for it?" about a course the trainer already petitioned (named in the
        message or in the answer before it): that petition, never an invitation to pay for a second one."""
        caller = await self.caller(tracker)
        assessment = self.assessment_for(caller, tracker)
        if assessment is None:
            return False
        said = f"{(tracker.latest_message or {}).get('text') or ''} {previous_reply_text(tracker)}".casefold()
        mine = [r for r in petitions_this_cycle(caller, assessment) if r.title and r.title.casefold() in said]
        if not mine:
            return False
        dispatcher.utter_message(
            text=f"{petitions_text(mine)} {SECOND_PETITION}",
            buttons=[words.handoff_button()],
        )
        return True

    async def _names_card_on_record(self, tracker: Tracker, mention: CprMention) -> bool:
        """"Will my Red Cross card still be good in February?" from a trainer whose record holds that Red Cross
        card: their own card, answered from the record, not the rule for Red Cross classes in general. A
        message that says more about the class (online, BLS, first aid) is about that class."""
        text = (tracker.latest_message or {}).get("text")
        if not mention.provider or not asks_about_own_card(text, self.policy):
            return False
        if mention.first_aid_only or mention.advanced or mention.blended or mention.hands_on is not None:
            return False
        assessment = self.assessment_for(await self.caller(tracker), tracker)
        held = assessment.cpr_aed.provider if assessment is not None else None
        accepted = self.policy.accepted_cpr_provider(mention.provider)
        return bool(held and accepted and self.policy.accepted_cpr_provider(held) == accepted)

    def _card_on_application_day(self, tracker: Tracker, caller: Caller, assessment: Assessment) -> str | None:
        """"Will my card still be good if I apply in February / on Dec 3?": the card judged on that day (or
        the days of that month still to come), as the rules judge it; None when no such day is asked, or
        the application was already received (the card was judged on that day, and the answer says so)."""
        if assessment.submitted_on is not None:
            return None
        today = caller.today
        # "will my card be expired / too old / do I need a new one if I apply on ...?" asks the other way round
        lacking = bool(_ASKS_IF_LACKING.search(str((tracker.latest_message or {}).get("text") or "")))
        received = asked_submission_day(tracker, caller)
        if received is not None:
            when = f"on {day(received)}"
            return card_for_application(assessment, self.policy, received, received, when, today, lacking)
        period = asked_submission_month(tracker, caller)
        if period is None or period.last < today:
            return None
        first = max(period.first, today)
        return card_for_application(assessment, self.policy, first, period.last, f"in {period.label}", today, lacking)

    async def own_card(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        caller = await self.caller(tracker)
        assessment = self.assessment_for(caller, tracker)
        if assessment is None:
            dispatcher.utter_message(
                text=(
                    "I can't see your card: this chat isn't linked to your record. In general: "
                    + cpr_requirement_text(self.policy)
                )
            )
            dispatcher.utter_message(text=words.LINK_HINT if caller.trainer_id is None else words.NO_RECORD)
            return
        question = (tracker.latest_message or {}).get("text")
        first, second = words.split_questions(question)
        card_first = not second or cpr_mention(first, policy=self.policy) is not None
        other_part = second if card_first else first
        other = _answer_for_other_part(other_part)
        # the other answer reads only its own part (the card's words would make it answer the card again)
        part_tracker = copy.deepcopy(tracker)
        part_tracker.latest_message = {**(tracker.latest_message or {}), "text": other_part}
        if other is not None and not card_first:
            # "how many ceu do i need and is my cpr ok", "am I late? also is my cpr ok": both, in the order asked
            await self.sibling(other).run(dispatcher, part_tracker, {})
        on_day = self._card_on_application_day(tracker, caller, assessment)
        card_question = question if other is None else (first if card_first else second)
        dispatcher.utter_message(text=on_day or own_card_answer(assessment, self.policy, card_question))
        if other is not None and card_first:
            # "do I need a new CPR card, and what's my total cost?": the second question is answered too
            await self.sibling(other).run(dispatcher, part_tracker, {})
