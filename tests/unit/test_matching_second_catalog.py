"""Matching against a catalog that is not the sample: other ids, some of the same titles, new titles.

Nothing in the matcher knows a catalog; these tests load the fixture catalog of a second certifying
body (``tests/fixtures/catalogs/second-body.yml``) and check names as trainers type them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from actions.matching import (
    find_course_in_text,
    find_provider_in_text,
    match_course,
    match_provider,
    title_initials,
)
from rules.model import CatalogCourse, Provider
from tests.unit.test_actions_support import COURSES as SAMPLE_COURSES

SECOND = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs" / "second-body.yml"
_DATA = yaml.safe_load(SECOND.read_text(encoding="utf-8"))
COURSES = [CatalogCourse(c["id"], c["title"], c["provider"], Decimal(str(c["ceus"]))) for c in _DATA["courses"]]
PROVIDERS = [Provider(p["name"], p["approved"]) for p in _DATA["providers"]]


def test_the_fixture_shares_titles_but_no_ids_with_the_sample() -> None:
    sample = Path(__file__).resolve().parents[2] / "data" / "catalog" / "sample-catalog.yml"
    sample_courses = yaml.safe_load(sample.read_text(encoding="utf-8"))["courses"]
    assert not {c.id for c in COURSES} & {c["id"] for c in sample_courses}
    shared = {c.title for c in COURSES} & {c["title"] for c in sample_courses}
    assert shared and shared != {c.title for c in COURSES}


@pytest.mark.parametrize(
    "typed, course_id",
    [
        ("Aquatic Strength Coach", "XYZ-210"),  # a title the sample does not have
        ("aquatic strength", "XYZ-210"),
        ("aquatik strenght coach", "XYZ-210"),  # misspelt
        ("XYZ-210", "XYZ-210"),  # the id, as written and as trainers mangle it
        ("xyz 210", "XYZ-210"),
        ("xyz210", "XYZ-210"),
        ("Corrective Exercise Specialist", "XYZ-101"),  # a sample title under another id
        ("CES", "XYZ-101"),  # the title's initials
        ("ces", "XYZ-101"),
        ("NASM-CES", "XYZ-101"),  # the sample's id names the same course here
        ("PPFS", "XYZ-305"),
        ("prenatal and postnatal", "XYZ-305"),
        ("kettlebel sport instructer", "XYZ-410"),
    ],
)
def test_courses_by_title_id_initials_and_misspelling(typed: str, course_id: str) -> None:
    match = match_course(typed, COURSES)
    assert match.found is not None and match.found.id == course_id


@pytest.mark.parametrize("typed", ["NASM-PES", "Performance Enhancement Specialist", "yoga flow", "XYZ-999", "CE", ""])
def test_sample_only_courses_and_unknown_names_are_not_found(typed: str) -> None:
    match = match_course(typed, COURSES)
    assert match.found is None and not match.ambiguous


def test_a_generic_word_is_ambiguous_not_a_guess() -> None:
    match = match_course("coach", COURSES)
    assert match.ambiguous
    assert {c.id for c in match.candidates} == {"XYZ-102", "XYZ-210"}


def test_both_catalogs_in_one_store_make_a_shared_title_ambiguous() -> None:
    both = SAMPLE_COURSES + COURSES
    match = match_course("Corrective Exercise Specialist", both)
    assert match.ambiguous
    assert {c.id for c in match.candidates} == {"NASM-CES", "XYZ-101"}
    assert match_course("XYZ-101", both).found == COURSES[0]
    assert match_course("Aquatic Strength Coach", both).found.id == "XYZ-210"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "message, course_id",
    [
        ("would the aquatic strength coach course count?", "XYZ-210"),
        ("does my CES count for renewal", "XYZ-101"),
        ("is xyz-305 approved", "XYZ-305"),
        ("can i use aquatik strenght coach for my recert", "XYZ-210"),
        ("finished the Kettlebell Sport Instructor last week, ok?", "XYZ-410"),
        ("i did the prenatal and postnatal fitness thing", "XYZ-305"),
    ],
)
def test_a_course_is_found_inside_a_whole_message(message: str, course_id: str) -> None:
    match = find_course_in_text(message, COURSES)
    assert match.found is not None and match.found.id == course_id


@pytest.mark.parametrize(
    "message",
    [
        "does my course count?",
        "can I get CEUs for yoga",
        "does Coach count",  # one word inside a sentence is not a title
        "yes ces are continuing education",  # initials count only as written, in capitals
        "",
    ],
)
def test_nothing_is_found_in_messages_that_name_no_course(message: str) -> None:
    assert match_course(message, []).found is None
    assert find_course_in_text(message, COURSES).found is None


@pytest.mark.parametrize(
    "typed, name",
    [
        ("Peak Performance Academy", "Peak Performance Academy"),
        ("PPA", "Peak Performance Academy"),
        ("peak performance", "Peak Performance Academy"),
        ("coastal movement institue", "Coastal Movement Institute"),
        ("CMI", "Coastal Movement Institute"),
        ("Lakeside Wellness", "Lakeside Wellness Collective"),
    ],
)
def test_providers_by_name_initials_and_misspelling(typed: str, name: str) -> None:
    match = match_provider(typed, PROVIDERS)
    assert match.found is not None and match.found.name == name


def test_providers_inside_a_whole_message() -> None:
    assert find_provider_in_text("is coastal movment institute approved?", PROVIDERS).found == PROVIDERS[1]
    assert find_provider_in_text("is PPA approved", PROVIDERS).found == PROVIDERS[0]
    assert find_provider_in_text("is the red cross approved", PROVIDERS).found is None


def test_title_initials() -> None:
    assert title_initials("Corrective Exercise Specialist") == "CES"
    assert title_initials("Prenatal and Postnatal Fitness Specialist") == "PPFS"
    assert title_initials("Kettlebell Basics") == ""  # two words: too short to be a name
