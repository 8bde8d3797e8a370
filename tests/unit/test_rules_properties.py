"""Invariants of the rules engine over generated records and days (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.engine import assess, what_if
from rules.model import (
    Application,
    CERecord,
    CEStatus,
    CprAedCard,
    Credential,
    Phase,
    Plan,
    TrainerRecord,
)
from rules.policy import load_policy

POLICY = load_policy("nasm-cpt")
PHASE_ORDER = [Phase.ACTIVE, Phase.LATE_FEE, Phase.LATE_ADDITIONAL_FEE, Phase.LAPSED]

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))
ceus = st.integers(min_value=0, max_value=25).map(lambda tenths: Decimal(tenths) / 10)
ce_records = st.builds(
    CERecord, completed_on=days, ceus=ceus, status=st.sampled_from(list(CEStatus))
)
cards = st.builds(
    CprAedCard,
    provider=st.sampled_from(["American Red Cross", "AHA", "Unknown Provider Inc"]),
    expires_on=days,
    hands_on=st.booleans(),
    issued_on=st.none() | days,
)
credentials = st.builds(
    Credential,
    program=st.just("nasm-cpt"),
    expires_on=days,
    plan=st.sampled_from(list(Plan)),
    certified_on=st.none() | days,
)


@st.composite
def records(draw: st.DrawFn) -> tuple[TrainerRecord, Credential]:
    credential = draw(credentials)
    applications = draw(
        st.lists(
            st.builds(
                Application,
                program=st.just("nasm-cpt"),
                submitted_on=days,
                audit_selected_on=st.none() | days,
                audit_documents_submitted_on=st.none() | days,
            ),
            max_size=2,
        )
    )
    record = TrainerRecord(
        trainer_id="T-prop",
        credentials=(credential,),
        ce_records=tuple(draw(st.lists(ce_records, max_size=8))),
        cpr_aed_cards=tuple(draw(st.lists(cards, max_size=3))),
        applications=tuple(applications),
    )
    return record, credential


@settings(max_examples=300, deadline=None)
@given(records(), days)
def test_earned_plus_remaining_is_required(data: tuple[TrainerRecord, Credential], today: date) -> None:
    record, credential = data
    a = assess(POLICY, record, credential, today)
    assert a.ceus_earned <= a.ceus_required
    assert a.ceus_earned + a.ceus_remaining == a.ceus_required
    assert a.ceus_remaining >= 0
    assert a.ce_counted <= POLICY.ce_cap
    assert a.ce_counted + a.ce_remaining == POLICY.ce_cap
    for value in (a.ceus_earned, a.ceus_remaining, a.ceus_pending):
        assert isinstance(value, Decimal)
        assert value == value.quantize(Decimal("0.1"))


@settings(max_examples=200, deadline=None)
@given(records(), days, st.integers(min_value=1, max_value=800))
def test_phase_never_moves_backwards(
    data: tuple[TrainerRecord, Credential], today: date, step: int
) -> None:
    record, credential = data
    earlier = assess(POLICY, record, credential, today)
    later = assess(POLICY, record, credential, today + timedelta(days=step))
    assert PHASE_ORDER.index(later.phase) >= PHASE_ORDER.index(earlier.phase)


@settings(max_examples=200, deadline=None)
@given(records(), days, st.integers(min_value=1, max_value=800))
def test_unrenewable_stays_unrenewable(
    data: tuple[TrainerRecord, Credential], today: date, step: int
) -> None:
    record, credential = data
    earlier = assess(POLICY, record, credential, today)
    later = assess(POLICY, record, credential, today + timedelta(days=step))
    if not earlier.renewable:
        assert not later.renewable


@settings(max_examples=300, deadline=None)
@given(records(), days, ce_records)
def test_an_approved_record_never_raises_remaining(
    data: tuple[TrainerRecord, Credential], today: date, extra: CERecord
) -> None:
    record, credential = data
    approved = CERecord(extra.completed_on, extra.ceus, CEStatus.APPROVED)
    before = assess(POLICY, record, credential, today)
    more = TrainerRecord(
        trainer_id=record.trainer_id,
        credentials=record.credentials,
        ce_records=record.ce_records + (approved,),
        cpr_aed_cards=record.cpr_aed_cards,
        applications=record.applications,
    )
    after = assess(POLICY, more, credential, today)
    assert after.ceus_remaining <= before.ceus_remaining


@settings(max_examples=200, deadline=None)
@given(records(), days, st.integers(min_value=1, max_value=800))
def test_late_fee_never_falls_as_days_pass_without_submission(
    data: tuple[TrainerRecord, Credential], today: date, step: int
) -> None:
    record, credential = data
    record = TrainerRecord(
        trainer_id=record.trainer_id,
        credentials=record.credentials,
        ce_records=record.ce_records,
        cpr_aed_cards=record.cpr_aed_cards,
    )
    earlier = assess(POLICY, record, credential, today).fees
    later = assess(POLICY, record, credential, today + timedelta(days=step)).fees
    if later.late is not None and earlier.late is not None:
        assert later.late >= earlier.late


@settings(max_examples=200, deadline=None)
@given(records(), days)
def test_next_steps_are_sentences(data: tuple[TrainerRecord, Credential], today: date) -> None:
    record, credential = data
    a = assess(POLICY, record, credential, today)
    assert a.next_steps
    for step in a.next_steps:
        assert step[0].isupper() and step.endswith(".")
        assert "None" not in step


@settings(max_examples=200, deadline=None)
@given(days, st.integers(min_value=-700, max_value=90), ceus, st.none() | st.booleans())
def test_what_if_remaining_matches_stated_ceus(
    expires_on: date, offset: int, stated: Decimal, has_card: bool | None
) -> None:
    """Within the cycle, remaining = 2.0 - stated, whether or not the card is counted in them."""
    today = expires_on + timedelta(days=offset)
    a = what_if(POLICY, expires_on, stated, today, has_cpr_aed=has_card)
    if has_card:
        # The stated CEUs include the card's 0.1, so at least that much is earned.
        expected = POLICY.ceus_required - max(min(stated, POLICY.ceus_required), POLICY.cpr_aed_ceus)
    else:
        expected = POLICY.ceus_required - min(stated, POLICY.ce_cap)
    assert a.ceus_remaining == expected


@settings(max_examples=500, deadline=None)
@given(days, st.integers(min_value=-5, max_value=5))
def test_add_years_is_calendar_arithmetic(day: date, years: int) -> None:
    from dateutil.relativedelta import relativedelta

    from rules.calendar import add_years

    assert add_years(day, years) == day + relativedelta(years=years)
