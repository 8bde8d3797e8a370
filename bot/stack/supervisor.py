"""``recert up`` / ``down`` / ``status``: the action server, the Rasa server(s) and the channel gateway.

``up`` applies the record store's migrations, trains the model when the one for
the current inputs is missing, writes the runtime endpoints/credentials under
``var/run/``, starts each part that is not running yet in the background and
waits until it answers. A part that does not answer within the start timeout
fails the whole ``up``, and whatever this call started is stopped again.

With ``RECERT_RASA_INSTANCES=N`` > 1 the stack has the production shape: Rasa servers
``rasa-1`` … ``rasa-N`` on the loopback ports after ``RECERT_RASA_PORT`` (port + 1 … port + N),
HAProxy (``balancer``) on ``RECERT_RASA_PORT`` in front of them, so every channel and
``recert chat`` keep talking to the one address, and one action server with N Sanic workers.
That needs a shared lock store (``RECERT_LOCK_STORE_URL``): with Rasa's in-memory lock store two
instances could handle one conversation's messages at once and interleave its turns, so ``up``
refuses. With N = 1 Rasa listens on ``RECERT_RASA_PORT`` itself: a balancer in front of one server
adds a process, a hop and a Debian package to ``make run`` and buys nothing.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TextIO

import httpx

from bot.errors import ConfigError
from bot.reminders import heartbeat
from bot.settings import PROJECT_ROOT, Settings, require_production_secrets, webhook_secret
from bot.stack import balancer, processes
from bot.stack.errors import StartFailed
from bot.stack.model import ensure_model, model_path
from bot.stack.rasa_main import AUTH_TOKEN_FROM_SETTINGS
from bot.stack.runtime_config import lock_store_config, write_private, write_runtime_config

logger = logging.getLogger(__name__)

START_TIMEOUT_SECONDS = 120.0
GATEWAY_HEALTH_PATH = "/health"  # bot.channels.telegram.server.HEALTH_PATH
PARTS = ("actions", "rasa", "gateway", "reminders")  # the shape with one Rasa instance
BALANCER = "balancer"
# Rasa's lock lifetime (its TICKET_LOCK_LIFETIME; Rasa's default is 60 s). A message that reached an
# instance killed mid-turn leaves that instance's ticket on the conversation: the message HAProxy
# replays on another instance waits until the ticket expires. 30 s plus the turn stays inside the
# channels' 90 s read timeout (bot.channels.rasa_client.DEFAULT_TIMEOUT) with room for the handed-over
# conversations' turns, where 60 s would not; a
# single turn taking longer than 30 s has already failed its user.
RASA_LOCK_LIFETIME_SECONDS = 30


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

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "pid": self.pid, "port": self.port, "state": self.state, "note": self.note}


@dataclass(frozen=True)
class RasaInstance:
    """One Rasa server of the stack: its part name and loopback port."""

    name: str
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def rasa_instances(settings: Settings) -> list[RasaInstance]:
    """``rasa`` on ``RECERT_RASA_PORT``; or, with N > 1, ``rasa-1`` … ``rasa-N`` on the next N ports."""
    if settings.rasa_instances == 1:
        return [RasaInstance("rasa", settings.rasa_port)]
    return [RasaInstance(f"rasa-{i}", settings.rasa_port + i) for i in range(1, settings.rasa_instances + 1)]


def balanced(settings: Settings) -> bool:
    return settings.rasa_instances > 1


def part_names(settings: Settings) -> list[str]:
    """Every part of the configured stack, in start order."""
    names = ["actions", *(instance.name for instance in rasa_instances(settings))]
    if balanced(settings):
        names.append(BALANCER)
    return [*names, "gateway", "reminders"]


def require_lock_store(settings: Settings) -> None:
    """ConfigError when more than one Rasa instance would run without a shared lock store."""
    if balanced(settings) and not settings.lock_store_url:
        raise ConfigError(
            f"RECERT_RASA_INSTANCES={settings.rasa_instances} needs RECERT_LOCK_STORE_URL "
            "(e.g. redis://127.0.0.1:6379/0): Rasa's in-memory lock store only orders the messages one "
            "process receives, so two instances could handle one conversation's messages at the same "
            "time and interleave its turns. Set RECERT_LOCK_STORE_URL to a Redis server, or run one instance."
        )


def require_redis(url: str) -> None:
    """StartFailed, saying what to do, when no Redis answers at the lock store's URL."""
    import redis

    config = lock_store_config(url)  # the connection Rasa's RedisLockStore will make
    client = redis.Redis(
        host=config["url"], port=config["port"], db=config["db"], username=config.get("username"),
        password=config.get("password"), ssl=bool(config.get("use_ssl")),
        socket_timeout=2.0, socket_connect_timeout=2.0,
    )
    try:
        client.ping()
    except redis.RedisError as exc:
        shown = f"{config['url']}:{config['port']}/{config['db']}"
        raise StartFailed(
            f"the lock store (RECERT_LOCK_STORE_URL) does not answer at {shown} ({exc}). Start Redis "
            "(`apt-get install redis-server`, then `redis-server --daemonize yes`) or fix the URL."
        ) from None
    finally:
        client.close()


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
        RECERT_RASA_INSTANCES=str(settings.rasa_instances),
        RASA_TELEMETRY_ENABLED="false",
        PYTHONUNBUFFERED="1",
    )
    if settings.today is not None:
        env["RECERT_TODAY"] = settings.today.isoformat()
    if settings.telegram_bot_token:
        env["TELEGRAM_BOT_TOKEN"] = settings.telegram_bot_token
        env["TELEGRAM_API_BASE_URL"] = settings.telegram_api_base_url
        env["RECERT_GATEWAY_PORT"] = str(settings.gateway_port)
        if settings.telegram_webhook_url:
            env["TELEGRAM_WEBHOOK_URL"] = settings.telegram_webhook_url
        if settings.telegram_webhook_secret_file is not None:
            env["TELEGRAM_WEBHOOK_SECRET_FILE"] = str(settings.telegram_webhook_secret_file.resolve())
    return env


