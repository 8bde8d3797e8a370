"""The trainer's own course petitions: which are pending, which were denied, and what that means.

"What's the status of my petition?" asks about the record, not about how petitions work
(``faq/petition``), so a linked chat gets its petitions of this cycle from the record and what the
pending ones decide (from the assessment); an unlinked one gets the rule and the link hint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import words
from actions.base import Caller, RecordAction
from actions.context import previous_reply_actions, previous_reply_text
from actions.words import ceus, day, format_ceus, money
from rules import phrases
from rules.model import Assessment, CERecord, CEStatus, Phase
from rules.policy import Policy

PETITIONED = (CEStatus.PENDING_PETITION, CEStatus.PETITION_DENIED)
PETITION_ACTION = "action_petition_status"
_VERDICT = {
    CEStatus.PENDING_PETITION: "still pending, so it doesn't count yet",
    CEStatus.PETITION_DENIED: "denied, so it doesn't count",
}


def petitions_this_cycle(caller: Caller, a: Assessment) -> list[CERecord]:
    """Petitioned records completed since the cycle began (older ones no longer matter), oldest first."""
    if caller.record is None:
        return []
    mine = [r for r in caller.record.ce_records if r.status in PETITIONED and r.completed_on >= a.cycle_start]
    return sorted(mine, key=lambda r: r.completed_on)


def petition_sentence(record: CERecord) -> str:
    """"Kettlebell Basics from Kettlebell Kings Academy (completed on ..., 0.3 CEU): still pending ..."."""
    title = record.title or record.course_id or "A course"
    source = f" from {record.provider}" if record.provider else ""
    return (
        f"{title}{source} (completed on {day(record.completed_on)}, {ceus(record.ceus)}): "
        f"{_VERDICT[record.status]}."
    )


# Words of a course or provider question that name neither: "my kettlebell course" is "kettlebell".
_GENERIC = frozenset(
    "a an the my our any one some this that course courses class classes workshop workshops seminar seminars "
    "training trainings program programs event events online in-person from by with at of for ce ceu ceus "
    "credit credits count counts counted approved accepted provider providers thing things stuff".split()
)


def _words(text: str | None) -> set[str]:
    return set(re.findall(r"[\w'-]+", (text or "").casefold()))


def petitions_named(caller: Caller, a: Assessment | None, named: Iterable[str | None]) -> list[CERecord]:
    """The trainer's petitions this cycle whose title or provider a course or provider question names.

    "Does my kettlebell course count?" with a pending petition for "Kettlebell Basics" from Kettlebell
    Kings Academy: the general verdict (not approved, petition it) is not the whole answer, the record
    already holds that petition and its status. A name matches when each of its own words (generic
    ones like "course" left out) is a word of the record's title or provider.
    """
    if a is None:
        return []
    wanted = [w for w in (_words(n) - _GENERIC for n in named) if w]
    return [
        r
        for r in petitions_this_cycle(caller, a)
        if any(w <= _words(r.title) or w <= _words(r.provider) for w in wanted)
    ]


def from_provider(record: CERecord, provider_text: str | None) -> bool:
    """The petitioned record is from the provider the trainer named (any, when none was named):
    "Kettlebell Basics from Joe's Gym" is not the trainer's "Kettlebell Basics" from Some Studio."""
    wanted = _words(provider_text) - _GENERIC
    return not wanted or wanted <= _words(record.provider)


def petitions_text(records: list[CERecord]) -> str:
    """"Your petition on record: Kettlebell Basics from ... (completed on ..., 0.3 CEU): still pending ..."."""
    if not records:
        return ""
    lead = "Your petition on record:" if len(records) == 1 else "Your petitions on record:"
    return " ".join([lead, *(petition_sentence(r) for r in records)])


def pending_for_renewal(caller: Caller, a: Assessment) -> list[CERecord]:
    """Pending petitions for courses that can count for this renewal: completed in the window up to
    the CE deadline (and by today), the ones ``a.ceus_pending`` adds up."""
    last = min(a.ce_deadline, a.today)
    return [
        r for r in petitions_this_cycle(caller, a) if r.status is CEStatus.PENDING_PETITION and r.completed_on <= last
    ]


def pending_petitions_text(caller: Caller, a: Assessment) -> str:
    """The pending petitions a renewal waits on, named, and that a course counts only once approved ("" if none).

    "Can I renew?" from a trainer whose CE reaches the requirement only with a petition NASM has not
    decided must not be answered as if the course counted, nor only with "petitions worth 0.4 CEU".
    """
    return pending_words(pending_for_renewal(caller, a), a)


