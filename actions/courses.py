"""Does this course count? Is this provider approved? And the course form's slot validation.

Courses and providers are matched against the record store's catalog when the question is asked
(``actions/matching.py``): the NLU hands over the words the trainer typed, and when it found none the
whole message is searched, so an imported catalog is recognised without retraining.

A CPR/AED, BLS or first-aid class is not a course to petition: such questions get the CPR/AED rules
(``actions/cpr_words.py``), whichever of the two questions the NLU took them for.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import words
from actions.audit import ActionAudit, audit_day_follow_up
from actions.base import Caller, RecertAction
from actions.context import previous_reply_actions
from actions.cpr_words import CprMention, asks_about_own_card, cpr_card_verdict_text, cpr_mention, own_card_answer
from actions.date_roles import date_preference
from actions.dates import Period, Preference, month_period, names_a_day, parse_user_date
from actions.matching import (
    Match,
    find_course_in_text,
    find_own_course_in_text,
    find_provider_in_text,
    match_course,
    match_provider,
    suggest_courses,
)
from actions.new_card import says_new_card_held, utter_new_card
from actions.petitions import from_provider, petitions_named, petitions_text
from actions.words import ceus, day, format_ceus, money
from rules import phrases
from rules.engine import counted_for_another_cycle
from rules.model import Assessment, CatalogCourse, CERecord, CEStatus, CprAedStatus, Provider
from rules.policy import Policy

logger = logging.getLogger(__name__)

MAX_BUTTONS = 5
DATE_EXAMPLES = '"March 3, 2026", "3/3/2026" or "last Tuesday"'


# "NASM-WLS... no wait, NASM-GPS", "the CES, sorry I mean the PES": the name after the correction is meant
_CORRECTION = re.compile(
    r"\b(?:no wait|wait|sorry|i mean|i meant|actually|rather|scratch that|correction|make that|not that)\b|\bno\b",
    re.I,
)


def corrected_entity(tracker: Tracker, name: str) -> str | None:
    """The ``name`` entity of the latest message: the first one, or the last when the words between them
    correct it."""
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    # a value with no letter or digit ("-" of "an NSCA workshop - how many") names nothing
    found = [
        e for e in message.get("entities") or []
        if e.get("entity") == name and re.search(r"[A-Za-z0-9]", str(e.get("value") or ""))
    ]
    if len(found) > 1:
        ends = [e.get("end") for e in found[:-1]]
        start = found[-1].get("start")
        if isinstance(start, int) and all(isinstance(end, int) for end in ends):
            between = text[max(int(end) for end in ends if isinstance(end, int)) : start]
            if _CORRECTION.search(between):
                return str(found[-1]["value"])
    return str(found[0]["value"]) if found else None


def _slot_or_entity(tracker: Tracker, name: str) -> str | None:
    value = corrected_entity(tracker, name) or tracker.get_slot(name)
    return str(value).strip() if value else None


def _message(tracker: Tracker) -> str:
    return str((tracker.latest_message or {}).get("text") or "")


# The credential codes that are the trainer's own certification, never a course to count.
_OWN_CREDENTIALS = {"NASM-CPT"}


def _named_specialization(tracker: Tracker) -> str | None:
    """A specialization named by its code in this message ("does the CNC count?", "and the PES?"):
    the NLU calls "CNC" a credential; in a course question it is the course of that id."""
    for value in tracker.get_latest_entity_values("credential"):
        if value and str(value).upper() not in _OWN_CREDENTIALS:
            return str(value)
    return None


def did_you_mean(dispatcher: CollectingDispatcher, typed: str, suggestions: Sequence[CatalogCourse], fee: str) -> None:
    """A weak match: ask, with a button per course, instead of answering about another course."""
    names = " or ".join(f"{c.title} ({c.id})" for c in suggestions)
    dispatcher.utter_message(
        text=(
            f'I don\'t find "{typed}" in the course catalog. Did you mean {names}? If it\'s none of '
            f"these, it can count only through a petition in the NASM portal ({fee} per course or "
            "event, nonrefundable, counted once approved). " + words.MONEY_NOTE
        ),
        buttons=course_buttons(suggestions),
    )


_RECORD_STATUS = {
    CEStatus.APPROVED: "approved",
    CEStatus.PENDING_PETITION: "its petition is still pending, so it doesn't count yet",
    CEStatus.PETITION_DENIED: "its petition was denied, so it doesn't count",
    CEStatus.UNAPPROVED: "not approved, so it doesn't count",
}


def on_record(caller: Caller, course: CatalogCourse | None) -> CERecord | None:
    """The trainer's own latest record of this catalog course, when the chat is linked."""
    if caller.record is None or course is None:
        return None
    mine = [r for r in caller.record.ce_records if (r.course_id or "").casefold() == course.id.casefold()]
    return max(mine, key=lambda r: r.completed_on) if mine else None


def record_sentence(record: CERecord, course: CatalogCourse) -> str:
    return (
        f"Your record has {course.title} ({course.id}) completed on {day(record.completed_on)}, "
        f"{ceus(record.ceus)}: {_RECORD_STATUS.get(record.status, record.status.value)}."
    )


