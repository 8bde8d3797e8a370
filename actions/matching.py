"""Fuzzy matching of what a trainer typed against the store's course catalog and provider list.

Nothing here knows a particular catalog: courses and providers are whatever the record store holds
when the question is asked, so an imported catalog (other ids, other titles) is recognised without
retraining the NLU model.

Two entry points per kind:

- ``match_course`` / ``match_provider`` take the name the NLU found (an entity or a slot, the words
  the trainer typed) and score it against every catalog entry.
- ``find_course_in_text`` / ``find_provider_in_text`` look for a catalog entry inside a whole
  message, for when the NLU found no name (a course imported after the model was trained).

Ids, initials ("CES" for "Corrective Exercise Specialist", "ACE" for "American Council on
Exercise") and aliases match only exactly, since short strings score high on any partial match;
titles and names match fuzzily with rapidfuzz (``WRatio`` copes with misspellings,
``token_set_ratio`` with partial titles). A best score under the cutoff is "not found"; a runner-up
within ``AMBIGUITY_MARGIN`` of the best is "ambiguous" and the action asks which one is meant.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from rapidfuzz import fuzz, utils

from rules.model import CatalogCourse, Provider

T = TypeVar("T")

COURSE_CUTOFF = 80.0
PROVIDER_CUTOFF = 82.0
AMBIGUITY_MARGIN = 4.0
# A title found inside a longer message must be closer to what was typed than a name on its own.
IN_TEXT_CUTOFF = 88.0
_STOPWORDS = re.compile(r"\b(?:the|a|an|course|certification|certificate|program|nasm)\b")
# Left out of initials: "Stretching and Flexibility Coach" -> SFC.
_SMALL_WORDS = {"of", "on", "and", "the", "for", "in", "at", "to", "a", "an"}
# Words that end a title but that trainers drop ("the aquatic strength course").
_TITLE_TAIL_WORDS = {"specialist", "specialization", "coach", "instructor", "certification", "course"}

Keys = Callable[[T], Sequence[str]]


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


def _compact(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def _same(query: str, key: str) -> bool:
    return (
        _normalise(query) == _normalise(key)
        or (bool(_strip_words(key)) and _strip_words(query) == _strip_words(key))
        or (len(_compact(key)) >= 3 and _compact(query) == _compact(key))
    )


def title_initials(title: str) -> str:
    """The initials of a course title, or "" when it has fewer than three significant words.

    >>> title_initials("Corrective Exercise Specialist")
    'CES'
    """
    words = [w for w in re.split(r"[\s\-/&]+", title) if w and w.casefold() not in _SMALL_WORDS]
    if len(words) < 3 or not all(w[0].isalnum() for w in words):
        return ""
    return "".join(w[0].upper() for w in words)


def provider_initials(name: str) -> str:
    """The initials of a provider's capitalised words ("American Council on Exercise" -> ACE)."""
    words = [w for w in re.split(r"[\s&]+", name) if w and w[0].isupper()]
    return "".join(w[0] for w in words) if len(words) > 1 else ""


def _course_exact(course: CatalogCourse) -> tuple[str, ...]:
    return (course.id, title_initials(course.title))


def _course_names(course: CatalogCourse) -> tuple[str, ...]:
    return (course.title,)


def _provider_exact(provider: Provider) -> tuple[str, ...]:
    return (provider_initials(provider.name),)


def _provider_names(provider: Provider) -> tuple[str, ...]:
    return (provider.name,)


def _words_covered(query: str, candidate: str) -> bool:
    """Every word of the query (but the shortest) is close to some word of the candidate: a shared
    "association" does not make "American Heart Association" a misspelling of another association."""
    words = candidate.split()
    return all(
        any(fuzz.ratio(word, other, processor=None) >= 75 for other in words)
        for word in query.split()
        if len(word) >= 3
    )


def _decide(scored: list[tuple[float, int]], items: Sequence[T], cutoff: float, margin: float) -> Match[T]:
    scored = sorted(scored, key=lambda pair: (-pair[0], pair[1]))
    if not scored or scored[0][0] < cutoff:
        return Match()
    best_score = scored[0][0]
    close = [items[i] for s, i in scored if best_score - s <= margin]
    if len(close) == 1:
        return Match(found=close[0], candidates=(close[0],))
    return Match(candidates=tuple(close))


