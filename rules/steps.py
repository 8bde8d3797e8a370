"""The next steps for a trainer, as plain sentences with exact amounts and dates.

Built only from an assessment's finished numbers and the policy, through the sentences of
:mod:`rules.phrases`, so every figure a trainer reads here is one the engine computed and every
fact is worded as the assistant words it. The order is the order in which a trainer should act:
what can no longer be fixed, what is missing, how to apply, what happens after applying. A gap
stays in the steps after an application was sent with it, and an outstanding audit is always a step.
"""

from __future__ import annotations

from rules import phrases
from rules.formatting import format_ceu_amount, format_date
from rules.model import Assessment, Phase
from rules.policy import Policy


def next_steps(a: Assessment, policy: Policy) -> tuple[str, ...]:
    if a.phase is Phase.LAPSED and a.submitted_on is None:
        return (phrases.lapsed(a, policy),)
    if a.submitted_on is not None:
        return tuple(_after_submission(a, policy))
    if a.waits_on_petitions:
        return (phrases.petitions_decide(a, policy), *_cpr_steps(a, policy))
    if not a.renewable:
        return (phrases.ce_window_closed(a, policy),)
    steps: list[str] = []
    if a.phase is not Phase.ACTIVE:
        steps.append(
            f"Your credential expired on {format_date(a.expires_on)}; it can still be renewed "
            f"until {format_date(a.application_deadline)}, because {phrases.late_limit_rule(policy)}."
        )
    steps.extend(_missing_requirements(a, policy))
    steps.append(_application_sentence(a, policy))
    steps.append(phrases.MONEY_NOTE)
    return tuple(steps)


def _gap_sentence(a: Assessment, policy: Policy) -> str | None:
    """What is still missing, in CEUs and the card."""
    ce_part = f"{format_ceu_amount(a.ce_remaining)} of approved continuing education"
    if a.ce_remaining > 0 and not a.cpr_aed.valid:
        return (
            f"You still need {format_ceu_amount(a.ceus_remaining)}: {ce_part} and a current "
            f"CPR/AED card (worth {format_ceu_amount(policy.cpr_aed_ceus)})."
        )
    if a.ce_remaining > 0:
        return f"You still need {ce_part}."
    if not a.cpr_aed.valid:
        return (
            "Your continuing education is complete; you still need a current CPR/AED card "
            f"(worth {format_ceu_amount(policy.cpr_aed_ceus)})."
        )
    return None


def _ce_deadline_sentence(a: Assessment, policy: Policy) -> str | None:
    """When the missing CE must be completed."""
    if a.ce_remaining <= 0:  # a renewable credential with CE missing: the deadline is ahead
        return None
    if a.phase is Phase.ACTIVE:
        return (
            f"Complete the continuing education by {format_date(a.expires_on)} to renew without "
            f"a late fee; courses completed until {format_date(a.ce_deadline)} still count "
            f"({phrases.grace_rule(policy)}), but a late fee then applies."
        )
    return (
        f"Complete the continuing education by {format_date(a.ce_deadline)}, the last day it "
        f"can count for this cycle ({phrases.grace_rule(policy)})."
    )


def _cpr_steps(a: Assessment, policy: Policy) -> list[str]:
    """The card, when it does not count or runs out before an application not yet sent."""
    card = a.cpr_aed
    runs_out_first = (
        card.valid
        and a.phase is Phase.ACTIVE
        and a.submitted_on is None
        and card.expires_on is not None
        and card.expires_on < a.expires_on
    )
    return [phrases.cpr_status(a, policy)] if not card.valid or runs_out_first else []


def _missing_requirements(a: Assessment, policy: Policy) -> list[str]:
    steps = [s for s in (_gap_sentence(a, policy), _ce_deadline_sentence(a, policy)) if s]
    if a.ceus_pending > 0:
        steps.append(phrases.pending_petitions(a))
    steps.extend(_cpr_steps(a, policy))
    return steps


def _application_sentence(a: Assessment, policy: Policy) -> str:
    assert a.fees.total is not None
    lead = "You have all the CEUs you need: submit" if a.ceus_remaining == 0 else "Then submit"
    if a.phase is Phase.ACTIVE:
        return (
            f"{lead} your renewal application by {format_date(a.expires_on)} to pay "
            f"{phrases.fee_breakdown(a.fees, a.plan)}. {phrases.fee_tiers_ahead(a, policy)}"
        )
    if a.phase is Phase.LATE_FEE:
        return (
            f"{lead} your application now to pay {phrases.fee_breakdown(a.fees, a.plan)}. "
            f"{phrases.fee_tiers_ahead(a, policy)}"
        )
    return (
        f"{lead} your application by {format_date(a.application_deadline)}, the last day it is "
        f"accepted, and pay {phrases.fee_breakdown(a.fees, a.plan)}."
    )


def _after_submission(a: Assessment, policy: Policy) -> list[str]:
    """An application is on record: what it fixed, what is still missing, and the audit."""
    steps = [phrases.application_received(a, policy)]
    if a.waits_on_petitions:
        steps.append(phrases.petitions_decide(a, policy))
    elif not a.renewable:
        steps.append(phrases.ce_window_closed(a, policy))
    else:
        gap = _gap_sentence(a, policy)
        if gap:
            steps.append(
                f"It was sent with something still missing. {gap} Your renewal needs it: "
                f"{phrases.PERSON} about adding it to your application."
            )
        deadline = _ce_deadline_sentence(a, policy)
        if deadline:
            steps.append(deadline)
        if a.ceus_pending > 0:
            steps.append(phrases.pending_petitions(a))
        if not a.cpr_aed.valid:
            steps.append(phrases.cpr_status(a, policy))
    if a.audit is not None:
        steps.append(phrases.audit_status(a, policy))
    elif a.renewable and a.ceus_remaining == 0:
        steps.append(
            "Nothing more is needed unless NASM selects your application for a random audit."
        )
    if a.fees.total is not None:
        steps.append(phrases.MONEY_NOTE)
    return steps

