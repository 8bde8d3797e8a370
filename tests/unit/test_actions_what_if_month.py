"""'What if I apply in January?' judges every day of January as the record would stand then (item 1).

The month answer used to quote the month's fees and judge the CPR/AED card from today's record, and said
nothing of the course CE. Now the days of the month are assessed one by one (rules.scenarios.applications_between)
and the answer says, in the words of the day what-if, what is missing and from which day of the month it
would stop being enough (the card runs out, the CE must be completed by the CE deadline instead of by the day).

E = 2026-10-15 (like T-1004): CE deadline and end of the first late-fee tier G = 2027-01-13. Asked on the
demo day 2026-11-30.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from rasa_sdk.executor import CollectingDispatcher

from actions import words
from actions.status import ActionLateFee
from actions.what_if import ActionWhatIf
from rules.model import CERecord, CEStatus, CprAedCard, Credential, TrainerRecord
from rules.policy import load_policy
from rules.scenarios import applications_between
from tests.unit.test_actions_support import TRAINER, FakeUnitOfWork, approved, make_action, record, run, text, tracker

DEMO_DAY = date(2026, 11, 30)
E_OCT = Credential("nasm-cpt", date(2026, 10, 15), certified_on=date(2024, 10, 16))
CARD = CprAedCard("American Red Cross", date(2028, 1, 1), True, date(2025, 1, 1))


def card_until(last: date) -> CprAedCard:
    return CprAedCard("American Red Cross", last, True, date(last.year - 2, last.month, last.day))


def oct_record(ce: str = "1.9", card: CprAedCard = CARD) -> TrainerRecord:
    return record(credentials=[E_OCT], cards=[card], ce=[approved(ce, on=date(2025, 6, 1))])


def _entity(message: str, value: str) -> dict[str, object]:
    start = message.index(value)
    return {"entity": "date", "value": value, "start": start, "end": start + len(value)}


async def ask(
    rec: TrainerRecord, message: str, month: str, today: date = DEMO_DAY, cls: type = ActionWhatIf
) -> tuple[str, CollectingDispatcher]:
    action = make_action(cls, FakeUnitOfWork([rec]), today)
    d, _ = await run(action, tracker(linked_as=TRAINER, text=message, entities=[_entity(message, month)]))
    return text(d), d


WORDINGS = (
    ("what if I apply in January?", "January"),
    ("and if NASM gets it in January 2027, then what", "January 2027"),
    ("suppose I only send the application in Jan", "Jan"),
)


async def test_a_card_that_runs_out_in_the_month_is_said_with_its_day() -> None:
    rec = oct_record(card=card_until(date(2027, 1, 10)))
    for message, month in WORDINGS:
        said, _ = await ask(rec, message, month)
        assert (
            "From January 1, 2027 to January 10, 2027 your record would have all 2.0 CEUs you need, so all that is left "
            "is the application itself." in said
        ), message
        assert (
            "Your CPR/AED card runs out on January 10, 2027: an application NASM receives after that day needs a "
            "current card" in said
        ), message
        assert "$129.00" in said and "$149.00" in said  # the month's fee tiers are still said


async def test_a_card_running_out_the_day_before_on_and_after_the_month_ends() -> None:
    # its last day is January 31: valid every day of January
    said, _ = await ask(oct_record(card=card_until(date(2027, 1, 31))), *WORDINGS[0])
    assert "CPR/AED" not in said
    assert "In January 2027 your record would have all 2.0 CEUs you need" in said
    # January 30: the last day of the month is the one day without it
    said, _ = await ask(oct_record(card=card_until(date(2027, 1, 30))), *WORDINGS[0])
    assert "From January 1, 2027 to January 30, 2027 your record would have all 2.0 CEUs you need" in said
    assert "Your CPR/AED card runs out on January 30, 2027: an application NASM receives after that day" in said
    # December 31, the day before the month: no day of January has it
    said, _ = await ask(oct_record(card=card_until(date(2026, 12, 31))), *WORDINGS[0])
    assert "all 2.0 CEUs you need" not in said
    assert "Your CPR/AED card runs out on December 31, 2026: an application NASM receives after that day" in said
    # January 1: only the first day of the month has it
    said, _ = await ask(oct_record(card=card_until(date(2027, 1, 1))), *WORDINGS[0])
    assert "On January 1, 2027 your record would have all 2.0 CEUs you need" in said
    assert "Your CPR/AED card runs out on January 1, 2027" in said


async def test_ce_short_says_by_when_on_each_side_of_the_ce_deadline() -> None:
    short = oct_record("1.2")
    said, d = await ask(short, *WORDINGS[0])
    assert (
        "From January 1, 2027 to January 13, 2027 your record would have 1.2 CEUs of the 1.9 CEUs of course CE needed "
        "besides CPR/AED: 0.7 CEU more must be completed by the day NASM receives the application." in said
    )
    assert (
        "From January 14, 2027 to January 31, 2027 your record would have 1.2 CEUs of the 1.9 CEUs of course CE needed "
        "besides CPR/AED: 0.7 CEU more must be completed by January 13, 2027, because continuing education "
        "completed up to 90 days after expiration still counts." in said
    )
    assert "all 2.0 CEUs" not in said
    # December: every day before the CE deadline
    said, _ = await ask(short, "what if I file in December?", "December")
    assert "In December 2026 your record would have 1.2 CEUs" in said
    assert "must be completed by the day NASM receives the application." in said
    # February: every day after it
    said, _ = await ask(short, "what if I apply in February?", "February")
    assert "In February 2027 your record would have 1.2 CEUs" in said
    assert "0.7 CEU more must be completed by January 13, 2027, because" in said


async def test_the_fee_question_for_a_month_says_the_same() -> None:
    rec = oct_record(card=card_until(date(2027, 1, 10)))
    said, _ = await ask(rec, "how much will it cost if NASM receives it in January?", "January", cls=ActionLateFee)
    assert "From January 1, 2027 to January 10, 2027 your record would have all 2.0 CEUs you need" in said
    assert "Your CPR/AED card runs out on January 10, 2027: an application NASM receives after that day" in said
    assert said.endswith(words.MONEY_NOTE)


async def test_a_month_gone_by_says_what_the_record_held_then() -> None:
    active = Credential("nasm-cpt", date(2027, 3, 1), certified_on=date(2025, 3, 2))
    rec = record(
        credentials=[active],
        cards=[CARD],
        ce=[approved("1.0", on=date(2025, 6, 1)), CERecord(date(2026, 11, 20), D("0.9"), CEStatus.APPROVED, title="Golf Fitness")],
    )
    said, _ = await ask(rec, "what if I had applied in October?", "October")
    assert "In October 2026 your record had 1.0 CEU of the 1.9 CEUs of course CE needed besides CPR/AED, 0.9 CEU short." in said
    assert (
        "Golf Fitness (completed on November 20, 2026) was finished after October 31, 2026, so it would not count "
        "for an application NASM receives in October 2026." in said
    )


def test_applications_between_splits_where_the_record_changes() -> None:
    policy = load_policy()
    rec = oct_record("1.2", card=card_until(date(2027, 1, 10)))
    spans = applications_between(policy, rec, E_OCT, date(2027, 1, 1), date(2027, 1, 31), DEMO_DAY)
    assert [(s.first, s.last) for s in spans] == [
        (date(2027, 1, 1), date(2027, 1, 10)),  # card current, CE by the day
        (date(2027, 1, 11), date(2027, 1, 13)),  # card run out, CE by the day
        (date(2027, 1, 14), date(2027, 1, 31)),  # card run out, CE by the CE deadline
    ]
    assert spans[0].last_day.on.cpr_aed.valid and not spans[1].first_day.on.cpr_aed.valid
