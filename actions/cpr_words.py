"""The CPR/AED sentences, worded once; every figure and every provider name from the policy.

What the rules say (renewal-rules.md, sections 1 and 4): a current adult CPR and AED certification
with a hands-on skills part is required and gives ``policy.cpr_aed_ceus`` once (more cards or an
advanced card such as BLS add nothing); an online-only card is not accepted; the policy names the
accepted providers (``policy.cpr_aed_accepted_providers``), and a card from any other provider must
be confirmed with NASM member services. First aid alone is not CPR/AED. Nothing else is claimed.

Public functions, for any action that talks about CPR/AED:

- ``cpr_requirement_text(policy)``: the requirement and what it is worth.
- ``cpr_providers_text(policy)``: who is accepted, and what to do about anyone else.
- ``cpr_card_verdict_text(policy, provider_text, hands_on, ...)``: the answer about one class or card
  a trainer describes ("my Red Cross CPR class", "online CPR from ProCPR").
- ``own_card_answer(assessment, policy)``: the card on the trainer's record (``rules.phrases``).
- ``cpr_mention(text, ...)``: whether a message is about CPR/AED at all, and what it says about it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from actions import words
from rules import phrases
from rules.formatting import format_ceu_amount, format_date
from rules.model import Assessment, CprAedStatus
from rules.policy import Policy

_CPR = re.compile(
    r"\b(?:cpr|aed|bls|basic life support|heart ?saver|defibrillat\w*|resuscitation)\b", re.IGNORECASE
)
_ADVANCED = re.compile(r"\b(?:bls|basic life support|acls|pals)\b", re.IGNORECASE)
_FIRST_AID = re.compile(r"\bfirst[\s-]?aid\b", re.IGNORECASE)
_ONLINE = re.compile(r"\b(?:online|on-line|virtual|web[\s-]?based|e-?learning|remote(?:ly)?|zoom)\b", re.IGNORECASE)
_HANDS_ON = re.compile(
    r"\b(?:hands[\s-]?on|in[\s-]person|skills? (?:session|test|check|part|portion)|practical|manikin|mannequin)\b",
    re.IGNORECASE,
)
# Blended courses pair online theory with an in-person skills session, but the trainer's words do
# not say the session happened: treated as "not said", never as accepted.
_BLENDED = re.compile(r"\b(?:blended|hybrid)\b", re.IGNORECASE)
_NOT_ONLY = re.compile(r"\bnot (?:just |only |fully |all |entirely )?online\b", re.IGNORECASE)
# "from Bob's Safety School", "with ProCPR", "through the Y": a provider named after a preposition.
_PROVIDER_AFTER = re.compile(
    r"\b(?:from|with|by|through|thru|at|via)\s+(?:the\s+)?"
    r"((?:[A-Z0-9][\w'’&.-]*)(?:\s+(?:of|and|&|for|the|[A-Z0-9][\w'’&.-]*))*)"
)
_CARD = re.compile(r"\b(?:card|cert|certification|certificate)\b", re.IGNORECASE)
_NOT_PROVIDERS = {"cpr", "aed", "bls", "nasm", "i", "my", "it"}


@dataclass(frozen=True)
class CprMention:
    """What a message says about a CPR/AED (or first-aid) class."""

    first_aid_only: bool  # first aid named, CPR/AED not
    advanced: bool  # BLS or another advanced card
    hands_on: bool | None  # True: hands-on said; False: online only; None: not said
    provider: str | None  # the provider as the trainer wrote it, when it could be read
    blended: bool = False  # online theory with an in-person skills part: not settled by the rules


def cpr_mention(text: str | None, *names: str | None, policy: Policy | None = None) -> CprMention | None:
    """``None`` unless the message (or a name an entity gave) mentions CPR, AED, BLS or first aid.

    Args:
        text: the trainer's message.
        names: course or provider names the NLU found in it (looked at for the same words).
        policy: when given, an accepted provider's name or alias in the message is its provider.
    """
    said = " ".join(part for part in (text, *names) if part)
    has_cpr, has_first_aid = bool(_CPR.search(said)), bool(_FIRST_AID.search(said))
    # "will my Red Cross card still be good?": an accepted CPR/AED provider's card needs no "CPR"
    has_cpr = has_cpr or bool(
        policy is not None and _CARD.search(said) and _accepted_provider_in(text or "", policy)
    )
    if not has_cpr and not has_first_aid:
        return None
    blended = bool(_BLENDED.search(said)) or bool(_HANDS_ON.search(said) and _ONLINE.search(said))
    if blended:
        hands_on: bool | None = None
    elif _HANDS_ON.search(said):
        hands_on = True
    elif _ONLINE.search(said) and not _BLENDED.search(said) and not _NOT_ONLY.search(said):
        hands_on = False
    else:
        hands_on = None
    return CprMention(
        first_aid_only=has_first_aid and not has_cpr,
        advanced=bool(_ADVANCED.search(said)),
        hands_on=hands_on,
        provider=_provider_in(text or "", policy),
        blended=blended,
    )


def _accepted_provider_in(text: str, policy: Policy) -> str | None:
    """The accepted CPR/AED provider (name or alias, as the policy spells it) the text names."""
    for accepted in policy.cpr_aed_accepted_providers:
        for name in sorted((accepted.name, *accepted.aliases), key=len, reverse=True):
            # short capitalised aliases ("AHA", "ARC") only as written: "aha" is a word
            flags = 0 if len(name) <= 4 and name.isupper() else re.IGNORECASE
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags):
                return name
    return None


def _provider_in(text: str, policy: Policy | None) -> str | None:
    if policy is not None and (accepted := _accepted_provider_in(text, policy)) is not None:
        return accepted
    for found in _PROVIDER_AFTER.finditer(text):
        name = found.group(1).rstrip(".'’")
        name = re.sub(r"\s+(?:of|and|&|for|the)$", "", name)
        if name.casefold() not in _NOT_PROVIDERS and not _CPR.fullmatch(name):
            return name
    return None


def _names(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def cpr_requirement_text(policy: Policy, *, say_online: bool = True) -> str:
    """The requirement: adult CPR and AED, hands-on, current; what it gives, once."""
    card = format_ceu_amount(policy.cpr_aed_ceus)
    online = "; an online-only course is not accepted" if say_online else ""
    return (
        "To renew you need a current adult CPR and AED certification with a hands-on skills "
        f"part{online}. It is not a continuing-education course and needs no "
        f"petition: it gives {card} of your {format_ceu_amount(policy.ceus_required)}, once, and a "
        "second card or an advanced card such as BLS adds nothing more."
    )


def cpr_providers_text(policy: Policy) -> str:
    """The accepted providers by name, and what to do about any other."""
    names = [p.name for p in policy.cpr_aed_accepted_providers]
    if not names:
        return "Confirm the provider of your CPR/AED certification with NASM member services."
    return (
        f"NASM names these CPR/AED providers as accepted: {_names(names)}. A card from any other "
        "provider must be confirmed with NASM member services first."
    )


def cpr_card_verdict_text(
    policy: Policy,
    provider_text: str | None = None,
    hands_on: bool | None = None,
    *,
    first_aid_only: bool = False,
    advanced: bool = False,
    blended: bool = False,
) -> str:
    """The answer about one CPR/AED class or card the trainer describes.

    Args:
        policy: the program's policy (requirement, CEU value, accepted providers).
        provider_text: the provider as the trainer wrote it, or None when not named.
        hands_on: True when the trainer said it had a hands-on part, False when online only,
            None when not said.
        first_aid_only: a first-aid class that does not mention CPR/AED.
        advanced: a BLS (or other advanced) card.
    """
    accepted = policy.accepted_cpr_provider(provider_text) if provider_text else None
    parts: list[str] = []
    if first_aid_only:
        parts.append(
            "First aid on its own is not CPR/AED, so it doesn't meet the CPR/AED requirement, and it "
            "isn't an NASM-approved continuing-education course either, so by itself it gives no CEUs. "
            "A class that also covered adult CPR and AED can be your CPR/AED certification."
        )
    elif hands_on is False:
        parts.append("No: an online-only CPR/AED course is not accepted.")
    if accepted:
        parts.append(f"{accepted} is one of the CPR/AED providers NASM accepts.")
    elif provider_text:
        parts.append(
            f"{provider_text} isn't one of the providers NASM names as accepted for CPR/AED: confirm it "
            "with NASM member services before you count on it."
        )
    if advanced and not first_aid_only and hands_on is not False:
        parts.append(
            "A BLS card covers the requirement when it includes adult CPR and AED with a hands-on "
            "skills part."
        )
    if hands_on and not first_aid_only:
        parts.append("You said it had a hands-on skills part, which it needs.")
    if blended:
        parts.append(
            "Whether a blended course (online theory with an in-person skills check) meets the "
            "hands-on requirement is not settled in the rules I follow: confirm it with NASM member "
            "services, or I can hand you to a person."
        )
    parts.append(cpr_requirement_text(policy, say_online=hands_on is not False))
    if not accepted:
        parts.append(cpr_providers_text(policy))
    return " ".join(parts)


def describes_a_class(mention: CprMention) -> bool:
    """The message says something about one class (its provider, format or kind), not only "CPR"."""
    return bool(
        mention.provider
        or mention.first_aid_only
        or mention.advanced
        or mention.blended
        or mention.hands_on is not None
    )


_MY = re.compile(r"\b(?:my|mine)\b", re.IGNORECASE)


# "do I need a new CPR card before I apply?", "should I renew my cpr first?", "do i have to get another aed cert":
# whether the card on the record will do, which only the record answers
_NEEDS_NEW = re.compile(
    r"(?:\bi\b.{0,30}\b(?:need|have to|got to|gotta|should|must)\b|\b(?:should|must|do) i\b).{0,25}"
    r"\b(?:new|another|fresh|updated|renew\w*|replace\w*|redo)\b",
    re.IGNORECASE,
)


def asks_if_a_new_card_is_needed(text: str | None) -> bool:
    """"Do I need a new CPR card before I apply?": a yes or no about the card on the record."""
    return bool(text) and cpr_mention(text or "") is not None and bool(_NEEDS_NEW.search(text or ""))


def asks_about_own_card(text: str | None, policy: Policy | None = None) -> bool:
    """"Is my CPR still valid?", "when does my CPR card expire?", "do I need a new CPR card?": the trainer's own
    card (with ``policy``, also "my Red Cross card": an accepted provider's card)."""
    if asks_if_a_new_card_is_needed(text):
        return True
    return bool(text) and cpr_mention(text, policy=policy) is not None and bool(_MY.search(text or ""))


_RENEWING = re.compile(r"\b(?:renew\w*|recertif\w*|too late|apply\w*|application)\b", re.IGNORECASE)
_AFTER_IT_RUNS_OUT = re.compile(
    r"\b(?:after|once)\b.{0,30}\b(?:card|cpr|aed|it)\b.{0,15}\b(?:expires?|expired|runs? out|lapses?)\b", re.IGNORECASE
)
# "Is my CPR still valid?" asks for a yes or no; "when does my CPR expire?" does not (a "No." in
# front of a date reads as a refusal): words.is_yes_no_question.
_RAN_OUT = re.compile(r"\b(?:expir\w*|run out|ran out|runs out|laps\w*|out of date|invalid)\b", re.IGNORECASE)
_LEADS = {
    CprAedStatus.VALID: "Yes. ",
    CprAedStatus.EXPIRED: "No. ",
    CprAedStatus.NOT_HANDS_ON: "No. ",
    CprAedStatus.NEEDS_CONFIRMATION: "It needs confirming. ",
}


# "is my CPR card the only thing holding me back?", "is the card all I'm missing?"
_ONLY_GAP = re.compile(
    r"\bonly (?:thing|gap|problem|issue|one)\b|\ball (?:that'?s|i'?m|that is|i am) (?:missing|left)\b"
    r"|\b(?:anything|something) else\b",
    re.IGNORECASE,
)


def _only_gap_answer(a: Assessment, status: str) -> str:
    """Whether the card is all that is missing, from the record's figures."""
    if not a.cpr_aed.valid and a.ce_remaining <= 0:
        return f"Yes: your course CE is complete, so the CPR/AED card is the only thing missing. {status}"
    if not a.cpr_aed.valid:
        return (
            f"No: besides the card you still need {format_ceu_amount(a.ce_remaining)} of approved course CE. "
            f"{status}"
        )
    if a.ce_remaining > 0:
        return (
            f"No: your card is fine; what is missing is {format_ceu_amount(a.ce_remaining)} of approved "
            f"course CE. {status}"
        )
    return f"No: your card counts and your course CE is complete; what is left is the application. {status}"


def _new_card_needed_answer(a: Assessment, status: str) -> str:
    """"Do I need a new card?": the opposite lead of "is it valid?" ("No." for a card that will do).

    A card that runs out before the certification does gets no lead: it depends on the day the trainer
    applies, which the status sentence names. After the application the card was judged on its day."""
    card = a.cpr_aed
    if a.submitted_on is not None:
        return status
    if card.status is CprAedStatus.VALID:
        lasts = card.expires_on is None or card.expires_on >= max(a.expires_on, a.today)
        return f"No. {status}" if lasts else status
    if card.status is CprAedStatus.NEEDS_CONFIRMATION:
        return f"It needs confirming. {status}"
    return f"Yes. {status} {phrases.sentence(phrases.card_judged_rule())}"


def own_card_answer(assessment: Assessment, policy: Policy, question: str | None = None) -> str:
    """The trainer's own card, from the record, in the one wording of it (``rules.phrases``).

    "Is my CPR still valid?" gets a direct yes or no first; "when does it expire?" and "did it run
    out?" get the facts without one (a "No." before a date, or a "No." meaning "it did", misleads).
    A question about renewing never does:
    a card problem alone never stops a renewal (the card is judged on the submission day), so a
    "No" there would answer the wrong question.
    """
    status = phrases.cpr_status(assessment, policy)
    card = assessment.cpr_aed.status
    asked = question or ""
    if _ONLY_GAP.search(asked) and assessment.submitted_on is None:
        return _only_gap_answer(assessment, status)
    if asks_if_a_new_card_is_needed(asked):
        return _new_card_needed_answer(assessment, status)
    card_ends = assessment.cpr_aed.expires_on
    if _AFTER_IT_RUNS_OUT.search(asked) and card_ends is not None and assessment.submitted_on is None:
        # "what if I apply after my cpr card expires?": the card is judged on the day NASM receives the application
        return (
            f"{status} An application NASM receives after {format_date(card_ends)} needs a current card then: "
            f"{phrases.card_judged_rule()}."
        )
    # Only "is it valid?" gets the lead: "did it run out?" asks the opposite, and a question about
    # renewing is not about the card at all (see above).
    yes_no = words.is_yes_no_question(asked) and not _RENEWING.search(asked) and not _RAN_OUT.search(asked)
    lead = _LEADS.get(card, "") if yes_no else ""
    judged = "" if card is CprAedStatus.VALID else " " + phrases.sentence(phrases.card_judged_rule())
    return f"{lead}{status}{judged}"


_PRONOUN = re.compile(r"\b(?:it|that|this|that one|this one)\b", re.IGNORECASE)
_CERTIFICATION_WORDS = re.compile(r"\b(?:cert\w*|nasm|cpt|credential|renew\w*|recert\w*|license)\b", re.IGNORECASE)


def card_pronoun_follow_up(message: str | None, previous_reply: str) -> bool:
    """"When does it expire?" right after an answer about the trainer's CPR/AED card: "it" is the card, not the
    certification (a message that names the certification is about it)."""
    text = message or ""
    return (
        previous_reply.lstrip().startswith(("Your CPR/AED card", "Yes. Your CPR/AED card", "No. Your CPR/AED card"))
        and bool(_PRONOUN.search(text))
        and not _CERTIFICATION_WORDS.search(text)
    )
