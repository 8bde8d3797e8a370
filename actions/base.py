"""What every action shares: who the trainer is, their record, their today, and error wrapping.

rasa-sdk creates actions with no arguments, so the dependencies default lazily: the settings
from the environment and a unit-of-work factory over the record store, built on first use and
cached per process. Tests pass their own ``uow_factory``, ``settings`` and ``rules``.

Identity comes only from signed metadata (``bot.identity.verify_identity``) or, for messages
our own services inject through Rasa's token-protected API (``trigger_intent``), from the
sender id through the store's channel identities. Nothing typed in chat selects a record.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import words
from actions.date_roles import roled_dates
from actions.dates import names_a_day, parse_user_date
from actions.engine import EngineRules
from actions.others import names_someone_else, not_people, other_record_text
from bot.clock import today_in
from bot.composition import UowFactory
from bot.identity import verify_identity
from bot.settings import Settings, load_settings
from rules.model import Assessment, Phase, TrainerRecord
from rules.policy import DEFAULT_PROGRAM, Policy, load_policy

if TYPE_CHECKING:
    from bot.store.unit_of_work import UnitOfWork

logger = logging.getLogger(__name__)

MISUNDERSTANDINGS = "misunderstandings"
EXTERNAL_PREFIX = "EXTERNAL: "  # rasa.shared.core.constants.EXTERNAL_MESSAGE_PREFIX


@functools.lru_cache(maxsize=1)
def default_settings() -> Settings:
    return load_settings()


def default_uow_factory(database_url: str) -> UowFactory:
    """The composition root's units of work for this database, built on first use (once per process)."""
    from bot import composition

    return composition.uow_factory(database_url)


@dataclass(frozen=True)
class Caller:
    """The trainer behind a conversation, as far as the action may know."""

    trainer_id: str | None
    record: TrainerRecord | None
    today: date

    @property
    def linked(self) -> bool:
        return self.record is not None


def is_injected_external(message: dict[str, Any]) -> bool:
    """A message our services injected with ``trigger_intent`` (not one a user typed).

    Rasa marks those with metadata ``is_external: true`` and the text ``EXTERNAL: <intent>``.
    The REST channel passes client metadata through, so the flag alone is not trusted: the
    intent must be an ``EXTERNAL_*`` intent and the text the one Rasa itself writes.
    """
    metadata = message.get("metadata") or {}
    intent = (message.get("intent") or {}).get("name") or ""
    return (
        metadata.get("is_external") is True
        and intent.startswith("EXTERNAL_")
        and message.get("text") == f"{EXTERNAL_PREFIX}{intent}"
    )


def identify(tracker: Tracker, settings: Settings, uow: UnitOfWork) -> str | None:
    """The trainer id the conversation is entitled to, or None ("not linked")."""
    message = tracker.latest_message or {}
    if is_injected_external(message):
        channel, sep, user_id = (tracker.sender_id or "").partition(":")
        if not (sep and channel and user_id):
            return None
        return uow.identities.trainer_for(channel, user_id)
    return verify_identity(
        message.get("metadata"),
        tracker.sender_id,
        settings.identity_secret,
        settings.identity_max_age_seconds,
    )


def slot_before_message(tracker: Tracker, name: str) -> tuple[bool, Any]:
    """Whether the latest message set the slot ``name`` (Rasa's slot mapping, before any action), and
    the value the slot held before that message."""
    events = list(tracker.events or [])
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=None)
    if last_user is None:
        return False, None
    set_now = any(e.get("event") == "slot" and e.get("name") == name for e in events[last_user + 1 :])
    for event in reversed(events[:last_user]):
        if event.get("event") == "restart":
            break
        if event.get("event") == "slot" and event.get("name") == name:
            return set_now, event.get("value")
    return set_now, None


def keep_expiry_slot(tracker: Tracker, events: list[EventType]) -> list[EventType]:
    """The ``date`` slot back to what it held when the latest message's date is the day of the
    application or of completed CE ("how much would I pay today?", "if I apply on Feb 25"): Rasa's
    slot mapping put it there, and a later what-if would read it as the expiration date the trainer
    told before. Nothing when the action set the slot itself."""
    if any(e.get("event") == "slot" and e.get("name") == "date" for e in events):
        return []
    set_now, before = slot_before_message(tracker, "date")
    current = tracker.get_slot("date")
    if not set_now or current is None or current == before:
        return []
    message = tracker.latest_message or {}
    roled = roled_dates(message.get("text"), list(message.get("entities") or []))
    if any(d.role in ("submit", "completed") and d.text.casefold() == str(current).strip().casefold() for d in roled):
        return [SlotSet("date", before)]
    return []


_A = TypeVar("_A", bound="RecertAction")


