"""The reminders worker's readiness: a heartbeat file that says the loop is alive and the store answers.

The worker sleeps an hour between passes, so "it started once" says nothing; instead a task beside
the loop writes ``var/run/reminders.heartbeat`` every :data:`BEAT_SECONDS` (JSON: pid, time,
whether the record store answered, whether the pass loop is still running, the last pass's
outcome). :func:`read` judges it: ready only when the file is fresh (younger than
:data:`STALE_SECONDS`), written by the process ``recert`` started, with the store answering and the
loop alive. Rasa is not checked here: a pass that finds it down is logged and retried next time.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "reminders.heartbeat"
BEAT_SECONDS = 5.0
STALE_SECONDS = 3 * BEAT_SECONDS


@dataclass(frozen=True)
class Beat:
    pid: int
    at: float  # time.time() of the beat
    store: bool
    loop: bool
    last_pass_at: float | None = None
    last_pass_ok: bool | None = None


def write(path: Path, beat: Beat) -> None:
    """Replace the file in one step, so a reader never sees half a beat."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(beat.__dict__))
    os.replace(partial, path)


def read(path: Path, pid: int | None = None, now: float | None = None) -> tuple[bool, str]:
    """``(ready, why not)`` from the heartbeat file, for ``recert status`` and ``recert up``."""
    try:
        beat = Beat(**json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        return False, "no heartbeat yet"
    age = (time.time() if now is None else now) - beat.at
    if pid is not None and beat.pid != pid:
        return False, "no heartbeat yet"  # a previous worker's file
    if age > STALE_SECONDS:
        return False, f"no heartbeat for {age:.0f} s"
    if not beat.loop:
        return False, "the pass loop stopped"
    if not beat.store:
        return False, "the record store does not answer"
    return True, ""
