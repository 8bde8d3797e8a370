"""rules.decimals: the one validator of CEU and fee amounts (policy file and import format)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rules.decimals import parse_amount

D = Decimal


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [("1.9", 1, D("1.9")), (2, 1, D("2.0")), (1.9, 1, D("1.9")), (" 25.00 ", None, D("25.00")), ("0", 2, D("0.00"))],
)
def test_amounts_are_read_from_their_text(value: object, places: int | None, expected: Decimal) -> None:
    amount = parse_amount(value, maximum=D("999.9"), places=places)
    assert amount == expected and str(amount) == str(expected)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (True, "must be a decimal number"),
        (None, "must be a decimal number"),
        ("thirty", "must be a decimal number"),
        ("Infinity", "must be a finite number"),
        ("NaN", "must be a finite number"),
        ("-0.1", "must not be negative"),
        ("1E+100", r"is too large \(at most 999\.9\)"),  # checked before quantizing, which would overflow
        ("1.25", "must have at most one decimal place"),
    ],
)
def test_bad_amounts_are_named(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_amount(value, maximum=D("999.9"), places=1)
