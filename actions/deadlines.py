""""Remind me a month before my deadline", "send me my deadlines": requests near the assistant's job.

Reminders are sent on the policy's schedule (``policy.reminders``; bot/reminders, actions/reminders.py),
not on a day the trainer picks, so the answer says plainly what exists: the automatic reminders to a
linked chat, the calendar file ("add my deadlines to my calendar"), and the trainer's dates from the
record when the chat is linked (the rule and the link hint when it is not). Never the fallback.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import words
from actions.base import RecertAction
from actions.reminders import NOT_LINKED_REMINDERS
from actions.words import day, program_name, relative_days
from rules import phrases
from rules.model import Assessment, CprAedStatus, Phase
from rules.policy import Policy
from rules.reminders import Series, milestones_ahead

# "remind me", "notify", "a heads up", "don't let me forget": a reminder, not a list of dates
_REMINDER = re.compile(
    r"\b(?:remind\w*|notif\w*|alert\w*|ping|nudge|heads[\s-]?up|forget|schedule\w*|"
    r"text me|message me|before my|ahead of)\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b(?:e-?mail\w*|mail me|inbox)\b", re.IGNORECASE)
CALENDAR_HINT = 'Say "add my deadlines to my calendar" and I\'ll send them as a calendar file.'
NO_EMAIL = "I can't send email, only answer here."


def _listed(numbers: Sequence[int]) -> str:
    items = [str(n) for n in numbers]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def reminders_text(policy: Policy) -> str:
    """What the automatic reminders do, from the policy's schedule."""
    r = policy.reminders
    return (
        "I can't set a reminder for a day you pick, but reminders come on their own to a chat linked "
        f"to your record: {_schedule(policy)}, and after it while you can still renew, between "
        f"{r.send_window_start:%H:%M} and {r.send_window_end:%H:%M} your time."
    )


def reminder_lead(policy: Policy, a: Assessment, enabled: bool | None) -> str:
    """What reminders this trainer gets, from their own setting and record (docs/rules.md, Reminders).

    Reminders go only while something is left to do, never for a credential that can no longer be
    renewed, and not at all once the trainer turned them off: "reminders come on their own" would
    promise messages that never come.
    """
    r = policy.reminders
    window = f"between {r.send_window_start:%H:%M} and {r.send_window_end:%H:%M} your time"
    if enabled is False:  # which ones would come once on again is said by turning them on
        return (
            "I can't set a reminder for a day you pick, and your reminders are off, so none come now: "
            'say "start reminders again" (or send /startreminders) to turn them on.'
        )
    if a.submitted_on is None and Series.EXPIRATION not in milestones_ahead(a, policy):
        if a.waits_on_petitions:  # the planner sends nothing while the renewal depends on them
            noun, them, _ = phrases.petition_words(a.petitions_pending)
            return (
                "I can't set a reminder for a day you pick, and no reminders come while your renewal waits "
                f"on your pending {noun}: once NASM approves {them}, they start again."
            )
        return (
            "I can't set a reminder for a day you pick, and no reminders come for a credential that can no "
            "longer be renewed."
        )
    if a.submitted_on is not None:
        audit = (
            f" While your audit documents are outstanding, reminders come "
            f"{_listed(r.audit_days_after_selection)} days after the selection, {window}."
            if a.audit_outstanding and r.audit_days_after_selection
            else ""
        )
        return (
            "I can't set a reminder for a day you pick. NASM has your application, so the renewal-deadline "
            f"reminders have stopped.{audit}"
        )
    return reminders_text(policy)


def _schedule(policy: Policy) -> str:
    before = policy.reminders.days_before_expiration
    if not before:
        return "before your deadlines"
    return f"{_listed(before)} {'day' if before == (1,) else 'days'} before your expiration date"


def asks_for_reminder(text: str | None) -> bool:
    return bool(_REMINDER.search(text or ""))


