"""The stack's raw output files stay bounded: rotated at every start; each part is told its log name."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.stack import processes


def run_once(tmp_path: Path, text: str) -> None:
    script = f"import os; print({text!r}, os.environ['RECERT_LOG_NAME'])"
    process = processes.start(
        "rasa-2", [sys.executable, "-c", script], cwd=tmp_path, env={"PATH": "/usr/bin"},
        run_dir=tmp_path / "run", log_dir=tmp_path / "log",
    )
    assert process.wait(timeout=30) == 0


def test_each_start_rotates_the_raw_output_and_keeps_three_earlier_runs(tmp_path: Path) -> None:
    for run in range(6):
        run_once(tmp_path, f"run {run}")

    log = tmp_path / "log"
    assert sorted(p.name for p in log.iterdir()) == ["rasa-2.log", "rasa-2.log.1", "rasa-2.log.2", "rasa-2.log.3"]
    assert "run 5 rasa-2" in (log / "rasa-2.log").read_text()  # the part learns the name it logs under
    assert "run 4" not in (log / "rasa-2.log").read_text()
    assert "run 4" in (log / "rasa-2.log.1").read_text()
    assert "run 2" in (log / "rasa-2.log.3").read_text()  # runs 0 and 1 are gone


def test_rotate_with_nothing_there_does_nothing(tmp_path: Path) -> None:
    processes.rotate(tmp_path / "none.log")
    assert list(tmp_path.iterdir()) == []
