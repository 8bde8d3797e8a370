"""A linked trainer's CEU figure that contradicts the record is answered from the record (A5).

T-1013 (bot/demo/demo-trainers.yml): expired 2026-07-31, NASM-CES 1.9 approved 2025-03-10, the card
ran out 2026-06-01. On 2027-06-14 the course CE is complete and the credential renewable until
2027-07-30 (L - 1 day) with a current CPR/AED card; "I have 1.5 CEUs" got a what-if for a made-up
credential: "couldn't be renewed online".
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.what_if import ActionWhatIf
from rules.model import CERecord, CEStatus, CprAedCard, Credential
from tests.unit.test_actions_support import TRAINER, FakeUnitOfWork, make_action, record, run, text, tracker

T1013 = record(
    credentials=[Credential("nasm-cpt", date(2026, 7, 31), number="8934567", certified_on=date(2024, 8, 1))],
    cards=[CprAedCard("American Heart Association", date(2026, 6, 1), True, date(2024, 6, 1))],
    ce=[CERecord(date(2025, 3, 10), D("1.9"), CEStatus.APPROVED, title="Corrective Exercise Specialist", course_id="NASM-CES")],
    timezone="Europe/Berlin",
)


def amount(message: str, value: str) -> dict[str, object]:
    start = message.find(value)
    return {"entity": "ceu_amount", "value": value, "start": start, "end": start + len(value)}


async def ask(today: date, message: str, value: str | None) -> tuple[str, CollectingDispatcher]:
    entities = [amount(message, value)] if value else []
    action = make_action(ActionWhatIf, FakeUnitOfWork([T1013]), today)
    d, _ = await run(action, tracker(linked_as=TRAINER, text=message, intent="what_if", entities=entities))
    return text(d), d


@pytest.mark.parametrize("message, value", [
    ("I have 1.5 CEUs, how many more do I need?", "1.5 CEUs"),
    ("I've got 1.5 so far, what's left?", None),  # a bare figure
])
@pytest.mark.parametrize("today", [date(2027, 6, 14), date(2027, 7, 29), date(2027, 7, 30)])
async def test_a_figure_that_contradicts_the_record_is_answered_from_the_record(
    message: str, value: str | None, today: date
) -> None:
    said, d = await ask(today, message, value)
    assert "If your certification" not in said and "couldn't be renewed" not in said and "can't be renewed" not in said
    assert "You have 1.9 of the 2.0 CEUs you need" in said
    assert "what is missing is the CPR/AED card" in said
    assert "You mentioned 1.5 CEUs, but your record shows 1.9 CEUs counted" in said
    assert "the figures for 1.5 CEUs would differ" in said


async def test_the_day_after_the_last_application_day_the_record_says_it_cannot_be_renewed() -> None:
    said, _ = await ask(date(2027, 7, 31), "I have 1.5 CEUs, how many more do I need?", "1.5 CEUs")
    assert "If your certification" not in said
    assert "can't be renewed" in said or "cannot be renewed" in said


async def test_the_figure_the_record_holds_gets_no_note() -> None:
    said, _ = await ask(date(2027, 6, 14), "I have 1.9 CEUs, how many more do I need?", "1.9 CEUs")
    assert "You have 1.9 of the 2.0 CEUs you need" in said and "You mentioned" not in said


@pytest.mark.parametrize("today, until", [
    (date(2027, 6, 14), "July 30, 2027 (in 46 days)"),
    (date(2027, 7, 29), "July 30, 2027 (tomorrow)"),
    (date(2027, 7, 30), "July 30, 2027 (today)"),
])
async def test_the_record_answer_says_until_when_it_can_be_renewed(today: date, until: str) -> None:
    said, _ = await ask(today, "I have 1.5 CEUs, how many more do I need?", "1.5 CEUs")
    assert f"Your record can still be renewed until {until}." in said
