"""Rasa 3.6 pipeline components around :mod:`bot.nlp.entities`.

Listed in config.yml after DIETClassifier and SpacyEntityExtractor:

    - name: bot.nlp.rasa_component.EntityOverlapResolver
    - name: bot.nlp.rasa_component.CredentialNames

There is no ``EntitySynonymMapper``: a synonym table trained into the model would tie course and
provider names to one catalog's ids. Course and provider values stay the trainer's words and the
actions match them against the record store's catalog at run time.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.entities import PREFERRED_EXTRACTOR, credential_names, drop_junk, resolve_overlaps


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class EntityOverlapResolver(GraphComponent):
    """Keeps one entity per span, preferring the catalog EntityRuler's, and no learned filler or question."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"preferred_extractor": PREFERRED_EXTRACTOR}

    def __init__(self, config: dict[str, Any]) -> None:
        self._preferred = config.get("preferred_extractor", PREFERRED_EXTRACTOR)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EntityOverlapResolver:
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = message.get(ENTITIES) or []
            if entities:
                text = message.get(TEXT) or ""
                resolved = drop_junk(text, resolve_overlaps(text, entities, self._preferred), self._preferred)
                message.set(ENTITIES, resolved, add_to_output=True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class CredentialNames(GraphComponent):
    """Names ``credential`` entities by their program id ("CPT" -> ``NASM-CPT``); nothing else."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CredentialNames:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = message.get(ENTITIES) or []
            if entities:
                message.set(ENTITIES, credential_names(entities), add_to_output=True)
        return messages
