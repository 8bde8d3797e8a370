"""The spaCy pipeline the Rasa NLU loads: a blank English tokenizer plus an EntityRuler.

The ruler's patterns come from the course catalog and the provider list (labels ``course`` and
``provider``) and from fixed tables for credentials, CEU amounts and dates. Rasa reads the saved
pipeline through ``SpacyNLP`` (``model: models/spacy_en_recert``) and ``SpacyEntityExtractor``.

``build_pipeline`` takes plain lists so that any source (the record store, or the sample catalog
file when the store has none) can feed it; ``python -m bot.nlp.build`` is the command-line entry.
The ruler only finds where a name is: entity values stay the words the trainer typed, and the
actions match them against the store's catalog at run time (``actions/matching.py``).
"""

from bot.nlp.patterns import ruler_patterns
from bot.nlp.pipeline import DEFAULT_PIPELINE_PATH, build_pipeline, make_nlp

__all__ = [
    "DEFAULT_PIPELINE_PATH",
    "build_pipeline",
    "make_nlp",
    "ruler_patterns",
]
