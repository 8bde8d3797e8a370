"""The role of a date in a message, from the verb nearest it: when the certification expires, when NASM
receives the application, or when continuing education was completed.

"Applying jan 13 and jan 14", "get a card tomorrow and apply on Dec 3", "expired June 3": each answer that reads
dates from a message (the what-if, the fee, the audit, the card on a day) reads them here, so one message has
one reading. The Rasa entity ``role``, when the NLU gives one, wins over the verbs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from actions.dates import OFFSET_PHRASE, Preference, day_phrases_in_text, fix_month_typos, month_phrase_in_text

Role = Literal["expires", "submit", "completed"]


# "expires June 3" said in November means next June; "expired June 3" means the last one.
PAST_TENSE = re.compile(
    r"\b(expired|lapsed|ran out|was due|ended|applied|sent|submitted|mailed|filed|renewed|"
    r"finished|completed|did|done|took|earned|wrapped|got|went)\b",
    re.IGNORECASE,
)
FUTURE_TENSE = re.compile(
    r"\b(expires|expiring|expire|will|runs out|is due|due on|ends|apply|applying|submit|submitting|"
    r"send|sending|mail|renew|renewing|finish|finishing|complete|completing)\b",
    re.IGNORECASE,
)
_ROLE_WORDS: tuple[tuple[Role, str], ...] = (
    # "ends", not "the end of January" (a time, not the expiration)
    ("expires", r"expir\w*|laps\w*|runs? out|ran out|ends?(?!\s+of\b)|ended|due|valid (?:until|through)"),
    (
        "submit",
        r"appl(?:y|ies|ied|ying)|application|submit\w*|send\w*|sent|mail\w*|renew(?:s|ed|ing)?|pay(?:s|ing)?|paid|"
        r"fil(?:e|es|ed|ing)|turn(?:s|ed|ing)? in|reach\w*|arriv\w*|gets|receiv\w*|"
        r"g(?:et|ets|etting|ot) (?:it|them|this|that|(?:my|the) (?:application|app|renewal|paperwork)) in|"
        r"wait(?:s|ed|ing)?\s+(?:until|till|til)",
    ),
    (
        "completed",
        # "do 0.4 CEU in June", "take the course in May": not "what do I pay" nor "how long does it take"
        r"finish\w*|complet\w*|done|did|took|taken|earn\w*|wrap\w* up|wrapped|"
        r"(?:do|doing|tak(?:e|es|ing))(?=\s+(?:\d|the|a|an|my|some|another|more|those|that|this|it)\b)",
    ),
)
_ROLE = re.compile("|".join(f"(?P<{role}>\\b(?:{pattern})\\b)" for role, pattern in _ROLE_WORDS), re.I)
_ENTITY_ROLES: dict[str, Role] = {
    "expires": "expires", "expiration": "expires", "expiry": "expires",
    "submit": "submit", "submitted": "submit", "submission": "submit",
    "completed": "completed", "completion": "completed",
}


def date_preference(message: str | None) -> Preference:
    """Which reading of a date without a year the trainer's own verb points to."""
    text = message or ""
    if PAST_TENSE.search(text):
        return "past"
    if FUTURE_TENSE.search(text):
        return "future"
    return "nearest"


@dataclass(frozen=True)
class RoledDate:
    text: str
    role: Role | None  # None: no verb says which date it is
    prefer: Preference


def _last_role(text: str) -> Role | None:
    found = [m.lastgroup for m in _ROLE.finditer(text)]
    return found[-1] if found else None  # type: ignore[return-value]


def _first_role(text: str) -> Role | None:
    match = _ROLE.search(text)
    return match.lastgroup if match else None  # type: ignore[return-value]


_OFFSET_BEFORE = re.compile(
    r"(?:in\s+)?(?:\d{1,3}|a|an|one|two|three|four|five|six|ten)\s+(?:day|week|month)s?\s+(?:from|after)\s+$", re.I
)
# what joins two days of the same question: "jan 13 and jan 14", "may 30 vs may 31", "dec 4 or on dec 6"
_ALTERNATIVE = re.compile(
    r"\s*,?\s*(?:and|or|vs\.?|versus|compared (?:to|with)|against|/|,|-|to)?\s*(?:on|the)?\s*", re.I
)


