"""`recert remind --dry-run [--json]` on the demo records and `recert reminders TRAINER_ID`."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from bot.cli import main
from tests.integration.test_cli_records import run


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path) -> None:
    monkeypatch.setenv("RECERT_DATABASE_URL", database_url)
    monkeypatch.setenv("RECERT_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("RECERT_TODAY", raising=False)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["demo"]) == 0


def test_dry_run_json_on_the_demo_records(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code, out, err = run(capsys, "remind", "--dry-run", "--json", "--now", "2026-11-30T16:00:00Z")
    assert code == 0
    plan = json.loads(out)
    by_trainer = {item["trainer_id"]: item for item in plan}
    assert "T-1009" not in by_trainer  # opted out in the demo file
    assert by_trainer["T-1012"]["milestone"] == "-90d"
    assert "You need 1.3 more CEUs by January 31, 2027 to avoid the $30.00 late fee." in by_trainer["T-1012"]["text"]
    assert by_trainer["T-1005"]["send_at"] == "2026-12-01T09:00:00+13:00"  # 05:00 in Auckland: the next 09:00
    for item in plan:
        assert {"trainer_id", "program", "milestone", "send_at", "text"} <= set(item)
        assert datetime.fromisoformat(item["send_at"]).utcoffset() is not None
    assert "nothing sent (dry run)" in err
    # nothing was recorded
    code, out, _ = run(capsys, "reminders", "T-1012")
    assert code == 0 and "reminders on" in out and "No reminders on record." in out


def test_a_real_pass_needs_the_bot_token(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "remind")
    assert code == 1 and "TELEGRAM_BOT_TOKEN" in err and "--dry-run" in err


def test_history_of_an_unknown_trainer(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "reminders", "T-404")
    assert code == 1 and "T-404" in err


def test_bad_now(demo: None, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "remind", "--dry-run", "--now", "tomorrow")
    assert code == 1 and "--now" in err
