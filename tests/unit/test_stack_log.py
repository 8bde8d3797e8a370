"""`recert up`/`down` keep what they did in var/log/stack.jsonl; the terminal shows what it did before."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from bot import cli
from bot.stack import processes
from tests.log_support import json_lines


def test_down_logs_what_it_stopped(tmp_path: Path, monkeypatch, restore_root_logging, capsys) -> None:
    monkeypatch.setenv("RECERT_VAR_DIR", str(tmp_path))
    for name in ("RECERT_ENV", "TELEGRAM_BOT_TOKEN", "RECERT_RASA_INSTANCES", "RECERT_LOG_NAME"):
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    for handler in list(root.handlers):  # cli.main's basicConfig only acts on a bare root logger
        root.removeHandler(handler)
    process = processes.start(
        "actions", [sys.executable, "-c", "import time; time.sleep(60)"], cwd=tmp_path, env={},
        run_dir=tmp_path / "run", log_dir=tmp_path / "log",
    )

    assert cli.main(["down"]) == 0
    process.wait(timeout=10)

    lines = json_lines(tmp_path / "log" / "stack.jsonl")
    assert [(line["part"], line["message"]) for line in lines] == [("stack", f"stopped actions (pid {process.pid})")]
    assert "stopped actions (pid" not in capsys.readouterr().err  # INFO stays off the terminal
