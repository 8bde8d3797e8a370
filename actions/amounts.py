"""CEU amounts as trainers type them ("1.2", "1,2 CEUs", "0.6 CEU")."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_NUMBER = re.compile(r"(?<![\d.])(\d{1,2}(?:[.,]\d{1,2})?|[.,]\d{1,2})(?![\d])")


def parse_ceus(text: str | None) -> Decimal | None:
    """The first CEU figure in ``text`` as an exact decimal, or None."""
    if not text:
        return None
    match = _NUMBER.search(str(text))
    if not match:
        return None
    raw = match.group(1).replace(",", ".")
    try:
        return Decimal("0" + raw if raw.startswith(".") else raw)
    except InvalidOperation:
        return None


_TOO_FINE = re.compile(r"\d*[.,]\d{2,}")
# "-1 CEUs", "minus 0.5 CEU": a figure with a CEU unit after it (a date's "-02" has none)
_NEGATIVE = re.compile(r"(?:(?<![\w./-])-\s?|\bminus\s+)\d+(?:[.,]\d+)?\s*(?=ceus?\b|continuing)", re.I)


def unusable_ceus(said: str | None, message: str | None) -> str | None:
    """A CEU figure the trainer typed that no record can hold, as typed; None when there is none.

    CEUs are counted in tenths and never below zero (docs/rules.md, CEU arithmetic): "1.25" would be
    worked out as 1.25 and shown rounded as 1.3 beside a gap worked out from 1.25, and a "-1" that
    the number readers skip would leave an earlier figure standing in for it.
    """
    negative = _NEGATIVE.search(message or "")
    if negative:
        return negative.group(0).strip()
    if said and _TOO_FINE.search(said):
        return said.strip()
    return None
