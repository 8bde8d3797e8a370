"""One ``rasa run`` this benchmark started, through bot/stack's process handling.

Started like a part of ``recert up`` (``bot.stack.processes``): its own session, so its process
group is its pid, a log and a pid file in its directory; only that group is ever signalled, never
anything found by name. The caller gives the command line for a port; an API token, if any, travels
in ``env`` (``RECERT_RASA_TOKEN``, read by ``bot.stack.rasa_main --auth-token-from-settings``),
never on the command line.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from bot.stack import processes
from bot.stack.supervisor import rasa_ready

PART = "rasa-run"  # the log is <directory>/rasa-run.log, the pid file <directory>/rasa-run.pid


class RasaServer:
    def __init__(self, name: str, cwd: Path, env: Mapping[str, str], directory: Path,
                 say: Callable[[str], None]) -> None:
        self.name, self.cwd, self.env, self.directory, self.say = name, cwd, dict(env), directory, say
        self.port: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.start_seconds: float | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return processes.log_file(self.directory, PART)

    def start(self, command: Callable[[int], Sequence[str]], token: str | None = None,
              timeout: float = 900.0) -> None:
        """``command(port)`` on a free loopback port; waits until the model is loaded (StartFailed if
        the server exits first or does not answer in time). ``token``: the one the server expects."""
        self.port = processes.free_port()
        self.process = processes.start(
            PART, command(self.port), cwd=self.cwd, env=self.env,
            run_dir=self.directory, log_dir=self.directory, port=self.port,
        )
        self.say(f"{self.name}: starting rasa run on port {self.port} (pid {self.process.pid})")
        self.start_seconds = processes.wait_until(
            f"{self.name}'s rasa server", lambda: rasa_ready(self.base_url, token), timeout,
            self.process, self.log,
        )

    def stop(self, grace_seconds: float = 15.0) -> None:
        """SIGTERM the server's process group, SIGKILL after the grace period."""
        process, self.process = self.process, None
        if process is not None and processes.stop(self.directory, PART, grace_seconds):
            self.say(f"{self.name}: stopped")