def roled_dates(message: str | None, entities: list[dict[str, Any]]) -> list[RoledDate]:
    """The message's ``date`` entities, each with its role and the tense its own verb points to."""
    text = message or ""
    if not any(e.get("entity") == "date" and e.get("value") for e in entities):
        # "and what if I send the app on the 6th, how much": a day the NLU left untagged
        entities = [*entities, *day_phrases_in_text(text)]
    spans: list[tuple[int, int, dict[str, Any]]] = []
    for e in entities:
        if e.get("entity") != "date" or not e.get("value"):
            continue
        value = str(e["value"])
        start, end = e.get("start"), e.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and text[start:end].casefold() == value.casefold()):
            start = text.casefold().find(value.casefold())  # offsets that don't fit the text
            end = start + len(value) if start >= 0 else -1
        if start >= 0:
            # "a week from today": the NLU tags "today" alone; the day is the whole phrase
            widened = _OFFSET_BEFORE.search(text[:start])
            if widened is not None and OFFSET_PHRASE.fullmatch(text[widened.start() : end].casefold()):
                e = {**e, "value": text[widened.start() : end], "start": widened.start(), "end": end}
                start = widened.start()
        spans.append((start, end, e))
    located = sorted((s for s in spans if s[0] >= 0), key=lambda s: s[0])
    result: list[RoledDate] = []
    for i, (start, end, e) in enumerate(located):
        before = text[located[i - 1][1] if i else 0 : start]
        after = text[end : located[i + 1][0] if i + 1 < len(located) else len(text)]
        role = _ENTITY_ROLES.get(str(e.get("role") or "").casefold())
        tensed = PAST_TENSE.search(before) or FUTURE_TENSE.search(before)
        prefer = date_preference(before) if tensed else date_preference(text)
        if role is None and result and result[-1].role is not None and _ALTERNATIVE.fullmatch(before):
            # "applying jan 13 and jan 14", "may 30 vs may 31": the second day of the same kind as the first
            role, prefer = result[-1].role, result[-1].prefer
        # a verb after this date and before the next one is the next one's ("get a card tomorrow and apply on
        # Dec 3"): only the last date looks ahead for its verb ("Dec 3, if I apply then")
        ahead = _first_role(after) if i + 1 == len(located) else None
        role = role or _last_role(before) or ahead
        result.append(RoledDate(str(e["value"]).strip(), role, prefer))
    for i in range(len(result) - 2, -1, -1):
        # "jan 13 or jan 14, if I apply": the first day of the same kind as the second
        between = text[located[i][1] : located[i + 1][0]]
        if result[i].role is None and result[i + 1].role is not None and _ALTERNATIVE.fullmatch(between):
            result[i] = RoledDate(result[i].text, result[i + 1].role, result[i + 1].prefer)
    for start, _, e in spans:
        if start < 0:  # not found in the text: no role known
            role = _ENTITY_ROLES.get(str(e.get("role") or "").casefold())
            result.append(RoledDate(str(e["value"]).strip(), role, date_preference(text)))
    return result


def month_said(message: str | None, keep_unroled: bool = False) -> list[RoledDate]:
    """A month in the message when the NLU found no date ("how much if I renew in March?"), with the
    role its verb gives it; none without a submission or completion verb, unless ``keep_unroled`` (a
    follow-up such as "sorry, I meant March", whose role the earlier messages give)."""
    text = fix_month_typos(" ".join((message or "").split()))
    found = month_phrase_in_text(text)
    if found is None:
        return []
    phrase, start = found
    role = _last_role(text[:start]) or _first_role(text[start + len(phrase) :])
    prefer: Preference = "past" if PAST_TENSE.search(text[:start]) else "future"
    if role not in ("submit", "completed"):
        # an expiration date needs its day: "expires in March" is asked for again
        return [RoledDate(phrase, None, prefer)] if keep_unroled and role is None else []
    return [RoledDate(phrase, role, prefer)]


# "and the day after?", "what about the day before" right after an answer that named an application day
_NEXT_TO_ANSWER_DAY = re.compile(
    r"\b(?:the\s+)?(?:(?P<after>day after|next day|following day|day later)|(?P<before>day before|previous day))\b"
    r"(?!\s+(?:tomorrow|that|it|my|the|your|expir\w*))",
    re.I,
)


def day_next_to(text: str | None, answer_day: date | None) -> RoledDate | None:
    """The day after (or before) the application day the answer just before named, as an application day
    ("fee on jan 13?" ... "the day after?" is January 14); None without such a day or such words."""
    found = _NEXT_TO_ANSWER_DAY.search(text or "") if answer_day is not None else None
    if found is None or answer_day is None:
        return None
    day = answer_day + timedelta(days=1 if found["after"] else -1)
    return RoledDate(day.isoformat(), "submit", "future")


# "applied", "sent it", "mailed": an application day said of the past (what it cost then); any other past word in
# the message ("will my card be expired if I apply on April 3?") says nothing of the application day
_PAST_SUBMIT = re.compile(r"\b(?:applied|sent|submitted|mailed|filed|renewed|paid|got it in|turned it in)\b", re.I)


def application_day_preference(d: RoledDate, text: str | None) -> Preference:
    """The reading of an application day without a year: still to come unless the trainer says they sent it."""
    if d.prefer == "past" and _PAST_SUBMIT.search(text or ""):
        return "past"
    return "future"
