"""The real unit of work for entry points (CLI, gateway), made from the settings."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Callable

from bot.settings import Settings

if TYPE_CHECKING:
    from bot.store.conversations import ConversationLog


@lru_cache(maxsize=8)
def _session_factory(database_url: str):  # type: ignore[no-untyped-def]
    from bot.store.bootstrap import make_session_factory

    return make_session_factory(database_url, migrate=True)


def uow_factory(settings: Settings) -> Callable[[], object]:
    """A callable returning a fresh ``SqlAlchemyUnitOfWork`` on the settings' database."""
    from bot.store.unit_of_work import SqlAlchemyUnitOfWork

    session_factory = _session_factory(settings.database_url)
    return lambda: SqlAlchemyUnitOfWork(session_factory)


def conversation_log(settings: Settings) -> "ConversationLog":
    """Rasa's conversation events, in the tracker store ``recert up`` configures."""
    from bot.stack.runtime_config import tracker_store_url
    from bot.store.bootstrap import make_engine
    from bot.store.conversations import ConversationLog

    return ConversationLog(make_engine(tracker_store_url(settings)))