def pending_words(pending: Sequence[CERecord], a: Assessment) -> str:
    """Pending petitions named, that each course counts only once approved, and whether approving
    them would close the CE gap of ``a`` ("" for none)."""
    if not pending:
        return ""
    one = len(pending) == 1
    rule = (
        "The course counts only once NASM approves the petition"
        if one
        else "Each course counts only once NASM approves its petition"
    )
    if a.petitions_close_gap:
        rule += (
            f"; approved, {'it' if one else 'they'} would complete the course CE you need "
            f"({ceus(a.ce_remaining)} more)"
        )
    return f"{petitions_text(list(pending))} {rule}."


# "and if it's denied?", "what happens if NASM rejects my petition?"
_IF_DENIED = re.compile(
    r"\b(?:if|what if|in case|suppose|when)\b.{0,40}\b(?:denied|deny|denies|rejected|rejects?|turned down|"
    r"not approved|isn't approved|doesn't get approved|don't approve|says? no|refused|declines?|declined)\b",
    re.IGNORECASE,
)


def asks_if_denied(text: str | None) -> bool:
    """A question about what a denial of the trainer's petition would mean."""
    return bool(text and _IF_DENIED.search(text))


SECOND_PETITION = (
    "Whether NASM takes a second petition for the same course isn't in the rules I follow: a person can check "
    "that for you."
)
_ONCE_MORE = re.compile(r"\b(?:again|resubmit\w*|re-?petition|another petition|second petition|appeal)\b", re.I)
_PETITION_WORD = re.compile(r"\bpetition\w*", re.IGNORECASE)


def about_petition_denial(tracker: Tracker) -> bool:
    """"What if they decline it?" about a petition: the message says petition, or follows the petition answer.

    The NLU may read such a follow-up as an FAQ, an audit dispute or nothing at all; the actions that get
    it hand it to ``action_petition_status``."""
    message = str((tracker.latest_message or {}).get("text") or "")
    if not asks_if_denied(message):
        return False
    if _PETITION_WORD.search(message) or PETITION_ACTION in previous_reply_actions(tracker):
        return True
    # "and if NASM says no to it?" after a course answer that named the trainer's petition
    return "action_course_counts" in previous_reply_actions(tracker) and bool(
        _PETITION_WORD.search(previous_reply_text(tracker))
    )


_ONLY_WAY = re.compile(r"\bonly (?:way|option|chance|hope|thing)\b", re.I)
_COST = re.compile(r"\b(?:how much|cost\w*|fees?|pay|paid|charge\w*|price)\b", re.I)
_IF_APPROVED = re.compile(
    r"\b(?:if|when|once|suppose)\b.{0,40}\b(?:approved?|approves|accept\w*|goes through|goes thru|says yes)\b",
    re.IGNORECASE,
)
_PETITION = re.compile(r"\bpetition\w*\b", re.IGNORECASE)


def asks_if_petition_approved(text: str | None) -> bool:
    """"If my petition is approved, will I have enough CEUs?": the figures with the pending petitions approved."""
    return bool(text and _PETITION.search(text) and _IF_APPROVED.search(text) and not asks_if_denied(text))


def if_approved_text(pending: Sequence[CERecord], after: Assessment, policy: Policy) -> str:
    """The figures had NASM approved the pending petitions (``after``, from the rules engine)."""
    lead = (
        f"If NASM approves {'it' if len(pending) == 1 else 'them'}, you'd have {format_ceus(after.ceus_earned)} "
        f"of the {ceus(after.ceus_required)}"
    )
    if after.ceus_remaining > 0:
        if after.ce_remaining <= 0:
            return f"{lead}; the course CE would be complete, and what's missing is the CPR/AED card."
        return f"{lead}, so you'd still need {ceus(after.ceus_remaining)}."
    if after.submitted_on is not None or not after.renewable:
        return f"{lead}: all the CEUs you need."
    when = (
        f"by {day(after.expires_on)} to pay no late fee"
        if after.phase is Phase.ACTIVE
        else f"by {day(after.application_deadline)} at the latest"
    )
    return f"{lead}: all the CEUs you need, and what's left is the application, {when}."


def if_denied_text(pending: Sequence[CERecord], a: Assessment, policy: Policy) -> str:
    """What a denial of the pending petitions would leave, from the assessment (they count as nothing now)."""
    one = len(pending) == 1
    fee = money(policy.fees.petition)
    lead = (
        f"If NASM denies {'it' if one else 'them'}, {'the course doesn' if one else 'those courses don'}'t count "
        f"and the petition fee ({fee} per course or event) is not refunded."
    )
    if a.ce_remaining <= 0:
        return f"{lead} Your course CE is complete without {'it' if one else 'them'}, so a denial changes nothing here."
    if a.today <= a.ce_deadline:
        return (
            f"{lead} You'd still need {ceus(a.ce_remaining)} of approved course CE, completed by {day(a.ce_deadline)} "
            f"({words.relative_days((a.ce_deadline - a.today).days)}): a preapproved course (NASM's, or from an "
            "approved provider) counts without a petition."
        )
    return (
        f"{lead} Approved continuing education completed by {day(a.ce_deadline)} is {ceus(a.ce_counted)}, short "
        f"of the {ceus(policy.ce_cap)} needed besides CPR/AED, and nothing completed later can "
        "count, so the credential could not be renewed online."
    )


