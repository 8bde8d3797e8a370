"""A profiling variant: our model and our action server, but Rasa's in-memory tracker store.

Our stack keeps trackers in SQL (a SQLite file), the plain bot in memory (Rasa's
default). Serving our very model a second time with only the tracker store changed,
next to the same action server, splits our extra latency into "tracker store" and
"everything else" (NLU pipeline, policies, the action server round trips) without
touching the running stack. It is started the way the stack starts Rasa, from the
project root (the spaCy pipeline path in config.yml is relative), with an endpoints file
under ``var/bench/``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Callable, Mapping

import yaml

from .procs import RasaServer

# How `recert up` starts our Rasa server: through a wrapper that patches Rasa (bot/stack/rasa_main.py,
# since 5a1cbd2), else plain `rasa`. The variant starts the same way, so only the tracker store differs.
STACK_RASA_ENTRY = "bot.stack.rasa_main"


def stack_rasa_entry() -> str:
    try:
        return STACK_RASA_ENTRY if importlib.util.find_spec(STACK_RASA_ENTRY) else "rasa"
    except ModuleNotFoundError:
        return "rasa"


class MemoryTrackerVariant:
    def __init__(self, root: Path, work_dir: Path, action_url: str, env: Mapping[str, str],
                 say: Callable[[str], None]) -> None:
        self.root, self.work_dir, self.action_url = root, work_dir, action_url
        self.server = RasaServer("ours, in-memory tracker store", root, env,
                                 work_dir / "rasa-run.log", say)

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def start(self, model: Path, token: str) -> None:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        endpoints = self.work_dir / "endpoints.yml"
        # No tracker_store key: Rasa falls back to the InMemoryTrackerStore, as the plain bot does.
        endpoints.write_text(yaml.safe_dump({"action_endpoint": {"url": self.action_url}}))
        credentials = self.work_dir / "credentials.yml"
        credentials.write_text(yaml.safe_dump({"rest": None}))
        self.server.start(model, ["--endpoints", str(endpoints), "--credentials", str(credentials)],
                          token=token, entry=stack_rasa_entry())

    def stop(self) -> None:
        self.server.stop()
