"""What if: "my cert expires June 3 and I have 1.2 CEUs", "what if I apply on August 15?",
"I finished my last CEUs on April 20". Nothing is stored.

A date in a what-if question plays one of three roles, told apart by the verb nearest before it
(or, failing that, after it), or by a Rasa entity ``role`` when the NLU gives one:

- ``expires``: the certification's expiration date ("expires June 3", "expired in January");
- ``submit``: the day NASM receives the application ("apply on August 15", "renew next month");
- ``completed``: the day continuing education was completed ("finished my last CEUs on April 20").

A submission date is answered with the fee of that day's tier, a completion date with whether it
counts for the cycle (``rules.scenarios``). The expiration date is the one named in the message,
else the linked trainer's own, else the action asks for it and keeps the other date meanwhile.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import words
from actions.amounts import parse_ceus, unusable_ceus
from actions.audit import ActionAudit, about_audit_documents
from actions.base import Caller, RecertAction, stated_expiration
from actions.completion_words import completion_period_words
from actions.context import previous_answer_day, previous_reply_actions, previous_user_text
from actions.cpr_words import asks_about_own_card
from actions.date_roles import (
    Role,
    RoledDate,
    application_day_preference,
    date_preference,
    day_next_to,
    month_said,
    roled_dates,
)
from actions.dates import (
    Period,
    Preference,
    iso_or_none,
    month_period,
    names_a_day,
    ordinal_in_month_of,
    parse_user_date,
)
from actions.new_card import asks_about_new_card, plans_a_new_card
from actions.submission_words import (
    day_answer,
    period_missing,
    period_spans,
    period_words,
    record_credential,
    submission_words,
)
from actions.words import ceus, day, money, relative_days
from rules import phrases
from rules.model import Assessment, Credential, Phase, TrainerRecord
from rules.scenarios import (
    Completion,
    CompletionStanding,
    completion_on,
    completions_between,
    record_with_current_card,
    submission_on,
)

EXAMPLE = '"my cert expires June 3 and I have 1.2 CEUs"'
EXPIRY_EXAMPLE = '"it expires March 1"'
# Slots that keep a submission or completion date while the action asks for the expiration date.
SUBMIT_SLOT = "what_if_submit"
COMPLETED_SLOT = "what_if_completed"


_BARE_NUMBER = re.compile(r"(?<![\w./-])(\d(?:[.,]\d{1,2})?|[.,]\d{1,2})(?![\w/-]|[.,]\d)")


def bare_amount(message: str | None, entities: list[dict[str, Any]]) -> str | None:
    """A CEU figure typed without its unit ("I have 1.5 so far", "and with 0.8?"): a number under 10
    outside every entity the NLU found (a date, a course id). None when there is none, or several."""
    text = message or ""
    taken = [
        (e["start"], e["end"])
        for e in entities
        if isinstance(e.get("start"), int) and isinstance(e.get("end"), int)
    ]
    found = [
        m.group(1)
        for m in _BARE_NUMBER.finditer(text)
        if not any(start < m.end() and m.start() < end for start, end in taken)
    ]
    return found[0] if len(found) == 1 else None


# "to make up the 0.4", "the 0.3 I'm missing", "the remaining 0.5": a figure named as the gap, not the total
_GAP_AMOUNT = re.compile(
    r"\b(?:make up|makeup|cover|fill|close|get|earn)\s+(?:for\s+)?(?:the|my|that|this|those)\s+"
    r"(?:last\s+|missing\s+|remaining\s+|other\s+)?\.?\d"
    r"|\d\s*(?:ceus?\s+)?(?:that\s+)?(?:i'?m|i am|i'?ve been)\s+(?:missing|short)"
    r"|\b(?:missing|remaining|last|outstanding)\s+\.?\d",
    re.I,
)


# "when's the last day to apply?", "what's my deadline?": dates asked for, which need no CEU figure
_DEADLINE = re.compile(
    r"\b(?:last day|deadline|latest|cut-?off|by when|until when|how long do i have)\b", re.I
)


def _asks_deadline(tracker: Tracker) -> bool:
    """This message, or the one before it that this one answers with a date, asks for a deadline."""
    text = str((tracker.latest_message or {}).get("text") or "")
    return bool(_DEADLINE.search(text) or (_DEADLINE.search(previous_user_text(tracker)) and len(text.split()) <= 5))


def gap_amount(text: str | None) -> bool:
    """The CEU figure in ``text`` is named as what is missing ("to make up the 0.4"), not as what is held."""
    return bool(text and _GAP_AMOUNT.search(text))


def previous_expiry(tracker: Tracker) -> date | None:
    """The expiration date this action kept for the topic (an ISO ``date`` slot it set), also when
    the NLU has just overwritten the slot with the trainer's words ("sorry, I meant July 20")."""
    for event in reversed(tracker.events or []):
        if event.get("event") != "slot" or event.get("name") != "date":
            continue
        value = event.get("value")
        if value is None:
            return None  # the topic was closed
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            continue  # the trainer's words, set by the slot mapping: look further back
    return None


