"""What-if scenarios on one credential: the fee on a submission date, the standing of a completion date.

Pure functions over :mod:`rules.model` values, built only on :mod:`rules.engine`'s own
``deadlines``, ``phase_on`` and ``fees_for`` (spec sections 2, 3, 4 and 5), so a scenario and
an assessment can never disagree. No clock, no I/O: the caller says which day is meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from rules.calendar import days_between
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
