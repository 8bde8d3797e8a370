"""The endpoints and credentials files Rasa is started with, generated from the settings.

They live under ``var/run/`` and follow the environment, so a test with its own
``RECERT_VAR_DIR``, database and ports gets its own tracker store and action
server address without touching the project's files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import make_url

from bot.settings import Settings

TRACKER_DB_NAME = "rasa-tracker.sqlite3"


def tracker_store_url(settings: Settings) -> str:
    """The SQLAlchemy URL of the database that holds Rasa's ``events`` table (see below)."""
    if make_url(settings.database_url).get_backend_name() == "sqlite":
        return f"sqlite:///{settings.var_dir / TRACKER_DB_NAME}"
    return settings.database_url


def tracker_store_config(settings: Settings) -> dict[str, Any]:
    """Rasa's SQL tracker store: a SQLite file beside the record store, or the same server database."""
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        # A file of its own: Rasa and the action server would otherwise contend for one SQLite lock.
        return {"type": "SQL", "dialect": "sqlite", "db": str(settings.var_dir / TRACKER_DB_NAME)}
    config: dict[str, Any] = {
        "type": "SQL",
        "dialect": url.drivername,
        "url": url.host,
        "db": url.database,
        "username": url.username,
        "password": url.password,
    }
    if url.port:
        config["port"] = url.port
    return {key: value for key, value in config.items() if value is not None}


def endpoints_config(settings: Settings) -> dict[str, Any]:
    return {
        "action_endpoint": {"url": f"http://127.0.0.1:{settings.action_server_port}/webhook"},
        "tracker_store": tracker_store_config(settings),
    }


def credentials_config() -> dict[str, Any]:
    # The channel adapters (terminal, Telegram gateway) all speak Rasa's REST channel.
    return {"rest": None}


def write_runtime_config(settings: Settings, run_dir: Path) -> tuple[Path, Path]:
    """Write ``endpoints.yml`` and ``credentials.yml`` into ``run_dir``; their paths."""
    run_dir.mkdir(parents=True, exist_ok=True)
    endpoints = run_dir / "endpoints.yml"
    credentials = run_dir / "credentials.yml"
    # May hold a database password: readable by the owner only, from the start.
    fd = os.open(endpoints, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(yaml.safe_dump(endpoints_config(settings), sort_keys=False))
    credentials.write_text(yaml.safe_dump(credentials_config(), sort_keys=False))
    return endpoints, credentials
