"""One frozen settings object, built from the environment in one place.

Entry points call :func:`load_settings` once and pass the result down; nothing
else reads ``os.environ``. Invalid values fail here with the variable named.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Mapping

from bot.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    database_url: str
    today: date | None  # RECERT_TODAY: a frozen "today" for tests and demos
    identity_secret: str
    var_dir: Path
    rasa_url: str
    rasa_token: str
    action_server_port: int
    rasa_port: int
    telegram_bot_token: str | None
    telegram_api_base_url: str
    identity_max_age_seconds: int = 300


def _parse_date(name: str, raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an ISO date (YYYY-MM-DD), got {raw!r}") from None


def _parse_port(name: str, raw: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"{name} must be a TCP port number, got {raw!r}")
    return int(raw)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read the ``RECERT_*`` and ``TELEGRAM_*`` variables (see README, "Configuration")."""
    env = os.environ if environ is None else environ
    var_dir = Path(env.get("RECERT_VAR_DIR", str(PROJECT_ROOT / "var")))
    today_raw = env.get("RECERT_TODAY", "").strip()
    rasa_port = _parse_port("RECERT_RASA_PORT", env.get("RECERT_RASA_PORT", "5005"))
    return Settings(
        database_url=env.get("RECERT_DATABASE_URL") or f"sqlite:///{var_dir / 'recert.sqlite3'}",
        today=_parse_date("RECERT_TODAY", today_raw) if today_raw else None,
        # The local default only protects a single-user terminal demo; production sets its own.
        identity_secret=env.get("RECERT_IDENTITY_SECRET") or "local-development-secret",
        var_dir=var_dir,
        rasa_url=env.get("RECERT_RASA_URL", f"http://127.0.0.1:{rasa_port}"),
        rasa_token=env.get("RECERT_RASA_TOKEN") or "local-development-token",
        action_server_port=_parse_port(
            "RECERT_ACTION_PORT", env.get("RECERT_ACTION_PORT", "5055")
        ),
        rasa_port=rasa_port,
        telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN") or None,
        telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot"),
    )
