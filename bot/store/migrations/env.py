"""Alembic environment for the record store.

Two ways in:
- programmatic (``bot.store.bootstrap.run_migrations``): the caller puts an open connection in
  ``config.attributes["connection"]``; logging is left alone.
- the ``alembic`` command (``alembic -c bot/store/alembic.ini upgrade head``): the URL comes from
  ``-x database_url=...``, else ``sqlalchemy.url`` in the ini, else ``RECERT_DATABASE_URL`` (via
  ``bot.settings``).
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy.engine import Connection

from bot.store.models import metadata

config = context.config
target_metadata = metadata

# A constant key for PostgreSQL's advisory lock: processes starting together migrate one at a time.
MIGRATION_LOCK_KEY = 7_315_021_118


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
        context.run_migrations()


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("database_url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if url:
        return url
    from bot.settings import load_settings

    return load_settings().database_url


def run_migrations_offline() -> None:
    context.configure(
        url=_url(), target_metadata=target_metadata, literal_binds=True, compare_type=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    from bot.store.bootstrap import make_engine

    engine = make_engine(_url())
    try:
        with engine.connect() as conn:
            _configure(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
