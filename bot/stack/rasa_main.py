"""``python -m bot.stack.rasa_main run ...``: Rasa's own command line, with one measured fix.

Rasa 3.6 checks every action server answer against a JSON schema with ``jsonschema.validate``,
which validates the schema itself against its meta-schema and builds a new validator on every
call: about 14 ms per custom action on this project's machines, most of the gap between our
p95 latency and a plain bot's (docs/latency.md). The schema never changes, so it is checked
once here and one validator is reused; what passes and what is rejected, and the error message,
stay exactly Rasa's (tests/unit/test_rasa_main.py).
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


def main() -> None:
    install_cached_action_validation()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
