"""The words of a reminder: one function, used by the action that Rasa runs and by ``--dry-run``.

The action (``actions/reminders.py``) and the planner word a reminder with the same
:func:`reminder_message`, so a dry run shows exactly what a trainer would read. Every figure comes
from the assessment and the policy through :mod:`rules.phrases`.
"""

from __future__ import annotations

from rules import phrases
from rules.formatting import format_date, format_relative_days
from rules.model import Assessment
from rules.policy import Policy

CALENDAR_TITLE = "Add my deadlines to my calendar"
CALENDAR_PAYLOAD = "/add_to_calendar"
REMINDER_INTENT = "EXTERNAL_reminder"



def series_of(milestone: str) -> str:
    """``"audit"``, ``"cpr"`` or ``"expiration"`` for a milestone key such as ``"audit+20d"``."""
    if milestone.startswith("audit"):
        return "audit"
    if milestone.startswith("cpr"):
        return "cpr"
    return "expiration"


def expiration_lead(a: Assessment, policy: Policy) -> str:
    if a.days_until_expiration >= 0:
        return (
            f"Reminder: your {policy.name} certification expires on {format_date(a.expires_on)} "
            f"({format_relative_days(a.days_until_expiration)})."
        )
    return (
        f"Reminder: your {policy.name} certification expired on {format_date(a.expires_on)}; you can "
        f"still renew until {format_date(a.application_deadline)}."
    )


def reminder_message(a: Assessment, milestone: str, policy: Policy) -> str:
    """The reminder for ``milestone`` of this credential: what it is about, the exact gap and the
    next deadline, and how to stop reminders."""
    series = series_of(milestone)
    if series == "audit" and a.audit is not None:
        parts = ["Reminder:", phrases.audit_status(a, policy)]
    elif series == "cpr":
        parts = ["Reminder:", phrases.cpr_status(a, policy), phrases.reminder_deadline(a, policy)]
    else:
        parts = [expiration_lead(a, policy), phrases.reminder_deadline(a, policy)]
    parts.append(phrases.reminder_stop_hint())
    return " ".join(part for part in parts if part)


def calendar_button() -> dict[str, str]:
    return {"title": CALENDAR_TITLE, "payload": CALENDAR_PAYLOAD}
