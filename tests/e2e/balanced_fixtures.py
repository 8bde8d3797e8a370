"""The balanced stack of ``test_balanced_stack.py``: two Rasa instances behind HAProxy, the Redis lock store,
PostgreSQL.

``recert up`` with ``RECERT_RASA_INSTANCES=2`` starts the production shape from the same HAProxy template
``deploy/`` ships. PostgreSQL comes from ``RECERT_TEST_DATABASE_URL`` (CI sets it), in a schema of its own
that the tracker store reaches through the URL's query (``options=-csearch_path=...``); Redis is the one on
127.0.0.1:6379, database 7, under a key prefix of this run. The fixtures are session-scoped so that the
stack can start loading when the session begins (``tests/e2e/conftest.py``); its test runs last.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.stack.processes import free_port, port_in_use
from tests.conftest import PG_ENV, fresh_database
from tests.e2e.stack_harness import Launch, Recert, stack_env

REDIS_DB = 7
RASA_TOKEN = "e2e-balanced-token"


@dataclass
class BalancedStack(Recert):
    database_url: str
    rasa_port: int
    var_dir: Path

    def processes(self) -> dict[str, dict[str, object]]:
        result = self.recert("status", "--json")
        return {part["name"]: part for part in json.loads(result.stdout)}


def _base_port() -> int:
    """A port P with P, P + 1 and P + 2 free: the balancer and the two instances behind it."""
    for _ in range(50):
        port = free_port()
        if port + 2 < 65536 and not any(port_in_use(port + i) for i in (1, 2)):
            return port
    raise RuntimeError("no three consecutive free loopback ports")


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not os.environ.get(PG_ENV):
        pytest.skip(f"{PG_ENV} is not set: the balanced stack runs on PostgreSQL (CI sets it)")
    yield from fresh_database("postgresql", tmp_path_factory.mktemp("pg"))


@pytest.fixture(scope="session")
def balanced_launch(
    trained_model: Path, postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[BalancedStack, Launch]]:
    """The balanced stack with its ``recert up`` started, not yet waited for; ``recert down`` at the end."""
    var_dir = tmp_path_factory.mktemp("balanced-var")
    rasa_port = _base_port()
    key_prefix = f"e2e{uuid.uuid4().hex[:10]}"
    env = stack_env(
        RECERT_VAR_DIR=str(var_dir),
        RECERT_DATABASE_URL=postgres_url,  # the tracker store follows it, query and all
        RECERT_IDENTITY_SECRET="e2e-balanced-identity-secret",
        RECERT_RASA_TOKEN=RASA_TOKEN,
        RECERT_RASA_PORT=str(rasa_port),
        RECERT_ACTION_PORT=str(free_port()),
        RECERT_RASA_INSTANCES="2",
        RECERT_LOCK_STORE_URL=f"redis://127.0.0.1:6379/{REDIS_DB}?key_prefix={key_prefix}",
    )
    stack = BalancedStack(env, postgres_url, rasa_port, var_dir)
    demo = stack.recert("demo")
    assert demo.returncode == 0, demo.stderr
    launch = stack.launch_up(trained_model)
    try:
        yield stack, launch
    finally:
        launch.finish()  # never `down` while `up` is still starting parts
        down = stack.recert("down")
        after = stack.processes()
        print(f"balancer log:\n{_tail(var_dir / 'log' / 'balancer.log')}")
        assert down.returncode == 0, down.stderr
        assert all(part["state"] != "up" for part in after.values()), after
        import redis

        client = redis.Redis(db=REDIS_DB)
        for key in client.scan_iter(f"{key_prefix}:*"):
            client.delete(key)
        client.close()


@pytest.fixture(scope="session")
def balanced_stack(balanced_launch: tuple[BalancedStack, Launch]) -> BalancedStack:
    """The balanced stack, up: actions, ``rasa-1`` and ``rasa-2`` behind the HAProxy balancer."""
    stack, launch = balanced_launch
    print(f"\nrecert up (2 instances + balancer) took {launch.wait():.0f}s")
    return stack


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
