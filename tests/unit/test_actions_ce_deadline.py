""""Until when can I still finish my CE?": the continuing-education deadline (E + the grace days), not the
expiration date, whether the CE is still missing, already complete or too late.

The record of ``action_support`` expires on 2026-03-01 (E), cycle from 2024-03-02: CE deadline 2026-05-30,
application deadline 2027-02-28 (worked out by hand from docs/rules.md).
"""

from __future__ import annotations

from datetime import date

from actions.status import ActionExpirationDate, asks_ce_deadline
from tests.unit.action_support import COMPLETE, PARTIAL, approved, record, said


def test_ce_deadline_questions_are_told_apart_from_expiration_questions() -> None:
    for question in (
        "until when can I still finish my CE?",
        "whats the last day my ceus can count",
        "by what date do my courses have to be done",
        "cutoff for continuing education?",
    ):
        assert asks_ce_deadline(question), question
    for question in ("when does my cert expire?", "what's my renewal deadline", "am I still certified?"):
        assert not asks_ce_deadline(question), question


async def test_ce_still_missing_leads_with_the_ce_deadline_and_what_is_missing() -> None:
    answer = await said(ActionExpirationDate, PARTIAL, date(2026, 2, 1), text="how long have I got to get my CE in?")
    assert answer.startswith(
        "Continuing education completed from March 2, 2024 up to May 30, 2026 (in 118 days) counts for this cycle"
    )
    assert "you still need 0.7 CEU of course CE" in answer
    assert "expires on March 1, 2026 (in 28 days)" in answer
    assert answer.count("May 30, 2026") == 1  # the CE sentence is not repeated after the expiry


async def test_the_last_day_of_the_grace_period_still_counts_and_the_day_after_does_not() -> None:
    on_the_day = await said(ActionExpirationDate, PARTIAL, date(2026, 5, 30), text="when is my CE deadline")
    assert on_the_day.startswith("Continuing education completed from March 2, 2024 up to May 30, 2026 (today)")
    day_after = await said(ActionExpirationDate, PARTIAL, date(2026, 5, 31), text="when is my CE deadline")
    assert day_after.startswith(
        "The last day continuing education could count for this cycle was May 30, 2026 (yesterday)"
    )
    assert "cannot be renewed online" in day_after


async def test_ce_already_complete_says_so_instead_of_leaving_the_question_unanswered() -> None:
    answer = await said(ActionExpirationDate, COMPLETE, date(2026, 2, 1), text="till when can I finish my courses?")
    assert answer.startswith("Your course CE is already complete (1.9 CEUs counted), so no course has to be finished")
    assert "CE completed up to May 30, 2026 would count" in answer
    assert "CPR/AED" not in answer  # the card is valid: nothing else to name


async def test_the_card_as_the_only_gap_is_named_beside_the_complete_ce() -> None:
    no_card = record(ce=[approved("1.9")], cards=[])
    answer = await said(ActionExpirationDate, no_card, date(2026, 4, 1), text="by what date do my courses have to be completed")
    assert answer.startswith("Your course CE is already complete (1.9 CEUs counted)")
    assert "What is still missing is the CPR/AED card" in answer


async def test_an_expiration_question_is_answered_as_before() -> None:
    answer = await said(ActionExpirationDate, COMPLETE, date(2026, 2, 1), text="when does my cert expire?")
    assert answer.startswith("Your NASM Certified Personal Trainer certification expires on March 1, 2026 (in 28 days).")


async def test_unlinked_the_rule_and_no_dates() -> None:
    answer = await said(ActionExpirationDate, None, date(2026, 2, 1), linked=False, text="when is my CE deadline")
    assert answer.startswith("I can't see your dates: this chat isn't linked to your record. Your CE deadline is 90 days")
    assert "2026" not in answer
