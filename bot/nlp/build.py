"""Command line: build the spaCy pipeline (the EntityRuler's patterns) from the course catalog.

    python -m bot.nlp.build [--from-store] --catalog data/catalog/sample-catalog.yml \
        --out models/spacy_en_recert [--policy FILE | --no-policy]

With ``--from-store`` the catalog is the one in the record store (``RECERT_DATABASE_URL``), so a
course imported with ``recert import`` is recognised once the pipeline is rebuilt (``recert up``
and ``recert train`` do that); ``--catalog`` is then the fallback for a store with no catalog yet.

The catalog file uses the import format of ARCHITECTURE.md: top-level ``courses`` (``id``, ``title``,
``provider``, ``ceus``) and ``providers`` (``name``, ``approved``); other keys (``trainers``) are
ignored. The policy's accepted CPR/AED providers and their aliases are recognised as providers too
(``--policy``, by default ``rules/policies/nasm-cpt.yml`` when run from the project root).

The pipeline is run-time data, not part of the trained Rasa model: nothing of the catalog is trained
into the model (no synonym table), and the actions match course and provider names against the
store's catalog when a question is asked, so an imported catalog needs no retraining.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.nlp.patterns import initials
from bot.nlp.pipeline import DEFAULT_PIPELINE_PATH, build_pipeline

logger = logging.getLogger(__name__)

DEFAULT_POLICY = Path("rules/policies/nasm-cpt.yml")


class CatalogFileError(ValueError):
    """The catalog file is missing, unreadable or not in the import format."""


@dataclass(frozen=True)
class Catalog:
    """What the pipeline needs from a catalog: plain lists."""

    courses: list[tuple[str, str]]
    providers: list[str]
    provider_aliases: dict[str, str] = field(default_factory=dict)

    @property
    def provider_names(self) -> list[str]:
        """Provider names and aliases, as the ruler should recognise them."""
        return list(dict.fromkeys([*self.providers, *self.provider_aliases]))


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogFileError(f"{path}: cannot read: {exc}") from exc


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CatalogFileError(f"{where}: expected a non-empty string, got {value!r}")
    return value.strip()


def parse_catalog(data: Any, source: str = "catalog") -> Catalog:
    """Reads ``courses`` and ``providers`` from import-format data."""
    if not isinstance(data, dict):
        raise CatalogFileError(f"{source}: expected a mapping with 'courses' and 'providers'")
    courses: list[tuple[str, str]] = []
    providers: list[str] = []
    for index, course in enumerate(data.get("courses") or []):
        where = f"{source}: courses[{index}]"
        if not isinstance(course, dict):
            raise CatalogFileError(f"{where}: expected a mapping")
        courses.append((_text(course.get("id"), f"{where}.id"), _text(course.get("title"), f"{where}.title")))
        if course.get("provider") is not None:
            providers.append(_text(course["provider"], f"{where}.provider"))
    for index, provider in enumerate(data.get("providers") or []):
        where = f"{source}: providers[{index}]"
        if not isinstance(provider, dict):
            raise CatalogFileError(f"{where}: expected a mapping")
        providers.append(_text(provider.get("name"), f"{where}.name"))
    if not courses and not providers:
        raise CatalogFileError(f"{source}: no courses and no providers")
    # A course's provider is often given by its initials ("NASM"); when a listed provider has those
    # initials, the initials are that provider (the ruler derives them from the name).
    named_initials = {initials(name) for name in providers}
    providers = [p for p in providers if p not in named_initials or _is_listed(p, data)]
    return Catalog(courses=courses, providers=list(dict.fromkeys(providers)))


def _is_listed(name: str, data: dict[str, Any]) -> bool:
    return any(isinstance(p, dict) and p.get("name") == name for p in data.get("providers") or [])


def parse_policy_providers(data: Any, source: str = "policy") -> dict[str, str]:
    """Accepted CPR/AED providers of a policy file: every name and alias -> the provider's name."""
    aliases: dict[str, str] = {}
    for index, entry in enumerate((data or {}).get("cpr_aed_accepted_providers") or []):
        name = _text(entry.get("name"), f"{source}: cpr_aed_accepted_providers[{index}].name")
        aliases[name] = name
        for alias in entry.get("aliases") or []:
            aliases[_text(alias, f"{source}: cpr_aed_accepted_providers[{index}].aliases")] = name
    return aliases


def with_policy_providers(catalog: Catalog, policy_path: Path | None) -> Catalog:
    """The catalog plus the policy's accepted CPR/AED providers and their aliases."""
    if policy_path is None:
        return catalog
    aliases = parse_policy_providers(_load_yaml(policy_path), str(policy_path))
    return Catalog(catalog.courses, catalog.providers, aliases)


def load_catalog(catalog_path: Path, policy_path: Path | None = None) -> Catalog:
    return with_policy_providers(parse_catalog(_load_yaml(catalog_path), str(catalog_path)), policy_path)


def catalog_data_from_store(database_url: str) -> dict[str, Any] | None:
    """The store's catalog in the import format, or None when the store holds none."""
    from bot.composition import uow_factory

    with uow_factory(database_url)() as uow:
        courses = uow.catalog.list_courses()
        providers = uow.catalog.list_providers()
    if not courses and not providers:
        return None
    return {
        "courses": [{"id": c.id, "title": c.title, "provider": c.provider} for c in courses],
        "providers": [{"name": p.name, "approved": p.approved} for p in providers],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.nlp.build",
        description="Build the spaCy pipeline (blank English + catalog EntityRuler) for the Rasa NLU.",
    )
    parser.add_argument("--catalog", type=Path, required=True, help="import-format YAML/JSON file")
    parser.add_argument(
        "--from-store",
        action="store_true",
        help="use the record store's catalog (RECERT_DATABASE_URL); --catalog when it has none",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_PIPELINE_PATH, help="pipeline directory")
    parser.add_argument(
        "--policy",
        type=Path,
        default=DEFAULT_POLICY if DEFAULT_POLICY.is_file() else None,
        help=f"policy file whose CPR/AED providers to add (default: {DEFAULT_POLICY} when present)",
    )
    parser.add_argument("--no-policy", action="store_true", help="do not read a policy file")
    args = parser.parse_args(argv)
    if args.no_policy:
        args.policy = None
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    try:
        stored = None
        if args.from_store:
            from bot.settings import load_settings

            stored = catalog_data_from_store(load_settings().database_url)
        if stored is not None:
            catalog = with_policy_providers(parse_catalog(stored, "record store"), args.policy)
        else:
            catalog = load_catalog(args.catalog, args.policy)
    except CatalogFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out = build_pipeline(catalog.courses, catalog.provider_names, args.out)
    source = "the record store" if stored is not None else args.catalog
    print(
        f"spaCy pipeline: {out} ({len(catalog.courses)} courses, "
        f"{len(catalog.provider_names)} provider names, from {source})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
