"""I was selected for an audit: what now, and by when?"""

from __future__ import annotations

import re
from datetime import date

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import words
from actions.base import Caller, RecordAction
from actions.context import previous_reply_actions, previous_reply_text
from actions.dates import day_in_text, day_phrases_in_text, names_a_day, parse_user_date
from actions.words import day
from rules import phrases
from rules.model import Assessment, AuditStatus

# "I already sent my audit documents", "I mailed the audit stuff last week": the trainer says they sent them
_SENT = re.compile(
    r"\b(?:i|we)(?:'ve|\s+have)?\s+(?:already\s+|just\s+)?(?:sent|mailed|e-?mailed|submitted|uploaded|faxed|"
    r"turned in|handed in|posted)\b|\b(?:already|were|was|got)\s+(?:been\s+)?(?:sent|submitted|uploaded|mailed)\b",
    re.I,
)


# "will my fee go up", "a late fee", "pay more": a rise of the fee asked about
_FEE_RISE = re.compile(r"\b(?:late fee|go(?:es)? up|rise|increase\w*|more|extra|higher|penalt\w*)\b", re.I)
_AUDIT_DOCUMENTS = re.compile(r"\b(?:audit\w*|docs|documents?|paperwork|certificates?)\b", re.I)


# "what happens if I don't send them?", "what if I miss the audit deadline?": the consequence of not sending
_IF_NOT_SENT = re.compile(
    r"\b(?:if|when)\s+(?:i|they|it|the\s+\w+)\s+(?:just\s+|simply\s+|really\s+|still\s+)?"
    r"(?:don'?t|do\s+not|doesn'?t|never|can'?t|cannot|won'?t|"
    r"miss|fail|forget|am\s+late|are\s+late|is\s+late|arrive\s+late|get\s+there\s+late)\b"
    r"|\bwhat happens\b.*\b(?:late|miss\w*|overdue|not|never|don'?t)\b",
    re.I,
)


_ASKS_IF_LATE = re.compile(
    r"\btoo late\b|\b(?:be|is|am|are|arrive|count as|considered)\s+(?:\w+\s+)?late\b|\blate\?", re.I
)
_STILL = re.compile(r"\bstill\b", re.I)


def asks_if_not_sent(text: str | None) -> bool:
    """"What happens if I don't send them?": the rules say no more than the due date and where they go."""
    return bool(text and _IF_NOT_SENT.search(text))


_AUDIT_ANSWER = "Your application was selected for an audit on"  # rules.phrases.audit_status opens with it


def after_the_audit_answer(tracker: Tracker) -> bool:
    """The answer just before was the audit's, given by the audit action or by one that handed it the message
    ("can I send them on the 26th instead?" answered through the what-if): its words say so."""
    return "action_audit" in previous_reply_actions(tracker) or _AUDIT_ANSWER in previous_reply_text(tracker)


def audit_day_follow_up(tracker: Tracker) -> bool:
    """A day with no course, right after the audit answer ("would the 24th be ok?"): the documents' day."""
    message = tracker.latest_message or {}
    if not after_the_audit_answer(tracker):
        return False
    if any(e.get("entity") in ("course", "credential", "provider") for e in message.get("entities") or []):
        return False
    text = str(message.get("text") or "")
    return any(e.get("entity") == "date" for e in message.get("entities") or []) or bool(day_phrases_in_text(text))


def about_audit_documents(tracker: Tracker, a: Assessment) -> bool:
    """A message about the outstanding audit's documents that another action got ("can I send the docs on
    Dec 28?" read as a fee question, "I already sent them yesterday" after the audit answer)."""
    if not a.audit_outstanding:
        return False
    text = str((tracker.latest_message or {}).get("text") or "")
    if _AUDIT_DOCUMENTS.search(text):
        return True
    return (
        says_documents_sent(text) or asks_if_not_sent(text) or audit_day_follow_up(tracker)
    ) and after_the_audit_answer(tracker)


def says_documents_sent(text: str | None) -> bool:
    """The trainer says the audit documents went out: the record is checked against that claim."""
    return bool(text and _SENT.search(text))


def _day_asked(tracker: Tracker, today: date) -> date | None:
    """The day an audit question names for sending the documents ("on December 26"), or None."""
    for e in (tracker.latest_message or {}).get("entities") or []:
        if e.get("entity") == "date" and names_a_day(str(e.get("value"))):
            asked = parse_user_date(str(e.get("value")), today, "future")
            if asked is not None:
                return asked
    return day_in_text(str((tracker.latest_message or {}).get("text") or ""), today)


