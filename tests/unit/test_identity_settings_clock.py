"""Signed identity, settings from the environment, and the trainer's "today"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.clock import today_in
from bot.errors import ConfigError
from bot.identity import sign_identity, verify_identity
from bot.settings import load_settings

SECRET = "s3cret"
NOW = 1_800_000_000


def metadata(**identity: object) -> dict[str, object]:
    return {"identity": identity}


def test_valid_identity_is_accepted() -> None:
    identity = sign_identity("T-1001", "telegram:42", SECRET, issued_at=NOW)
    assert verify_identity({"identity": identity}, "telegram:42", SECRET, now=NOW + 10) == "T-1001"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda i: {**i, "trainer_id": "T-1002"},  # another trainer's id typed in
        lambda i: {**i, "signature": "0" * 64},
        lambda i: {**i, "issued_at": str(i["issued_at"])},
        lambda i: {k: v for k, v in i.items() if k != "signature"},
    ],
)
def test_tampered_identity_is_not_linked(tamper: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    identity = tamper(sign_identity("T-1001", "telegram:42", SECRET, issued_at=NOW))
    assert verify_identity({"identity": identity}, "telegram:42", SECRET, now=NOW) is None


def test_identity_for_another_sender_stale_or_wrong_key_is_refused() -> None:
    identity = sign_identity("T-1001", "telegram:42", SECRET, issued_at=NOW)
    assert verify_identity({"identity": identity}, "telegram:43", SECRET, now=NOW) is None
    assert verify_identity({"identity": identity}, "telegram:42", SECRET, now=NOW + 301) is None
    assert verify_identity({"identity": identity}, "telegram:42", "other", now=NOW) is None
    assert verify_identity(None, "telegram:42", SECRET, now=NOW) is None
    assert verify_identity({"identity": "T-1001"}, "telegram:42", SECRET, now=NOW) is None


def test_settings_defaults_and_overrides(tmp_path: Path) -> None:
    settings = load_settings({"RECERT_VAR_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path}/recert.sqlite3"
    assert settings.today is None and settings.rasa_url == "http://127.0.0.1:5005"
    frozen = load_settings({"RECERT_TODAY": "2026-11-30", "RECERT_DATABASE_URL": "postgresql://x/y"})
    assert frozen.today == date(2026, 11, 30) and frozen.database_url == "postgresql://x/y"


@pytest.mark.parametrize(
    ("env", "named"),
    [({"RECERT_TODAY": "30/11/2026"}, "RECERT_TODAY"), ({"RECERT_RASA_PORT": "99999"}, "RECERT_RASA_PORT")],
)
def test_bad_settings_name_the_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_settings(env)


def test_today_is_the_trainers_calendar_date() -> None:
    moment = datetime(2026, 11, 30, 3, 0, tzinfo=timezone.utc)  # still the 29th in Chicago
    assert today_in("America/Chicago", now=moment) == date(2026, 11, 29)
    assert today_in("Pacific/Auckland", now=moment) == date(2026, 11, 30)
    assert today_in("Not/AZone", now=moment) == date(2026, 11, 30)
    assert today_in("America/Chicago", frozen=date(2025, 1, 1), now=moment) == date(2025, 1, 1)
