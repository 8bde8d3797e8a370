"""The running stacks of the end-to-end tests: their environment, the ``recert`` command line, ``recert up``
in the background.

Rasa takes a minute or more to load the model (longer on a busy machine), so a stack's ``recert up`` starts
in the background (:meth:`Recert.launch_up`) and a test waits for it (:meth:`Launch.wait`) only where it
needs the stack: the stacks of a session load side by side while other tests run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bot.settings import PROJECT_ROOT
from tests.e2e.fake_telegram import FakeBotApi

DEMO_TODAY = "2026-11-30"
IDENTITY_SECRET = "e2e-identity-secret"
STAFF_CHAT_ID = -100424242  # the staff desk group of the fake Bot API
# How long `recert up` may wait for each part: 600 s, not the default 120 s, since colleagues train models on
# the same two cores and the session's stacks load side by side (E2E_UP_TIMEOUT: another value).
UP_TIMEOUT = float(os.environ.get("E2E_UP_TIMEOUT", "600"))


def stack_env(**settings: str) -> dict[str, str]:
    """This process's environment without the caller's own RECERT_/TELEGRAM_ settings, plus ``settings``
    and what every test stack shares: the demo date, no telemetry."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("RECERT_", "TELEGRAM_"))}
    env.update(RECERT_TODAY=DEMO_TODAY, RASA_TELEMETRY_ENABLED="false", **settings)
    return env


class Launch:
    """``recert up`` running in the background; :meth:`wait` for it where the stack is needed."""

    def __init__(self, process: subprocess.Popen[str], timeout: float) -> None:
        self._process = process
        self._timeout = timeout
        self._started = time.monotonic()
        self.seconds: float | None = None
        self.output = ""

    def finish(self) -> int:
        """Wait for ``recert up`` to end (killed when it hangs past its own timeout); its exit status."""
        if self.seconds is None:
            try:
                out, err = self._process.communicate(timeout=self._timeout * 3)
            except subprocess.TimeoutExpired:
                self._process.kill()
                out, err = self._process.communicate()
            self.seconds = time.monotonic() - self._started
            self.output = f"{out}\n{err}"
        return int(self._process.returncode)

    def wait(self) -> float:
        """The seconds ``recert up`` took; the test fails with its output unless every part started."""
        assert self.finish() == 0, f"recert up failed:\n{self.output}"
        assert self.seconds is not None
        return self.seconds


@dataclass
class Recert:
    """The ``recert`` command line with a test stack's environment."""

    env: dict[str, str]

    def recert(self, *args: str, stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args], cwd=PROJECT_ROOT, env=self.env,
            input=stdin, capture_output=True, text=True, timeout=timeout,
        )

    def launch_up(self, model: Path, timeout: float = UP_TIMEOUT) -> Launch:
        """``recert up --model MODEL`` started in the background: the stack loads while other tests run."""
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "up", "--model", str(model), "--timeout", str(int(timeout))],
            cwd=PROJECT_ROOT, env=self.env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        return Launch(process, timeout)


@dataclass
class Stack(Recert):
    """The session's stack: its var dir, its SQLite store, the fake Bot API its gateway talks to."""

    var_dir: Path
    database_url: str
    fake_api: FakeBotApi
