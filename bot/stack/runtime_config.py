"""The endpoints and credentials files Rasa is started with, generated from the settings.

They live under ``var/run/`` and follow the environment, so a test with its own
``RECERT_VAR_DIR``, database and ports gets its own tracker store, lock store and
action server address without touching the project's files. Every Rasa instance of
the stack is started with the same two files: they share the tracker store (Rasa's
own ``events`` table) and, with ``RECERT_LOCK_STORE_URL``, the Redis lock store that
lets only one instance at a time handle a conversation.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import yaml
from sqlalchemy.engine import make_url

from bot.errors import ConfigError
from bot.settings import Settings

TRACKER_DB_NAME = "rasa-tracker.sqlite3"
REDIS_DEFAULT_PORT = 6379


def tracker_store_url(settings: Settings) -> str:
    """The SQLAlchemy URL of the database that holds Rasa's ``events`` table.

    ``RECERT_TRACKER_STORE_URL`` when set; otherwise the record store's server database, or a
    SQLite file of its own beside a SQLite record store (Rasa and the action server would
    otherwise contend for one SQLite lock).
    """
    if settings.tracker_store_url:
        return settings.tracker_store_url
    if make_url(settings.database_url).get_backend_name() == "sqlite":
        return f"sqlite:///{settings.var_dir / TRACKER_DB_NAME}"
    return settings.database_url


def tracker_store_config(settings: Settings) -> dict[str, Any]:
    """Rasa's SQL tracker store for :func:`tracker_store_url`, the URL's query included.

    Rasa 3.6's ``SQLTrackerStore`` builds its engine URL from ``dialect``, ``url`` (the host),
    ``port``, ``db``, ``username``, ``password`` and ``query`` (a mapping handed to the driver:
    ``sslmode``, a socket ``host``, ``options=-csearch_path=...``), so each part is passed on.
    """
    url = make_url(tracker_store_url(settings))
    if url.get_backend_name() == "sqlite":
        return {"type": "SQL", "dialect": "sqlite", "db": url.database or ""}
    config: dict[str, Any] = {
        "type": "SQL",
        "dialect": url.drivername,
        "url": url.host,
        "port": url.port,
        "db": url.database,
        "username": url.username,
        "password": url.password,
        # A key given twice (?host=a&host=b) stays a list, as SQLAlchemy hands it to the driver.
        "query": {key: (list(value) if isinstance(value, tuple) else value) for key, value in url.query.items()}
        or None,
    }
    return {key: value for key, value in config.items() if value is not None}


def lock_store_config(lock_store_url: str) -> dict[str, Any]:
    """Rasa's ``RedisLockStore`` for ``redis://[user:password@]host[:port][/db][?key_prefix=name]``.

    ``rediss://`` turns TLS on. ``key_prefix`` (letters and digits, Rasa ignores anything else)
    separates this stack's locks from another's in the same Redis database.
    """
    parts = urlsplit(lock_store_url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ConfigError(f"RECERT_LOCK_STORE_URL must look like redis://host:6379/0, got {lock_store_url!r}")
    db_path = parts.path.strip("/")
    if db_path and not db_path.isdigit():
        raise ConfigError(f"RECERT_LOCK_STORE_URL: the Redis database must be a number, got {db_path!r}")
    query = parse_qs(parts.query)
    key_prefix = query.get("key_prefix", [None])[-1]
    if key_prefix is not None and not key_prefix.isalnum():
        raise ConfigError(f"RECERT_LOCK_STORE_URL: key_prefix must be letters and digits, got {key_prefix!r}")
    config: dict[str, Any] = {
        "type": "redis",
        "url": parts.hostname,
        "port": parts.port or REDIS_DEFAULT_PORT,
        "db": int(db_path or 0),
        "username": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
        "use_ssl": parts.scheme == "rediss" or None,
        "key_prefix": key_prefix,
    }
    return {key: value for key, value in config.items() if value is not None}


def endpoints_config(settings: Settings) -> dict[str, Any]:
    config: dict[str, Any] = {
        "action_endpoint": {"url": f"http://127.0.0.1:{settings.action_server_port}/webhook"},
        "tracker_store": tracker_store_config(settings),
    }
    if settings.lock_store_url:
        config["lock_store"] = lock_store_config(settings.lock_store_url)
    return config


def credentials_config() -> dict[str, Any]:
    # The channel adapters (terminal, Telegram gateway) all speak Rasa's REST channel.
    return {"rest": None}


def write_runtime_config(settings: Settings, run_dir: Path) -> tuple[Path, Path]:
    """Write ``endpoints.yml`` and ``credentials.yml`` into ``run_dir``; their paths."""
    run_dir.mkdir(parents=True, exist_ok=True)
    endpoints = run_dir / "endpoints.yml"
    credentials = run_dir / "credentials.yml"
    # May hold a database or Redis password: readable by the owner only, from the start.
    write_private(endpoints, yaml.safe_dump(endpoints_config(settings), sort_keys=False))
    credentials.write_text(yaml.safe_dump(credentials_config(), sort_keys=False))
    return endpoints, credentials


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, readable by the owner only from the first byte."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
