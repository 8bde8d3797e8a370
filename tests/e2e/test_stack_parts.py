"""The stack supervisor's pieces, fast: pid files and process groups, model fingerprint, runtime config.

The full ``recert up`` with Rasa is in ``test_stack_chat.py`` (slow).
"""

from __future__ import annotations

import io
import os
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import yaml

from bot.settings import load_settings
from bot.stack import processes, supervisor
from bot.stack.errors import StartFailed
from bot.stack.model import fingerprint, model_path
from bot.stack.runtime_config import endpoints_config, write_runtime_config


def wait_for_ready(log: Path, timeout: float = 60.0) -> None:
    """Until the child printed "ready" (its own line, not the logged command line)."""
    deadline = time.monotonic() + timeout
    while "\nready" not in log.read_text():
        assert time.monotonic() < deadline, "the child never got ready"
        time.sleep(0.1)


def test_start_find_and_stop_a_process_group(tmp_path: Path) -> None:
    run_dir, log_dir = tmp_path / "run", tmp_path / "log"
    # A parent with a child: stop must end the whole group.
    script = "import subprocess, time; subprocess.Popen(['sleep', '60']); print('rea' + 'dy', flush=True); time.sleep(60)"
    process = processes.start(
        "demo", [sys.executable, "-c", script], cwd=tmp_path, env=os.environ,
        run_dir=run_dir, log_dir=log_dir, port=1234,
    )
    running = processes.find(run_dir, "demo")
    assert running is not None and running.pid == process.pid and running.port == 1234
    wait_for_ready(log_dir / "demo.log")
    assert processes.stop(run_dir, "demo", grace_seconds=5)
    process.wait(timeout=5)
    assert processes.find(run_dir, "demo") is None
    assert not (run_dir / "demo.pid").exists()
    assert not processes._group_alive(process.pid)  # the grandchild is gone too (zombies aside)
    assert processes.stop(run_dir, "demo") is False


def test_sigterm_ignoring_process_is_killed(tmp_path: Path) -> None:
    script = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('rea' + 'dy', flush=True); time.sleep(60)"
    process = processes.start(
        "stubborn", [sys.executable, "-c", script], cwd=tmp_path, env=os.environ,
        run_dir=tmp_path, log_dir=tmp_path,
    )
    wait_for_ready(tmp_path / "stubborn.log")
    started = time.monotonic()
    assert processes.stop(tmp_path, "stubborn", grace_seconds=0.5)
    # stop() may already have reaped it (then Popen cannot see the -9), so check that it is gone:
    # it ignores SIGTERM and would sleep for 60 s, so only SIGKILL can have ended it this soon.
    process.wait(timeout=5)
    with pytest.raises(ProcessLookupError):
        os.kill(process.pid, 0)
    assert time.monotonic() - started < 5


def test_stale_pid_file_is_not_running(tmp_path: Path) -> None:
    (tmp_path / "gone.pid").write_text('{"pid": 999999, "port": null, "cmd_sha256": "x"}')
    assert processes.find(tmp_path, "gone") is None
    assert not (tmp_path / "gone.pid").exists()
    # A live pid that belongs to another program (here: this test) is not ours either.
    (tmp_path / "other.pid").write_text(f'{{"pid": {os.getpid()}, "port": null, "cmd_sha256": "x"}}')
    assert processes.find(tmp_path, "other") is None


def test_fingerprint_follows_model_inputs_only(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "config.yml").write_text("pipeline: []\n")
    (tmp_path / "domain.yml").write_text("intents: [greet]\n")
    (tmp_path / "data" / "nlu.yml").write_text("nlu: []\n")
    first = fingerprint(tmp_path)
    (tmp_path / "actions.py").write_text("# not a model input\n")
    assert fingerprint(tmp_path) == first
    (tmp_path / "data" / "nlu.yml").write_text("nlu: [x]\n")
    second = fingerprint(tmp_path)
    assert second != first
    (tmp_path / "data" / "more.yml").write_text("rules: []\n")
    assert fingerprint(tmp_path) != second
    assert model_path(tmp_path).name == f"recert-{fingerprint(tmp_path)}.tar.gz"


