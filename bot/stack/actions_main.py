"""``python -m bot.stack.actions_main --actions actions --port N``: rasa-sdk's action server, with
bot.logs' JSON lines instead of its coloured console.

``rasa run actions`` takes the same arguments and calls the same ``rasa_sdk`` entry point; this
module only swaps the logging set-up (a rotated ``var/log/<RECERT_LOG_NAME or actions>.jsonl``, no
secret, hashed conversation ids) and adds one line per action call with the action's name, latency
and outcome (:mod:`bot.stack.request_log`), so an action that fails or slows down shows in the log.
"""

from __future__ import annotations

import logging
from typing import Any

from bot import logs
from bot.settings import Settings, load_settings
from bot.stack import request_log


def install_json_logging(settings: Settings) -> None:
    """Patch rasa-sdk's logging set-up and app factory (looked up at call time by its ``main``)."""
    import rasa_sdk.endpoint as endpoint
    import rasa_sdk.utils as sdk_utils

    part = logs.part_name("actions", settings)

    def configure_json_logging(loglevel: Any = None) -> None:
        logs.configure(part, settings, level=int(loglevel) if loglevel else logging.INFO)
        request_log.route_sanic_to_root()

    def no_file_logging(*args: Any, **kwargs: Any) -> None:
        """rasa-sdk's ``--log-file`` would add an unrotated file; bot.logs already writes one."""

    sdk_utils.configure_colored_logging = configure_json_logging
    sdk_utils.configure_file_logging = no_file_logging
    create_app = endpoint.create_app

    def create_app_with_request_log(*args: Any, **kwargs: Any) -> Any:
        app = create_app(*args, **kwargs)
        request_log.install(app)
        return app

    endpoint.create_app = create_app_with_request_log


def main() -> None:
    install_json_logging(load_settings())
    from rasa_sdk.__main__ import main as sdk_main

    sdk_main()


if __name__ == "__main__":
    main()
