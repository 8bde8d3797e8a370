"""Status answers from the real engine for hand-built records on frozen days.

E = 2026-03-01 (certified 2022-03-01): cycle start 2024-03-02, CE deadline and end of the
first late-fee tier 2026-05-30, application deadline 2027-02-28, lapsed from 2027-03-01.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from actions import words
from actions.engine import EngineRules
from actions.status import (
    ActionAmILate,
    ActionCanRenew,
    ActionCeusRemaining,
    ActionExpirationDate,
    ActionLateFee,
    ActionRenewalSteps,
)
from rules import engine
from rules.model import Application, CprAedCard, Credential, Plan
from rules.policy import load_policy
from tests.unit.action_support import (
    COMPLETE,
    CPT,
    PARTIAL,
    TRAINER,
    FakeUnitOfWork,
    answer,
    approved,
    make_action,
    record,
    run,
    text,
    tracker,
)

ACTIVE = date(2026, 2, 9)  # 20 days before E
LATE = date(2026, 3, 10)  # day 9 after E: first late-fee tier
LATER = date(2026, 7, 1)  # day 122: second tier
LAPSED = date(2027, 3, 5)


# --- am I late ----------------------------------------------------------------------------


async def test_am_i_late_active() -> None:
    d, _ = await answer(ActionAmILate, COMPLETE, ACTIVE)
    assert text(d) == (
        "No, you're not late. Your NASM Certified Personal Trainer certification expires on "
        "March 1, 2026 (in 20 days). Renew by then and there is no late fee (a certification is "
        "valid through the end of its expiration date)."
    )


async def test_am_i_late_first_tier_names_fee_deadline_and_rule() -> None:
    d, _ = await answer(ActionAmILate, COMPLETE, LATE)
    said = text(d)
    assert said.startswith("Yes. Your NASM Certified Personal Trainer certification expired on March 1, 2026 (9 days ago).")
    assert "Applying today costs the $99.00 renewal fee + a $30.00 late fee = $129.00 in all" in said
    assert "The late fee is $30.00 if NASM receives your application by May 30, 2026" in said
    assert "$50.00 from May 31, 2026 to February 28, 2027" in said
    assert "because continuing education completed up to 90 days after expiration still counts" in said
    assert words.MONEY_NOTE in said


async def test_am_i_late_second_tier() -> None:
    d, _ = await answer(ActionAmILate, COMPLETE, LATER)
    said = text(d)
    assert "(122 days ago)" in said
    assert "+ a $50.00 late fee = $149.00 in all" in said
    assert "by February 28, 2027, the last day it is accepted" in said
    assert "up to one year after expiration" in said


async def test_am_i_late_with_ce_short_after_day_90_cannot_renew() -> None:
    d, _ = await answer(ActionAmILate, record(ce=[approved("1.2")]), LATER)
    said = text(d)
    assert "only 1.2 CEUs of approved continuing education was completed by May 30, 2026" in said
    assert "cannot be renewed online" in said
    assert d.messages[0]["buttons"] == [words.handoff_button()]


@pytest.mark.parametrize(
    "cls", [ActionAmILate, ActionCeusRemaining, ActionRenewalSteps, ActionCanRenew, ActionLateFee, ActionExpirationDate]
)
async def test_lapsed_credential_cannot_be_renewed_online_and_offers_a_person(cls) -> None:  # type: ignore[no-untyped-def]
    d, _ = await answer(cls, COMPLETE, LAPSED)
    said = text(d)
    assert "expired on March 1, 2026 and applications closed on February 28, 2027" in said
    assert "cannot be renewed online" in said and "up to one year after expiration" in said
    assert "contact NASM" in said
    assert d.messages[-1]["buttons"] == [{"title": "Talk to a person", "payload": "/ask_human"}]


async def test_am_i_late_not_linked_answers_from_policy() -> None:
    d, _ = await run(make_action(ActionAmILate, FakeUnitOfWork([COMPLETE]), LATE), tracker())
    said = text(d)
    assert "a $30.00 late fee applies to applications received up to 90 days after expiration" in said
    assert "$50.00 (instead of $30.00)" in said
    assert "Applications are accepted up to one year after expiration" in said
    assert "completed within 90 days after it" in said
    assert words.LINK_HINT in said
    assert "March 1, 2026" not in said


# --- expiration ---------------------------------------------------------------------------


async def test_expiration_date_names_the_counting_window() -> None:
    d, _ = await answer(ActionExpirationDate, COMPLETE, ACTIVE)
    said = text(d)
    assert said.startswith(
        "Your NASM Certified Personal Trainer certification expires on March 1, 2026 (in 20 days). "
        "The last day NASM accepts your application is February 28, 2027, because applications "
        "are accepted up to one year after expiration"
    )
    assert "Apply by March 1, 2026 to pay no late fee." in said
    d, _ = await answer(ActionExpirationDate, PARTIAL, ACTIVE)
    assert (
        "Continuing education completed from March 2, 2024 up to May 30, 2026 counts for this "
        "cycle, because continuing education completed up to 90 days after expiration still counts."
    ) in text(d)


async def test_expiration_date_after_expiry() -> None:
    d, _ = await answer(ActionExpirationDate, COMPLETE, LATE)
    assert "expired on March 1, 2026 (9 days ago)" in text(d)


class TwoPrograms(EngineRules):
    """The real engine, with a second (made-up) program's policy."""

    def assess_trainer(self, record, today):  # type: ignore[no-untyped-def]
        other = replace(load_policy("nasm-cpt"), program="nasm-ces", name="NASM-CES")
        return engine.assess_trainer(record, today, policies={"nasm-ces": other})


