"""The reminder push: ``trigger_intent EXTERNAL_reminder`` from bot/reminders, worded from the record.

The message is injected by our own reminder service, so the trainer comes from the sender id
through the store's channel identities (see ``actions.base.identify``); with no linked record
nothing is sent.
"""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import words
from actions.base import RecertAction
from actions.words import day, program_name, relative_days
from rules.model import AuditStatus

logger = logging.getLogger(__name__)

STOP_HINT = 'Reply "stop reminders" to stop these messages.'


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
        a = self.pick(self.assessments(caller), tracker)
        if a is None:
            return []
        name = program_name(a.program)
        audit = a.audit
        if audit is not None and audit.status is not AuditStatus.SUBMITTED:
            lead = (
                f"Reminder: your {name} renewal was selected for an audit. Your documents are due "
                f"on {day(audit.documents_due)} ({relative_days(audit.days_left)})."
            )
        elif not a.renewable:
            text = words.unrenewable_text(a, self.policy)
            dispatcher.utter_message(text=f"{text} {STOP_HINT}", buttons=[words.handoff_button()])
            return []
        elif a.days_until_expiration >= 0:
            lead = (
                f"Reminder: your {name} certification expires on {day(a.expires_on)} "
                f"({relative_days(a.days_until_expiration)})."
            )
        else:
            lead = (
                f"Reminder: your {name} certification expired on {day(a.expires_on)}; you can "
                f"still renew until {day(a.application_deadline)}."
            )
        steps = " ".join(a.next_steps)
        dispatcher.utter_message(text=f"{lead} {steps} {STOP_HINT}".replace("  ", " ").strip())
        return []
