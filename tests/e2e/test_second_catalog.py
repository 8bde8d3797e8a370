"""A second certifying body's catalog, imported into the running stack, is recognised without retraining.

The stack runs with the model trained on the sample catalog's training data. The fixture catalog
(``tests/fixtures/catalogs/second-body.yml``) has other ids, two of the sample's titles and new ones.
It is imported while the stack is up: no retraining, no restart. The actions match what the trainer
typed against the store's catalog at run time, so the new courses are found by title, id and initials.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.e2e.conftest import Stack
from tests.e2e.test_stack_chat import replies

pytestmark = pytest.mark.slow

SECOND = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs" / "second-body.yml"


def course(course_id: str) -> dict:
    data = yaml.safe_load(SECOND.read_text(encoding="utf-8"))
    return next(c for c in data["courses"] if c["id"] == course_id)


@pytest.fixture(scope="module")
def second_catalog(stack: Stack) -> Stack:
    imported = stack.recert("import", str(SECOND))
    assert imported.returncode == 0, imported.stderr
    return stack


def test_imported_course_is_recognised_by_title_id_and_misspelling(second_catalog: Stack) -> None:
    aquatic, kettlebell = course("XYZ-210"), course("XYZ-410")
    questions = [
        "would the Aquatic Strength Coach course count toward my CEUs?",
        "can i use aquatik strenght coach for my recert",
        "does XYZ-410 count for renewal?",
    ]
    chat = second_catalog.recert("chat", stdin="\n".join(questions) + "\n")
    assert chat.returncode == 0, chat.stderr
    said = replies(chat.stdout)
    for question, expected in zip(questions, (aquatic, aquatic, kettlebell), strict=False):
        answer = said[question]
        assert f"{expected['title']} ({expected['id']})" in answer, answer
        assert expected["provider"] in answer, answer
        assert "can't find" not in answer


def test_a_title_both_catalogs_hold_asks_which_one(second_catalog: Stack) -> None:
    chat = second_catalog.recert("chat", stdin="would the corrective exercise specialist count toward recertification?\n")
    assert chat.returncode == 0, chat.stderr
    answer = next(iter(replies(chat.stdout).values()))
    assert "Which one do you mean" in answer, answer


def test_cpr_class_from_an_unknown_provider_gets_the_cpr_rules(stack: Stack) -> None:
    question = "will my CPR/AED course from Bob's Safety School count?"
    chat = stack.recert("chat", stdin=question + "\n")
    assert chat.returncode == 0, chat.stderr
    answer = replies(chat.stdout)[question]
    assert "member services" in answer, answer
    assert "$25" not in answer and "petition it" not in answer
