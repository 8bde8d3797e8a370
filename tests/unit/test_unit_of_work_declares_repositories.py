"""Every repository module of the store is declared on the UnitOfWork (none discovered at run time)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing

import bot.store.repositories as package
from bot.store.unit_of_work import REPOSITORIES, SqlAlchemyUnitOfWork, UnitOfWork


def _repository_classes() -> dict[str, type]:
    """module name -> the repository class it defines (a class named ``...Repository``)."""
    found: dict[str, type] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        classes = [
            cls
            for name, cls in inspect.getmembers(module, inspect.isclass)
            if cls.__module__ == module.__name__ and name.endswith("Repository")
        ]
        assert len(classes) == 1, f"{module.__name__}: expected one repository class, found {classes}"
        found[info.name] = classes[0]
    return found


def test_every_repository_module_is_declared_on_the_unit_of_work() -> None:
    declared = typing.get_type_hints(UnitOfWork)
    for module, cls in _repository_classes().items():
        names = [name for name, hint in declared.items() if hint is cls]
        assert names, f"bot/store/repositories/{module}.py: add its {cls.__name__} to UnitOfWork and REPOSITORIES"
        assert all(REPOSITORIES.get(name) is cls for name in names), f"{names}: declared but not in REPOSITORIES"


def test_the_real_unit_of_work_declares_the_same_repositories() -> None:
    protocol = {k: v for k, v in typing.get_type_hints(UnitOfWork).items()}
    real = typing.get_type_hints(SqlAlchemyUnitOfWork)
    assert {name: real[name] for name in REPOSITORIES} == {name: protocol[name] for name in REPOSITORIES}
    assert set(REPOSITORIES) == set(protocol)
