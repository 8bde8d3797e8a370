"""The baseline: a plain ``rasa init`` bot, trained on this machine, served over REST.

It lives in ``var/bench/plain-bot`` (``var/`` is git-ignored). ``rasa init --no-prompt``
writes the starter project and trains it in one go; that happens once, and again only
when the installed Rasa version differs from the one recorded in ``bench-plain.json``
(a model trained by another Rasa version may not load, and would not be the same
baseline). Its starter ``actions.py`` is all comments and ``endpoints.yml`` names no
action server, so ``rasa run`` alone answers every message, with the in-memory tracker
store Rasa uses by default.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from .server import RasaServer

MARKER = "bench-plain.json"


def plain_env(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment without our settings: the plain bot is not our assistant."""
    env = {k: v for k, v in (os.environ if base is None else base).items()
           if not k.startswith(("RECERT_", "TELEGRAM_"))}
    env.update(RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="3",
               PYTHONHASHSEED=env.get("PYTHONHASHSEED", "0"), PYTHONUNBUFFERED="1")
    return env


def plain_command(model: Path, port: int) -> list[str]:
    return [sys.executable, "-m", "rasa", "run", "--enable-api", "-i", "127.0.0.1", "-p", str(port),
            "--model", str(model)]


@dataclass
class PlainBot:
    """``rasa init`` bot under ``directory``; :meth:`start` serves it on a free loopback port."""

    directory: Path
    say: Callable[[str], None] = print
    train_seconds: float | None = None  # None: an earlier run's model was reused
    server: RasaServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None, "start() first"
        return self.server.base_url

    def model(self) -> Path | None:
        """The trained model recorded for the installed Rasa version, if any."""
        try:
            marker = json.loads((self.directory / MARKER).read_text())
        except (OSError, ValueError):
            return None
        model = self.directory / str(marker.get("model", ""))
        if marker.get("rasa_version") != version("rasa") or not model.is_file():
            return None
        return model

    def ensure_trained(self) -> Path:
        """The model: reused, or ``rasa init --no-prompt`` in a fresh directory (trains once)."""
        existing = self.model()
        if existing is not None:
            self.say(f"plain bot: reusing {existing.relative_to(self.directory)} (rasa {version('rasa')})")
            return existing
        if self.directory.exists():
            shutil.rmtree(self.directory)
        self.directory.mkdir(parents=True)
        log = self.directory / "rasa-init.log"
        self.say(f"plain bot: rasa init --no-prompt in {self.directory} (trains; log {log.name})")
        started = time.monotonic()
        with log.open("wb") as out:
            result = subprocess.run(
                [sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", "."],
                cwd=self.directory, env=plain_env(), stdin=subprocess.DEVNULL,
                stdout=out, stderr=subprocess.STDOUT, check=False,
            )
        self.train_seconds = time.monotonic() - started
        models = sorted((self.directory / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
        if result.returncode != 0 or not models:
            raise RuntimeError(f"rasa init failed (exit {result.returncode}); see {log}")
        model = models[-1]
        (self.directory / MARKER).write_text(json.dumps({
            "rasa_version": version("rasa"),
            "model": model.relative_to(self.directory).as_posix(),
            "train_seconds": round(self.train_seconds, 1),
            "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }, indent=2))
        self.say(f"plain bot: trained {model.name} in {self.train_seconds:.0f}s")
        return model

    def start(self, model: Path) -> None:
        """``rasa run --enable-api`` from the bot's directory, no token, default endpoints."""
        self.server = RasaServer("plain bot", self.directory, plain_env(), self.directory, self.say)
        self.server.start(lambda port: plain_command(model, port))

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
