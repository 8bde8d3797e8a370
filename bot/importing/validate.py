"""Validating parsed import data, and naming the record and field of every problem.

A problem is reported as ``<path>: <message>``, the path built from the record's position and
its id, e.g. ``trainers[2] (T-1003).credentials[0].expires_on: 2026-01-01 is not after
certified_on (2026-03-01)``. All problems are collected and raised together as one
:class:`~bot.errors.ImportFileError`; nothing is written when there is any.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from bot.errors import ImportFileError
from bot.importing.schema import NO_CONTROL_CHARACTERS, ImportFile

MAX_REPORTED = 25
_LABEL_KEYS = {"trainers": "id", "courses": "id", "providers": "name"}
_TOP_LEVEL_KEYS = ("courses", "providers", "trainers")


@dataclass(frozen=True)
class Problem:
    loc: tuple[str | int, ...]
    message: str


def describe(loc: Sequence[str | int], data: Any) -> str:
    """``("trainers", 2, "credentials", 0, "expires_on")`` -> ``trainers[2] (T-1003).credentials[0].expires_on``."""
    text = ""
    node = data
    parent_key: str | int | None = None
    for part in loc:
        if part == "__root__":
            continue
        if isinstance(part, int):
            text += f"[{part}]"
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            label_key = _LABEL_KEYS.get(str(parent_key))
            if label_key and isinstance(node, dict) and _is_scalar(node.get(label_key)):
                text += f" ({node[label_key]})"
        else:
            text += f".{part}" if text else str(part)
            node = node.get(part) if isinstance(node, dict) else None
        parent_key = part
    return text or "file"


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def _value_at(loc: Sequence[str | int], data: Any) -> tuple[bool, Any]:
    node = data
    for part in loc:
        if part == "__root__":
            continue
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
        elif isinstance(part, str) and isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False, None
    return True, node


def _message(error: Mapping[str, Any], data: Any) -> str:
    message = str(error["msg"])
    kind = str(error.get("type", ""))
    if kind == "value_error.missing":
        return "field required"
    if kind == "value_error.extra":
        return "unknown field (not part of the import format)"
    if kind.startswith("type_error.enum"):
        found, value = _value_at(error["loc"], data)
        permitted = ", ".join(str(v.value) for v in error.get("ctx", {}).get("enum_values", []))
        got = f"{value!r} is not" if found else "not"
        return f"{got} one of: {permitted}" if permitted else message
    if kind == "value_error.str.regex" and error.get("ctx", {}).get("pattern") == NO_CONTROL_CHARACTERS:
        message = "must not contain control characters"
    found, value = _value_at(error["loc"], data)
    if found and _is_scalar(value) and str(value) not in message:
        shown = repr(value)
        message += f" (got {shown[:60] + '...' if len(shown) > 60 else shown})"
    return message


def format_problems(source: str, problems: Sequence[Problem], data: Any) -> str:
    lines = [f"{source}: rejected, nothing was written ({_count(len(problems))}):"]
    for problem in problems[:MAX_REPORTED]:
        lines.append(f"  {describe(problem.loc, data)}: {problem.message}")
    if len(problems) > MAX_REPORTED:
        lines.append(f"  ... and {len(problems) - MAX_REPORTED} more")
    return "\n".join(lines)


def _count(n: int) -> str:
    return "1 problem" if n == 1 else f"{n} problems"


def reject(source: str, problems: Sequence[Problem], data: Any) -> ImportFileError:
    return ImportFileError(format_problems(source, problems, data))


def parse_import(data: Any, source: str) -> ImportFile:
    """Validate parsed file content; raise :class:`ImportFileError` naming every bad field."""
    if data is None:
        raise ImportFileError(f"{source}: the file is empty")
    if not isinstance(data, dict):
        raise ImportFileError(
            f"{source}: the top level must be a mapping with {', '.join(_TOP_LEVEL_KEYS)}"
        )
    if not any(data.get(key) for key in _TOP_LEVEL_KEYS) and not set(data) - set(_TOP_LEVEL_KEYS):
        raise ImportFileError(
            f"{source}: nothing to import (no {', '.join(_TOP_LEVEL_KEYS)})"
        )
    duplicates = list(_duplicate_keys(data))
    try:
        parsed = ImportFile.parse_obj(data)
    except ValidationError as exc:
        problems = [Problem(tuple(e["loc"]), _message(e, data)) for e in exc.errors()]
        raise reject(source, sorted_problems(problems + duplicates), data) from None
    problems = duplicates + list(_cross_checks(parsed))
    if problems:
        raise reject(source, sorted_problems(problems), data)
    return parsed


def sorted_problems(problems: list[Problem]) -> list[Problem]:
    """By section and record position; within a record, in the order they were found."""

    def key(problem: Problem) -> tuple[int, int]:
        section, index = (list(problem.loc) + [None, None])[:2]
        order = _TOP_LEVEL_KEYS.index(section) if section in _TOP_LEVEL_KEYS else -1
        return order, index if isinstance(index, int) else -1

    return sorted(problems, key=key)


def _duplicate_keys(data: dict[str, Any]) -> Iterable[Problem]:
    """Repeated course ids, provider names and trainer ids, checked on the raw data."""
    for section, key, what, fold in (
        ("courses", "id", "id", False),
        ("providers", "name", "provider", True),
        ("trainers", "id", "id", False),
    ):
        items = data.get(section)
        if not isinstance(items, list):
            continue
        keys = [
            (str(item[key]).strip().casefold() if fold else str(item[key]).strip())
            if isinstance(item, dict) and _is_scalar(item.get(key))
            else None
            for item in items
        ]
        seen: dict[str, int] = {}
        for index, value in enumerate(keys):
            if value is None:
                continue
            if value in seen:
                yield Problem(
                    (section, index, key),
                    f"duplicate {what} {items[index][key]!r} (also {section}[{seen[value]}])",
                )
            else:
                seen[value] = index


def _cross_checks(doc: ImportFile) -> Iterable[Problem]:
    """What one record cannot see alone: repeated programs, applications without a credential."""
    for i, trainer in enumerate(doc.trainers):
        programs = [c.program for c in trainer.credentials]
        for j, program in _repeats(programs):
            yield Problem(
                ("trainers", i, "credentials", j, "program"),
                f"duplicate credential {program!r} for this trainer (one per program)",
            )
        for j, application in enumerate(trainer.applications):
            if application.program not in programs:
                yield Problem(
                    ("trainers", i, "applications", j, "program"),
                    f"no credential {application.program!r} for this trainer",
                )


def _repeats(keys: list[str]) -> Iterable[tuple[int, str]]:
    seen: set[str] = set()
    for index, key in enumerate(keys):
        if key in seen:
            yield index, key
        seen.add(key)
