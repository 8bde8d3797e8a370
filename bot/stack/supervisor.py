"""``recert up`` / ``down`` / ``status``: the action server, the Rasa server and the channel gateway.

``up`` applies the record store's migrations, trains the model when the one for
the current inputs is missing, writes the runtime endpoints/credentials under
``var/run/``, starts each part that is not running yet in the background and
waits until it answers. A part that does not answer within the start timeout
fails the whole ``up``, and whatever this call started is stopped again.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import httpx

from bot.settings import PROJECT_ROOT, Settings, require_production_secrets
from bot.stack import processes
from bot.stack.errors import StartFailed
from bot.stack.model import ensure_model, model_path
from bot.stack.rasa_main import AUTH_TOKEN_FROM_SETTINGS
from bot.stack.runtime_config import write_runtime_config

logger = logging.getLogger(__name__)

START_TIMEOUT_SECONDS = 120.0
GATEWAY_READY_FILE = "gateway.ready"
REMINDERS_READY_FILE = "reminders.ready"  # bot.reminders.loop.READY_FILE
PARTS = ("actions", "rasa", "gateway", "reminders")


@dataclass(frozen=True)
class Paths:
    root: Path
    run_dir: Path
    log_dir: Path

    @classmethod
    def for_settings(cls, settings: Settings, root: Path = PROJECT_ROOT) -> Paths:
        return cls(root=root, run_dir=settings.var_dir / "run", log_dir=settings.var_dir / "log")


@dataclass(frozen=True)
class PartStatus:
    name: str
    state: str  # "up", "starting", "down", "disabled"
    pid: int | None
    port: int | None
    note: str = ""


def child_env(settings: Settings, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of every part: the caller's (all RECERT_* and TELEGRAM_* pass through),
    with the settings this process resolved made explicit so every child agrees on them."""
    env = dict(os.environ if base is None else base)
    env.update(
        RECERT_ENV=settings.environment,
        # Secrets travel in the environment (readable by the owner only), never on a command line.
        RECERT_IDENTITY_SECRET=settings.identity_secret,
        RECERT_RASA_TOKEN=settings.rasa_token,
        RECERT_VAR_DIR=str(settings.var_dir),
        RECERT_DATABASE_URL=settings.database_url,
        RECERT_RASA_URL=settings.rasa_url,
        RECERT_RASA_PORT=str(settings.rasa_port),
        RECERT_ACTION_PORT=str(settings.action_server_port),
        RECERT_REMINDER_INTERVAL=str(settings.reminder_interval),
        RASA_TELEMETRY_ENABLED="false",
        PYTHONUNBUFFERED="1",
    )
    if settings.today is not None:
        env["RECERT_TODAY"] = settings.today.isoformat()
    if settings.telegram_bot_token:
        env["TELEGRAM_BOT_TOKEN"] = settings.telegram_bot_token
        env["TELEGRAM_API_BASE_URL"] = settings.telegram_api_base_url
    return env


def part_commands(
    settings: Settings, model: Path, endpoints: Path, credentials: Path
) -> dict[str, list[str]]:
    """The command line of each part: what ``ps`` shows, so no secret in it."""
    return {
        "actions": [
            sys.executable, "-m", "bot.stack.actions_main", "--actions", "actions",  # rasa run actions, JSON logs
            "--port", str(settings.action_server_port),
        ],
        "rasa": [
            sys.executable, "-m", "bot.stack.rasa_main", "run", "--enable-api",
            AUTH_TOKEN_FROM_SETTINGS,  # the token comes from RECERT_RASA_TOKEN in the environment
            "-i", "127.0.0.1", "-p", str(settings.rasa_port), "--model", str(model),
            "--endpoints", str(endpoints), "--credentials", str(credentials),
        ],
        "gateway": [sys.executable, "-m", "bot.channels.telegram"],
        "reminders": [sys.executable, "-m", "bot.reminders.loop"],
    }


