"""The next steps for a trainer, as plain sentences with exact amounts and dates.

Built only from an assessment's finished numbers and the policy, so every figure
a trainer reads here is one the engine computed. The order is the order in which
a trainer should act: what can no longer be fixed, what is missing, how to apply,
what happens after applying.
"""

from __future__ import annotations

from rules.calendar import add_days
from rules.formatting import format_ceu_amount, format_date, format_money
from rules.model import Assessment, AuditStatus, CprAedStatus, Phase, Plan
from rules.policy import Policy

FEE_NOTE = "Fees follow NASM's published fees; confirm them in the portal."


def next_steps(a: Assessment, policy: Policy) -> tuple[str, ...]:
    if a.phase is Phase.LAPSED and a.submitted_on is None:
        return (_lapsed_sentence(a),)
    if a.submitted_on is not None:
        return tuple(_after_submission(a))
    if not a.renewable:
        return (_ce_window_closed_sentence(a, policy),)
    steps: list[str] = []
    if a.phase is not Phase.ACTIVE:
        steps.append(
            f"Your credential expired on {format_date(a.expires_on)}; it can still be renewed "
            f"until {format_date(a.application_deadline)}."
        )
    steps.extend(_missing_requirements(a, policy))
    steps.append(_application_sentence(a, policy))
    steps.append(FEE_NOTE)
    return tuple(steps)


def _lapsed_sentence(a: Assessment) -> str:
    return (
        f"Your credential expired on {format_date(a.expires_on)} and can no longer be renewed: "
        f"applications closed on {format_date(a.application_deadline)}, one year after expiration. "
        "You must restore it by retaking the exam; contact NASM or ask for a person here."
    )


def _ce_window_closed_sentence(a: Assessment, policy: Policy) -> str:
    done = (
        f"Only {format_ceu_amount(a.ce_counted)} of approved continuing education was"
        if a.ce_counted > 0
        else "No approved continuing education was"
    )
    return (
        f"{done} completed by {format_date(a.ce_deadline)}, short of the {format_ceu_amount(policy.ce_cap)} needed "
        "besides CPR/AED; continuing education completed later cannot count, so this credential "
        "can no longer be renewed. Contact NASM or ask for a person about restoring it."
    )


def _missing_requirements(a: Assessment, policy: Policy) -> list[str]:
    steps: list[str] = []
    ce_short = a.ce_remaining
    ce_part = f"{format_ceu_amount(ce_short)} of approved continuing education"
    cpr_part = f"a current CPR/AED card (worth {format_ceu_amount(policy.cpr_aed_ceus)})"
    if ce_short > 0 and not a.cpr_aed.valid:
        steps.append(
            f"You still need {format_ceu_amount(a.ceus_remaining)}: {ce_part} and {cpr_part}."
        )
    elif ce_short > 0:
        steps.append(f"You still need {ce_part}.")
    elif not a.cpr_aed.valid:
        steps.append(f"Your continuing education is complete; you still need {cpr_part}.")
    if a.ce_remaining > 0:
        if a.phase is Phase.ACTIVE:
            steps.append(
                f"Complete the continuing education by {format_date(a.expires_on)} to renew "
                f"without a late fee; courses completed until {format_date(a.ce_deadline)} "
                "(90 days after expiration) still count, but a late fee then applies."
            )
        else:
            steps.append(
                f"Complete the continuing education by {format_date(a.ce_deadline)}, the last day "
                "it can count for this cycle (90 days after expiration)."
            )
    if a.ceus_pending > 0:
        steps.append(
            f"Petitioned courses worth {format_ceu_amount(a.ceus_pending)} are still pending; "
            "they count only once the petition is approved."
        )
    steps.extend(_cpr_sentences(a, policy))
    return steps


