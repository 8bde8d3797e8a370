"""Reading an import file: YAML or JSON text into plain Python data, exactly.

Numbers must survive exactly (CEUs are decimals), and dates must be checked where they can be
named, so the YAML loader keeps timestamps and numbers as the text the author wrote (the schema
parses them), and JSON floats are read as ``Decimal``. Duplicate keys in a YAML mapping are an
error rather than a silent override.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode

from bot.errors import ImportFileError

# No field of the format is a YAML number or timestamp: keep them as written, so "1.9" stays exact, a
# credential number "0012345" is not read as octal, and 2026-02-30 is reported where it stands.
_KEEP_AS_TEXT = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float", "tag:yaml.org,2002:int"}


class _ImportLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates and decimals as text and refuses duplicate and non-text keys."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):  # e.g. "? " or "~:" (null) or "true:": no field is named so
                raise ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    f"found a key that is not a field name ({key!r})", key_node.start_mark,
                )
            if key in seen:
                raise ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    f"found duplicate key {key!r}", key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_ImportLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _KEEP_AS_TEXT]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_text(text: str, source: str, fmt: str | None = None) -> Any:
    """Parse ``text`` as JSON or YAML (``fmt`` "json"/"yaml", or guessed from the content)."""
    if not text.strip():
        raise ImportFileError(f"{source}: the file is empty")
    if fmt is None:
        fmt = "json" if text.lstrip().startswith(("{", "[")) else "yaml"
    if fmt == "json":
        try:
            return json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise ImportFileError(
                f"{source}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from None
    try:
        return yaml.load(text, Loader=_ImportLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ImportFileError(f"{source}: malformed YAML{where}: {problem}") from None


def read_import_file(path: Path) -> Any:
    """The parsed content of an import file; the format follows the suffix (.json, else YAML)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise ImportFileError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    fmt = "json" if suffix == ".json" else "yaml" if suffix in {".yml", ".yaml"} else None
    return parse_text(text, str(path), fmt)
