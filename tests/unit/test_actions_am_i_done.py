""""Am I done?" is what is left on the record, with a plain No while something is (it was answered as "am I
late?", whose "Yes: late" read as "yes, done"), and the steps list numbers steps only, not the note on fees."""

from __future__ import annotations

from datetime import date

import pytest

from actions import words
from actions.status import ActionAmILate, ActionRenewalSteps
from rules.model import Application, CprAedCard, Credential
from tests.unit.action_support import COMPLETE, approved, record, said

TODAY = date(2026, 11, 30)
CARD_GAP = record(
    ce=[approved("1.9")], cards=[CprAedCard("American Heart Association", date(2026, 6, 1), True)],
    credentials=[Credential("nasm-cpt", date(2026, 7, 31))],
)
AUDITED = record(
    ce=[approved("1.9")], credentials=[Credential("nasm-cpt", date(2026, 12, 20))],
    applications=[Application("nasm-cpt", date(2026, 11, 20), audit_selected_on=date(2026, 11, 25))],
)
APPLIED = record(
    ce=[approved("1.9")], credentials=[Credential("nasm-cpt", date(2026, 12, 20))],
    applications=[Application("nasm-cpt", date(2026, 11, 20))],
)


@pytest.mark.parametrize("cls", [ActionAmILate, ActionRenewalSteps])
@pytest.mark.parametrize("message", ["so am I done then", "im all set right?"])
async def test_a_card_gap_is_not_done(cls: type, message: str) -> None:
    answer = await said(cls, CARD_GAP, TODAY, text=message)
    assert answer.startswith("No. Here's what's left"), answer
    assert "you still need a current CPR/AED card" in answer and "$149.00 in all" in answer


async def test_an_outstanding_audit_is_not_done_and_an_application_being_processed_has_no_lead() -> None:
    audited = await said(ActionAmILate, AUDITED, TODAY, text="am i done?")
    assert audited.startswith("No. Here's what's left") and "December 25, 2026" in audited, audited
    applied = await said(ActionAmILate, APPLIED, TODAY, text="am i done?")
    assert applied.startswith("Here's what's left") and "November 20, 2026" in applied, applied


async def test_am_i_late_keeps_its_own_answer() -> None:
    answer = await said(ActionAmILate, CARD_GAP, TODAY, text="am i late or am i done")
    assert answer.startswith("Yes"), answer


async def test_the_fee_note_follows_the_steps_unnumbered() -> None:
    answer = await said(ActionRenewalSteps, COMPLETE, TODAY, text="what do i still need to do")
    assert answer.endswith(f"\n{words.MONEY_NOTE}"), answer
    assert f". {words.MONEY_NOTE}" not in answer and not any(
        line.split(". ", 1)[-1] == words.MONEY_NOTE for line in answer.splitlines() if line[:1].isdigit()
    )


async def test_am_i_done_the_nlu_was_unsure_of_is_what_is_left() -> None:
    from actions.fallback import ActionHandleMisunderstanding

    answer = await said(ActionHandleMisunderstanding, CARD_GAP, TODAY, text="so am I done then", intent="nlu_fallback")
    assert answer.startswith("No. Here's what's left"), answer


async def test_by_when_after_the_audit_answer_is_the_documents_due_date() -> None:
    from actions.status import ActionExpirationDate
    from tests.unit.action_support import FakeUnitOfWork, after_reply, make_action, run, text

    before = "Your application was selected for an audit on November 25, 2026: send ... by December 25, 2026 ..."
    for message in ("by when?", "when again"):
        tr = after_reply("what do i do about the audit", "action_audit", before, message)
        d, _ = await run(make_action(ActionExpirationDate, FakeUnitOfWork([AUDITED]), TODAY), tr)
        assert "December 25, 2026" in text(d) and "expires on December 20" not in text(d), (message, text(d))
    tr = after_reply("what do i do about the audit", "action_audit", before, "when does my cert expire?")
    d, _ = await run(make_action(ActionExpirationDate, FakeUnitOfWork([AUDITED]), TODAY), tr)
    assert "December 20, 2026" in text(d), text(d)


@pytest.mark.parametrize("message", ["do i need 2.0 or 1.9 ceus", "is it 1.9 or 2 ceus that are required?"])
async def test_which_of_two_figures_is_required_is_the_rule_and_the_record(message: str) -> None:
    from actions.what_if import ActionWhatIf
    from tests.unit.action_support import PARTIAL, entity

    answer = await said(ActionWhatIf, PARTIAL, date(2026, 2, 1), text=message, entities=[entity("ceu_amount", "1.9")])
    assert "You mentioned" not in answer and "0.1 CEU of them from CPR/AED" in answer, answer


