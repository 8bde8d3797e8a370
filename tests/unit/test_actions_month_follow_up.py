""""Sorry, I meant March" after a fee asked for January and "and in February?": the month of the same
question (an application month), even when the NLU finds no date entity in it (T-1004 of the demo got a
what-if without any month). The record of ``action_support``: E = 2026-03-01, first late tier to 2026-05-30.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from actions.dates import month_phrase_in_text
from actions.what_if import ActionWhatIf
from tests.unit.action_support import COMPLETE, TRAINER, FakeUnitOfWork, make_action, run, text, tracker


def _user(message: str, entities: list[dict[str, Any]]) -> dict[str, Any]:
    return {"event": "user", "text": message, "parse_data": {"entities": entities, "intent": {"name": "what_if"}}}


def _date(message: str, value: str) -> dict[str, Any]:
    start = message.index(value)
    return {"entity": "date", "value": value, "start": start, "end": start + len(value)}


def test_a_month_after_meant_or_about_is_read_from_the_message() -> None:
    assert month_phrase_in_text("sorry, I meant March") == ("meant march", 9)
    assert month_phrase_in_text("what about June then") is not None
    assert month_phrase_in_text("may I renew online?") is None


async def test_a_corrected_month_without_an_entity_is_the_application_month_of_the_question() -> None:
    first, second, third = "what would renewing in April cost me?", "and in May?", "sorry, I meant June"
    tr = tracker(linked_as=TRAINER, text=third, intent="inform", entities=[])
    tr.events = [
        _user(first, [_date(first, "April")]),
        {"event": "action", "name": "action_what_if"},
        _user(second, [_date(second, "May")]),
        {"event": "action", "name": "action_what_if"},
        _user(third, []),
    ]
    d, _ = await run(make_action(ActionWhatIf, FakeUnitOfWork([COMPLETE]), date(2026, 3, 10)), tr)
    said = text(d)
    # June 2026 is after the first late tier (to May 30): the $50 tier
    assert said.startswith("An application NASM receives in June 2026 (from June 1, 2026 to June 30, 2026) pays")
    assert "$50.00 late fee = $149.00" in said


async def test_a_month_without_a_verb_and_no_earlier_question_asks_nothing_of_it() -> None:
    tr = tracker(linked_as=TRAINER, text="sorry, I meant June", intent="inform", entities=[])
    tr.events = [_user("sorry, I meant June", [])]
    d, _ = await run(make_action(ActionWhatIf, FakeUnitOfWork([COMPLETE]), date(2026, 3, 10)), tr)
    assert "June 2026" not in text(d)
