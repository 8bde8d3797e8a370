"""Our stack, through the project's own ``recert`` commands, in a var dir of its own.

A colleague may have ``recert up`` running on the default ports and ``var/``; the
benchmark's stack uses ``var/bench/stack`` (its SQLite record store, Rasa tracker
store, logs and pid files) and ports of its own, so neither sees the other. ``recert
up`` trains the model when the one for the current inputs is missing (it is shared in
``models/``, named after the inputs' fingerprint) and starts the action server and the
Rasa server with the SQL tracker store and the auth token; ``recert down`` stops them.

A stack that already answers with this environment (say, left running with
``--keep-stack``) is reused and left running, unless it serves a model other than the
one for the current inputs: then it is restarted (and so trained). One this run started
is stopped again at the end.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

DEMO_TODAY = "2026-11-30"  # the date the demo trainers' situations are written for
IDENTITY_SECRET = "bench-identity-secret"
RASA_TOKEN = "bench-rasa-token"
DEFAULT_RASA_PORT = 5305
DEFAULT_ACTION_PORT = 5355


def ensure_postgres_database(url: str) -> None:
    """Create the PostgreSQL database the URL names when it does not exist (the benchmark's own, so
    its tracker events never mix with a test run's)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            ).first()
            if exists is None:
                connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()


@dataclass
class OurStack:
    root: Path
    var_dir: Path
    rasa_port: int = DEFAULT_RASA_PORT
    action_port: int = DEFAULT_ACTION_PORT
    say: Callable[[str], None] = print
    model: Path | None = None  # serve this model (`recert up --model`) instead of training
    # the production shape: RECERT_DATABASE_URL (PostgreSQL), RECERT_RASA_INSTANCES, RECERT_LOCK_STORE_URL
    database_url: str | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    started_here: bool = False
    up_seconds: float | None = None
    env: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        # The caller's RECERT_*/TELEGRAM_* would point at someone else's stack; no gateway here.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RECERT_", "TELEGRAM_"))}
        env.update(
            RECERT_VAR_DIR=str(self.var_dir),
            RECERT_DATABASE_URL=self.database_url or f"sqlite:///{self.var_dir / 'recert.sqlite3'}",
            RECERT_TODAY=DEMO_TODAY,
            RECERT_IDENTITY_SECRET=IDENTITY_SECRET,
            RECERT_RASA_TOKEN=RASA_TOKEN,
            RECERT_RASA_PORT=str(self.rasa_port),
            RECERT_ACTION_PORT=str(self.action_port),
            RASA_TELEMETRY_ENABLED="false",
            TF_CPP_MIN_LOG_LEVEL=os.environ.get("TF_CPP_MIN_LOG_LEVEL", "3"),
            PYTHONHASHSEED=os.environ.get("PYTHONHASHSEED", "0"),
        )
        env.update(self.extra_env)
        self.env = env

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}/webhook"

    def recert(self, *args: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
        """``recert ARGS`` with the benchmark's environment, from the project root."""
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *args], cwd=self.root, env=self.env,
            capture_output=True, text=True, timeout=timeout, check=False,
        )

    def _check(self, result: subprocess.CompletedProcess[str], what: str) -> None:
        if result.returncode != 0:
            raise RuntimeError(
                f"`recert {what}` failed (exit {result.returncode}):\n{result.stdout}{result.stderr}"
            )

    def running(self) -> bool:
        """``recert status`` says every part is up (the gateway is disabled: no Telegram token)."""
        return self.recert("status", timeout=60).returncode == 0

    def start(self, timeout: float = 900.0) -> None:
        """Load the demo records, then reuse the running stack or ``recert up`` (training if needed)."""
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self._check(self.recert("demo", timeout=300), "demo")  # idempotent: a second import changes nothing
        if self.running():
            serving, current = self.model_file(), self.current_model_name()
            if serving == current:
                self.say(f"our stack: reusing the one running on port {self.rasa_port} ({serving})")
                return
            # The benchmark's own stack (its own var dir), left up by an earlier --keep-stack run
            # while data/ or domain.yml changed: measure the assistant as it is now.
            self.say(f"our stack: the running one serves {serving}, the current inputs give "
                     f"{current}; restarting it")
            self._check(self.recert("down", timeout=120), "down")
        self.say(f"our stack: recert up (ports {self.rasa_port}/{self.action_port}, "
                 f"var {self.var_dir}); trains first if the model is missing or stale")
        started = time.monotonic()
        self.started_here = True  # a failed `up` stops what it started; `down` is harmless then
        up_args = ["up", "--timeout", str(int(timeout))]
        if self.model is not None:
            up_args += ["--model", str(self.model)]
        self._check(self.recert(*up_args), "up")
        self.up_seconds = time.monotonic() - started
        self.say(f"our stack: up in {self.up_seconds:.0f}s")

    def stop(self) -> None:
        """``recert down``, only if this run started the stack."""
        if not self.started_here:
            return
        result = self.recert("down", timeout=120)
        self.say(f"our stack: {result.stdout.strip() or result.stderr.strip()}")
        self.started_here = False

    def running_parts(self) -> dict[str, int]:
        """Every running part's name and pid, from the pid files ``recert up`` wrote (var/run/*.pid):
        ``actions``, ``rasa`` (or ``rasa-1`` … ``rasa-N`` and the ``balancer``)."""
        from bot.stack import processes

        found = {}
        for pid_file in sorted((self.var_dir / "run").glob("*.pid")):
            part = processes.find(self.var_dir / "run", pid_file.stem)
            if part is not None:
                found[part.name] = part.pid
        return found

    def pids(self) -> list[int]:
        return list(self.running_parts().values())

    def rasa_pids(self) -> dict[str, int]:
        """The Rasa instances' pids by part name."""
        return {name: pid for name, pid in self.running_parts().items() if name.split("-")[0] == "rasa"}

    def current_model_name(self) -> str:
        """The model to serve: the one given, else the one for the current inputs (``recert up``
        trains it if missing)."""
        if self.model is not None:
            return self.model.name
        from bot.stack.model import model_path

        return model_path(self.root).name

    def model_file(self) -> str | None:
        """The model file the running Rasa server has loaded."""
        try:
            response = httpx.get(f"{self.base_url}/status", params={"token": RASA_TOKEN}, timeout=5)
            return str(response.json().get("model_file")) if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError, AttributeError):
            return None
