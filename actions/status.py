"""Where the trainer stands: am I late, expiration, CEUs remaining, steps, can I renew, late fee."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import words
from actions.audit import ActionAudit, about_audit_documents, after_the_audit_answer
from actions.base import Caller, RecordAction
from actions.context import previous_answer_day, previous_reply_actions, previous_reply_text, previous_user_text
from actions.courses import ActionCourseCounts
from actions.cpr_words import asks_about_own_card, card_pronoun_follow_up, own_card_answer
from actions.date_roles import RoledDate, application_day_preference, day_next_to, month_said, roled_dates
from actions.dates import Period, month_period, names_a_day, ordinal_in_month_of, parse_user_date
from actions.new_card import asks_about_new_card, says_new_card_held, utter_new_card
from actions.petitions import ActionPetitionStatus, asks_if_petition_approved, pending_petitions_text
from actions.submission_words import (
    day_answer,
    period_missing,
    period_spans,
    period_words,
    record_credential,
    submission_words,
)
from actions.words import ceus, day, format_ceus, money, program_name, relative_days
from rules import phrases
from rules.calendar import add_days
from rules.model import Assessment, AuditStatus, Credential, Phase
from rules.policy import Policy
from rules.scenarios import submission_on


def _expiry_sentence(a: Assessment) -> str:
    name = program_name(a.program)
    if a.days_until_expiration >= 0:
        return f"Your {name} certification expires on {day(a.expires_on)} ({relative_days(a.days_until_expiration)})."
    return f"Your {name} certification expired on {day(a.expires_on)} ({relative_days(a.days_until_expiration)})."


# "am I still certified?", "is my cert still valid?": whether the trainer is certified today, not
# when ("how long is my certification valid?" is a date question and gets no "Yes."/"No.").
_CERTIFIED_NOW = re.compile(
    r"\b(?:am i|is my|do i|will i|will my|would i|would my)\b[^?]*\b(?:certified|valid|active|current)\b", re.I
)
_ASKS_WHEN = re.compile(r"\b(?:when|how long|until|till|what date|which day)\b", re.I)


# "until when can I still finish my CE?", "last day my CEUs count", "when is my CE deadline": the
# continuing-education deadline, not the expiration date (both are `ask_expiration_date`).
_CE_WORDS = re.compile(r"\b(?:ce|ces|ceus?|continuing education|courses?|credits?|classes)\b", re.I)
_DEADLINE_WORDS = re.compile(
    r"\b(?:deadline|due|by when|until when|till when|last day|latest|how long|how late|what date|"
    r"done by|completed? by|finish(?:ed)? by|count|cutoff|cut-off)\b",
    re.I,
)


# "when does my grace period end?": the grace period is the CE window after expiration (docs/rules.md)
_GRACE = re.compile(r"\bgrace\b", re.I)


def asks_ce_deadline(text: str | None) -> bool:
    """The question is about the last day continuing education can count, not the expiration date."""
    return bool(text and (_CE_WORDS.search(text) and _DEADLINE_WORDS.search(text) or _GRACE.search(text)))


def grace_period_sentence(a: Assessment, policy: Policy) -> str:
    """The grace period of this cycle: its last day, what counts in it, and the late fee it ends."""
    rule = phrases.grace_rule(policy)
    ends = "ends" if a.today <= a.ce_deadline else "ended"
    text = (
        f"Your grace period {ends} on {day(a.ce_deadline)} ({relative_days((a.ce_deadline - a.today).days)}), "
        f"{phrases.count(policy.ce_grace_days, 'day')} after your expiration date: {rule}."
    )
    if a.submitted_on is None and a.today <= a.late_fee_deadline and a.late_fee_deadline == a.ce_deadline:
        text += (
            f" An application NASM receives after {day(a.expires_on)} and by then pays a "
            f"{money(policy.fees.late_first_tier)} late fee; from {day(add_days(a.ce_deadline, 1))}, "
            f"{money(policy.fees.late_second_tier)}."
        )
    if a.ce_remaining > 0 and a.today <= a.ce_deadline:
        text += f" You still need {ceus(a.ce_remaining)} of course CE by then."
    return text


def ce_deadline_sentence(a: Assessment, policy: Policy) -> str:
    """The CE deadline as it stands for this trainer: still ahead, passed, or not needed any more."""
    rule = phrases.grace_rule(policy)
    if a.ce_remaining <= 0:
        gap = (
            ""
            if a.cpr_aed.valid or a.submitted_on is not None
            else " What is still missing is the CPR/AED card, which counts on the day you apply."
        )
        return (
            f"Your course CE is already complete ({ceus(a.ce_counted)} counted), so no course has to be "
            f"finished by a deadline; CE completed up to {day(a.ce_deadline)} would count, because {rule}.{gap}"
        )
    if a.today > a.ce_deadline:
        return (
            f"The last day continuing education could count for this cycle was {day(a.ce_deadline)} "
            f"({relative_days((a.ce_deadline - a.today).days)}), because {rule}."
        )
    return (
        f"Continuing education completed from {day(a.cycle_start)} up to {day(a.ce_deadline)} "
        f"({relative_days((a.ce_deadline - a.today).days)}) counts for this cycle, because {rule}; you still "
        f"need {ceus(a.ce_remaining)} of course CE."
    )


def asks_if_certified(text: str | None) -> bool:
    """The question is whether the trainer is certified today (answered "Yes."/"No." first)."""
    return bool(text and _CERTIFIED_NOW.search(text) and not _ASKS_WHEN.search(text))


def certified_day_asked(tracker: Tracker, today: date) -> tuple[date, str] | None:
    """The day an "am I still certified ...?" question asks about when it is not today ("next week",
    "on December 10"): the last day of a named week or month (the question is whether it still holds
    then), with its words; None for today."""
    message = tracker.latest_message or {}
    if _WEEKEND.search(str(message.get("text") or "")):
        # "am I still certified over the weekend?": through its Sunday (today, when today is the Sunday)
        sunday = today + timedelta(days=(6 - today.weekday()) % 7)
        return sunday, f"over the weekend (to {day(sunday)})"
    texts = [str(e.get("value")) for e in message.get("entities") or [] if e.get("entity") == "date"]
    found = _LATER.search(str(message.get("text") or ""))
    texts += [found.group(0)] if found else []
    for said in texts:
        period = month_period(said, today)
        if period is not None:
            return period.last, f"in {period.label}"
        asked = parse_user_date(said, today, "future")
        if asked is not None and asked > today:
            return asked, f"on {day(asked)}"
    return None


_WEEKEND = re.compile(r"\b(?:this |the |over the |on the |next )?weekend\b", re.I)
_LATER = re.compile(
    r"\b(?:next|this coming)\s+(?:week|month|year)\b|\bin\s+\w+\s+(?:days?|weeks?|months?)\b"
    r"|(?<=\bon )(?:the\s+)?\d{1,2}(?:st|nd|rd|th)(?:\s+of\s+[a-z]+)?\b"
    r"|(?<=\bon )(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b",
    re.I,
)


def certified_then_text(a: Assessment, asked: date, label: str) -> str:
    """Whether the certification still holds on ``asked`` (after today): valid through the end of E.
    ``label`` is how the question named it ("on December 10, 2026", "in the week of December 7, 2026")."""
    name = program_name(a.program)
    if asked <= a.expires_on:
        return (
            f"Yes. Your {name} certification is valid through the end of {day(a.expires_on)} "
            f"({relative_days(a.days_until_expiration)}), so it still holds {label}."
        )
    if a.submitted_on is not None:
        return (
            f"Your {name} certification expires on {day(a.expires_on)}, before the day you asked about; NASM "
            f"received your renewal application on {day(a.submitted_on)} and is processing it."
        )
    return (
        f"Not unless NASM has renewed it by then: your {name} certification is valid through the end of "
        f"{day(a.expires_on)} ({relative_days(a.days_until_expiration)}), so {label} it will have expired until "
        f"the renewal goes through. Apply by {day(a.expires_on)} to pay no late fee; after it you can still renew "
        "late, with a late fee."
    )


def _unrenewable(dispatcher: CollectingDispatcher, a: Assessment, policy: Policy) -> None:
    dispatcher.utter_message(text=words.unrenewable_text(a, policy), buttons=[words.handoff_button()])


def _application_on_record(a: Assessment, policy: Policy) -> str:
    """An application already received: what it fixed, and what is still open (gap, audit)."""
    return " ".join(a.next_steps) if a.next_steps else phrases.application_received(a, policy)


_LAPSED = re.compile(r"\blaps\w*\b", re.I)
_LATE_WORD = re.compile(r"\b(?:late|overdue|lapsed|expired)\b", re.I)


class ActionAmILate(RecordAction):
    def name(self) -> str:
        return "action_am_i_late"

    def general(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        p = self.policy
        dispatcher.utter_message(
            text=(
                "You're late once your certification's expiration date has passed: it is valid "
                f"through the end of that day. After it, {phrases.late_fee_rule(p)}. "
                f"{phrases.sentence(phrases.late_limit_rule(p))} After that the certification "
                f"can't be renewed online. {words.MONEY_NOTE}"
            )
        )

    def personal(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, caller: Caller, a: Assessment
    ) -> list[EventType] | None:
        if asks_if_certified(tracker.latest_message.get("text")) and certified_day_asked(tracker, caller.today):
            # "will I still be certified on the 6th of December?": the dates answer it, judged on that day
            return self.sibling(ActionExpirationDate).personal(dispatcher, tracker, caller, a)
        if asks_if_done(tracker.latest_message.get("text")) and not _LATE_WORD.search(
            str(tracker.latest_message.get("text") or "")
        ):
            # "so am I done then?": what is left (a "Yes: late" read as "yes, done")
            return self.sibling(ActionRenewalSteps).personal(dispatcher, tracker, caller, a)
        p = self.policy
        if a.submitted_on:
            asked = str(tracker.latest_message.get("text") or "")
            if _LAPSED.search(asked) and a.submitted_on <= a.application_deadline:
                # "am I lapsed?" (past the one-year limit now): the application arrived within it
                lead = (
                    f"No: NASM received your application on {day(a.submitted_on)}, within the year after your "
                    f"expiration date (the last day was {day(a.application_deadline)}), so it is being processed."
                )
            elif a.submitted_phase is Phase.ACTIVE:
                lead = "No: your application arrived before your certification expired, so it isn't late."
            else:
                lead = (
                    "Yes: NASM received your application after your certification expired, so "
                    "a late fee applies, set by the day it arrived."
                )
            if a.audit is not None and a.audit.status is AuditStatus.OVERDUE:
                # a bare "No" beside documents 26 days overdue reads as "nothing is late"
                lead = lead.replace("No: your application", "Your application", 1) + (
                    " But your audit documents are overdue (below)."
                )
            text = f"{lead} {_expiry_sentence(a)} {_application_on_record(a, p)}"
            overdue = a.audit is not None and a.audit.status is AuditStatus.OVERDUE
            buttons = [words.handoff_button()] if not a.renewable or overdue else []
            dispatcher.utter_message(text=text, buttons=buttons)
            return []
        if not a.renewable:
            # past the CE deadline, so expired: "yes" first, and the date (the petitions' answer has none)
            lead = f"Yes. {_expiry_sentence(a)}" if a.waits_on_petitions else "Yes."
            dispatcher.utter_message(
                text=f"{lead} {words.unrenewable_text(a, p)}", buttons=[words.handoff_button()]
            )
            return []
        if a.phase is Phase.ACTIVE:
            dispatcher.utter_message(
                text=(
                    f"No, you're not late. {_expiry_sentence(a)} Renew by then and there is no "
                    f"late fee ({phrases.validity_rule()})."
                )
            )
            return []
        text = (
            f"Yes. {_expiry_sentence(a)} Applying today costs "
            f"{phrases.fee_breakdown(a.fees, a.plan)}. {phrases.fee_tiers_ahead(a, p)}"
        )
        if a.phase is Phase.LATE_FEE:
            text += (
                f" CE completed up to {day(a.ce_deadline)} still counts, because "
                f"{phrases.grace_rule(p)}."
            )
        else:
            text += (
                f" You can still renew because your continuing education was completed by "
                f"{day(a.ce_deadline)}: {phrases.late_limit_rule(p)}."
            )
        if not a.cpr_aed.valid:
            text += " " + phrases.cpr_status(a, p)
        dispatcher.utter_message(text=f"{text} {words.MONEY_NOTE}")
        return []


_NAMES_CERT = re.compile(r"\b(?:cert\w*|nasm|cpt|credential|renew\w*|expir\w*)\b", re.I)


class ActionExpirationDate(RecordAction):
    answers_lapsed = True

    def name(self) -> str:
        return "action_expiration_date"

    def general(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        if asks_about_own_card(tracker.latest_message.get("text")):
            dispatcher.utter_message(
                text="I can't see your CPR/AED card: this chat isn't linked to your record."
            )
            return
        if asks_ce_deadline(tracker.latest_message.get("text")):
            dispatcher.utter_message(
                text=(
                    "I can't see your dates: this chat isn't linked to your record. Your CE deadline is "
                    f"{phrases.count(self.policy.ce_grace_days, 'day')} after your expiration date (shown in your "
                    f"NASM portal): {phrases.grace_rule(self.policy)}."
                )
            )
            return
        dispatcher.utter_message(
            text=(
                f"An NASM-CPT certification runs for {phrases.years(self.policy.cycle_years)} and "
                "is valid through the end of its expiration date, which is shown in your NASM portal."
            )
        )

    def personal(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, caller: Caller, a: Assessment
    ) -> list[EventType] | None:
        if asks_about_new_card(tracker.latest_message.get("text")):
            utter_new_card(self, dispatcher, tracker, caller, a)
            return []
        asked = tracker.latest_message.get("text")
        short = len(str(asked or "").split()) <= 4
        if after_the_audit_answer(tracker) and short and not _NAMES_CERT.search(asked or ""):
            # "by when?" right after the audit answer: the documents' due date, not the certification's
            return self.sibling(ActionAudit).personal(dispatcher, tracker, caller, a)
        if asks_about_own_card(asked) or card_pronoun_follow_up(asked, previous_reply_text(tracker)):
            # "when does it expire?" after the card answer: the card's date, not the certification's
            dispatcher.utter_message(text=own_card_answer(a, self.policy, asked))
            return []
        text = _expiry_sentence(a)
        ce_question = asks_ce_deadline(tracker.latest_message.get("text"))
        if ce_question and _GRACE.search(str(tracker.latest_message.get("text") or "")):
            # "when does my grace period end?": the CE deadline, which also ends the first late-fee tier
            text = f"{grace_period_sentence(a, self.policy)} {text}"
        elif ce_question:  # the CE deadline first: it is what was asked
            text = f"{ce_deadline_sentence(a, self.policy)} {text}"
        asked_text = tracker.latest_message.get("text")
        later = certified_day_asked(tracker, caller.today) if asks_if_certified(asked_text) else None
        if later is not None and a.days_until_expiration >= 0:
            # "am I still certified next week?": judged on that day, not today
            dispatcher.utter_message(text=certified_then_text(a, *later))
            return []
        if asks_if_certified(tracker.latest_message.get("text")) and not ce_question:
            # "am I still certified?": valid through the end of the expiration date, not after it
            text = ("Yes. " if a.days_until_expiration >= 0 else "No. ") + text
        if self.lapsed_without_application(a):
            dispatcher.utter_message(text=words.lapsed_text(a, self.policy), buttons=[words.handoff_button()])
            return []
        p = self.policy
        if a.submitted_on:
            text += " " + phrases.application_received(a, p)
        elif not a.renewable:
            dispatcher.utter_message(
                text=f"{text} {words.unrenewable_text(a, p)}", buttons=[words.handoff_button()]
            )
            return []
        else:
            text += (
                f" The last day NASM accepts your application is {day(a.application_deadline)}, "
                f"because {phrases.late_limit_rule(p)}."
            )
            if a.phase is Phase.ACTIVE:
                text += f" Apply by {day(a.expires_on)} to pay no late fee."
        if a.ce_remaining > 0 and not ce_question:
            text += (
                f" Continuing education completed from {day(a.cycle_start)} up to "
                f"{day(a.ce_deadline)} counts for this cycle, because {phrases.grace_rule(p)}."
            )
        if a.audit_outstanding:
            text += " " + phrases.audit_status(a, p)
        dispatcher.utter_message(text=text)
        return []


# "how many CEUs would I still need after the WLS?", "with the CES done, how many are left?": the figures
# with a course done are the course answer's (rules.scenarios.with_course), not the record's as it stands
_AFTER_A_COURSE = re.compile(
    r"\b(?:after|once|with)\b|\b(?:if|when) i (?:take|do|finish|complete|get|pass)\b", re.I
)


class ActionCeusRemaining(RecordAction):
    def name(self) -> str:
        return "action_ceus_remaining"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        message = tracker.latest_message.get("text") or ""
        if asks_if_petition_approved(message):
            # "if my petition is approved will I have enough CEUs?": the figures with it approved
            return await self.sibling(ActionPetitionStatus).run(dispatcher, tracker, domain)
        if next(tracker.get_latest_entity_values("course"), None) and _AFTER_A_COURSE.search(message):
            return await self.sibling(ActionCourseCounts).run(dispatcher, tracker, domain)
        return await super().respond(dispatcher, tracker, domain)

    def general(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        p = self.policy
        dispatcher.utter_message(
            text=(
                f"You need {ceus(p.ceus_required)} every {phrases.years(p.cycle_years)}: up to "
                f"{ceus(p.ce_cap)} from approved courses and {ceus(p.cpr_aed_ceus)} from "
                f"{phrases.cpr_requirement(p).split(' (')[0]}."
            )
        )

    def personal(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, caller: Caller, a: Assessment
    ) -> list[EventType] | None:
        p = self.policy
        if asks_about_new_card(tracker.latest_message.get("text")) or (
            not a.cpr_aed.valid and says_new_card_held(previous_user_text(tracker), self.policy)
        ):  # "with a new CPR card, how many?"; "I have a BLS card from the AHA now" said just before
            utter_new_card(self, dispatcher, tracker, caller, a)
            return []
        if not a.renewable:
            _unrenewable(dispatcher, a, p)
            return []
        if a.ceus_remaining > 0:
            text = (
                f"You have {format_ceus(a.ceus_earned)} of the {ceus(a.ceus_required)} you need "
                f"({phrases.requirement_rule(p)}), so you still need {ceus(a.ceus_remaining)}."
            )
            if a.ce_remaining <= 0:
                text += " Your course CE is complete; what is missing is the CPR/AED card."
            elif a.phase is Phase.ACTIVE:
                text += (
                    f" Finish by {day(a.expires_on)} to renew without a late fee; CE completed up to "
                    f"{day(a.ce_deadline)} still counts, because {phrases.grace_rule(p)}."
                )
            else:
                text += (
                    f" The course CE must be completed by {day(a.ce_deadline)}, because "
                    f"{phrases.grace_rule(p)}."
                )
        else:
            text = f"You have all {ceus(a.ceus_required)} you need ({format_ceus(a.ceus_earned)} counted)."
            if a.submitted_on is None:
                when = f"by {day(a.expires_on)}" if a.phase is Phase.ACTIVE else "now"
                text += (
                    f" What's left is the application: send it {when}; applying today costs "
                    f"{phrases.fee_breakdown(a.fees, a.plan)}. {words.MONEY_NOTE}"
                )
        text += " " + phrases.cpr_status(a, p)
        if a.ceus_pending > 0:
            text += " " + phrases.pending_petitions(a)
        if a.ce_counted_uncapped > a.ce_counted:
            text += (
                f" Only {ceus(p.ce_cap)} of course CE can count; the extra doesn't carry "
                "over to the next cycle."
            )
        if a.submitted_on:
            text += f" NASM received your renewal application on {day(a.submitted_on)}."
        if a.audit_outstanding:
            text += " " + phrases.audit_status(a, p)
        dispatcher.utter_message(text=text)
        return []


# "did NASM get my application?", "has my renewal been received?": whether an application is on record.
_APPLICATION_WORDS = re.compile(r"\b(?:applications?|applied|submission|submitted|paperwork|renewal)\b", re.I)
# "did nasm get my app": the short word too, when NASM is the one said to have it (not "could I get my app in")
_NASM_GOT_IT = re.compile(
    r"\b(?:did|has|have)\s+(?:nasm|they)\s+(?:get|got|gotten|receiv\w*)\s+(?:my|the)\s+app\b", re.I
)
_RECEIPT_WORDS = re.compile(
    r"\b(?:get|got|gotten|receiv\w*|arriv\w*|status|go(?:ne)? through|went through|on file|come in|came in|"
    r"see|show|processed|processing|reach\w*|land\w*|make it|made it|in the system|shown up|show(?:s|ed)? up|"
    r"turn(?:ed|s)? up|nasm (?:has|have|got))\b",
    re.I,
)
_HYPOTHETICAL = re.compile(r"\b(?:what if|if i|if my|when should|how do|how to|where|will)\b", re.I)
# "when do I have to get my renewal in by?": a deadline asked, not whether NASM has it
_DEADLINE_ASKED = re.compile(r"\b(?:when do i|by when|have to|need to|deadline|avoid)\b", re.I)
# "any update on my renewal?", "what's the status of my application?": the application's standing asked for
_UPDATE = re.compile(r"\b(?:any\s+(?:update|news|word)|status|where (?:is|are) (?:my|we))\b", re.I)


# "is my renewal done?", "has my recertification been processed?"
_RENEWAL_DONE = re.compile(
    r"\b(?:is|was|has)\s+my\s+(?:renewal|recert\w*|application)\s+(?:been\s+)?"
    r"(?:done|complete\w*|finished|processed|approved|accepted|through)\b",
    re.I,
)


# "do I still need to submit my renewal app?": the same record fact, asked the other way round
_STILL_TO_SUBMIT = re.compile(
    r"\b(?:(?:do|should|must)\s+i|i)\s+(?:still\s+)?(?:need|have)\s+to\s+(?:submit|send|file|apply)\b", re.I
)


_AUDIT_WORD = re.compile(r"\baudit\w*\b", re.I)


def asks_if_still_to_submit(text: str | None) -> bool:
    """"Do I still need to submit my application?": answered "No: NASM has it" or "Yes: none on record"."""
    return bool(
        text
        and _STILL_TO_SUBMIT.search(text)
        and _APPLICATION_WORDS.search(text)
        and not _HYPOTHETICAL.search(text)
        and not _AUDIT_WORD.search(text)  # "do I still need to send my CPR card for the audit?": the documents
    )


# "am I done?", "so I'm all set?", "is that all?": what is left, not whether it is late ...
_DONE = re.compile(
    r"\b(?:am i|are we|i'?m|im)\s+(?:totally\s+|completely\s+)?(?:done|finished|all set|good to go|covered|complete)\b"
    r"|\bis that (?:it|all)\b|\bnothing (?:else )?(?:left|to do|missing)\b",
    re.I,
)
# ... and "anything left?", "is there anything left to do?", which ask the opposite (Yes while something is)
_ANYTHING_LEFT = re.compile(r"\banything (?:else )?(?:left|to do|missing|outstanding)\b", re.I)


def asks_if_done(text: str | None) -> bool:
    """"Am I done?" / "anything left?": answered from what is left on the record, a plain No (Yes) while
    something is."""
    return bool(text and (_DONE.search(text) or _ANYTHING_LEFT.search(text)))


def asks_application_status(text: str | None) -> bool:
    """Whether NASM has the trainer's application: answered yes or no from the record first."""
    if text and (
        _RENEWAL_DONE.search(text)
        or _NASM_GOT_IT.search(text)
        or (_UPDATE.search(text) and _APPLICATION_WORDS.search(text))
    ):
        return True
    return bool(
        text
        and _APPLICATION_WORDS.search(text)
        and _RECEIPT_WORDS.search(text)
        and not _HYPOTHETICAL.search(text)
        and not _DEADLINE_ASKED.search(text)
    )


