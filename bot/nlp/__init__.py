"""The spaCy pipeline the Rasa NLU loads: a blank English tokenizer plus an EntityRuler.

The ruler's patterns come from the course catalog and the provider list (labels ``course`` and
``provider``) and from fixed tables for credentials, CEU amounts and dates. Rasa reads the saved
pipeline through ``SpacyNLP`` (``model: models/spacy_en_recert``) and ``SpacyEntityExtractor``.

``build_pipeline`` takes plain lists so that any source (the sample catalog file, later the record
store) can feed it; ``python -m bot.nlp.build`` is the command-line entry that reads an import-format
file.
"""

from bot.nlp.pipeline import DEFAULT_PIPELINE_PATH, build_pipeline, make_nlp
from bot.nlp.patterns import ruler_patterns
from bot.nlp.synonyms import catalog_synonyms

__all__ = [
    "DEFAULT_PIPELINE_PATH",
    "build_pipeline",
    "catalog_synonyms",
    "make_nlp",
    "ruler_patterns",
]