def _slot_text(tracker: Tracker, name: str) -> str | None:
    value = tracker.get_slot(name)
    return str(value).strip() if value else None


def _period_slot(period: Period | None) -> str | None:
    """A month kept while the action asks for the expiration date: "first/last/label"."""
    return f"{period.first.isoformat()}/{period.last.isoformat()}/{period.label}" if period else None


def _stored_period(tracker: Tracker, slot: str) -> Period | None:
    parts = (_slot_text(tracker, slot) or "").split("/", 2)
    if len(parts) != 3:
        return None
    try:
        return Period(date.fromisoformat(parts[0]), date.fromisoformat(parts[1]), parts[2])
    except ValueError:
        return None


def follow_up_role(tracker: Tracker) -> Role | None:
    """The role an earlier what-if gave its date, for a follow-up whose date has no verb of its own.

    "What if I apply on December 4?" -> "and on December 5?" -> "sorry, I meant December 3": the later
    dates are application days too, not expiration dates (which would ask a linked trainer for CEUs
    the record holds). The trainer's earlier messages are read back over follow-ups that name a date
    without a verb; a message without a date (another topic) or one that names an expiration ends it.
    """
    users = [e for e in tracker.events or [] if e.get("event") == "user"]
    for event in reversed(users[:-1]):  # the last one is the message being answered
        text = event.get("text")
        entities = list((event.get("parse_data") or {}).get("entities") or [])
        dates = roled_dates(text, entities) or month_said(text)
        if not dates:
            return None
        roles = [d.role for d in dates if d.role is not None]
        if roles:
            role = roles[0]
            return role if role in ("submit", "completed") else None
    return None


def _after_a_course_answer(tracker: Tracker) -> bool:
    return bool({"action_course_counts", "course_form"} & set(previous_reply_actions(tracker)))


# two figures offered as the requirement: "do I need 2.0 or 1.9 CEUs?", "is it 1.9 or 2 ceus that are required"
_WHICH_REQUIREMENT = re.compile(
    r"\b(?:need|needed|required?|requirement)\b.{0,30}\b\d(?:\.\d+)?\s*(?:ceus?)?\s+or\s+\d"
    r"|\b\d(?:\.\d+)?\s*(?:ceus?)?\s+or\s+\d(?:\.\d+)?\s*(?:ceus?)?\b.{0,30}\b(?:need|needed|required?)\b",
    re.I,
)
_CERTIFIED_THEN = re.compile(r"\b(?:am i|will i|would i)\b[^?]*\b(?:still\s+)?certified\b", re.I)


