"""The e2e fixtures: the real stack (one trained model, one running stack per session), and for the
gateway tests that fake Rasa, a fake Bot API and a seeded store of their own.

``trained_model`` trains once (into ``models/``, named by the fingerprint of the
model inputs, so a later run or ``recert up`` reuses it). ``stack`` runs
``recert up --model`` as a subprocess with a temporary var dir, a SQLite store
with the demo records, ``RECERT_TODAY`` set, free ports, and the Telegram
gateway pointed at a fake Bot API on loopback; ``recert down`` at the end.

Rasa takes a minute or more to load the model (longer on a busy machine), so every stack the session's
tests need starts loading when the session begins, in the background (``stack_harness.Launch``), side by
side. Every test that can share the session's stack does, each with a conversation sender of its own; a
test that kills or reconfigures a stack in a way the others would notice has its own: the balanced
stack (``balanced_fixtures.py``), whose test runs last, when no model is loading any more.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from bot.stack.processes import free_port
from tests.conftest import PG_ENV
from tests.e2e.balanced_fixtures import balanced_launch, balanced_stack, postgres_url  # noqa: F401  (fixtures)
from tests.e2e.fake_telegram import FakeBotApi
from tests.e2e.gateway_harness import DANA_SMITH, Uows, seeded_store
from tests.e2e.stack_harness import DEMO_TODAY, IDENTITY_SECRET, STAFF_CHAT_ID, Launch, Stack, stack_env

__all__ = ["DEMO_TODAY", "STAFF_CHAT_ID", "Stack"]  # what the test modules import from here

@pytest.fixture(scope="session")
def trained_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The model for the tree's current inputs; trained here when `make train` has not (under the machine's
    training lock, as the Makefile's `train` takes it: one training at a time on a shared machine)."""
    from bot.stack.model import ensure_model, model_path

    log = tmp_path_factory.mktemp("train") / "train.log"
    started = time.monotonic()
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    with _training_lock(needed=not model_path(PROJECT_ROOT).is_file()):
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


@contextmanager
def _training_lock(needed: bool) -> Iterator[None]:
    """flock(2) on TRAIN_LOCK (default /tmp/recert-train.lock, the file `flock` takes in the Makefile) when a
    training is ``needed``; none if TRAIN_LOCK is empty. A model already there is not waited for."""
    path = os.environ.get("TRAIN_LOCK", "/tmp/recert-train.lock")
    if not needed or not path:
        yield
        return
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The balanced stack's test runs last: its stack loads in the background while the shared stack's tests
    run, and its load-and-kill test is then timed on a machine that is no longer loading models."""
    items.sort(key=lambda item: "balanced_stack" in getattr(item, "fixturenames", ()))


@pytest.fixture(scope="session", autouse=True)
def _stacks_load_from_the_start(request: pytest.FixtureRequest) -> None:
    """The stacks the session's tests need start loading as the session begins, side by side."""
    needed = {name for item in request.session.items for name in getattr(item, "fixturenames", ())}
    if "stack" in needed:
        request.getfixturevalue("stack_launch")
    if "balanced_stack" in needed and os.environ.get(PG_ENV):  # without PostgreSQL its test skips
        request.getfixturevalue("balanced_launch")


@pytest.fixture
def fake_api() -> Iterator[FakeBotApi]:
    """A fake Bot API of the test's own, for a gateway the test builds in its own process."""
    with FakeBotApi() as api:
        yield api


@pytest.fixture
def uows(tmp_path: Path) -> Uows:
    """A SQLite store of the test's own holding Dana Smith (T-1001); a fresh unit of work per call."""
    return seeded_store(tmp_path / "store.sqlite3", DANA_SMITH)
