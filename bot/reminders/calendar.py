"""A trainer's own renewal dates as an iCalendar (``.ics``) file, made with ``icalendar``.

One all-day event per date that still lies ahead, for each credential the trainer can still renew:
the expiration date, the last day continuing education counts (also the last day of the lower
late fee), the last day NASM accepts an application, and the audit documents' due date while
they are outstanding. Each event reminds a week ahead (``VALARM``) and explains itself in one
sentence; every figure comes from the assessment and the policy. UIDs are stable (a hash of the
trainer, the credential's cycle and the kind of date), so importing the file again updates the
events instead of adding copies, and they carry no personal data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from icalendar import Alarm, Calendar, Event

from rules import phrases
from rules.formatting import format_money
from rules.model import Assessment
from rules.policy import Policy

PRODID = "-//recert-assistant//NASM renewal deadlines//EN"
FILENAME = "renewal-deadlines.ics"
MIME_TYPE = "text/calendar"
ALARM_BEFORE = timedelta(days=7)


@dataclass(frozen=True)
class Deadline:
    kind: str  # "expiration", "ce", "application", "audit"
    day: date
    title: str
    description: str


def deadlines(a: Assessment, policy: Policy) -> list[Deadline]:
    """The credential's dates worth a calendar entry, from today on (none once it cannot be renewed)."""
    name = policy.name
    f = policy.fees
    found: list[Deadline] = []
    if a.submitted_on is None and a.renewable:
        found += [
            Deadline(
                "expiration", a.expires_on, f"{name}: certification expires",
                f"Renew by this day to avoid the {format_money(f.late_first_tier)} late fee "
                f"({phrases.validity_rule()}).",
            ),
            Deadline(
                "ce", a.ce_deadline, f"{name}: last day continuing education counts",
                f"{phrases.sentence(phrases.grace_rule(policy))} This is also the last day of the "
                f"{format_money(f.late_first_tier)} late fee; from the next day it is "
                f"{format_money(f.late_second_tier)}.",
            ),
            Deadline(
                "application", a.application_deadline, f"{name}: last day to apply for renewal",
                f"The last day NASM accepts a renewal application (with the "
                f"{format_money(f.late_second_tier)} late fee): "
                f"{phrases.late_limit_rule(policy)}.",
            ),
        ]
    if a.audit_outstanding and a.audit is not None:
        found.append(
            Deadline(
                "audit", a.audit.documents_due, f"{name}: audit documents due",
                f"Send {phrases.AUDIT_DOCUMENTS} to {phrases.AUDIT_DEPARTMENT}.",
            )
        )
    return [d for d in found if d.day >= a.today]


def _uid(trainer_id: str, a: Assessment, kind: str) -> str:
    digest = hashlib.sha256(f"{trainer_id}|{a.program}|{a.expires_on}|{kind}".encode()).hexdigest()[:24]
    return f"{digest}@recert-assistant"


def deadlines_calendar(
    trainer_id: str,
    assessments: Iterable[tuple[Assessment, Policy]],
    now: datetime | None = None,
) -> bytes:
    """The ``.ics`` file (bytes, CRLF lines as RFC 5545 wants) of the trainer's dates."""
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Renewal deadlines")
    for a, policy in assessments:
        for deadline in deadlines(a, policy):
            event = Event()
            event.add("uid", _uid(trainer_id, a, deadline.kind))
            event.add("dtstamp", stamp)
            event.add("dtstart", deadline.day)
            event.add("dtend", deadline.day + timedelta(days=1))
            event.add("summary", deadline.title)
            event.add("description", deadline.description)
            event.add("transp", "TRANSPARENT")
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", deadline.title)
            alarm.add("trigger", -ALARM_BEFORE)
            event.add_component(alarm)
            calendar.add_component(event)
    return calendar.to_ical()


def has_dates(assessments: Iterable[tuple[Assessment, Policy]]) -> bool:
    return any(deadlines(a, policy) for a, policy in assessments)
