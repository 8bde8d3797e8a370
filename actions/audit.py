"""I was selected for an audit: what now, and by when?"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import words
from actions.base import RecordAction
from actions.words import day, relative_days
from rules.model import AuditStatus, Phase

DOCUMENTS = (
    "a certificate of completion for each course and the front and back of your CPR/AED card"
)


class ActionAudit(RecordAction):
    answers_lapsed = True  # an audit of an application already submitted still runs

    def name(self) -> str:
        return "action_audit"

    def general(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        dispatcher.utter_message(
            text=(
                "NASM audits renewal applications at random. If yours is picked, you have "
                f"{self.policy.audit_response_days} days from selection to send {DOCUMENTS}."
            )
        )

    def personal(self, dispatcher, tracker, caller, a):  # type: ignore[no-untyped-def]
        days = self.policy.audit_response_days
        audit = a.audit
        if audit is None:
            if a.phase is Phase.LAPSED and a.submitted_on is None:
                dispatcher.utter_message(
                    text=words.lapsed_text(a), buttons=[words.handoff_button()]
                )
                return []
            if a.submitted_on is None:
                lead = "You haven't applied yet, so there's no audit."
            else:
                lead = (
                    f"NASM received your application on {day(a.submitted_on)} and hasn't "
                    "selected it for an audit."
                )
            dispatcher.utter_message(
                text=f"{lead} If your application is picked, you'll have {days} days to send {DOCUMENTS}."
            )
            return []
        if audit.status is AuditStatus.SUBMITTED:
            dispatcher.utter_message(
                text=(
                    f"NASM selected your application for an audit on {day(audit.selected_on)}, "
                    "and your documents are in: nothing more to do until NASM finishes its review."
                )
            )
            return []
        if audit.status is AuditStatus.OVERDUE:
            dispatcher.utter_message(
                text=(
                    f"Your audit documents were due on {day(audit.documents_due)} "
                    f"({relative_days(audit.days_left)}) and NASM hasn't received them. Send {DOCUMENTS} "
                    "now and contact NASM; a person can help."
                ),
                buttons=[words.handoff_button()],
            )
            return []
        dispatcher.utter_message(
            text=(
                f"NASM selected your application for a random audit on {day(audit.selected_on)}. "
                f"Send {DOCUMENTS} by {day(audit.documents_due)} ({relative_days(audit.days_left)}), "
                f"because you have {days} days from selection."
            )
        )
        return []