def _one_or_several(found: Sequence[T]) -> Match[T]:
    if len(found) == 1:
        return Match(found=found[0], candidates=(found[0],))
    return Match(candidates=tuple(found))


def _best(
    query: str,
    items: Sequence[T],
    exact_keys: Keys[T],
    fuzzy_keys: Keys[T],
    cutoff: float,
    margin: float,
) -> Match[T]:
    wanted = _strip_words(query) or _normalise(query)
    if not wanted:
        return Match()
    # A name typed in full beats an id, and an id beats initials: "NSCA" is one provider's whole name
    # and another's initials, and the trainer who typed a name meant the one that has it.
    ranks: dict[int, int] = {}  # item index -> 0 for a whole name, 1 + i for its i-th exact key
    for index, item in enumerate(items):
        keyed = [(0, k) for k in fuzzy_keys(item)] + [(1 + i, k) for i, k in enumerate(exact_keys(item))]
        found = [rank for rank, key in keyed if key and _same(query, key)]
        if found:
            ranks[index] = min(found)
    if ranks:
        best = min(ranks.values())
        return _one_or_several([items[i] for i, rank in ranks.items() if rank == best])
    scored: list[tuple[float, int]] = []
    for index, item in enumerate(items):
        score = 0.0
        for key in fuzzy_keys(item):
            candidate = _strip_words(key) or _normalise(key)
            if not candidate or not _words_covered(wanted, candidate):
                continue
            # WRatio copes with misspellings; token_set_ratio makes a partial title
            # ("exercise specialist") score every title that contains it, so it turns ambiguous.
            score = max(
                score,
                fuzz.WRatio(wanted, candidate, processor=None),
                fuzz.token_set_ratio(wanted, candidate, processor=None),
            )
        scored.append((score, index))
    return _decide(scored, items, cutoff, margin)


def match_course(
    query: str | None,
    courses: Sequence[CatalogCourse],
    cutoff: float = COURSE_CUTOFF,
    margin: float = AMBIGUITY_MARGIN,
) -> Match[CatalogCourse]:
    """The catalog course ``query`` names (by id, title or the title's initials), or the close candidates."""
    if not query:
        return Match()
    return _best(query, courses, _course_exact, _course_names, cutoff, margin)


def match_provider(
    query: str | None,
    providers: Sequence[Provider],
    cutoff: float = PROVIDER_CUTOFF,
    margin: float = AMBIGUITY_MARGIN,
) -> Match[Provider]:
    """The provider ``query`` names (by name or initials), or the close candidates."""
    if not query:
        return Match()
    return _best(query, providers, _provider_exact, _provider_names, cutoff, margin)


# --- names inside a whole message -----------------------------------------------------------


def _contains(haystack: str, phrase: str) -> bool:
    return bool(phrase) and f" {phrase} " in f" {haystack} "


def _short_title(title: str) -> str:
    words = title.split()
    if len(words) >= 3 and words[-1].casefold() in _TITLE_TAIL_WORDS:
        return " ".join(words[:-1])
    return ""


