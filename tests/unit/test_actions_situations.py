"""The assistant's personal answers in the awkward situations of a renewal, every question asked.

E = 2026-03-01: CE deadline and end of the first fee tier 2026-05-30, application deadline
2027-02-28, lapsed from 2027-03-01 (worked out by hand from docs/rules.md).
"""

from __future__ import annotations

from datetime import date

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import words
from actions.audit import ActionAudit
from actions.status import (
    ActionAmILate,
    ActionCanRenew,
    ActionCeusRemaining,
    ActionExpirationDate,
    ActionLateFee,
    ActionRenewalSteps,
)
from rules.model import Application, CprAedCard, Credential, Plan, TrainerRecord
from tests.unit.action_support import CPT, answer, approved, pending, record, text
from tests.unit.test_rules_situations import assert_no_past_deadline

PERSONAL = [ActionAmILate, ActionCanRenew, ActionCeusRemaining, ActionExpirationDate, ActionLateFee, ActionRenewalSteps]
EXPIRED_CARD = CprAedCard("American Red Cross", date(2026, 1, 10), True, date(2024, 1, 10))


async def ask(cls: type, rec: TrainerRecord, today: date) -> tuple[CollectingDispatcher, str]:
    d, _ = await answer(cls, rec, today)
    return d, text(d)


# --- applied before expiring, asking after ---------------------------------------------------

APPLIED_EARLY = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 20))])


@pytest.mark.parametrize("today", [date(2026, 3, 2), date(2026, 6, 15)])  # first and second tier days
async def test_applied_before_expiry_is_not_late_and_owes_no_late_fee(today: date) -> None:
    _, said = await ask(ActionAmILate, APPLIED_EARLY, today)
    assert said.startswith("No: your application arrived before your certification expired")
    assert "February 20, 2026" in said and "$99.00 in all" in said
    assert "$30.00" not in said and "$50.00" not in said
    _, cost = await ask(ActionLateFee, APPLIED_EARLY, today)
    assert "the $99.00 renewal fee and no late fee, $99.00 in all" in cost
    assert "It is being processed" in cost and words.MONEY_NOTE in cost


async def test_applied_after_expiry_is_late_with_the_fee_of_that_day() -> None:
    rec = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 5, 30))])  # day 90
    _, said = await ask(ActionAmILate, rec, date(2026, 7, 1))
    assert said.startswith("Yes: NASM received your application after your certification expired")
    assert "+ a $30.00 late fee = $129.00 in all" in said and "$50.00" not in said


@pytest.mark.parametrize("cls", PERSONAL)
async def test_applied_in_time_and_asked_after_the_lapse_date_is_not_lapsed(cls) -> None:  # type: ignore[no-untyped-def]
    rec = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2027, 2, 1))])
    d, said = await ask(cls, rec, date(2027, 4, 1))
    assert "cannot be renewed" not in said and "applications closed" not in said
    assert not any(m.get("buttons") for m in d.messages)


async def test_application_sent_with_ce_missing_still_names_the_gap() -> None:
    rec = record(ce=[approved("1.2")], applications=[Application("nasm-cpt", date(2026, 2, 20))])
    _, steps = await ask(ActionCanRenew, rec, date(2026, 3, 10))
    assert "You've already applied." in steps
    assert "You still need 0.7 CEU of approved continuing education" in steps
    assert "by May 30, 2026" in steps and "Nothing more is needed" not in steps
    _, ceus = await ask(ActionCeusRemaining, rec, date(2026, 3, 10))
    assert "you still need 0.7 CEU" in ceus and "February 20, 2026" in ceus


# --- the card as the only gap after day 90 ---------------------------------------------------


@pytest.mark.parametrize("cls", [ActionAmILate, ActionCanRenew, ActionCeusRemaining, ActionRenewalSteps])
async def test_card_only_gap_after_day_90_is_renewable_and_sets_no_passed_date(cls) -> None:  # type: ignore[no-untyped-def]
    rec = record(ce=[approved("1.9")], cards=[EXPIRED_CARD])
    d, said = await ask(cls, rec, date(2026, 8, 1))
    assert "cannot be renewed" not in said
    assert "CPR/AED card expired on January 10, 2026" in said
    assert_no_past_deadline((said,), date(2026, 8, 1))  # "complete ... by May 30" would be


# --- a pending petition decides a late renewal ------------------------------------------------


