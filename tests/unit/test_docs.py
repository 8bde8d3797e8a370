"""The documentation works from a clone: every relative link resolves inside the repository, nothing points
at ``../shared``, and the policy table of docs/rules.md says what rules/policies/nasm-cpt.yml says."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md"), ROOT / "eval" / "clinc150" / "README.md"])
POLICY = ROOT / "rules" / "policies" / "nasm-cpt.yml"
RULES_DOC = ROOT / "docs" / "rules.md"
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.MULTILINE)
_POLICY_ROW = re.compile(r"^\| `([a-z_.]+)` \| [^|]+ \| `([^`]*)` \|$", re.MULTILINE)


def anchors(path: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    return {
        re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        for heading in _HEADING.findall(path.read_text(encoding="utf-8"))
    }


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve_inside_the_repository(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    assert "../shared" not in text
    broken = []
    for target in _LINK.findall(text):
        if re.match(r"^[a-z]+:", target):
            continue  # https:, mailto: ...
        file_part, _, anchor = target.partition("#")
        path = (doc.parent / file_part).resolve() if file_part else doc
        if not path.exists() or ROOT not in (path, *path.parents):
            broken.append(target)
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(target)
    assert broken == []


def policy_value(policy: dict[str, Any], key: str) -> str:
    value: Any = policy
    for part in key.split("."):
        value = value[part]
    if isinstance(value, list):
        return ", ".join(item["name"] if isinstance(item, dict) else str(item) for item in value)
    return str(value)


def policy_keys(policy: dict[str, Any], prefix: str = "") -> set[str]:
    """Every figure of the policy file as a dotted key (lists are one figure)."""
    keys = set()
    for key, value in policy.items():
        if isinstance(value, dict):
            keys |= policy_keys(value, f"{prefix}{key}.")
        else:
            keys.add(f"{prefix}{key}")
    return keys


def test_rules_doc_policy_table_matches_the_policy_file() -> None:
    policy = yaml.safe_load(POLICY.read_text(encoding="utf-8"))
    rows = dict(_POLICY_ROW.findall(RULES_DOC.read_text(encoding="utf-8")))
    assert set(rows) == policy_keys(policy) - {"program", "name"}  # a new figure gets its row
    assert {key: policy_value(policy, key) for key in rows} == rows
