"""``recert import`` / ``check`` / ``demo`` through the real command line, on a fresh store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import PROJECT_ROOT
from tests.unit.test_import_validation import GOOD_YAML

DEMO_DATE = "2026-11-30"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> str:
    """The CLI's environment: a store nobody has migrated yet, and no frozen today."""
    monkeypatch.setenv("RECERT_DATABASE_URL", database_url)
    monkeypatch.delenv("RECERT_TODAY", raising=False)
    return database_url


@pytest.fixture
def records(tmp_path: Path) -> Path:
    path = tmp_path / "records.yml"
    path.write_text(GOOD_YAML, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_then_check_json(env: str, records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "import", str(records))
    assert (code, err) == (0, "")
    assert "3 trainers (3 created, 0 updated, 0 unchanged)" in out
    code, out, err = run(capsys, "check", "T-1001", "--today", "2026-03-01", "--json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert {k: result[k] for k in ("trainer_id", "name", "today", "timezone")} == {
        "trainer_id": "T-1001",
        "name": "Dana Smith",
        "today": "2026-03-01",
        "timezone": "America/Chicago",
    }
    (credential,) = result["credentials"]
    for key in (
        "program", "expires_on", "phase", "days_until_expiration", "ceus_required", "ceus_earned",
        "ceus_remaining", "ceus_pending", "cpr_aed_valid", "ce_deadline", "late_fee_deadline",
        "application_deadline", "renewable", "fees", "audit", "next_steps",
    ):
        assert key in credential, key
    assert credential["program"] == "nasm-cpt"
    assert credential["expires_on"] == "2026-03-01"
    assert credential["phase"] == "active"
    assert credential["days_until_expiration"] == 0  # valid through the end of its expiry day
    assert (credential["ceus_earned"], credential["ceus_pending"]) == ("2.0", "0.3")
    assert set(credential["fees"]) >= {"renewal", "late", "total"}
    assert credential["audit"] == {
        **credential["audit"], "selected_on": "2026-02-25", "documents_due": "2026-03-27", "status": "pending",
    }


def test_check_uses_recert_today_and_prints_a_summary(
    env: str, records: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "import", str(records))
    monkeypatch.setenv("RECERT_TODAY", "2026-04-01")
    code, out, err = run(capsys, "check", "T-1003")
    assert (code, err) == (0, "")
    assert out.startswith("T-1003 Sam Rivera - 2026-04-01 (Pacific/Auckland)")
    assert "late fee" in out
    code, out, _ = run(capsys, "check", "T-1003", "--today", "2026-01-10", "--json")
    assert json.loads(out)["credentials"][0]["phase"] == "active"  # --today wins over RECERT_TODAY


def test_check_without_a_frozen_day_uses_the_trainers_date(
    env: str, records: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.clock import today_in

    run(capsys, "import", str(records))
    code, out, _ = run(capsys, "check", "T-1003", "--json")
    assert code == 0
    assert json.loads(out)["today"] == today_in("Pacific/Auckland").isoformat()


def test_reimport_reports_unchanged(env: str, records: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "import", str(records))
    code, out, _ = run(capsys, "import", str(records))
    assert code == 0
    assert "3 trainers (0 created, 0 updated, 3 unchanged)" in out


def test_rejected_import_exits_1_naming_the_record(
    env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(GOOD_YAML.replace("ceus: 0.3", "ceus: -0.3"), encoding="utf-8")
    code, out, err = run(capsys, "import", str(bad))
    assert code == 1 and out == ""
    assert err.startswith(f"recert: {bad}: rejected, nothing was written (1 problem):")
    assert "trainers[0] (T-1001).ce_records[1].ceus: must not be negative" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, "check", "T-1001")
    assert code == 1 and "no trainer with id 'T-1001'" in err


def test_unknown_trainer_exits_1(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "T-9999")
    assert (code, out) == (1, "")
    assert err == (
        "recert: no trainer with id 'T-9999' in the store (load records with `recert import FILE`)\n"
    )


@pytest.mark.parametrize("bad", ["2026-02-30", "tomorrow", "30/11/2026", ""])
def test_bad_today_exits_2(env: str, capsys: pytest.CaptureFixture[str], bad: str) -> None:
    code, out, err = run(capsys, "check", "T-1001", "--today", bad)
    assert (code, out) == (2, "")
    assert err == f"recert check: --today must be an ISO date (YYYY-MM-DD), got {bad!r}\n"


# --- the demo records: every row of bot/demo/README.md --------------------------------------

DEMO_EXPECTED = {
    # id: (phase, days_until_expiration, renewable, earned, remaining, pending, cpr status, total fee, audit,
    #      renewable_if_petitions_approved)
    "T-1001": ("active", 91, True, "2.0", "0.0", "0.0", "valid", "99.00", None, True),
    "T-1002": ("active", 136, True, "0.8", "1.2", "0.3", "expired", "99.00", None, True),
    "T-1003": ("active", 4, True, "2.0", "0.0", "0.0", "valid", "99.00", None, True),
    "T-1004": ("late_fee", -46, True, "2.0", "0.0", "0.0", "valid", "129.00", None, True),
    "T-1005": ("late_additional_fee", -153, True, "2.0", "0.0", "0.0", "valid", "149.00", None, True),
    "T-1006": ("late_additional_fee", -183, False, "0.9", "1.1", "0.0", "valid", None, None, False),
    "T-1007": ("lapsed", -426, False, "1.5", "0.5", "0.0", "missing", None, None, False),
    "T-1008": ("active", 90, True, "1.5", "0.5", "0.0", "not_hands_on", "0.00", None, True),
    "T-1009": ("active", 456, True, "1.5", "0.5", "0.0", "needs_confirmation", "99.00", None, True),
    "T-1010": ("active", 20, True, "2.0", "0.0", "0.0", "valid", "99.00", "pending", True),
    "T-1011": ("late_fee", -30, True, "2.0", "0.0", "0.0", "valid", "99.00", "overdue", True),
    "T-1012": ("active", 62, True, "0.7", "1.3", "1.3", "valid", "99.00", None, True),
    "T-1013": ("late_additional_fee", -122, True, "1.9", "0.1", "0.0", "expired", "149.00", None, True),
    "T-1014": ("late_additional_fee", -168, False, "1.6", "0.4", "0.4", "valid", None, None, True),
    "T-1015": ("lapsed", -411, True, "2.0", "0.0", "0.0", "valid", "149.00", None, True),
}


def test_demo_loads_and_every_trainer_says_what_the_readme_says(
    env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, "demo")
    assert (code, err) == (0, "")
    assert "15 trainers (15 created, 0 updated, 0 unchanged)" in out
    monkeypatch.setenv("RECERT_TODAY", DEMO_DATE)
    for trainer_id, expected in DEMO_EXPECTED.items():
        code, out, err = run(capsys, "check", trainer_id, "--json")
        assert (code, err) == (0, ""), trainer_id
        (c,) = json.loads(out)["credentials"]
        actual = (
            c["phase"], c["days_until_expiration"], c["renewable"], c["ceus_earned"],
            c["ceus_remaining"], c["ceus_pending"], c["cpr_aed"]["status"],
            c["fees"]["total"] if c["renewable"] else None,
            c["audit"]["status"] if c["audit"] else None,
            c["renewable_if_petitions_approved"],
        )
        assert actual == expected, trainer_id
    readme = (PROJECT_ROOT / "bot" / "demo" / "README.md").read_text(encoding="utf-8")
    assert all(f"| {trainer_id} |" in readme for trainer_id in DEMO_EXPECTED)
    code, out, _ = run(capsys, "demo")
    assert code == 0 and "15 trainers (0 created, 0 updated, 15 unchanged)" in out


def test_demo_time_zones_and_leap_day(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "demo")
    zones = set()
    for trainer_id in DEMO_EXPECTED:
        _, out, _ = run(capsys, "check", trainer_id, "--json", "--today", DEMO_DATE)
        zones.add(json.loads(out)["timezone"])
    assert {"America/Chicago", "America/Los_Angeles", "Europe/London", "Pacific/Auckland"} <= zones
    _, out, _ = run(capsys, "check", "T-1009", "--json", "--today", DEMO_DATE)
    leap = json.loads(out)["credentials"][0]
    assert (leap["expires_on"], leap["application_deadline"]) == ("2028-02-29", "2029-02-27")


def test_the_installed_command_line_in_a_subprocess(env: str, records: Path, tmp_path: Path) -> None:
    environment = {**os.environ, "RECERT_DATABASE_URL": env, "RECERT_TODAY": DEMO_DATE}

    def recert(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", *argv],
            cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True, timeout=120,
        )

    done = recert("import", str(records))
    assert done.returncode == 0, done.stderr
    done = recert("check", "T-1002", "--json")
    assert done.returncode == 0 and json.loads(done.stdout)["credentials"][0]["plan"] == "lifetime"
    broken = tmp_path / "broken.json"
    broken.write_text('{"trainers": [', encoding="utf-8")
    done = recert("import", str(broken))
    assert done.returncode == 1
    assert done.stderr.startswith(f"recert: {broken}: malformed JSON at line 1")
    assert "Traceback" not in done.stderr
    done = recert("check", "T-1002", "--today", "2026-02-30")
    assert done.returncode == 2 and "Traceback" not in done.stderr


def test_a_reader_that_goes_away_gets_no_traceback(env: str, tmp_path: Path) -> None:
    """`recert config | head -2`: the pipe is closed before the command writes; it stops quietly."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "config"], cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "RECERT_VAR_DIR": str(tmp_path)},
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first line
    error = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141, error
    assert "Traceback" not in error and "BrokenPipeError" not in error
