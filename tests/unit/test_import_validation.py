"""Import validation without a store: every class of bad input is refused, naming record and field."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import yaml

from bot.errors import ImportFileError
from bot.importing.reader import parse_text
from bot.importing.schema import ImportFile
from bot.importing.validate import parse_import
from rules.model import CEStatus, Plan

GOOD_YAML = """
courses:
  - {id: NASM-CES, title: Corrective Exercise Specialist, provider: NASM, ceus: 1.9}
providers:
  - {name: American Council on Exercise, approved: true}
trainers:
  - id: T-1001
    name: Dana Smith
    email: dana@example.com
    timezone: America/Chicago
    credentials:
      - {program: nasm-cpt, number: "8812345", certified_on: 2022-03-01, expires_on: 2026-03-01, plan: standard}
    cpr_aed:
      - {provider: American Red Cross, issued_on: 2025-01-10, expires_on: 2027-01-10, hands_on: true}
    ce_records:
      - {course: NASM-CES, completed_on: 2025-06-01, ceus: 1.9, status: approved}
      - {title: Kettlebell Basics, provider: Some Studio, completed_on: 2025-08-01, ceus: 0.3, status: pending_petition}
    applications:
      - {program: nasm-cpt, submitted_on: 2026-02-20, audit_selected_on: 2026-02-25, audit_documents_submitted_on: null}
  - id: T-1002
    name: Lee Park
    timezone: Europe/London
    credentials:
      - {program: nasm-cpt, expires_on: 2027-05-31, plan: lifetime}
  - id: T-1003
    name: Sam Rivera
    timezone: Pacific/Auckland
    credentials:
      - {program: nasm-cpt, certified_on: 2024-01-15, expires_on: 2026-01-15}