def part_commands(
    settings: Settings, model: Path, endpoints: Path, credentials: Path
) -> dict[str, list[str]]:
    """The command line of each part: what ``ps`` shows, so no secret in it.

    ``rasa`` is the server on ``RECERT_RASA_PORT``; :func:`rasa_command` gives any instance's.
    """
    return {
        "actions": [
            sys.executable, "-m", "bot.stack.actions_main", "--actions", "actions",  # rasa run actions, JSON logs
            "--port", str(settings.action_server_port),
        ],
        "rasa": rasa_command(settings.rasa_port, model, endpoints, credentials),
        "gateway": [sys.executable, "-m", "bot.channels.telegram"],
        "reminders": [sys.executable, "-m", "bot.reminders.loop"],
    }


def rasa_command(port: int, model: Path, endpoints: Path, credentials: Path) -> list[str]:
    return [
        sys.executable, "-m", "bot.stack.rasa_main", "run", "--enable-api",
        AUTH_TOKEN_FROM_SETTINGS,  # the token comes from RECERT_RASA_TOKEN in the environment
        "-i", "127.0.0.1", "-p", str(port), "--model", str(model),
        "--endpoints", str(endpoints), "--credentials", str(credentials),
    ]


def actions_env(settings: Settings, env: Mapping[str, str]) -> dict[str, str]:
    """The action server's environment: loopback only, and one Sanic worker per Rasa instance.

    One action server with N workers rather than N action servers behind the balancer: the actions
    are light next to Rasa (a record lookup and the rules engine), the workers share one port and
    one process group, and Rasa's action endpoint stays one loopback address.
    """
    return {**env, "SANIC_HOST": "127.0.0.1", "ACTION_SERVER_SANIC_WORKERS": str(settings.rasa_instances)}


def rasa_env(env: Mapping[str, str]) -> dict[str, str]:
    """A Rasa instance's environment: the stack's, with the lock lifetime above."""
    return {**env, "TICKET_LOCK_LIFETIME": str(RASA_LOCK_LIFETIME_SECONDS)}


def write_balancer_config(settings: Settings, run_dir: Path) -> Path:
    """``var/run/haproxy.cfg`` from the deployed template, for this stack's Rasa instances."""
    servers = [balancer.Server(i.name, f"127.0.0.1:{i.port}") for i in rasa_instances(settings)]
    path = run_dir / balancer.CONFIG_NAME
    run_dir.mkdir(parents=True, exist_ok=True)
    write_private(path, balancer.render(f"127.0.0.1:{settings.rasa_port}", servers))
    return path


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


