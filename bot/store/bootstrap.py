"""Where the record store's engine and session factory are made: here, once, never at import.

Entry points do not call this module: they go through the composition root
(:mod:`bot.composition`), which calls :func:`make_session_factory` once per database and process and
hands the factory to :class:`~bot.store.unit_of_work.SqlAlchemyUnitOfWork`. With ``migrate=True``
pending Alembic migrations are applied first, so a fresh SQLite file or an empty PostgreSQL database
is ready to use.
"""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _enable_sqlite_foreign_keys(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(database_url: str, **engine_options: Any) -> Engine:
    """A 2.0-style engine; for SQLite the file's directory is created and foreign keys enforced."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, **engine_options)
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        return engine
    engine_options.setdefault("pool_pre_ping", True)
    return create_engine(url, future=True, **engine_options)


def alembic_config(database_url: str | None = None) -> Config:
    """A programmatic Alembic configuration pointing at the package's migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if database_url:
        # ConfigParser interpolation: a literal % in a URL (escaped password) must be doubled.
        config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def run_migrations(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision`` (no-op when it is already there).

    Processes that start together (``recert up``) may all try: on PostgreSQL ``env.py`` takes an
    advisory lock; on a SQLite file a lock file beside it serialises them.
    """
    if revision == "head" and current_revision(engine) == head_revision():
        return
    with _sqlite_file_lock(engine):
        if revision == "head" and current_revision(engine) == head_revision():
            return  # another process migrated while we waited
        logger.info("applying store migrations up to %s", revision)
        config = alembic_config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    lock_path = Path(database).expanduser().with_name(Path(database).name + ".migrate-lock")
    with open(lock_path, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def make_session_factory(
    database_url: str, migrate: bool = True, **engine_options: Any
) -> sessionmaker:
    """The session factory a unit of work opens its sessions from.

    ``migrate=True`` applies pending migrations before returning. Sessions do not expire objects
    on commit: repositories hand out frozen dataclasses, not live rows.
    """
    engine = make_engine(database_url, **engine_options)
    if migrate:
        run_migrations(engine)
    return sessionmaker(bind=engine, class_=Session, future=True, expire_on_commit=False)
