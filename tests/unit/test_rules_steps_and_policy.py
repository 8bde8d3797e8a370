"""Next-step sentences, the course check, and the policy file's validation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml

from rules.engine import assess, check_course, what_if
from rules.errors import PolicyError
from rules.model import (
    Application,
    CatalogCourse,
    CERecord,
    CEStatus,
    CprAedCard,
    Credential,
    Plan,
    Provider,
    TrainerRecord,
)
from rules.policy import POLICY_DIR, load_policy, load_policy_file, parse_policy
from rules.serialize import format_assessment

POLICY = load_policy("nasm-cpt")
CPT = Credential("nasm-cpt", date(2026, 3, 1), Plan.STANDARD, "8812345", date(2022, 3, 1))


def record(*ce: CERecord, cards: tuple[CprAedCard, ...] = (), apps: tuple[Application, ...] = ()) -> TrainerRecord:
    return TrainerRecord("T-1", (CPT,), tuple(ce), cards, apps)


def steps(rec: TrainerRecord, today: date) -> str:
    return " ".join(assess(POLICY, rec, CPT, today).next_steps)


def test_active_steps_name_the_gap_the_date_and_the_fee() -> None:
    text = steps(record(CERecord(date(2025, 1, 1), D("1.3"), CEStatus.APPROVED)), date(2026, 1, 10))
    assert "You still need 0.7 CEU: 0.6 CEU of approved continuing education and a current CPR/AED card" in text
    assert "by March 1, 2026" in text
    assert "May 30, 2026" in text
    assert "$99.00 renewal fee" in text
    assert "$30.00 from March 2, 2026 to May 30, 2026" in text
    assert "$50.00 from May 31, 2026 to February 28, 2027" in text
    assert "confirm the amount in the NASM portal" in text


def test_late_fee_steps_give_the_total_and_the_next_tier() -> None:
    card = CprAedCard("American Red Cross", date(2027, 1, 1), True)
    text = steps(record(CERecord(date(2025, 1, 1), D("1.9"), CEStatus.APPROVED), cards=(card,)), date(2026, 4, 1))
    assert "expired on March 1, 2026" in text
    assert "by May 30, 2026" in text
    assert "the $99.00 renewal fee + a $30.00 late fee = $129.00 in all" in text
    assert "$50.00 from May 31, 2026 to February 28, 2027" in text
    assert "up to one year after expiration" in text and "within 90 days after it" in text


def test_lapsed_steps_say_restore() -> None:
    text = steps(record(), date(2027, 3, 1))
    assert "cannot be renewed online any more and has to be restored" in text
    assert "retak" not in text  # restoring by exam is a third-party claim, not stated as fact
    assert "February 28, 2027" in text


def test_closed_ce_window_explains_why_it_cannot_be_fixed() -> None:
    text = steps(record(CERecord(date(2025, 1, 1), D("1.5"), CEStatus.APPROVED)), date(2026, 6, 1))
    assert "only 1.5 CEUs of approved continuing education was completed by May 30, 2026" in text
    assert "nothing completed later can count" in text


@pytest.mark.parametrize(
    ("card", "phrase"),
    [
        (None, "There is no CPR/AED card on your record"),
        (CprAedCard("Red Cross", date(2025, 12, 1), True), "expired on December 1, 2025"),
        (CprAedCard("Online CPR Now", date(2027, 1, 1), False), "online-only"),
        (CprAedCard("Gym CPR Co", date(2027, 1, 1), True), "confirm with NASM member services"),
        (CprAedCard("AHA", date(2026, 2, 1), True), "valid until February 1, 2026) gives the required 0.1 CEU; it runs out before your certification"),
    ],
)
def test_cpr_aed_steps(card: CprAedCard | None, phrase: str) -> None:
    cards = (card,) if card else ()
    text = steps(record(CERecord(date(2025, 1, 1), D("1.9"), CEStatus.APPROVED), cards=cards), date(2026, 1, 10))
    assert phrase in text


def test_audit_steps_give_the_due_date_and_days_left() -> None:
    apps = (Application("nasm-cpt", date(2026, 2, 20), date(2026, 2, 25)),)
    text = steps(record(cards=(), apps=apps), date(2026, 3, 10))
    assert "NASM received your renewal application on February 20, 2026" in text
    assert "to NASM's Recertification/Renewal Department by March 27, 2026 (17 days left" in text
    overdue = steps(record(apps=apps), date(2026, 3, 28))
    assert "documents were due on March 27, 2026" in overdue and "now" in overdue
    assert "Nothing more is needed" not in text + overdue


def test_lifetime_plan_has_no_renewal_fee() -> None:
    lifetime = Credential("nasm-cpt", date(2026, 3, 1), Plan.LIFETIME)
    rec = TrainerRecord("T-1", (lifetime,))
    text = " ".join(assess(POLICY, rec, lifetime, date(2026, 3, 5)).next_steps)
    assert "no renewal fee on the Certify for Life plan ($0.00) + a $30.00 late fee = $30.00 in all" in text


def test_summary_mentions_phase_and_amounts() -> None:
    a = assess(POLICY, record(CERecord(date(2025, 1, 1), D("1.0"), CEStatus.APPROVED)), CPT, date(2026, 3, 5))
    summary = format_assessment(a)
    assert "expired March 1, 2026 (4 days ago)" in summary
    assert "1.0 of 2.0 earned" in summary and "1.0 CEU remaining" in summary


@pytest.mark.parametrize(
    ("today", "said"),
    [(date(2026, 2, 28), "expires March 1, 2026 (tomorrow)"), (date(2026, 2, 27), "expires March 1, 2026 (in 2 days)"),
     (date(2026, 3, 2), "expired March 1, 2026 (yesterday)")],
)
def test_summary_says_one_day_in_words(today: date, said: str) -> None:
    """Not "(in 1 days)" / "(1 days ago)" in `recert check`."""
    assert said in format_assessment(assess(POLICY, record(), CPT, today))


def test_what_if_uses_stated_figures() -> None:
    a = what_if(POLICY, date(2027, 6, 3), D("1.2"), date(2026, 11, 30))
    assert a.ceus_remaining == D("0.8")
    assert a.phase.value == "active"
    assert a.ce_deadline == date(2027, 9, 1)
    with pytest.raises(ValueError):
        what_if(POLICY, date(2027, 6, 3), D("-1"), date(2026, 11, 30))


def test_check_course() -> None:
    a = assess(POLICY, record(), CPT, date(2026, 1, 10))
    ces = CatalogCourse("NASM-CES", "Corrective Exercise Specialist", "NASM", D("1.9"))
    verdict = check_course(POLICY, a, ces, None, date(2025, 6, 1))
    assert (verdict.approved, verdict.ceus, verdict.in_window, verdict.petition_fee) == (True, D("1.9"), True, None)
    old = check_course(POLICY, a, ces, None, date(2024, 3, 1))
    assert old.in_window is False and old.window_start == date(2024, 3, 2)
    by_provider = check_course(POLICY, a, None, Provider("American Council on Exercise", True), None)
    assert by_provider.approved and by_provider.basis == "approved_provider" and by_provider.in_window is None
    petition = check_course(POLICY, None, None, Provider("Some Studio", False), None)
    assert not petition.approved and petition.petition_fee == D("25.00")


def _policy_data() -> dict:
    return yaml.safe_load((POLICY_DIR / "nasm-cpt.yml").read_text())


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (("fees", "petition"), "-25", "fees.petition"),
        (("fees", "late_first_tier"), "thirty", "fees.late_first_tier"),
        (("fees", "renewal_standard"), "1E+100", "fees.renewal_standard: is too large"),
        (("ceus_required",), "NaN", "ceus_required: must be a finite number"),
        (("ce_grace_days",), -1, "ce_grace_days"),
        (("cpr_aed_ceus",), "3.0", "cpr_aed_ceus"),
        (("reminders", "send_window", "end"), "08:00", "reminders.send_window.end"),
        (("surprise",), 1, "surprise"),
    ],
)
def test_broken_policy_fails_naming_the_field(path: tuple[str, ...], value: object, named: str) -> None:
    data = _policy_data()
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(PolicyError, match=named.replace(".", r"\.")):
        parse_policy(data)


def test_missing_field_is_named() -> None:
    data = _policy_data()
    del data["fees"]["renewal_standard"]
    with pytest.raises(PolicyError, match=r"fees\.renewal_standard: field required"):
        parse_policy(data)


def test_unreadable_policy_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("program: [unclosed")
    with pytest.raises(PolicyError, match="cannot read policy"):
        load_policy_file(bad)
    with pytest.raises(PolicyError, match="no policy for program"):
        load_policy("no-such-program")


def test_policy_values_are_exact_decimals() -> None:
    assert POLICY.fees.renewal_standard == D("99.00")
    assert POLICY.ce_cap == D("1.9")
    assert POLICY.accepted_cpr_provider("american heart association") == "American Heart Association"
