"""Shared wording: money, dates, CEUs, and the sentences several actions say.

Formatting only. Numbers come from the rules engine or the policy; this module turns
them into text (``rules.serialize`` when it is there).
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

from rules import phrases
from rules.errors import PolicyError
from rules.formatting import format_ceu_amount, format_date, format_money, format_relative_days
from rules.formatting import format_ceus as format_ceus  # re-exported: answers write CEUs with it
from rules.model import Assessment
from rules.policy import Policy, load_policy

# Intent names from the domain (domain.yml). Button payloads use them.
INTENT_HANDOFF = "ask_human"
INTENT_INFORM = "inform"
INTENT_DENY = "deny"

LINK_HINT = (
    "To answer from your own record I need this chat linked to it: ask support for a "
    "one-time link code and send /start followed by the code."
)
MONEY_NOTE = phrases.MONEY_NOTE
TROUBLE = (
    "I'm having trouble looking that up right now. A person can help: "
    "tap below or say \"talk to a person\"."
)
NO_RECORD = (
    "This chat is linked, but I can't find a certification on your record. "
    "A person can check it for you."
)



def money(amount: Decimal) -> str:
    return format_money(amount)


def day(value: date) -> str:
    return format_date(value)


def ceus(value: Decimal) -> str:
    """"0.6 CEU", "1.4 CEUs"."""
    return format_ceu_amount(value)


def relative_days(days: int) -> str:
    """Days from today as words: "today", "tomorrow", "in 20 days", "9 days ago"."""
    return format_relative_days(days)


def program_name(program: str) -> str:
    """"NASM Certified Personal Trainer" for "nasm-cpt"."""
    try:
        return load_policy(program).name
    except PolicyError:
        return program.upper()


def payload(intent: str, entities: dict[str, str] | None = None) -> str:
    """A Rasa button payload: ``/intent{"slot":"value"}``."""
    return f"/{intent}{json.dumps(entities, separators=(',', ':'))}" if entities else f"/{intent}"


def handoff_button(title: str = "Talk to a person") -> dict[str, Any]:
    return {"title": title, "payload": payload(INTENT_HANDOFF)}


def _policy_of(assessment: Assessment) -> Policy:
    try:
        return load_policy(assessment.program)
    except PolicyError:
        return load_policy()


def lapsed_text(assessment: Assessment, policy: Policy | None = None) -> str:
    """Past the hard limit with no application in time (rules.phrases.lapsed)."""
    return phrases.lapsed(assessment, policy or _policy_of(assessment))


def unrenewable_text(assessment: Assessment, policy: Policy | None = None) -> str:
    """Why this credential cannot be renewed (or, with pending petitions, what it waits on)."""
    return phrases.unrenewable(assessment, policy or _policy_of(assessment))


_SECOND_QUESTION = re.compile(
    r"(?:[?.!;]\s*|,\s*)(?:and|also|plus)\b|[?.!]\s+(?=\w)"
    # "how many ceu do i need and is my cpr ok": "and" before a question word, with no comma
    r"|\s+(?:and|also|plus)\s+(?=(?:is|are|am|do|does|did|can|will|when|how|what|whats|what's)\b)",
    re.IGNORECASE,
)


def split_questions(message: str | None) -> tuple[str, str]:
    """The first question of a message and the rest ("how many CEUs do I need", "is my cpr ok"); the rest is ""
    when it asks one thing."""
    text = message or ""
    found = _SECOND_QUESTION.search(text)
    return (text[: found.start()], text[found.end() :]) if found else (text, "")


def second_question(message: str | None) -> str:
    """The part of a message after its first question ("does the PES count? and is my card ok?",
    "do I need a new CPR card, and what's my total cost?"), or "" when it asks one thing."""
    return split_questions(message)[1]


# "how much", "a late fee", "which is cheaper", "$30": a question about money, for the answers that hand a
# message to the fee answer or read its days as days NASM would receive the application
FEE_WORDS = re.compile(
    r"\b(?:how much|cost\w*|fees?|late fee|pay(?:s|ing)?|paid|owe|price|charged?|cheap\w*|expensive|difference|"
    r"save|penalt\w*|total|bucks|dollars|free|bill)\b"
    r"|\$",
    re.I,
)


def asks_about_money(text: str | None) -> bool:
    """The message asks about a fee or a cost (``FEE_WORDS``)."""
    return bool(text and FEE_WORDS.search(text))


# "can I still add CEUs?", "can i still earn ceus this cycle", "is it too late to do more CE?": whether CE completed
# from now on still counts, which the CE deadline on the record answers (not whether extra CEUs carry over)
_MORE_CE = re.compile(
    r"\b(?:still|more|another|extra|too late)\b.{0,20}\b(?:add|earn|do|get|take|complete|finish|log|count)\w*\b"
    r".{0,20}\b(?:ceus?|credits?|ce|courses?|continuing education)\b"
    r"|\b(?:add|earn|get|do|take|log)\w*\s+(?:more|any more|another|extra|additional)\s+"
    r"(?:ceus?|credits?|ce|courses?)\b"
    r"|\b(?:still|more)\s+(?:ceus?|ce|credits?)\s+(?:count|accepted|allowed)\b",
    re.I,
)
_CARRY_OVER = re.compile(r"\b(?:carry|carried|roll\w*|next cycle|bank\w*|transfer\w*)\b", re.I)


def asks_if_more_ce_still_counts(text: str | None) -> bool:
    """Whether the message asks if CE done from now on still counts for this renewal."""
    return bool(text and _MORE_CE.search(text) and not _CARRY_OVER.search(text))


# "Is it ...?", "ok so does ...?": a question answered yes or no. Pleasantries in front of it do not change that;
# "when does my CPR expire?", "what's the status of my renewal?" are not (a "Yes." in front reads as an answer to
# nothing, a "No." before a date as a refusal).
_YES_NO_QUESTION = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|and|hi|hiya|hello|hey|thanks|thank you|great|quick (?:check|question))\b\W*)*"
    r"(?:is|are|am|was|were|does|do|did|has|have|can|will|would|could|should)\b"
    # a request ("can you give me the total"), unless it asks whether ("can you tell if NASM has it?")
    r"(?!\s+you\s+(?:please\s+)?(?:give|tell|show|send|list|check|explain|help|work|figure)\b(?!.*\b(?:if|whether)\b))",
    re.IGNORECASE,
)


def is_yes_no_question(text: str | None) -> bool:
    return bool(text and _YES_NO_QUESTION.search(text))


# "i have 1.9 from CES, can the leftover go to next cycle", "does the extra from the PES roll over?"
_LEFTOVER = re.compile(
    r"\b(?:leftover|left over|extra|surplus|excess|rest)\b.{0,40}\b(?:carry|carried|roll\w*|next cycle|next renewal|"
    r"transfer\w*|bank\w*|save[ds]?)\b",
    re.I,
)


def asks_about_carry_over(text: str | None) -> bool:
    """Whether the message asks if CE beyond the requirement carries over (it never does)."""
    return bool(text and _LEFTOVER.search(text))


# "CEUs", "my CEs", "continuing ed", "credits": the trainer's continuing education
CE_WORDS = re.compile(r"\b(?:ce|ces|ceus?|continuing ed\w*|credits?)\b", re.I)


def mentions_ce(text: str | None) -> bool:
    return bool(text and CE_WORDS.search(text))
