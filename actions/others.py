"""A question about someone else's record ("when does Marcus Johnson expire?", "is T-1007 lapsed?").

Nothing typed in chat selects a record (actions.base): the assistant answers only from the record the
chat is linked to. A question that names another trainer, by id or by name, is therefore not a
question the linked record answers; answering it with the asker's own dates would read as the answer
about the other person. This module tells such a question apart and words the refusal; the record
actions, the FAQ action and the misunderstanding handler say it instead of an answer.

The words are read, never looked up: no name or id typed here is ever matched against the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from actions import words
from actions.matching import provider_initials
from rules.model import CatalogCourse, Provider
from rules.policy import Policy

# A trainer id as the store's records use it ("T-1002", "t1002"), not a part of a course code
# such as "NSCA-KB-101" (a hyphen or letter before it).
TRAINER_ID = re.compile(r"(?<![\w-])T-?\d{3,}(?![\w-])", re.I)

# Someone else named by relation or pronoun, about their record: "my friend's", "for my client",
# "my wife expires", "how many CEUs does my client have?", "when does she expire?". A relation alone
# is not (a death in the family, a client's knee: those are the trainer's own questions).
_RELATION = (
    r"my\s+(?:friend|client|colleague|co-?worker|wife|husband|partner|boss|manager|brother|sister"
    r"|mom|mother|dad|father|son|daughter|employee|student)s?"
)
# What of a record a question asks about: "Sarah's certification", "my client's NASM cert".
_RECORD_NOUN = r"(?:cert\w*|record|ceus?|deadlines?|renewal|card|expiration|account|credential|fees?|audit|petition)\b"
_POSSESSIVE = rf"(?:'s|’s|s')\s+(?:\w+\s+)?{_RECORD_NOUN}"
_THIRD_PARTY = re.compile(
    rf"\b{_RELATION}{_POSSESSIVE}"
    rf"|\b(?:for|about|of|does|did|is|has|will|can|when)\s+{_RELATION}\b"
    rf"|\b{_RELATION}\s+(?:expire\w*|renew\w*|recertif\w*|is\s+late|lapsed|cert\w*)"
    r"|\b(?:someone|somebody)\s+else'?s?\s+(?:record|cert\w*|ceus?|deadline)\b"
    r"|\banother\s+(?:trainer|member)\b|\bother\s+trainers?'?s?\s+record"
    r"|\b(?:his|her)\s+(?:cert\w*|record|ceus?|deadline|renewal|card|expiration|account|credential)\b"
    r"|\b(?:when|does|did|is|has|can|will)\s+(?:he|she)\b",
    re.I,
)

# What a person does in a record question: "Marcus Johnson expire", "is Marcus late".
_PREDICATE = (
    r"(?:expire[sd]?|expiring|renew(?:s|ed)?|recertif\w*|need(?:s|ed)?|ha(?:ve|s)|owe[sd]?|pa(?:y|ys|id)"
    r"|late|lapsed|overdue|applied|get(?:s)?|got)\b"
)
_NAME_WORD = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
# One to three capitalised words followed by a possessive of a record noun or a record predicate.
_NAMED = re.compile(rf"(?<![\w'’])(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})(?:{_POSSESSIVE}|\s+{_PREDICATE})")
# Chat is often typed all lowercase ("is maria lopez late?"), where capitals cannot tell a name. A
# name in any case is then read only where a person's name stands: one or two words right after a
# question verb and before a record predicate ("does maria have", "when does marcus johnson
# expire"), before a possessive record noun ("maria's cert"), or alone after "what about".
_ANY_WORD = r"[A-Za-z]+(?:-[A-Za-z]+)?"
_ANY_NAME = rf"(?P<name>{_ANY_WORD}(?:\s+{_ANY_WORD})?)"
_NAMED_ANY_CASE = tuple(
    re.compile(pattern, re.I)
    for pattern in (
        rf"\b(?:is|was|does|did|has|will|can|could|would|should)\s+{_ANY_NAME}\s+{_PREDICATE}",
        rf"(?<![\w'’-]){_ANY_NAME}(?:'s|’s)\s+(?:\w+\s+)?{_RECORD_NOUN}",
        rf"\b(?:what|how)\s+about\s+(?P<name>{_ANY_WORD}\s+{_ANY_WORD})\s*[?.!]*\s*$",
    )
)

# Capitalised words that are not names: sentence openers, the calendar, the credential and its parts.
# "can marcus apply late?": the verb after a name is no part of it (and "i apply" names nobody)
_RENEWAL_VERBS = frozenset(
    """
    apply applying applied submit submitting submitted send sending sent mail mailing mailed file filing
    filed upload uploading uploaded pay paying paid finish finishing finished complete completing completed
    start starting started wait waiting stay staying keep keeping work working train training practice
    practicing teach teaching register registering sign signing enroll enrolling recertify recertifying
    """.split()
)
_NOT_NAMES = frozenset(
    """
    what when where why how who which whose is am are was were do does did can could will would should
    has have had my me i the a an and or but if so please thanks thank you hi hello hey ok okay yes no
    sorry also then now still just tell show give check help need want let it its this that mine your our
    today tomorrow yesterday next last this year month week day date time
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    nasm certified certification personal trainer corrective exercise specialist performance enhancement
    nutrition coach certify life lifetime renewal renew application course courses ceu ceus cpr aed card
    audit petition fee fees late american red cross heart association national safety council
    """.split()
    # Lowercase words that come before a record predicate in the trainer's own questions ("will my
    # credential expire", "does the workshop have", "do we need"): a word here is never a name.
    + """
    we they them us he she him her his hers their there here someone somebody anyone anybody everyone
    everybody everything anything nothing something all any some each every both one ones other others
    own not too very much many more most less few lot lots only even ever already yet again really
    of to for from with without about at by on in into over under after before since until till than
    as up out off via per be been being get gets got getting go going gone come coming done doing make
    made take took taken use used using say said know knew think thought see saw seen mean meant happen
    happens happened happening might must shall may need needs needed missed missing miss
    credential credentials certificate certificates cert certs certs license licence membership member
    program programs class classes workshop workshops seminar webinar event events module modules unit
    units hour hours credit credits contact education continuing grace period window deadline deadlines
    expiry expiration status account profile portal record records document documents paperwork
    form forms payment price cost total amount money dollars
    academy institute studio society college university school council association organization
    company provider providers kings fitness strength conditioning sports medicine exercise
    ace afaa nsca acsm issa nccpt nesta afpa ymca
    america instructor pilates yoga aquatic aquatics kettlebell golf senior youth group cycling
    online blended bls first aid adult hands-on approved accepted pending denied valid invalid expired
    current new old first second third final last full partial extra enough whole
    """.split()
    # verbs of the renewal ("the last day i can apply late"): below, a name's trailing verb is dropped
    + sorted(_RENEWAL_VERBS)
)


def _name_words(text: str | None) -> frozenset[str]:
    return frozenset(re.findall(r"[^\W_]+", (text or "").casefold()))


def not_people(
    courses: Iterable[CatalogCourse], providers: Iterable[Provider], policy: Policy | None = None
) -> tuple[frozenset[str], ...]:
    """The names that are never a person: the store's catalog course titles and ids, its provider names
    (and their initials), the policy's credential name and program and its accepted CPR/AED providers.
    Each as the set of its words: "what about Coastal Movement?" names part of a provider, no one."""
    names: list[str] = []
    for course in courses:
        names += [course.title, course.id, course.provider]
    for provider in providers:
        names += [provider.name, provider_initials(provider.name)]
    if policy is not None:
        names += [policy.name, policy.program]
        for accepted in policy.cpr_aed_accepted_providers:
            names += [accepted.name, *accepted.aliases]
    return tuple(words_ for words_ in {_name_words(n) for n in names} if words_)


# "cert number 8867890", "certificate #8867890", "my id is 8867890": a credential number, which names the
# trainer who holds it (the caller's own numbers name nobody else)
_CREDENTIAL_NUMBER = re.compile(
    r"\b(?:cert\w*|credential|certificate|member(?:ship)?|licen[cs]e|id|number|no\.?|#)\s*(?:number|no\.?|#|is)?"
    r"\s*[:#]?\s*(?P<number>\d{6,10})\b|^\D{0,20}?\b(?P<bare>\d{6,10})\b",
    re.I,
)
# "this is Marcus Johnson", "I'm Marcus Johnson using Dana's phone": someone saying who they are (capitals,
# so that "I'm late" or "i'm still short" is no name)
_SAYS_WHO = re.compile(
    rf"\b(?:[Tt]his is|I am|I'm|I’m|[Mm]y name is)\s+(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})"
)
_DATE_DIGITS = re.compile(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")


def names_someone_else(
    text: str | None,
    own_id: str | None = None,
    own_name: str | None = None,
    known: Sequence[frozenset[str]] = (),
    own_numbers: frozenset[str] = frozenset(),
) -> str | None:
    """The words that name another trainer in ``text`` (an id or a person), or None.

    The trainer's own id (``own_id``) and own name (``own_name``, from their record) name nobody
    else: "my id is T-1006, can I renew?" from T-1006 is about their own record. Nor does a name all
    of whose words are words of one of the ``known`` names (:func:`not_people`: a catalog course or
    provider, a name of the policy): "does Lakeside Wellness have approved courses?" asks about a provider.
    """
    if not text:
        return None
    own = _normalised_id(own_id)
    for found in TRAINER_ID.finditer(text):
        if _normalised_id(found.group()) != own:
            return found.group()
    third = _THIRD_PARTY.search(text)
    if third:
        return third.group()
    for found in _CREDENTIAL_NUMBER.finditer(text):
        number = found.group("number") or found.group("bare")
        if number not in own_numbers and not _DATE_DIGITS.fullmatch(number):
            return number
    own_words = set((own_name or "").casefold().split())
    candidates = [(m.group("name"), True) for m in _NAMED.finditer(text)]
    candidates += [(m.group("name"), True) for m in _SAYS_WHO.finditer(text)]
    candidates += [(m.group("name"), False) for pattern in _NAMED_ANY_CASE for m in pattern.finditer(text)]
    for candidate, lead_words in candidates:
        name = _person(candidate, own_words, lead_words)
        if name is not None and not any(_name_words(name) <= words_ for words_ in known):
            return name
    return None


def _person(candidate: str, own_words: set[str], lead_words: bool = True) -> str | None:
    """The name in ``candidate`` ("is maria lopez" -> "maria lopez"), or None when it names nobody else.

    With ``lead_words`` the question words before a name are dropped ("When Marcus ...", "is maria
    ..."); a candidate holding a word that is no name ("my credential", "the CNC") is not a person,
    and the trainer's own name is nobody else.
    """
    name_words = candidate.split()
    while lead_words and name_words and name_words[0].casefold() in _NOT_NAMES:
        name_words = name_words[1:]
    while len(name_words) > 1 and name_words[-1].casefold() in _RENEWAL_VERBS:
        name_words = name_words[:-1]
    if not name_words or any(w.casefold() in _NOT_NAMES for w in name_words):
        return None
    if own_words and {w.casefold() for w in name_words} <= own_words:
        return None
    return " ".join(name_words)


def _normalised_id(value: str | None) -> str:
    return "".join(ch for ch in (value or "").casefold() if ch.isalnum())


def other_record_text(linked: bool) -> str:
    """The answer to a question about another trainer's record: only the linked record is discussed."""
    if linked:
        return (
            "I can only discuss your own record, the one this chat is linked to: I never look up or "
            "answer about another trainer's record, whoever is named. Ask me about yours, for example "
            '"when does my certification expire?". Another trainer can ask me in a chat linked to their own '
            "record."
        )
    return (
        "I can only discuss the record a chat is linked to, never a record or a person named in a "
        f"message. {words.LINK_HINT}"
    )


def linked_chat_text() -> str:
    """How linking works, said to a chat that is already linked (its own trainer's record)."""
    return (
        "This chat is already linked to your own record, so I answer from it, and only from it: I "
        "never look up a record named in a message. /whoami shows which record the chat is linked to, "
        "and /unlink removes the link."
    )