def course_buttons(candidates: Sequence[CatalogCourse]) -> list[dict[str, Any]]:
    return [
        {
            "title": f"{c.title} ({c.id})",
            "payload": words.payload(words.INTENT_INFORM, {"course": c.id}),
        }
        for c in candidates[:MAX_BUTTONS]
    ]


def provider_buttons(candidates: Sequence[Provider]) -> list[dict[str, Any]]:
    return [
        {"title": p.name, "payload": words.payload(words.INTENT_INFORM, {"provider": p.name})}
        for p in candidates[:MAX_BUTTONS]
    ]


def ask_which_course(dispatcher: CollectingDispatcher, typed: str, match: Match[CatalogCourse]) -> None:
    more = " (or tell me the course's catalog id)" if len(match.candidates) > MAX_BUTTONS else ""
    dispatcher.utter_message(
        text=f'Several approved courses match "{typed}". Which one do you mean{more}?',
        buttons=course_buttons(match.candidates),
    )


def ask_which_provider(dispatcher: CollectingDispatcher, typed: str, match: Match[Provider]) -> None:
    dispatcher.utter_message(
        text=f'Several providers match "{typed}". Which one do you mean?',
        buttons=provider_buttons(match.candidates),
    )


class CatalogMixin(RecertAction):
    async def catalog(self) -> tuple[list[CatalogCourse], list[Provider]]:
        return await asyncio.to_thread(self._load_catalog)

    def _load_catalog(self) -> tuple[list[CatalogCourse], list[Provider]]:
        with self.uow_factory() as uow:
            return list(uow.catalog.list_courses()), list(uow.catalog.list_providers())

    def assessment_for(self, caller: Caller, tracker: Tracker) -> Assessment | None:
        return self.pick(self.assessments(caller), tracker) if caller.linked else None

    async def own_course_named(
        self, tracker: Tracker, message: str, courses: Sequence[CatalogCourse]
    ) -> CatalogCourse | None:
        """The course of the linked trainer's record the message names by a word of its title ("the
        stretching course"), or None (unlinked: no record to read the word against)."""
        caller = await self.caller(tracker)
        own = [c for c in courses if on_record(caller, c) is not None]
        return find_own_course_in_text(message, own).found

    def cpr_answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        caller: Caller,
        mention: CprMention | None,
        provider_text: str | None,
        lead: str = "",
    ) -> None:
        """The CPR/AED rules for the class the trainer describes, and their card on record if linked."""
        text = lead + cpr_card_verdict_text(
            self.policy,
            provider_text or (mention.provider if mention else None),
            mention.hands_on if mention else None,
            first_aid_only=bool(mention and mention.first_aid_only),
            advanced=bool(mention and mention.advanced),
            blended=bool(mention and mention.blended),
        )
        assessment = self.assessment_for(caller, tracker)
        named = provider_text or (mention.provider if mention else None)
        held_now = (
            assessment is not None
            and assessment.cpr_aed.status is not CprAedStatus.VALID
            and (named is None or self.policy.accepted_cpr_provider(named) is not None)
            and says_new_card_held(_message(tracker), self.policy)
        )
        if assessment is not None and held_now:
            # "I have a BLS card from the AHA now": the figures with it, beside the card the record still shows
            dispatcher.utter_message(text=text)
            utter_new_card(self, dispatcher, tracker, caller, assessment)
            return
        if assessment is not None:
            text += " " + phrases.cpr_status(assessment, self.policy, with_worth=False)
        unconfirmed = bool(named and self.policy.accepted_cpr_provider(named) is None) or (
            assessment is not None and assessment.cpr_aed.status is CprAedStatus.NEEDS_CONFIRMATION
        )
        # A provider NASM does not name must be confirmed: not for the assistant to decide alone.
        buttons = [words.handoff_button()] if unconfirmed or (mention and mention.blended) else []
        dispatcher.utter_message(text=text, buttons=buttons)
        if not caller.linked:
            dispatcher.utter_message(text=words.LINK_HINT)


# Words of a course question that name no course: "a course from ISSA", "AFAA workshops", "a class by ACE".
_NO_COURSE_WORDS = frozenset(
    "a an the any one some their its this that course courses class classes workshop workshops seminar "
    "seminars training trainings program programs online in-person from by with at of ok okay fine good "
    "approved accepted count counts counted for my ceus ceu ce credits".split()
)


def provider_only(course_text: str | None, provider_text: str | None, providers: Sequence[Provider]) -> str | None:
    """The provider a "course" names when it is only a provider and generic words ("a course from
    ISSA", "ISSA courses"): such a question is a provider question. None when it names a course."""
    if not course_text:
        return None
    rest = [w for w in re.findall(r"[\w'-]+", course_text.casefold()) if w not in _NO_COURSE_WORDS]
    if provider_text:
        named = set(re.findall(r"[\w'-]+", provider_text.casefold()))
        if rest and all(w in named for w in rest):
            return provider_text
    if rest and match_provider(" ".join(rest), providers).found is not None:
        return " ".join(rest)
    return None


