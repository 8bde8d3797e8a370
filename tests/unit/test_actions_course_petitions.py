"""A course or provider question names the trainer's own petition of that course or provider, and where it stands.

"Does my kettlebell course count?" with a pending petition for "Kettlebell Basics" on the record was answered
with the general verdict only (not approved, petition it for $25.00), as if nothing were on file. The record
of ``test_actions_support``: cycle March 2, 2024 to May 30, 2026 (E = 2026-03-01).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

from actions.courses import ActionCourseCounts, ActionProviderApproved
from rules.model import CERecord, CEStatus, TrainerRecord
from tests.unit.action_support import approved, entity, record, said

TODAY = date(2026, 3, 10)
CYCLE_START = date(2024, 3, 2)
KETTLEBELL = "Kettlebell Basics from Kettlebell Kings Academy (completed on August 1, 2025, 0.3 CEU): still pending, so it doesn't count yet."


def petition(on: date, status: CEStatus = CEStatus.PENDING_PETITION, title: str = "Kettlebell Basics") -> CERecord:
    return CERecord(on, D("0.3"), status, title=title, provider="Kettlebell Kings Academy")


async def ask(cls: type, rec: TrainerRecord | None = None, linked: bool = True, **kw: Any) -> str:
    rec = rec or record(ce=[approved("1.2"), petition(date(2025, 8, 1))])
    return await said(cls, rec, TODAY, linked=linked, **kw)


async def test_my_kettlebell_course_names_the_pending_petition() -> None:
    said = await ask(ActionCourseCounts, slots={"course": "my kettlebell course"})
    assert "$25.00" in said
    assert f"Your petition on record: {KETTLEBELL}" in said
    said = await ask(ActionCourseCounts, slots={"course": "Kettlebell Basics", "provider": "Kettlebell Kings"})
    assert f"Your petition on record: {KETTLEBELL}" in said


async def test_the_provider_question_names_the_petition_of_its_course() -> None:
    said = await ask(ActionProviderApproved, entities=[entity("provider", "Kettlebell Kings Academy")])
    assert said.startswith("No: Kettlebell Kings Academy is not an NASM-approved provider.")
    assert f"Your petition on record: {KETTLEBELL}" in said


async def test_a_denied_petition_is_named_as_denied() -> None:
    rec = record(ce=[petition(date(2025, 8, 1), CEStatus.PETITION_DENIED)])
    said = await ask(ActionCourseCounts, rec, slots={"course": "kettlebell basics"})
    assert "Kettlebell Basics from Kettlebell Kings Academy (completed on August 1, 2025, 0.3 CEU): denied, so it doesn't count." in said


async def test_only_this_cycles_petition_of_that_course_is_named() -> None:
    # completed the day before the cycle began: it no longer matters; on its first day it does
    before = record(ce=[petition(date(2024, 3, 1))])
    assert "petition on record" not in await ask(ActionCourseCounts, before, slots={"course": "kettlebell basics"})
    first_day = record(ce=[petition(CYCLE_START)])
    assert "completed on March 2, 2024" in await ask(ActionCourseCounts, first_day, slots={"course": "kettlebell basics"})
    # another course, another provider: not this petition
    said = await ask(ActionCourseCounts, slots={"course": "Yoga Flow", "provider": "Joe's Gym"})
    assert "petition on record" not in said
    said = await ask(ActionProviderApproved, slots={"provider": "Some Studio"})
    assert "petition on record" not in said


async def test_an_unlinked_chat_names_no_petition() -> None:
    said = await ask(ActionCourseCounts, linked=False, slots={"course": "kettlebell basics"})
    assert "petition on record" not in said and "August 1, 2025" not in said
