"""Background processes with pid files: start detached, find again, wait for, stop by process group.

Each part runs in its own session (so its process group id is its pid), writes
its output to ``var/log/<name>.log`` and is remembered in ``var/run/<name>.pid``
(a JSON object: pid, port, command). A pid file whose process is gone, or whose
pid now belongs to another program, counts as "not running".

Logs stay bounded: a part logs through :mod:`bot.logs` under its own name (``RECERT_LOG_NAME``
is set to ``<name>``) into ``var/log/<name>.jsonl``, which rotates by size; its raw output
``var/log/<name>.log`` then only holds what bypasses logging (errors, a crash's traceback, a
library's prints) and is rotated at every start, :data:`RAW_LOG_BACKUPS` earlier runs kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.stack.errors import StartFailed

logger = logging.getLogger(__name__)


RAW_LOG_BACKUPS = 3


@dataclass(frozen=True)
class Running:
    name: str
    pid: int
    port: int | None


def pid_file(run_dir: Path, name: str) -> Path:
    return run_dir / f"{name}.pid"


def log_file(log_dir: Path, name: str) -> Path:
    return log_dir / f"{name}.log"


def rotate(path: Path, backups: int = RAW_LOG_BACKUPS) -> None:
    """``path`` becomes ``path.1``, ``path.1`` becomes ``path.2`` ..., the oldest beyond ``backups`` goes."""
    for index in range(backups, 0, -1):
        older = path.with_name(f"{path.name}.{index - 1}") if index > 1 else path
        if older.exists():
            older.replace(path.with_name(f"{path.name}.{index}"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by us) is not running.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def _cmdline(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    parts = [part.decode(errors="replace") for part in raw.split(b"\0") if part]
    return parts or None  # empty while a process is still being exec'd


def _digest(cmd: Sequence[str]) -> str:
    return hashlib.sha256("\0".join(cmd).encode("utf-8")).hexdigest()


def find(run_dir: Path, name: str) -> Running | None:
    """The running process recorded for ``name``, or None (a stale pid file is removed)."""
    path = pid_file(run_dir, name)
    try:
        record = json.loads(path.read_text())
        pid = int(record["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    cmdline = _cmdline(pid)
    if not _alive(pid) or (cmdline is not None and _digest(cmdline) != record.get("cmd_sha256")):
        path.unlink(missing_ok=True)
        return None
    port = record.get("port")
    return Running(name, pid, int(port) if port else None)


def start(
    name: str,
    cmd: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    run_dir: Path,
    log_dir: Path,
    port: int | None = None,
) -> subprocess.Popen[bytes]:
    """Start ``cmd`` detached in its own session, its raw output in ``log_dir/<name>.log`` (the
    previous run's rotated away), its logs under ``RECERT_LOG_NAME=<name>``."""
    run_dir.mkdir(parents=True, exist_ok=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    rotate(log_file(log_dir, name))
    env = {**env, "RECERT_LOG_NAME": name}
    with log_file(log_dir, name).open("ab") as log:
        log.write(f"\n=== {time.strftime('%Y-%m-%d %H:%M:%S')} $ {' '.join(cmd)}\n".encode())
        log.flush()
        process = subprocess.Popen(
            list(cmd),
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    # The command line is kept only as a digest, to recognise the pid (it holds no secret:
    # secrets travel in the environment, see supervisor.part_commands).
    record = {"pid": process.pid, "port": port, "cmd_sha256": _digest(list(cmd))}
    pid_file(run_dir, name).write_text(json.dumps(record))
    logger.info("started %s as pid %s", name, process.pid)
    return process


def stop(run_dir: Path, name: str, grace_seconds: float = 10.0) -> bool:
    """SIGTERM the part's process group, SIGKILL after the grace period; True if it was running."""
    running = find(run_dir, name)
    pid_file(run_dir, name).unlink(missing_ok=True)
    if running is None:
        return False
    _signal_group(running.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    while time.monotonic() < deadline:
        _reap(running.pid)
        if not _group_alive(running.pid):
            logger.info("stopped %s (pid %s)", name, running.pid)
            return True
        time.sleep(0.1)
    logger.warning("%s (pid %s) did not stop in %ss; killing it", name, running.pid, grace_seconds)
    _signal_group(running.pid, signal.SIGKILL)
    _reap(running.pid)
    return True


def free_port() -> int:
    """A loopback port nobody listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_until(
    name: str,
    ready: Callable[[], bool],
    timeout: float,
    process: subprocess.Popen[bytes] | None = None,
    log: Path | None = None,
) -> float:
    """Poll ``ready`` until true; the seconds it took. StartFailed, with the end of ``log``, when
    ``process`` exits first or ``timeout`` passes."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if ready():
            return time.monotonic() - started
        if process is not None and process.poll() is not None:
            raise StartFailed(f"{name} exited with code {process.returncode} while starting{_tail(log)}")
        time.sleep(0.5)
    raise StartFailed(f"{name} did not answer within {timeout:.0f}s{_tail(log)}")


def _tail(log: Path | None, lines: int = 15) -> str:
    if log is None:
        return ""
    try:
        text = log.read_text(errors="replace").splitlines()
    except OSError:
        text = ["(no log)"]
    return f"; last lines of {log}:\n" + "\n".join("    " + line for line in text[-lines:])


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # Only zombies left in the group count as stopped.
    return any(
        _alive(int(entry.name))
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and _pgid_of(int(entry.name)) == pgid
    )


def _pgid_of(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[2])
    except (OSError, IndexError, ValueError):
        return None


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass
