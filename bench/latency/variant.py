"""A profiling variant: our model and our action server, but Rasa's in-memory tracker store.

Our stack keeps trackers in SQL (a SQLite file), the plain bot in memory (Rasa's
default). Serving our very model a second time with only the tracker store changed,
next to the same action server, splits our extra latency into "tracker store" and
"everything else" (NLU pipeline, policies, the action server round trips) without
touching the running stack. It is started the way ``recert up`` starts Rasa
(``bot.stack.supervisor.part_commands`` and ``child_env``: the ``bot.stack.rasa_main``
wrapper, the token in the environment), from the project root (the spaCy pipeline path in
config.yml is relative), with an endpoints file under ``var/bench/``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path

import yaml

from bot.settings import Settings, load_settings
from bot.stack.supervisor import child_env, part_commands

from .server import RasaServer

# How `recert up` starts our Rasa server: through the wrapper that patches Rasa (bot/stack/rasa_main.py).
STACK_RASA_ENTRY = "bot.stack.rasa_main"


class MemoryTrackerVariant:
    def __init__(self, root: Path, work_dir: Path, action_url: str, env: Mapping[str, str],
                 say: Callable[[str], None]) -> None:
        self.root, self.work_dir, self.action_url = root, work_dir, action_url
        self.settings = load_settings(env)  # the benchmark stack's: its token and identity secret
        self.server = RasaServer("ours, in-memory tracker store", root, child_env(self.settings, env),
                                 work_dir, say)

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def settings_for(self, port: int) -> Settings:
        return dataclasses.replace(self.settings, rasa_port=port, rasa_url=f"http://127.0.0.1:{port}")

    def start(self, model: Path) -> None:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        endpoints = self.work_dir / "endpoints.yml"
        # No tracker_store key: Rasa falls back to the InMemoryTrackerStore, as the plain bot does.
        endpoints.write_text(yaml.safe_dump({"action_endpoint": {"url": self.action_url}}))
        credentials = self.work_dir / "credentials.yml"
        credentials.write_text(yaml.safe_dump({"rest": None}))
        self.server.start(
            lambda port: part_commands(self.settings_for(port), model, endpoints, credentials)["rasa"],
            token=self.settings.rasa_token,
        )

    def stop(self) -> None:
        self.server.stop()
