"""``python -m bot.stack.rasa_main run ...``: Rasa's own command line, with two measured fixes.

Rasa 3.6 checks every action server answer against a JSON schema with ``jsonschema.validate``,
which validates the schema itself against its meta-schema and builds a new validator on every
call: about 14 ms per custom action on this project's machines, most of the gap between our
p95 latency and a plain bot's (docs/latency.md). The schema never changes, so it is checked
once here and one validator is reused; what passes and what is rejected, and the error message,
stay exactly Rasa's (tests/unit/test_rasa_main.py).

Second, loading a model leaves hundreds of thousands of long-lived objects (TensorFlow graphs),
which the garbage collector then walks in a full collection now and then: a 0.7 s pause inside
whatever message is being answered. Freezing them once the model is loaded moves them out of
the collector's way (``gc.freeze``); the benchmark measured the pause gone.
"""

from __future__ import annotations

from typing import Any


def install_cached_action_validation() -> None:
    """Replace ``RemoteAction._validate_action_result`` with a reused, pre-checked validator."""
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
        try:
            validator.validate(result)
            return True
        except ValidationError as e:
            e.message += (
                f". Failed to validate Action server response from API, "
                f"make sure your response from the Action endpoint is valid. "
                f"For more information about the format visit "
                f"{DOCS_BASE_URL}/custom-actions"
            )
            raise e

    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


def install_gc_freeze_after_model_load() -> None:
    """Wrap Rasa's start-up model loading so the loaded objects are frozen for the collector."""
    import gc

    import rasa.core.run as rasa_run

    load_agent = rasa_run.load_agent_on_start

    async def load_agent_then_freeze(*args: Any, **kwargs: Any) -> Any:
        agent = await load_agent(*args, **kwargs)
        gc.collect()
        gc.freeze()
        return agent

    rasa_run.load_agent_on_start = load_agent_then_freeze  # type: ignore[assignment]


def main() -> None:
    install_cached_action_validation()
    install_gc_freeze_after_model_load()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
