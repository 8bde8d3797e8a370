"""Shared wording: money, dates, CEUs, and the sentences several actions say.

Formatting only. Numbers come from the rules engine or the policy; this module turns
them into text (``rules.serialize`` when it is there).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from rules.errors import PolicyError
from rules.model import Assessment
from rules.policy import load_policy

# Intent names from the domain (domain.yml). Button payloads use them.
INTENT_HANDOFF = "ask_human"
INTENT_INFORM = "inform"
INTENT_DENY = "deny"

LINK_HINT = (
    "To answer from your own record I need this chat linked to it: ask support for a "
    "one-time link code and send /start followed by the code."
)
MONEY_NOTE = "These follow NASM's published fees; please confirm the amount in the NASM portal."
TROUBLE = (
    "I'm having trouble looking that up right now. A person can help: "
    "tap below or say \"talk to a person\"."
)
NO_RECORD = (
    "This chat is linked, but I can't find a certification on your record. "
    "A person can check it for you."
)


from rules.formatting import format_ceu_amount, format_ceus, format_date, format_money


def money(amount: Decimal) -> str:
    return format_money(amount)


def day(value: date) -> str:
    return format_date(value)


def ceus(value: Decimal) -> str:
    """"0.6 CEU", "1.4 CEUs"."""
    return format_ceu_amount(value)


def relative_days(days: int) -> str:
    """Days from today as words: "today", "tomorrow", "in 20 days", "9 days ago"."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


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


def lapsed_text(assessment: Assessment) -> str:
    return (
        f"Your {program_name(assessment.program)} certification expired on "
        f"{day(assessment.expires_on)} and could only be renewed until "
        f"{day(assessment.application_deadline)}, so it cannot be renewed online any more: "
        "it has to be restored. Please contact NASM, or I can hand you to a person."
    )


def unrenewable_text(assessment: Assessment) -> str:
    return (
        f"Your {program_name(assessment.program)} certification expired on "
        f"{day(assessment.expires_on)}, and only {ceus(assessment.ce_counted)} of continuing "
        f"education was completed by {day(assessment.ce_deadline)}, the last day CE could count "
        "for this cycle; nothing done later can count, so it cannot be renewed online. "
        "Please contact NASM, or I can hand you to a person."
    )
