"""The unit of work: one session, one transaction, the repositories that use it.

    with SqlAlchemyUnitOfWork(session_factory) as uow:
        record = uow.trainers.get_record("T-1001")
        ...
        uow.commit()          # without it, everything is rolled back on exit

The session opens in ``__enter__`` and closes in ``__exit__``; uncommitted work is rolled back,
also when the block raises. The repositories are declared on :class:`UnitOfWork`, one attribute per
module of ``bot/store/repositories/`` (``tests/unit/test_unit_of_work_declares_repositories.py``
fails when a module is missing here); services take a ``UnitOfWork`` and the test fakes declare the
same attributes, so mypy checks both against the real repositories. A new repository means a line
in :class:`UnitOfWork` and one in :data:`REPOSITORIES`.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Protocol

from sqlalchemy.orm import Session

from bot.store.repositories.buttons import ButtonRepository
from bot.store.repositories.catalog import CatalogRepository
from bot.store.repositories.handoff import HandoffTicketRepository
from bot.store.repositories.identities import IdentityRepository
from bot.store.repositories.link_codes import LinkCodeRepository
from bot.store.repositories.privacy import PrivacyRepository
from bot.store.repositories.relay import RelayRepository
from bot.store.repositories.reminders import ReminderRepository
from bot.store.repositories.telegram_updates import TelegramUpdateRepository
from bot.store.repositories.trainers import TrainerRepository


class UnitOfWork(Protocol):
    """What services take: the repositories, declared, and the transaction."""

    trainers: TrainerRepository
    catalog: CatalogRepository
    identities: IdentityRepository
    link_codes: LinkCodeRepository
    handoff: HandoffTicketRepository
    relay: RelayRepository
    buttons: ButtonRepository
    privacy: PrivacyRepository
    reminders: ReminderRepository
    telegram_updates: TelegramUpdateRepository

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


#: The repositories a unit of work attaches on enter: attribute -> class taking its Session.
REPOSITORIES: dict[str, Callable[[Session], Any]] = {
    "trainers": TrainerRepository,
    "catalog": CatalogRepository,
    "identities": IdentityRepository,
    "link_codes": LinkCodeRepository,
    "handoff": HandoffTicketRepository,
    "relay": RelayRepository,
    "buttons": ButtonRepository,
    "privacy": PrivacyRepository,
    "reminders": ReminderRepository,
    "telegram_updates": TelegramUpdateRepository,
}


class SqlAlchemyUnitOfWork:
    trainers: TrainerRepository
    catalog: CatalogRepository
    identities: IdentityRepository
    link_codes: LinkCodeRepository
    handoff: HandoffTicketRepository
    relay: RelayRepository
    buttons: ButtonRepository
    privacy: PrivacyRepository
    reminders: ReminderRepository
    telegram_updates: TelegramUpdateRepository
    session: Session

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self.session_factory = session_factory
        self._open = False

    def __enter__(self) -> SqlAlchemyUnitOfWork:
        if self._open:
            raise RuntimeError("this unit of work is already open")
        self.session = self.session_factory()
        for name, repository in REPOSITORIES.items():
            setattr(self, name, repository(self.session))
        self._open = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            self.session.close()
            self._open = False
            for name in REPOSITORIES:
                self.__dict__.pop(name, None)

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    def __getattr__(self, name: str) -> Any:
        # Only reached for attributes not set: a repository used outside ``with uow:``.
        if name in REPOSITORIES:
            raise RuntimeError(f"uow.{name} is only available inside 'with uow:'")
        raise AttributeError(name)