def test_runtime_config_follows_the_settings(tmp_path: Path) -> None:
    settings = load_settings({"RECERT_VAR_DIR": str(tmp_path), "RECERT_ACTION_PORT": "6055"})
    endpoints, credentials = write_runtime_config(settings, tmp_path / "run")
    config = yaml.safe_load(endpoints.read_text())
    assert config["action_endpoint"] == {"url": "http://127.0.0.1:6055/webhook"}
    assert config["tracker_store"] == {
        "type": "SQL", "dialect": "sqlite", "db": str(tmp_path / "rasa-tracker.sqlite3"),
    }
    assert endpoints.stat().st_mode & 0o077 == 0
    assert "rest" in yaml.safe_load(credentials.read_text())

    pg = load_settings({"RECERT_DATABASE_URL": "postgresql+psycopg2://bot:pw@db.local:6543/recert"})
    assert endpoints_config(pg)["tracker_store"] == {
        "type": "SQL", "dialect": "postgresql+psycopg2", "url": "db.local", "db": "recert",
        "username": "bot", "password": "pw", "port": 6543,
    }


def test_child_env_passes_recert_variables_through() -> None:
    # The settings as resolved (environment or .env) are made explicit for every child.
    settings = load_settings({"RECERT_TODAY": "2026-03-15", "RECERT_VAR_DIR": "/tmp/x", "RECERT_IDENTITY_SECRET": "k"})
    env = supervisor.child_env(settings, {"RECERT_IDENTITY_SECRET": "stale", "PATH": "/bin"})
    assert env["RECERT_TODAY"] == "2026-03-15"
    assert env["RECERT_IDENTITY_SECRET"] == "k"
    assert env["RECERT_VAR_DIR"] == "/tmp/x"
    assert env["RECERT_DATABASE_URL"] == "sqlite:////tmp/x/recert.sqlite3"
    assert env["PATH"] == "/bin"
    assert settings.today == date(2026, 3, 15)


def test_wait_reports_an_early_exit_with_the_log(tmp_path: Path) -> None:
    paths = supervisor.Paths(root=tmp_path, run_dir=tmp_path / "run", log_dir=tmp_path / "log")
    process = processes.start(
        "broken", [sys.executable, "-c", "print('boom: bad config'); raise SystemExit(3)"],
        cwd=tmp_path, env=os.environ, run_dir=paths.run_dir, log_dir=paths.log_dir,
    )
    with pytest.raises(StartFailed, match=r"(?s)broken exited with code 3.*boom: bad config"):
        supervisor._wait("broken", process, lambda: False, paths, timeout=10)


def test_wait_times_out(tmp_path: Path) -> None:
    paths = supervisor.Paths(root=tmp_path, run_dir=tmp_path, log_dir=tmp_path)
    with pytest.raises(StartFailed, match="did not answer within 1s"):
        supervisor._wait("slow", None, lambda: False, paths, timeout=1)


def test_status_and_down_when_nothing_runs(tmp_path: Path) -> None:
    settings = load_settings({"RECERT_VAR_DIR": str(tmp_path), "RECERT_RASA_PORT": "1", "RECERT_ACTION_PORT": "2"})
    paths = supervisor.Paths.for_settings(settings)
    parts = supervisor.status(settings, paths)
    assert [(p.name, p.state) for p in parts] == [
        ("actions", "down"), ("rasa", "down"), ("gateway", "disabled"), ("reminders", "disabled"),
    ]
    out = io.StringIO()
    assert supervisor.down(settings, paths, out) == 0
    assert out.getvalue() == "The assistant was not running.\n"


def test_chat_without_a_running_stack_is_a_clear_error(tmp_path: Path) -> None:
    import socket
    import subprocess

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "RECERT_VAR_DIR": str(tmp_path), "RECERT_RASA_PORT": str(port)}
    env.pop("RECERT_RASA_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"], input="hi\n", env=env,
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert "the assistant is not running" in result.stderr and "recert up" in result.stderr
    assert "Traceback" not in result.stderr
