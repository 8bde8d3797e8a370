"""A card valid today that runs out before the day an application would arrive: the fee alone is not the answer.

The card is judged on the day NASM receives the application (docs/rules.md, CPR/AED), so a fee quoted for a
later day must say that the card will have run out by then. The record: E = 2027-02-15, all course CE, and the
Red Cross card of ``test_actions_support`` that runs out on 2027-01-10.
"""

from __future__ import annotations

from datetime import date

from rules.model import CprAedCard, Credential
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


# --- a card that has already run out, or none at all: judged on the day NASM receives the application ---

RAN_OUT = CprAedCard("American Red Cross", date(2026, 11, 29), True, date(2024, 11, 29))  # the day before NOV_30
ONLINE = CprAedCard("Some Online School", date(2027, 6, 1), False, date(2025, 6, 1))
EXPIRED_CARD = record(ce=[approved("1.9")], credentials=[LATER], cards=[RAN_OUT])
NO_CARD = record(ce=[approved("1.9")], credentials=[LATER], cards=[])
ONLINE_CARD = record(ce=[approved("1.9")], credentials=[LATER], cards=[ONLINE])


async def test_a_day_with_a_card_that_has_already_run_out_says_so() -> None:
    d, _ = await what_if("what if I apply on December 1, 2026?", ["December 1, 2026"], NOV_30, EXPIRED_CARD)
    said = text(d)
    assert "$99.00 in all" in said
    assert (
        "Your CPR/AED card expired on November 29, 2026: an application NASM receives on December 1, 2026 "
        "needs a current card (it gives 0.1 CEU of the 2.0 CEUs)"
    ) in said
    d, _ = await what_if("what if I apply in January?", ["January"], NOV_30, EXPIRED_CARD)
    assert "expired on November 29, 2026: an application NASM receives in January 2027 needs a current card" in text(d)


async def test_the_day_the_card_is_still_current_says_nothing_of_it() -> None:
    # the day before the card ran out, seen from that day: the card counts then
    d, _ = await what_if("what if I apply on November 29, 2026?", ["November 29, 2026"], date(2026, 11, 29), EXPIRED_CARD)
    assert "CPR/AED" not in text(d)


async def test_no_card_or_an_online_card_is_said_beside_the_fee() -> None:
    d, _ = await what_if("what if I apply on February 15, 2027?", ["February 15, 2027"], NOV_30, NO_CARD)
    said = text(d)
    assert "$99.00 in all" in said
    assert "There is no CPR/AED card on your record: an application NASM receives on February 15, 2027 needs a current card" in said
    d, _ = await late_fee("how much if NASM gets my application on February 16, 2027?", ["February 16, 2027"], NOV_30, NO_CARD)
    said = text(d)
    assert "$129.00" in said
    assert "There is no CPR/AED card on your record: an application NASM receives on February 16, 2027" in said
    d, _ = await what_if("what if I apply on February 15, 2027?", ["February 15, 2027"], NOV_30, ONLINE_CARD)
    assert "was online-only, so it does not count: an application NASM receives on February 15, 2027 needs a current card with a hands-on skills part" in text(d)


async def test_the_fee_question_for_a_month_with_an_expired_card_says_so() -> None:
    d, _ = await late_fee("how much if I renew in March?", ["March"], NOV_30, EXPIRED_CARD)
    said = text(d)
    assert "$129.00" in said
    assert "expired on November 29, 2026: an application NASM receives in March 2027 needs a current card" in said
