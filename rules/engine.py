"""The renewal policy engine: policy + record + day -> assessment.

Pure functions over the frozen values of :mod:`rules.model`; no clock, no I/O.
Each step follows a numbered section of ``docs/rules.md``:
phase and deadlines (3), CEU arithmetic (4), fees (5), audit (6). The sentences
a trainer reads are built in :mod:`rules.steps` from the finished numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from rules.calendar import add_days, add_years, days_between
from rules.model import (
    Application,
    Assessment,
    Audit,
    AuditStatus,
    CatalogCourse,
    CERecord,
    CEStatus,
    CprAedAssessment,
    CprAedCard,
    CprAedStatus,
    Credential,
    Fees,
    Phase,
    Plan,
    Provider,
    TrainerRecord,
)
from rules.policy import Policy, load_policy
from rules.steps import next_steps

ZERO = Decimal("0.0")
CEU_STEP = Decimal("0.1")


@dataclass(frozen=True)
class Deadlines:
    """The fixed dates of one cycle, derived from the expiration date ``E`` alone."""

    cycle_start: date
    expires_on: date
    ce_deadline: date  # E + 90 days
    late_fee_deadline: date  # E + 90 days
    lapses_on: date  # E + 1 year: first day the credential cannot be renewed
    application_deadline: date  # the day before E + 1 year


def cycle_start(credential: Credential, policy: Policy) -> date:
    """First day of the current cycle (spec section 2).

    The initial certification date for a first cycle; otherwise the previous
    expiration + 1 day, which the record does not hold, so it is ``E`` minus one
    cycle, plus one day (the import contract's rule for a missing ``certified_on``).
    """
    previous_expiration = add_years(credential.expires_on, -policy.cycle_years)
    if credential.certified_on is not None and credential.certified_on >= previous_expiration:
        return credential.certified_on
    return add_days(previous_expiration, 1)


def deadlines(credential: Credential, policy: Policy) -> Deadlines:
    expires_on = credential.expires_on
    grace_end = add_days(expires_on, policy.ce_grace_days)
    lapses_on = add_years(expires_on, policy.restore_after_years)
    return Deadlines(
        cycle_start=cycle_start(credential, policy),
        expires_on=expires_on,
        ce_deadline=grace_end,
        late_fee_deadline=grace_end,
        lapses_on=lapses_on,
        application_deadline=add_days(lapses_on, -1),
    )


def phase_on(day: date, dates: Deadlines) -> Phase:
    """The phase table of spec section 3."""
    if day <= dates.expires_on:
        return Phase.ACTIVE
    if day <= dates.late_fee_deadline:
        return Phase.LATE_FEE
    if day < dates.lapses_on:
        return Phase.LATE_ADDITIONAL_FEE
    return Phase.LAPSED


def current_application(
    applications: Iterable[Application], program: str, dates: Deadlines, today: date
) -> Application | None:
    """The latest application for this cycle received on or before ``today``.

    Only an application received before ``E + 1 year`` counts: later ones are not accepted.
    An application that names the cycle it renews (``for_expiration``) belongs to that cycle
    only, so a late renewal of the previous cycle is never taken for this cycle's application.
    """
    candidates = [
        a
        for a in applications
        if a.program == program
        and a.submitted_on <= today
        and a.submitted_on < dates.lapses_on
        and (
            a.for_expiration == dates.expires_on
            if a.for_expiration is not None
            else dates.cycle_start <= a.submitted_on
        )
    ]
    return max(candidates, key=lambda a: a.submitted_on) if candidates else None


_CPR_PREFERENCE = (
    CprAedStatus.VALID,
    CprAedStatus.NEEDS_CONFIRMATION,
    CprAedStatus.NOT_HANDS_ON,
    CprAedStatus.EXPIRED,
)


def assess_cpr_aed(cards: Iterable[CprAedCard], day: date, policy: Policy) -> CprAedAssessment:
    """The best card held on ``day``: valid beats needs-confirmation beats online-only beats expired."""
    best: CprAedAssessment | None = None
    for card in cards:
        if card.issued_on is not None and card.issued_on > day:
            continue  # not held yet on that day
        if card.expires_on < day:
            status = CprAedStatus.EXPIRED
        elif not card.hands_on:
            status = CprAedStatus.NOT_HANDS_ON
        elif policy.accepted_cpr_provider(card.provider) is None:
            status = CprAedStatus.NEEDS_CONFIRMATION
        else:
            status = CprAedStatus.VALID
        candidate = CprAedAssessment(status, card.provider, card.expires_on)
        if best is None or _better_card(candidate, best):
            best = candidate
    return best or CprAedAssessment(CprAedStatus.MISSING)


def _better_card(candidate: CprAedAssessment, best: CprAedAssessment) -> bool:
    rank_new = _CPR_PREFERENCE.index(candidate.status)
    rank_old = _CPR_PREFERENCE.index(best.status)
    if rank_new != rank_old:
        return rank_new < rank_old
    # Same standing: the card that lasts longer is the one worth talking about.
    return (candidate.expires_on or date.min) > (best.expires_on or date.min)


def _sum_ceus(records: Iterable[CERecord]) -> Decimal:
    return sum((r.ceus for r in records), ZERO)


def counted_for_another_cycle(record: CERecord, expires_on: date) -> bool:
    """The record was used by the renewal of another cycle than the one ending ``expires_on``."""
    return record.counted_for is not None and record.counted_for != expires_on


def counts_in_cycle(record: CERecord, dates: Deadlines, window_end: date) -> bool:
    """A record counts toward one cycle only (spec section 4).

    It must be completed in the window ``S .. window_end``; a record marked as used by another
    cycle's renewal (``counted_for``) never counts here, even inside the window.
    """
    if counted_for_another_cycle(record, dates.expires_on):
        return False
    return dates.cycle_start <= record.completed_on <= window_end


def fees_for(
    decided_on: date, phase_dates: Deadlines, plan: Plan, policy: Policy
) -> Fees:
    """Fee tier by the day that decides it: submission date once submitted, otherwise today."""
    if decided_on >= phase_dates.lapses_on:
        return Fees(renewal=None, late=None, total=None, decided_on=decided_on)
    renewal = (
        policy.fees.renewal_lifetime if plan is Plan.LIFETIME else policy.fees.renewal_standard
    )
    if decided_on <= phase_dates.expires_on:
        late = Decimal("0.00")
    elif decided_on <= phase_dates.late_fee_deadline:
        late = policy.fees.late_first_tier
    else:
        late = policy.fees.late_second_tier
    return Fees(renewal=renewal, late=late, total=renewal + late, decided_on=decided_on)


def audit_of(application: Application | None, today: date, policy: Policy) -> Audit | None:
    if application is None or application.audit_selected_on is None:
        return None
    if application.audit_selected_on > today:
        return None  # not selected yet as of today
    due = add_days(application.audit_selected_on, policy.audit_response_days)
    submitted = application.audit_documents_submitted_on
    if submitted is not None and submitted <= today:
        status = AuditStatus.SUBMITTED
    elif today > due:
        status = AuditStatus.OVERDUE
    else:
        status = AuditStatus.PENDING
    return Audit(
        selected_on=application.audit_selected_on,
        documents_due=due,
        status=status,
        days_left=days_between(today, due),
    )


def assess(
    policy: Policy, record: TrainerRecord, credential: Credential, today: date, *, steps: bool = True
) -> Assessment:
    """The full assessment of one credential on ``today`` (a date in the trainer's time zone).

    ``steps=False`` leaves ``next_steps`` empty: the sentences are a third of the work and a reminder
    pass over a whole store (``bot.reminders.planner``) words its own message from the figures.
    """
    dates = deadlines(credential, policy)
    phase = phase_on(today, dates)
    application = current_application(record.applications, credential.program, dates, today)
    reference_day = application.submitted_on if application else today

    window_end = min(dates.ce_deadline, today)
    in_window = [r for r in record.ce_records if counts_in_cycle(r, dates, window_end)]
    counted_uncapped = _sum_ceus(r for r in in_window if r.status is CEStatus.APPROVED)
    counted = min(counted_uncapped, policy.ce_cap)
    pending_records = [r for r in in_window if r.status is CEStatus.PENDING_PETITION]
    pending = _sum_ceus(pending_records)

    cpr = assess_cpr_aed(record.cpr_aed_cards, reference_day, policy)
    earned = counted + (policy.cpr_aed_ceus if cpr.valid else ZERO)
    remaining = max(policy.ceus_required - earned, ZERO)

    # An application received before E + 1 year is being processed, whatever today is; only
    # without one does the credential lapse. A CE gap at the CE deadline can never be closed.
    out_of_time = phase is Phase.LAPSED and application is None
    ce_window_closed = today > dates.ce_deadline
    renewable = not out_of_time and not (ce_window_closed and counted < policy.ce_cap)
    closed_by_petitions = min(counted_uncapped + pending, policy.ce_cap) >= policy.ce_cap
    renewable_if_petitions_approved = renewable or (not out_of_time and closed_by_petitions)

    assessment = Assessment(
        program=credential.program,
        plan=credential.plan,
        today=today,
        expires_on=dates.expires_on,
        cycle_start=dates.cycle_start,
        phase=phase,
        days_until_expiration=days_between(today, dates.expires_on),
        ceus_required=policy.ceus_required,
        ceus_earned=earned,
        ceus_remaining=remaining,
        ceus_pending=pending,
        ce_counted=counted,
        ce_counted_uncapped=counted_uncapped,
        ce_remaining=policy.ce_cap - counted,
        cpr_aed=cpr,
        ce_deadline=dates.ce_deadline,
        late_fee_deadline=dates.late_fee_deadline,
        application_deadline=dates.application_deadline,
        lapses_on=dates.lapses_on,
        renewable=renewable,
        renewable_if_petitions_approved=renewable_if_petitions_approved,
        fees=fees_for(reference_day, dates, credential.plan, policy),
        submitted_on=application.submitted_on if application else None,
        submitted_phase=phase_on(application.submitted_on, dates) if application else None,
        audit=audit_of(application, today, policy),
        petitions_pending=len(pending_records),
    )
    return replace(assessment, next_steps=next_steps(assessment, policy)) if steps else assessment


def assess_trainer(
    record: TrainerRecord, today: date, policies: Mapping[str, Policy] | None = None
) -> list[Assessment]:
    """One assessment per credential, each with its program's policy."""
    results = []
    for credential in record.credentials:
        policy = (policies or {}).get(credential.program) or load_policy(credential.program)
        results.append(assess(policy, record, credential, today))
    return results


def what_if(
    policy: Policy,
    expires_on: date,
    ceus_earned: Decimal,
    today: date,
    has_cpr_aed: bool | None = None,
    plan: Plan = Plan.STANDARD,
) -> Assessment:
    """A hypothetical assessment from what someone tells us; nothing is stored.

    ``ceus_earned`` is taken as approved continuing education completed in the
    cycle. With ``has_cpr_aed`` unknown the card is treated as missing, which
    gives the same ``ceus_remaining`` whether or not the stated CEUs already
    include the card's 0.1.
    """
    if ceus_earned < 0:
        raise ValueError("ceus_earned must not be negative")
    credential = Credential(program=policy.program, expires_on=expires_on, plan=plan)
    dates = deadlines(credential, policy)
    completed_on = max(dates.cycle_start, min(today, dates.ce_deadline))
    cpr_aed_ceus = policy.cpr_aed_ceus if has_cpr_aed else ZERO
    ce = max(ceus_earned - cpr_aed_ceus, ZERO)
    records = (CERecord(completed_on, ce, CEStatus.APPROVED, title="stated CEUs"),) if ce else ()
    cards = (
        (
            CprAedCard(
                policy.cpr_aed_accepted_providers[0].name,
                expires_on=max(today, dates.ce_deadline),
                hands_on=True,
            ),
        )
        if has_cpr_aed
        else ()
    )
    record = TrainerRecord(
        trainer_id="what-if", credentials=(credential,), ce_records=records, cpr_aed_cards=cards
    )
    return assess(policy, record, credential, today)


# --- "Does this course count?" ---------------------------------------------------------------


@dataclass(frozen=True)
class CourseVerdict:
    """Whether a course counts, and why, for one credential's cycle."""

    approved: bool  # preapproved: a catalog course or from an approved provider
    basis: str  # "catalog", "approved_provider", "petition"
    ceus: Decimal | None  # the catalog's CEUs when known
    petition_fee: Decimal | None  # the fee when a petition is needed
    window_start: date | None
    window_end: date | None
    in_window: bool | None  # None when the completion date or the cycle is unknown


def check_course(
    policy: Policy,
    assessment: Assessment | None,
    course: CatalogCourse | None,
    provider: Provider | None,
    completed_on: date | None,
) -> CourseVerdict:
    """Spec section 4 and 5: approved courses count in the window; others need a $25 petition."""
    if course is not None:
        approved, basis, ceus = True, "catalog", course.ceus
    elif provider is not None and provider.approved:
        approved, basis, ceus = True, "approved_provider", None
    else:
        approved, basis, ceus = False, "petition", None
    start = assessment.cycle_start if assessment else None
    end = assessment.ce_deadline if assessment else None
    in_window = (
        start <= completed_on <= end
        if start is not None and end is not None and completed_on is not None
        else None
    )
    return CourseVerdict(
        approved=approved,
        basis=basis,
        ceus=ceus,
        petition_fee=None if approved else policy.fees.petition,
        window_start=start,
        window_end=end,
        in_window=in_window,
    )


def ceus_for_contact_hours(policy: Policy, hours: Decimal) -> Decimal:
    """Contact hours as CEUs, exactly (spec section 1: one contact hour is 0.1 CEU): 5 hours -> 0.5.

    Not rounded: 7.5 hours is 0.75 CEU by the rule, and the caller says that NASM records tenths rather
    than showing 0.8 as if it were the rule's figure.
    """
    if hours < 0:
        raise ValueError("hours must not be negative")
    return hours / Decimal(policy.contact_hours_per_ceu)
