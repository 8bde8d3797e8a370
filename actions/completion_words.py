"""Whether continuing education completed some day of a named month counts ("if I finish it in January").

A month can hold the start of the cycle, the expiration date or the CE deadline, so one made-up day
of it (dateparser's reading) can give the wrong verdict for the rest; each part of the month is named
with its own days. The standings come from ``rules.scenarios``; this module only words them.
"""

from __future__ import annotations

from actions.words import day
from rules import phrases
from rules.policy import Policy
from rules.scenarios import CompletionSpan, CompletionStanding


def _days(span: CompletionSpan) -> str:
    if span.first == span.last:
        return f"on {day(span.first)}"
    return f"from {day(span.first)} to {day(span.last)}"


def _clause(span: CompletionSpan) -> str:
    d = span.completion.dates
    standing = span.completion.standing
    if standing is CompletionStanding.BEFORE_CYCLE:
        return f"{_days(span)} it is before your current cycle began on {day(d.cycle_start)}, so it doesn't count"
    if standing is CompletionStanding.IN_CYCLE:
        return f"{_days(span)} it counts (by your expiration date, {day(d.expires_on)}), when the course is approved"
    if standing is CompletionStanding.GRACE:
        return (
            f"{_days(span)} it still counts, after your expiration date ({day(d.expires_on)}), so an "
            "application received then pays a late fee"
        )
    return f"{_days(span)} it is too late: nothing completed after {day(d.ce_deadline)} can count toward that renewal"


def completion_period_words(
    policy: Policy, spans: tuple[CompletionSpan, ...], label: str, needed: bool = True
) -> str:
    """One clause per standing of the month's days, and the CE deadline rule when it matters.

    ``needed=False``: the trainer's CE is already complete, so a part that is too late sends nobody to a person.
    """
    d = spans[0].completion.dates
    text = (
        f"Continuing education completed in {label}, for the cycle with the expiration date "
        f"{day(d.expires_on)}: {'; '.join(_clause(span) for span in spans)}."
    )
    standings = {span.completion.standing for span in spans}
    if standings & {CompletionStanding.GRACE, CompletionStanding.TOO_LATE}:
        text += f" That is because {phrases.grace_rule(policy)} (until {day(d.ce_deadline)})."
    if CompletionStanding.TOO_LATE in standings and needed:
        text += f" Please {phrases.PERSON}."
    return text
