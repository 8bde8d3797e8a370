"""What the NLU hands the actions: one entity per stretch of text, credentials by program id.

The catalog match wins over DIET's guess (``resolve_overlaps``):
DIET (open vocabulary) and the spaCy EntityRuler (catalog, fixed tables) both find courses and
providers. When they disagree on a span, DIET's version is usually a fragment ("NASM-" for
"NASM-YES") and would reach the actions first, so it is dropped. DIET fragments of one label that
only whitespace separates are joined ("Advanced" + "Kettlebell Flow").

Credentials are named by their program id (``credential_names``). Courses and providers are not
renamed: their values stay the trainer's words (there is no synonym table of a catalog in the model).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

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