@pytest.mark.parametrize("cls", [ActionAmILate, ActionCanRenew, ActionCeusRemaining, ActionRenewalSteps, ActionLateFee])
async def test_pending_petition_after_day_90_is_the_answer(cls) -> None:  # type: ignore[no-untyped-def]
    rec = record(ce=[approved("1.5"), pending("0.4", date(2026, 5, 1))])
    d, said = await ask(cls, rec, date(2026, 8, 1))
    assert "Your renewal now depends on your pending petition:" in said and "If NASM approves it," in said
    assert "until February 28, 2027" in said
    assert "can no longer" not in said


@pytest.mark.parametrize("today, ago", [(date(2026, 5, 31), 91), (date(2027, 2, 28), 364)])  # G + 1 and L - 1
async def test_am_i_late_waiting_on_a_petition_says_yes_and_when_it_expired(today: date, ago: int) -> None:
    rec = record(ce=[approved("1.5"), pending("0.4", date(2026, 5, 30))])
    d, said = await ask(ActionAmILate, rec, today)
    assert said.startswith(
        f"Yes. Your NASM Certified Personal Trainer certification expired on March 1, 2026 ({ago} days ago)."
    )
    assert "Your renewal now depends on your pending petition:" in said


async def test_am_i_late_with_the_ce_window_closed_says_yes_first() -> None:
    rec = record(ce=[approved("0.8")])
    d, said = await ask(ActionAmILate, rec, date(2026, 5, 31))
    assert said.startswith("Yes. Your credential expired on March 1, 2026, and only 0.8 CEU of approved")
    assert d.messages[0]["buttons"] == [words.handoff_button()]


# --- audit documents outstanding ------------------------------------------------------------


@pytest.mark.parametrize("cls", [ActionCanRenew, ActionRenewalSteps, ActionCeusRemaining, ActionAmILate])
async def test_outstanding_audit_is_never_nothing_more_to_do(cls) -> None:  # type: ignore[no-untyped-def]
    rec = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 20), date(2026, 2, 25))])
    _, said = await ask(cls, rec, date(2026, 3, 10))
    assert "nothing more to submit" not in said.lower() and "Nothing more is needed unless" not in said
    assert "by March 27, 2026" in said and "Recertification/Renewal Department" in said


async def test_audit_answer_after_the_lapse_date_with_an_application_in_time() -> None:
    rec = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2027, 2, 1), date(2027, 2, 20))])
    _, said = await ask(ActionAudit, rec, date(2027, 3, 5))
    assert "by March 22, 2027" in said and "cannot be renewed" not in said


# --- what it costs --------------------------------------------------------------------------


async def test_lifetime_plan_costs_nothing_before_expiry_and_the_late_fee_after() -> None:
    lifetime = Credential("nasm-cpt", CPT.expires_on, plan=Plan.LIFETIME, certified_on=CPT.certified_on)
    rec = record(ce=[approved("1.9")], credentials=[lifetime])
    _, before = await ask(ActionLateFee, rec, date(2026, 2, 1))
    assert "no renewal fee on the Certify for Life plan ($0.00) and no late fee, $0.00 in all" in before
    _, after = await ask(ActionLateFee, rec, date(2026, 6, 1))  # day 92
    assert "($0.00) + a $50.00 late fee = $50.00 in all" in after


# --- "when's my deadline?" ------------------------------------------------------------------


async def test_deadline_answer_gives_the_last_day_to_apply_and_what_is_open() -> None:
    _, said = await ask(ActionExpirationDate, record(ce=[approved("1.9")]), date(2026, 4, 1))
    assert "The last day NASM accepts your application is February 28, 2027" in said
    rec = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 20), date(2026, 2, 25))])
    _, said = await ask(ActionExpirationDate, rec, date(2026, 3, 10))
    assert "NASM received your renewal application on February 20, 2026" in said
    assert "by March 27, 2026" in said  # the audit's due date
    d, said = await ask(ActionExpirationDate, record(ce=[approved("1.2")]), date(2026, 8, 1))
    assert "cannot be renewed online" in said and d.messages[0]["buttons"]


async def test_complete_ceus_still_name_the_application_and_its_cost() -> None:
    _, said = await ask(ActionCeusRemaining, record(ce=[approved("1.9")]), date(2026, 4, 1))
    assert "What's left is the application: send it now" in said
    assert "$129.00 in all" in said
