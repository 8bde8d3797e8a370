"""The composition root: settings -> engine and session factory -> units of work, made here only.

Every entry point builds its store through this module: the CLI's commands, the action server
(``actions.base.default_uow_factory``), the Telegram gateway and ``recert up``.

    uows = composition.build(settings)          # a UowFactory
    with uows() as uow:
        ...

The engine and session factory are made on first use and cached per database URL, so a process
holds one connection pool per database however often it asks. ``build`` applies pending
migrations the first time it meets a database in a process (``migrate=False`` skips that), never
again per call; ``recert up`` migrates once before it starts the processes. Tests pass their own
unit-of-work factories (fakes, or ``SqlAlchemyUnitOfWork`` over a temporary database) instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from bot.store.conversations import ConversationLog
    from bot.store.unit_of_work import UnitOfWork

UowFactory = Callable[[], "UnitOfWork"]


@functools.lru_cache(maxsize=8)
def session_factory(database_url: str) -> sessionmaker[Session]:
    """The session factory (and so the engine) of one database, made once per process."""
    from bot.store.bootstrap import make_session_factory

    return make_session_factory(database_url, migrate=False)


@functools.lru_cache(maxsize=8)
def _migrate(database_url: str) -> None:
    from bot.store.bootstrap import run_migrations

    run_migrations(session_factory(database_url).kw["bind"])


def migrate(settings: Settings) -> None:
    """Apply the store's pending migrations; once per process and database."""
    _migrate(settings.database_url)


def build(settings: Settings, *, migrate: bool = True) -> UowFactory:
    """Fresh units of work over the settings' record store (migrated once per process)."""
    return uow_factory(settings.database_url, migrate=migrate)


@functools.lru_cache(maxsize=8)
def uow_factory(database_url: str, *, migrate: bool = True) -> UowFactory:
    """:func:`build` for a database URL: the same factory for the same database."""
    from bot.store.unit_of_work import SqlAlchemyUnitOfWork

    if migrate:
        _migrate(database_url)
    return functools.partial(SqlAlchemyUnitOfWork, session_factory(database_url))


def conversation_log(settings: Settings) -> ConversationLog:
    """Rasa's conversation events, in the tracker store ``recert up`` configures."""
    from bot.stack.runtime_config import tracker_store_url
    from bot.store.bootstrap import make_engine
    from bot.store.conversations import ConversationLog

    return ConversationLog(make_engine(tracker_store_url(settings)))
