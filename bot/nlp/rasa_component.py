"""Rasa 3.6 pipeline component around :func:`bot.nlp.entities.resolve_overlaps`.

Listed in config.yml after DIETClassifier and SpacyEntityExtractor, before EntitySynonymMapper:

    - name: bot.nlp.rasa_component.EntityOverlapResolver
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.entities import PREFERRED_EXTRACTOR, resolve_overlaps


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class EntityOverlapResolver(GraphComponent):
    """Keeps one entity per span, preferring the catalog EntityRuler's."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"preferred_extractor": PREFERRED_EXTRACTOR}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._preferred = config.get("preferred_extractor", PREFERRED_EXTRACTOR)

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "EntityOverlapResolver":
        return cls({**cls.get_default_config(), **config})

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            entities = message.get(ENTITIES) or []
            if entities:
                resolved = resolve_overlaps(message.get(TEXT) or "", entities, self._preferred)
                message.set(ENTITIES, resolved, add_to_output=True)
        return messages
