"""Which reminder milestones are due for one credential on one day (specification section 7).

Pure: an assessment and the policy in, the due milestones out. Three series run side by side:
the expiration series (days before and after ``E``, and the last month before the credential
lapses), the audit series (days after selection while documents are outstanding) and the CPR/AED
series (days before a card that runs out before ``E`` expires). Within a series a milestone is due
from its own day (included) until the next milestone's day, so a missed run catches up with the
most recent milestone only, never a burst of old ones. The last milestone of a series is due until
the series ends (the lapse date, the documents' due date, the card's expiry).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import lru_cache

from rules.calendar import add_days, add_years
from rules.model import Application, Assessment, CprAedCard, CprAedStatus, Credential, Phase
from rules.policy import Policy, ReminderPolicy


class Series(str, Enum):
    EXPIRATION = "expiration"
    AUDIT = "audit"
    CPR_AED = "cpr"


@dataclass(frozen=True)
class Milestone:
    """One reminder of a cycle: its key is unique per (trainer, credential, cycle)."""

    key: str  # "-30d", "+1d", "+330d", "audit+20d", "cpr-60d"
    series: Series
    day: date  # the first day it is due
    until: date  # the first day it is no longer due


def _offset_key(days: int, prefix: str = "") -> str:
    return f"{prefix}{'+' if days > 0 else '-'}{abs(days)}d"


def _chain(series: Series, points: list[tuple[str, date]], end: date) -> list[Milestone]:
    """Milestones in day order, each due until the next one's day; the last one until ``end``."""
    points = sorted(points, key=lambda p: p[1])
    ends = [day for _, day in points[1:]] + [end]
    return [Milestone(key, series, day, until) for (key, day), until in zip(points, ends, strict=False) if day < until]


def expiration_milestones(a: Assessment, policy: Policy) -> list[Milestone]:
    return list(_expiration_chain(a.expires_on, a.lapses_on, policy.reminders))


@lru_cache(maxsize=8192)
def _expiration_chain(expires_on: date, lapses_on: date, r: ReminderPolicy) -> tuple[Milestone, ...]:
    # the same for every credential expiring on one day; a pass over a store meets a few thousand days
    points = [(_offset_key(-d), add_days(expires_on, -d)) for d in r.days_before_expiration]
    points += [(_offset_key(d), add_days(expires_on, d)) for d in r.days_after_expiration]
    points.append((_offset_key(r.last_month_days_after), add_days(expires_on, r.last_month_days_after)))
    return tuple(_chain(Series.EXPIRATION, points, lapses_on))


def audit_milestones(a: Assessment, policy: Policy) -> list[Milestone]:
    if a.audit is None:
        return []
    points = [
        (_offset_key(d, "audit"), add_days(a.audit.selected_on, d))
        for d in policy.reminders.audit_days_after_selection
    ]
    return _chain(Series.AUDIT, points, add_days(a.audit.documents_due, 1))


def cpr_milestones(a: Assessment, policy: Policy) -> list[Milestone]:
    card = a.cpr_aed
    if card.expires_on is None:
        return []
    before = policy.reminders.cpr_aed_days_before_card_expiry
    point = (_offset_key(-before, "cpr"), add_days(card.expires_on, -before))
    return _chain(Series.CPR_AED, [point], add_days(card.expires_on, 1))


def has_something_to_do(a: Assessment) -> bool:
    """CE or the card missing, the card running out before ``E``, or no application yet."""
    card_runs_out = (
        a.cpr_aed.valid and a.cpr_aed.expires_on is not None and a.cpr_aed.expires_on < a.expires_on
    )
    return a.ceus_remaining > 0 or card_runs_out or a.submitted_on is None


def _current(milestones: list[Milestone], today: date) -> Milestone | None:
    return next((m for m in milestones if m.day <= today < m.until), None)


def _card_runs_out_first(a: Assessment) -> bool:
    """A valid card that runs out before ``E``, before any application: the CPR/AED series runs."""
    return (
        a.cpr_aed.status is CprAedStatus.VALID
        and a.cpr_aed.expires_on is not None
        and a.cpr_aed.expires_on < a.expires_on
        and a.submitted_on is None
        and a.phase is Phase.ACTIVE
    )