# --- health checks -------------------------------------------------------------------------


def _http_ok(url: str, params: Mapping[str, str] | None = None) -> bool:
    try:
        response = httpx.get(url, params=params, timeout=2.0)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def actions_answer(settings: Settings) -> bool:
    return _http_ok(f"http://127.0.0.1:{settings.action_server_port}/health")


def rasa_answers(settings: Settings) -> bool:
    return rasa_ready(settings.rasa_url, settings.rasa_token)


def rasa_ready(base_url: str, token: str | None = None) -> bool:
    """Rasa's ``/status`` (with the token, if it has one) names a model file once the model is
    loaded and messages are served."""
    try:
        response = httpx.get(
            f"{base_url.rstrip('/')}/status", params={"token": token} if token else None, timeout=2.0
        )
        return response.status_code == 200 and bool(response.json().get("model_file"))
    except (httpx.HTTPError, ValueError, AttributeError):
        return False


def gateway_ready(paths: Paths, since: float = 0.0, name: str = GATEWAY_READY_FILE) -> bool:
    ready = paths.run_dir / name
    try:
        return ready.stat().st_mtime >= since
    except OSError:
        return False


# --- status --------------------------------------------------------------------------------


def status(settings: Settings, paths: Paths) -> list[PartStatus]:
    result = []
    for name in PARTS:
        running = processes.find(paths.run_dir, name)
        if name in ("gateway", "reminders") and not settings.telegram_bot_token and running is None:
            result.append(PartStatus(name, "disabled", None, None, "TELEGRAM_BOT_TOKEN not set"))
            continue
        if name == "reminders" and settings.reminder_interval <= 0 and running is None:
            result.append(PartStatus(name, "disabled", None, None, "RECERT_REMINDER_INTERVAL=0"))
            continue
        port = {"actions": settings.action_server_port, "rasa": settings.rasa_port}.get(name)
        if running is None:
            result.append(PartStatus(name, "down", None, port))
            continue
        healthy = {
            "actions": lambda: actions_answer(settings),
            "rasa": lambda: rasa_answers(settings),
            "gateway": lambda: gateway_ready(paths),
            "reminders": lambda: gateway_ready(paths, name=REMINDERS_READY_FILE),
        }[name]()
        result.append(PartStatus(name, "up" if healthy else "starting", running.pid, port))
    return result


def format_status(parts: list[PartStatus]) -> str:
    lines = []
    for part in parts:
        pid = f"pid {part.pid}" if part.pid else "-"
        port = f"port {part.port}" if part.port else "-"
        note = f"  ({part.note})" if part.note else ""
        lines.append(f"{part.name:<8} {part.state:<9} {pid:<11} {port:<10}{note}".rstrip())
    return "\n".join(lines)


# --- up / down -----------------------------------------------------------------------------


def _wait(
    name: str,
    process: subprocess.Popen[bytes] | None,
    ready: Callable[[], bool],
    paths: Paths,
    timeout: float,
) -> None:
    processes.wait_until(name, ready, timeout, process, processes.log_file(paths.log_dir, name))


