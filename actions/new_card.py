""""If I get a new CPR card, how many CEUs will I have?", "I just renewed my CPR, now how many CEUs do I have?".

A question about the trainer's figures *with* a current card, not about the card rules ("Yes. To renew you
need a current adult CPR and AED certification…" answers neither) nor only about the card on record. The
figures come from ``rules.scenarios.with_current_card`` (the record plus one current hands-on card), so
they agree with every other answer; the words say what the record shows today, because a card the trainer
just got is not on it yet, and once an application is in, the card is judged on the day it arrived.
"""

from __future__ import annotations

import re
from decimal import Decimal

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import words
from actions.amounts import parse_ceus
from actions.base import Caller, RecertAction, RecordAction
from actions.cpr_words import cpr_mention
from actions.words import ceus, day, format_ceus
from rules import phrases
from rules.model import Assessment, CprAedStatus
from rules.policy import Policy

# "new card", "renew my CPR", "got my AED recert", "take another CPR class", "my CPR was renewed"
_NEW_CARD = re.compile(
    r"\b(?:new|newer|renew\w*|recert\w*|get|got|getting|gotten|take|took|taking|redo|redid|retake|retook|"
    r"update\w*|fresh|another|current)\b.{0,30}\b(?:cpr|aed|card|class|heart ?saver|certification)\b"
    r"|\b(?:cpr|aed|card)\b.{0,25}\b(?:renewed|updated|redone|retaken)\b",
    re.IGNORECASE,
)
# ... and asks for the figures or whether that finishes it
_FIGURES = re.compile(
    r"\b(?:how many|ceus?|credits?|units?|enough|all set|good to go|be done|am i done|complete|finished|"
    r"still need|left|where does that leave)\b",
    re.IGNORECASE,
)
_CARD = re.compile(r"\b(?:card|class)\b", re.IGNORECASE)  # "a new AHA card", "a new hands-on Red Cross class"
_PAST = re.compile(r"\b(?:got|gotten|took|renewed|redid|retook|updated|just|already|have a new)\b", re.IGNORECASE)


def asks_about_new_card(text: str | None) -> bool:
    """A question about the trainer's CEUs with a new or renewed CPR/AED card."""
    return bool(
        text
        and (cpr_mention(text) is not None or _CARD.search(text))
        and _NEW_CARD.search(text)
        and _FIGURES.search(text)
    )


def plans_a_new_card(text: str | None, policy: Policy) -> bool:
    """"If I get an AHA card tomorrow and apply on Dec 3": a CPR/AED card the trainer will get (or just got),
    whatever is asked about it (figures, a fee, a day)."""
    return bool(text and cpr_mention(text, policy=policy) is not None and _NEW_CARD.search(text))


# "I have a BLS card from the AHA now", "I just got my new Red Cross card": a card the trainer says they hold
_HOLDS = re.compile(
    r"\bi(?:'ve| have)?\s+(?:now\s+|just\s+|already\s+)?(?:have|got|gotten|hold|renewed|redid|retook)\b"
    r"|\bmy new\b|\bi(?:'m| am) now (?:certified|current)\b",
    re.IGNORECASE,
)


def says_new_card_held(text: str | None, policy: Policy) -> bool:
    """The trainer says they now hold a CPR/AED card (that the record may not show yet)."""
    mention = cpr_mention(text, policy=policy)
    return bool(
        text
        and mention is not None
        and not mention.first_aid_only
        and mention.hands_on is not False
        and _HOLDS.search(text)
    )


def general_text(policy: Policy) -> str:
    """Unlinked: the rule, no figures (they depend on the record)."""
    return (
        f"A current adult CPR and AED card with a hands-on skills part counts {ceus(policy.cpr_aed_ceus)} of the "
        f"{ceus(policy.ceus_required)}, once: a second card adds nothing. I can't see your other CEUs: this "
        "chat isn't linked to your record."
    )


def new_card_text(now: Assessment, with_card: Assessment, policy: Policy, question: str | None) -> str:
    """The figures with a current card (``with_card``) beside what the record shows (``now``)."""
    total = ceus(with_card.ceus_required)
    if now.cpr_aed.status is CprAedStatus.VALID:
        text = (
            f"{phrases.cpr_status(now, policy)} A second card adds nothing: one current card counts "
            f"{ceus(policy.cpr_aed_ceus)}, so you have {format_ceus(now.ceus_earned)} of the {total}"
        )
        text += "." if now.ceus_remaining <= 0 else f" and still need {ceus(now.ce_remaining)} of approved course CE."
        return text
    if now.submitted_on is not None:
        return (
            f"NASM received your application on {day(now.submitted_on)}, and the card is judged on that day, so "
            f"a card you get now doesn't change the figures on your record: {format_ceus(now.ceus_earned)} of the "
            f"{total}. {phrases.cpr_status(now, policy)} A person can check how NASM handles a card renewed "
            "after the application."
        )
    figures = _figures("With a current hands-on card from an accepted provider", with_card)
    if not with_card.renewable:
        figures += " " + words.unrenewable_text(with_card, policy)
    shows = _record_card(now)
    if _PAST.search(question or ""):
        shows += " Send the new card with your application (NASM may ask for its front and back in an audit)."
    return f"{figures} {shows} {phrases.sentence(phrases.card_judged_rule())}"


