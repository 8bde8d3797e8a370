"""Repositories of the record store, one module each.

A module here becomes an attribute of every :class:`~bot.store.unit_of_work.SqlAlchemyUnitOfWork`
when it defines two names:

    REPOSITORY_NAME = "handoff"          # the attribute: ``uow.handoff``
    Repository = HandoffTicketRepository # a class taking the unit of work's ``Session``

Nothing else needs editing: :func:`discover` finds the modules. A repository works on the
session it is given and never commits; the unit of work does.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import Any, Callable

from sqlalchemy.orm import Session

RepositoryFactory = Callable[[Session], Any]


@lru_cache(maxsize=None)
def discover() -> tuple[tuple[str, RepositoryFactory], ...]:
    """(attribute name, repository class) for every repository module in this package."""
    found: dict[str, RepositoryFactory] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        name = getattr(module, "REPOSITORY_NAME", None)
        factory = getattr(module, "Repository", None)
        if name is None or factory is None:
            continue
        if name in found:
            raise RuntimeError(f"two repository modules claim uow.{name}")
        found[name] = factory
    return tuple(found.items())
