"""A name written in full wins: over another entry's initials, and over the fragment the NLU cut from it.

An imported catalog can hold a provider named "NSCA" beside "National Strength and Conditioning
Association", and a course "Glute Specialist" that the model (trained on the sample catalog) only
half recognises ("Specialist"). The trainer who wrote the whole name meant that entry.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from actions.courses import ActionCourseCounts, ActionProviderApproved
from actions.matching import find_course_in_text, match_course, match_provider
from rules.model import CatalogCourse, Provider
from tests.unit.test_actions_support import (
    COURSES,
    PARTIAL,
    PROVIDERS,
    TRAINER,
    FakeUnitOfWork,
    entity,
    make_action,
    run,
    text,
    tracker,
)

GLUTE = CatalogCourse("ISSA-GLUTE", "Glute Specialist", "ISSA", D("0.3"))
IMPORTED_COURSES = [*COURSES, GLUTE]
NSCA = Provider("NSCA", True)
IMPORTED_PROVIDERS = [*PROVIDERS, NSCA, Provider("ISSA", False)]


def test_a_whole_name_beats_another_providers_initials() -> None:
    assert match_provider("NSCA", IMPORTED_PROVIDERS).found == NSCA
    assert match_provider("nsca", IMPORTED_PROVIDERS).found == NSCA
    full = match_provider("National Strength and Conditioning Association", IMPORTED_PROVIDERS).found
    assert full is not None and full.name == "National Strength and Conditioning Association"
    # without a provider of that name, the initials still find the association
    alone = match_provider("NSCA", PROVIDERS).found
    assert alone is not None and alone.name == "National Strength and Conditioning Association"


def test_a_whole_title_beats_another_courses_initials() -> None:
    gps = CatalogCourse("XYZ-9", "GPS", "ACE", D("0.5"))  # a title that is another course's initials
    golf = CatalogCourse("NASM-GOLF", "Golf Performance Specialist", "NASM", D("1.5"))
    assert match_course("GPS", [golf, gps]).found == gps
    assert match_course("GPS", [golf]).found == golf


def test_word_for_word_only_finds_a_whole_title() -> None:
    assert find_course_in_text("does the Glute Specialist count?", IMPORTED_COURSES, fuzzy=False).found == GLUTE
    assert find_course_in_text("does the Glute Specialst count?", IMPORTED_COURSES, fuzzy=False).found is None


async def ask(message: str, typed: str, cls: type = ActionCourseCounts, slot: str = "course"):  # type: ignore[no-untyped-def]
    uow = FakeUnitOfWork([PARTIAL], IMPORTED_COURSES, IMPORTED_PROVIDERS)
    action = make_action(cls, uow, date(2026, 3, 10))
    return await run(action, tracker(linked_as=TRAINER, text=message, entities=[entity(slot, typed)]))


async def test_a_title_in_the_message_settles_the_fragment_the_nlu_found() -> None:
    d, _ = await ask("does the Glute Specialist count?", "Specialist")
    said = text(d)
    assert "Glute Specialist (ISSA-GLUTE)" in said
    assert "Which one do you mean" not in said


async def test_a_fragment_without_a_whole_title_still_asks() -> None:
    for message, typed in (
        ("does the Glute Specialst count?", "Specialist"),  # misspelt: never a guess
        ("does the exercise specialist count?", "exercise specialist"),
    ):
        d, _ = await ask(message, typed)
        assert "Which one do you mean" in text(d), message


async def test_a_provider_typed_by_its_whole_name_is_answered_not_asked() -> None:
    d, _ = await ask("is NSCA approved?", "NSCA", ActionProviderApproved, "provider")
    said = text(d)
    assert "Which one do you mean" not in said
    assert said.startswith("Yes") and "NSCA" in said
