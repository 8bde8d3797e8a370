"""Dates as trainers type them, turned into calendar dates relative to the trainer's today.

``dateparser`` (pinned 1.2.0: later releases need a newer ``regex`` than Rasa 3.6 allows) reads
absolute and most relative expressions ("March 3", "3/3/2026", "in two weeks", "3 days ago").
It does not read "last Tuesday" / "next Friday" / "this Friday", so a small layer handles
weekday phrases first. US month-first order: "3/4/2026" is March 4.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

import dateparser
from dateutil.relativedelta import relativedelta

logger = logging.getLogger(__name__)

Preference = Literal["past", "future", "nearest"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_PHRASE = re.compile(
    r"^(?:on\s+)?(?P<which>last|past|previous|next|coming|this)?\s*(?P<day>"
    + "|".join(d[:3] + r"(?:" + d[3:] + r")?" for d in _WEEKDAYS)
    + r")$"
)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NOISE = re.compile(r"[.,!?]+$")


def _weekday_phrase(text: str, today: date, prefer: Preference = "nearest") -> date | None:
    """"next Friday", "last tue", and a bare "monday" unless the verb points back ("I sent it monday").

    A bare weekday with no verb of the past is the coming one, never today: "if I can't get it in til
    monday" said on a Monday means next week's, and "friday" said on a Monday is this week's, not the
    one three days ago that the nearest reading would pick.
    """
    match = _WEEKDAY_PHRASE.match(text)
    if not match:
        return None
    target = next(i for i, d in enumerate(_WEEKDAYS) if d.startswith(match["day"][:3]))
    which = match["which"]
    if which in ("last", "past", "previous"):
        back = (today.weekday() - target) % 7 or 7
        return today - timedelta(days=back)
    if which in ("next", "coming"):
        ahead = (target - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead)
    if which == "this":
        return today + timedelta(days=(target - today.weekday()) % 7)
    if prefer != "past":
        return today + timedelta(days=(target - today.weekday()) % 7 or 7)
    return None  # a bare weekday said of the past: dateparser's last one


_ORDINAL_DAY = re.compile(r"^(?:on\s+)?(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)(?:\s+of\s+(?:the|this)\s+month)?$")


def _ordinal_day(text: str, today: date, prefer: Preference) -> date | None:
    """"the 6th", "on the 14th": a day of this month, or of the next (future) or last (past) one when it
    has passed (is still ahead). dateparser reads "the 6th" as June (the sixth month), a wrong date."""
    match = _ORDINAL_DAY.match(text)
    if not match:
        return None
    wanted = int(match["day"])

    def in_month(year: int, month: int) -> date | None:
        try:
            return date(year, month, wanted)
        except ValueError:
            return None

    this = in_month(today.year, today.month)
    following = in_month(today.year + (today.month == 12), today.month % 12 + 1)
    previous = in_month(today.year - (today.month == 1), (today.month - 2) % 12 + 1)
    if prefer == "future":
        return this if this is not None and this >= today else following
    if prefer == "past":
        return this if this is not None and this <= today else previous
    options = [d for d in (this, following, previous) if d is not None]
    return min(options, key=lambda d: abs((d - today).days)) if options else None


def _dateparser(text: str, today: date, prefer: str) -> date | None:
    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12, 0),
            "PREFER_DATES_FROM": prefer,
            "DATE_ORDER": "MDY",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "STRICT_PARSING": False,
        },
    )
    return parsed.date() if parsed else None


_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10}
# "a week from today", "10 days from now", "two weeks after tomorrow": dateparser reads these as today
OFFSET_PHRASE = re.compile(
    r"(?:in\s+)?(?P<count>\d{1,3}|a|an|one|two|three|four|five|six|ten)\s+(?P<unit>day|week|month)s?\s+"
    r"(?:from|after)\s+(?P<base>today|now|tomorrow)"
)


def _offset_phrase(text: str, today: date) -> date | None:
    found = OFFSET_PHRASE.fullmatch(text)
    if found is None:
        return None
    count = int(found["count"]) if found["count"].isdigit() else _COUNTS[found["count"]]
    base = today + timedelta(days=1) if found["base"] == "tomorrow" else today
    step = {"day": relativedelta(days=count), "week": relativedelta(weeks=count), "month": relativedelta(months=count)}
    return base + step[found["unit"]]


def parse_user_date(text: str | None, today: date, prefer: Preference = "nearest") -> date | None:
    """The date ``text`` names, read relative to ``today``; None when it is not a date.

    ``prefer`` settles dates given without a year: "past" for things already done
    (a course completed "March 3"), "future" for things to come, "nearest" (the default)
    picks whichever of the two readings is closer to today.
    """
    if not text or not text.strip():
        return None
    cleaned = _NOISE.sub("", " ".join(text.casefold().split()))
    if _ISO.match(cleaned):
        try:
            return date.fromisoformat(cleaned)
        except ValueError:
            return None
    weekday = _weekday_phrase(cleaned, today, prefer)
    if weekday is not None:
        return weekday
    offset = _offset_phrase(cleaned, today)
    if offset is not None:
        return offset
    if _ORDINAL_DAY.match(cleaned):
        return _ordinal_day(cleaned, today, prefer)
    if prefer != "nearest":
        return _dateparser(cleaned, today, prefer)
    past = _dateparser(cleaned, today, "past")
    future = _dateparser(cleaned, today, "future")
    if past is None or future is None:
        return past or future
    return past if abs((today - past).days) <= abs((future - today).days) else future


def iso_or_none(value: date | None) -> str | None:
    return value.isoformat() if value else None


_MONTH_NAME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b\.?")
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_DAY_NUMBER = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\b")
_VAGUE = re.compile(r"\b(?:month|year|spring|summer|fall|autumn|winter|season)\b")


def names_a_day(text: str | None) -> bool:
    """Whether ``text`` names one day, not only a month, a season or a year.

    dateparser reads "April 2025" or "mid April" as a made-up day (today's day of the month), and a
    verdict on that day could be wrong either side of a window boundary, so those are told apart.
    """
    cleaned = " ".join((text or "").casefold().split())
    if not cleaned:
        return False
    if _NUMERIC_DATE.search(cleaned):
        return True
    if _MONTH_NAME.search(cleaned):
        return bool(_DAY_NUMBER.search(_YEAR.sub(" ", cleaned)))
    if _VAGUE.search(cleaned) or _YEAR.fullmatch(cleaned.removeprefix("in ").strip()):
        return False
    return True


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_WORD = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?(?:\s*,?\s*(?P<year>(?:19|20)\d{2})\b)?"
)
_RELATIVE_MONTH = re.compile(r"\b(?P<which>this|next|the coming|coming)\s+month\b")
_MONTH_ONLY = re.compile(r"\b" + _MONTH_WORD)
_RELATIVE_WEEK = re.compile(r"(?:(?:in|during)\s+)?(?P<which>this|next)\s+week")
# In a whole message a month name must follow a word that makes it a time ("in May", "during
# March", "I meant March", "what about June"), since "may" is also a verb ("may I renew?") and
# "march" a noun.
_MONTH_IN_TEXT = re.compile(
    r"\b(?:in|during|for|early|late|mid|end of|start of|beginning of|middle of|meant|mean|about)\s+"
    r"(?:the\s+month\s+of\s+)?"
    + _MONTH_WORD
    + r"|"
    + _RELATIVE_MONTH.pattern
    + r"|\b(?:in|during)\s+(?:19|20)\d{2}\b(?![/.-]\d)|\b(?:this|next)\s+year\b"
)


@dataclass(frozen=True)
class Period:
    """A span of days a trainer named without naming one day: "January", "May 2027", "next month"."""

    first: date
    last: date
    label: str  # "January 2027"


def _month(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return start, following - timedelta(days=1)


def _period(first: date, last: date, today: date, label: str | None = None) -> Period:
    label = label or f"{first:%B} {first.year}"
    if first <= today <= last:
        first = today  # the part of this month that is still ahead
    return Period(first, last, label)


def month_period(text: str | None, today: date, prefer: Preference = "future") -> Period | None:
    """The month ``text`` names when it names a month and no day ("January", "in May 2027",
    "next month"); None otherwise, also for one day ("May 3") that ``parse_user_date`` reads.

    dateparser turns a month into a made-up day (today's day of that month), and a fee on that day
    is wrong either side of a tier boundary inside the month. A month without a year is the next
    one that has not ended yet (the current month from today on), or with ``prefer="past"`` ("I
    finished it in May") the last one that has begun.
    """
    cleaned = " ".join((text or "").casefold().split())
    week = _RELATIVE_WEEK.fullmatch(cleaned)
    if week:
        # a week, Monday to Sunday: "next week" is not its Monday alone
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=week["which"] != "this")
        first, last = monday, monday + timedelta(days=6)
        return _period(first, last, today, f"the week of {first:%B} {first.day}, {first.year}")
    whole_year = _year_period(cleaned, today, prefer)
    if whole_year is not None:
        return whole_year
    if not cleaned or names_a_day(cleaned):
        return None
    relative = _RELATIVE_MONTH.search(cleaned)
    if relative:
        year, month = today.year, today.month
        if relative["which"] != "this":
            year, month = year + (month == 12), month % 12 + 1
        return _period(*_month(year, month), today)
    found = _MONTH_ONLY.search(cleaned)
    if not found:
        return None
    month = _MONTHS.index(found["month"][:3]) + 1
    if found["year"]:
        return _period(*_month(int(found["year"]), month), today)
    first, last = _month(today.year, month)
    if prefer == "past":
        if first > today:
            first, last = _month(today.year - 1, month)
        return Period(first, min(last, today), f"{first:%B} {first.year}")
    if last < today:
        first, last = _month(today.year + 1, month)
    return _period(first, last, today)


_RELATIVE_YEAR = re.compile(r"(?:(?:in|during)\s+)?(?P<which>this|next)\s+year")
_YEAR_PHRASE = re.compile(r"^(?:(?:in|during|for|by the end of|the end of|end of)\s+)?(?P<year>(?:19|20)\d{2})$")


def _year_period(cleaned: str, today: date, prefer: Preference) -> Period | None:
    """A whole year ("in 2027", "next year"): a period too, for the same reason as a month."""
    relative = _RELATIVE_YEAR.fullmatch(cleaned)
    found = _YEAR_PHRASE.match(cleaned)
    if relative:
        year = today.year + (relative["which"] != "this")
    elif found:
        year = int(found["year"])
    else:
        return None
    first, last = date(year, 1, 1), date(year, 12, 31)
    if prefer == "past" and first <= today <= last:
        return Period(first, today, str(year))
    return _period(first, last, today, str(year))


def month_phrase_in_text(message: str | None) -> tuple[str, int] | None:
    """Where a whole message names a month ("how much if I renew in March?"): the phrase and its
    start, for when the NLU found no date; a month followed by a day number ("in March 3") is a day."""
    cleaned = " ".join((message or "").casefold().split())
    for found in _MONTH_IN_TEXT.finditer(cleaned):
        rest = cleaned[found.end() :]
        if not found["year"] and re.match(r"\s*\d{1,2}(?:st|nd|rd|th)?\b(?!\s*(?:ceus?|hours?))", rest):
            continue
        return found.group(0), found.start()
    return None


def month_in_text(message: str | None, today: date, prefer: Preference = "future") -> Period | None:
    """The month a whole message names (``month_phrase_in_text``), as a period."""
    found = month_phrase_in_text(message)
    return month_period(found[0], today, prefer) if found else None


_MONTH_NAMES = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?"
    r"|nov(?:ember)?|dec(?:ember)?"
)
_DAY_IN_TEXT = re.compile(
    rf"\b(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH_NAMES})\b\.?(?:,?\s+\d{{4}})?"
    rf"|\b(?:{_MONTH_NAMES})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b(?!\s*(?:ceus?|hours?))"
    r"|\b(?:the\s+)?\d{1,2}(?:st|nd|rd|th)\b",
    re.I,
)


def day_in_text(message: str | None, today: date, prefer: Preference = "future") -> date | None:
    """The one day a short follow-up names when the NLU tagged no date ("and the 27th?", "what about Dec 28"):
    a month name with a day number, or an ordinal day of this (or the next) month."""
    for found in _DAY_IN_TEXT.finditer(message or ""):
        day = parse_user_date(found.group(0), today, prefer)
        if day is not None:
            return day
    return None


def day_phrases_in_text(message: str | None) -> list[dict[str, object]]:
    """The days a message names in words the NLU may leave untagged ("on the 6th", "Dec 28"), as ``date``
    entities (value, start, end) for a reader of dates that found none."""
    return [
        {"entity": "date", "value": found.group(0), "start": found.start(), "end": found.end()}
        for found in _DAY_IN_TEXT.finditer(message or "")
    ]


def ordinal_in_month_of(text: str | None, earlier: date) -> date | None:
    """"Actually make that the 12th" after an answer about January 13: the 12th of the month of ``earlier``
    (a bare ordinal day corrects the day, not the month); None when ``text`` is no bare ordinal day or the
    month has no such day."""
    match = _ORDINAL_DAY.match(" ".join((text or "").casefold().split()))
    if not match:
        return None
    try:
        return date(earlier.year, earlier.month, int(match["day"]))
    except ValueError:
        return None


# the months trainers misspell ("if i aply in febuary"): read as the month meant
_MONTH_TYPOS = {
    "febuary": "february", "feburary": "february", "febrary": "february", "janurary": "january",
    "januray": "january", "janaury": "january", "agust": "august", "augest": "august", "septmber": "september",
    "setember": "september", "ocotber": "october", "octber": "october", "novmber": "november",
    "novemeber": "november", "decmber": "december", "decemeber": "december", "apirl": "april", "marhc": "march",
}
_MONTH_TYPO = re.compile(r"\b(" + "|".join(_MONTH_TYPOS) + r")\b", re.I)


def fix_month_typos(text: str) -> str:
    """``text`` with a misspelt month name written right ("febuary" -> "february")."""
    return _MONTH_TYPO.sub(lambda m: _MONTH_TYPOS[m.group(1).casefold()], text)
