"""The awkward situations of a renewal, each on both sides of its boundary.

E = 2026-03-01 (certified 2022-03-01): cycle start 2024-03-02, CE deadline 2026-05-30 (E + 90),
second fee tier from 2026-05-31, application deadline 2027-02-28, lapsed from 2027-03-01.
Every expected value was worked out by hand from docs/rules.md.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.engine import assess
from rules.model import (
    Application,
    AuditStatus,
    CERecord,
    CEStatus,
    CprAedCard,
    Credential,
    Phase,
    Plan,
    TrainerRecord,
)
from rules.policy import load_policy
from rules.serialize import assessment_to_dict
from tests.unit.test_rules_properties import records

POLICY = load_policy("nasm-cpt")
E = date(2026, 3, 1)
CPT = Credential("nasm-cpt", E, Plan.STANDARD, "8812345", date(2022, 3, 1))
CARD = CprAedCard("American Red Cross", date(2028, 1, 1), True, date(2025, 1, 1))
OLD_CARD = CprAedCard("American Red Cross", date(2026, 2, 1), True, date(2024, 2, 1))
FULL_CE = CERecord(date(2025, 6, 1), D("1.9"), CEStatus.APPROVED, course_id="NASM-CES")


def record(*ce: CERecord, cards=(CARD,), apps=(), credential=CPT) -> TrainerRecord:  # type: ignore[no-untyped-def]
    return TrainerRecord("T-1", (credential,), tuple(ce), tuple(cards), tuple(apps))


def app(submitted: date, selected: date | None = None, documents: date | None = None, **kw) -> Application:  # type: ignore[no-untyped-def]
    return Application("nasm-cpt", submitted, selected, documents, **kw)


def steps_of(rec: TrainerRecord, today: date, credential: Credential = CPT) -> str:
    return " ".join(assess(POLICY, rec, credential, today).next_steps)


# --- an application already received ---------------------------------------------------------


def test_applied_before_expiry_asked_after_pays_no_late_fee() -> None:
    a = assess(POLICY, record(FULL_CE, apps=[app(date(2026, 2, 20))]), CPT, date(2026, 3, 20))
    assert a.phase is Phase.LATE_FEE  # today's phase is still reported
    assert a.submitted_phase is Phase.ACTIVE
    assert (a.fees.renewal, a.fees.late, a.fees.total) == (D("99.00"), D("0.00"), D("99.00"))
    text = " ".join(a.next_steps)
    assert "NASM received your renewal application on February 20, 2026" in text
    assert "$99.00 in all" in text and "late fee =" not in text


def test_applied_on_day_91_pays_the_second_tier_whatever_today_is() -> None:
    rec = record(FULL_CE, apps=[app(date(2026, 5, 31))])  # day 91
    for today in (date(2026, 6, 1), date(2027, 2, 28), date(2027, 6, 1)):
        a = assess(POLICY, rec, CPT, today)
        assert a.fees.late == D("50.00") and a.fees.total == D("149.00")
    day_90 = assess(POLICY, record(FULL_CE, apps=[app(date(2026, 5, 30))]), CPT, date(2026, 7, 1))
    assert day_90.fees.late == D("30.00")


@pytest.mark.parametrize("today", [date(2027, 3, 1), date(2027, 9, 1)])  # E + 1 year and later
def test_application_received_in_time_is_never_lapsed(today: date) -> None:
    a = assess(POLICY, record(FULL_CE, apps=[app(date(2027, 2, 28))]), CPT, today)
    assert a.phase is Phase.LAPSED
    assert a.renewable and a.renewable_if_petitions_approved
    text = " ".join(a.next_steps)
    assert "cannot be renewed" not in text and "It is being processed" in text
    assert "$50.00 late fee = $149.00" in text


def test_application_on_the_lapse_day_is_not_accepted() -> None:
    a = assess(POLICY, record(FULL_CE, apps=[app(date(2027, 3, 1))]), CPT, date(2027, 3, 5))
    assert a.submitted_on is None and not a.renewable
    assert "cannot be renewed online" in " ".join(a.next_steps)


def test_application_sent_with_ce_missing_keeps_the_gap_in_the_steps() -> None:
    partial = CERecord(date(2025, 6, 1), D("1.2"), CEStatus.APPROVED)
    a = assess(POLICY, record(partial, apps=[app(date(2026, 2, 20))]), CPT, date(2026, 3, 10))
    assert a.renewable and a.ceus_remaining == D("0.7")
    text = " ".join(a.next_steps)
    assert "You still need 0.7 CEU of approved continuing education" in text
    assert "by May 30, 2026" in text
    assert "Nothing more is needed" not in text
    # once the CE deadline has passed with the gap open, it cannot be closed any more
    closed = assess(POLICY, record(partial, apps=[app(date(2026, 2, 20))]), CPT, date(2026, 5, 31))
    assert not closed.renewable
    assert "nothing completed later can count" in " ".join(closed.next_steps)


def test_card_judged_on_the_submission_day() -> None:
    # valid on the day NASM received the application, expired since: still counts
    a = assess(POLICY, record(FULL_CE, cards=[OLD_CARD], apps=[app(date(2026, 1, 20))]), CPT, date(2026, 3, 10))
    assert a.cpr_aed_valid and a.ceus_remaining == 0
    # expired before it arrived: the gap is named with the day it was judged on
    b = assess(POLICY, record(FULL_CE, cards=[OLD_CARD], apps=[app(date(2026, 2, 20))]), CPT, date(2026, 3, 10))
    assert not b.cpr_aed_valid
    assert "expired on February 1, 2026" in " ".join(b.next_steps)
    assert "the day NASM received your application" in " ".join(b.next_steps)


def test_late_application_for_the_previous_cycle_is_not_this_cycles() -> None:
    # the trainer renewed the cycle that ended 2024-03-01 late, on 2024-04-10; E is now 2026-03-01
    previous = app(date(2024, 4, 10), for_expiration=date(2024, 3, 1))
    a = assess(POLICY, record(FULL_CE, apps=[previous]), CPT, date(2026, 1, 10))
    assert a.submitted_on is None
    same_day_this_cycle = app(date(2024, 4, 10), for_expiration=E)
    assert assess(POLICY, record(FULL_CE, apps=[same_day_this_cycle]), CPT, date(2026, 1, 10)).submitted_on


# --- CPR/AED as the only gap after day 90 ----------------------------------------------------


@pytest.mark.parametrize("today", [date(2026, 5, 31), date(2026, 9, 1), date(2027, 2, 28)])
def test_card_only_gap_after_day_90_stays_renewable_with_no_past_deadline(today: date) -> None:
    a = assess(POLICY, record(FULL_CE, cards=[OLD_CARD]), CPT, today)
    assert a.renewable and a.ce_remaining == 0 and a.ceus_remaining == D("0.1")
    text = " ".join(a.next_steps)
    assert "Your continuing education is complete; you still need a current CPR/AED card" in text
    assert "May 30, 2026, the last day it can count" not in text
    assert_no_past_deadline(a.next_steps, today)


def test_card_and_ce_gap_after_day_90_is_not_renewable() -> None:
    short = CERecord(date(2025, 6, 1), D("1.8"), CEStatus.APPROVED)
    assert not assess(POLICY, record(short, cards=[]), CPT, date(2026, 5, 31)).renewable
    assert assess(POLICY, record(short, cards=[]), CPT, date(2026, 5, 30)).renewable  # day 90


# --- pending petitions after day 90 ----------------------------------------------------------


def _petition(day: date, ceus: str = "0.4") -> CERecord:
    return CERecord(day, D(ceus), CEStatus.PENDING_PETITION, title="Kettlebell Basics")


def test_pending_petition_that_closes_the_gap_decides_the_renewal() -> None:
    short = CERecord(date(2025, 6, 1), D("1.5"), CEStatus.APPROVED)
    a = assess(POLICY, record(short, _petition(date(2026, 5, 30))), CPT, date(2026, 8, 1))
    assert not a.renewable and a.renewable_if_petitions_approved
    text = " ".join(a.next_steps)
    assert "Your renewal now depends on your pending petition:" in text
    assert "a petition worth 0.4 CEU for a course completed by then is still pending. If NASM approves it," in text
    assert a.petitions_pending == 1
    two = assess(POLICY, record(short, _petition(date(2026, 5, 1), "0.2"), _petition(date(2026, 5, 30), "0.2")), CPT, date(2026, 8, 1))
    text = " ".join(two.next_steps)
    assert two.petitions_pending == 2
    assert "Your renewal now depends on your pending petitions:" in text
    assert "petitions worth 0.4 CEU for courses completed by then are still pending. If NASM approves them," in text
    assert "until February 28, 2027" in text
    assert assessment_to_dict(a)["renewable_if_petitions_approved"] is True


@pytest.mark.parametrize(
    ("petitions", "why"),
    [
        ((_petition(date(2026, 5, 31)),), "completed on day 91: outside the window"),
        ((_petition(date(2026, 5, 30), "0.3"),), "too small to close the gap"),
        ((), "no petition at all"),
    ],
)
def test_petitions_that_cannot_close_the_gap(petitions: tuple[CERecord, ...], why: str) -> None:
    short = CERecord(date(2025, 6, 1), D("1.5"), CEStatus.APPROVED)
    a = assess(POLICY, record(short, *petitions), CPT, date(2026, 8, 1))
    assert not a.renewable and not a.renewable_if_petitions_approved, why
    assert "cannot be renewed online" in " ".join(a.next_steps)


def test_petition_after_the_lapse_date_decides_nothing() -> None:
    short = CERecord(date(2025, 6, 1), D("1.5"), CEStatus.APPROVED)
    a = assess(POLICY, record(short, _petition(date(2026, 5, 1))), CPT, date(2027, 3, 1))
    assert not a.renewable and not a.renewable_if_petitions_approved


# --- audits ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "status", "phrase"),
    [
        (date(2026, 2, 25), AuditStatus.PENDING, "by March 27, 2026 (30 days left"),
        (date(2026, 3, 27), AuditStatus.PENDING, "by March 27, 2026 (today"),
        (date(2026, 3, 28), AuditStatus.OVERDUE, "were due on March 27, 2026"),
    ],
)
def test_outstanding_audit_is_always_a_step(today: date, status: AuditStatus, phrase: str) -> None:
    a = assess(POLICY, record(FULL_CE, apps=[app(date(2026, 2, 20), date(2026, 2, 25))]), CPT, today)
    assert a.audit is not None and a.audit.status is status and a.audit_outstanding
    text = " ".join(a.next_steps)
    assert phrase in text and "Recertification/Renewal Department" in text
    assert "Nothing more is needed unless" not in text


def test_submitted_audit_documents_end_the_audit() -> None:
    rec = record(FULL_CE, apps=[app(date(2026, 2, 20), date(2026, 2, 25), date(2026, 3, 1))])
    a = assess(POLICY, rec, CPT, date(2026, 3, 2))
    assert not a.audit_outstanding
    assert "documents were received" in " ".join(a.next_steps)


# --- one cycle per CE record -----------------------------------------------------------------


def test_ce_used_for_a_late_renewal_does_not_count_again() -> None:
    # The cycle that ended 2026-03-01 was renewed late with a course completed on 2026-04-01.
    # The next cycle (E' = 2028-03-01) starts 2026-03-02, so that course lies in its window too.
    next_cycle = Credential("nasm-cpt", date(2028, 3, 1), Plan.STANDARD, "8812345", date(2022, 3, 1))
    used = CERecord(date(2026, 4, 1), D("1.0"), CEStatus.APPROVED, counted_for=E)
    unmarked = CERecord(date(2026, 4, 1), D("1.0"), CEStatus.APPROVED)
    marked_for_this = CERecord(date(2026, 4, 1), D("1.0"), CEStatus.APPROVED, counted_for=date(2028, 3, 1))
    today = date(2027, 1, 1)
    assert assess(POLICY, record(used, credential=next_cycle), next_cycle, today).ce_counted == 0
    assert assess(POLICY, record(unmarked, credential=next_cycle), next_cycle, today).ce_counted == D("1.0")
    assert assess(POLICY, record(marked_for_this, credential=next_cycle), next_cycle, today).ce_counted == D("1.0")
    # and the old cycle, assessed on its own, counts the record it used
    assert assess(POLICY, record(used), CPT, date(2026, 4, 2)).ce_counted == D("1.0")


# --- invariants ------------------------------------------------------------------------------

_IMPERATIVE_BY = re.compile(r"\b(?:Complete|complete|Finish|finish|must be completed|submit|send)\b[^.;]*?\bby ([A-Z][a-z]+ \d{1,2}, \d{4})")


def assert_no_past_deadline(steps: tuple[str, ...], today: date) -> None:
    """No sentence asks the trainer to complete, submit or send something by a day gone by."""
    for step in steps:
        for match in _IMPERATIVE_BY.finditer(step):
            deadline = datetime.strptime(match.group(1), "%B %d, %Y").date()
            assert deadline >= today, f"{step!r} asks for {deadline} on {today}"


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 31))


@settings(max_examples=300, deadline=None)
@given(records(), days)
def test_no_step_asks_for_something_by_a_day_that_has_passed(data, today: date) -> None:  # type: ignore[no-untyped-def]
    record_, credential = data
    a = assess(POLICY, record_, credential, today)
    assert_no_past_deadline(a.next_steps, today)
    if a.renewable:
        assert a.renewable_if_petitions_approved
    if a.audit_outstanding:
        assert any("audit" in step for step in a.next_steps)


@settings(max_examples=200, deadline=None)
@given(records(), days, st.integers(min_value=1, max_value=400))
def test_an_application_never_makes_the_fee_move(data, today: date, step: int) -> None:  # type: ignore[no-untyped-def]
    record_, credential = data
    a = assess(POLICY, record_, credential, today)
    later = assess(POLICY, record_, credential, today + timedelta(days=step))
    if a.submitted_on is not None and later.submitted_on == a.submitted_on:
        assert later.fees == a.fees


def test_the_terminal_summary_says_what_the_situation_is() -> None:
    from rules.serialize import format_assessment

    in_time = assess(POLICY, record(FULL_CE, apps=[app(date(2027, 2, 28))]), CPT, date(2027, 4, 1))
    assert "application arrived in time: being processed" in format_assessment(in_time)
    short = CERecord(date(2025, 6, 1), D("1.5"), CEStatus.APPROVED)
    waiting = assess(POLICY, record(short, _petition(date(2026, 5, 1))), CPT, date(2026, 8, 1))
    assert "renewable only if the pending petition is approved" in format_assessment(waiting)
    two = assess(POLICY, record(short, _petition(date(2026, 5, 1)), _petition(date(2026, 5, 2))), CPT, date(2026, 8, 1))
    assert "renewable only if the pending petitions are approved" in format_assessment(two)
