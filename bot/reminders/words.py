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
from rules.reminders import Milestone, Series, milestones_ahead

CALENDAR_TITLE = "Add my deadlines to my calendar"
CALENDAR_PAYLOAD = "/add_to_calendar"
REMINDER_INTENT = "EXTERNAL_reminder"

# The confirmations of the setting: the same words whether the trainer said it ("stop the
# reminders", through Rasa's action) or sent the command (/stop, handled by the gateway).
STOPPED = (
    "Okay, reminders are off: I won't message you about your renewal deadlines any more. "
    'You can still ask me anything here. To turn them back on, say "start reminders again" '
    "(or send /startreminders)."
)
ALREADY_STOPPED = (
    'Reminders are already off for you. To turn them back on, say "start reminders again" '
    "(or send /startreminders)."
)
NOT_LINKED_REMINDERS = (
    "Reminders go only to a chat linked to a trainer record, and this one isn't linked, "
    "so I'm not sending you any."
)
IS_OFF = 'Renewal reminders are off for you; say "start reminders again" (or send /startreminders) to turn them on.'


def _window(policy: Policy) -> str:
    window = policy.reminders
    return f"{window.send_window_start:%H:%M} and {window.send_window_end:%H:%M} your time"


def started_text(policy: Policy) -> str:
    return (
        f"Reminders are on: I'll message you here before your renewal deadlines, only between {_window(policy)}. "
        f"{phrases.reminder_stop_hint()}"
    )


def state_text(enabled: bool, policy: Policy) -> str:
    """The setting as ``/start`` states it (without changing it)."""
    if not enabled:
        return IS_OFF
    return (
        f"Renewal reminders are on: I'll message you here before your deadlines, only between {_window(policy)}. "
        "Send /stop to turn them off."
    )


def during_handoff(ticket_id: int) -> str:
    """Said after the setting changed while a person handles the conversation: the handoff goes on."""
    return (
        f"This does not end your conversation with our support staff: ticket #{ticket_id} stays open, "
        "and a person will answer you here."
    )


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


def started_for(a: Assessment, policy: Policy) -> str:
    """The confirmation of "start reminders again" for this credential: what will still come, and why.

    Reminders come only while something is left to do and never for a credential that can no
    longer be renewed (docs/rules.md, Reminders; :func:`rules.reminders.milestones_ahead`), so
    "Reminders are on" alone would promise messages that never come: to a trainer past the
    one-year limit (none), to one whose renewal waits on a petition (none until it is decided), to
    one whose application NASM has (at most the audit reminders).
    """
    ahead = milestones_ahead(a, policy)
    stop = phrases.reminder_stop_hint()
    if not ahead:
        return f"Reminders are on, but none will come now. {_nothing_ahead(a, policy)}"
    if a.submitted_on is None and Series.EXPIRATION in ahead:
        parts = [
            f"Reminders are on: I'll message you here before your renewal deadlines"
            f"{_next(a, ahead[Series.EXPIRATION])}, only between {_window(policy)}."
        ]
    else:
        parts = ["Reminders are on."]
    if a.submitted_on is not None:
        parts.append(_application_in(a))
        if Series.EXPIRATION in ahead:
            parts.append(_gap_ahead(a, ahead[Series.EXPIRATION]))
    if Series.AUDIT in ahead and a.audit is not None:
        parts.append(
            f"While your audit documents (due {format_date(a.audit.documents_due)}) are outstanding, audit "
            f"reminders come{_next(a, ahead[Series.AUDIT])}."
        )
    if Series.CPR_AED in ahead and a.cpr_aed.expires_on is not None:
        parts.append(
            f"Your CPR/AED card runs out on {format_date(a.cpr_aed.expires_on)}, before your expiration date: "
            f"a reminder comes {phrases.count(policy.reminders.cpr_aed_days_before_card_expiry, 'day')} before it."
        )
    if a.submitted_on is not None or Series.EXPIRATION not in ahead:
        parts.append(f"I send them here, only between {_window(policy)}.")
    return " ".join([*parts, stop])


def _application_in(a: Assessment) -> str:
    assert a.submitted_on is not None
    return (
        f"NASM received your renewal application on {format_date(a.submitted_on)}, so no more reminders "
        "about your renewal deadlines come."
    )


def _gap_ahead(a: Assessment, milestones: list[Milestone]) -> str:
    """An application in while CE or the card is still missing: the expiration reminders go on."""
    gap = " and ".join(phrases.reminder_gap(a)) or "what your renewal still lacks"
    return (
        f"Until {gap} is on your record, reminders about your expiration date still "
        f"come{_next(a, milestones)}."
    )


def _next(a: Assessment, milestones: list[Milestone]) -> str:
    """", the next on March 17, 2027" for the first milestone after today ("" when none is)."""
    later = [m.day for m in milestones if m.day > a.today]
    return f", the next on {format_date(min(later))}" if later else ""


def _nothing_ahead(a: Assessment, policy: Policy) -> str:
    """Why no reminder can come for this credential, from the assessment."""
    if not a.renewable:
        text = f"Reminders go only while a certification can still be renewed. {phrases.unrenewable(a, policy)}"
        if a.waits_on_petitions:
            noun = phrases.petition_words(a.petitions_pending)[0]
            text += f" Once NASM approves the pending {noun}, the renewal reminders start again."
        return text
    if a.submitted_on is not None:
        text = _application_in(a)
        if a.audit_outstanding:
            return f"{text} The audit reminders have ended too: {phrases.audit_status(a, policy)}"
        return f"{text} Nothing else is left to remind you of."
    return "Nothing is left to remind you of for this renewal."