def _another_provider(provider_text: str, course: CatalogCourse, providers: Sequence[Provider]) -> bool:
    """The provider named is not the course's own ("the GPS from Kettlebell Kings"): asked about apart."""
    named = match_provider(provider_text, providers).found
    own = match_provider(course.provider, providers).found
    if named is not None and own is not None:
        return named.name != own.name
    return _key_words(provider_text) != _key_words(course.provider) and named is None


def _key_words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold()))


def _latest_entity(tracker: Tracker, name: str) -> str | None:
    value = next(tracker.get_latest_entity_values(name), None)
    return str(value).strip() if value else None


def _date_of_the_question_answered(tracker: Tracker) -> str | None:
    """"I finished a course on sept 10, does that count?" -> "Which course?" -> "it was NASM-WLS": the day
    said in the question the form asked about, when this message answers the form's "Which course?"."""
    if "course_form" not in previous_reply_actions(tracker):
        return None
    users = [e for e in tracker.events or [] if e.get("event") == "user"]
    if len(users) < 2:
        return None
    entities = (users[-2].get("parse_data") or {}).get("entities") or []
    value = next((e.get("value") for e in entities if e.get("entity") == "date"), None)
    return str(value).strip() if value else None


# "my pilates course", "that kettlebell workshop": a course the trainer names in words of their own
_COURSE_PHRASE = re.compile(
    r"\b(?:my|the|a|an|that|this)\s+((?:[a-z][\w'-]*\s+){1,3}?)(course|class|workshop|seminar)\b", re.I
)
_NOT_A_NAME = {
    "new", "other", "another", "last", "next", "online", "ce", "ceu", "same", "first", "second", "one", "any", "cpr",
}


def course_phrase(message: str) -> str | None:
    """The course a message names in its own words ("did my pilates course count?" -> "pilates course"), when
    neither the NLU nor the catalog found one; None for a course named by no word of its own ("my last course")."""
    for found in _COURSE_PHRASE.finditer(message):
        named = [w for w in found.group(1).split() if w.casefold() not in _NOT_A_NAME]
        if named and len(named) == len(found.group(1).split()):
            return f"{' '.join(named)} {found.group(2)}"
    return None


ROLLOVER_KEY = "faq/ceus_roll_over"
_AGAIN = re.compile(r"\b(?:again|twice|second time|retake|re-take|repeat\w*|redo)\b", re.I)
_MY = re.compile(r"\b(?:my|mine|i)\b", re.I)
_PLAN = re.compile(r"\b(?:if i|i'?ll|going to|gonna|plan(?:ning)? to)\b", re.I)


_FIGURES_AFTER = re.compile(
    r"\bhow (?:many|much)\b.*\b(?:need|have|left|be at|get to)\b|\bam i done\b|\bwould i be done\b"
    r"|\bafter (?:it|that|the|this)\b.*\b(?:need|left|have)\b",
    re.I,
)


def _after_course_sentence(after: Assessment) -> str:
    """The figures with the course done, from ``rules.scenarios.with_course``."""
    text = f"With it done you'd have {format_ceus(after.ceus_earned)} of the {ceus(after.ceus_required)}"
    if after.ceus_remaining <= 0:
        return text + ": everything you need."
    if after.ce_remaining <= 0:
        return text + f", so you'd still need {ceus(after.ceus_remaining)}: the CPR/AED card."
    return text + f", so you'd still need {ceus(after.ceus_remaining)}."


def _outside_window(verdict: Any, period: Period) -> bool:
    """Every day of ``period`` lies outside the cycle's window."""
    start, end = verdict.window_start, verdict.window_end
    return start is not None and end is not None and (period.last < start or period.first > end)


def _catalog_lead(
    verdict: Any,
    assessment: Assessment | None,
    completed_on: date | None,
    period: Period | None,
    used_before: bool,
    on_record: bool = False,
) -> str:
    """"Yes: " when the approved course counts (or can still count) toward this renewal, "No, not toward this
    renewal: " when the record or the date says it doesn't, nothing when it hangs on something else.

    T-1006 asked "does the stretching coach count?" about a course finished after the CE deadline and was
    told "Yes: ... is NASM-approved", then that nothing completed later counts: a "Yes" that reads as the
    answer to the question asked, and is wrong.
    """
    if assessment is None:
        return "Yes: "
    window_closed = completed_on is None and period is None and assessment.today > assessment.ce_deadline
    if (
        used_before
        or verdict.in_window is False
        or (period is not None and _outside_window(verdict, period))
        or window_closed
    ):
        return "No, not toward this renewal: "
    if assessment.ce_remaining <= 0 and not on_record:
        return ""  # approved, but the course CE is complete: _cap_sentence says it adds nothing
    return "Yes: " if assessment.renewable_if_petitions_approved else ""


def _cap_sentence(a: Assessment, policy: Policy) -> str:
    """"Does doing the PES add CEUs since I already have the CES?": not once the course CE is complete."""
    return (
        f" Your course CE is already complete ({ceus(a.ce_counted)} counted, the most that counts: "
        f"{ceus(policy.ce_cap)} besides CPR/AED), so another course adds nothing to this renewal, and extra CE "
        "doesn't carry over to the next cycle."
    )