class ActionRenewalSteps(RecordAction):
    def name(self) -> str:
        return "action_renewal_steps"

    def general(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        p = self.policy
        if asks_application_status(tracker.latest_message.get("text")):
            dispatcher.utter_message(
                text=(
                    "I can't see whether NASM has your application: this chat isn't linked to your record. "
                    "The NASM portal shows the applications it received."
                )
            )
            return
        dispatcher.utter_message(
            text=(
                "How to renew, step by step:\n"
                f"1. Earn {ceus(p.ceus_required)} in your {p.cycle_years}-year cycle: up to "
                f"{ceus(p.ce_cap)} from approved courses and {ceus(p.cpr_aed_ceus)} from "
                f"{phrases.cpr_requirement(p).split(' (')[0]}.\n"
                f"2. Submit the renewal application with the {money(p.fees.renewal_standard)} fee "
                f"({money(p.fees.renewal_lifetime)} on Certify for Life) by your expiration date; "
                f"after it, {phrases.late_fee_rule(p)}.\n"
                f"3. Keep your certificates: if your application is picked for a random audit you "
                f"have {phrases.count(p.audit_response_days, 'day')} to send them to "
                f"{phrases.AUDIT_DEPARTMENT}.\n" + words.MONEY_NOTE
            )
        )

    def personal(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, caller: Caller, a: Assessment
    ) -> list[EventType] | None:
        lead = ""
        asked = tracker.latest_message.get("text")
        if asks_if_still_to_submit(asked):
            lead = (
                f"No: NASM already has your application (received {day(a.submitted_on)}). "
                if a.submitted_on
                else "Yes: your record shows no renewal application from you yet. "
            )
        elif asks_application_status(asked) and words.is_yes_no_question(asked):
            # the record answers the question first; the steps below say what it means. It shows an application
            # received, never one finished: "has it been processed?" is not answered "Yes."
            if a.submitted_on is None:
                lead = "No: your record shows no renewal application from you yet. "
            elif _RENEWAL_DONE.search(asked or ""):
                lead = "Not that your record shows: it has your application as received, not as finished. "
            else:
                lead = "Yes. "
        elif asks_application_status(asked):
            # "what's the status of my renewal?", "when did NASM get it?": no "Yes." to nothing; the first step
            # says when NASM received it
            lead = "" if a.submitted_on else "Your record shows no renewal application from you yet. "
        elif asks_if_done(asked):
            outstanding = a.audit is not None and a.audit.status is not AuditStatus.SUBMITTED
            something_left = a.submitted_on is None or outstanding
            if _ANYTHING_LEFT.search(asked or "") and not _DONE.search(asked or ""):
                lead = "Yes. " if something_left else ""
            else:
                lead = "No. " if something_left else ""
        if not a.renewable:
            dispatcher.utter_message(
                text=f"{lead}{words.unrenewable_text(a, self.policy)}", buttons=[words.handoff_button()]
            )
            return []
        # the note on the fees is said after the list, not numbered as a step to take
        steps = "\n".join(
            f"{i}. {step}" for i, step in enumerate((s for s in a.next_steps if s != words.MONEY_NOTE), start=1)
        )
        note = f"\n{words.MONEY_NOTE}" if words.MONEY_NOTE in a.next_steps else ""
        dispatcher.utter_message(
            text=f"{lead}Here's what's left for your {program_name(a.program)} renewal:\n{steps}{note}"
        )
        return []


class ActionCanRenew(RecordAction):
    def name(self) -> str:
        return "action_can_renew"

    def general(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        p = self.policy
        dispatcher.utter_message(
            text=(
                "You can renew up to your expiration date without a late fee. After it, "
                f"{phrases.late_fee_rule(p)}. {phrases.sentence(phrases.late_limit_rule(p))} "
                "After that the certification can't be renewed online."
            )
        )

    def personal(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, caller: Caller, a: Assessment
    ) -> list[EventType] | None:
        if asks_if_certified(tracker.latest_message.get("text")) and certified_day_asked(tracker, caller.today):
            # "will I still be certified on the 6th of December?": the dates answer it, judged on that day
            return self.sibling(ActionExpirationDate).personal(dispatcher, tracker, caller, a)
        p = self.policy
        if a.submitted_on:
            lead = "You've already applied." if a.renewable else "You've applied, but:"
            buttons = [] if a.renewable else [words.handoff_button()]
            dispatcher.utter_message(text=f"{lead} {_application_on_record(a, p)}", buttons=buttons)
            return []
        petitions = pending_petitions_text(caller, a)
        if a.waits_on_petitions and petitions:
            # "can I renew?": not yet; the named petition decides it, and counts only once approved
            dispatcher.utter_message(
                text=f"Not yet. {petitions} {phrases.petitions_decide(a, p)}", buttons=[words.handoff_button()]
            )
            return []
        if not a.renewable:
            _unrenewable(dispatcher, a, p)
            return []
        cost = f"Applying today costs {phrases.fee_breakdown(a.fees, a.plan)}."
        if a.phase is Phase.ACTIVE:
            text = (
                "You can renew now. "
                if a.ceus_remaining <= 0
                else f"You can renew once you have the {ceus(a.ceus_remaining)} you still need. "
            )
            text += f"Renew by {day(a.expires_on)} to avoid a late fee. {cost}"
            if not a.cpr_aed.valid:
                text += f" {phrases.cpr_status(a, p)} {phrases.sentence(phrases.card_judged_rule())}"
        else:
            text = (
                f"You can still renew until {day(a.application_deadline)}, because "
                f"{phrases.late_limit_rule(p)}, and yours was completed by {day(a.ce_deadline)}. "
                if a.ce_remaining <= 0
                else f"You can still renew until {day(a.application_deadline)}, because "
                f"{phrases.late_limit_rule(p)}. "
            )
            # "am I late? can I still renew?" is one question to this action: it says both
            text += f"{_expiry_sentence(a)} So you're late. "
            if a.ce_remaining > 0:
                text += (
                    f"You still need {ceus(a.ce_remaining)} of continuing education, completed by "
                    f"{day(a.ce_deadline)}. "
                )
            if not a.cpr_aed.valid:
                text += f"{phrases.cpr_status(a, p)} {phrases.sentence(phrases.card_judged_rule())} "
            text += cost
        if petitions and a.ce_remaining > 0:
            text += f" {petitions}"
        dispatcher.utter_message(text=f"{text} {words.MONEY_NOTE}")
        return []


# the answers whose follow-up ("and in April?") names another day for the same application
FEE_ANSWERS = frozenset({"action_late_fee", "action_what_if"})


def _submission_dates(tracker: Tracker) -> list[RoledDate]:
    """The dates a fee question gives as the day NASM would receive the application ("if I renew in
    January", "if NASM gets it on January 14"), from the entities or else the message; a date with
    another role ("it expired October 15, what's the late fee?") is not a submission day."""
    message = tracker.latest_message or {}
    text = message.get("text")
    entities = list(message.get("entities") or [])
    next_to = day_next_to(text, previous_answer_day(tracker))  # "and the day after?"
    if next_to is not None:
        return [next_to]
    dated = [d for d in roled_dates(text, entities) if d.role == "submit"]
    dated = dated or [d for d in month_said(text) if d.role == "submit"]
    if dated or not (words.asks_about_money(text) or FEE_ANSWERS & set(previous_reply_actions(tracker))):
        return dated
    # "and in April?", "sorry, I meant March" right after a fee answer, "fee on jan 14?": a day said with no
    # verb of its own in a fee question is the day NASM would receive the application
    unroled = [d for d in roled_dates(text, entities) if d.role is None] or month_said(text, keep_unroled=True)
    return [RoledDate(d.text, "submit", "future" if d.prefer == "nearest" else d.prefer) for d in unroled]


def asked_submission_day(tracker: Tracker, caller: Caller) -> date | None:
    """The one day a fee question names for the application."""
    for d in _submission_dates(tracker):
        if names_a_day(d.text):
            earlier = previous_answer_day(tracker)
            found = (ordinal_in_month_of(d.text, earlier) if earlier else None) or parse_user_date(
                d.text, caller.today, application_day_preference(d, tracker.latest_message.get("text"))
            )
            if found is not None:
                return found
    return None



def asked_submission_month(tracker: Tracker, caller: Caller) -> Period | None:
    """The month (week, year) a fee question names for the application."""
    for d in _submission_dates(tracker):
        period = month_period(d.text, caller.today)
        if period is not None:
            return period
    return None


# "will I get a late fee if ...", "do I pay more if ...": a fee asked about in so many words
_LATE_FEE_ASKED = re.compile(r"\b(?:late fee|penalt\w*|charged? (?:extra|more)|pay (?:extra|more))\b", re.I)


class ActionLateFee(RecordAction):
    """"What is the late fee?", "what will renewing cost me?": renewal fee + late fee = total."""

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        from actions.what_if import ActionWhatIf, previous_expiry  # the what-if builds on this module

        days = [d for d in _submission_dates(tracker) if names_a_day(d.text)]
        if len(days) > 1:
            # "jan 13 or jan 14, what's the difference?": each day, and the difference, as the what-if says it
            return await self.sibling(ActionWhatIf).run(dispatcher, tracker, domain)
        if previous_expiry(tracker) is not None and not (await self.caller(tracker)).linked:
            # "whats my total if i apply today" after a what-if for an expiration date the trainer told: that
            # date's fee, not the general rule and the link hint
            return await self.sibling(ActionWhatIf).run(dispatcher, tracker, domain)
        return await super().respond(dispatcher, tracker, domain)

    def name(self) -> str:
        return "action_late_fee"

    def general(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        f = self.policy.fees
        dispatcher.utter_message(
            text=(
                f"Renewing costs the {money(f.renewal_standard)} renewal fee "
                f"({money(f.renewal_lifetime)} on the Certify for Life plan). After your "
                f"expiration date, {phrases.late_fee_rule(self.policy)}; {phrases.fee_date_rule()}. "
                f"A course that isn't preapproved needs a petition: {money(f.petition)} per course "
                f"or event, nonrefundable. {words.MONEY_NOTE}"
            )
        )

    def personal(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, caller: Caller, a: Assessment
    ) -> list[EventType] | None:
        asks_fee = words.asks_about_money(tracker.latest_message.get("text"))
        if about_audit_documents(tracker, a) and not asks_fee:
            # "can I send the docs on Dec 28?": the audit's due date
            return list(self.sibling(ActionAudit).personal(dispatcher, tracker, caller, a) or [])
        p = self.policy
        buttons: list[dict[str, Any]] = []
        if a.submitted_on:
            # "will I get a late fee if the audit drags past dec 20?": the day it arrived set the fee for good
            question = str(tracker.latest_message.get("text") or "")
            # ("give me the total bill, renewal plus late fee" asks for no yes or no)
            late_asked = _LATE_FEE_ASKED.search(question) and words.is_yes_no_question(question)
            lead = "No: " if a.fees.late == 0 and late_asked else ""
            text = lead + phrases.application_received(a, p)
            if a.audit_outstanding:
                text += " The audit doesn't change the fee. " + phrases.audit_status(a, p)
        elif not a.renewable or a.fees.total is None:
            _unrenewable(dispatcher, a, p)
            return []
        elif (asked := asked_submission_day(tracker, caller)) is not None:
            # "how much if NASM gets it on January 14?": that day's tier and what the renewal still
            # needs that day, as the what-if says it
            credential = record_credential(caller.record, a) or Credential(
                program=a.program, expires_on=a.expires_on, plan=a.plan
            )
            if caller.record is None:
                s = submission_on(p, credential, asked)
                said, person, fee = submission_words(p, s, a.plan), not s.accepted, s.accepted
            else:
                said, person, fee = day_answer(p, caller.record, credential, asked, caller.today, a.plan)
            if not fee:  # too late, or a day no renewal can reach: no fee
                dispatcher.utter_message(text=said, buttons=[words.handoff_button()])
                return [SlotSet("date", None)] if tracker.get_slot("date") else []
            text = said
            buttons = [words.handoff_button()] if person else []
        elif (period := asked_submission_month(tracker, caller)) is not None:
            # "how much if I renew in January?": that month's days, split at the tier boundaries
            credential = Credential(program=a.program, expires_on=a.expires_on, plan=a.plan)
            spans = period_spans(p, credential, period)
            text = period_words(p, spans, a.plan, period.label)
            if any(span.submission.accepted for span in spans):
                # each day of the month as the record would stand then: the card, the CE, the petitions
                credential = record_credential(caller.record, a) or credential
                if caller.record is not None:
                    gap, _ = period_missing(p, caller.record, credential, period, caller.today)
                    text = " ".join(t for t in (text, gap) if t)
            else:
                dispatcher.utter_message(text=text, buttons=[words.handoff_button()])
                return []
        else:
            when = "today" if a.phase is not Phase.ACTIVE else f"by {day(a.expires_on)}"
            text = (
                f"Applying {when} costs {phrases.fee_breakdown(a.fees, a.plan)}. "
                f"{phrases.fee_tiers_ahead(a, p)} {phrases.sentence(phrases.fee_date_rule())}"
            )
        if a.ceus_pending > 0:
            text += f" A petition is {money(p.fees.petition)} per course or event, nonrefundable."
        dispatcher.utter_message(text=f"{text} {words.MONEY_NOTE}", buttons=buttons)
        # the date this question named is answered: left in the slot, a later what-if would take it
        # for an expiration date
        return [SlotSet("date", None)] if tracker.get_slot("date") else []
