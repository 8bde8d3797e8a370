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

Fifth, memory (issue 10): the served TensorFlow models are built without an optimizer's state
(:func:`load_for_inference`): 270 MB less per instance, the same predictions (docs/latency.md).

Fourth, logs (issue 10): Rasa's coloured console output is replaced by :mod:`bot.logs`' JSON lines
in a rotated file per instance (``RECERT_LOG_NAME``, default ``rasa``), Sanic's own stdout handlers
are removed, and every request gets one line with its route, hashed conversation, latency and
outcome (:mod:`bot.stack.request_log`).

Sixth, the conversation lock (issue 10): a message waiting for a conversation's lock keeps its ticket
while it waits (:mod:`bot.stack.lock_tickets`), so a message replayed after an instance died holding
that lock is served once the dead ticket expires instead of waiting for ever.

Third, the API token stays off the command line (``ps`` shows every user a process's arguments):
``--auth-token-from-settings`` is replaced, inside this process, by Rasa's own ``--auth-token``
with ``RECERT_RASA_TOKEN`` from the settings (the environment, which only the owner can read, or
``.env``). ``recert up`` starts Rasa that way.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.settings import Settings

AUTH_TOKEN_FROM_SETTINGS = "--auth-token-from-settings"


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

    RemoteAction._validate_action_result = _validate_action_result


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

    rasa_run.load_agent_on_start = load_agent_then_freeze


def load_for_inference(
    cls: Any,
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> Any:
    """Rasa 3.6.21's ``RasaModel.load`` with one change: the single training step that builds the
    weights before they are loaded uses plain SGD (Keras' legacy one: without momentum it creates no
    slot at all), instead of Adam, which
    allocates two moments per weight (for the ResponseSelector's 18,000 x 512 input layers, about
    three times the weights' memory) that a served model never uses again. The weights then come
    from the checkpoint as before, and predictions read only them (tests/unit/test_rasa_memory.py;
    the same answers on the held-out messages: docs/latency.md). Fine-tuning keeps Rasa's own."""
    import tensorflow as tf  # type: ignore[import-untyped]
    from rasa.utils.tensorflow.constants import RUN_EAGERLY
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    if finetune_mode:
        return _rasa_model_load(cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                                *args, **kwargs)
    model = cls(*args, **kwargs)
    run_eagerly = kwargs.get("config", {}).get(RUN_EAGERLY)
    model.compile(optimizer=tf.keras.optimizers.legacy.SGD(learning_rate=0.0), run_eagerly=run_eagerly)
    model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
    status = model.load_weights(model_file_name)
    if status is not None:
        status.expect_partial()  # the checkpoint's Adam moments have nothing to go into: not an error
    if predict_data_example:
        model.run_inference(predict_data_example)
    return model


_rasa_model_load: Any = None


def install_inference_only_models() -> None:
    """Serve every TensorFlow model without an optimizer's state (:func:`load_for_inference`)."""
    global _rasa_model_load
    from rasa.utils.tensorflow.models import RasaModel

    if _rasa_model_load is None:
        _rasa_model_load = RasaModel.load.__func__
    RasaModel.load = classmethod(load_for_inference)


def _level(loglevel: Any) -> int:
    """Rasa's ``--verbose``/``--debug``/``--quiet`` level (None: ``LOG_LEVEL`` or INFO) as a number."""
    import os

    if loglevel is None:
        loglevel = os.environ.get("LOG_LEVEL", "INFO")
    if isinstance(loglevel, str):
        value = logging.getLevelName(loglevel.upper())  # a number for a known name, else a string
        return value if isinstance(value, int) else logging.INFO
    return int(loglevel)


def install_json_logging(settings: Settings) -> None:
    """Where Rasa would install its coloured console logging, install bot.logs' JSON file instead,
    and log every request the server answers (the app is made inside ``configure_app``)."""
    import rasa.core.run as rasa_run
    import rasa.utils.io

    from bot import logs
    from bot.stack import request_log

    part = logs.part_name("rasa", settings)

    def configure_json_logging(loglevel: Any = None) -> None:
        logs.configure(part, settings, level=_level(loglevel))

    rasa.utils.io.configure_colored_logging = configure_json_logging
    configure_app = rasa_run.configure_app

    def configure_app_with_request_log(*args: Any, **kwargs: Any) -> Any:
        app = configure_app(*args, **kwargs)
        request_log.route_sanic_to_root()
        request_log.install(app)
        return app

    rasa_run.configure_app = configure_app_with_request_log


def with_auth_token(argv: Sequence[str], token: str) -> list[str]:
    """``argv`` with :data:`AUTH_TOKEN_FROM_SETTINGS` replaced by ``--auth-token TOKEN``."""
    result: list[str] = []
    for arg in argv:
        result.extend(["--auth-token", token] if arg == AUTH_TOKEN_FROM_SETTINGS else [arg])
    return result


def main() -> None:
    from bot.settings import load_settings

    settings = load_settings()
    if AUTH_TOKEN_FROM_SETTINGS in sys.argv:
        # Only this process's copy of the arguments changes; /proc/<pid>/cmdline keeps the flag.
        sys.argv = with_auth_token(sys.argv, settings.rasa_token)
    install_json_logging(settings)
    install_cached_action_validation()
    install_inference_only_models()
    install_gc_freeze_after_model_load()
    from bot.stack import lock_tickets, replay_guard

    replay_guard.install()  # a message the balancer delivers twice is handled once
    lock_tickets.install()  # a message waiting behind a dead instance's lock is served when it expires
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