def up(
    settings: Settings,
    paths: Paths,
    out: TextIO = sys.stdout,
    timeout: float = START_TIMEOUT_SECONDS,
    migrate: Callable[[Settings], None] | None = None,
    model: Path | None = None,
) -> int:
    """Start whatever part is not running; 0 when all answer.

    Production settings with a development secret stop here (ConfigError), before anything starts.
    """
    require_production_secrets(settings)
    wanted = ["actions", "rasa"] + (["gateway"] if settings.telegram_bot_token else [])
    if settings.telegram_bot_token and settings.reminder_interval > 0:
        wanted.append("reminders")  # a reminder pass every RECERT_REMINDER_INTERVAL seconds
    before = {part.name: part for part in status(settings, paths)}
    if all(before[name].state == "up" for name in wanted):
        out.write("The assistant is already running.\n" + format_status(list(before.values())) + "\n")
        return 0

    env = child_env(settings)
    (migrate or migrate_store)(settings)
    if model is None:
        if not model_path(paths.root).is_file():
            out.write(f"Training the model (log: {paths.log_dir / 'train.log'}); this takes a few minutes...\n")
            out.flush()
        model, trained = ensure_model(paths.root, paths.log_dir / "train.log", env)
        if trained:
            out.write(f"Trained {model.name}.\n")
    elif not model.is_file():
        raise StartFailed(f"no model at {model}")
    endpoints, credentials = write_runtime_config(settings, paths.run_dir)

    argv = part_commands(settings, model, endpoints, credentials)
    commands: dict[str, tuple[list[str], int | None, dict[str, str], Callable[[], bool]]] = {
        "actions": (
            argv["actions"],
            settings.action_server_port,
            {**env, "SANIC_HOST": "127.0.0.1"},
            lambda: actions_answer(settings),
        ),
        "rasa": (argv["rasa"], settings.rasa_port, env, lambda: rasa_answers(settings)),
    }
    started: list[str] = []
    try:
        # The action server and Rasa load side by side; Rasa needs the actions only per message.
        launched: dict[str, subprocess.Popen[bytes] | None] = {}
        for name in ("actions", "rasa"):
            cmd, port, part_env, _ = commands[name]
            if before[name].state in ("up", "starting"):
                launched[name] = None
                continue
            if port is not None and processes.port_in_use(port):
                raise StartFailed(f"port {port} for {name} is already in use by another program")
            launched[name] = processes.start(
                name, cmd, cwd=paths.root, env=part_env, run_dir=paths.run_dir,
                log_dir=paths.log_dir, port=port,
            )
            started.append(name)
        for name in ("actions", "rasa"):
            _wait(name, launched[name], commands[name][3], paths, timeout)
        if "gateway" in wanted and before["gateway"].state not in ("up", "starting"):
            since = time.time() - 1
            (paths.run_dir / GATEWAY_READY_FILE).unlink(missing_ok=True)
            gateway = processes.start(
                "gateway", argv["gateway"], cwd=paths.root,
                env=env, run_dir=paths.run_dir, log_dir=paths.log_dir,
            )
            started.append("gateway")
            _wait("gateway", gateway, lambda: gateway_ready(paths, since), paths, timeout)
        if "reminders" in wanted and before["reminders"].state not in ("up", "starting"):
            since = time.time() - 1
            (paths.run_dir / REMINDERS_READY_FILE).unlink(missing_ok=True)
            worker = processes.start(
                "reminders", argv["reminders"], cwd=paths.root,
                env=env, run_dir=paths.run_dir, log_dir=paths.log_dir,
            )
            started.append("reminders")
            _wait(
                "reminders", worker, lambda: gateway_ready(paths, since, REMINDERS_READY_FILE), paths, timeout
            )
    except BaseException:
        for name in reversed(started):
            processes.stop(paths.run_dir, name)
        raise
    out.write("The assistant is up.\n" + format_status(status(settings, paths)) + "\n")
    return 0


def down(settings: Settings, paths: Paths, out: TextIO = sys.stdout) -> int:
    stopped = []
    for name in reversed(PARTS):
        if processes.stop(paths.run_dir, name):
            stopped.append(name)
    (paths.run_dir / GATEWAY_READY_FILE).unlink(missing_ok=True)
    (paths.run_dir / REMINDERS_READY_FILE).unlink(missing_ok=True)
    out.write(f"Stopped {', '.join(stopped)}.\n" if stopped else "The assistant was not running.\n")
    return 0


def migrate_store(settings: Settings) -> None:
    """Apply the record store's migrations, once, before the processes start."""
    from bot import composition

    settings.var_dir.mkdir(parents=True, exist_ok=True)
    composition.migrate(settings)