@pytest.mark.parametrize(
    "slot, expected",
    [(None, "March 1, 2026"), ("CPT", "March 1, 2026"), ("nasm-ces", "January 15, 2027")],
)
async def test_credential_slot_picks_the_credential(slot, expected) -> None:  # type: ignore[no-untyped-def]
    other = Credential("nasm-ces", date(2027, 1, 15), certified_on=date(2025, 1, 15))
    rec = record(ce=[approved("1.9")], credentials=[other, CPT])
    action = make_action(ActionExpirationDate, FakeUnitOfWork([rec]), ACTIVE, rules=TwoPrograms())
    d, _ = await run(action, tracker(linked_as=TRAINER, slots={"credential": slot}))
    assert f"expires on {expected}" in text(d)


# --- CEUs remaining -----------------------------------------------------------------------


async def test_ceus_remaining_with_pending_petition_and_card() -> None:
    d, _ = await answer(ActionCeusRemaining, PARTIAL, ACTIVE)
    said = text(d)
    assert said.startswith("You have 1.3 of the 2.0 CEUs you need (2.0 CEUs every two years, 0.1 CEU of them from CPR/AED), so you still need 0.7 CEU.")
    assert "Finish by March 1, 2026 to renew without a late fee" in said
    assert "CE completed up to May 30, 2026 still counts" in said
    assert "Your CPR/AED card (American Red Cross, valid until January 10, 2027) gives the required 0.1 CEU" in said
    assert "Petitioned courses worth 0.3 CEU are still pending" in said


async def test_ceus_remaining_without_cpr_card() -> None:
    d, _ = await answer(ActionCeusRemaining, record(ce=[approved("1.9")], cards=[]), ACTIVE)
    said = text(d)
    assert "You have 1.9 of the 2.0 CEUs you need (2.0 CEUs every two years, 0.1 CEU of them from CPR/AED), so you still need 0.1 CEU." in said
    assert "Your course CE is complete; what is missing is the CPR/AED card." in said
    assert "There is no CPR/AED card on your record" in said


async def test_card_only_gap_after_day_90_names_no_passed_deadline() -> None:
    d, _ = await answer(ActionCeusRemaining, record(ce=[approved("1.9")], cards=[]), LATER)
    said = text(d)
    assert "you still need 0.1 CEU" in said and "what is missing is the CPR/AED card" in said
    assert "May 30, 2026" not in said  # the CE deadline has passed; the card is judged on submission
    d, _ = await answer(ActionAmILate, record(ce=[approved("1.9")], cards=[]), LATER)
    assert "You can still renew" in text(d) and "There is no CPR/AED card on your record" in text(d)


async def test_ceus_remaining_online_only_card_does_not_count() -> None:
    online = CprAedCard("American Red Cross", date(2027, 1, 10), False)
    d, _ = await answer(ActionCeusRemaining, record(ce=[approved("1.9")], cards=[online]), ACTIVE)
    assert "online-only" in text(d)
    assert "still need 0.1 CEU" in text(d)


async def test_ceus_remaining_complete_and_capped() -> None:
    rec = record(ce=[approved("1.9"), approved("0.5", date(2025, 9, 1))])
    d, _ = await answer(ActionCeusRemaining, rec, ACTIVE)
    said = text(d)
    assert said.startswith("You have all 2.0 CEUs you need (2.0 counted).")
    assert "Only 1.9 CEUs of course CE can count; the extra doesn't carry over" in said


async def test_ceus_remaining_general_when_not_linked() -> None:
    d, _ = await run(make_action(ActionCeusRemaining, FakeUnitOfWork([PARTIAL]), ACTIVE), tracker())
    assert "You need 2.0 CEUs every two years: up to 1.9 CEUs from approved courses and 0.1 CEU" in text(d)