def _late_note(a: Assessment, policy: Policy, completed_on: date | None, period: Period | None) -> str:
    """A course still to be finished after the expiration date counts (grace period), but the application
    can then only come after that date too: it pays a late fee. Said while applying on time is possible."""
    if a.submitted_on is not None or a.today > a.expires_on:
        return ""
    first = completed_on if completed_on is not None else (period.first if period is not None else None)
    if first is None or not a.expires_on < first <= a.ce_deadline:
        return ""
    fees = policy.fees
    return (
        f" Finished after your expiration date ({day(a.expires_on)}), it still counts, but your application then "
        f"comes after that date too, so it pays a late fee: {money(fees.late_first_tier)} if NASM receives it by "
        f"{day(a.late_fee_deadline)}, {money(fees.late_second_tier)} after that. {words.MONEY_NOTE}"
    )


def _period_sentence(verdict: Any, period: Period) -> str:
    """A course finished "in August": judged for the whole month, since every day of it may fall on the
    same side of the cycle's window (then the answer does not hang on the day), or it straddles a boundary
    (then the day decides, and the answer names it)."""
    start, end = verdict.window_start, verdict.window_end
    if start is None or end is None:
        return ""
    cycle = f"your current cycle ({day(start)} to {day(end)})"
    if start <= period.first and period.last <= end:
        return f" Completed in {period.label}, it falls in {cycle}, so it counts toward this renewal."
    if period.last < start:
        return (
            f" But completed in {period.label}, it is before your current cycle began on {day(start)}, so it doesn't "
            "count toward this renewal: CE doesn't carry over between cycles."
        )
    if period.first > end:
        last = _LAST_CE_DAY.format(end=day(end))
        return f" But completed in {period.label}, it is after {last}, so it doesn't count."
    if period.first < start:
        return f" {period.label} begins before {cycle}: it counts if you completed it on or after {day(start)}."
    return (
        f" {period.label} ends after {_LAST_CE_DAY.format(end=day(end))}: it counts if you completed it on or "
        f"before {day(end)}."
    )


# the end of the window is the CE deadline (E + the grace period), not the end of the cycle (E)
_LAST_CE_DAY = "{end}, the last day continuing education counts toward this renewal"


_MY_CARD = re.compile(r"\bmy\b[^?.!]*\bcard\b", re.IGNORECASE)


def _asks_about_own_card_too(part: str) -> bool:
    """"is my CPR still valid?", "is my red cross card ok?": the trainer's own card (a card named by its
    provider has no CPR word)."""
    return asks_about_own_card(part) or bool(_MY_CARD.search(part))


def _window_sentence(verdict: Any, completed_on: date | None, linked: bool, today: date | None = None) -> str:
    start, end = verdict.window_start, verdict.window_end
    if start is None or end is None:
        return ""
    if verdict.in_window is True and completed_on is not None:
        return (
            f" Completed on {day(completed_on)}, it falls in your current cycle "
            f"({day(start)} to {day(end)}), so it counts toward this renewal."
        )
    if verdict.in_window is False and completed_on is not None and completed_on > end:
        last = _LAST_CE_DAY.format(end=day(end))
        return f" But completed on {day(completed_on)}, it is after {last}, so it doesn't count."
    if verdict.in_window is False and completed_on is not None:
        return (
            f" But completed on {day(completed_on)}, it is before your current cycle began on {day(start)}, so it "
            "doesn't count toward this renewal: CE doesn't carry over between cycles."
        )
    if today is not None and today > end:
        # the window has closed: "counts when completed between S and G" would invite a course that can't count
        return (
            f" Only CE completed between {day(start)} and {day(end)} counts toward this renewal, and that window "
            "has closed: a course you complete now counts toward your next cycle, not this renewal."
        )
    return f" It counts toward this renewal when completed between {day(start)} and {day(end)}."