def _cpr_sentences(a: Assessment, policy: Policy) -> list[str]:
    cpr = a.cpr_aed
    accepted = ", ".join(p.name for p in policy.cpr_aed_accepted_providers)
    if cpr.status is CprAedStatus.MISSING:
        return [
            "Get an adult CPR/AED certification with a hands-on skills component from an "
            f"accepted provider ({accepted}); it gives the required "
            f"{format_ceu_amount(policy.cpr_aed_ceus)}."
        ]
    assert cpr.expires_on is not None  # every held card has an expiry date
    if cpr.status is CprAedStatus.EXPIRED:
        return [
            f"Your CPR/AED card expired on {format_date(cpr.expires_on)}; renew it with a "
            f"hands-on course from an accepted provider ({accepted}) before you apply."
        ]
    if cpr.status is CprAedStatus.NOT_HANDS_ON:
        return [
            f"Your CPR/AED card from {cpr.provider} is online-only; NASM requires a hands-on "
            "skills component, so take a hands-on adult CPR/AED course."
        ]
    if cpr.status is CprAedStatus.NEEDS_CONFIRMATION:
        return [
            f"Your CPR/AED card from {cpr.provider} is not from a provider on NASM's accepted "
            "list; confirm with NASM member services that it is accepted before you apply."
        ]
    if a.phase is Phase.ACTIVE and cpr.expires_on < a.expires_on:
        return [
            f"Your CPR/AED card expires on {format_date(cpr.expires_on)}, before your "
            f"certification ({format_date(a.expires_on)}); apply while it is current or renew it."
        ]
    return []


def _fee_phrase(a: Assessment) -> str:
    fees = a.fees
    assert fees.renewal is not None and fees.late is not None and fees.total is not None
    renewal = (
        "no renewal fee on the Certify for Life plan"
        if a.plan is Plan.LIFETIME
        else f"the {format_money(fees.renewal)} renewal fee"
    )
    if fees.late == 0:
        return renewal
    return f"{renewal} plus a {format_money(fees.late)} late fee, {format_money(fees.total)} in all"


def _application_sentence(a: Assessment, policy: Policy) -> str:
    ready = a.ceus_remaining == 0
    lead = "You have all the CEUs you need: submit" if ready else "Then submit"
    if a.phase is Phase.ACTIVE:
        return (
            f"{lead} your renewal application by {format_date(a.expires_on)} to pay "
            f"{_fee_phrase(a)}; from {format_date(add_days(a.expires_on, 1))} a "
            f"{format_money(policy.fees.late_first_tier)} late fee applies."
        )
    if a.phase is Phase.LATE_FEE:
        return (
            f"{lead} your application by {format_date(a.late_fee_deadline)} to pay {_fee_phrase(a)}; from "
            f"{format_date(add_days(a.late_fee_deadline, 1))} the late fee is "
            f"{format_money(policy.fees.late_second_tier)}."
        )
    return (
        f"{lead} your application by {format_date(a.application_deadline)}, the last day it is accepted, and pay "
        f"{_fee_phrase(a)}."
    )


def _after_submission(a: Assessment) -> list[str]:
    assert a.submitted_on is not None
    steps = []
    if a.fees.total is not None:
        steps.append(
            f"Your renewal application was submitted on {format_date(a.submitted_on)}; "
            f"it costs {_fee_phrase(a)}. {FEE_NOTE}"
        )
    audit = a.audit
    if audit is None:
        steps.append("Nothing more is needed unless NASM selects your application for an audit.")
    elif audit.status is AuditStatus.PENDING:
        days = "today" if audit.days_left == 0 else f"{_days(audit.days_left)} left"
        steps.append(
            f"Your application was selected for an audit on {format_date(audit.selected_on)}: "
            "send the certificate of completion for each course and the front and back of your "
            f"CPR/AED card by {format_date(audit.documents_due)} ({days})."
        )
    elif audit.status is AuditStatus.OVERDUE:
        steps.append(
            f"Your audit documents were due on {format_date(audit.documents_due)} and have not "
            "been received: send them now and contact NASM, or ask for a person here."
        )
    else:
        steps.append("Your audit documents were received; nothing more is needed for the audit.")
    return steps


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"

