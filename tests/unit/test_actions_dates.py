"""Dates as typed, read relative to the trainer's today (2026-03-10, a Tuesday)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from actions.amounts import parse_ceus
from actions.dates import parse_user_date

TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    "typed, prefer, expected",
    [
        ("March 3", "past", date(2026, 3, 3)),
        ("March 3", "nearest", date(2026, 3, 3)),
        ("March 3", "future", date(2027, 3, 3)),
        ("3/3/2026", "nearest", date(2026, 3, 3)),
        ("3/4/2026", "nearest", date(2026, 3, 4)),  # month first
        ("2025-06-01", "nearest", date(2025, 6, 1)),
        ("Sept 5, 2025", "nearest", date(2025, 9, 5)),
        ("June 3", "nearest", date(2026, 6, 3)),
        ("June 3", "past", date(2025, 6, 3)),
        ("Dec 1", "nearest", date(2025, 12, 1)),
        ("last Tuesday", "nearest", date(2026, 3, 3)),
        ("last tue", "nearest", date(2026, 3, 3)),
        ("next Friday", "nearest", date(2026, 3, 13)),
        ("this Friday", "nearest", date(2026, 3, 13)),
        ("on Monday", "past", date(2026, 3, 9)),
        ("in two weeks", "nearest", date(2026, 3, 24)),
        ("2 weeks ago", "nearest", date(2026, 2, 24)),
        ("3 days ago", "past", date(2026, 3, 7)),
        ("yesterday", "nearest", date(2026, 3, 9)),
        ("today", "nearest", TODAY),
        ("tomorrow.", "nearest", date(2026, 3, 11)),
    ],
)
def test_dates(typed: str, prefer: str, expected: date) -> None:
    assert parse_user_date(typed, TODAY, prefer) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "typed, prefer, expected",
    [
        ("monday", "nearest", date(2026, 3, 16)),  # today's weekday: next week's, not last week's nor today
        ("tuesday", "nearest", date(2026, 3, 17)),  # said on a Tuesday
        ("Monday", "future", date(2026, 3, 16)),  # yesterday was a Monday: the coming one
        ("friday", "nearest", date(2026, 3, 13)),  # this week's, though last Friday (4 days ago) is nearer
        ("wed", "nearest", date(2026, 3, 11)),  # tomorrow
        ("on tuesday", "past", date(2026, 3, 3)),  # "I sent it tuesday": the last one
    ],
)
def test_a_bare_weekday_is_the_coming_one_unless_said_of_the_past(typed: str, prefer: str, expected: date) -> None:
    assert parse_user_date(typed, TODAY, prefer) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["", "   ", "banana", "Feb 30", "2026-02-30", None])
def test_not_dates(typed: str | None) -> None:
    assert parse_user_date(typed, TODAY) is None


@pytest.mark.parametrize(
    "typed, expected",
    [("1.2", "1.2"), ("1,2 CEUs", "1.2"), ("0.6 CEU", "0.6"), (".5", "0.5"), ("I have 1.25", "1.25"), ("2", "2")],
)
def test_ceu_amounts_are_exact_decimals(typed: str, expected: str) -> None:
    assert parse_ceus(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", ["", "none", None, "some"])
def test_not_ceu_amounts(typed: str | None) -> None:
    assert parse_ceus(typed) is None


def test_an_ordinal_day_alone_is_a_day_of_this_or_the_next_month_not_june() -> None:
    # dateparser read "the 6th" as June 30 (month 6)
    today = date(2026, 11, 30)
    assert parse_user_date("the 6th", today, "future") == date(2026, 12, 6)
    assert parse_user_date("on the 6th", today) == date(2026, 12, 6)  # nearer than November 6
    assert parse_user_date("6th", today, "past") == date(2026, 11, 6)
    assert parse_user_date("the 30th", today, "future") == today
    assert parse_user_date("the 31st", today, "future") == date(2026, 12, 31)  # November has no 31st
    assert parse_user_date("the 31st", date(2027, 1, 31), "future") == date(2027, 1, 31)