class ActionCourseCounts(CatalogMixin):
    answers_from_record = True

    def name(self) -> str:
        return "action_course_counts"

    def _is_cpr_question(
        self,
        message: str,
        course_text: str | None,
        provider_text: str | None,
        course_match: Match[CatalogCourse],
        providers: Sequence[Provider],
    ) -> bool:
        """A CPR/AED or first-aid class named as the course; else, when no catalog course is named,
        CPR/AED words in the message or a provider that is an accepted CPR/AED provider only."""
        if cpr_mention(None, course_text, provider_text) is not None:
            return True
        if course_match.found is not None or course_match.ambiguous:
            return False
        if cpr_mention(message) is not None:
            return True
        return bool(
            provider_text
            and self.policy.accepted_cpr_provider(provider_text)
            and match_provider(provider_text, providers).found is None
        )

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        course_text = _slot_or_entity(tracker, "course") or _named_specialization(tracker)
        provider_text = _slot_or_entity(tracker, "provider")
        # only a date said with this question: a date left in the slot by an earlier message
        # ("what if I apply tomorrow?") is not this course's completion date
        date_text = _latest_entity(tracker, "date") or _date_of_the_question_answered(tracker)
        message = _message(tracker)
        cleared: list[EventType] = [SlotSet("course", None), SlotSet("provider", None), SlotSet("date", None)]
        courses, providers = await self.catalog()
        only = provider_only(course_text, provider_text, providers)
        if only is not None:
            course_text, provider_text = None, only
        course_match = match_course(course_text, courses)
        if course_match.found is None and not course_match.ambiguous:
            # the NLU found no catalog name (a course imported since training, a DIET fragment):
            # look for one in the whole message
            in_text = find_course_in_text(message, courses)
            if in_text.found is not None:
                course_match, course_text = in_text, course_text or in_text.found.id
            elif not course_text and (own := await self.own_course_named(tracker, message, courses)) is not None:
                # "but I finished the stretching course in October": a word of a title on their own record
                course_match, course_text = Match(found=own, candidates=(own,)), own.id
        elif course_match.ambiguous:
            # the NLU cut the name short ("Specialist" of "does the Glute Specialist count?"): a whole
            # title written in the message settles it; a near one does not
            in_text = find_course_in_text(message, courses, fuzzy=False)
            if in_text.found is not None:
                course_match, course_text = in_text, in_text.found.id
        if words.asks_about_carry_over(message):
            # "i have 1.9 from CES, can the leftover go to next cycle": the rollover rule, not the course's "Yes"
            from actions.faq import faq_values  # faq builds on this module

            dispatcher.utter_message(response=f"utter_{ROLLOVER_KEY}", **faq_values(self.policy))
            return cleared
        if not course_text and not provider_text and course_match.found is None and audit_day_follow_up(tracker):
            # "would the 24th be ok?" right after the audit answer: that day against the documents' due date
            await self.sibling(ActionAudit).run(dispatcher, tracker, domain)
            return cleared
        if self._is_cpr_question(message, course_text, provider_text, course_match, providers):
            caller = await self.caller(tracker)
            mention = cpr_mention(message, course_text, provider_text, policy=self.policy)
            self.cpr_answer(dispatcher, tracker, caller, mention, provider_text)
            return cleared
        if not course_text and not provider_text and course_match.found is None:
            course_text = course_phrase(message)  # "did my pilates course count?": a course no catalog has
        if not course_text and not provider_text and date_text:
            # "I did a course on oct 29, does it count?": that day against the CE window, whichever course
            from actions.what_if import ActionWhatIf  # the what-if hands named courses to this action

            return [*await self.sibling(ActionWhatIf).run(dispatcher, tracker, domain), *cleared]
        if not course_text and not provider_text:
            dispatcher.utter_message(
                text="Which course do you mean? Tell me its title or catalog id, and who offers it."
            )
            if _MY.search(message) and not (await self.caller(tracker)).linked:
                # "does my nutrition course count?" unlinked: the record that would name it needs the link
                dispatcher.utter_message(text=words.LINK_HINT)
            return []
        if not course_text and course_match.found is None and not date_text:
            # "What about a course from ISSA?": only a provider named, so a provider question ("an ACE course in
            # January": with a day or month, the course answer judges it)
            await self.sibling(ActionProviderApproved).answer(dispatcher, tracker, provider_text)
            return cleared
        caller = await self.caller(tracker)
        # "does the functional anatomy seminar count?": the trainer's own petition of that title or provider
        own_petitions = (
            [
                r
                for r in petitions_named(caller, self.assessment_for(caller, tracker), (course_text,))
                if from_provider(r, provider_text)
            ]
            if course_match.found is None
            else []
        )
        if course_match.found is None and not course_match.ambiguous and not provider_text and not own_petitions:
            suggestions = suggest_courses(course_text, courses)
            if suggestions:
                did_you_mean(dispatcher, course_text or "", suggestions, money(self.policy.fees.petition))
                return cleared
        if course_match.ambiguous:
            ask_which_course(dispatcher, course_text or "", course_match)
            return [SlotSet("course", None)]
        course = course_match.found
        if course is not None and provider_text and _another_provider(provider_text, course, providers):
            # "is the kettlebell kings academy approved? and what's the NASM-GPS worth": two questions; the
            # provider's answer first, so the course's "Yes:" is never read as the provider's
            await self.sibling(ActionProviderApproved).answer(dispatcher, tracker, provider_text)
            provider_text = None
        provider_match = match_provider(provider_text or (course.provider if course else None), providers)
        if course is None and provider_match.ambiguous:
            ask_which_provider(dispatcher, provider_text or "", provider_match)
            return [SlotSet("provider", None)]
        provider = provider_match.found

        # "if I finish it in February, will it count?" is a day to come; "I did it in August" one gone by
        # ("does it count if I did it on nov 1": "if I" with a verb of the past is a day gone by)
        said_as = date_preference(message)
        planned = said_as == "future" or (_PLAN.search(message) is not None and said_as != "past")
        prefer: Preference = "future" if planned else "past"
        completed_on = (
            parse_user_date(date_text, caller.today, prefer=prefer)
            if date_text and names_a_day(date_text)
            else None
        )
        # "does my CES count?": with no date typed, the course on the trainer's record and its date
        mine = on_record(caller, course) if not date_text else None
        if mine is not None:
            completed_on = mine.completed_on
        if mine is not None and course is not None and _AGAIN.search(message):
            # "if I take NASM-WLS again, does it count twice?": the rules say nothing of a repeated course
            dispatcher.utter_message(
                text=(
                    f"{record_sentence(mine, course)} Whether the same course counts again when you repeat it isn't "
                    "in the rules I answer from, so I can't promise it; a person can tell you."
                ),
                buttons=[words.handoff_button()],
            )
            return cleared
        assessment = self.assessment_for(caller, tracker)
        verdict = self.rules.check_course(self.policy, assessment, course, provider, completed_on)

        text = ""
        period = (
            month_period(date_text, caller.today, prefer=prefer)
            if date_text and not names_a_day(date_text) and assessment is not None
            else None
        )
        if date_text and not names_a_day(date_text) and period is None:
            text = f'"{date_text}" names no day, so I can\'t tell whether it falls in your cycle. '
        elif date_text and completed_on is None and period is None:
            text = f'I couldn\'t read "{date_text}" as a date, so I can\'t check it against your cycle. '
        elif completed_on is not None and completed_on > caller.today and prefer != "future":
            text = f"{day(completed_on)} is still ahead: a course counts once it is completed. "
            completed_on = None
            verdict = self.rules.check_course(self.policy, assessment, course, provider, None)
        used_before = (
            mine is not None
            and mine.counted_for is not None
            and assessment is not None
            and counted_for_another_cycle(mine, assessment.expires_on)
        )
        with_it = self._with_course_done(caller, assessment, course, verdict, mine, completed_on)
        if verdict.basis == "catalog" and course is not None:
            # "Yes:" only when it counts toward this renewal: approved is not the same as counting here
            lead = (
                "Yes: "
                if with_it is not None and with_it.renewable
                else _catalog_lead(verdict, assessment, completed_on, period, used_before, mine is not None)
            )
            text += (
                f"{lead}{course.title} ({course.id}) from {course.provider} is NASM-approved and gives "
                f"{ceus(verdict.ceus)}."
            )
        elif verdict.approved and provider is not None:
            named = f'"{course_text}" isn\'t in the course catalog, but ' if course_text else ""
            text += (
                f"{named}{provider.name} is an NASM-approved "
                "provider, so its courses count; the CEUs are the ones on your certificate."
            )
        elif own_petitions:
            # already petitioned: never invite a second petition (and a second fee) for it
            what = f'"{course_text}"' if course_text else "That course"
            text += (
                f"{what} isn't a preapproved course, so it counts only once NASM approves its petition. "
                + petitions_text(own_petitions)
            )
        else:
            what = f'"{course_text}"' if course_text else "that course"
            by = f" from {provider.name if provider else provider_text}" if (provider or provider_text) else ""
            text += (
                f"I can't find {what}{by} among NASM-approved courses or providers. You can still "
                f"petition it: {money(verdict.petition_fee)} per course or event, "
                "nonrefundable, and it counts only once the petition is approved. "
                + words.MONEY_NOTE
            )
        if (
            verdict.approved
            and mine is None
            and assessment is not None
            and assessment.ce_remaining <= 0
            and assessment.renewable
            and assessment.today <= assessment.ce_deadline
            and completed_on is None
            and period is None
        ):
            text += _cap_sentence(assessment, self.policy)
            dispatcher.utter_message(text=text.strip())
            return cleared
        if mine is not None and course is not None:
            text += " " + record_sentence(mine, course)
        elif not own_petitions and (
            mine_petitions := petitions_text(
                petitions_named(caller, assessment, (course_text, provider_text, provider.name if provider else None))
            )
        ):  # the trainer's own petition of this title or provider says where it stands
            text += " " + mine_petitions
        if with_it is not None and with_it.renewable:
            # the record is short without it, but the course the trainer says they did closes the gap
            text += _window_sentence(verdict, completed_on, caller.linked, caller.today) + (
                f" Your record doesn't show it yet. {_after_course_sentence(with_it)} With it on your record you "
                f"could still renew until {day(with_it.application_deadline)}."
            )
        elif assessment is not None and not assessment.renewable_if_petitions_approved:
            text += " " + words.unrenewable_text(assessment, self.policy)
        elif used_before and mine is not None and mine.counted_for is not None:
            # inside this cycle's window, but a late renewal already used it (docs/rules.md: one cycle only)
            text += (
                f" It was counted for the renewal of the cycle that expired on {day(mine.counted_for)}, so it "
                "doesn't count again toward this one: a course counts toward one cycle only."
            )
        elif verdict.approved and (mine is None or mine.status is CEStatus.APPROVED):
            text += (
                _period_sentence(verdict, period)
                if period is not None
                else _window_sentence(verdict, completed_on, caller.linked, caller.today)
            )
            if assessment is not None:
                text += _late_note(assessment, self.policy, completed_on, period)
            if (
                assessment is not None
                and caller.record is not None
                and course is not None
                and mine is None
                and assessment.today <= assessment.ce_deadline
                and _FIGURES_AFTER.search(message)
            ):  # "how many CEUs would I still need after the WLS?"
                credential = next(c for c in caller.record.credentials if c.program == assessment.program)
                after = self.rules.with_course(self.policy, caller.record, credential, course, caller.today)
                text += " " + _after_course_sentence(after)
        dispatcher.utter_message(text=text.strip())
        if assessment is not None and _asks_about_own_card_too(words.second_question(message)):
            # "does the PES count? and is my red cross card ok?": the second question is answered too
            dispatcher.utter_message(text=own_card_answer(assessment, self.policy, words.second_question(message)))
        if not caller.linked:
            dispatcher.utter_message(text=words.LINK_HINT)
        return cleared


    def _with_course_done(
        self,
        caller: Caller,
        assessment: Assessment | None,
        course: CatalogCourse | None,
        verdict: Any,
        mine: CERecord | None,
        completed_on: date | None,
    ) -> Assessment | None:
        """The assessment had the record the course the trainer says they completed in the window, when without
        it the credential cannot be renewed ("I did NASM-WLS on Sept 10": 0.8 CEU the record lacks); else None."""
        if (
            assessment is None
            or assessment.renewable_if_petitions_approved
            or caller.record is None
            or course is None
            or mine is not None
            or completed_on is None
            or not verdict.approved
            or verdict.in_window is not True
        ):
            return None
        credential = next((c for c in caller.record.credentials if c.program == assessment.program), None)
        if credential is None:
            return None
        return self.rules.with_course(self.policy, caller.record, credential, course, caller.today, completed_on)