class ActionWhatIf(RecertAction):
    answers_from_record = True

    def name(self) -> str:
        return "action_what_if"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        message = tracker.latest_message or {}
        caller = await self.caller(tracker)
        mine = self.pick(self.assessments(caller), tracker) if caller.linked else None
        if mine is not None and about_audit_documents(tracker, mine):
            # "can I send the audit documents on December 28?": a day for the documents, not an application
            return list(self.sibling(ActionAudit).personal(dispatcher, tracker, caller, mine) or [])
        text = str(message.get("text") or "")
        if _WHICH_REQUIREMENT.search(text):
            # "do i need 2.0 or 1.9 ceus?": which figure the rule asks for, not a count of the trainer's own
            from actions.status import ActionCeusRemaining  # status builds on this module

            return await self.sibling(ActionCeusRemaining).run(dispatcher, tracker, domain)
        said_expiry = stated_expiration(tracker, caller.today) if mine is not None else None
        if mine is not None and said_expiry is not None and said_expiry != mine.expires_on:
            # "my certification expires jan 31, doesn't it? no late fee then?": the record's date corrects it,
            # and the answer is the record's (the fee, or the dates)
            from actions.status import ActionExpirationDate, ActionLateFee  # status builds on this module

            answer = ActionLateFee if words.asks_about_money(text) else ActionExpirationDate
            return await self.sibling(answer).run(dispatcher, tracker, domain)
        if (
            mine is not None
            and asks_about_own_card(text, self.policy)
            and not asks_about_new_card(text)
            and not words.asks_about_money(text)
        ):
            # "will my Red Cross card still be good if I apply in February?": the card on that day, not the fee
            from actions.faq import ActionAnswerFaq  # faq builds on this module

            await self.sibling(ActionAnswerFaq).own_card(dispatcher, tracker)
            return self._cleared()
        entities = list(message.get("entities") or [])
        names_a_course = any(e.get("entity") in ("course", "credential") for e in entities)
        if caller.linked and names_a_course and not any(e.get("entity") == "ceu_amount" for e in entities):
            # "if I do GPS on June 3, 2027 does it count?": a course and its day, which the course answer judges
            from actions.courses import ActionCourseCounts  # courses builds on this module

            return await self.sibling(ActionCourseCounts).run(dispatcher, tracker, domain)
        if caller.linked and _CERTIFIED_THEN.search(str(message.get("text") or "")):
            # "will I still be certified on December 10?": the record's dates answer it, no figures asked for
            from actions.status import ActionExpirationDate  # status builds on this module

            return await self.sibling(ActionExpirationDate).run(dispatcher, tracker, domain)
        next_to = day_next_to(message.get("text"), previous_answer_day(tracker))  # "and the day after?"
        dates = [next_to] if next_to else roled_dates(message.get("text"), list(message.get("entities") or []))
        asked_for_expiry = any(_slot_text(tracker, slot) for slot in (SUBMIT_SLOT, COMPLETED_SLOT))
        if not dates:  # a month this message names beats a date an earlier message left in the slot
            dates = month_said(message.get("text"))
        if not dates and not asked_for_expiry:
            # "sorry, I meant March" after a fee in February: the month of the same question
            unroled = month_said(message.get("text"), keep_unroled=True)
            role = follow_up_role(tracker) if unroled else None
            dates = [RoledDate(unroled[0].text, role, unroled[0].prefer)] if role is not None else []
        if len(dates) == 1 and dates[0].role is None and not asked_for_expiry:
            # "and on December 5?" after "what if I apply on December 4?": the day of the same question;
            # "and oct 30?" after a course answer: a completion day
            role = follow_up_role(tracker) or ("completed" if _after_a_course_answer(tracker) else None)
            if role is not None:
                # "and July 15?" after "is it too late to finish a course on July 14, 2027?": read as the
                # question before was (a day still to come), not the nearest July 15, a year earlier
                read_as = dates[0].prefer
                if read_as == "nearest":
                    read_as = date_preference(previous_user_text(tracker))
                dates = [RoledDate(dates[0].text, role, read_as)]
        if not dates and _slot_text(tracker, "date"):
            dates = [RoledDate(_slot_text(tracker, "date") or "", None, date_preference(message.get("text")))]
        said_amount = next(tracker.get_latest_entity_values("ceu_amount"), None) or bare_amount(
            message.get("text"), list(message.get("entities") or [])
        )
        amount_text = said_amount or _slot_text(tracker, "ceu_amount")
        earned = parse_ceus(str(amount_text) if amount_text else None)
        if mine is not None and said_amount and gap_amount(message.get("text")):
            # "can I take another course now to make up the 0.4?": the figure is what is missing, not the
            # total, and the question is whether a course completed today still counts
            self._course_now_answer(dispatcher, caller, mine, parse_ceus(str(said_amount)))
            return self._cleared()

        submit = self._stored(tracker, SUBMIT_SLOT)
        submit_period = _stored_period(tracker, SUBMIT_SLOT)
        completed = self._stored(tracker, COMPLETED_SLOT)
        completed_period = _stored_period(tracker, COMPLETED_SLOT)
        expiry_text: str | None = None
        expiry_prefer: Preference = "nearest"
        unread: list[str] = []
        if mine is not None and dates and all(d.role is None for d in dates):
            # "fee on march 1 2027?", "compare jan 10 and feb 10, cost wise", "oct 14 2027?" after a fee answer,
            # from a linked trainer: their expiration date is on the record (taking the day for another one
            # would ask them for CEUs the record holds), so a day without a verb is the day NASM would receive it
            dates = [RoledDate(d.text, "submit", "future" if d.prefer == "nearest" else d.prefer) for d in dates]
        submit_days: list[date] = []
        has_roled_other = any(d.role in ("submit", "completed") for d in dates)
        for d in dates:
            kept_other = submit or submit_period or completed or completed_period
            unroled_expiry = d.role is None and expiry_text is None and (not has_roled_other or kept_other)
            if d.role == "expires" or unroled_expiry:
                if expiry_text is None:
                    expiry_text, expiry_prefer = d.text, d.prefer
                continue
            if d.role is None:
                continue
            # "if I renew in May", "if I finish it in January": a month, not a made-up day of it
            period = month_period(d.text, caller.today, "past" if d.prefer == "past" else "future")
            if period is not None and d.role == "submit":
                submit, submit_period = None, period
                continue
            if period is not None:
                completed, completed_period = None, period
                continue
            earlier = previous_answer_day(tracker) if d.role == "submit" else None
            # "and july 30?" after July 31, 2027: an application day said without a verb of the past is still
            # to come (the nearest reading, July 30 of this year, is a day no application can arrive any more)
            prefer: Preference = application_day_preference(d, text) if d.role == "submit" else d.prefer
            parsed = (ordinal_in_month_of(d.text, earlier) if earlier else None) or parse_user_date(
                d.text, caller.today, prefer
            )
            if parsed is None:
                unread.append(d.text)
            elif d.role == "submit":
                submit, submit_period = parsed, None
                submit_days.append(parsed)
            else:
                completed, completed_period = parsed, None

        previous = previous_expiry(tracker)  # the expiration date of the topic, when kept
        if expiry_text and expiry_prefer == "nearest" and previous is not None:
            # "sorry, I meant July 20": a correction has no verb of its own; it lies on the same side
            # of today as the date it replaces
            expiry_prefer = "future" if previous >= caller.today else "past"
        if expiry_text is None and previous is not None and self._own_credential(caller, tracker) is None:
            # "what if I apply on February 1?" after an answer for an expiration date told before
            expiry_text = previous.isoformat()
        credential, expiry_unread = self._credential(caller, tracker, expiry_text, expiry_prefer)
        unread_text = "".join(f'I couldn\'t read "{u}" as a date. ' for u in unread)
        if expiry_unread and expiry_text and not names_a_day(expiry_text):
            # "expires in February": dateparser would make up a day of it, and every deadline follows from it
            unread_text += f'"{expiry_text}" names no day, and every deadline follows from the exact expiration date. '
        elif expiry_unread:
            unread_text += f'I couldn\'t read "{expiry_text}" as a date. '

        bad_amount = unusable_ceus(said_amount, message.get("text"))
        if bad_amount:
            tenth = Decimal(1) / self.policy.contact_hours_per_ceu
            dispatcher.utter_message(
                text=(
                    f'{unread_text}I can\'t use "{bad_amount}" as a CEU amount: CEUs are counted in tenths '
                    f"(one contact hour is {ceus(tenth)}) and never below zero. How many CEUs do you have so "
                    "far, for example 1.2?"
                )
            )
            kept_expiry = (
                credential is not None
                and expiry_text is not None
                and not expiry_unread
                and credential is not self._own_credential(caller, tracker)
            )
            return [SlotSet("ceu_amount", None)] + (
                [SlotSet("date", credential.expires_on.isoformat())] if kept_expiry and credential else []
            )


        if submit or submit_period or completed or completed_period:
            if credential is None:
                dispatcher.utter_message(
                    text=(
                        f"{unread_text}To work that out I need your certification's expiration date: "
                        f"when does (or did) it expire? For example {EXPIRY_EXAMPLE}."
                    )
                )
                return [
                    SlotSet(SUBMIT_SLOT, iso_or_none(submit) or _period_slot(submit_period)),
                    SlotSet(COMPLETED_SLOT, iso_or_none(completed) or _period_slot(completed_period)),
                    SlotSet("date", None),
                ]
            own = self._own_assessment(caller, tracker, credential)
            if len(submit_days) > 1 and own is not None and own.submitted_on is None and caller.record is not None:
                # "jan 13 or jan 14?": each day's own answer, then what the choice costs
                self._compare_days(dispatcher, caller.record, credential, submit_days, caller.today, unread_text)
                return self._cleared()
            parts, money_said, offer_person = [], False, False
            decided = own is not None and (own.submitted_on or (not own.renewable and not submit))
            if own is not None and (submit or submit_period) and decided:
                # the record already decides it: an application on file fixed the fee, and a
                # credential that cannot be renewed is not renewed by applying in another month (a
                # single day is answered with that day's own figures below)
                if own.submitted_on:
                    said = f"{unread_text}{phrases.application_received(own, self.policy)} {words.MONEY_NOTE}"
                    dispatcher.utter_message(text=said)
                else:
                    dispatcher.utter_message(
                        text=unread_text + words.unrenewable_text(own, self.policy),
                        buttons=[words.handoff_button()],
                    )
                return self._cleared()
            planned = own is not None and caller.record is not None and plans_a_new_card(text, self.policy)
            record = (
                record_with_current_card(self.policy, caller.record, credential, caller.today)
                if planned and caller.record is not None
                else caller.record
            )
            if planned and (submit or submit_period):
                # "if I get an AHA card tomorrow and apply on Dec 3, how much?": the record with that card
                parts.append(
                    "Counting the new card (a current adult CPR/AED card with a hands-on part, from an accepted "
                    "provider, held by the day NASM receives the application):"
                )
            if submit and own is not None and record is not None:
                # the record on that day, not today: its fee and what is still missing then
                said, offer_person, money_said = day_answer(
                    self.policy, record, credential, submit, caller.today, credential.plan
                )
                if not money_said and submission_on(self.policy, credential, submit).accepted:
                    # a renewal that no day can bring: said without a fee
                    dispatcher.utter_message(text=unread_text + said, buttons=[words.handoff_button()])
                    return self._cleared()
                parts.append(said)
            elif submit:
                s = submission_on(self.policy, credential, submit)
                parts.append(submission_words(self.policy, s, credential.plan))
                money_said, offer_person = s.accepted, not s.accepted
            elif submit_period:
                spans = period_spans(self.policy, credential, submit_period)
                parts.append(period_words(self.policy, spans, credential.plan, submit_period.label))
                money_said = any(span.submission.accepted for span in spans)
                offer_person = not money_said
                if money_said and own is not None and record is not None:
                    # each day of the month as the record would stand then: the card, the CE, the petitions
                    gap, person = period_missing(self.policy, record, credential, submit_period, caller.today)
                    parts.append(gap)
                    offer_person = offer_person or person
            # a trainer whose record already holds all the course CE needs no more: a course "too late"
            # then is no trouble to hand to a person, and the answer says why
            ce_done = own is not None and own.ce_remaining <= 0 and own.renewable and own.submitted_on is None
            if completed:
                c = completion_on(self.policy, credential, completed)
                parts.append(self._completion_words(c, needed=not ce_done))
                money_said = money_said or c.standing is CompletionStanding.GRACE
                offer_person = offer_person or (c.standing is CompletionStanding.TOO_LATE and not ce_done)
            elif completed_period:
                cspans = completions_between(self.policy, credential, completed_period.first, completed_period.last)
                parts.append(completion_period_words(self.policy, cspans, completed_period.label, needed=not ce_done))
                standings = {span.completion.standing for span in cspans}
                money_said = money_said or CompletionStanding.GRACE in standings
                offer_person = offer_person or (CompletionStanding.TOO_LATE in standings and not ce_done)
            if ce_done and own is not None and (completed or completed_period):
                parts.append(
                    f"Your record already has all the course CE this renewal needs ({ceus(own.ce_counted)} counted), "
                    "so no more has to be completed for it."
                )
            if earned is not None and said_amount and credential is not self._own_credential(caller, tracker):
                # "my cert expires June 3 and I have 1.2 CEUs" answering a date asked before: the CEUs
                # told are part of the answer, not dropped
                parts.append(self._gap_words(credential.expires_on, earned, caller.today))
            text = unread_text + " ".join(p for p in parts if p) + (f" {words.MONEY_NOTE}" if money_said else "")
            if offer_person:
                dispatcher.utter_message(text=text, buttons=[words.handoff_button()])
            else:
                dispatcher.utter_message(text=text)
            # the expiration date told for this answer stays for the topic: "I have 1.2 CEUs" next
            # must not be asked for the date just given (one from the record is not kept: it is there)
            told = credential is not self._own_credential(caller, tracker)
            return [SlotSet("date", credential.expires_on.isoformat() if told else None), *self._cleared()[1:]]

        # The classic what-if: an expiration date and the CEUs so far.
        own = self._own_assessment(caller, tracker, credential) if credential is not None else None
        if earned is None and own is not None and credential is self._own_credential(caller, tracker):
            # a linked trainer naming their own expiration date: the record knows the CEUs, so the
            # answer is the record's, never a question for a figure it holds
            if not own.renewable or own.submitted_on:
                said = (
                    words.unrenewable_text(own, self.policy)
                    if not own.submitted_on
                    else f"{phrases.application_received(own, self.policy)} {words.MONEY_NOTE}"
                )
                buttons = [] if own.submitted_on else [words.handoff_button()]
                dispatcher.utter_message(text=unread_text + said, buttons=buttons)
            else:
                dispatcher.utter_message(text=unread_text + self._words(own, own.ceus_earned, on_record=True))
            return self._cleared()
        own_said = own is not None and credential is self._own_credential(caller, tracker)
        if earned is not None and said_amount and own is not None and own_said:
            # "I have 1.5 CEUs, how many more do I need?" from a linked trainer: the record's answer,
            # never a made-up credential's "can't be renewed" when the record says it can
            self._record_answer(dispatcher, tracker, caller, own, earned, unread_text)
            return self._cleared()
        expires_on = credential.expires_on if credential else None
        if credential is not None and earned is None and _asks_deadline(tracker):
            # "when's the last day to apply?" with the expiration date: the dates follow from it alone, no
            # CEU figure needed
            dispatcher.utter_message(text=unread_text + self._deadline_words(credential, caller.today))
            told = credential is not self._own_credential(caller, tracker)
            return [SlotSet("date", credential.expires_on.isoformat() if told else None), *self._cleared()[1:]]
        missing = []
        if expires_on is None:
            missing.append("your certification's expiration date")
        if earned is None:
            missing.append("how many CEUs you have so far")
        if missing:
            dispatcher.utter_message(
                text=f"{unread_text}To work it out I need {' and '.join(missing)}, for example {EXAMPLE}."
            )
            # keep what was said ("I have 1.5 so far" may come before the date, or after it)
            kept: list[EventType] = [SlotSet("date", None)] if expiry_unread else []
            if expires_on is not None and expiry_text and not expiry_unread:
                # read now, with this message's verb ("what if it runs out on April 12?"): the next
                # message ("I've earned 0.9") must not re-read it with its own tense
                kept.append(SlotSet("date", expires_on.isoformat()))
            if earned is not None and said_amount:
                kept.append(SlotSet("ceu_amount", f"{earned} CEUs"))
            return kept
        assert expires_on is not None and earned is not None
        a = self.rules.what_if(self.policy, expires_on, earned, caller.today)
        dispatcher.utter_message(text=unread_text + self._words(a, earned))
        # Both figures stay for the topic: "sorry, I meant March 25" or "and with 1.8?" replaces one
        # and keeps the other. A date from the trainer's own record is not kept (it is on the record).
        stated = expiry_text is not None and not (caller.linked and credential is self._own_credential(caller, tracker))
        return [
            SlotSet("date", expires_on.isoformat() if stated else None),
            SlotSet("ceu_amount", f"{earned} CEUs"),
            SlotSet(SUBMIT_SLOT, None),
            SlotSet(COMPLETED_SLOT, None),
        ]

    # --- reading the question ---------------------------------------------------------------

    @staticmethod
    def _stored(tracker: Tracker, slot: str) -> date | None:
        value = _slot_text(tracker, slot)
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            return None

    @staticmethod
    def _cleared() -> list[EventType]:
        return [
            SlotSet("date", None),
            SlotSet("ceu_amount", None),
            SlotSet(SUBMIT_SLOT, None),
            SlotSet(COMPLETED_SLOT, None),
        ]

    def _credential(
        self, caller: Caller, tracker: Tracker, expiry_text: str | None, prefer: Preference
    ) -> tuple[Credential | None, bool]:
        """The credential the question is about, and whether a stated expiration date was unreadable.

        A stated expiration date wins (the linked trainer's own credential when it is the same date);
        otherwise the linked trainer's own credential; otherwise None.
        """
        own = self._own_credential(caller, tracker)
        if expiry_text:
            expires_on = parse_user_date(expiry_text, caller.today, prefer) if names_a_day(expiry_text) else None
            if expires_on is None:
                return own, True
            if own is not None and own.expires_on == expires_on:
                return own, False
            return Credential(program=self.policy.program, expires_on=expires_on), False
        return own, False

    def _own_credential(self, caller: Caller, tracker: Tracker) -> Credential | None:
        a = self.pick(self.assessments(caller), tracker)
        if a is None or caller.record is None:
            return None
        return next(
            (c for c in caller.record.credentials if c.program == a.program and c.expires_on == a.expires_on),
            None,
        )

    def _own_assessment(self, caller: Caller, tracker: Tracker, credential: Credential) -> Assessment | None:
        a = self.pick(self.assessments(caller), tracker)
        return a if a is not None and a.expires_on == credential.expires_on else None

    def _record_answer(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        caller: Caller,
        own: Assessment,
        earned: Decimal,
        unread_text: str,
    ) -> None:
        """The CEUs question answered from the linked record, and a figure told that differs from it
        said back as differing (a what-if for it would give other figures)."""
        from actions.status import ActionCeusRemaining  # actions.status imports this module

        if unread_text:
            dispatcher.utter_message(text=unread_text.strip())
        record_action = ActionCeusRemaining(self._uow_factory, self._settings, self.rules, self._policy, self._now)
        record_action.personal(dispatcher, tracker, caller, own)
        if own.renewable and own.submitted_on is None and own.phase is not Phase.ACTIVE:
            left = (own.application_deadline - caller.today).days
            dispatcher.utter_message(
                text=f"Your record can still be renewed until {day(own.application_deadline)} ({relative_days(left)})."
            )
        if earned != own.ceus_earned:
            card = " and the CPR/AED card" if own.ceus_earned > own.ce_counted else ""
            dispatcher.utter_message(
                text=(
                    f"You mentioned {ceus(earned)}, but your record shows {ceus(own.ceus_earned)} counted "
                    f"({ceus(own.ce_counted)} of course CE{card}), "
                    f"so this answer is from your record; the figures for {ceus(earned)} would differ. "
                    "If your record is missing something, a person can check it."
                ),
                buttons=[words.handoff_button()],
            )

    # --- wording ------------------------------------------------------------------------------

    def _compare_days(
        self,
        dispatcher: CollectingDispatcher,
        record: TrainerRecord,
        credential: Credential,
        days: list[date],
        today: date,
        unread_text: str,
    ) -> None:
        """The answer for each day NASM could receive the application, in the order asked, and the difference
        in the total between them when both are accepted."""
        parts: list[str] = []
        person = False
        for received in dict.fromkeys(days):  # each day once, in order
            said, needs_person, _ = day_answer(self.policy, record, credential, received, today, credential.plan)
            parts.append(said)
            person = person or needs_person
        totals = [submission_on(self.policy, credential, d) for d in dict.fromkeys(days)]
        accepted = [s for s in totals if s.accepted]
        if len(accepted) == len(totals) == 2:
            first, second = (s.fees.total for s in accepted)
            if first is not None and second is not None:
                parts.append(
                    f"The difference is {money(abs(second - first))}." if first != second
                    else f"Both days cost the same, {money(first)}."
                )
        text = unread_text + " ".join(parts) + f" {words.MONEY_NOTE}"
        dispatcher.utter_message(text=text, buttons=[words.handoff_button()] if person else [])

    def _deadline_words(self, credential: Credential, today: date) -> str:
        """The dates of the cycle that ends on ``credential.expires_on``, from the rules engine."""
        d = completion_on(self.policy, credential, today).dates
        verb = "expires" if d.expires_on >= today else "expired"
        return (
            f"If your certification {verb} on {day(d.expires_on)}: apply by {day(d.expires_on)} to pay no late "
            f"fee; continuing education completed up to {day(d.ce_deadline)} still counts, because "
            f"{phrases.grace_rule(self.policy)}; the last day NASM accepts an application is "
            f"{day(d.application_deadline)}, because {phrases.late_limit_rule(self.policy)}."
        )

    def _course_now_answer(
        self, dispatcher: CollectingDispatcher, caller: Caller, own: Assessment, gap: Decimal | None
    ) -> None:
        """Whether a course completed today counts for the linked trainer, and the record's own gap beside the
        one they named."""
        credential = record_credential(caller.record, own)
        if credential is None or own.submitted_on is not None or not own.renewable_if_petitions_approved:
            dispatcher.utter_message(
                text=(
                    f"{phrases.application_received(own, self.policy)} {words.MONEY_NOTE}"
                    if own.submitted_on is not None
                    else words.unrenewable_text(own, self.policy)
                ),
                buttons=[] if own.submitted_on is not None else [words.handoff_button()],
            )
            return
        c = completion_on(self.policy, credential, caller.today)
        counts = c.standing in (CompletionStanding.IN_CYCLE, CompletionStanding.GRACE)
        parts = [("Yes: " if counts else "No: ") + self._completion_words(c, needed=False)]
        if own.ce_remaining <= 0:
            parts.append(f"Your record already has all the course CE this renewal needs ({ceus(own.ce_counted)}).")
        elif gap is not None and gap == own.ce_remaining:
            parts.append(f"Your record is {ceus(own.ce_remaining)} short of the course CE, as you say.")
        else:
            parts.append(
                f"Your record is {ceus(own.ce_remaining)} short of the course CE"
                + (f", not {ceus(gap)}." if gap is not None else ".")
            )
        if own.ceus_pending > 0:
            parts.append(phrases.pending_petitions(own))
        too_late = c.standing is CompletionStanding.TOO_LATE and own.ce_remaining > 0
        if too_late and own.renewable_if_petitions_approved and own.ceus_pending > 0:
            parts.append("So your renewal depends on the petition; a person can tell you where it stands.")
        elif too_late:
            parts.append(f"Please {phrases.PERSON}.")
        dispatcher.utter_message(
            text=" ".join(parts), buttons=[words.handoff_button()] if too_late else []
        )

    def _gap_words(self, expires_on: date, earned: Decimal, today: date) -> str:
        a = self.rules.what_if(self.policy, expires_on, earned, today)
        if a.ceus_remaining <= 0:
            return f"With {ceus(earned)} you'd have the {ceus(a.ceus_required)} you need."
        return (
            f"With {ceus(earned)} you'd still need {ceus(a.ceus_remaining)} "
            f"({words.format_ceus(self.policy.cpr_aed_ceus)} of the {words.format_ceus(a.ceus_required)} "
            "comes from a current adult CPR/AED card with a hands-on part)."
        )

    def _completion_words(self, c: Completion, needed: bool = True) -> str:
        d = c.dates
        done = f"Continuing education completed on {day(c.completed_on)}"
        grace = phrases.grace_rule(self.policy)
        if c.standing is CompletionStanding.BEFORE_CYCLE:
            return (
                f"{done} is before your current cycle began on {day(d.cycle_start)}, so it doesn't "
                f"count toward the renewal due {day(d.expires_on)}: only CE completed in the current "
                "cycle counts."
            )
        if c.standing is CompletionStanding.IN_CYCLE:
            return (
                f"{done} was in time: it counts for the cycle that runs from {day(d.cycle_start)} to "
                f"your expiration date, {day(d.expires_on)}, when the course is approved."
            )
        if c.standing is CompletionStanding.GRACE:
            return (
                f"{done} still counts for the cycle with the expiration date {day(d.expires_on)}, "
                f"because {grace} (until {day(d.ce_deadline)}). An application received after "
                f"{day(d.expires_on)} pays a late fee: ask me what renewing costs for the amount."
            )
        return (
            f"{done} is too late for the cycle with the expiration date {day(d.expires_on)}: "
            f"{grace}, that is until {day(d.ce_deadline)}, and nothing completed later can count "
            f"toward that renewal." + (f" Please {phrases.PERSON}." if needed else "")
        )

    def _words(self, a: Assessment, earned: Decimal, on_record: bool = False) -> str:
        grace = f"because CE completed up to {self.policy.ce_grace_days} days after expiration still counts"
        verb = "expires" if a.days_until_expiration >= 0 else "expired"
        text = (
            f"Your certification {verb} on {day(a.expires_on)} and your record has {ceus(earned)}: "
            if on_record
            else f"If your certification {verb} on {day(a.expires_on)} and you have {ceus(earned)}: "
        )
        if a.phase is Phase.LAPSED:
            return text + (
                f"it could only have been renewed until {day(a.application_deadline)}; now it "
                "can't be renewed online. Please contact NASM, or I can hand you to a person."
            )
        if not a.renewable:
            return text + (
                f"continuing education had to be completed by {day(a.ce_deadline)}; anything later "
                "can't count, so it couldn't be renewed online."
            )
        if a.ceus_remaining > 0:
            text += (
                f"you'd still need {ceus(a.ceus_remaining)} "
                f"({words.format_ceus(self.policy.cpr_aed_ceus)} of the {words.format_ceus(a.ceus_required)} "
                "comes from a current adult CPR/AED card with a hands-on part). "
            )
        else:
            text += f"you'd have the {ceus(a.ceus_required)} you need. "
        if a.phase is Phase.ACTIVE:
            text += (
                f"Renew by {day(a.expires_on)} ({relative_days(a.days_until_expiration)}) for "
                f"{phrases.fee_breakdown(a.fees, a.plan)}; CE completed up to {day(a.ce_deadline)} "
                f"still counts, {grace}, but then a late fee applies."
            )
        elif a.phase is Phase.LATE_FEE:
            text += (
                f"You could still renew for {phrases.fee_breakdown(a.fees, a.plan)} "
                f"until {day(a.late_fee_deadline)}; CE completed up to {day(a.ce_deadline)} "
                f"still counts, {grace}."
            )
        else:
            text += (
                f"You could still renew until {day(a.application_deadline)} for "
                f"{phrases.fee_breakdown(a.fees, a.plan)}, but only if all your continuing education "
                f"was completed by {day(a.ce_deadline)}: {phrases.late_limit_rule(self.policy)}."
            )
        return f"{text} {words.MONEY_NOTE}"
