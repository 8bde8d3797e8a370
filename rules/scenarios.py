"""What-if scenarios on one credential: the fee on a submission date, the standing of a completion date.

Pure functions over :mod:`rules.model` values, built only on :mod:`rules.engine`'s own
``deadlines``, ``phase_on`` and ``fees_for`` (spec sections 2, 3, 4 and 5), so a scenario and
an assessment can never disagree. No clock, no I/O: the caller says which day is meant.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import Enum

from rules.calendar import add_days, days_between
from rules.engine import Deadlines, assess, counts_in_cycle, deadlines, fees_for, phase_on
from rules.model import (
    Assessment,
    CatalogCourse,
    CERecord,
    CEStatus,
    CprAedCard,
    Credential,
    Fees,
    Phase,
    TrainerRecord,
)
from rules.policy import Policy


@dataclass(frozen=True)
class Submission:
    """What an application received on ``submitted_on`` would mean (spec sections 3 and 5)."""

    submitted_on: date
    dates: Deadlines
    phase: Phase  # the phase on the submission day
    fees: Fees  # tier decided by the submission day; amounts are None once it is too late
    days_after_expiration: int  # negative: before the expiration date

    @property
    def accepted(self) -> bool:
        """Received before ``E + restore_after_years``: an application is still accepted."""
        return self.phase is not Phase.LAPSED

    @property
    def needs_ce_by_grace_end(self) -> bool:
        """After the first late-fee tier, accepted only if all CE was completed by the CE deadline."""
        return self.phase is Phase.LATE_ADDITIONAL_FEE


class CompletionStanding(str, Enum):
    BEFORE_CYCLE = "before_cycle"  # completed before the cycle started: counts for an earlier cycle
    IN_CYCLE = "in_cycle"  # completed by the expiration date
    GRACE = "grace"  # after the expiration date, up to the CE deadline: counts, renewal is late
    TOO_LATE = "too_late"  # after the CE deadline: cannot count for this cycle


@dataclass(frozen=True)
class Completion:
    """Whether continuing education completed on ``completed_on`` counts for this cycle (spec 4)."""

    completed_on: date
    dates: Deadlines
    standing: CompletionStanding

    @property
    def counts(self) -> bool:
        return self.standing in (CompletionStanding.IN_CYCLE, CompletionStanding.GRACE)


def submission_on(policy: Policy, credential: Credential, submitted_on: date) -> Submission:
    """The fee tier and acceptance of an application received on ``submitted_on``."""
    dates = deadlines(credential, policy)
    return Submission(
        submitted_on=submitted_on,
        dates=dates,
        phase=phase_on(submitted_on, dates),
        fees=fees_for(submitted_on, dates, credential.plan, policy),
        days_after_expiration=days_between(dates.expires_on, submitted_on),
    )


@dataclass(frozen=True)
class SubmissionSpan:
    """The days ``first`` to ``last`` (both included) on which a received application has one outcome."""

    first: date
    last: date
    submission: Submission  # the outcome of ``first``; every day of the span has the same phase and fees


def submissions_between(policy: Policy, credential: Credential, first: date, last: date) -> tuple[SubmissionSpan, ...]:
    """The fee tiers an application received some day from ``first`` to ``last`` falls in, in order.

    A period a trainer names without a day ("if I renew in January") can straddle a tier boundary
    (``E + 1 day``, ``G + 1 day``, ``L``), and no single day's fee is then the answer; the period is
    split at those boundaries so each part gets its own tier (spec section 5).
    """
    if last < first:
        raise ValueError(f"the period ends ({last}) before it starts ({first})")
    dates = deadlines(credential, policy)
    starts = [first] + [
        boundary
        for boundary in (
            add_days(dates.expires_on, 1),
            add_days(dates.late_fee_deadline, 1),
            dates.lapses_on,
        )
        if first < boundary <= last
    ]
    ends = [add_days(start, -1) for start in starts[1:]] + [last]
    return tuple(
        SubmissionSpan(first=start, last=end, submission=submission_on(policy, credential, start))
        for start, end in zip(starts, ends, strict=True)
    )


def completion_on(policy: Policy, credential: Credential, completed_on: date) -> Completion:
    """Where CE completed on ``completed_on`` falls: ``S <= completed_on <= E + grace`` counts."""
    dates = deadlines(credential, policy)
    if completed_on < dates.cycle_start:
        standing = CompletionStanding.BEFORE_CYCLE
    elif completed_on <= dates.expires_on:
        standing = CompletionStanding.IN_CYCLE
    elif completed_on <= dates.ce_deadline:
        standing = CompletionStanding.GRACE
    else:
        standing = CompletionStanding.TOO_LATE
    return Completion(completed_on=completed_on, dates=dates, standing=standing)


@dataclass(frozen=True)
class CompletionSpan:
    """The days ``first`` to ``last`` (both included) on which completed CE has one standing."""

    first: date
    last: date
    completion: Completion  # the standing of ``first``; every day of the span has the same one


def completions_between(
    policy: Policy, credential: Credential, first: date, last: date
) -> tuple[CompletionSpan, ...]:
    """Where CE completed some day from ``first`` to ``last`` falls, split at ``S``, ``E + 1`` and ``G + 1``.

    "If I finish my CE in January" names no day, and a month can hold the CE deadline: the days up
    to ``G`` count, the days after it cannot (spec section 4).
    """
    if last < first:
        raise ValueError(f"the period ends ({last}) before it starts ({first})")
    dates = deadlines(credential, policy)
    starts = [first] + [
        boundary
        for boundary in (dates.cycle_start, add_days(dates.expires_on, 1), add_days(dates.ce_deadline, 1))
        if first < boundary <= last
    ]
    ends = [add_days(start, -1) for start in starts[1:]] + [last]
    return tuple(
        CompletionSpan(first=start, last=end, completion=completion_on(policy, credential, start))
        for start, end in zip(starts, ends, strict=True)
    )


@dataclass(frozen=True)
class ApplicationDay:
    """The trainer's own record as it would stand on the day NASM receives the application.

    "What if I apply on January 10?" is answered with that day's figures, not today's: the fee tier,
    the CE counted by then (``min(G, day)``), the CPR/AED card held that day (the card is judged on
    the day NASM receives the application) and the petitions still pending (docs/rules.md, An
    application already received).
    """

    on: Assessment  # the record assessed on that day (steps left out)
    asked_on: date  # today, the day the question is asked
    ce_open: bool  # CE completed from today on can still count for an application that day
    pending: tuple[CERecord, ...]  # pending petitions that would count that day once approved
    finished_later: tuple[CERecord, ...]  # approved CE on the record completed after that day

    @property
    def approvable(self) -> bool:
        """An application that day could still be approved: the record is complete enough then, the
        missing CE can still be completed in time, or pending petitions would close the gap. False
        only when the CE window closed short (docs/rules.md, Renewable): no day helps then."""
        on = self.on
        return on.renewable or on.renewable_if_petitions_approved or self.ce_open or on.today < self.asked_on

    @property
    def ce_by(self) -> date:
        """The last day continuing education can be completed for an application on that day."""
        return min(self.on.today, self.on.ce_deadline)


def application_on(
    policy: Policy, record: TrainerRecord, credential: Credential, day: date, today: date
) -> ApplicationDay:
    """The record of ``credential`` as it would stand if NASM received the application on ``day``,
    asked on ``today`` (CE not yet on the record can still be completed until ``min(day, G)``)."""
    on = assess(policy, record, credential, day, steps=False)
    dates = deadlines(credential, policy)
    window_end = min(dates.ce_deadline, day)
    pending = tuple(
        r
        for r in record.ce_records
        if r.status is CEStatus.PENDING_PETITION and counts_in_cycle(r, dates, window_end)
    )
    finished_later = tuple(
        r
        for r in record.ce_records
        if r.status is CEStatus.APPROVED
        and r.completed_on > window_end
        and counts_in_cycle(r, dates, dates.ce_deadline)
    )
    return ApplicationDay(
        on=on, asked_on=today, ce_open=today <= window_end, pending=pending, finished_later=finished_later
    )


@dataclass(frozen=True)
class ApplicationSpan:
    """The days ``first`` to ``last`` (both included) on which an application NASM receives finds the
    record lacking the same things: the same course CE counted and by when the rest must be completed,
    the same pending petitions and CE finished later, and the CPR/AED card in the same standing."""

    first: date
    last: date
    first_day: ApplicationDay  # the record on ``first``
    last_day: ApplicationDay  # the record on ``last``


def _standing(d: ApplicationDay) -> tuple[object, ...]:
    on = d.on
    return (
        on.phase is Phase.LAPSED,
        d.approvable,
        d.ce_open,
        on.ce_counted,
        on.ce_remaining > 0,
        on.ce_remaining > 0 and d.ce_by == on.today,  # CE still to complete by the day itself, or by the CE deadline
        on.today < d.asked_on,  # a day gone by
        d.pending,
        d.finished_later,
        on.cpr_aed.status,
        on.cpr_aed.expires_on,
        on.renewable_if_petitions_approved,
        on.petitions_close_gap,
    )


def applications_between(
    policy: Policy, record: TrainerRecord, credential: Credential, first: date, last: date, today: date
) -> tuple[ApplicationSpan, ...]:
    """:func:`application_on` for each day from ``first`` to ``last``, asked on ``today``, split where
    what the record lacks changes ("if I apply in January": the card that runs out on January 10, the
    CE that must be completed by the day NASM receives it and, after the CE deadline, by that deadline)."""
    if last < first:
        raise ValueError(f"the period ends ({last}) before it starts ({first})")
    days = [
        application_on(policy, record, credential, add_days(first, i), today)
        for i in range(days_between(first, last) + 1)
    ]
    spans: list[ApplicationSpan] = []
    start = 0
    for i in range(1, len(days) + 1):
        if i == len(days) or _standing(days[i]) != _standing(days[start]):
            spans.append(ApplicationSpan(days[start].on.today, days[i - 1].on.today, days[start], days[i - 1]))
            start = i
    return tuple(spans)


def with_current_card(policy: Policy, record: TrainerRecord, credential: Credential, today: date) -> Assessment:
    """The trainer's assessment on ``today`` had they a current card: "if I get a new CPR card, how many
    CEUs will I have?" (spec section 4: a valid hands-on adult CPR/AED card from an accepted provider counts
    0.1, more cards add nothing).

    The added card is hands-on, from the first accepted provider, and valid through the last day an
    application is accepted, so it counts on any submission day; the rest of the record is unchanged.
    """
    return assess(policy, record_with_current_card(policy, record, credential, today), credential, today)


def record_with_current_card(
    policy: Policy, record: TrainerRecord, credential: Credential, today: date
) -> TrainerRecord:
    """``record`` plus a hands-on card from the first accepted provider, held from ``today`` through the last
    day an application is accepted: "if I get an AHA card tomorrow and apply on December 3, how much?" (the
    card then counts on any submission day from today on)."""
    dates = deadlines(credential, policy)
    card = CprAedCard(
        policy.cpr_aed_accepted_providers[0].name,
        expires_on=max(today, dates.application_deadline),
        hands_on=True,
        issued_on=today,
    )
    return replace(record, cpr_aed_cards=(*record.cpr_aed_cards, card))


def with_course(
    policy: Policy,
    record: TrainerRecord,
    credential: Credential,
    course: CatalogCourse,
    today: date,
    completed_on: date | None = None,
) -> Assessment:
    """The trainer's assessment on ``today`` had they completed ``course`` today: "how many CEUs would I
    still need after the WLS?" (spec section 4: approved CE in the window counts, capped at 1.9).

    Completed today (or on ``completed_on``, a day the trainer says it was done and the record lacks), so it
    counts only while that day is inside the cycle's window (up to the CE deadline); the rest of the record is
    unchanged.
    """
    done = CERecord(completed_on or today, course.ceus, CEStatus.APPROVED, title=course.title, course_id=course.id)
    return assess(policy, replace(record, ce_records=(*record.ce_records, done)), credential, today)


def with_petitions_approved(policy: Policy, record: TrainerRecord, credential: Credential, today: date) -> Assessment:
    """The trainer's assessment on ``today`` had NASM approved every pending petition: "what happens if my
    petition gets approved, am I done?" (spec section 4: an approved petition counts like an approved course,
    in the window, capped). Nothing else on the record changes."""
    return assess(policy, record_with_petitions_approved(record), credential, today)


def record_with_petitions_approved(record: TrainerRecord) -> TrainerRecord:
    """``record`` with every pending petition approved."""
    approved = tuple(
        replace(r, status=CEStatus.APPROVED) if r.status is CEStatus.PENDING_PETITION else r for r in record.ce_records
    )
    return replace(record, ce_records=approved)


def with_changes(
    policy: Policy,
    record: TrainerRecord,
    credential: Credential,
    today: date,
    *,
    current_card: bool = False,
    petitions_approved: bool = False,
    more_ce: Decimal | None = None,
) -> Assessment:
    """The trainer's assessment on ``today`` with several changes at once: "with a new CPR card and the
    petition approved, how many CEUs are left?", "a hands-on CPR class and 0.4 more CEUs, am I done?". The
    extra CE is approved continuing education completed today (it counts only inside the CE window, capped)."""
    changed = record
    if current_card:
        changed = record_with_current_card(policy, changed, credential, today)
    if petitions_approved:
        changed = record_with_petitions_approved(changed)
    if more_ce is not None and more_ce > 0:
        done = CERecord(today, more_ce, CEStatus.APPROVED, title="more approved continuing education")
        changed = replace(changed, ce_records=(*changed.ce_records, done))
    return assess(policy, changed, credential, today)