class ActionProviderApproved(CatalogMixin):
    answers_from_record = True

    def name(self) -> str:
        return "action_provider_approved"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await self.answer(dispatcher, tracker, _slot_or_entity(tracker, "provider"))

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, typed: str | None
    ) -> list[EventType]:
        """The answer about the provider ``typed`` (an entity, a slot, or what a course question named)."""
        message = _message(tracker)
        mention = cpr_mention(message, typed, policy=self.policy)
        if mention is not None:
            # "is Red Cross CPR accepted?", "does my BLS from Bob's Safety School count?"
            caller = await self.caller(tracker)
            self.cpr_answer(dispatcher, tracker, caller, mention, typed)
            return [SlotSet("provider", None)]
        _, providers = await self.catalog()
        if not typed:
            in_text = find_provider_in_text(message, providers)
            typed = in_text.found.name if in_text.found else None
        if not typed:
            dispatcher.utter_message(text="Which provider do you mean? Tell me its name.")
            return []
        caller = await self.caller(tracker)
        match = match_provider(typed, providers)
        if match.ambiguous:
            ask_which_provider(dispatcher, typed, match)
            return [SlotSet("provider", None)]
        provider = match.found
        cpr = self.policy.accepted_cpr_provider(typed) or (
            self.policy.accepted_cpr_provider(provider.name) if provider else None
        )
        if provider is None and cpr:
            self.cpr_answer(
                dispatcher, tracker, caller, None, typed,
                lead=f'"{typed}" isn\'t a continuing-education provider I know; for CPR/AED: ',
            )
            return [SlotSet("provider", None)]
        fee = money(self.policy.fees.petition)
        assessment = self.assessment_for(caller, tracker)
        if provider is not None and provider.approved:
            verdict = self.rules.check_course(self.policy, assessment, None, provider, None)
            text = (
                f"Yes: {provider.name} is an NASM-approved continuing-education provider, so its "
                "courses count toward your CEUs." + _window_sentence(verdict, None, caller.linked, caller.today)
            )
        elif provider is not None:
            text = (
                f"No: {provider.name} is not an NASM-approved provider. Its courses count only "
                f"through a petition in the NASM portal: {fee} per course or event, nonrefundable."
            )
        else:
            text = (
                f'I don\'t find "{typed}" among NASM-approved providers. Its courses can still count '
                f"through a petition in the NASM portal: {fee} per course or event, nonrefundable."
            )
        if cpr:
            text += f" {cpr} is also one of the CPR/AED providers NASM accepts."
        if fee in text:
            text += " " + words.MONEY_NOTE
        # the trainer's own petition of a course from this provider says where it stands
        mine = petitions_text(petitions_named(caller, assessment, (typed, provider.name if provider else None)))
        text = f"{text} {mine}".strip()
        dispatcher.utter_message(text=text)
        if not caller.linked:
            dispatcher.utter_message(text=words.LINK_HINT)
        return [SlotSet("provider", None)]