def gateway_health(settings: Settings) -> tuple[str, str]:
    """``(state, note)`` from the gateway's ``GET /health`` on its loopback port.

    "up" on a 200 (store, Rasa and the poller or webhook loop all fine); "unhealthy" on a 503,
    naming the failing checks; "starting" while nothing answers on the port yet.
    """
    try:
        response = httpx.get(f"http://127.0.0.1:{settings.gateway_port}{GATEWAY_HEALTH_PATH}", timeout=5.0)
        body = response.json()
    except (httpx.HTTPError, ValueError):
        return "starting", ""
    if response.status_code == 200 and isinstance(body, dict) and body.get("ok") is True:
        return "up", str(body.get("mode", ""))
    failing = sorted(k for k, v in body.items() if v is False and k != "ok") if isinstance(body, dict) else []
    return "unhealthy", "failing: " + (", ".join(failing) or f"HTTP {response.status_code}")


def reminders_health(paths: Paths, pid: int | None) -> tuple[str, str]:
    """``(state, note)`` from the reminders worker's heartbeat (fresh, store answering, loop alive)."""
    ready, why = heartbeat.read(paths.run_dir / heartbeat.FILE_NAME, pid)
    if ready:
        return "up", ""
    return ("starting" if why == "no heartbeat yet" else "unhealthy"), why


def _up(check: Callable[[], tuple[str, str]]) -> Callable[[], bool]:
    return lambda: check()[0] == "up"


# --- status --------------------------------------------------------------------------------


def leftover_parts(paths: Paths, names: list[str]) -> list[str]:
    """Rasa instances or a balancer recorded in ``run_dir`` but not in ``names`` (an earlier, other N)."""
    recorded = sorted(p.stem for p in paths.run_dir.glob("*.pid"))
    return [n for n in recorded if n not in names and (n == "rasa" or n.startswith("rasa-") or n == BALANCER)]


def status(settings: Settings, paths: Paths) -> list[PartStatus]:
    """Every part of the configured stack (and any leftover of an earlier shape that still runs)."""
    result = []
    configured = part_names(settings)
    ports = {"actions": settings.action_server_port, BALANCER: settings.rasa_port}
    ports.update({instance.name: instance.port for instance in rasa_instances(settings)})
    for name in configured + leftover_parts(paths, configured):
        running = processes.find(paths.run_dir, name)
        if name not in configured and running is None:
            continue
        if name in ("gateway", "reminders") and not settings.telegram_bot_token and running is None:
            result.append(PartStatus(name, "disabled", None, None, "TELEGRAM_BOT_TOKEN not set"))
            continue
        if name == "reminders" and settings.reminder_interval <= 0 and running is None:
            result.append(PartStatus(name, "disabled", None, None, "RECERT_REMINDER_INTERVAL=0"))
            continue
        port = settings.gateway_port if name == "gateway" else ports.get(name)
        if running is None:
            result.append(PartStatus(name, "down", None, port))
            continue
        port = port or running.port
        if name in ("gateway", "reminders"):
            state, note = gateway_health(settings) if name == "gateway" else reminders_health(paths, running.pid)
            result.append(PartStatus(name, state, running.pid, port, note))
            continue
        if name == "actions":
            healthy = actions_answer(settings)
        else:  # a Rasa instance, or the balancer in front of them: Rasa's /status through it
            healthy = port is not None and rasa_ready(f"http://127.0.0.1:{port}", settings.rasa_token)
        result.append(PartStatus(name, "up" if healthy else "starting", running.pid, port))
    return result


