"""How numbers and dates are written in answers: one place, so every message agrees."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

CEU_QUANTUM = Decimal("0.1")
MONEY_QUANTUM = Decimal("0.01")


def format_ceus(value: Decimal) -> str:
    """CEUs with one decimal place: ``Decimal('0.6')`` -> ``"0.6"``."""
    return str(value.quantize(CEU_QUANTUM, rounding=ROUND_HALF_UP))


def format_ceu_amount(value: Decimal) -> str:
    """CEUs with their unit, as NASM writes them: ``"0.6 CEU"``, ``"1.9 CEUs"``."""
    text = format_ceus(value)
    return f"{text} CEU" if Decimal(text) <= 1 else f"{text} CEUs"


def format_money(value: Decimal) -> str:
    """US dollars with two decimals: ``Decimal('25')`` -> ``"$25.00"``."""
    return f"${value.quantize(MONEY_QUANTUM, rounding=ROUND_HALF_UP)}"


def money_string(value: Decimal) -> str:
    """Two-decimal string without the currency sign, for JSON."""
    return str(value.quantize(MONEY_QUANTUM, rounding=ROUND_HALF_UP))


@lru_cache(maxsize=8192)
def format_date(day: date) -> str:
    """A date as trainers write it: ``"March 1, 2026"`` (cached: ``%B`` goes through the C library's
    strftime, and answers and reminder passes word the same few hundred dates again and again)."""
    return f"{day:%B} {day.day}, {day.year}"


def format_relative_days(days: int) -> str:
    """Days from today as words: "today", "tomorrow", "in 20 days", "9 days ago"."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"
