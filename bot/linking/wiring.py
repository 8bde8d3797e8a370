"""Moved to :mod:`bot.composition` (the one composition root); these names stay for callers not yet moved."""

from __future__ import annotations

from bot.composition import build as uow_factory
from bot.composition import conversation_log

__all__ = ["conversation_log", "uow_factory"]
