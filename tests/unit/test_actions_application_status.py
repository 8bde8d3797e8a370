""""Did NASM get my application?": answered yes or no from the record before the steps, never the
fallback, and unlinked without guessing. The record of ``action_support`` expires on 2026-03-01."""

from __future__ import annotations

from datetime import date

from actions.status import ActionRenewalSteps, asks_application_status
from rules.model import Application
from tests.unit.action_support import COMPLETE, PARTIAL, approved, record, said


def test_application_status_questions_are_told_apart_from_how_to_questions() -> None:
    for question in (
        "did NASM get my application?",
        "has my renewal application been received",
        "did my recert paperwork go through?",
        "any news on my renewal, did it come in?",
        "quick check, did my renewal application reach NASM?",
        "is my renewal done?",
        "hiya, can you tell if NASM has my renewal application?",
        "has my recert application shown up at NASM?",
    ):
        assert asks_application_status(question), question
    for question in ("how do I submit my application?", "what if I applied on March 3?", "what's left for my renewal?"):
        assert not asks_application_status(question), question


async def test_no_application_on_record_says_no_and_what_is_left() -> None:
    answer = await said(ActionRenewalSteps, COMPLETE, date(2026, 2, 1), text="did nasm receive my application yet")
    assert answer.startswith("No: your record shows no renewal application from you yet. Here's what's left")
    assert "submit your renewal application by March 1, 2026" in answer


async def test_an_application_on_record_says_yes_with_its_day() -> None:
    applied = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 20))])
    answer = await said(ActionRenewalSteps, applied, date(2026, 3, 5), text="did NASM get my application?")
    assert answer.startswith("Yes. Here's what's left")
    assert "NASM received your renewal application on February 20, 2026" in answer


async def test_not_renewable_without_application_says_no_then_why() -> None:
    answer = await said(ActionRenewalSteps, PARTIAL, date(2026, 7, 1), text="has my renewal application been received?")
    assert answer.startswith("No: your record shows no renewal application from you yet.")
    assert "cannot be renewed online" in answer


async def test_steps_question_gets_no_yes_or_no() -> None:
    answer = await said(ActionRenewalSteps, COMPLETE, date(2026, 2, 1), text="what do I still have to do to renew?")
    assert answer.startswith("Here's what's left")


async def test_unlinked_cannot_see_the_application() -> None:
    answer = await said(ActionRenewalSteps, None, date(2026, 2, 1), linked=False, text="did NASM get my application?")
    assert answer.startswith("I can't see whether NASM has your application: this chat isn't linked to your record.")


async def test_a_misunderstood_application_question_is_still_answered_from_the_record() -> None:
    from actions.fallback import ActionHandleMisunderstanding

    answer = await said(
        ActionHandleMisunderstanding, COMPLETE, date(2026, 2, 1), text="quick check, did my renewal application reach NASM?"
    )
    assert answer.startswith("No: your record shows no renewal application from you yet.")


async def test_do_i_still_need_to_submit_is_answered_the_right_way_round() -> None:
    from actions.status import asks_if_still_to_submit

    assert asks_if_still_to_submit("do I still need to submit my renewal app?")
    assert not asks_if_still_to_submit("how do I submit my renewal application?")
    applied = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 20))])
    done = await said(ActionRenewalSteps, applied, date(2026, 3, 5), text="do I still need to submit my renewal app?")
    assert done.startswith("No: NASM already has your application (received February 20, 2026).")
    not_yet = await said(ActionRenewalSteps, COMPLETE, date(2026, 2, 1), text="do I still need to send my application?")
    assert not_yet.startswith("Yes: your record shows no renewal application from you yet.")


async def test_the_last_day_to_apply_and_whats_left_when_the_nlu_was_unsure() -> None:
    from actions.fallback import ActionHandleMisunderstanding

    last = await said(
        ActionHandleMisunderstanding, COMPLETE, date(2026, 2, 1), intent="nlu_fallback",
        text="when is the very last day I can send my application?",
    )
    assert "The last day NASM accepts your application is February 28, 2027" in last
    for message in ("wat do i still need to do", "i'm so behind lol. whats left for me to do"):
        left = await said(ActionHandleMisunderstanding, COMPLETE, date(2026, 2, 1), intent="nlu_fallback", text=message)
        assert left.startswith("Here's what's left"), (message, left)