def _find_in_text(
    text: str,
    items: Sequence[T],
    phrases: Keys[T],
    codes: Keys[T],
    cutoff: float,
    margin: float,
    fuzzy: bool = True,
) -> Match[T]:
    """Items named in ``text``: a phrase word for word (any case), a code as written (upper case),
    else (unless ``fuzzy`` is false) a title close to a run of the message's words."""
    normalised = _normalise(text)
    if not normalised:
        return Match()
    written = set(re.findall(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", text))
    hits: list[tuple[int, int]] = []  # (length of what matched, index)
    for index, item in enumerate(items):
        longest = max(
            [len(p) for p in map(_normalise, phrases(item)) if len(p) >= 3 and _contains(normalised, p)]
            + [len(c) for c in codes(item) if len(c) >= 3 and c in written],
            default=0,
        )
        if longest:
            hits.append((longest, index))
    if hits:
        # "Corrective Exercise Specialist" names one course even where "Exercise Specialist" is another's tail
        top = max(length for length, _ in hits)
        return _one_or_several([items[i] for length, i in hits if length == top])
    if not fuzzy:
        return Match()

    tokens = normalised.split()
    scored: list[tuple[float, int]] = []
    for index, item in enumerate(items):
        score = 0.0
        for phrase in phrases(item):
            words = _normalise(phrase).split()
            if len(words) < 2:
                continue  # one word inside a sentence is too easy to hit by accident
            for size in {len(words) - 1, len(words), len(words) + 1} - {0, 1}:
                for start in range(0, max(len(tokens) - size + 1, 0)):
                    window = " ".join(tokens[start : start + size])
                    score = max(score, fuzz.ratio(window, " ".join(words), processor=None))
        scored.append((score, index))
    return _decide(scored, items, cutoff, margin)


def find_course_in_text(
    text: str | None,
    courses: Sequence[CatalogCourse],
    cutoff: float = IN_TEXT_CUTOFF,
    margin: float = AMBIGUITY_MARGIN,
    fuzzy: bool = True,
) -> Match[CatalogCourse]:
    """The catalog course a whole message names, by title, shortened title, id or initials; with
    ``fuzzy`` false only word for word (to settle a name the NLU cut short, never to guess)."""
    if not text:
        return Match()
    return _find_in_text(
        text,
        courses,
        lambda c: tuple(p for p in (c.title, _short_title(c.title), c.id) if p),
        lambda c: (c.id, title_initials(c.title)),
        cutoff,
        margin,
        fuzzy,
    )


def find_provider_in_text(
    text: str | None,
    providers: Sequence[Provider],
    cutoff: float = IN_TEXT_CUTOFF,
    margin: float = AMBIGUITY_MARGIN,
) -> Match[Provider]:
    """The provider a whole message names, by name or initials."""
    if not text:
        return Match()
    return _find_in_text(text, providers, _provider_names, _provider_exact, cutoff, margin)


def find_own_course_in_text(text: str | None, own: Sequence[CatalogCourse]) -> Match[CatalogCourse]:
    """The course of the trainer's own record that ``text`` names by one distinctive word of its title
    ("I finished the stretching course in October" for Stretching and Flexibility Coach).

    One word inside a sentence is too easy to hit by accident for the whole catalog, so this looks only
    among the courses on the trainer's record, and only at words that no other of those titles has and
    that are not a title's generic tail ("course", "specialist"): a word shared by two of them is no answer.
    """
    if not text or not own:
        return Match()
    said = set(_normalise(text).split())
    generic = _SMALL_WORDS | _TITLE_TAIL_WORDS | {"course", "nasm", "exercise", "training", "fitness"}

    def distinctive(course: CatalogCourse) -> set[str]:
        return {w for w in _normalise(course.title).split() if len(w) >= 4 and w not in generic}

    named = [c for c in own if distinctive(c) & said]
    shared = {w for c in named for o in own if o.id != c.id for w in distinctive(c) & distinctive(o)}
    named = [c for c in named if (distinctive(c) & said) - shared]
    unique = {c.id: c for c in named}
    return _one_or_several(list(unique.values())) if unique else Match()


# --- "did you mean ...?" ----------------------------------------------------------------------

SUGGEST_CUTOFF = 60.0
MAX_SUGGESTIONS = 3


def suggest_courses(
    query: str | None,
    courses: Sequence[CatalogCourse],
    cutoff: float = SUGGEST_CUTOFF,
    limit: int = MAX_SUGGESTIONS,
) -> tuple[CatalogCourse, ...]:
    """Courses close to ``query`` without being a match, for a "did you mean ...?" question (never
    for an answer): a word in common, or nearly, and a fair score over the title. The rarer the
    shared words in the catalog, the closer ("youth fitness": the one youth title before the
    fitness ones); the best one first, and only those sharing as rare a word as the best."""
    wanted = _strip_words(query or "") or _normalise(query or "")
    if not wanted:
        return ()
    titles = [(_strip_words(c.title) or _normalise(c.title)).split() for c in courses]
    words = [w for w in wanted.split() if len(w) >= 3 and w not in _TITLE_TAIL_WORDS]

    def close(word: str, title: list[str]) -> bool:
        return any(fuzz.ratio(word, other, processor=None) >= 80 for other in title)

    rarity = {w: 1.0 / max(1, sum(close(w, t) for t in titles)) for w in words}
    scored: list[tuple[float, float, int]] = []
    for index, title in enumerate(titles):
        shared = sum(rarity[w] for w in words if close(w, title))
        score = fuzz.WRatio(wanted, " ".join(title), processor=None)
        if shared and score >= cutoff:
            scored.append((shared, score, index))
    if not scored:
        return ()
    scored.sort(key=lambda row: (-row[0], -row[1], row[2]))
    best = scored[0][0]
    return tuple(courses[i] for shared, _, i in scored[:limit] if shared >= best)
