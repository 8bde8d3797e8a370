"""A course imported into the store is recognised by the spaCy pipeline once it is rebuilt."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import spacy

from bot.importing.service import import_file
from bot.nlp.build import main as build_main
from bot.store.unit_of_work import SqlAlchemyUnitOfWork

SAMPLE = "data/catalog/sample-catalog.yml"


def test_pipeline_follows_the_store_catalog(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    uow_factory: Callable[[], SqlAlchemyUnitOfWork],
    database_url: str,
) -> None:
    monkeypatch.setenv("RECERT_DATABASE_URL", database_url)
    out = tmp_path / "pipeline"
    message = "does kettlebell flow mastery count for my renewal?"

    # Empty store: the sample catalog file is the fallback, and it does not know the course.
    assert build_main(["--from-store", "--catalog", SAMPLE, "--out", str(out)]) == 0
    assert "course" not in {e.label_ for e in spacy.load(out)(message).ents}

    catalog = tmp_path / "catalog.yml"
    catalog.write_text(
        "courses:\n  - {id: ZZ-KB, title: Kettlebell Flow Mastery, provider: Some Studio, ceus: 0.4}\n"
        "providers:\n  - {name: Some Studio, approved: false}\n"
    )
    import_file(catalog, uow_factory)
    assert build_main(["--from-store", "--catalog", SAMPLE, "--out", str(out)]) == 0
    entities = [(e.text, e.label_) for e in spacy.load(out)(message).ents]
    assert ("kettlebell flow mastery", "course") in entities
    # The store's catalog replaced the sample file's: its courses are no longer patterns.
    assert "course" not in {e.label_ for e in spacy.load(out)("is the corrective exercise specialist ok").ents}