class ActionPetitionStatus(RecordAction):
    def name(self) -> str:
        return PETITION_ACTION

    def general(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        if asks_if_denied(tracker.latest_message.get("text")):
            dispatcher.utter_message(
                text=(
                    "I can't see your petitions: this chat isn't linked to your record. A course whose petition "
                    f"is denied doesn't count, and the fee ({money(self.policy.fees.petition)} per course or event) "
                    "is not refunded; the CE it was meant to cover has to come from approved courses completed "
                    f"in time. {words.MONEY_NOTE}"
                )
            )
            return
        dispatcher.utter_message(
            text=(
                "I can't see your petitions: this chat isn't linked to your record. A course that "
                "isn't preapproved counts only once NASM approves its petition in the NASM portal "
                f"({money(self.policy.fees.petition)} per course or event, nonrefundable); the "
                f"portal shows where each petition stands. {words.MONEY_NOTE}"
            )
        )

    def personal(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, caller: Caller, a: Assessment
    ) -> list[EventType] | None:
        petitions = petitions_this_cycle(caller, a)
        if not petitions:
            dispatcher.utter_message(
                text=(
                    "Your record has no course petitions this cycle, pending or denied. A course "
                    "that isn't preapproved counts only through a petition in the NASM portal "
                    f"({money(self.policy.fees.petition)} per course or event, nonrefundable). "
                    + words.MONEY_NOTE
                )
            )
            return []
        pending = pending_for_renewal(caller, a)
        asked = str(tracker.latest_message.get("text") or "")
        if pending and _IF_APPROVED.search(asked) and not asks_if_denied(asked) and caller.record:
            # "what happens if my petition gets approved, am I done?": the figures with it approved
            credential = next(c for c in caller.record.credentials if c.program == a.program)
            after = self.rules.with_petitions_approved(self.policy, caller.record, credential, caller.today)
            dispatcher.utter_message(text=f"{petitions_text(pending)} {if_approved_text(pending, after, self.policy)}")
            return []
        if pending and asks_if_denied(tracker.latest_message.get("text")):
            closed = a.today > a.ce_deadline and a.ce_remaining > 0
            again = _ONCE_MORE.search(str(tracker.latest_message.get("text") or ""))
            text = f"{petitions_text(pending)} {if_denied_text(pending, a, self.policy)}"
            if again:  # "if they reject it, can I petition it again?"
                text += f" {SECOND_PETITION}"
            dispatcher.utter_message(text=text, buttons=[words.handoff_button()] if closed or again else [])
            return []
        text = petitions_text(petitions)
        buttons = []
        if pending and _ONLY_WAY.search(asked) and a.ce_remaining > 0:
            # "so my petition is the only way?": not while approved courses can still be completed in time
            if a.today <= a.ce_deadline:
                text = (
                    f"No: approved courses worth {ceus(a.ce_remaining)} completed by {day(a.ce_deadline)} would close "
                    f"the gap too, petition or not. {text}"
                )
            elif a.petitions_close_gap:
                text = (
                    f"Yes: the last day continuing education could count was {day(a.ce_deadline)}, so only the "
                    f"petition can close the gap now. {text}"
                )
            else:
                text = (
                    f"No way is left, even that one: approved, the petition ({ceus(a.ceus_pending)}) wouldn't close "
                    f"the gap of {ceus(a.ce_remaining)}, and nothing completed after {day(a.ce_deadline)} can count. "
                    f"{text} Please {phrases.PERSON}."
                )
                buttons = [words.handoff_button()]
        if _ONCE_MORE.search(str(tracker.latest_message.get("text") or "")):
            # "can I petition it again?": the rules say nothing about a second petition for a course
            dispatcher.utter_message(
                text=f"{text} {SECOND_PETITION}",
                buttons=[words.handoff_button()],
            )
            return []
        if _COST.search(asked):
            # "how much did the petition cost me?": the fee per petition, from the policy, for those on record
            fee = self.policy.fees.petition
            text += (
                f" A petition costs {money(fee)} per course or event, nonrefundable: {money(fee * len(petitions))} "
                f"for the {phrases.count(len(petitions), 'petition')} on your record this cycle. {words.MONEY_NOTE}"
            )
        if a.waits_on_petitions:
            text += " " + phrases.petitions_decide(a, self.policy)
            buttons = [words.handoff_button()]
        elif a.ceus_pending > 0:
            text += " " + phrases.pending_petitions(a)
        dispatcher.utter_message(text=text, buttons=buttons)
        return []
