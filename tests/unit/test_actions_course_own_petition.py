""""Does the kettlebell basics thing count?" from a trainer whose record already holds that course's petition:
the petition and where it stands, never an invitation to petition again (another fee) nor "did you mean" an
approved course the trainer never took (T-1002 and T-1012 of the demo, found by a probe)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from actions.courses import ActionCourseCounts
from rules.model import CERecord, CEStatus
from tests.unit.action_support import approved, entity, pending, record, said

TODAY = date(2026, 2, 1)
SEMINAR = CERecord(date(2025, 9, 12), D("1.3"), CEStatus.PENDING_PETITION, title="Functional Anatomy Seminar", provider="Some Studio")


async def ask(course: str, rec_ce: list[CERecord]) -> str:
    return await said(
        ActionCourseCounts, record(ce=rec_ce), TODAY, entities=[entity("course", course)], text=f"does the {course} count"
    )


async def test_a_course_already_petitioned_is_answered_with_its_petition() -> None:
    answer = await ask("kettlebell basics thing", [approved("1.2"), pending("0.3")])
    assert answer.startswith('"kettlebell basics thing" isn\'t a preapproved course, so it counts only once NASM approves')
    assert "Your petition on record: Kettlebell Basics from Some Studio (completed on August 1, 2025, 0.3 CEU): still pending" in answer
    assert "You can still petition" not in answer


async def test_no_did_you_mean_for_a_title_the_trainer_petitioned() -> None:
    answer = await ask("functional anatomy seminar", [approved("0.6"), SEMINAR])
    assert "Did you mean" not in answer and "Functional Training Specialist" not in answer
    assert "Your petition on record: Functional Anatomy Seminar from Some Studio" in answer


async def test_without_a_petition_the_close_catalog_title_is_still_offered() -> None:
    answer = await ask("functional anatomy seminar", [approved("0.6")])
    assert "Functional Training Specialist" in answer
