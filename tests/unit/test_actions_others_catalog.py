"""A course or provider named in capitals is never taken for another trainer (item 4).

actions/others.py reads a capitalised name before a record predicate ("does Lakeside Wellness have ...",
"what about Coastal Movement?") as a person, and its word list knew only the sample catalog's words. The
names of the store's own catalog (course titles and ids, provider names and initials) and of the policy
are now never a person. The catalog here is the second certifying body's (tests/fixtures/catalogs/
second-body.yml, as tests/integration/test_second_catalog.py imports it), not the sample one.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

from actions.courses import ActionCourseCounts, ActionProviderApproved
from actions.fallback import ActionHandleMisunderstanding
from actions.others import names_someone_else, not_people
from actions.status import ActionExpirationDate
from rules.model import CatalogCourse, Provider
from rules.policy import load_policy
from tests.unit.test_actions_support import COMPLETE, TRAINER, FakeUnitOfWork, make_action, run, text, tracker

SECOND = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs" / "second-body.yml"
TODAY = date(2026, 2, 9)
ONLY_OWN = "I can only discuss your own record"


def second_catalog() -> tuple[list[CatalogCourse], list[Provider]]:
    data = yaml.safe_load(SECOND.read_text(encoding="utf-8"))
    courses = [CatalogCourse(c["id"], c["title"], c["provider"], Decimal(str(c["ceus"]))) for c in data["courses"]]
    providers = [Provider(p["name"], bool(p["approved"])) for p in data["providers"]]
    return courses, providers


def second_uow() -> FakeUnitOfWork:
    courses, providers = second_catalog()
    return FakeUnitOfWork([COMPLETE], courses=courses, providers=providers)


# Capitalised course and provider names of the second catalog (none of them in the sample catalog nor in
# the training data), where a person's name would stand: before a record predicate, after "what about".
CATALOG_QUESTIONS = (
    "what about Coastal Movement?",
    "what about Lakeside Wellness?",
    "does Lakeside Wellness have approved courses?",
    "has Lakeside Wellness got anything for CEUs",
    "is Coastal Movement Institute approved?",
    "what about Aquatic Strength?",
    "does Aquatic Strength Coach count?",
    "what about Kettlebell Sport?",
    "what about XYZ-410?",
    "what about NASM-CES?",
    "is Precision Nutrition approved?",
    "does Kettlebell Strength count?",
)


def test_catalog_and_policy_names_are_not_people() -> None:
    courses, providers = second_catalog()
    known = not_people(courses, providers, load_policy())
    for message in CATALOG_QUESTIONS:
        assert names_someone_else(message, TRAINER, "Dana Smith", known) is None, message
    # without the catalog, the first of them read as a person: what the catalog now prevents
    assert names_someone_else("what about Lakeside Wellness?") == "Lakeside Wellness"
    assert names_someone_else("does Lakeside Wellness have approved courses?") == "Lakeside Wellness"
    # the policy's names: the credential and an accepted CPR/AED provider
    for message in ("what about American Heart?", "does Certified Personal Trainer have a late fee"):
        assert names_someone_else(message, known=known) is None, message


def test_people_are_still_people_beside_catalog_words() -> None:
    courses, providers = second_catalog()
    known = not_people(courses, providers, load_policy())
    assert names_someone_else("what about Maria Lakeside?", known=known) == "Maria Lakeside"
    assert names_someone_else("does Marcus Johnson have his CEUs?", known=known) is not None
    assert names_someone_else("when does Marcus Johnson expire?", known=known) == "Marcus Johnson"
    assert names_someone_else("what about t-1002", known=known) == "t-1002"
    assert names_someone_else("what about maria lopez", known=known) == "maria lopez"


async def test_the_actions_answer_the_catalog_question_instead_of_refusing_it() -> None:
    for cls, message in (
        (ActionProviderApproved, "does Lakeside Wellness have approved courses?"),
        (ActionProviderApproved, "what about Coastal Movement?"),
        (ActionCourseCounts, "what about Aquatic Strength?"),
        (ActionHandleMisunderstanding, "what about Lakeside Wellness?"),
    ):
        action = make_action(cls, second_uow(), TODAY)
        d, _ = await run(action, tracker(linked_as=TRAINER, text=message))
        assert ONLY_OWN not in text(d), (cls.__name__, message)
    # a person is still refused, with the same catalog in the store
    action = make_action(ActionExpirationDate, second_uow(), TODAY)
    d, _ = await run(action, tracker(linked_as=TRAINER, text="what about Maria Lakeside?"))
    assert ONLY_OWN in text(d)
    action = make_action(ActionProviderApproved, second_uow(), TODAY)
    d, _ = await run(action, tracker(linked_as=TRAINER, text="does Marcus Johnson have approved courses?"))
    assert ONLY_OWN in text(d)
