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