def deadline_lines(a: Assessment, policy: Policy) -> list[str]:
    """The trainer's dates that still lie ahead (or what they mean now), one sentence each."""
    name = program_name(a.program)
    if a.days_until_expiration >= 0 and a.submitted_on is not None:
        # the application is in: its day decided the fee, there is nothing to renew "by then"
        lines = [
            f"Your {name} certification expires on {day(a.expires_on)} "
            f"({relative_days(a.days_until_expiration)})."
        ]
    elif a.days_until_expiration >= 0:
        lines = [
            f"Your {name} certification expires on {day(a.expires_on)} "
            f"({relative_days(a.days_until_expiration)}): renew by then to avoid a late fee "
            f"({phrases.validity_rule()})."
        ]
    else:
        lines = [
            f"Your {name} certification expired on {day(a.expires_on)} "
            f"({relative_days(a.days_until_expiration)})."
        ]
    if a.submitted_on:
        lines.append(phrases.application_received(a, policy))
    elif a.phase is not Phase.LAPSED:
        if a.today <= a.ce_deadline:
            lines.append(
                f"Continuing education completed up to {day(a.ce_deadline)} counts for this cycle, "
                f"because {phrases.grace_rule(policy)}."
            )
        if not a.renewable:
            lines.append(words.unrenewable_text(a, policy))
        else:
            lines.append(
                f"The last day NASM accepts a late application is {day(a.application_deadline)}, because "
                f"{phrases.late_limit_rule(policy)}."
            )
    if a.cpr_aed.status is not CprAedStatus.VALID or (
        a.cpr_aed.expires_on is not None and a.cpr_aed.expires_on <= a.expires_on
    ):
        lines.append(phrases.cpr_status(a, policy, with_worth=False))
    if a.audit_outstanding:
        lines.append(phrases.audit_status(a, policy))
    return lines


class ActionReminderRequest(RecertAction):
    answers_from_record = True

    def name(self) -> str:
        return "action_reminder_request"

    async def respond(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = str((tracker.latest_message or {}).get("text") or "")
        reminder = asks_for_reminder(text)
        lead = reminders_text(self.policy) if reminder else (NO_EMAIL if _EMAIL.search(text) else "")
        caller = await self.caller(tracker)
        a = self.pick(self.assessments(caller), tracker) if caller.linked else None
        if reminder and a is not None and caller.trainer_id is not None:
            enabled = await asyncio.to_thread(self._reminders_enabled, caller.trainer_id)
            lead = reminder_lead(self.policy, a, enabled)
        if a is None:
            if caller.trainer_id is not None:
                dispatcher.utter_message(text=f"{lead} {words.NO_RECORD}".strip(), buttons=[words.handoff_button()])
                return []
            dispatcher.utter_message(
                text=(
                    f"{lead} "
                    + (
                        NOT_LINKED_REMINDERS
                        if reminder
                        else "I can't see your dates: this chat isn't linked to your record."
                    )
                    + " Your expiration date is in the NASM portal; "
                    f"{phrases.grace_rule(self.policy)}, and {phrases.late_limit_rule(self.policy)}."
                ).strip().replace("  ", " ")
            )
            dispatcher.utter_message(text=words.LINK_HINT)
            return []
        if a.phase is Phase.LAPSED and a.submitted_on is None:
            dispatcher.utter_message(
                text=f"{lead} {words.lapsed_text(a, self.policy)}".strip(), buttons=[words.handoff_button()]
            )
            return []
        body = "\n".join(f"- {line}" for line in deadline_lines(a, self.policy))
        dispatcher.utter_message(text=f"{lead} Your renewal dates:".strip() + f"\n{body}\n{CALENDAR_HINT}")
        return []

    def _reminders_enabled(self, trainer_id: str) -> bool | None:
        """The trainer's reminder setting (None: none stored)."""
        with self.uow_factory() as uow:
            return uow.reminders.enabled(trainer_id)
