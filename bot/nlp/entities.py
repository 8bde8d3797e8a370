"""What the NLU hands the actions: one entity per stretch of text, credentials by program id.

The catalog match wins over DIET's guess (``resolve_overlaps``):
DIET (open vocabulary) and the spaCy EntityRuler (catalog, fixed tables) both find courses and
providers. When they disagree on a span, DIET's version is usually a fragment ("NASM-" for
"NASM-YES") and would reach the actions first, so it is dropped. DIET fragments of one label that
only whitespace separates are joined ("Advanced" + "Kettlebell Flow").

A learned course or provider is never the whole question nor a filler word (``drop_junk``): DIET
sometimes tags "and" in "and the PES?" or a whole "What about a course from ISSA?" as a course.

Credentials are named by their program id (``credential_names``). Courses and providers are not
renamed: their values stay the trainer's words (there is no synonym table of a catalog in the model).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.nlp.patterns import CREDENTIAL, CREDENTIAL_SYNONYMS

Entity = dict[str, Any]
PREFERRED_EXTRACTOR = "SpacyEntityExtractor"


def _overlaps(a: Entity, b: Entity) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _join_fragments(text: str, entities: Sequence[Entity]) -> list[Entity]:
    joined: list[Entity] = []
    for entity in sorted(entities, key=lambda e: (e["start"], e["end"])):
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous["entity"] == entity["entity"]
            and previous.get("extractor") == entity.get("extractor")
            and previous["end"] <= entity["start"]
            and not text[previous["end"] : entity["start"]].strip()
        ):
            merged = dict(previous)
            merged["end"] = entity["end"]
            merged["value"] = text[merged["start"] : merged["end"]]
            if "confidence_entity" in previous and "confidence_entity" in entity:
                merged["confidence_entity"] = min(previous["confidence_entity"], entity["confidence_entity"])
            joined[-1] = merged
        else:
            joined.append(dict(entity))
    return joined


def resolve_overlaps(
    text: str, entities: Sequence[Entity], preferred: str = PREFERRED_EXTRACTOR
) -> list[Entity]:
    """The entities with other extractors' fragments joined and those overlapping ``preferred``'s dropped.

    Entities without positions (for example from a ``/intent{...}`` payload) are kept as they are.
    """
    positioned = [e for e in entities if isinstance(e.get("start"), int) and isinstance(e.get("end"), int)]
    unpositioned = [e for e in entities if e not in positioned]
    trusted = [e for e in positioned if e.get("extractor") == preferred]
    others = [e for e in positioned if e.get("extractor") != preferred]
    kept = [e for e in _join_fragments(text, others) if not any(_overlaps(e, t) for t in trusted)]
    return unpositioned + sorted(kept + [dict(e) for e in trusted], key=lambda e: (e["start"], e["end"]))


# Words that are never a course or provider name on their own ("and", "the one", "what about").
_FILLER = frozenset(
    "a an and the one ones that this it its about what how which course courses class provider "
    "providers sorry meant i mean oh um also plus or".split()
)
# A question word or a verb of asking: a span holding one is a question, not a name.
_QUESTION = re.compile(
    r"\b(?:what|how|which|does|do|did|is|are|can|could|would|will|count|counts|approved|about)\b|\?",
    re.IGNORECASE,
)
_OPEN_LABELS = ("course", "provider")


def drop_junk(text: str, entities: Sequence[Entity], preferred: str = PREFERRED_EXTRACTOR) -> list[Entity]:
    """The entities without a learned course or provider that is only filler words, or that is a
    question: a span with a question word covering most of a message of several words."""
    kept: list[Entity] = []
    words_in_message = len(text.split())
    for entity in entities:
        learned = entity.get("entity") in _OPEN_LABELS and entity.get("extractor") != preferred
        value = str(entity.get("value") or "")
        words = [w for w in re.findall(r"[\w'-]+", value.casefold())]
        if learned and (
            not [w for w in words if w not in _FILLER]
            or (_QUESTION.search(value) and words_in_message >= 3 and len(value.split()) * 2 > words_in_message)
        ):
            continue
        kept.append(dict(entity))
    return kept


def credential_names(
    entities: Sequence[Entity], table: Mapping[str, Sequence[str]] | None = None
) -> list[Entity]:
    """Credential entities named by their program id ("CPT" -> ``NASM-CPT``); every other entity as it is.

    Only the ``credential`` label is touched, from the fixed credential table: course and provider
    entities keep the words the trainer typed, and the actions match them against the store's
    catalog at run time (``actions/matching.py``), so any imported catalog works without retraining.
    """
    by_phrase = {
        _key(phrase): program
        for program, phrases in (CREDENTIAL_SYNONYMS if table is None else table).items()
        for phrase in (program, *phrases)
    }
    named: list[Entity] = []
    for entity in entities:
        program = by_phrase.get(_key(str(entity.get("value", "")))) if entity.get("entity") == CREDENTIAL else None
        named.append({**entity, "value": program} if program else dict(entity))
    return named


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("-", " ").split())
