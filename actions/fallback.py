"""When the assistant did not understand: say what it can do, and after two misses offer a person."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import words
from actions.audit import ActionAudit, after_the_audit_answer, asks_if_not_sent, audit_day_follow_up
from actions.base import MISUNDERSTANDINGS, RecertAction, asks_if_a_course_counts, slot_before_message
from actions.context import previous_answer_day, previous_reply_actions, previous_reply_text
from actions.courses import ActionCourseCounts, course_phrase
from actions.cpr_words import asks_about_own_card, cpr_mention
from actions.date_roles import day_next_to, month_said, roled_dates
from actions.dates import month_phrase_in_text
from actions.handoff import ActionOfferHandoff, topic_in_words
from actions.new_card import plans_a_new_card
from actions.others import names_someone_else
from actions.petitions import ActionPetitionStatus, about_petition_denial
from actions.status import (
    FEE_ANSWERS,
    ActionCanRenew,
    ActionCeusRemaining,
    ActionExpirationDate,
    ActionLateFee,
    ActionRenewalSteps,
    asks_application_status,
    asks_if_certified,
    asks_if_done,
    asks_if_still_to_submit,
)
from actions.what_if import ActionWhatIf, gap_amount
from rules import phrases
from rules.policy import Policy

SORRY = "Sorry, I can't answer that."
CAPABILITIES = (
    "I can tell you when your certification expires, whether you're late, how many CEUs you "
    "still need, whether a course or provider counts, the fees, what to do for an audit, and "
    "how to renew step by step."
)
OFFER = "Sorry, I still didn't get that. Would you like to talk to a person?"


def _missed_just_before(tracker: Tracker) -> bool:
    """Whether the message before this one was a misunderstanding too (answered by this action).

    A greeting or a thanks is answered by a response, not an action, so nothing resets the count
    then ("asdf" -> "hi" -> "zxcv" is not two misunderstandings in a row): the reply to the previous
    message decides. Without an earlier message in the events the count kept in the slot stands."""
    if len([e for e in tracker.events or [] if e.get("event") == "user"]) < 2:
        return True
    return "action_handle_misunderstanding" in previous_reply_actions(tracker)


ACTION_NAME = "action_handle_misunderstanding"
_CERT_WORDS = re.compile(r"\b(?:certified|cert\w*|cpt|nasm)\b", re.IGNORECASE)


def _date_follow_up(tracker: Tracker) -> str | None:
    """"and in march?" right after a fee or what-if answer: the action that gave it (None otherwise).
    Only a short message (eight words at most) that names a day or a month, so another question is never taken
    for one."""
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    if len(text.split()) > 8:  # "sorry I meant the 13th of jan"
        return None
    names_a_date = (
        any(e.get("entity") == "date" for e in message.get("entities") or [])
        or bool(month_phrase_in_text(text))
        or day_next_to(text, previous_answer_day(tracker)) is not None
    )
    before = [a for a in previous_reply_actions(tracker) if a in FEE_ANSWERS]
    if not before and _rescued_fee_answer(tracker):
        before = ["action_what_if"]
    return before[-1] if names_a_date and before else None


def intent_of(tracker: Tracker) -> str:
    """The intent the NLU gave the latest message ("" when none)."""
    return str(((tracker.latest_message or {}).get("intent") or {}).get("name") or "")


def _course_day_follow_up(tracker: Tracker) -> bool:
    """A short message naming only a day or month right after a course answer (or its "Which course?"): the
    completion day of the same question, which the what-if judges against the CE window."""
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    entities = message.get("entities") or []
    if len(text.split()) > 8 or any(e.get("entity") in ("course", "credential", "provider") for e in entities):
        return False
    names_a_date = any(e.get("entity") == "date" for e in entities) or bool(month_phrase_in_text(text))
    before = previous_reply_actions(tracker)
    return names_a_date and ("action_course_counts" in before or "course_form" in before)


def _rescued_fee_answer(tracker: Tracker) -> bool:
    """The answer before was a fee on a day or month that this handler passed to the what-if (the
    tracker then shows this handler, not the what-if): its words say so."""
    return ACTION_NAME in previous_reply_actions(tracker) and phrases.fee_date_rule().casefold() in previous_reply_text(
        tracker
    ).casefold()


def rescuing_action(tracker: Tracker, policy: Policy) -> Callable[..., RecertAction] | None:
    """The action that answers a message the NLU could not place, when its words (or the answer just
    before it) say so unmistakably; None for a real misunderstanding.

    Each test names the renewal itself ("my application", "certified", a petition, the fee answer before),
    so an unrelated question ("is my passport still valid?") is never answered from the record.
    """
    text = str((tracker.latest_message or {}).get("text") or "")
    intent = intent_of(tracker)
    if about_petition_denial(tracker):  # "and if they decline it?" after the petition answer
        return ActionPetitionStatus
    if asks_application_status(text) or asks_if_still_to_submit(text):  # "did my application reach NASM?"
        return ActionRenewalSteps
    if asks_if_certified(text) and _CERT_WORDS.search(text):  # "can I still train clients, am I still certified?"
        return ActionExpirationDate
    if intent in ("nlu_fallback", "inform", "out_of_scope") and audit_day_follow_up(tracker):
        return ActionAudit  # "and the 26th?", "what about jan 4" after the audit answer: the documents' day
    if _course_day_follow_up(tracker):  # "and oct 30?" after "I did a course on oct 29, does it count?"
        return ActionWhatIf
    follow_up = _date_follow_up(tracker)  # "and in march?" after the fee answer
    if follow_up is not None:
        return ActionWhatIf if follow_up == "action_what_if" else ActionLateFee
    if _money_follow_up(tracker):  # "and how much?" after "am I late?"
        return ActionLateFee
    unsure_of_topic = intent in ("nlu_fallback", "out_of_scope")
    if intent == "nlu_fallback" and _LAST_DAY_TO_APPLY.search(text):  # "the very last day I can send my app?"
        return ActionExpirationDate
    if intent == "nlu_fallback" and _WHATS_LEFT.search(text):  # "wat do i still need to do"
        return ActionRenewalSteps
    if intent == "nlu_fallback" and topic_in_words(text) is not None:  # "can I have a little longer?"
        return ActionOfferHandoff
    if unsure_of_topic and words.asks_if_more_ce_still_counts(text):  # "can I still add CEUs?"
        return ActionCeusRemaining
    if (intent == "nlu_fallback" or (unsure_of_topic and len(text.split()) <= 5)) and asks_if_done(text):
        return ActionRenewalSteps  # "so am I done then", "am i all set?" (short: nothing else it could be about)
    if intent == "nlu_fallback" and _STILL_TIME.search(text) and not _dated_renewal_question(tracker):
        return ActionCanRenew  # "is there still time for me?" ("is dec 5 too late to apply?" is that day's what-if)
    if intent == "nlu_fallback" and (
        _AUDIT.search(text)
        or (after_the_audit_answer(tracker) and (len(text.split()) <= 6 or asks_if_not_sent(text)))
    ):  # "can i still send the audit stuff tomorrow or is it over", "by when again?", "what happens to my
        # renewal if I don't send them?" after the audit answer
        return ActionAudit
    unsure = intent in ("nlu_fallback", "out_of_scope")
    if unsure and plans_a_new_card(text, policy) and _dated_renewal_question(tracker):
        # "if I get an AHA card tomorrow and apply on Dec 3, how much?": the card names the renewal
        return ActionWhatIf
    if intent == "nlu_fallback" and _course_done_statement(tracker):
        return ActionCourseCounts  # "i completed NASM-SFS in april 2025": judged against the cycle
    if intent == "nlu_fallback" and asks_if_a_course_counts(tracker):
        return ActionCourseCounts  # "will my CES still count this time, and on what day did I complete it?"
    if unsure and gap_amount(text) and _COURSE_WORD.search(text):
        return ActionWhatIf  # "could I squeeze in one more course this week to cover the 0.4?"
    if intent == "nlu_fallback" and _COURSE_COUNTS.search(text):
        if course_phrase(text):  # "did my pilates course count even though I'd already expired?"
            return ActionCourseCounts
    if intent == "nlu_fallback" and _dated_renewal_question(tracker):
        # only when the NLU was unsure, never for a question it placed out of scope ("if I mail my tax
        # return on the 4th, will I be charged extra?" has the same shape) ...
        return ActionWhatIf
    if intent == "out_of_scope" and _RENEWAL_SUBMIT.search(text) and _dated_renewal_question(tracker):
        # ... unless its verb is the renewal's own ("whats the fee if i apply tomorrow", "cost if i submit on
        # friday?"), which nothing out of scope applies or submits that way
        return ActionWhatIf
    runner_up = _runner_up(tracker)
    if intent == "nlu_fallback" and runner_up is not None:
        return runner_up  # "how much did the petition cost me", "do i still need ceus"
    if intent == "nlu_fallback" and _fee_on_a_day(tracker):
        return ActionLateFee  # "fee on march 1 2027?", "cost on 3/1/2027?"
    if intent == "nlu_fallback" and words.asks_about_money(text) and _RENEWING.search(text):
        return ActionLateFee  # "hi i want to renew, how much?", "any late fee if i'm a couple weeks late?"
    if intent in ("nlu_fallback", "out_of_scope") and _names_a_fee_and_asks_when(text, policy):
        return ActionLateFee  # "until when is it 30 bucks", "how long does the $50 one last?"
    return None


# "until when", "how long", "from when", "when does it go up": a question about a fee's days
_WHEN = re.compile(
    r"\b(?:until|till|til|through|from|since) when\b|\bhow long\b"
    r"|\bwhen does (?:it|that|the [\w$ ]{1,30}?) (?:go|change|start|end|turn|become|jump|switch|increase)",
    re.I,
)
# the amount is the thing asked about: nothing but a fee's words after it ("30 bucks?", "the $50 one", "$30 fee";
# not "a $30 gym pass")
_AMOUNT = re.compile(
    r"(?:\$\s*(\d+(?:\.\d\d)?)|\b(\d+(?:\.\d\d)?)\s*(?:bucks|dollars?|usd)\b)"
    r"(?=\s*(?:[?.!]|$|(?:late\s+)?(?:fee|one|rate|charge|tier|penalty|amount|price|go|goes|last|apply|applies)\b))",
    re.I,
)


def _names_a_fee_and_asks_when(text: str, policy: Policy) -> bool:
    """An amount that is one of the policy's late fees or renewal fees ("30 bucks") with a question about its
    days: only the renewal's fees have those figures, so it is a fee question whatever the classifier said."""
    fees = policy.fees
    late = (fees.late_first_tier, fees.late_second_tier)
    known = {*late, fees.renewal_standard, *(fee + fees.renewal_standard for fee in late)}
    said = {Decimal(a or b) for a, b in _AMOUNT.findall(text)}
    return bool(_WHEN.search(text) and said & known)


