"""A card valid today that runs out before the day an application would arrive: the fee alone is not the answer.

The card is judged on the day NASM receives the application (docs/rules.md, CPR/AED), so a fee quoted for a
later day must say that the card will have run out by then. The record: E = 2027-02-15, all course CE, and the
Red Cross card of ``test_actions_support`` that runs out on 2027-01-10.
"""

from __future__ import annotations

from datetime import date

from rules.model import Credential
from tests.unit.test_actions_fee_periods import NOV_30, late_fee, what_if
from tests.unit.test_actions_support import approved, record, text

LATER = Credential("nasm-cpt", date(2027, 2, 15), certified_on=date(2025, 2, 16))  # card: 2027-01-10
CARD_FIRST = record(ce=[approved("1.9")], credentials=[LATER])


async def test_a_day_after_the_card_runs_out_says_so() -> None:
    d, _ = await what_if("what if I apply on February 1, 2027?", ["February 1, 2027"], NOV_30, CARD_FIRST)
    said = text(d)
    assert "$99.00 in all" in said
    assert "Your CPR/AED card runs out on January 10, 2027: an application NASM receives after that day needs a current card (it gives 0.1 CEU of the 2.0 CEUs)" in said
    d, _ = await what_if("what if I apply on January 11, 2027?", ["January 11, 2027"], NOV_30, CARD_FIRST)
    assert "runs out on January 10, 2027" in text(d)
    # its own last day: still current
    d, _ = await what_if("what if I apply on January 10, 2027?", ["January 10, 2027"], NOV_30, CARD_FIRST)
    assert "runs out" not in text(d)


async def test_a_month_that_outlasts_the_card_says_so() -> None:
    d, _ = await what_if("what if I apply in January?", ["January"], NOV_30, CARD_FIRST)
    assert "runs out on January 10, 2027" in text(d)
    d, _ = await what_if("what if I apply in December?", ["December"], NOV_30, CARD_FIRST)
    assert "runs out" not in text(d)


async def test_the_fee_question_for_a_day_after_the_card_runs_out_says_so() -> None:
    d, _ = await late_fee("how much if NASM gets my application on February 15, 2027?", ["February 15, 2027"], NOV_30, CARD_FIRST)
    said = text(d)
    assert "(your expiration date, February 15, 2027) pays the $99.00 renewal fee and no late fee" in said
    assert "runs out on January 10, 2027" in said
