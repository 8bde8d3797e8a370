"""Fuzzy matching of what a trainer typed against the course catalog and the provider list.

rapidfuzz scores each candidate (``WRatio`` for titles, which copes with misspellings and
partial titles; exact id matches win outright). A best score under ``cutoff`` is "not found";
a runner-up within ``ambiguity_margin`` of the best is "ambiguous" and the action asks which
one the trainer means. The thresholds were tuned on the tests in ``test_actions_matching.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Generic, Sequence, TypeVar

from rapidfuzz import fuzz, utils

from rules.model import CatalogCourse, Provider

T = TypeVar("T")

COURSE_CUTOFF = 80.0
PROVIDER_CUTOFF = 82.0
AMBIGUITY_MARGIN = 4.0
_STOPWORDS = re.compile(r"\b(?:the|a|an|course|certification|certificate|program|nasm)\b")


@dataclass(frozen=True)
class Match(Generic[T]):
    """The outcome of matching one typed name: one item, several close ones, or none."""

    found: T | None = None
    candidates: tuple[T, ...] = field(default_factory=tuple)

    @property
    def ambiguous(self) -> bool:
        return self.found is None and len(self.candidates) > 1


def _normalise(text: str) -> str:
    return utils.default_process(text.replace("&", " and "))


def _strip_words(text: str) -> str:
    return " ".join(_STOPWORDS.sub(" ", _normalise(text)).split())


def _same(query: str, key: str) -> bool:
    return _normalise(query) == _normalise(key) or (
        bool(_strip_words(key)) and _strip_words(query) == _strip_words(key)
    )


def _best(
    query: str,
    items: Sequence[T],
    exact_keys: Callable[[T], Sequence[str]],
    fuzzy_keys: Callable[[T], Sequence[str]],
    cutoff: float,
    margin: float,
) -> Match[T]:
    """Ids and acronyms match only exactly (short strings score high on any partial match);
    titles and names match fuzzily."""
    wanted = _strip_words(query) or _normalise(query)
    if not wanted:
        return Match()
    exact = [item for item in items if any(k and _same(query, k) for k in (*exact_keys(item), *fuzzy_keys(item)))]
    if len(exact) == 1:
        return Match(found=exact[0], candidates=(exact[0],))
    if exact:
        return Match(candidates=tuple(exact))
    scored: list[tuple[float, int]] = []
    for index, item in enumerate(items):
        score = 0.0
        for key in fuzzy_keys(item):
            candidate = _strip_words(key) or _normalise(key)
            if not candidate:
                continue
            # WRatio copes with misspellings; token_set_ratio makes a partial title
            # ("exercise specialist") score every title that contains it, so it turns ambiguous.
            score = max(
                score,
                fuzz.WRatio(wanted, candidate, processor=None),
                fuzz.token_set_ratio(wanted, candidate, processor=None),
            )
        scored.append((score, index))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    if not scored or scored[0][0] < cutoff:
        return Match()
    best_score = scored[0][0]
    close = [items[i] for s, i in scored if best_score - s <= margin]
    if len(close) == 1:
        return Match(found=close[0], candidates=(close[0],))
    return Match(candidates=tuple(close))


def match_course(
    query: str | None,
    courses: Sequence[CatalogCourse],
    cutoff: float = COURSE_CUTOFF,
    margin: float = AMBIGUITY_MARGIN,
) -> Match[CatalogCourse]:
    """The catalog course ``query`` names (by id or title), or the close candidates."""
    if not query:
        return Match()
    return _best(query, courses, lambda c: (c.id,), lambda c: (c.title,), cutoff, margin)


def match_provider(
    query: str | None,
    providers: Sequence[Provider],
    cutoff: float = PROVIDER_CUTOFF,
    margin: float = AMBIGUITY_MARGIN,
) -> Match[Provider]:
    """The provider ``query`` names, or the close candidates."""
    if not query:
        return Match()
    return _best(
        query, providers, lambda p: (_acronym(p.name),), lambda p: (p.name,), cutoff, margin
    )


def _acronym(name: str) -> str:
    words = [w for w in re.split(r"[\s&]+", name) if w and w[0].isupper()]
    return "".join(w[0] for w in words) if len(words) > 1 else ""
