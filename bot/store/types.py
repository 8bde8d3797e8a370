"""Column types that behave the same on SQLite and PostgreSQL.

- :class:`Ceus` stores a one-decimal CEU figure as ``NUMERIC(4, 1)`` and always returns a
  ``Decimal`` (SQLite hands back a float; it is turned into text first, never used as a float).
- :class:`UtcDateTime` stores timezone-aware datetimes in UTC and returns them aware in UTC
  (SQLite keeps no zone, so the zone is put back on read).
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

TENTH = Decimal("0.1")
_FROM_NUMBER: dict[object, Decimal] = {}  # SQLite's float/int -> Decimal; at most 10,000 values fit NUMERIC(4, 1)


class Ceus(TypeDecorator):
    """``NUMERIC(4, 1)`` in, ``Decimal`` out, on every dialect."""

    impl = Numeric(4, 1)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.supports_native_decimal:
            return dialect.type_descriptor(Numeric(4, 1, asdecimal=True))
        # SQLite: no decimal type; read the stored number back as-is and convert below.
        return dialect.type_descriptor(Numeric(4, 1, asdecimal=False))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, float):
            value = repr(value)
        return Decimal(value).quantize(TENTH)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, Decimal):
            return value.quantize(TENTH)
        cached = _FROM_NUMBER.get(value)
        if cached is None:
            # repr() of a float is the shortest text that reads back as the same float: "1.9", never 1.8999...
            cached = Decimal(repr(value) if isinstance(value, float) else str(value)).quantize(TENTH)
            if len(_FROM_NUMBER) < 20_000:
                _FROM_NUMBER[value] = cached
        return cached


class UtcDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp; naive datetimes are refused on write."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"expected a timezone-aware datetime, got {value!r}")
        value = value.astimezone(timezone.utc)
        return value if dialect.name == "postgresql" else value.replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