_LAST_DAY_TO_APPLY = re.compile(
    r"\b(?:last day|latest|final day|deadline|cut-?off)\b.*\b(?:appl\w*|send|submit\w*|renew\w*)\b", re.I
)
_RENEWING = re.compile(r"\b(?:renew\w*|recert\w*|late)\b", re.I)
# the renewal's own verbs: not "apply for a passport", "submit my tax return"
_RENEWAL_SUBMIT = re.compile(
    r"\b(?:appl(?:y|ying|ied)(?!\s+(?:for|to)\b)|renew\w*|recert\w*"
    r"|submit\w*(?=\s+(?:it|my (?:app|application|renewal|paperwork)|on|by|before|after|in|next|this|tomorrow"
    r"|today)\b))",
    re.I,
)
_COURSE_WORD = re.compile(r"\b(?:course|class|workshop|seminar|ce|ceus?)\b", re.I)
_COURSE_COUNTS = re.compile(
    r"\b(?:course|class|workshop|seminar)\b.*\bcount\w*|\bcount\w*\b.*\b(?:course|class|workshop|seminar)\b", re.I
)
_AUDIT = re.compile(r"\baudit\w*\b", re.I)
_STILL_TIME = re.compile(r"\b(?:still time|too late|still renew|still able to renew)\b", re.I)
_WHATS_LEFT = re.compile(
    r"\b(?:what|wat|wht)(?:'?s)?\b.{0,15}\b(?:still|else|left)\b.{0,20}\b(?:do|need|missing)\b"
    r"|^\W*(?:what|wat|wht)(?:'?s| is) left\W*$|\bwhat am i (?:still )?missing\b"
    r"|\bthe only thing (?:i'?m|im|i am) missing\b",
    re.I,
)
# "in time", "does it count", "ok": a verdict asked about a day (the money words are words.FEE_WORDS)
_VERDICT = re.compile(r"\b(?:in time|too late|count\w*|ok(?:ay)?|fine|late)\b|\bwhat if\b", re.I)
RECORD_ANSWERS = frozenset(
    {
        "action_am_i_late", "action_can_renew", "action_expiration_date", "action_ceus_remaining",
        "action_renewal_steps", "action_late_fee", "action_what_if", "action_answer_in_order",
    }
)


