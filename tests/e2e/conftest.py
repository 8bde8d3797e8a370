"""The e2e fixtures: the real stack (one trained model, one running stack per session), and for the
gateway tests that fake Rasa, a fake Bot API and a seeded store of their own.

``trained_model`` trains once (into ``models/``, named by the fingerprint of the
model inputs, so a later run or ``recert up`` reuses it). ``stack`` runs
``recert up --model`` as a subprocess with a temporary var dir, a SQLite store
with the demo records, ``RECERT_TODAY`` set, free ports, and the Telegram
gateway pointed at a fake Bot API on loopback; ``recert down`` at the end.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from tests.e2e.fake_telegram import FakeBotApi
from tests.e2e.gateway_harness import DANA_SMITH, Uows, seeded_store

DEMO_TODAY = "2026-11-30"
IDENTITY_SECRET = "e2e-identity-secret"
STAFF_CHAT_ID = -100424242  # the staff desk group of the fake Bot API


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Stack:
    env: dict[str, str]
    var_dir: Path
    database_url: str
    up_seconds: float
    fake_api: FakeBotApi

    def recert(self, *args: str, stdin: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args], cwd=PROJECT_ROOT, env=self.env,
            input=stdin, capture_output=True, text=True, timeout=timeout,
        )


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
def stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    var_dir = tmp_path_factory.mktemp("var")
    database_url = f"sqlite:///{var_dir / 'recert.sqlite3'}"
    api = FakeBotApi().start()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("RECERT_", "TELEGRAM_"))}
    env.update(
        RECERT_VAR_DIR=str(var_dir),
        RECERT_DATABASE_URL=database_url,
        RECERT_TODAY=DEMO_TODAY,
        RECERT_IDENTITY_SECRET=IDENTITY_SECRET,
        RECERT_RASA_TOKEN="e2e-rasa-token",
        RECERT_RASA_PORT=str(free_port()),
        RECERT_ACTION_PORT=str(free_port()),
        RECERT_GATEWAY_PORT=str(free_port()),
        TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_API_BASE_URL=api.base_url,
        STAFF_CHAT_ID=str(STAFF_CHAT_ID),
        RASA_TELEMETRY_ENABLED="false",
    )
    stack = Stack(env, var_dir, database_url, 0.0, api)
    demo = stack.recert("demo")
    assert demo.returncode == 0, demo.stderr
    started = time.monotonic()
    # 300s, not the default 120s: colleagues train models on the same two cores (E2E_UP_TIMEOUT: more).
    up_timeout = os.environ.get("E2E_UP_TIMEOUT", "300")
    up = stack.recert("up", "--model", str(trained_model), "--timeout", up_timeout, timeout=float(up_timeout) * 3)
    stack.up_seconds = time.monotonic() - started
    print(f"\nrecert up took {stack.up_seconds:.0f}s")
    try:
        assert up.returncode == 0, f"recert up failed:\n{up.stdout}\n{up.stderr}"
        yield stack
    finally:
        down = stack.recert("down")
        status = stack.recert("status")
        api.stop()
        assert down.returncode == 0, down.stderr
        assert status.returncode == 3 and " up " not in status.stdout, status.stdout


@pytest.fixture
def fake_api() -> Iterator[FakeBotApi]:
    """A fake Bot API of the test's own, for a gateway the test builds in its own process."""
    with FakeBotApi() as api:
        yield api


@pytest.fixture
def uows(tmp_path: Path) -> Uows:
    """A SQLite store of the test's own holding Dana Smith (T-1001); a fresh unit of work per call."""
    return seeded_store(tmp_path / "store.sqlite3", DANA_SMITH)