"""


def good() -> dict[str, Any]:
    return parse_text(GOOD_YAML, "good.yml")


def rejected(data: Any) -> str:
    with pytest.raises(ImportFileError) as info:
        parse_import(data, "file.yml")
    return str(info.value)


def test_the_good_file_parses_exactly() -> None:
    doc = parse_import(good(), "good.yml")
    assert isinstance(doc, ImportFile)
    dana = doc.trainers[0]
    assert dana.credentials[0].expires_on == date(2026, 3, 1)
    assert dana.credentials[0].plan is Plan.STANDARD
    assert dana.ce_records[0].ceus == Decimal("1.9") and type(dana.ce_records[0].ceus) is Decimal
    assert dana.ce_records[1].status is CEStatus.PENDING_PETITION
    assert doc.trainers[1].credentials[0].certified_on is None
    assert doc.courses[0].ceus == Decimal("1.9")


def test_yaml_keeps_dates_and_decimals_as_written() -> None:
    data = parse_text("a: 2026-02-30\nb: 1.9\nc: 0.30\nd: 2\ne: 0012345\nf: true\ng: null\n", "x.yml")
    assert data == {
        "a": "2026-02-30", "b": "1.9", "c": "0.30", "d": "2", "e": "0012345", "f": True, "g": None,
    }


def test_a_credential_number_with_leading_zeros_is_kept() -> None:
    data = parse_text(GOOD_YAML.replace('number: "8812345"', "number: 0012345"), "x.yml")
    assert parse_import(data, "x.yml").trainers[0].credentials[0].number == "0012345"


def test_json_numbers_are_read_as_decimals() -> None:
    data = parse_text('{"ceus": 1.9, "n": 2}', "x.json", "json")
    assert data == {"ceus": Decimal("1.9"), "n": 2} and type(data["ceus"]) is Decimal


def test_a_python_float_goes_through_its_text_not_binary() -> None:
    data = good()
    data["trainers"][0]["ce_records"][1]["ceus"] = 0.1 + 0.2  # 0.30000000000000004
    assert "at most one decimal place" in rejected(data)
    data["trainers"][0]["ce_records"][1]["ceus"] = 0.3
    assert parse_import(data, "x").trainers[0].ce_records[1].ceus == Decimal("0.3")


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            ("trainers", 2, "credentials", 0, "expires_on"),
            "2026-02-30",
            "trainers[2] (T-1003).credentials[0].expires_on: '2026-02-30' is not a real date",
        ),
        (
            ("trainers", 0, "cpr_aed", 0, "issued_on"),
            "2025-13-01",
            "trainers[0] (T-1001).cpr_aed[0].issued_on: '2025-13-01' is not a real date",
        ),
        (
            ("trainers", 0, "ce_records", 0, "completed_on"),
            "June 1st",
            "trainers[0] (T-1001).ce_records[0].completed_on: must be a date written YYYY-MM-DD",
        ),
        (
            ("trainers", 0, "ce_records", 0, "completed_on"),
            20250601,
            "trainers[0] (T-1001).ce_records[0].completed_on: must be a date written YYYY-MM-DD",
        ),
        (
            ("trainers", 0, "ce_records", 1, "ceus"),
            "-0.5",
            "trainers[0] (T-1001).ce_records[1].ceus: must not be negative",
        ),
        (
            ("trainers", 0, "ce_records", 1, "ceus"),
            "lots",
            "trainers[0] (T-1001).ce_records[1].ceus: must be a number of CEUs",
        ),
        (
            ("trainers", 0, "ce_records", 1, "ceus"),
            "0.25",
            "trainers[0] (T-1001).ce_records[1].ceus: must have at most one decimal place",
        ),
        (
            ("trainers", 0, "ce_records", 1, "ceus"),
            True,
            "trainers[0] (T-1001).ce_records[1].ceus: must be a number of CEUs",
        ),
        (
            ("trainers", 0, "ce_records", 1, "ceus"),
            "NaN",
            "trainers[0] (T-1001).ce_records[1].ceus: must be a finite number",
        ),
        (
            ("courses", 0, "ceus"),
            "-1.9",
            "courses[0] (NASM-CES).ceus: must not be negative",
        ),
        (
            ("trainers", 0, "ce_records", 1, "status"),
            "aproved",
            "trainers[0] (T-1001).ce_records[1].status: 'aproved' is not one of: approved, "
            "pending_petition, petition_denied, unapproved",
        ),
        (
            ("trainers", 1, "credentials", 0, "plan"),
            "gold",
            "trainers[1] (T-1002).credentials[0].plan: 'gold' is not one of: standard, lifetime",
        ),
        (
            ("trainers", 1, "timezone"),
            "Mars/Olympus_Mons",
            "trainers[1] (T-1002).timezone: unknown time zone 'Mars/Olympus_Mons'",
        ),
        (
            ("trainers", 1, "timezone"),
            "../../etc/passwd",
            "trainers[1] (T-1002).timezone: unknown time zone",
        ),
        (
            ("trainers", 1, "credentials", 0, "program"),
            "nasm-xyz",
            "trainers[1] (T-1002).credentials[0].program: unknown program 'nasm-xyz'",
        ),
        (
            ("trainers", 0, "credentials", 0, "expires_on"),
            "2021-03-01",
            "trainers[0] (T-1001).credentials[0].expires_on: 2021-03-01 is not after certified_on (2022-03-01)",
        ),
        (
            ("trainers", 0, "cpr_aed", 0, "expires_on"),
            "2024-01-10",
            "trainers[0] (T-1001).cpr_aed[0].expires_on: 2024-01-10 is before issued_on (2025-01-10)",
        ),
        (
            ("trainers", 0, "cpr_aed", 0, "hands_on"),
            "sometimes",
            "trainers[0] (T-1001).cpr_aed[0].hands_on: value is not a valid boolean",
        ),
        (
            ("trainers", 0, "applications", 0, "audit_selected_on"),
            "2026-02-01",
            "trainers[0] (T-1001).applications[0].audit_selected_on: 2026-02-01 is before submitted_on",
        ),
        (
            ("trainers", 0, "email"),
            "not-an-address",
            "trainers[0] (T-1001).email: is not an e-mail address",
        ),
        (
            ("trainers", 0, "id"),
            "T 1001; DROP TABLE",
            "trainers[0] (T 1001; DROP TABLE).id: string does not match regex",
        ),
        (
            ("providers", 0, "approved"),
            "perhaps",
            "providers[0] (American Council on Exercise).approved: value is not a valid boolean",
        ),
    ],
)
def test_bad_values_are_named(path: tuple[Any, ...], value: Any, expected: str) -> None:
    data = good()
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    message = rejected(data)
    assert message.startswith("file.yml: rejected, nothing was written (1 problem):")
    assert expected in message


@pytest.mark.parametrize(
    ("path", "field", "expected"),
    [
        (("trainers", 0), "name", "trainers[0] (T-1001).name: field required"),
        (("trainers", 0), "timezone", "trainers[0] (T-1001).timezone: field required"),
        (("trainers", 0), "id", "trainers[0].id: field required"),
        (("trainers", 2, "credentials", 0), "expires_on", "trainers[2] (T-1003).credentials[0].expires_on: field required"),
        (("trainers", 0, "cpr_aed", 0), "hands_on", "trainers[0] (T-1001).cpr_aed[0].hands_on: field required"),
        (("trainers", 0, "ce_records", 0), "status", "trainers[0] (T-1001).ce_records[0].status: field required"),
        (("trainers", 0, "ce_records", 0), "completed_on", "trainers[0] (T-1001).ce_records[0].completed_on: field required"),
        (("courses", 0), "ceus", "courses[0] (NASM-CES).ceus: field required"),
        (
            ("trainers", 0, "ce_records", 1),
            "provider",
            "trainers[0] (T-1001).ce_records[1]: give course (a catalog id), or title, provider and ceus (missing: provider)",
        ),
    ],
)
def test_missing_required_fields_are_named(path: tuple[Any, ...], field: str, expected: str) -> None:
    data = good()
    node = data
    for part in path:
        node = node[part]
    del node[field]
    assert expected in rejected(data)


def test_a_catalog_course_needs_no_title_or_ceus_but_a_free_course_does() -> None:
    data = good()
    record = data["trainers"][0]["ce_records"][1]
    del record["ceus"], record["title"]
    assert "(missing: title, ceus)" in rejected(data)


def test_unknown_fields_are_refused() -> None:
    data = good()
    data["trainers"][0]["credentials"][0]["expires"] = "2026-03-01"
    assert (
        "trainers[0] (T-1001).credentials[0].expires: unknown field (not part of the import format)"
        in rejected(data)
    )
    data = good()
    data["trainer"] = []
    assert "trainer: unknown field" in rejected(data)


@pytest.mark.parametrize(
    ("section", "index", "key", "value", "expected"),
    [
        ("trainers", 2, "id", "T-1001", "trainers[2] (T-1001).id: duplicate id 'T-1001' (also trainers[0])"),
        ("courses", None, "id", "NASM-CES", "courses[1] (NASM-CES).id: duplicate id 'NASM-CES' (also courses[0])"),
        (
            "providers",
            None,
            "name",
            "american council on exercise",
            "providers[1] (american council on exercise).name: duplicate provider",
        ),
    ],
)
def test_duplicate_ids_in_the_file(
    section: str, index: int | None, key: str, value: str, expected: str
) -> None:
    data = good()
    if index is None:
        copy_of_first = copy.deepcopy(data[section][0])
        copy_of_first[key] = value
        data[section].append(copy_of_first)
    else:
        data[section][index][key] = value
    assert expected in rejected(data)


def test_duplicate_trainer_ids_are_reported_with_other_problems() -> None:
    data = good()
    data["trainers"][2]["id"] = "T-1001"
    data["trainers"][1]["timezone"] = "Nowhere/Special"
    message = rejected(data)
    assert "(2 problems)" in message
    assert message.index("trainers[1] (T-1002).timezone") < message.index("trainers[2] (T-1001).id")


def test_two_credentials_for_one_program() -> None:
    data = good()
    data["trainers"][0]["credentials"].append({"program": "nasm-cpt", "expires_on": "2028-03-01"})
    assert "trainers[0] (T-1001).credentials[1].program: duplicate credential 'nasm-cpt'" in rejected(data)


def test_an_application_needs_the_credential() -> None:
    data = good()
    data["trainers"][1]["applications"] = [{"program": "nasm-cpt-other", "submitted_on": "2026-01-01"}]
    data["trainers"][1]["credentials"][0]["program"] = "nasm-cpt"
    assert "trainers[1] (T-1002).applications[0].program: no credential 'nasm-cpt-other'" in rejected(data)


def test_audit_documents_need_an_audit() -> None:
    data = good()
    application = data["trainers"][0]["applications"][0]
    application["audit_selected_on"] = None
    application["audit_documents_submitted_on"] = "2026-03-01"
    assert "applications[0].audit_documents_submitted_on: given, but the application has no audit_selected_on" in rejected(data)


def test_every_problem_is_listed_up_to_a_limit() -> None:
    data = good()
    data["trainers"] = [
        {"id": f"T-{n}", "name": "x", "timezone": "Nowhere"} for n in range(40)
    ]
    message = rejected(data)
    assert "(40 problems)" in message
    assert "... and 15 more" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "file.yml: the file is empty"),
        ("   \n# only a comment\n", "file.yml: the file is empty"),
        ("trainers: [\n  {id: T-1\n", "file.yml: malformed YAML at line"),
        ("trainers:\n  - id: T-1\n    id: T-2\n", "found duplicate key 'id'"),
        ("- just\n- a list\n", "the top level must be a mapping"),
        ("courses: []\ntrainers:\n", "nothing to import"),
        ("just text", "the top level must be a mapping"),
    ],
)
def test_unreadable_files(text: str, expected: str) -> None:
    with pytest.raises(ImportFileError) as info:
        parse_import(parse_text(text, "file.yml", "yaml"), "file.yml")
    assert expected in str(info.value)


def test_malformed_json_names_the_position() -> None:
    with pytest.raises(ImportFileError, match=r"malformed JSON at line 1, column \d+"):
        parse_text('{"trainers": [}', "file.json", "json")


def test_json_and_yaml_give_the_same_document() -> None:
    from_yaml = parse_import(good(), "good.yml")
    as_json = json.dumps(yaml.safe_load(GOOD_YAML), default=str)
    from_json = parse_import(parse_text(as_json, "good.json", "json"), "good.json")
    assert from_json == from_yaml