def _money_follow_up(tracker: Tracker) -> bool:
    """A short money question right after a record answer ("and how much?", "what would it cost?")."""
    text = str((tracker.latest_message or {}).get("text") or "")
    return (
        len(text.split()) <= 5
        and words.asks_about_money(text)
        and bool(RECORD_ANSWERS & set(previous_reply_actions(tracker)) or _rescued_fee_answer(tracker))
    )


_DEADLINE_WORDS = re.compile(
    r"\b(?:deadline|expir\w*|by when|how long|days? (?:do i have )?left|how many days)\b", re.I
)
# The classifier's best real guess, when close to the threshold and the message has that question's own word:
# the action that answers it. A multi-intent guess goes to the part whose word is there.
_RUNNER_UP_WORDS: dict[str, tuple[tuple[re.Pattern[str], Callable[..., RecertAction]], ...]] = {
    "ask_petition_status": ((re.compile(r"\bpetition\w*\b", re.I), ActionPetitionStatus),),
    "ask_ceus_remaining": ((words.CE_WORDS, ActionCeusRemaining),),
    "ask_expiration_date": ((_DEADLINE_WORDS, ActionExpirationDate),),
    "ask_expiration_date+ask_ceus_remaining": (
        (_DEADLINE_WORDS, ActionExpirationDate),
        (words.CE_WORDS, ActionCeusRemaining),
    ),
    "ask_late_fee": ((words.FEE_WORDS, ActionLateFee),),
    "ask_can_renew+ask_late_fee": ((words.FEE_WORDS, ActionLateFee),),
}
_RUNNER_UP_MIN = 0.4