def _running_series(a: Assessment, policy: Policy) -> dict[Series, list[Milestone]]:
    """The milestones of each series that runs for this credential on ``a.today`` (none when it can
    no longer be renewed): the one rule behind what is due and what can still come."""
    if not a.renewable:
        return {}
    series: dict[Series, list[Milestone]] = {}
    if has_something_to_do(a):
        series[Series.EXPIRATION] = expiration_milestones(a, policy)
    if a.audit_outstanding:
        series[Series.AUDIT] = audit_milestones(a, policy)
    if _card_runs_out_first(a):
        series[Series.CPR_AED] = cpr_milestones(a, policy)
    return series


def due_milestones(a: Assessment, policy: Policy) -> list[Milestone]:
    """The milestones due on ``a.today``: at most one per series, none for a credential that
    can no longer be renewed."""
    found = (_current(milestones, a.today) for milestones in _running_series(a, policy).values())
    return [m for m in found if m is not None]


def milestones_ahead(a: Assessment, policy: Policy) -> dict[Series, list[Milestone]]:
    """What reminders can still come for this credential from ``a.today`` on, by series: the
    milestones due today or later (a series with none left is not listed).

    What "start reminders again" can honestly promise: nothing for a credential that can no longer
    be renewed or whose renewal waits on a petition, only the audit reminders (while documents are
    outstanding) once NASM has the application and nothing else is missing.
    """
    ahead = {
        series: [m for m in milestones if m.until > a.today]
        for series, milestones in _running_series(a, policy).items()
    }
    return {series: milestones for series, milestones in ahead.items() if milestones}


@dataclass(frozen=True)
class DueWindows:
    """Where a row's date must lie for any milestone to be due on some day from ``first_day`` to
    ``last_day`` (each range inclusive): the coarse filter a store applies to its rows before the
    exact :func:`could_be_due`, so a pass over a whole store reads only the trainers that may have
    something due. A superset by construction (a day's slack where calendar years are uneven)."""

    credential_expires: tuple[date, date]
    card_expires: tuple[date, date]
    audit_selected: tuple[date, date]


def due_windows(policy: Policy, first_day: date, last_day: date) -> DueWindows:
    """The :class:`DueWindows` of ``policy`` for the days ``first_day`` to ``last_day`` (a pass
    covers the dates "today" can be in its trainers' time zones). Mirrors :func:`could_be_due`."""
    r = policy.reminders
    return DueWindows(
        credential_expires=(
            add_years(first_day, -policy.restore_after_years),  # a day early: 29 February
            add_days(last_day, max(r.days_before_expiration, default=0)),
        ),
        card_expires=(first_day, add_days(last_day, r.cpr_aed_days_before_card_expiry)),
        audit_selected=(add_days(first_day, -(policy.audit_response_days + 1)), last_day),
    )


def could_be_due(
    credential: Credential,
    cards: Iterable[CprAedCard],
    applications: Iterable[Application],
    today: date,
    policy: Policy,
) -> bool:
    """False only when no milestone of this credential can be due on ``today`` (a cheap test
    before the full assessment, for passes over a whole store).

    A superset of :func:`due_milestones`: the expiration series runs from the earliest reminder
    before ``E`` until the lapse date, the audit series from a selection until its documents'
    due date, the CPR/AED series from its reminder until the card's expiry.
    """
    r = policy.reminders
    expires_on = credential.expires_on
    first = add_days(expires_on, -max(r.days_before_expiration, default=0))
    if first <= today < add_years(expires_on, policy.restore_after_years):
        return True
    for card in cards:
        if add_days(card.expires_on, -r.cpr_aed_days_before_card_expiry) <= today <= card.expires_on:
            return True
    for application in applications:
        selected = application.audit_selected_on
        if selected is not None and selected <= today <= add_days(selected, policy.audit_response_days + 1):
            return True
    return False
