"""Shared fixtures: a migrated record store on SQLite, and on PostgreSQL when configured; the root
logger put back after a test that configures logging (``restore_root_logging``).

``database_url`` is parametrized: every test using it (or ``session_factory`` / ``uow_factory``)
runs on a fresh SQLite file, and again on PostgreSQL when ``RECERT_TEST_DATABASE_URL`` is set
(e.g. ``postgresql+psycopg2://postgres@127.0.0.1:5432/test``); otherwise that variant is
skipped with the reason shown by ``pytest -rs``. Each PostgreSQL test gets its own schema
(through the connection's ``search_path``), dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from bot.store.bootstrap import make_engine, make_session_factory
from bot.store.unit_of_work import SqlAlchemyUnitOfWork
from tests.log_support import restored_root_logging

PG_ENV = "RECERT_TEST_DATABASE_URL"


def _postgres_schema_url(base_url: str, schema: str) -> str:
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (not yet migrated): a SQLite file, or a fresh PostgreSQL schema."""
    yield from fresh_database(request.param, tmp_path)


def fresh_database(kind: str, sqlite_dir: Path) -> Iterator[str]:
    """The URL of an empty database of ``kind`` ("sqlite" or "postgresql"), removed afterwards.

    For fixtures: ``yield from fresh_database(...)``. PostgreSQL is skipped when not configured.
    """
    if kind == "sqlite":
        yield f"sqlite:///{sqlite_dir / 'store.sqlite3'}"
        return
    base_url = os.environ.get(PG_ENV)
    if not base_url:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL variant not run")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield _postgres_schema_url(base_url, schema)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def session_factory(database_url: str) -> Iterator[sessionmaker]:
    """A session factory over the migrated store."""
    factory = make_session_factory(database_url, migrate=True)
    yield factory
    factory.kw["bind"].dispose()


@pytest.fixture
def uow_factory(session_factory: sessionmaker) -> Callable[[], SqlAlchemyUnitOfWork]:
    return lambda: SqlAlchemyUnitOfWork(session_factory)


@pytest.fixture
def restore_root_logging() -> Iterator[None]:
    """For a test that calls ``bot.logs.configure``/``attach`` or the CLI: pytest's handlers put back."""
    with restored_root_logging():
        yield