@pytest.mark.parametrize("message", ["anything left?", "is there anything left to do", "anything else missing?"])
async def test_anything_left_is_yes_while_something_is(message: str) -> None:
    """The opposite question of "am I done?": "No. Here's what's left" read as "nothing is"."""
    answer = await said(ActionRenewalSteps, CARD_GAP, TODAY, text=message)
    assert answer.startswith("Yes. Here's what's left"), answer
    audited = await said(ActionRenewalSteps, AUDITED, TODAY, text=message)
    assert audited.startswith("Yes. Here's what's left") and "December 25, 2026" in audited, audited


@pytest.mark.parametrize(
    ("message", "intent", "lead"),
    [("am i all set?", "out_of_scope", "No. Here's what's left"), ("nothing left right?", "nlu_fallback", "No. Here's"),
     ("whats left", "nlu_fallback", "Here's what's left")],
)
async def test_short_done_questions_the_nlu_missed_are_what_is_left(message: str, intent: str, lead: str) -> None:
    from actions.fallback import ActionHandleMisunderstanding

    answer = await said(ActionHandleMisunderstanding, CARD_GAP, TODAY, text=message, intent=intent)
    assert answer.startswith(lead), answer


async def test_did_nasm_get_my_app_is_the_application_status() -> None:
    answer = await said(ActionRenewalSteps, APPLIED, TODAY, text="did nasm get my app")
    assert answer.startswith("Yes.") and "November 20, 2026" in answer, answer


async def test_am_i_lapsed_after_applying_within_the_year_is_no() -> None:
    """E = 2025-10-15, application received 2026-08-01 (before the last day, 2026-10-14); today is past that day."""
    from rules.model import Application

    applied_late = record(ce=[approved("1.9", date(2025, 6, 1))], credentials=[Credential("nasm-cpt", date(2025, 10, 15))],
                          applications=[Application("nasm-cpt", date(2026, 8, 1))])
    answer = await said(ActionAmILate, applied_late, TODAY, text="am i lapsed?")
    assert answer.startswith("No: NASM received your application on August 1, 2026, within the year"), answer
    assert "October 14, 2026" in answer
    late = await said(ActionAmILate, applied_late, TODAY, text="was i late?")
    assert late.startswith("Yes: NASM received your application after your certification expired"), late


async def test_a_lapsed_trainers_fee_and_ceu_questions_are_answered_before_why_nothing_can_be_renewed() -> None:
    from actions.status import ActionCeusRemaining, ActionLateFee

    lapsed = record(ce=[approved("1.4", date(2024, 6, 1))], credentials=[Credential("nasm-cpt", date(2025, 9, 30))])
    fee = await said(ActionLateFee, lapsed, TODAY, text="whats the fee")
    assert fee.startswith("There is no renewal fee to pay any more. Your credential expired on September 30, 2025")
    ceus = await said(ActionCeusRemaining, lapsed, TODAY, text="how many ceus did i have before it lapsed")
    assert ceus.startswith("Your record has 1.5 CEUs counted for the cycle that expired on September 30, 2025."), ceus
    assert "applications closed on September 29, 2026" in ceus


async def test_how_long_to_get_my_ces_in_is_the_ce_deadline() -> None:
    from actions.status import ActionExpirationDate

    late = record(ce=[approved("1.2")], credentials=[Credential("nasm-cpt", date(2026, 10, 15))])
    answer = await said(ActionExpirationDate, late, TODAY, text="how long do I have to get my CEs in")
    assert answer.startswith("Continuing education completed") and "January 13, 2027" in answer, answer


async def test_what_do_i_still_need_is_the_own_gap_and_whats_the_only_thing_im_missing_is_what_is_left() -> None:
    from actions.fallback import ActionHandleMisunderstanding
    from tests.unit.action_support import FakeUnitOfWork, make_action, run, text, tracker

    tr = tracker("faq_response_selector", linked_as="T-1001", text="cpr + ceus, what do i still need exactly")
    tr.latest_message["response_selector"] = {"faq": {"response": {"intent_response_key": "faq/ceu"}}}
    from actions.faq import ActionAnswerFaq

    d, _ = await run(make_action(ActionAnswerFaq, FakeUnitOfWork([CARD_GAP]), TODAY), tr,
                     {"responses": {"utter_faq/ceu": [{"text": "A CEU is ..."}]}})
    assert "Your CPR/AED card expired on June 1, 2026" in text(d) and "A CEU is" not in text(d), text(d)
    only = await said(ActionHandleMisunderstanding, CARD_GAP, TODAY, text="whats the only thing im missing",
                      intent="nlu_fallback")
    assert "Here's what's left" in only and "CPR/AED card" in only, only


async def test_sending_the_card_for_the_audit_is_not_sending_the_application() -> None:
    from actions.status import asks_if_still_to_submit

    assert asks_if_still_to_submit("do i still need to send my renewal application?")
    assert not asks_if_still_to_submit("Do I still need to send my CPR card for the audit even though I applied?")
