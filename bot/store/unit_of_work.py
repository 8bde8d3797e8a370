"""The unit of work: one session, one transaction, the repositories that use it.

    with SqlAlchemyUnitOfWork(session_factory) as uow:
        record = uow.trainers.get_record("T-1001")
        ...
        uow.commit()          # without it, everything is rolled back on exit

The session opens in ``__enter__`` and closes in ``__exit__``; uncommitted work is rolled back,
also when the block raises. Repositories are attached on enter: every module in
``bot/store/repositories/`` with ``REPOSITORY_NAME`` and ``Repository`` (see that package's
docstring), so adding a repository never means editing this file. ``repositories=`` replaces
the discovered set (e.g. a test that needs only one).
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Callable, Mapping, Protocol

from sqlalchemy.orm import Session

from bot.store.repositories import RepositoryFactory, discover
from bot.store.repositories.buttons import ButtonRepository
from bot.store.repositories.catalog import CatalogRepository
from bot.store.repositories.handoff import HandoffTicketRepository
from bot.store.repositories.identities import IdentityRepository
from bot.store.repositories.link_codes import LinkCodeRepository
from bot.store.repositories.privacy import PrivacyRepository
from bot.store.repositories.relay import RelayRepository
from bot.store.repositories.trainers import TrainerRepository


class UnitOfWork(Protocol):
    """What services take: the repositories, declared, and the transaction.

    One attribute per module of ``bot/store/repositories/`` (a test keeps that honest). The
    fakes in the tests declare the same attributes; mypy checks them against these signatures.
    """

    trainers: TrainerRepository
    catalog: CatalogRepository
    identities: IdentityRepository
    link_codes: LinkCodeRepository
    handoff: HandoffTicketRepository
    relay: RelayRepository
    buttons: ButtonRepository
    privacy: PrivacyRepository

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class SqlAlchemyUnitOfWork:
    trainers: TrainerRepository
    catalog: CatalogRepository
    identities: IdentityRepository
    link_codes: LinkCodeRepository
    handoff: HandoffTicketRepository
    relay: RelayRepository
    buttons: ButtonRepository
    privacy: PrivacyRepository
    session: Session

    def __init__(
        self,
        session_factory: Callable[[], Session],
        repositories: Mapping[str, RepositoryFactory] | None = None,
    ) -> None:
        self.session_factory = session_factory
        self._repositories = dict(discover()) if repositories is None else dict(repositories)
        self._open = False

    def __enter__(self) -> SqlAlchemyUnitOfWork:
        if self._open:
            raise RuntimeError("this unit of work is already open")
        self.session = self.session_factory()
        for name, factory in self._repositories.items():
            setattr(self, name, factory(self.session))
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
            for name in self._repositories:
                self.__dict__.pop(name, None)

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    def __getattr__(self, name: str) -> Any:
        # Only reached for attributes not set: a repository used outside ``with uow:``.
        if not name.startswith("_") and name in self.__dict__.get("_repositories", {}):
            raise RuntimeError(f"uow.{name} is only available inside 'with uow:'")
        raise AttributeError(name)
