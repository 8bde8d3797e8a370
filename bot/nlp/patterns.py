"""EntityRuler patterns: generated from the catalog for courses and providers, fixed for the rest.

Every pattern is a token pattern on ``LOWER`` (or a regular expression on ``LOWER``), so matching does
not depend on how a trainer capitalises a name. Rasa lower-cases text before its own spaCy pass but
``SpacyEntityExtractor`` runs the pipeline on the original text, so case-insensitivity has to live in
the patterns themselves.

Overlaps are settled by spaCy: the longest match wins ("NASM Corrective Exercise Specialist" is one
course, not the provider "NASM" followed by a course).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

Tokenize = Callable[[str], list[str]]
Pattern = dict[str, Any]  # spaCy EntityRuler patterns: nested dicts and lists
TokenPattern = list[dict[str, Any]]

COURSE = "course"
PROVIDER = "provider"
CREDENTIAL = "credential"
CEU_AMOUNT = "ceu_amount"
DATE = "date"
LABELS = (COURSE, PROVIDER, CREDENTIAL, DATE, CEU_AMOUNT)

# Words that end a course title but that trainers drop ("the corrective exercise course").
_TITLE_TAIL_WORDS = {"specialist", "specialization", "coach", "instructor", "certification", "course"}
# Small words left out of a provider's initials ("American Council on Exercise" -> ACE).
_INITIALS_SKIP = {"of", "on", "and", "&", "the", "for", "in", "at", "to"}
# Initials that are everyday English words are too risky as patterns.
_INITIALS_BLOCKLIST = {"aha", "arc", "yes", "gps", "mma", "can", "all", "one", "now"}

# The certifying body itself is not a "provider" entity: nearly every message names it ("does it
# count for NASM?", "approved by NASM?"), and as a provider entity it would crowd out the provider
# the trainer is asking about. Its courses are still recognised as courses ("NASM-CES").
CERTIFYING_BODY: tuple[str, ...] = ("NASM", "National Academy of Sports Medicine")

# Program id -> the ways trainers name the credential.
CREDENTIAL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "NASM-CPT": (
        "CPT",
        "NASM CPT",
        "certified personal trainer",
        "NASM certified personal trainer",
        "personal trainer certification",
        "personal trainer certificate",
        "personal trainer cert",
        "personal training certification",
        "personal training certificate",
        "personal training cert",
        "PT cert",
        "PT certification",
        "trainer cert",
        "trainer certification",
    ),
    "NASM-CES": ("CES",),
    "NASM-PES": ("PES",),
    "NASM-CNC": ("CNC",),
    "AFAA-GFI": ("GFI",),
}

# Certifications a trainer may hold, as trainers write them. The codes stand alone in messages
# ("my CES expires ...") and are credentials, while the full catalog ids ("NASM-CES") are courses;
# the CPT's own id is the exception, as no course carries it.
CREDENTIAL_PHRASES: tuple[str, ...] = (
    "NASM-CPT",
    *(phrase for phrases in CREDENTIAL_SYNONYMS.values() for phrase in phrases),
)

_NUMBER = r"^(\d+(\.\d+)?|\.\d+)$"
_CEU_UNITS = ["ceu", "ceus", "ceu's", "ceus'", "ces", "credits", "credit", "units", "unit", "cec", "cecs"]
_CEU_GLUED = r"^(\d+(\.\d+)?|\.\d+)(ceus?|ceu's)$"

_MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    # the tokenizer keeps some capitalised abbreviations whole ("Sept.", "Jan.")
    "jan.", "feb.", "mar.", "apr.", "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.",
]
# Month names that are also everyday words only count with a day or year next to them.
_MONTHS_ALONE = [m for m in _MONTHS if m.rstrip(".") not in {"may", "march", "mar", "jan", "sep", "dec"}]
_WEEKDAYS = [
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "tues", "thurs",
]
_DAY = r"^(0?[1-9]|[12]\d|3[01])(st|nd|rd|th)?$"
_YEAR = r"^(19|20)\d\d$"
# "3/3" and "3/3/2026", but with dots only with a year ("3.3.2026"): "1.5" is an amount of CEUs.
_NUMERIC_DATE = r"^(\d{1,2}/\d{1,2}(/(\d{2}|\d{4}))?|\d{1,2}\.\d{1,2}\.(\d{2}|\d{4}))$"
_COUNT_WORDS = [
    "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "a couple", "couple", "few", "a few",
]
_UNITS = ["day", "days", "week", "weeks", "month", "months", "year", "years"]


def _lower_seq(tokens: Sequence[str]) -> TokenPattern:
    return [{"LOWER": token.lower()} for token in tokens]


def _phrase(tokenize: Tokenize, text: str) -> TokenPattern:
    return _lower_seq(tokenize(text))


def _dedupe(patterns: Iterable[Pattern]) -> list[Pattern]:
    seen: set[str] = set()
    unique: list[Pattern] = []
    for pattern in patterns:
        key = repr((pattern["label"], pattern["pattern"]))
        if key not in seen:
            seen.add(key)
            unique.append(pattern)
    return unique


def initials(name: str) -> str | None:
    """The initials a provider is known by, or None when they would be too short or too common.

    >>> initials("American Council on Exercise")
    'ACE'
    """
    words = [w for w in re.split(r"[\s\-]+", name.strip()) if w and w.lower() not in _INITIALS_SKIP]
    if len(words) < 2 or not all(w[0].isalpha() for w in words):
        return None
    letters = "".join(w[0].upper() for w in words)
    if len(letters) < 3 or letters.lower() in _INITIALS_BLOCKLIST:
        return None
    return letters


def course_variants(course_id: str, title: str) -> list[str]:
    """The ways a trainer writes one catalog course: its title, id and a few common short forms."""
    variants = [title, course_id]
    prefix = course_id.split("-", 1)[0] if "-" in course_id else ""
    if prefix:
        variants.append(f"{prefix} {title}")
        variants.append(course_id.replace("-", " "))
    words = title.split()
    if words and words[-1].lower() == "specialist":
        variants.append(" ".join(words[:-1] + ["Specialization"]))
    if len(words) >= 3 and words[-1].lower() in _TITLE_TAIL_WORDS:
        variants.append(" ".join(words[:-1]))
    return list(dict.fromkeys(v for v in variants if v.strip()))


def provider_variants(name: str) -> list[str]:
    """A provider's name, its initials and the ``&``/``and`` spellings."""
    variants = [name]
    if "&" in name:
        variants.append(name.replace("&", "and"))
    if " and " in name:
        variants.append(name.replace(" and ", " & "))
    if name.lower().startswith("the "):
        variants.append(name[4:])
    short = initials(name)
    if short:
        variants.append(short)
    return list(dict.fromkeys(variants))


