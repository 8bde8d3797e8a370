"""The machine the benchmark runs on: what it is, how loaded, and how much of the load is ours.

Starting, probing and stopping the Rasa servers is bot/stack's (latency/server.py uses it).
"""

from __future__ import annotations

import os
import platform
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()


@dataclass(frozen=True)
class CpuSnapshot:
    at: float
    busy_ticks: int  # all CPUs, since boot
    total_ticks: int
    ours_ticks: int  # processes in our process groups


def _machine_ticks() -> tuple[int, int]:
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = fields
    busy = user + nice + system + irq + softirq + steal
    return busy, busy + idle + iowait


def _group_ticks(pgids: set[int]) -> int:
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) in pgids:  # fields after the name: state ppid pgrp ... utime stime
            ticks += int(fields[11]) + int(fields[12])
    return ticks


class CpuMeter:
    """How busy the machine was, and how much of it was not us.

    The load average trails by minutes and counts our own servers, so it cannot tell a
    colleague's ``rasa train`` from our benchmark. This compares the machine's busy CPU
    time (``/proc/stat``) with the CPU time of the process groups this benchmark started
    (each server runs in its own session, so its group is its pid) and of itself. Only
    processes alive at the second snapshot count as ours: the servers and the client, which
    live through every phase; a child of ours that exits in between counts as "others".
    """

    def __init__(self) -> None:
        self.pgids: set[int] = {os.getpgid(0)}

    def add_group(self, pgid: int | None) -> None:
        if pgid:
            self.pgids.add(pgid)

    def snapshot(self) -> CpuSnapshot:
        busy, total = _machine_ticks()
        return CpuSnapshot(time.monotonic(), busy, total, _group_ticks(self.pgids))

    @staticmethod
    def cores(before: CpuSnapshot, after: CpuSnapshot) -> dict[str, float]:
        """Average cores busy between two snapshots: all, ours, everybody else."""
        cpus = len(os.sched_getaffinity(0)) or 1
        elapsed = max(after.total_ticks - before.total_ticks, 1) / cpus  # ticks per CPU
        busy = (after.busy_ticks - before.busy_ticks) / elapsed
        ours = (after.ours_ticks - before.ours_ticks) / elapsed
        return {"busy_cores": round(busy, 2), "our_cores": round(ours, 2),
                "other_cores": round(max(busy - ours, 0.0), 2)}

    def wait_for_quiet(self, max_other_cores: float, timeout_seconds: float,
                       say: Callable[[str], None], window: float = 10.0, windows: int = 3) -> bool:
        """Wait until others used at most ``max_other_cores`` in ``windows`` windows in a row.

        Best effort: after the timeout the run goes on, and the report says how busy the
        machine was during each phase.
        """
        deadline = time.monotonic() + timeout_seconds
        quiet_in_a_row, announced = 0, False
        while True:
            before = self.snapshot()
            time.sleep(window)
            other = self.cores(before, self.snapshot())["other_cores"]
            quiet_in_a_row = quiet_in_a_row + 1 if other <= max_other_cores else 0
            if quiet_in_a_row >= windows:
                return True
            if time.monotonic() >= deadline:
                say(f"other processes still use {other:.2f} cores; measuring anyway")
                return False
            if not announced and quiet_in_a_row == 0:
                say(f"waiting until other processes use at most {max_other_cores} cores for "
                    f"{windows * window:.0f}s (now {other:.2f}; at most {timeout_seconds / 60:.0f} min)")
                announced = True


def memory_of(pid: int) -> dict[str, float] | None:
    """A process's memory in MB: resident (``VmRSS``), its high-water mark (``VmHWM``), and from
    ``/proc/<pid>/smaps_rollup`` the anonymous part (heap: the loaded model, Python objects) and
    the file-backed part (shared libraries such as TensorFlow's, which several instances on one
    host share: ``Pss`` divides those pages among the processes that map them)."""
    values: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
            key, _, rest = line.partition(":")
            if key in ("Pss", "Pss_Anon", "Pss_File", "Anonymous"):
                values[key] = int(rest.split()[0]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return {
        "rss_mb": round(values.get("VmRSS", 0.0), 1),
        "peak_rss_mb": round(values.get("VmHWM", 0.0), 1),
        "pss_mb": round(values.get("Pss", 0.0), 1),
        "anonymous_mb": round(values.get("Anonymous", 0.0), 1),
        "file_backed_pss_mb": round(values.get("Pss_File", 0.0), 1),
    }


def busy_processes(limit: int = 5) -> list[str]:
    """The processes using the most CPU right now (``ps``), to say what else ran."""
    try:
        out = subprocess.run(
            ["ps", "-eo", "pcpu,args", "--sort=-pcpu", "--no-headers"],
            capture_output=True, text=True, timeout=5, check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    rows = []
    for line in out.splitlines()[:limit]:
        pcpu, _, rest = line.strip().partition(" ")
        rows.append(f"{pcpu}% {rest.strip()[:110]}")
    return rows


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except (OSError, ValueError):
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)),  # what `nproc` prints
        "cpu": cpu_model,
        "memory_gb": mem_gb,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
