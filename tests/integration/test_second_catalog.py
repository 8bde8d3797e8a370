"""A second certifying body's catalog imported into a SQLite store: action_course_counts finds its
courses by title, id, initials and misspelling, with no NLU model involved (nothing to retrain).

The catalog is the fixture ``tests/fixtures/catalogs/second-body.yml``: other ids than the sample,
two of its titles, new titles. The tracker is built with ``Tracker.from_dict`` and the answer
collected by a real ``CollectingDispatcher``; the entity value is the trainer's words.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.courses import ActionCourseCounts, ActionProviderApproved, CatalogMixin
from bot.importing.service import import_file
from bot.store.unit_of_work import SqlAlchemyUnitOfWork
from tests.unit.test_actions_support import run, settings, text, tracker

SECOND = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs" / "second-body.yml"
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "catalog" / "sample-catalog.yml"
TODAY = date(2026, 3, 10)
UowFactory = Callable[[], SqlAlchemyUnitOfWork]


def _course_entity(message: str, typed: str) -> dict[str, Any]:
    start = message.index(typed)
    return {"entity": "course", "value": typed, "start": start, "end": start + len(typed), "extractor": "DIETClassifier"}


async def ask(
    uow_factory: UowFactory, message: str, typed: str | None, cls: type[CatalogMixin] = ActionCourseCounts
) -> tuple[CollectingDispatcher, list[dict[str, Any]]]:
    action = cls(uow_factory=uow_factory, settings=settings(TODAY))
    entities = [_course_entity(message, typed)] if typed else []
    return await run(action, tracker(text=message, intent="ask_course_counts", entities=entities))


@pytest.fixture
def second_store(uow_factory: UowFactory) -> UowFactory:
    import_file(SECOND, uow_factory)
    return uow_factory


@pytest.mark.parametrize(
    "message, typed, expected",
    [
        ("does the Aquatic Strength Coach count?", "Aquatic Strength Coach",  # by title, new to the sample
         "Yes: Aquatic Strength Coach (XYZ-210) from Peak Performance Academy is NASM-approved and gives 0.8 CEU."),
        ("will xyz-410 count for me", "xyz-410",  # by id
         "Yes: Kettlebell Sport Instructor (XYZ-410) from Coastal Movement Institute is NASM-approved and gives 0.5 CEU."),
        ("can I use my CES?", "CES",  # by the title's initials; the sample's title under another id
         "Yes: Corrective Exercise Specialist (XYZ-101) from Peak Performance Academy is NASM-approved and gives 1.2 CEUs."),
        ("does the NASM-CES count", "NASM-CES",  # the sample's id: the same course in this catalog
         "Yes: Corrective Exercise Specialist (XYZ-101) from Peak Performance Academy"),
        ("is prenatel and postnatel fitness ok", "prenatel and postnatel fitness",  # misspelt
         "Yes: Prenatal and Postnatal Fitness Specialist (XYZ-305) from Coastal Movement Institute"),
        ("would the aquatik strenght coach course count?", None,  # no entity: found in the message
         "Yes: Aquatic Strength Coach (XYZ-210)"),
    ],
)
async def test_courses_of_the_imported_catalog(second_store: UowFactory, message: str, typed: str | None, expected: str) -> None:
    d, _ = await ask(second_store, message, typed)
    assert text(d).startswith(expected)


async def test_a_sample_only_course_is_not_invented(second_store: UowFactory) -> None:
    d, _ = await ask(second_store, "does the Performance Enhancement Specialist count", "Performance Enhancement Specialist")
    said = text(d)
    assert said.startswith('I can\'t find "Performance Enhancement Specialist"')
    assert "NASM-PES" not in said


async def test_provider_of_the_imported_catalog(second_store: UowFactory) -> None:
    action = ActionProviderApproved(uow_factory=second_store, settings=settings(TODAY))
    message = "is Coastal Movement Institute approved?"
    d, _ = await run(action, tracker(text=message, intent="ask_provider_approved"))
    assert text(d).startswith("Yes: Coastal Movement Institute is an NASM-approved continuing-education provider")


async def test_both_catalogs_imported_a_shared_title_is_asked_about(uow_factory: UowFactory) -> None:
    import_file(SAMPLE, uow_factory)
    import_file(SECOND, uow_factory)
    d, _ = await ask(uow_factory, "does the Corrective Exercise Specialist count?", "Corrective Exercise Specialist")
    assert text(d) == 'Several approved courses match "Corrective Exercise Specialist". Which one do you mean?'
    assert {b["payload"] for b in d.messages[0]["buttons"]} == {
        '/inform{"course":"NASM-CES"}', '/inform{"course":"XYZ-101"}',
    }
    d, _ = await ask(uow_factory, "and XYZ-101?", "XYZ-101")
    assert text(d).startswith("Yes: Corrective Exercise Specialist (XYZ-101)")