def course_patterns(courses: Sequence[tuple[str, str]], tokenize: Tokenize) -> list[Pattern]:
    patterns: list[Pattern] = []
    for course_id, title in courses:
        for variant in course_variants(course_id, title):
            patterns.append({"label": COURSE, "pattern": _phrase(tokenize, variant), "id": course_id})
    return patterns


def without_certifying_body(
    providers: Sequence[str], excluded: Sequence[str] = CERTIFYING_BODY
) -> list[str]:
    """The providers minus the certifying body (by name or initials, ignoring case)."""
    skip = {name.casefold() for name in excluded}
    return [p for p in providers if p.casefold() not in skip and (initials(p) or "").casefold() not in skip]


def provider_patterns(providers: Sequence[str], tokenize: Tokenize) -> list[Pattern]:
    patterns: list[Pattern] = []
    for name in without_certifying_body(providers):
        for variant in provider_variants(name):
            patterns.append({"label": PROVIDER, "pattern": _phrase(tokenize, variant), "id": name})
    return patterns


def credential_patterns(tokenize: Tokenize) -> list[Pattern]:
    return [{"label": CREDENTIAL, "pattern": _phrase(tokenize, p)} for p in CREDENTIAL_PHRASES]


def ceu_amount_patterns() -> list[Pattern]:
    number = {"LOWER": {"REGEX": _NUMBER}}
    unit = {"LOWER": {"IN": _CEU_UNITS}}
    token_patterns: list[TokenPattern] = [
        [number, unit],
        [number, {"LOWER": "ceu"}, {"LOWER": "'s"}],
        [number, {"LOWER": "ce"}, {"LOWER": {"IN": ["units", "credits", "credit", "hours"]}}],
        [number, {"LOWER": "continuing"}, {"LOWER": "education"}, {"LOWER": {"IN": ["units", "credits"]}}],
        [{"LOWER": {"REGEX": _CEU_GLUED}}],
    ]
    return [{"label": CEU_AMOUNT, "pattern": p} for p in token_patterns]


