"""The NLU and dialogue data stay consistent: enough examples, a clean held-out set, FAQ answers
that hold no figures of their own, and every intent wired to an action."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NLU_DIR = ROOT / "data" / "nlu"
HELDOUT_DIR = ROOT / "tests" / "nlu_heldout"
CLINC = ROOT / "eval" / "clinc150" / "train_val.json"

MIN_EXAMPLES = 15
MIN_HELDOUT = 150
# The placeholders action_answer_faq fills from the policy (actions/faq.py, faq_values).
PLACEHOLDERS = {
    "renewal_fee", "lifetime_renewal_fee", "late_fee_first", "late_fee_second", "petition_fee",
    "ceus_required", "cpr_aed_ceus", "ce_cap", "ce_grace_days", "audit_days", "cycle_years",
    "restore_after_years", "restore_period", "hours_per_ceu", "ceus_per_hour",
}
MONEY_PLACEHOLDERS = {"renewal_fee", "lifetime_renewal_fee", "late_fee_first", "late_fee_second", "petition_fee"}
MONEY_NOTE = re.compile(r"These follow NASM's published fees; please confirm the amounts? in the NASM portal\.$")
CUSTOM_ACTIONS = {
    "action_am_i_late", "action_expiration_date", "action_ceus_remaining", "action_course_counts",
    "action_provider_approved", "action_late_fee", "action_can_renew", "action_audit", "action_petition_status",
    "action_renewal_steps", "action_what_if", "action_answer_faq", "action_handoff",
    "action_handle_misunderstanding", "validate_course_form", "action_send_reminder",
}
REQUIRED_FAQ_KEYS = {
    "petition", "miss_deadline", "need_cpr", "online_cpr", "bls_extra_ceus", "ceus_roll_over",
    "college_courses", "renew_all_certificates", "nasm_courses_upload", "when_submit_course",
    "what_is_ceu", "certify_for_life", "link_account",
    "ceu_hours", "how_often", "certified_after_expiry", "audit_documents", "find_providers",
}
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def plain(example: str) -> str:
    """An example without entity annotations, lower-cased, punctuation and spacing evened out."""
    text = _ANNOTATION.sub(r"\1", example).casefold()
    text = re.sub(r"[^\w\s'/.-]", " ", text)
    return " ".join(text.replace("?", " ").split()).strip(" .")


def examples_by_intent(paths: list[Path]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in paths:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in item:
                lines = [line.strip() for line in item["examples"].splitlines() if line.strip()]
                found.setdefault(item["intent"], []).extend(line[2:] for line in lines)
    return found


@pytest.fixture(scope="module")
def training() -> dict[str, list[str]]:
    return examples_by_intent(sorted(NLU_DIR.glob("*.yml")))


@pytest.fixture(scope="module")
def heldout() -> dict[str, list[str]]:
    return examples_by_intent(sorted(HELDOUT_DIR.glob("*.yml")))


@pytest.fixture(scope="module")
def domain() -> dict:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_every_intent_has_enough_training_examples(training) -> None:
    short = {intent: len(examples) for intent, examples in training.items() if len(examples) < MIN_EXAMPLES}
    assert not short


def test_required_faq_keys_exist(training) -> None:
    keys = {intent.split("/", 1)[1] for intent in training if intent.startswith("faq/")}
    assert REQUIRED_FAQ_KEYS <= keys


def test_no_example_is_labelled_twice(training) -> None:
    owners: dict[str, set[str]] = {}
    for intent, examples in training.items():
        for example in examples:
            owners.setdefault(plain(example), set()).add(intent)
    assert {text: sorted(i) for text, i in owners.items() if len(i) > 1} == {}


def test_heldout_is_large_enough_and_covers_every_intent(training, heldout) -> None:
    assert sum(len(v) for v in heldout.values()) >= MIN_HELDOUT
    base = lambda intent: intent.split("/", 1)[0]  # noqa: E731
    assert {base(i) for i in training} == {base(i) for i in heldout}


def test_heldout_never_repeats_a_training_example(training, heldout) -> None:
    trained = {plain(e) for examples in training.values() for e in examples}
    repeated = [e for examples in heldout.values() for e in examples if plain(e) in trained]
    assert repeated == []


def test_heldout_has_no_internal_duplicates(heldout) -> None:
    counts = Counter(plain(e) for examples in heldout.values() for e in examples)
    assert [text for text, n in counts.items() if n > 1] == []


def test_every_intent_is_in_the_domain(training, domain) -> None:
    listed = set(domain["intents"])
    assert {intent.split("/", 1)[0] for intent in training} <= listed
    assert "EXTERNAL_reminder" in listed


def test_faq_keys_and_answers_match(training, domain) -> None:
    keys = {intent.split("/", 1)[1] for intent in training if intent.startswith("faq/")}
    answers = {name.split("/", 1)[1] for name in domain["responses"] if name.startswith("utter_faq/")}
    assert keys == answers


def faq_texts(domain: dict) -> dict[str, str]:
    return {
        name: variant["text"]
        for name, variants in domain["responses"].items()
        if name.startswith("utter_faq/")
        for variant in variants
    }


def test_faq_answers_hold_no_figures_only_policy_placeholders(domain) -> None:
    for name, text in faq_texts(domain).items():
        used = set(re.findall(r"\{(\w+)\}", text))
        assert used <= PLACEHOLDERS, (name, used - PLACEHOLDERS)
        without_placeholders = re.sub(r"\{\w+\}", "", text)
        assert not re.search(r"[\d$€£%]", without_placeholders), (name, "write figures as placeholders")
        assert not re.search(
            r"\b(one|two|three|four|five|six|seven|eight|nine|ten|thirty|ninety|twice|once a year)\b",
            without_placeholders,
            re.I,
        ), (name, "write figures as placeholders")


def test_money_answers_end_with_the_portal_note(domain) -> None:
    for name, text in faq_texts(domain).items():
        if set(re.findall(r"\{(\w+)\}", text)) & MONEY_PLACEHOLDERS:
            assert MONEY_NOTE.search(text.strip()), name


def test_no_response_writes_a_figure(domain) -> None:
    for name, variants in domain["responses"].items():
        for variant in variants:
            assert not re.search(r"\d|\$", re.sub(r"\{\w+\}", "", variant.get("text", ""))), name


def test_custom_actions_are_declared(domain) -> None:
    assert CUSTOM_ACTIONS <= set(domain["actions"])


def test_slots_and_entities(domain) -> None:
    assert set(domain["entities"]) == {"course", "provider", "credential", "date", "ceu_amount"}
    slots = domain["slots"]
    assert {"course", "provider", "credential", "date", "ceu_amount", "misunderstandings"} <= set(slots)
    assert all(not slots[name]["influence_conversation"] for name in ("course", "provider", "credential", "date", "ceu_amount"))
    assert domain["forms"]["course_form"]["required_slots"] == ["course"]


def test_every_intent_has_a_rule(domain) -> None:
    rules = [rule for path in sorted((ROOT / "data").glob("rules*.yml"))
             for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]]
    ruled: set[str] = set()
    for rule in rules:
        for step in rule["steps"]:
            if "intent" in step:
                ruled.add(step["intent"])
            for alternative in step.get("or", []):
                ruled.add(alternative.get("intent"))
    assert set(domain["intents"]) - ruled == set()


def test_conversation_tests_cover_every_intent_and_faq_key(domain) -> None:
    seen: set[str] = set()
    for path in sorted((ROOT / "tests" / "conversations").glob("*.yml")):
        for story in yaml.safe_load(path.read_text(encoding="utf-8"))["stories"]:
            seen |= {step["intent"] for step in story["steps"] if "intent" in step}
    assert {i for i in domain["intents"] if i != "faq"} <= seen
    assert {f"faq/{key}" for key in REQUIRED_FAQ_KEYS} <= seen


def test_out_of_scope_sample_is_reproducible(tmp_path: Path) -> None:
    out = NLU_DIR / "out_of_scope.yml"
    copy = tmp_path / "nlu" / "out_of_scope.yml"
    copy.parent.mkdir()
    for path in NLU_DIR.glob("*.yml"):  # the script skips texts found in the other NLU files
        if path.name != out.name:
            (copy.parent / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_out_of_scope.py"), "--clinc", str(CLINC), "--out", str(copy)],
        check=True,
        capture_output=True,
    )
    assert copy.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_out_of_scope_sample_never_uses_the_validation_split() -> None:
    data = json.loads(CLINC.read_text(encoding="utf-8"))
    validation = {text.casefold() for text, _ in data["val"]} | {text.casefold() for text, _ in data["oos_val"]}
    sampled = examples_by_intent([NLU_DIR / "out_of_scope.yml"])["out_of_scope"]
    assert [text for text in sampled if text.casefold() in validation] == []