# A message the NLU could not place is taken whole as the answer to "Which course?" (a title it
# doesn't know, see the `course` slot in domain.yml), but a question is no title: "if I finish my CE
# in January, will it count?" (finding 23 of the 2026-12-01 probe).
_QUESTION_START = re.compile(
    r"^\W*(?:what|what's|whats|when|how|why|where|who|which|is|are|am|was|were|do|does|did|can|could|"
    r"will|would|should|if|suppose|and)\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|my|me)\b", re.IGNORECASE)


def _question_not_a_title(text: str) -> bool:
    text = text.strip()
    return bool(_QUESTION_START.search(text)) or (text.endswith("?") and bool(_FIRST_PERSON.search(text)))


def _dated_course_question(tracker: Tracker) -> bool:
    """The question that opens the course form names a completion day or month but no course or provider."""
    if tracker.get_slot("requested_slot"):
        return False
    names = {str(e.get("entity")) for e in (tracker.latest_message or {}).get("entities") or []}
    return "date" in names and not names & {"course", "provider", "credential"}


_ONLY_A_DATE_LEFT = re.compile(r"^\W*(?:(?:and|or|what|how|about|then|on|the|ok|okay|so)\W+)*$", re.I)


def _only_a_date(tracker: Tracker) -> bool:
    """"and oct 30?", "what about jan 13": a day and nothing else, never a course title."""
    message = _message(tracker)
    dates = [e for e in (tracker.latest_message or {}).get("entities") or [] if e.get("entity") == "date"]
    if not dates:
        return False
    rest = message
    for e in dates:  # the value is the words typed (no synonyms map dates)
        rest = re.sub(re.escape(str(e.get("value") or "")), " ", rest, flags=re.I) if e.get("value") else rest
    return bool(_ONLY_A_DATE_LEFT.match(rest))