# --- renewal steps ------------------------------------------------------------------------


async def test_renewal_steps_are_the_engines_next_steps_numbered() -> None:
    d, _ = await answer(ActionRenewalSteps, COMPLETE, LATE)
    said = text(d)
    assert said.startswith("Here's what's left for your NASM Certified Personal Trainer renewal:\n1. ")
    assert "2. You have all the CEUs you need: submit your application now" in said
    assert "$129.00 in all" in said and "by May 30, 2026" in said


async def test_renewal_steps_general() -> None:
    d, _ = await run(make_action(ActionRenewalSteps, FakeUnitOfWork([]), LATE), tracker())
    said = text(d)
    assert "1. Earn 2.0 CEUs in your 2-year cycle" in said
    assert "$99.00 fee ($0.00 on Certify for Life)" in said
    assert "30 days" in said


# --- can I renew --------------------------------------------------------------------------


async def test_can_renew_active_with_ceus_missing() -> None:
    d, _ = await answer(ActionCanRenew, PARTIAL, ACTIVE)
    said = text(d)
    assert said.startswith("You can renew once you have the 0.7 CEU you still need. Renew by March 1, 2026")
    assert "Applying today costs the $99.00 renewal fee and no late fee, $99.00 in all." in said


async def test_can_renew_after_expiry_names_deadline_rule_and_total() -> None:
    d, _ = await answer(ActionCanRenew, COMPLETE, LATE)
    said = text(d)
    assert said.startswith("You can still renew until February 28, 2027, because applications are accepted up to one year")
    assert "yours was completed by May 30, 2026" in said
    assert "the $99.00 renewal fee + a $30.00 late fee = $129.00 in all" in said
    assert words.MONEY_NOTE in said


async def test_can_renew_lifetime_plan_has_no_renewal_fee() -> None:
    lifetime = Credential("nasm-cpt", date(2026, 3, 1), plan=Plan.LIFETIME, certified_on=date(2022, 3, 1))
    d, _ = await answer(ActionCanRenew, record(ce=[approved("1.9")], credentials=[lifetime]), ACTIVE)
    assert "no renewal fee on the Certify for Life plan ($0.00) and no late fee, $0.00 in all" in text(d)


async def test_can_renew_after_submission() -> None:
    rec = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 20))])
    d, _ = await answer(ActionCanRenew, rec, LATE)
    assert "NASM received your renewal application on February 20, 2026" in text(d)


# --- late fee -----------------------------------------------------------------------------


async def test_late_fee_active_lists_both_tiers() -> None:
    d, _ = await answer(ActionLateFee, COMPLETE, ACTIVE)
    said = text(d)
    assert said.startswith("Applying by March 1, 2026 costs the $99.00 renewal fee and no late fee, $99.00 in all.")
    assert "$30.00 from March 2, 2026 to May 30, 2026; $50.00 from May 31, 2026 to February 28, 2027" in said
    assert "The fee is set by the date NASM receives the application." in said
    assert said.endswith(words.MONEY_NOTE)


async def test_late_fee_first_tier() -> None:
    d, _ = await answer(ActionLateFee, COMPLETE, LATE)
    assert text(d).startswith(
        "Applying today costs the $99.00 renewal fee + a $30.00 late fee = $129.00 in all. "
        "The late fee is $30.00 if NASM receives your application by May 30, 2026 and $50.00 from "
        "May 31, 2026"
    )


async def test_late_fee_second_tier() -> None:
    d, _ = await answer(ActionLateFee, COMPLETE, LATER)
    assert "the $99.00 renewal fee + a $50.00 late fee = $149.00 in all" in text(d)
    assert "by February 28, 2027, the last day it is accepted" in text(d)


async def test_late_fee_decided_by_the_submission_date() -> None:
    # Submitted on day 9 (first tier); asked on day 122: still the $30.00 tier.
    rec = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 3, 10))])
    d, _ = await answer(ActionLateFee, rec, LATER)
    said = text(d)
    assert "NASM received your renewal application on March 10, 2026, 9 days after your expiration date" in said
    assert "the fee is set by the date NASM receives the application, so yours is the $99.00 renewal fee + a $30.00 late fee = $129.00 in all" in said
    assert "$50.00" not in said


async def test_late_fee_general() -> None:
    d, _ = await run(make_action(ActionLateFee, FakeUnitOfWork([]), LATE), tracker())
    said = text(d)
    assert said.startswith("Renewing costs the $99.00 renewal fee ($0.00 on the Certify for Life plan).")
    assert "a $30.00 late fee applies to applications received up to 90 days after expiration" in said
    assert "$50.00 (instead of $30.00)" in said
    assert words.MONEY_NOTE in said and words.LINK_HINT in said