def _runner_up(tracker: Tracker) -> Callable[..., RecertAction] | None:
    """The record action of the classifier's best real intent when it came close (at least ``_RUNNER_UP_MIN``)
    and the message says that question's own word ("petition", "CEUs", "deadline", "free"): unsure of the
    wording, not the topic ("what's my CE deadline?" at 0.46, "is it free to renew for me" at 0.56)."""
    latest = tracker.latest_message or {}
    ranking = [r for r in latest.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
    if not ranking or float(ranking[0].get("confidence") or 0) < _RUNNER_UP_MIN:
        return None
    text = str(latest.get("text") or "")
    for cue, action in _RUNNER_UP_WORDS.get(str(ranking[0].get("name")), ()):
        if cue.search(text):
            return action
    return None


_DONE = re.compile(r"\b(?:completed|finished|did|took|done|passed|earned)\b", re.I)


def _course_done_statement(tracker: Tracker) -> bool:
    """"I completed NASM-SFS in April 2025": a catalog course (or specialization) said done on a day or month."""
    message = tracker.latest_message or {}
    entities = message.get("entities") or []
    named = any(
        e.get("entity") == "course" or (e.get("entity") == "credential" and str(e.get("value")).upper() != "NASM-CPT")
        for e in entities
    )
    dated = any(e.get("entity") == "date" for e in entities)
    return named and dated and bool(_DONE.search(str(message.get("text") or "")))


def _fee_on_a_day(tracker: Tracker) -> bool:
    """A short fee question about a day and nothing else ("fee on march 1 2027?", "cost on 3/1/2027?"): the
    day NASM would receive the application (a longer message may be about anything that costs money)."""
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    dates = roled_dates(text, list(message.get("entities") or []))
    short = len(text.split()) <= 6
    return short and words.asks_about_money(text) and bool(dates) and all(d.role is None for d in dates)


def _dated_renewal_question(tracker: Tracker) -> bool:
    """A day or month the message gives as an application or completion day ("how much if I send it in
    January", "I did a course on 2026-10-20, was that in time?", "what if it gets there on the 6th"), with
    a fee or verdict asked about it: the what-if answers from the record."""
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    dates = roled_dates(text, list(message.get("entities") or [])) or month_said(text)
    roles = {d.role for d in dates}
    return bool(roles & {"submit", "completed"}) and bool(words.asks_about_money(text) or _VERDICT.search(text))


class ActionHandleMisunderstanding(RecertAction):
    resets_misunderstandings = False

    def name(self) -> str:
        return ACTION_NAME

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        rescuer = rescuing_action(tracker, self.policy)
        if rescuer is not None:
            answered = await self.sibling(rescuer).run(dispatcher, tracker, domain)
            return [*answered, SlotSet(MISUNDERSTANDINGS, 0)]
        if await self._answered_own_card(dispatcher, tracker):
            return [SlotSet(MISUNDERSTANDINGS, 0)]
        course_answer = await self._answered_named_course(dispatcher, tracker, domain)
        if course_answer is not None:
            return [*course_answer, SlotSet(MISUNDERSTANDINGS, 0)]
        if names_someone_else((tracker.latest_message or {}).get("text")) is not None:
            # "what about T-1002?": understood, and refused; the caller is looked up only now, for
            # their own id and name (which name nobody else)
            if await self.refuse_other_record(dispatcher, tracker, await self.caller(tracker)):
                return [SlotSet(MISUNDERSTANDINGS, 0)]
        count = (int(tracker.get_slot(MISUNDERSTANDINGS) or 0) if _missed_just_before(tracker) else 0) + 1
        # a date or CEU figure in a message not understood is not kept: nothing said it back
        forgotten: list[EventType] = []
        for slot in ("date", "ceu_amount"):
            set_now, before = slot_before_message(tracker, slot)
            if set_now and tracker.get_slot(slot) != before:
                forgotten.append(SlotSet(slot, before))
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
        return [*forgotten, SlotSet(MISUNDERSTANDINGS, count)]

    async def _answered_named_course(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType] | None:
        """A course question the classifier was unsure of, about a course the store's catalog holds.

        A catalog imported after training ("can i use aquatik strenght coach for my recert")
        has titles the model never saw, so its course questions can fall just under the threshold.
        When the classifier's best real guess is a course question and the message names a catalog
        course (matched at run time, misspellings included, as the course action matches it),
        the course action answers; anything else stays a misunderstanding.
        """
        latest = tracker.latest_message or {}
        ranking = [r.get("name") for r in latest.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
        if not ranking or ranking[0] != "ask_course_counts":
            return None
        from actions.matching import find_course_in_text

        action = ActionCourseCounts(self._uow_factory, self._settings, self.rules, self._policy, self._now)
        courses, _ = await action.catalog()
        if find_course_in_text(latest.get("text"), courses).found is None:
            return None
        return list(await action.respond(dispatcher, tracker, domain))

    async def _answered_own_card(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
        """A question about the trainer's own CPR/AED card is never a misunderstanding.

        Its wordings sit close to unrelated questions about bank cards ("when does my card
        expire?") that the classifier is trained to refuse, so it may miss one; but the words
        themselves say what it is ("my" and CPR/AED, not a class being described), and the answer
        is on the trainer's record: answered as the FAQ action answers it, from the same code.
        """
        text = (tracker.latest_message or {}).get("text")
        mention = cpr_mention(text, policy=self.policy)
        # "is my red cross card ok?": a provider named is still the trainer's own card; online, BLS or first aid
        # describe a class
        described = mention is not None and (
            mention.first_aid_only or mention.advanced or mention.blended or mention.hands_on is not None
        )
        if mention is None or described or not asks_about_own_card(text, self.policy):
            return False
        from actions.faq import ActionAnswerFaq  # actions.faq imports this module

        answer = ActionAnswerFaq(self._uow_factory, self._settings, self.rules, self._policy, self._now)
        await answer.own_card(dispatcher, tracker)
        return True

