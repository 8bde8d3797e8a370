"""CE completed some day of a named month ("if I finish my last course in May"): each part of the month
gets its own verdict, never the verdict of a made-up day of it.

The record of ``test_actions_support``: cycle start S = 2024-03-02, E = 2026-03-01, CE deadline
G = 2026-05-30; today 2026-03-10. Worked out by hand from docs/rules.md (CEU arithmetic).
"""

from __future__ import annotations

from datetime import date

from rasa_sdk.events import SlotSet

from actions import words
from actions.dates import Period, month_period
from actions.status import ActionLateFee
from actions.what_if import ActionWhatIf
from tests.unit.test_actions_fee_periods import span, what_if
from tests.unit.test_actions_support import (
    COMPLETE,
    TRAINER,
    FakeUnitOfWork,
    approved,
    make_action,
    record,
    run,
    text,
    tracker,
)

TODAY = date(2026, 3, 10)


def test_a_month_said_in_the_past_tense_is_the_last_one_begun() -> None:
    assert month_period("May", TODAY, "past") == Period(date(2025, 5, 1), date(2025, 5, 31), "May 2025")
    assert month_period("March", TODAY, "past") == Period(date(2026, 3, 1), TODAY, "March 2026")
    assert month_period("May", TODAY) == Period(date(2026, 5, 1), date(2026, 5, 31), "May 2026")


async def test_the_month_of_the_ce_deadline_counts_up_to_it_and_not_after() -> None:
    d, _ = await what_if("if I finish my last course in May, does it count?", ["May"])
    said = text(d)
    assert "Continuing education completed in May 2026, for the cycle with the expiration date March 1, 2026" in said
    assert "from May 1, 2026 to May 30, 2026 it still counts" in said
    assert "on May 31, 2026 it is too late: nothing completed after May 30, 2026 can count" in said
    assert "May 10" not in said  # dateparser's made-up day
    # this record's course CE is already complete: the late part needs no person
    assert "no more has to be completed" in said and not d.messages[0].get("buttons")
    d, _ = await what_if("if I finish my last course in May, does it count?", ["May"], TODAY, record(ce=[approved("1.2")]))
    assert "on May 31, 2026 it is too late" in text(d)
    assert d.messages[0]["buttons"] == [words.handoff_button()]


async def test_the_month_the_cycle_began_splits_at_its_first_day() -> None:
    d, _ = await what_if("I finished a course in March 2024, was it in time?", ["March 2024"])
    said = text(d)
    assert "on March 1, 2024 it is before your current cycle began on March 2, 2024, so it doesn't count" in said
    assert "from March 2, 2024 to March 31, 2024 it counts (by your expiration date, March 1, 2026)" in said
    assert not any(m.get("buttons") for m in d.messages)


async def test_a_past_month_inside_the_cycle_counts_and_the_current_one_from_today() -> None:
    d, _ = await what_if("I completed my CEUs in February", ["February"])
    assert "from February 1, 2026 to February 28, 2026 it counts" in text(d)
    d, _ = await what_if("what if I complete the course in March?", ["March"])
    said = text(d)
    assert "from March 10, 2026 to March 31, 2026 it still counts, after your expiration date" in said
    assert "(until May 30, 2026)" in said and words.MONEY_NOTE in said


async def test_a_month_the_nlu_did_not_tag_is_read_from_the_message() -> None:
    # no date entity at all: the month and its verb come from the text
    d, _ = await what_if("how much if I renew in May?", [])
    said = text(d)
    assert "from May 1, 2026 to May 30, 2026, the $99.00 renewal fee + a $30.00 late fee = $129.00 in all" in said
    assert "how many CEUs you have" not in said
    d, _ = await what_if("if I finish my CE in June does it count?", [])
    assert "Continuing education completed in June 2026" in text(d) and "it is too late" in text(d)
    # an expiration month without its day is not guessed
    d, _ = await what_if("what if my cert expires in June?", [])
    assert "June 2026" not in text(d) and "June 10" not in text(d)


async def test_a_month_in_the_message_beats_a_date_an_earlier_question_left_in_the_slot() -> None:
    action = make_action(ActionWhatIf, FakeUnitOfWork([COMPLETE]), TODAY)
    tr = tracker(linked_as=TRAINER, text="how much if I renew in April?", entities=[], slots={"date": "February"})
    d, _ = await run(action, tr)
    said = text(d)
    assert "in April 2026 (from April 1, 2026 to April 30, 2026) pays the $99.00 renewal fee + a $30.00 late fee" in said
    assert "how many CEUs" not in said


async def test_an_expiration_month_without_its_day_is_asked_for_not_made_up() -> None:
    action = make_action(ActionWhatIf, FakeUnitOfWork([]), TODAY)
    message = "my cert expires in February and I have 1.2 CEUs"
    entities = [span(message, "February"), {**span(message, "1.2 CEUs"), "entity": "ceu_amount"}]
    d, events = await run(action, tracker(text=message, entities=entities))
    said = text(d)
    assert said.startswith('"February" names no day, and every deadline follows from the exact expiration date.')
    assert "your certification's expiration date" in said
    assert "February 28" not in said and "February 10" not in said
    assert {"event": "slot", "timestamp": None, "name": "date", "value": None} in events
    # with its day it is answered
    message = "my cert expires February 10 2027 and I have 1.2 CEUs"
    entities = [span(message, "February 10 2027"), {**span(message, "1.2 CEUs"), "entity": "ceu_amount"}]
    d, _ = await run(action, tracker(text=message, entities=entities))
    assert text(d).startswith("If your certification expires on February 10, 2027 and you have 1.2 CEUs")


async def test_the_fee_question_clears_the_date_it_answered() -> None:
    action = make_action(ActionLateFee, FakeUnitOfWork([COMPLETE]), TODAY)
    message = "how much will I pay if I renew in February?"
    _, events = await run(action, tracker(linked_as=TRAINER, text=message, entities=[span(message, "February")], slots={"date": "February"}))
    assert events == [SlotSet("date", None)]
    _, events = await run(action, tracker(linked_as=TRAINER, text="how much will I pay?", entities=[]))
    assert events == []


async def test_doing_or_taking_ce_in_a_month_is_a_completion_not_an_expiration() -> None:
    # T-1008's "if i do 0.4 ceu in june 2027 will it count?" was read as an expiration month ("names no day")
    from actions.what_if import roled_dates

    def at(message: str, name: str, value: str) -> dict[str, object]:
        start = message.index(value)  # where the NLU puts it: the role is read from the words before it
        return {"entity": name, "value": value, "start": start, "end": start + len(value)}

    def roles(message: str, date_text: str) -> list[str | None]:
        return [d.role for d in roled_dates(message, [at(message, "date", date_text)])]

    assert roles("if i do 0.4 ceu in june 2026 will it count?", "june 2026") == ["completed"]
    assert roles("if I take the last course in April does it count", "April") == ["completed"]
    assert roles("what do I pay if I apply in April?", "April") == ["submit"]
    rec = record(ce=[approved("1.5")])
    question = "if i do 0.4 ceu in june 2026 will it count?"
    d, _ = await run(
        make_action(ActionWhatIf, FakeUnitOfWork([rec]), date(2026, 2, 1)),
        tracker(
            text=question,
            entities=[at(question, "ceu_amount", "0.4 ceu"), at(question, "date", "june 2026")],
            linked_as=TRAINER,
        ),
    )
    assert "it is too late: nothing completed after May 30, 2026 can count toward that renewal" in text(d)
    assert "names no day" not in text(d)
