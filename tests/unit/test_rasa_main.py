"""The cached action-response validation accepts and rejects exactly what Rasa's own does."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

from bot.stack.rasa_main import install_cached_action_validation

VALID: list[dict[str, Any]] = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "misunderstandings", "value": 0}],
     "responses": [{"text": "hi", "buttons": [{"title": "A person", "payload": "/ask_human"}]}]},
    {},
]
INVALID: list[dict[str, Any]] = [
    {"events": [{"event": "no_such_event"}]},
    {"events": {"event": "slot"}},
    {"responses": ["text, not an object"]},
]


@pytest.fixture
def patched(monkeypatch: pytest.MonkeyPatch) -> RemoteAction:
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    install_cached_action_validation()
    return RemoteAction.__new__(RemoteAction)


@pytest.mark.parametrize("result", VALID)
def test_valid_answers_pass(patched: RemoteAction, result: dict[str, Any]) -> None:
    validate(result, RemoteAction.action_response_format_spec())  # Rasa's own check agrees
    assert patched._validate_action_result(result) is True


@pytest.mark.parametrize("result", INVALID)
def test_invalid_answers_are_rejected_with_rasas_message(patched: RemoteAction, result: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        validate(result, RemoteAction.action_response_format_spec())
    with pytest.raises(ValidationError, match="Failed to validate Action server response from API"):
        patched._validate_action_result(result)


async def test_objects_are_frozen_once_the_model_is_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    import rasa.core.run as rasa_run

    from bot.stack.rasa_main import install_gc_freeze_after_model_load

    loaded = object()

    async def fake_load(*args: Any, **kwargs: Any) -> object:
        return loaded

    monkeypatch.setattr(rasa_run, "load_agent_on_start", fake_load)
    install_gc_freeze_after_model_load()
    try:
        assert await rasa_run.load_agent_on_start("model", None) is loaded
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
