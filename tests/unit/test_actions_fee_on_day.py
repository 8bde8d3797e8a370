"""'How much if NASM gets it on January 14?' quotes that day's fee with what the renewal still needs that day (item 2).

The fee question about a day used to quote the fee (and the card) alone; a fee is only worth quoting with
what else the renewal needs then, in the same words as the day what-if ('what if I apply on January 14?').
E = 2026-10-15: CE deadline and end of the first late-fee tier G = 2027-01-13; asked on 2026-11-30.
"""

from __future__ import annotations

from datetime import date

from rasa_sdk.executor import CollectingDispatcher

from actions import words
from actions.status import ActionLateFee
from actions.what_if import ActionWhatIf
from rules.model import TrainerRecord
from tests.unit.test_actions_support import TRAINER, FakeUnitOfWork, make_action, run, text, tracker
from tests.unit.test_actions_what_if_month import DEMO_DAY, card_until, oct_record


async def ask(
    rec: TrainerRecord, message: str, day_text: str, cls: type = ActionLateFee, today: date = DEMO_DAY
) -> tuple[str, CollectingDispatcher]:
    start = message.index(day_text)
    entity = {"entity": "date", "value": day_text, "start": start, "end": start + len(day_text)}
    action = make_action(cls, FakeUnitOfWork([rec]), today)
    d, _ = await run(action, tracker(linked_as=TRAINER, text=message, intent="ask_late_fee", entities=[entity]))
    return text(d), d


SHORT_BY_DAY = (
    "your record would have 1.2 CEUs of the 1.9 CEUs of course CE needed besides CPR/AED: 0.7 CEU more must be "
    "completed by"
)


async def test_the_fee_of_a_day_comes_with_the_ce_still_missing_that_day() -> None:
    short = oct_record("1.2")
    for message, day_text in (
        ("how much if NASM gets it on January 12?", "January 12"),
        ("what will I pay if I send it on Jan 12", "Jan 12"),
        ("what's the damage if my application reaches them on 12 January 2027?", "12 January 2027"),
    ):
        said, d = await ask(short, message, day_text)
        assert "the $99.00 renewal fee + a $30.00 late fee = $129.00 in all" in said, message
        assert (
            f"On January 12, 2027 {SHORT_BY_DAY} January 12, 2027, the day NASM would receive the application." in said
        ), message
        assert said.endswith(words.MONEY_NOTE)
    # the CE deadline itself, and the day after it: the CE is due by the CE deadline
    said, _ = await ask(short, "how much if NASM gets it on January 13?", "January 13")
    assert "$129.00" in said
    assert f"On January 13, 2027 {SHORT_BY_DAY} January 13, 2027, because continuing education completed" in said
    said, _ = await ask(short, "how much if NASM gets it on January 14?", "January 14")
    assert "$149.00" in said
    assert f"On January 14, 2027 {SHORT_BY_DAY} January 13, 2027, because continuing education completed" in said


async def test_the_same_words_as_the_what_if_for_that_day() -> None:
    for rec in (oct_record("1.2"), oct_record(card=card_until(date(2027, 1, 10))), oct_record()):
        for day_text in ("January 10", "January 11", "January 14"):
            fee, _ = await ask(rec, f"how much if NASM gets it on {day_text}?", day_text)
            what_if, _ = await ask(rec, f"what if I apply on {day_text}?", day_text, cls=ActionWhatIf)
            gap = what_if.split("The fee is set by the date NASM receives the application. ", 1)[1]
            assert gap.removesuffix(words.MONEY_NOTE).strip() in fee, (rec, day_text)


async def test_a_card_running_out_the_day_before_of_and_after() -> None:
    rec = oct_record(card=card_until(date(2027, 1, 10)))
    said, _ = await ask(rec, "how much if NASM gets it on January 10?", "January 10")  # its last valid day
    assert "CPR/AED" not in said
    assert "On January 10, 2027 your record would have all 2.0 CEUs you need, so all that is left is the application itself." in said
    said, _ = await ask(rec, "how much if NASM gets it on January 11?", "January 11")
    assert "Your CPR/AED card runs out on January 10, 2027: an application NASM receives after that day needs a current card" in said
    assert "all 2.0 CEUs you need" not in said


async def test_nothing_missing_is_said_too() -> None:
    said, d = await ask(oct_record(), "what would it cost if they receive it on December 2?", "December 2")
    assert "$129.00" in said
    assert "On December 2, 2026 your record would have all 2.0 CEUs you need, so all that is left is the application itself." in said
    assert d.messages[0].get("buttons") in (None, [])