class ActionAudit(RecordAction):
    answers_lapsed = True  # an audit of an application already submitted still runs

    def name(self) -> str:
        return "action_audit"

    def general(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        dispatcher.utter_message(
            text=(
                "NASM audits renewal applications at random. If yours is picked, you have "
                f"{phrases.count(self.policy.audit_response_days, 'day')} from selection to send "
                f"{phrases.AUDIT_DOCUMENTS} to {phrases.AUDIT_DEPARTMENT}."
            )
        )

    def personal(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, caller: Caller, a: Assessment
    ) -> list[EventType] | None:
        p = self.policy
        audit = a.audit
        if audit is None:
            if self.lapsed_without_application(a):
                dispatcher.utter_message(
                    text=words.lapsed_text(a, p), buttons=[words.handoff_button()]
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
                text=(
                    f"{lead} If your application is picked, you'll have "
                    f"{phrases.count(p.audit_response_days, 'day')} to send "
                    f"{phrases.AUDIT_DOCUMENTS} to {phrases.AUDIT_DEPARTMENT}."
                )
            )
            return []
        buttons = [words.handoff_button()] if audit.status is AuditStatus.OVERDUE else []
        text = phrases.audit_status(a, p)
        if says_documents_sent(tracker.latest_message.get("text")) and audit.status is not AuditStatus.SUBMITTED:
            # "I sent them yesterday, am I done?" (a day said with it is when they went out, not a day to judge):
            # what they say and the record disagree: say which, and let a person check; never "all done"
            dispatcher.utter_message(
                text=(
                    "Your record doesn't show your audit documents as received yet. Documents can take a few "
                    f"days to be recorded; keep proof of sending. {text}"
                ),
                buttons=[words.handoff_button()],
            )
            return []
        message = str(tracker.latest_message.get("text") or "")
        if words.asks_about_money(message) and a.submitted_on is not None and a.fees.total is not None:
            # "will my fee go up if the audit isn't finished before my expiry?", "when is my audit due and do I
            # have to pay anything else?": the day NASM received the application set the fee; the audit's days
            # don't move it
            lead = "No: " if _FEE_RISE.search(message) and not a.fees.late else ""
            dispatcher.utter_message(
                text=f"{lead}{phrases.application_received(a, p)} The audit doesn't change the fee. {text}",
                buttons=buttons,
            )
            return []
        asked = _day_asked(tracker, caller.today)
        if asked is not None and audit.status is not AuditStatus.SUBMITTED:
            # "is it ok if they arrive on December 26?": that day against the due date, yes or no first
            # "is dec 25 too late?", "will they be late if I mail them dec 24?" ask the opposite of "is it ok?"
            asks_late = bool(_ASKS_IF_LATE.search(message))
            still = bool(_STILL.search(message)) and asked <= caller.today  # "can I still send them today?"
            if asked <= audit.documents_due:
                verdict = "No" if asks_late else "Yes"
                lead = f"{verdict}: {day(asked)} is on or before the due date, {day(audit.documents_due)}."
            else:
                late_by = (asked - audit.documents_due).days
                due = day(audit.documents_due)
                facts = f"{day(asked)} is {phrases.count(late_by, 'day')} after the due date, {due}."
                # after the due date the rules say no more than where to send them: no "No" before "send them now"
                lead = facts if still else f"{'Yes' if asks_late else 'No'}: {facts}"
                buttons = [words.handoff_button()]
            dispatcher.utter_message(text=f"{lead} {text}", buttons=buttons)
            return []
        if asks_if_not_sent(tracker.latest_message.get("text")) and audit.status is not AuditStatus.SUBMITTED:
            # the rules give the due date and where the documents go, not what NASM does when they don't
            # come: say so rather than guess a sanction, and offer the person who knows
            dispatcher.utter_message(
                text=(
                    "What NASM does when audit documents don't arrive isn't in the rules I answer from, so I "
                    "can't tell you; your renewal isn't finished until the audit is. "
                    f"{text} A person can tell you what happens in your case."
                ),
                buttons=[words.handoff_button()],
            )
            return []
        if audit.status is AuditStatus.SUBMITTED:
            text += " NASM finishes its review before the renewal is complete."
        dispatcher.utter_message(text=text, buttons=buttons)
        return []
