"""Non-negative decimal amounts (CEUs, fees) read from their text, never through a binary float.

One validator for every file that carries such amounts: the policy file (``rules.policy``) and
the import format (``bot.importing.schema``). :func:`parse_amount` does the checking; a subclass
of :class:`Amount` is the pydantic 1.10 field type (pydantic only at this edge of ``rules``).

The bound is checked before the places: quantizing ``1E+100`` to tenths overflows the decimal
context (``InvalidOperation``), and so would formatting it as money later.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar


def parse_amount(
    value: Any,
    *,
    maximum: Decimal,
    places: int | None = None,
    expected: str = "must be a decimal number",
    unit: str = "",
    places_hint: str = "",
) -> Decimal:
    """``value`` (text or a number) as a finite decimal in ``[0, maximum]``.

    With ``places`` it may have at most that many decimal places and is returned quantized to
    them. Raises ``ValueError`` with a message that reads after a field name.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise ValueError(expected)
    # A float arrives here only from callers passing Python data: str() gives its shortest exact
    # spelling ("1.9"), so it is never used as a binary float.
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(expected) from None
    if not amount.is_finite():
        raise ValueError(f"must be a finite number{unit}")
    if amount < 0:
        raise ValueError("must not be negative")
    if amount > maximum:
        raise ValueError(f"is too large (at most {maximum})")
    if places is None:
        return amount
    step = Decimal(1).scaleb(-places)
    if amount != amount.quantize(step):
        unit = "place" if places == 1 else "places"
        raise ValueError(f"must have at most {_NUMBERS.get(places, str(places))} decimal {unit}{places_hint}")
    return amount.quantize(step)


_NUMBERS = {0: "zero", 1: "one", 2: "two", 3: "three"}


class Amount(Decimal):
    """A pydantic 1.10 field type over :func:`parse_amount`; subclasses set the bounds."""

    maximum: ClassVar[Decimal] = Decimal("999999.99")
    places: ClassVar[int | None] = None
    expected: ClassVar[str] = "must be a decimal number"
    unit: ClassVar[str] = ""
    places_hint: ClassVar[str] = ""

    @classmethod
    def __get_validators__(cls) -> Iterator[Callable[[Any], Decimal]]:
        yield cls.validate

    @classmethod
    def validate(cls, value: Any) -> Decimal:
        return parse_amount(
            value,
            maximum=cls.maximum,
            places=cls.places,
            expected=cls.expected,
            unit=cls.unit,
            places_hint=cls.places_hint,
        )
