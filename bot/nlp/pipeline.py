"""Builds and saves the spaCy pipeline: ``spacy.blank("en")`` plus a catalog-driven EntityRuler."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import spacy
from spacy.language import Language

from bot.nlp.patterns import ruler_patterns

logger = logging.getLogger(__name__)

DEFAULT_PIPELINE_PATH = Path("models/spacy_en_recert")
PIPELINE_NAME = "spacy_en_recert"


def make_nlp(courses: Sequence[tuple[str, str]], providers: Sequence[str]) -> Language:
    """A blank English pipeline whose EntityRuler knows these courses and providers.

    Args:
        courses: ``(id, title)`` pairs from the approved-course catalog.
        providers: provider names, as trainers would write them in full.
    """
    nlp = spacy.blank("en")

    def tokenize(text: str) -> list[str]:
        return [token.text for token in nlp.tokenizer(text)]

    ruler = nlp.add_pipe("entity_ruler", config={"validate": True, "overwrite_ents": True})
    ruler.add_patterns(ruler_patterns(courses, providers, tokenize))  # type: ignore[attr-defined]
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = (
        "Blank English tokenizer with an EntityRuler for course, provider, credential, date and "
        "ceu_amount, generated from the course catalog by bot.nlp.build."
    )
    return nlp


def build_pipeline(
    courses: Sequence[tuple[str, str]],
    providers: Sequence[str],
    output_dir: Path,
) -> Path:
    """Creates the pipeline and saves it to ``output_dir``, replacing what was there.

    The new pipeline is written to a scratch directory beside the target and then moved into
    place, so a reader never sees a half-written directory and two builds at once do not collide.
    This is the one place the pipeline directory is swapped (``recert up`` builds through it).

    Returns:
        The directory the pipeline was saved to.
    """
    output_dir = Path(output_dir)
    nlp = make_nlp(courses, providers)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}-", dir=output_dir.parent))
    try:
        nlp.to_disk(scratch / "new")
        if output_dir.exists():
            os.replace(output_dir, scratch / "old")
        os.replace(scratch / "new", output_dir)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    logger.info(
        "Saved spaCy pipeline with %d patterns to %s",
        len(nlp.get_pipe("entity_ruler").patterns),  # type: ignore[attr-defined]
        output_dir,
    )
    return output_dir