class RecertAction(Action, ABC):
    """Base of every action here: dependencies, identity, and a reply instead of a traceback.

    Abstract (``name``), so the action server's scan registers only the concrete actions.
    """

    #: Any action but the misunderstanding handler ends a run of misunderstandings.
    resets_misunderstandings = True
    #: An action that answers from the linked record says "only your own record" instead of an
    #: answer when the message names another trainer ("what about t-1002", "is maria lopez late?"):
    #: the asker's own figures would read as the other trainer's.
    answers_from_record = False

    def __init__(
        self,
        uow_factory: UowFactory | None = None,
        settings: Settings | None = None,
        rules: EngineRules | None = None,
        policy: Policy | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._now = now  # the wall clock, for tests; RECERT_TODAY still wins
        self._settings = settings
        self.rules: EngineRules = rules or EngineRules()
        self._policy = policy

    def sibling(self, cls: Callable[..., _A]) -> _A:
        """Another action with this one's dependencies, for a question this one was handed but the other
        answers (a provider named in a course question, a petition's denial read as an FAQ)."""
        return cls(
            uow_factory=self._uow_factory, settings=self._settings, rules=self.rules, policy=self._policy, now=self._now
        )

    # --- dependencies -----------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = default_settings()
        return self._settings

    @property
    def uow_factory(self) -> UowFactory:
        if self._uow_factory is None:
            self._uow_factory = default_uow_factory(self.settings.database_url)
        return self._uow_factory

    @property
    def policy(self) -> Policy:
        if self._policy is None:
            self._policy = load_policy(DEFAULT_PROGRAM)
        return self._policy

    # --- the action contract ------------------------------------------------------------------

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            if self.answers_from_record and await self._refused_other_record(dispatcher, tracker):
                events = []
            else:
                events = list(await self.respond(dispatcher, tracker, domain))
        except Exception:
            # The traceback goes to the log at ERROR; the trainer gets words and a way out.
            logger.exception("action %s failed", self.name())
            dispatcher.utter_message(text=words.TROUBLE, buttons=[words.handoff_button()])
            events = []
        if self.resets_misunderstandings and tracker.get_slot(MISUNDERSTANDINGS):
            events.append(SlotSet(MISUNDERSTANDINGS, 0))
        events.extend(keep_expiry_slot(tracker, events))
        return events

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        raise NotImplementedError

    # --- helpers for subclasses -------------------------------------------------------------

    async def caller(self, tracker: Tracker) -> Caller:
        """Who is asking, their record (when linked) and their today."""
        trainer_id, record = await asyncio.to_thread(self._load_caller, tracker)
        timezone = record.timezone if record else None
        now = self._now() if self._now else None
        return Caller(trainer_id, record, today_in(timezone, self.settings.today, now=now))

    def _load_caller(self, tracker: Tracker) -> tuple[str | None, TrainerRecord | None]:
        with self.uow_factory() as uow:
            trainer_id = identify(tracker, self.settings, uow)
            if trainer_id is None:
                return None, None
            return trainer_id, uow.trainers.get_record(trainer_id)

    async def refuse_other_record(self, dispatcher: CollectingDispatcher, tracker: Tracker, caller: Caller) -> bool:
        """Say "only your own record" when the message asks about another trainer; True if said.

        The linked record answers only questions about its own trainer: "when does Marcus Johnson
        expire?" answered with the asker's dates would read as Marcus's (actions.others). A course
        title, a provider of the store's catalog or a name of the policy is never taken for a person
        ("does Lakeside Wellness have approved courses?"); the catalog is read only when the words
        name someone.
        """
        text = (tracker.latest_message or {}).get("text")
        own_name = caller.record.name if caller.record else None
        own_numbers = frozenset(c.number for c in (caller.record.credentials if caller.record else ()) if c.number)
        if names_someone_else(text, caller.trainer_id, own_name, own_numbers=own_numbers) is None:
            return False
        known = await asyncio.to_thread(self._not_people)
        if names_someone_else(text, caller.trainer_id, own_name, known, own_numbers=own_numbers) is None:
            return False
        dispatcher.utter_message(text=other_record_text(caller.linked))
        return True

    def _not_people(self) -> tuple[frozenset[str], ...]:
        with self.uow_factory() as uow:
            courses, providers = list(uow.catalog.list_courses()), list(uow.catalog.list_providers())
        return not_people(courses, providers, self.policy)

    async def _refused_other_record(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
        """:meth:`refuse_other_record` for the message; the caller is loaded only when the words name
        someone (their own id and name name nobody else)."""
        if names_someone_else((tracker.latest_message or {}).get("text")) is None:
            return False
        return await self.refuse_other_record(dispatcher, tracker, await self.caller(tracker))

    def assessments(self, caller: Caller) -> list[Assessment]:
        if caller.record is None:
            return []
        return self.rules.assess_trainer(caller.record, caller.today)

    def pick(self, assessments: list[Assessment], tracker: Tracker) -> Assessment | None:
        """The credential the question is about: the one the ``credential`` slot names, else the CPT."""
        if not assessments:
            return None
        wanted = _key(tracker.get_slot("credential"))
        if wanted:
            for assessment in assessments:
                names = (_key(assessment.program), _key(words.program_name(assessment.program)))
                if any(wanted in name or name.endswith(wanted) for name in names if name):
                    return assessment
        for assessment in assessments:
            if assessment.program == DEFAULT_PROGRAM:
                return assessment
        return assessments[0]


def _key(text: Any) -> str:
    return "".join(ch for ch in str(text or "").casefold() if ch.isalnum())


def stated_expiration(tracker: Tracker, today: date) -> date | None:
    """An expiration date the trainer states as theirs ("my cert expires dec 31, right?"), or None."""
    message = tracker.latest_message or {}
    text = str(message.get("text") or "")
    if not _MY_CERT.search(text) or _SUPPOSING.search(text):
        return None
    for d in roled_dates(text, list(message.get("entities") or [])):
        if d.role == "expires" and names_a_day(d.text):  # "expires in 2027" names no day to correct
            return parse_user_date(d.text, today, d.prefer)
    return None


# "my cert expires", "my certification runs out", "I expire": the trainer's own date, not a what-if
_MY_CERT = re.compile(r"\bmy\s+(?:cert\w*|cpt|credential|nasm)\b|\bi\s+expire", re.I)
_SUPPOSING = re.compile(r"\b(?:what if|if|suppose|say|let'?s say|imagine)\b", re.I)
_COUNTS = re.compile(r"\b(?:count|counts|counted|counting)\b", re.I)
_NOT_A_COURSE = {"NASM-CPT", "CPT"}  # the certification being renewed, never a course


def asks_if_a_course_counts(tracker: Tracker) -> bool:
    """The message names a course (or a specialization, which the NLU calls a credential) and asks whether it
    counts: a course question whatever intent the classifier gave it."""
    message = tracker.latest_message or {}
    if not _COUNTS.search(str(message.get("text") or "")):
        return False
    return any(
        e.get("entity") == "course"
        or (e.get("entity") == "credential" and str(e.get("value") or "").upper() not in _NOT_A_COURSE)
        for e in message.get("entities") or []
    )


def _lapsed_lead(asked: str, a: Assessment) -> str:
    """What a lapsed trainer asked, answered before why nothing can be renewed: "whats the fee" (none is payable),
    "how many CEUs did I have" (the record's figure for that cycle)."""
    if words.asks_about_money(asked):
        return "There is no renewal fee to pay any more. "
    if words.mentions_ce(asked):
        counted = words.ceus(a.ceus_earned)
        return f"Your record has {counted} counted for the cycle that expired on {words.day(a.expires_on)}. "
    return ""


class RecordAction(RecertAction):
    """An answer about the trainer's own credential, with a general answer when not linked.

    Subclasses implement ``general`` (from policy only) and ``personal`` (from the assessment).
    Lapsed credentials get the "cannot be renewed online" answer and the offer of a person,
    unless the subclass sets ``answers_lapsed``.
    """

    answers_lapsed = False
    answers_from_record = True

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if asks_if_a_course_counts(tracker):
            # "does my CES still count and when did I finish it?" read as the expiration question: the course
            # answer says whether it counts and the day the record has it completed
            from actions.courses import ActionCourseCounts  # the course action builds on this module

            return await self.sibling(ActionCourseCounts).run(dispatcher, tracker, domain)
        caller = await self.caller(tracker)
        if not caller.linked:
            if caller.trainer_id is not None:
                dispatcher.utter_message(text=words.NO_RECORD, buttons=[words.handoff_button()])
                return []
            self.general(dispatcher, tracker)
            dispatcher.utter_message(text=words.LINK_HINT)
            return []
        assessment = self.pick(self.assessments(caller), tracker)
        if assessment is None:
            dispatcher.utter_message(text=words.NO_RECORD, buttons=[words.handoff_button()])
            return []
        if self.lapsed_without_application(assessment) and not self.answers_lapsed:
            asked = str((tracker.latest_message or {}).get("text") or "")
            dispatcher.utter_message(
                text=_lapsed_lead(asked, assessment) + words.lapsed_text(assessment, self.policy),
                buttons=[words.handoff_button()],
            )
            return []
        stated = stated_expiration(tracker, caller.today)
        if stated is not None and stated != assessment.expires_on:
            # "my cert expires dec 31 right? so no late fee yet?": the record's date, said before the answer
            verb = "expires" if assessment.expires_on >= caller.today else "expired"
            dispatcher.utter_message(
                text=(
                    f"Your record says your certification {verb} on {words.day(assessment.expires_on)}, not "
                    f"{words.day(stated)}; this answer is from your record. If the record is wrong, a person can "
                    "check it."
                )
            )
        return list(self.personal(dispatcher, tracker, caller, assessment) or [])

    @staticmethod
    def lapsed_without_application(assessment: Assessment) -> bool:
        """Past E + 1 year and no application received in time: nothing to answer but that."""
        return assessment.phase is Phase.LAPSED and assessment.submitted_on is None

    def general(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        raise NotImplementedError

    def personal(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        caller: Caller,
        assessment: Assessment,
    ) -> list[EventType] | None:
        raise NotImplementedError
