""""Am I still certified next week?" is judged on that day, not today: T-1003 of the demo (4 days left) was
told "Yes." for next week. ``action_support``'s record expires on 2026-03-01 (valid through its end)."""

from __future__ import annotations

from datetime import date

from actions.status import ActionExpirationDate
from actions.what_if import ActionWhatIf
from rules.model import Application
from tests.unit.action_support import COMPLETE, approved, entity, record, said


async def test_a_day_after_the_expiration_is_only_if_renewed() -> None:
    answer = await said(ActionExpirationDate, COMPLETE, date(2026, 2, 25), text="am I still certified next week?")
    # next week: March 2 to March 8, 2026, after E
    assert answer.startswith("Not unless NASM has renewed it by then: your NASM Certified Personal Trainer certification is valid through the end of March 1, 2026 (in 4 days)")
    assert not answer.startswith("Yes")


async def test_a_day_up_to_the_expiration_is_yes_and_today_is_as_before() -> None:
    on_e = await said(
        ActionExpirationDate, COMPLETE, date(2026, 2, 25), text="will I still be certified on March 1?",
        entities=[entity("date", "March 1")],
    )
    assert on_e.startswith("Yes. Your NASM Certified Personal Trainer certification is valid through the end of March 1, 2026")
    assert "still holds on March 1, 2026" in on_e
    today = await said(ActionExpirationDate, COMPLETE, date(2026, 2, 25), text="am I still certified?")
    assert today.startswith("Yes. Your NASM Certified Personal Trainer certification expires on March 1, 2026")


async def test_with_the_application_in_it_says_so() -> None:
    applied = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 20))])
    answer = await said(ActionExpirationDate, applied, date(2026, 2, 25), text="will I still be certified next month?")
    assert "NASM received your renewal application on February 20, 2026 and is processing it" in answer


async def test_the_what_if_action_hands_a_certified_on_question_to_the_dates() -> None:
    answer = await said(
        ActionWhatIf, COMPLETE, date(2026, 2, 25), text="will I still be certified on march 10?",
        entities=[entity("date", "march 10")],
    )
    assert answer.startswith("Not unless NASM has renewed it by then")
    assert "how many CEUs" not in answer


async def test_a_day_of_the_month_or_a_dated_question_other_actions_get_is_judged_on_that_day() -> None:
    from actions.status import ActionAmILate, ActionCanRenew

    # E = March 1, 2026; asked on February 25: "the 5th" is March 5
    on_the_5th = await said(ActionExpirationDate, COMPLETE, date(2026, 2, 25), text="so am I certified on the 5th?")
    assert on_the_5th.startswith("Not unless NASM has renewed it by then")
    for cls in (ActionCanRenew, ActionAmILate):
        answer = await said(
            cls, COMPLETE, date(2026, 2, 25), text="will I still be certified on the 6th of March?",
            entities=[entity("date", "the 6th of March")],
        )
        assert answer.startswith("Not unless NASM has renewed it by then"), cls
    on_e = await said(ActionExpirationDate, COMPLETE, date(2026, 2, 25), text="and am I certified on the 1st?")
    assert on_e.startswith("Yes. Your NASM Certified Personal Trainer certification is valid through the end of March 1")