def format_status(parts: list[PartStatus]) -> str:
    lines = []
    for part in parts:
        pid = f"pid {part.pid}" if part.pid else "-"
        port = f"port {part.port}" if part.port else "-"
        note = f"  ({part.note})" if part.note else ""
        lines.append(f"{part.name:<9} {part.state:<9} {pid:<11} {port:<10}{note}".rstrip())
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
    if settings.telegram_bot_token and settings.telegram_webhook_url:
        webhook_secret(settings)  # ConfigError saying what to do, before anything starts
    require_lock_store(settings)
    instances = rasa_instances(settings)
    servers = ["actions", *(instance.name for instance in instances)] + ([BALANCER] if balanced(settings) else [])
    wanted = servers + (["gateway"] if settings.telegram_bot_token else [])
    if settings.telegram_bot_token and settings.reminder_interval > 0:
        wanted.append("reminders")  # a reminder pass every RECERT_REMINDER_INTERVAL seconds
    before = {part.name: part for part in status(settings, paths)}
    if all(before[name].state == "up" for name in wanted):
        out.write("The assistant is already running.\n" + format_status(list(before.values())) + "\n")
        return 0
    haproxy = balancer.find_haproxy() if balanced(settings) else None
    if settings.lock_store_url:
        require_redis(settings.lock_store_url)

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
            actions_env(settings, env),
            lambda: actions_answer(settings),
        ),
    }
    for instance in instances:
        commands[instance.name] = (
            rasa_command(instance.port, model, endpoints, credentials),
            instance.port,
            rasa_env(env),
            partial(rasa_ready, instance.url, settings.rasa_token),
        )
    if haproxy is not None:
        config = write_balancer_config(settings, paths.run_dir)
        balancer.check(haproxy, config, env)
        commands[BALANCER] = (
            balancer.command(haproxy, config),
            settings.rasa_port,
            env,
            lambda: rasa_answers(settings),  # through the balancer: at least one instance serves
        )
    started: list[str] = []
    try:
        # The action server, the Rasa instances and the balancer start side by side; Rasa needs the
        # actions only per message, and the balancer's health checks find each instance once it serves.
        launched: dict[str, subprocess.Popen[bytes] | None] = {}
        for name in servers:
            cmd, port, part_env, _ = commands[name]
            if before[name].state in ("up", "starting"):
                launched[name] = None
                continue
            if port is not None and processes.port_in_use(port):
                raise StartFailed(f"port {port} for {name} is already in use by another program")
            if len(instances) > 1 and name in (i.name for i in instances):
                out.write(f"Starting {name} on port {port} (loading the model takes a minute or two)...\n")
                out.flush()
            launched[name] = processes.start(
                name, cmd, cwd=paths.root, env=part_env, run_dir=paths.run_dir,
                log_dir=paths.log_dir, port=port,
            )
            started.append(name)
        for name in servers:
            _wait(name, launched[name], commands[name][3], paths, timeout)
        if "gateway" in wanted and processes.find(paths.run_dir, "gateway") is None:
            if processes.port_in_use(settings.gateway_port):
                raise StartFailed(
                    f"port {settings.gateway_port} for the gateway is already in use by another program; "
                    "stop it or set RECERT_GATEWAY_PORT to a free port"
                )
            gateway = processes.start(
                "gateway", argv["gateway"], cwd=paths.root,
                env=env, run_dir=paths.run_dir, log_dir=paths.log_dir, port=settings.gateway_port,
            )
            started.append("gateway")
            _wait("gateway", gateway, _up(lambda: gateway_health(settings)), paths, timeout)
        if "reminders" in wanted and processes.find(paths.run_dir, "reminders") is None:
            worker = processes.start(
                "reminders", argv["reminders"], cwd=paths.root,
                env=env, run_dir=paths.run_dir, log_dir=paths.log_dir,
            )
            started.append("reminders")
            _wait("reminders", worker, _up(lambda: reminders_health(paths, worker.pid)), paths, timeout)
    except BaseException:
        for name in reversed(started):
            processes.stop(paths.run_dir, name)
        raise
    out.write("The assistant is up.\n" + format_status(status(settings, paths)) + "\n")
    return 0


def down(settings: Settings, paths: Paths, out: TextIO = sys.stdout) -> int:
    """Stop every part, the balancer before the Rasa instances behind it, and any leftover instance."""
    stopped = []
    names = part_names(settings)
    for name in reversed(names + leftover_parts(paths, names)):
        if processes.stop(paths.run_dir, name):
            stopped.append(name)
    out.write(f"Stopped {', '.join(stopped)}.\n" if stopped else "The assistant was not running.\n")
    return 0


def migrate_store(settings: Settings) -> None:
    """Apply the record store's migrations, once, before the processes start."""
    from bot import composition

    settings.var_dir.mkdir(parents=True, exist_ok=True)
    composition.migrate(settings)