def _record_card(now: Assessment) -> str:
    """What the record shows of the card today, briefly (the new card is not on it)."""
    card = now.cpr_aed
    if card.status is CprAedStatus.EXPIRED and card.expires_on is not None:
        return f"Your record still shows the card that expired on {day(card.expires_on)}."
    if card.status is CprAedStatus.NOT_HANDS_ON:
        return f"Your record shows an online-only card from {card.provider}, which doesn't count."
    if card.status is CprAedStatus.NEEDS_CONFIRMATION:
        return f"Your record shows a card from {card.provider}, which NASM member services must confirm."
    return "Your record shows no CPR/AED card."


async def answer_new_card(action: RecertAction, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Say the figures with a new card for the linked trainer, or the rule and the link hint."""
    caller = await action.caller(tracker)
    now = action.pick(action.assessments(caller), tracker) if caller.linked else None
    if now is None or caller.record is None:
        dispatcher.utter_message(text=general_text(action.policy))
        dispatcher.utter_message(text=words.LINK_HINT if caller.trainer_id is None else words.NO_RECORD)
        return
    utter_new_card(action, dispatcher, tracker, caller, now)


def utter_new_card(
    action: RecertAction, dispatcher: CollectingDispatcher, tracker: Tracker, caller: Caller, now: Assessment
) -> None:
    """The answer for a linked trainer whose assessment is ``now``."""
    if RecordAction.lapsed_without_application(now) or caller.record is None:
        dispatcher.utter_message(text=words.lapsed_text(now, action.policy), buttons=[words.handoff_button()])
        return
    credential = next(c for c in caller.record.credentials if c.program == now.program)
    question = (tracker.latest_message or {}).get("text")
    approved = now.ceus_pending > 0 and bool(_PETITION_APPROVED.search(question or ""))
    more = _more_ce(question)
    if now.submitted_on is None and not now.cpr_aed.valid and (approved or more is not None):
        # "with a new CPR card and the petition approved, how many are left?", "a hands-on CPR class and 0.4 more
        # CEUs, am I done?": every change the question names, counted together by the rules engine
        after = action.rules.with_changes(
            action.policy, caller.record, credential, caller.today,
            current_card=True, petitions_approved=approved, more_ce=more,
        )
        also = ["your pending petition approved"] if approved else []
        also += [f"{ceus(more)} more of approved course CE"] if more else []
        dispatcher.utter_message(text=changes_text(now, after, " and ".join(also)))
        return
    with_card = action.rules.with_current_card(action.policy, caller.record, credential, caller.today)
    buttons = [words.handoff_button()] if now.submitted_on is not None and not now.cpr_aed.valid else []
    dispatcher.utter_message(text=new_card_text(now, with_card, action.policy, question), buttons=buttons)


# "... and the petition is approved", "if my petition goes through": the pending petitions counted as approved
_PETITION_APPROVED = re.compile(r"\bpetition\w*\b.{0,30}\b(?:approv\w*|accept\w*|goes through|go through)\b", re.I)
# "0.4 more CEUs", "0.4 more", "another 0.4 CEU": approved course CE the trainer will add
_MORE_CE = re.compile(
    r"(?<![\d.])(\d?\.\d|\d)\s*(?:more\s+(?:ceus?|credits?)?|(?:ceus?|credits?)\s+more)"
    r"|\banother\s+(\d?\.\d|\d)\s*(?:ceus?|credits?)\b",
    re.I,
)


def _more_ce(text: str | None) -> Decimal | None:
    found = _MORE_CE.search(text or "")
    if found is None:
        return None
    value = parse_ceus(found.group(1) or found.group(2))
    return value if value is not None and value > 0 else None


def changes_text(now: Assessment, after: Assessment, also: str) -> str:
    """The figures with a current card and the other changes named (``also``), beside the record's own."""
    text = _figures(f"With a current hands-on card from an accepted provider and {also}", after)
    return (
        f"{text} {_record_card(now)} Your record now counts {format_ceus(now.ceus_earned)} of the "
        f"{ceus(now.ceus_required)}."
    )


def _figures(lead: str, after: Assessment) -> str:
    """"<lead> you'd have 1.6 of the 2.0 CEUs, so you'd still need 0.4 CEU of approved course CE." (or "...:
    everything you need."), from the assessment with the changes the lead names."""
    text = f"{lead} you'd have {format_ceus(after.ceus_earned)} of the {ceus(after.ceus_required)}"
    if after.ceus_remaining <= 0:
        return text + ": everything you need."
    return text + f", so you'd still need {ceus(after.ceus_remaining)} of approved course CE."
