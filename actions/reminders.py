"""Reminders in the conversation: the push itself, stopping and restarting them, and the calendar.

- ``action_send_reminder`` answers ``trigger_intent EXTERNAL_reminder`` from ``bot/reminders``
  (entities ``milestone`` and ``program``). The message is injected by our own reminder service,
  so the trainer comes from the sender id through the store's channel identities (see
  ``actions.base.identify``); with no linked record nothing is sent. The words are
  :func:`bot.reminders.words.reminder_message`, the same the planner shows in a dry run.
- ``action_stop_reminders`` / ``action_start_reminders`` ("stop the reminders"; "start reminders
  again") turn the linked trainer's reminders off or on and say which state they are in now, in the
  words of :mod:`bot.reminders.words`. The Telegram commands (``/stop``, ``/startreminders``) say the
  same but are handled by the gateway itself (``bot.reminders.telegram_commands``), so they work
  while a person handles the conversation (Rasa paused) and while Rasa is down.
- ``action_send_calendar`` ("add my deadlines to my calendar", ``/calendar``, the reminder's
  button) sends the trainer's own dates as an ``.ics`` file: a custom message
  ``{"document": {filename, mime_type, content}}`` that the Telegram gateway sends as a file.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import words
from actions.base import Caller, RecertAction
from bot.reminders import calendar
from bot.reminders.words import (
    ALREADY_STOPPED,
    NOT_LINKED_REMINDERS,
    STOPPED,
    calendar_button,
    expiration_lead,
    reminder_message,
    started_for,
    started_text,
)
from rules import phrases
from rules.errors import PolicyError
from rules.model import Assessment
from rules.policy import Policy, load_policy

logger = logging.getLogger(__name__)

STOP_HINT = phrases.reminder_stop_hint()
CALENDAR_SENT = (
    "Here are your renewal deadlines as a calendar file: open it to add them to your calendar "
    "(each one with a reminder a week ahead)."
)
NO_DATES = "There are no renewal deadlines ahead on your record to put in a calendar."


def _entity(tracker: Tracker, name: str) -> str | None:
    for item in (tracker.latest_message or {}).get("entities") or ():
        if item.get("entity") == name and item.get("value"):
            return str(item["value"])
    return None


def _policy_of(program: str, default: Policy) -> Policy:
    """The action's policy for its program (tests hand in an edited one), the bundled one otherwise."""
    if program == default.program:
        return default
    try:
        return load_policy(program)
    except PolicyError:
        return default


class ActionSendReminder(RecertAction):
    def name(self) -> str:
        return "action_send_reminder"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        caller = await self.caller(tracker)
        if not caller.linked:
            logger.warning("reminder for a conversation without a linked record; nothing sent")
            return []
        assessments = self.assessments(caller)
        program = _entity(tracker, "program")
        a = next((x for x in assessments if x.program == program), None) or self.pick(assessments, tracker)
        if a is None:
            return []
        policy = _policy_of(a.program, self.policy)
        if not a.renewable:
            text = words.unrenewable_text(a, policy)
            dispatcher.utter_message(text=f"{text} {STOP_HINT}", buttons=[words.handoff_button()])
            return []
        milestone = _entity(tracker, "milestone") or ""
        text = reminder_message(a, milestone, policy) if milestone else (
            f"{expiration_lead(a, policy)} {phrases.reminder_deadline(a, policy)} {STOP_HINT}".replace("  ", " ")
        )
        dispatcher.utter_message(text=text, buttons=[calendar_button()])
        return []


class _ReminderSetting(RecertAction):
    """Turn the linked trainer's reminders on or off."""

    answers_from_record = True
    enable: bool

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        caller = await self.caller(tracker)
        if caller.trainer_id is None:
            dispatcher.utter_message(text=NOT_LINKED_REMINDERS)
            dispatcher.utter_message(text=words.LINK_HINT)
            return []
        before = await asyncio.to_thread(self._set, caller.trainer_id)
        if self.enable:
            dispatcher.utter_message(text=self._started(caller, tracker))
        else:
            dispatcher.utter_message(text=STOPPED if before else ALREADY_STOPPED)
        return []

    def _started(self, caller: Caller, tracker: Tracker) -> str:
        """"Reminders are on" with what will still come for the trainer's credential and why
        (nothing past the one-year limit, only audit reminders once NASM has the application)."""
        a = self.pick(self.assessments(caller), tracker)
        if a is None:
            return started_text(self.policy)
        return started_for(a, _policy_of(a.program, self.policy))

    def _set(self, trainer_id: str) -> bool | None:
        """The setting before the change (None: no such trainer)."""
        with self.uow_factory() as uow:
            before = uow.reminders.enabled(trainer_id)
            if before is not None and before != self.enable:
                uow.reminders.set_enabled(trainer_id, self.enable)
                uow.commit()
            return before


class ActionStopReminders(_ReminderSetting):
    enable = False

    def name(self) -> str:
        return "action_stop_reminders"


class ActionStartReminders(_ReminderSetting):
    enable = True

    def name(self) -> str:
        return "action_start_reminders"


class ActionSendCalendar(RecertAction):
    answers_from_record = True

    def name(self) -> str:
        return "action_send_calendar"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        caller = await self.caller(tracker)
        if not caller.linked:
            if caller.trainer_id is not None:
                dispatcher.utter_message(text=words.NO_RECORD, buttons=[words.handoff_button()])
                return []
            dispatcher.utter_message(
                text="I can put your own renewal deadlines in a calendar file once this chat is linked to your record."
            )
            dispatcher.utter_message(text=words.LINK_HINT)
            return []
        pairs = self._with_policies(self.assessments(caller))
        if not calendar.has_dates(pairs):
            lapsed = next((a for a, _ in pairs if not a.renewable and a.submitted_on is None), None)
            if lapsed is not None:
                dispatcher.utter_message(
                    text=words.unrenewable_text(lapsed, self.policy), buttons=[words.handoff_button()]
                )
            else:
                dispatcher.utter_message(text=NO_DATES)
            return []
        content = calendar.deadlines_calendar(caller.trainer_id or "", pairs, now=self._now() if self._now else None)
        dispatcher.utter_message(text=CALENDAR_SENT)
        dispatcher.utter_message(json_message=document_message(content))
        return []

    def _with_policies(self, assessments: list[Assessment]) -> list[tuple[Assessment, Policy]]:
        return [(a, _policy_of(a.program, self.policy)) for a in assessments]


def document_message(content: bytes) -> dict[str, Any]:
    return {
        "document": {
            "filename": calendar.FILENAME,
            "mime_type": calendar.MIME_TYPE,
            "content": content.decode("utf-8"),
        }
    }