class ValidateCourseForm(FormValidationAction, CatalogMixin):
    """Canonical course ids and provider names, and ISO dates, for the course form."""

    def name(self) -> str:
        return "validate_course_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            if await self._question_instead_of_a_course(tracker):
                # rejected: the form lets go and data/rules_course_form.yml answers the message
                return [ActionExecutionRejected(self.form_name())]
            return await FormValidationAction.run(self, dispatcher, tracker, domain)
        except Exception:
            logger.exception("action %s failed", self.name())
            dispatcher.utter_message(text=words.TROUBLE, buttons=[words.handoff_button()])
            return []

    async def _question_instead_of_a_course(self, tracker: Tracker) -> bool:
        """The answer to "Which course?" is a question the NLU could not place, naming no course."""
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if tracker.get_slot("requested_slot") == "course" and _only_a_date(tracker):
            return True  # "and oct 30?": a day of the question before, not the course's title
        if intent != "nlu_fallback" or tracker.get_slot("requested_slot") != "course":
            return False
        message = _message(tracker)
        if not _question_not_a_title(message) or cpr_mention(message, policy=self.policy) is not None:
            return False
        courses, _ = await self.catalog()
        return find_course_in_text(message, courses).found is None

    async def extract_course(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The course of the question that opened the form, when the NLU found no entity for it:
        a catalog course named in the message (imported after training), or a CPR/AED class, so the
        form does not ask "Which course?" about a course already named."""
        if tracker.get_slot("course") or tracker.get_slot("requested_slot"):
            return {}
        message = _message(tracker)
        mention = cpr_mention(message, policy=self.policy)
        if mention is not None:
            return {"course": message}
        courses, _ = await self.catalog()
        found = find_course_in_text(message, courses).found or await self.own_course_named(tracker, message, courses)
        return {"course": found.id} if found else {}

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """No course needed once the answer named only a provider (a provider question), or when the message is a
        day after the audit answer ("would the 24th be ok?": the course action hands it to the audit)."""
        if tracker.get_slot("provider") and not tracker.get_slot("course"):
            return []
        if not tracker.get_slot("course") and audit_day_follow_up(tracker):
            return []
        if not tracker.get_slot("course") and _dated_course_question(tracker):
            return []  # "I did a course on oct 29, does it count?": the day answers it, whichever course it was
        return domain_slots

    async def validate_course(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        typed = str(value or "").strip()
        if not typed:
            return {"course": None}
        if (
            typed == _message(tracker).strip()
            and any(True for _ in tracker.get_latest_entity_values("provider"))
            and not any(True for _ in tracker.get_latest_entity_values("course"))
        ):
            return {"course": None}  # "a course from ISSA": the whole message is no course title
        if cpr_mention(typed) is not None:
            return {"course": typed}  # a CPR/AED class: action_course_counts gives the CPR/AED rules
        courses, _ = await self.catalog()
        match = match_course(typed, courses)
        if match.found:
            return {"course": match.found.id}
        if match.ambiguous:
            ask_which_course(dispatcher, typed, match)
            return {"course": None}
        return {"course": typed}  # not in the catalog: the answer explains the petition

    async def validate_provider(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        typed = str(value or "").strip()
        if not typed:
            return {"provider": None}
        _, providers = await self.catalog()
        match = match_provider(typed, providers)
        if match.found:
            return {"provider": match.found.name}
        if match.ambiguous:
            ask_which_provider(dispatcher, typed, match)
            return {"provider": None}
        return {"provider": typed}

    async def validate_date(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        typed = str(value or "").strip()
        if not typed:
            return {"date": None}
        caller = await self.caller(tracker)
        parsed = parse_user_date(typed, caller.today, prefer="past")
        if parsed is None:
            dispatcher.utter_message(
                text=f'I couldn\'t read "{typed}" as a date. Try something like {DATE_EXAMPLES}.'
            )
            return {"date": None}
        return {"date": parsed.isoformat()}
