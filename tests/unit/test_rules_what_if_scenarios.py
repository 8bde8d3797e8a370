"""rules.scenarios: the fee on a submission date and the standing of a completion date, at every boundary.

Worked out by hand from the specification: E = 2026-03-01, certified 2022-03-01, so the cycle starts
2024-03-02, the CE deadline and last day of the first late-fee tier is E + 90 = 2026-05-30, and the last
day an application is accepted is 2027-02-28 (E + 1 year = 2027-03-01).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from rules.model import Credential, Phase, Plan
from rules.policy import load_policy
from rules.scenarios import (
    CompletionStanding,
    completion_on,
    completions_between,
    submission_on,
    submissions_between,
)

POLICY = load_policy("nasm-cpt")
CPT = Credential("nasm-cpt", date(2026, 3, 1), certified_on=date(2022, 3, 1))


@pytest.mark.parametrize(
    "submitted, phase, late, total, days_after",
    [
        (date(2026, 2, 1), Phase.ACTIVE, "0.00", "99.00", -28),
        (date(2026, 3, 1), Phase.ACTIVE, "0.00", "99.00", 0),
        (date(2026, 3, 2), Phase.LATE_FEE, "30.00", "129.00", 1),
        (date(2026, 5, 30), Phase.LATE_FEE, "30.00", "129.00", 90),
        (date(2026, 5, 31), Phase.LATE_ADDITIONAL_FEE, "50.00", "149.00", 91),
        (date(2027, 2, 28), Phase.LATE_ADDITIONAL_FEE, "50.00", "149.00", 364),
    ],
)
def test_submission_fee_by_the_day_received(submitted, phase, late, total, days_after) -> None:  # type: ignore[no-untyped-def]
    s = submission_on(POLICY, CPT, submitted)
    assert (s.phase, s.fees.late, s.fees.total, s.days_after_expiration) == (phase, D(late), D(total), days_after)
    assert s.accepted
    assert s.needs_ce_by_grace_end is (phase is Phase.LATE_ADDITIONAL_FEE)


def test_submission_a_year_after_expiration_is_not_accepted() -> None:
    s = submission_on(POLICY, CPT, date(2027, 3, 1))
    assert not s.accepted and s.fees.total is None


def test_lifetime_plan_pays_only_the_late_fee() -> None:
    s = submission_on(POLICY, Credential("nasm-cpt", date(2026, 3, 1), plan=Plan.LIFETIME), date(2026, 4, 1))
    assert (s.fees.renewal, s.fees.late, s.fees.total) == (D("0.00"), D("30.00"), D("30.00"))


@pytest.mark.parametrize(
    "completed, standing",
    [
        (date(2024, 3, 1), CompletionStanding.BEFORE_CYCLE),
        (date(2024, 3, 2), CompletionStanding.IN_CYCLE),
        (date(2026, 3, 1), CompletionStanding.IN_CYCLE),
        (date(2026, 3, 2), CompletionStanding.GRACE),
        (date(2026, 5, 30), CompletionStanding.GRACE),
        (date(2026, 5, 31), CompletionStanding.TOO_LATE),
    ],
)
def test_completion_standing(completed, standing) -> None:  # type: ignore[no-untyped-def]
    c = completion_on(POLICY, CPT, completed)
    assert c.standing is standing
    assert c.counts is (standing in (CompletionStanding.IN_CYCLE, CompletionStanding.GRACE))


# --- a period without a day ("if I renew in May"): split at E + 1, G + 1 and L -------------------


def _spans(first: date, last: date) -> list[tuple[date, date, str | None]]:
    return [
        (s.first, s.last, None if s.submission.fees.total is None else str(s.submission.fees.total))
        for s in submissions_between(POLICY, CPT, first, last)
    ]


def test_a_month_inside_one_tier_is_one_span() -> None:
    assert _spans(date(2026, 4, 1), date(2026, 4, 30)) == [(date(2026, 4, 1), date(2026, 4, 30), "129.00")]


def test_the_month_of_the_expiration_date_splits_the_day_after_it() -> None:
    assert _spans(date(2026, 3, 1), date(2026, 3, 31)) == [
        (date(2026, 3, 1), date(2026, 3, 1), "99.00"),
        (date(2026, 3, 2), date(2026, 3, 31), "129.00"),
    ]


def test_the_month_of_the_ce_deadline_splits_the_day_after_it() -> None:
    assert _spans(date(2026, 5, 1), date(2026, 5, 31)) == [
        (date(2026, 5, 1), date(2026, 5, 30), "129.00"),
        (date(2026, 5, 31), date(2026, 5, 31), "149.00"),
    ]


def test_the_month_of_the_lapse_day_ends_with_too_late() -> None:
    assert _spans(date(2027, 2, 1), date(2027, 3, 31)) == [
        (date(2027, 2, 1), date(2027, 2, 28), "149.00"),
        (date(2027, 3, 1), date(2027, 3, 31), None),
    ]
    assert not submissions_between(POLICY, CPT, date(2027, 3, 1), date(2027, 3, 1))[0].submission.accepted


def test_one_day_and_a_reversed_period() -> None:
    assert _spans(date(2026, 5, 31), date(2026, 5, 31)) == [(date(2026, 5, 31), date(2026, 5, 31), "149.00")]
    with pytest.raises(ValueError):
        submissions_between(POLICY, CPT, date(2026, 5, 2), date(2026, 5, 1))


# --- CE completed some day of a month: split at S, E + 1 and G + 1 ------------------------------


def _standings(first: date, last: date) -> list[tuple[date, date, CompletionStanding]]:
    return [(s.first, s.last, s.completion.standing) for s in completions_between(POLICY, CPT, first, last)]


def test_completion_month_of_the_ce_deadline_splits_the_day_after_it() -> None:
    assert _standings(date(2026, 5, 1), date(2026, 5, 31)) == [
        (date(2026, 5, 1), date(2026, 5, 30), CompletionStanding.GRACE),
        (date(2026, 5, 31), date(2026, 5, 31), CompletionStanding.TOO_LATE),
    ]


def test_completion_months_of_the_cycle_start_and_the_expiration_date() -> None:
    assert _standings(date(2024, 3, 1), date(2024, 3, 31)) == [
        (date(2024, 3, 1), date(2024, 3, 1), CompletionStanding.BEFORE_CYCLE),
        (date(2024, 3, 2), date(2024, 3, 31), CompletionStanding.IN_CYCLE),
    ]
    assert _standings(date(2026, 3, 1), date(2026, 3, 31)) == [
        (date(2026, 3, 1), date(2026, 3, 1), CompletionStanding.IN_CYCLE),
        (date(2026, 3, 2), date(2026, 3, 31), CompletionStanding.GRACE),
    ]
    assert _standings(date(2026, 4, 1), date(2026, 4, 30)) == [
        (date(2026, 4, 1), date(2026, 4, 30), CompletionStanding.GRACE)
    ]
    with pytest.raises(ValueError):
        completions_between(POLICY, CPT, date(2026, 4, 2), date(2026, 4, 1))
