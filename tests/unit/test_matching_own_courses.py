"""A course of the trainer's own record named by one word of its title ("the stretching course").

The NLU tags no course in "but I finished the stretching course in October", and one word is too weak to
search the whole catalog with; among the few courses on the trainer's record it is enough, unless two of
them share the word.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from actions.courses import ActionCourseCounts, ValidateCourseForm
from actions.matching import find_own_course_in_text
from rules.model import CERecord, CEStatus
from tests.unit.action_support import record, said
from tests.unit.test_actions_support import COURSES

CES, YES, CNC = (next(c for c in COURSES if c.id == i) for i in ("NASM-CES", "NASM-YES", "NASM-CNC"))


def test_a_distinctive_word_of_an_own_title_names_that_course() -> None:
    assert find_own_course_in_text("but I finished the nutrition course in October", [CES, CNC]).found == CNC
    assert find_own_course_in_text("did the corrective one go through?", [CES, YES]).found == CES


def test_a_shared_or_generic_word_or_a_course_not_on_the_record_names_none() -> None:
    assert find_own_course_in_text("the exercise specialist course", [CES, YES]).found is None  # both have it
    assert find_own_course_in_text("my specialist course", [CES]).found is None  # a generic tail word
    assert find_own_course_in_text("the youth one", [CES, CNC]).found is None  # YES is not theirs
    assert find_own_course_in_text("the nutrition course", []).found is None


async def test_the_course_answer_reads_the_own_course_named_by_a_word() -> None:
    # E = 2026-03-01, CE deadline 2026-05-30; the CNC on the record, completed 2025-09-10
    rec = record(ce=[CERecord(date(2025, 9, 10), D("1.9"), CEStatus.APPROVED, title="CNC", course_id="NASM-CNC")])
    answer = await said(ActionCourseCounts, rec, date(2026, 2, 9), text="does my nutrition course still count?")
    assert "Certified Nutrition Coach (NASM-CNC)" in answer, answer
    assert "Your record has Certified Nutrition Coach (NASM-CNC) completed on September 10, 2025" in answer
    # unlinked: no record to read the word against, so the catalog's near titles are offered, nothing of a record
    unlinked = await said(
        ActionCourseCounts, rec, date(2026, 2, 9), linked=False, text="does my nutrition course still count?"
    )
    assert "Did you mean Certified Nutrition Coach (NASM-CNC)?" in unlinked and "Your record" not in unlinked
    # with no word of its own ("my last course"), unlinked: the course is asked for, and the link
    vague = await said(ActionCourseCounts, rec, date(2026, 2, 9), linked=False, text="does my last course count?")
    assert vague.startswith("Which course do you mean?") and "linked" in vague


async def test_the_course_form_fills_the_course_from_an_own_title_word() -> None:
    """The question that opens the form names the course by one word of an own title: no "Which course?"."""
    from rasa_sdk.events import SlotSet

    from tests.unit.test_actions_courses import DOMAIN
    from tests.unit.test_actions_support import TRAINER, FakeUnitOfWork, make_action, run, tracker

    rec = record(ce=[CERecord(date(2025, 9, 10), D("1.9"), CEStatus.APPROVED, title="CNC", course_id="NASM-CNC")])
    for linked, expected in ((True, SlotSet("course", "NASM-CNC")), (False, None)):
        tr = tracker(linked_as=TRAINER if linked else None, text="but I finished the nutrition course in October")
        tr.active_loop = {"name": "course_form"}
        _, events = await run(make_action(ValidateCourseForm, FakeUnitOfWork([rec]), date(2026, 2, 9)), tr, DOMAIN)
        assert (expected in events) if expected else not any(
            isinstance(e, dict) and e.get("name") == "course" and e.get("value") for e in events
        ), events
