"""The e2e fixtures: the real stack (one trained model, one running stack per session), and for the
gateway tests that fake Rasa, a fake Bot API and a seeded store of their own.

``trained_model`` trains once (into ``models/``, named by the fingerprint of the
model inputs, so a later run or ``recert up`` reuses it). ``stack`` runs
``recert up --model`` as a subprocess with a temporary var dir, a SQLite store
with the demo records, ``RECERT_TODAY`` set, free ports, and the Telegram
gateway pointed at a fake Bot API on loopback; ``recert down`` at the end.

Rasa takes a minute or more to load the model (longer on a busy machine), so the session's stack
starts loading when the session begins, in the background (``Launch``), and the tests that run
before the first one needing it (the balanced stack's, which loads two Rasa instances of its own)
run meanwhile. Every test of the session that can share the stack does, each with a conversation
sender of its own; a test that kills or reconfigures a stack in a way the others would notice
starts its own (``test_balanced_stack.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from bot.stack.processes import free_port
from tests.e2e.fake_telegram import FakeBotApi
from tests.e2e.gateway_harness import DANA_SMITH, Uows, seeded_store

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


@pytest.fixture(scope="session")
def trained_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bot.stack.model import ensure_model

    log = tmp_path_factory.mktemp("train") / "train.log"
    started = time.monotonic()
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    model, trained = ensure_model(PROJECT_ROOT, log, env)
    if trained:
        print(f"\ntrained {model.name} in {time.monotonic() - started:.0f}s")
    return model


@pytest.fixture(scope="session")
def stack_launch(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, Launch]]:
    """The session's stack with its ``recert up`` started, not yet waited for; ``recert down`` at the end."""
    var_dir = tmp_path_factory.mktemp("var")
    database_url = f"sqlite:///{var_dir / 'recert.sqlite3'}"
    api = FakeBotApi().start()
    env = stack_env(
        RECERT_VAR_DIR=str(var_dir),
        RECERT_DATABASE_URL=database_url,
        RECERT_IDENTITY_SECRET=IDENTITY_SECRET,
        RECERT_RASA_TOKEN="e2e-rasa-token",
        RECERT_RASA_PORT=str(free_port()),
        RECERT_ACTION_PORT=str(free_port()),
        RECERT_GATEWAY_PORT=str(free_port()),
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_API_BASE_URL=api.base_url,
        STAFF_CHAT_ID=str(STAFF_CHAT_ID),
    )
    stack = Stack(env, var_dir, database_url, api)
    try:
        demo = stack.recert("demo")
        assert demo.returncode == 0, demo.stderr
        launch = stack.launch_up(trained_model)
        try:
            yield stack, launch
        finally:
            launch.finish()  # never `down` while `up` is still starting parts
            down = stack.recert("down")
            status = stack.recert("status")
            assert down.returncode == 0, down.stderr
            assert status.returncode == 3 and " up " not in status.stdout, status.stdout
    finally:
        api.stop()


@pytest.fixture(scope="session")
def stack(stack_launch: tuple[Stack, Launch]) -> Stack:
    """The session's running stack (actions, Rasa, the gateway and the reminder worker)."""
    stack, launch = stack_launch
    print(f"\nrecert up took {launch.wait():.0f}s")
    return stack


@pytest.fixture(scope="session", autouse=True)
def _stack_loads_from_the_start(request: pytest.FixtureRequest) -> None:
    """When any test of the session needs the shared stack, start it loading as the session begins."""
    if any("stack" in getattr(item, "fixturenames", ()) for item in request.session.items):
        request.getfixturevalue("stack_launch")


@pytest.fixture
def fake_api() -> Iterator[FakeBotApi]:
    """A fake Bot API of the test's own, for a gateway the test builds in its own process."""
    with FakeBotApi() as api:
        yield api


@pytest.fixture
def uows(tmp_path: Path) -> Uows:
    """A SQLite store of the test's own holding Dana Smith (T-1001); a fresh unit of work per call."""
    return seeded_store(tmp_path / "store.sqlite3", DANA_SMITH)
