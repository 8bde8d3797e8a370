"""What-if scenarios on one credential: the fee on a submission date, the standing of a completion date.

Pure functions over :mod:`rules.model` values, built only on :mod:`rules.engine`'s own
``deadlines``, ``phase_on`` and ``fees_for`` (spec sections 2, 3, 4 and 5), so a scenario and
an assessment can never disagree. No clock, no I/O: the caller says which day is meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from rules.calendar import add_days, days_between
from rules.engine import Deadlines, deadlines, fees_for, phase_on
from rules.model import Credential, Fees, Phase
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