def date_patterns() -> list[Pattern]:
    month = {"LOWER": {"IN": _MONTHS}}
    month_dot = {"LOWER": ".", "OP": "?"}
    day = {"LOWER": {"REGEX": _DAY}}
    year = {"LOWER": {"REGEX": _YEAR}}
    comma = {"LOWER": ","}
    digits2 = {"LOWER": {"REGEX": r"^\d{1,2}$"}}
    relative_word = {"LOWER": {"IN": ["next", "last", "this", "coming"]}}
    period = {"LOWER": {"IN": ["week", "month", "year", "weekend"]}}
    weekday = {"LOWER": {"IN": _WEEKDAYS}}
    count = {"LOWER": {"IN": [w for w in _COUNT_WORDS if " " not in w]}}
    number = {"LOWER": {"REGEX": r"^\d+$"}}
    unit = {"LOWER": {"IN": _UNITS}}
    token_patterns: list[TokenPattern] = [
        # June 3 / June 3rd / June 3, 2026 / June 3 2026 / Sept. 3
        [month, month_dot, day],
        [month, month_dot, day, comma, year],
        [month, month_dot, day, year],
        # 3 June / 3rd of June / 3rd of June 2026
        [day, month],
        [day, {"LOWER": "of"}, month],
        [day, month, year],
        [day, {"LOWER": "of"}, month, year],
        # June 2026, and month names that are not also common words
        [month, year],
        [{"LOWER": {"IN": _MONTHS_ALONE}}],
        # 3/3, 3/3/2026, 3.3.2026 and 2026-06-03 / 3-3-2026
        [{"LOWER": {"REGEX": _NUMERIC_DATE}}],
        [year, {"LOWER": "-"}, digits2, {"LOWER": "-"}, digits2],
        [digits2, {"LOWER": "-"}, digits2, {"LOWER": "-"}, year],
        # today, tomorrow, yesterday
        [{"LOWER": {"IN": ["today", "tomorrow", "yesterday", "tonight", "tmrw", "tmr"]}}],
        # next month / last Tuesday / this week / next Friday
        [relative_word, period],
        [relative_word, weekday],
        [weekday],
        # in two weeks / in 10 days / in a couple of months / in a few days
        [{"LOWER": "in"}, count, unit],
        [{"LOWER": "in"}, number, unit],
        [{"LOWER": "in"}, {"LOWER": {"IN": ["a", "few"]}}, {"LOWER": {"IN": ["couple", "few"]}, "OP": "?"},
         {"LOWER": "of", "OP": "?"}, unit],
        # two weeks ago / 3 days from now
        [count, unit, {"LOWER": "ago"}],
        [number, unit, {"LOWER": "ago"}],
        [count, unit, {"LOWER": "from"}, {"LOWER": "now"}],
        [number, unit, {"LOWER": "from"}, {"LOWER": "now"}],
        # the end of the month / end of next month / end of the year
        [{"LOWER": "end"}, {"LOWER": "of"}, {"LOWER": {"IN": ["the", "this", "next", "last"]}}, period],
    ]
    return [{"label": DATE, "pattern": p} for p in token_patterns]


def ruler_patterns(
    courses: Sequence[tuple[str, str]],
    providers: Sequence[str],
    tokenize: Tokenize,
) -> list[Pattern]:
    """All EntityRuler patterns, courses first, without duplicates."""
    return _dedupe(
        course_patterns(courses, tokenize)
        + provider_patterns(providers, tokenize)
        + credential_patterns(tokenize)
        + ceu_amount_patterns()
        + date_patterns()
    )
