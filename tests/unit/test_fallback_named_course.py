"""A course question just under the threshold, about a course of an imported catalog, is answered.

The model never saw an imported catalog's titles, so "can i use aquatik strenght coach for my
recert" may rank the course question first yet below the fallback threshold. The misunderstanding
handler answers it as the course action would when the message names a catalog course; an
unsure message naming no course, or whose best guess is not a course question, stays a
misunderstanding.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

from actions.fallback import SORRY, ActionHandleMisunderstanding
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
    tracker,
)

AQUATIC = CatalogCourse("XYZ-210", "Aquatic Strength Coach", "Peak Performance Academy", D("0.8"))
IMPORTED = [*COURSES, AQUATIC]
IMPORTED_PROVIDERS = [*PROVIDERS, Provider("Peak Performance Academy", True)]


def unsure(text: str, best: str, entities: list[dict[str, Any]] | None = None) -> Any:
    t = tracker(linked_as=TRAINER, text=text, entities=entities or [])
    t.latest_message["intent"] = {"name": "nlu_fallback", "confidence": 0.7}
    t.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.7},
        {"name": best, "confidence": 0.48},
        {"name": "ask_provider_approved", "confidence": 0.16},
    ]
    return t


async def said(t: Any) -> tuple[str, list[Any]]:
    action = make_action(ActionHandleMisunderstanding, FakeUnitOfWork([PARTIAL], IMPORTED, IMPORTED_PROVIDERS),
                         date(2026, 11, 30))
    dispatcher, events = await run(action, t)
    return " ".join(m.get("text") or "" for m in dispatcher.messages), events


async def test_a_misspelt_imported_course_is_answered_about_that_course() -> None:
    text, events = await said(unsure("can i use aquatik strenght coach for my recert", "ask_course_counts",
                                     [entity("provider", "strenght")]))
    assert "Aquatic Strength Coach (XYZ-210)" in text and "Peak Performance Academy" in text
    assert SORRY not in text
    assert {"event": "slot", "timestamp": None, "name": "misunderstandings", "value": 0} in events


async def test_no_course_named_stays_a_misunderstanding() -> None:
    text, _ = await said(unsure("can i use my gym membership for my recert", "ask_course_counts"))
    assert text.startswith(SORRY)


async def test_another_best_guess_stays_a_misunderstanding() -> None:
    text, _ = await said(unsure("aquatik strenght coach weather tomorrow", "out_of_scope"))
    assert text.startswith(SORRY)
