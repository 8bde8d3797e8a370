"""What an application received on a given day, or some day of a named month, would cost.

Shared by the what-if action ("what if I apply on January 14?") and the fee action ("how much will I
pay if I renew in January?"), so both say the same thing for the same day. The figures come from
``rules.scenarios``; this module only words them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from actions.dates import Period
from actions.petitions import pending_words
from actions.words import ceus, day, money
from rules import phrases
from rules.calendar import add_days
from rules.model import Assessment, CprAedStatus, Credential, Phase, Plan, TrainerRecord
from rules.policy import Policy
from rules.scenarios import (
    ApplicationDay,
    ApplicationSpan,
    Submission,
    SubmissionSpan,
    application_on,
    applications_between,
    submission_on,
    submissions_between,
)


def submission_words(policy: Policy, s: Submission, plan: Plan) -> str:
    """The fee of an application received on ``s.submitted_on``, and the tiers either side of it."""
    d, f = s.dates, policy.fees
    received = f"An application NASM receives on {day(s.submitted_on)}"
    rule = phrases.sentence(phrases.fee_date_rule())
    if not s.accepted:
        return (
            f"{received} would be too late: applications for the certification that expired on "
            f"{day(d.expires_on)} are accepted only until {day(d.application_deadline)}, so it "
            f"couldn't be renewed online. Please {phrases.PERSON}."
        )
    if s.phase is Phase.ACTIVE:
        when = (
            f"your expiration date, {day(d.expires_on)}"
            if s.days_after_expiration == 0
            else (
                f"{phrases.count(-s.days_after_expiration, 'day')} before your expiration date, "
                f"{day(d.expires_on)}"
            )
        )
        return (
            f"{received} ({when}) pays {phrases.fee_breakdown(s.fees, plan)}. "
            f"Received from {day(add_days(d.expires_on, 1))} to {day(d.late_fee_deadline)} it would add a "
            f"{money(f.late_first_tier)} late fee, and from {day(add_days(d.late_fee_deadline, 1))} to "
            f"{day(d.application_deadline)} {money(f.late_second_tier)}. {rule}"
        )
    after = f"{phrases.count(s.days_after_expiration, 'day')} after your expiration date, {day(d.expires_on)}"
    text = f"{received} ({after}) pays {phrases.fee_breakdown(s.fees, plan)}."
    if s.phase is Phase.LATE_FEE:
        text += (
            f" Received after {day(d.late_fee_deadline)}, the late fee would be "
            f"{money(f.late_second_tier)} instead."
        )
    else:
        text += (
            f" It is accepted only if all your continuing education was completed by "
            f"{day(d.ce_deadline)}, and {day(d.application_deadline)} is the last day NASM accepts "
            "an application."
        )
    return f"{text} {rule}"


def _days(span: SubmissionSpan) -> str:
    if span.first == span.last:
        return f"on {day(span.first)}"
    return f"from {day(span.first)} to {day(span.last)}"


def period_spans(policy: Policy, credential: Credential, period: Period) -> tuple[SubmissionSpan, ...]:
    return submissions_between(policy, credential, period.first, period.last)


def period_words(policy: Policy, spans: tuple[SubmissionSpan, ...], plan: Plan, label: str) -> str:
    """The fee of an application received some day of ``label`` (a month), one clause per fee tier.

    A month the trainer names is not one day: when it straddles a tier boundary each part is named
    with its own days and amount, instead of a made-up day's fee.
    """
    d = spans[0].submission.dates
    rule = phrases.sentence(phrases.fee_date_rule())
    accepted = [s for s in spans if s.submission.accepted]
    if not accepted:
        return (
            f"An application NASM receives in {label} would be too late: applications for the "
            f"certification that expired on {day(d.expires_on)} are accepted only until "
            f"{day(d.application_deadline)}, so it couldn't be renewed online. Please {phrases.PERSON}."
        )
    clauses = []
    for span in spans:
        if span.submission.accepted:
            clauses.append(f"{_days(span)}, {phrases.fee_breakdown(span.submission.fees, plan)}")
        else:
            clauses.append(
                f"{_days(span)} it would be too late (applications are accepted only until "
                f"{day(d.application_deadline)})"
            )
    if len(spans) == 1:
        only = phrases.fee_breakdown(spans[0].submission.fees, plan)
        text = f"An application NASM receives in {label} ({_days(spans[0])}) pays {only}."
    else:
        text = f"In {label} the fee depends on the day NASM receives your application: {'; '.join(clauses)}."
    if any(s.submission.phase is Phase.LATE_ADDITIONAL_FEE for s in spans):
        text += (
            f" From {day(add_days(d.ce_deadline, 1))} an application is accepted only if all your "
            f"continuing education was completed by {day(d.ce_deadline)}."
        )
    return f"{text} {rule}"


def card_runs_out(
    a: Assessment | None, policy: Policy, received_by: date, when: str | None = None, asked_on: date | None = None
) -> str:
    """What the trainer's card lacks on ``received_by`` (the day NASM would receive the application); else "".

    The card is judged on the day NASM receives the application (docs/rules.md, CPR/AED), so a fee
    quoted for that day would hide that the application is then 0.1 CEU short: because a card valid
    today runs out before it, or because the card on the record has already expired, was online-only
    or is missing. A problem that remains on that day is said, with what is needed by then. ``when``
    words the day or period asked about ("in January 2027"); by default "on <received_by>". ``a`` may be
    the record assessed on ``received_by`` itself; ``asked_on`` (today) then tells a card that has run
    out by that day but not yet today ("runs out on") from one that already has ("expired on").
    """
    when = when or f"on {day(received_by)}"
    if a is None:
        return ""
    card = a.cpr_aed
    needed = (
        f"needs a current card (it gives {ceus(policy.cpr_aed_ceus)} of the "
        f"{ceus(policy.ceus_required)}), because the card is judged on the day NASM receives the application."
    )
    runs_out_later = asked_on is not None and card.expires_on is not None and card.expires_on >= asked_on
    if card.status is CprAedStatus.VALID or (card.status is CprAedStatus.EXPIRED and runs_out_later):
        if card.expires_on is None or card.expires_on >= received_by:
            return ""
        return (
            f"Your CPR/AED card runs out on {day(card.expires_on)}: an application NASM receives after that "
            f"day {needed}"
        )
    if card.status is CprAedStatus.EXPIRED and card.expires_on is not None:
        if card.expires_on >= received_by:
            return ""
        return (
            f"Your CPR/AED card expired on {day(card.expires_on)}: an application NASM receives {when} "
            f"{needed}"
        )
    if card.status is CprAedStatus.NOT_HANDS_ON:
        return (
            f"Your CPR/AED card from {card.provider} was online-only, so it does not count: an application "
            f"NASM receives {when} needs a current card with a hands-on skills part (it gives "
            f"{ceus(policy.cpr_aed_ceus)} of the {ceus(policy.ceus_required)}), because the card is judged on "
            "the day NASM receives the application."
        )
    if card.status is CprAedStatus.MISSING:
        return (
            f"There is no CPR/AED card on your record: an application NASM receives {when} {needed}"
        )
    return ""  # a card from a provider outside the accepted list: the status answers say what to confirm


def card_for_application(
    a: Assessment, policy: Policy, first: date, last: date, when: str, asked_on: date, asks_if_lacking: bool = False
) -> str | None:
    """"Will my Red Cross card still be good if I apply in February?": the card on the record judged on the
    days ``first`` to ``last`` NASM could receive the application (``when`` words them), yes or no first;
    None when the card's standing needs no day to answer (a provider NASM must confirm). ``asks_if_lacking``:
    the question asks the other way round ("will my card be expired if I apply on April 3?"), so the yes and
    the no change places."""
    yes, no = ("No", "Yes") if asks_if_lacking else ("Yes", "No")
    card = a.cpr_aed
    if card.status is CprAedStatus.NEEDS_CONFIRMATION:
        return None
    lacking = card_runs_out(a, policy, last, when=when, asked_on=asked_on)
    if not lacking:
        return (
            f"{yes}: your CPR/AED card from {card.provider} is valid until {day(card.expires_on)}, so it is still "
            f"current for an application NASM receives {when}; the card is judged on the day NASM receives it."
            if card.expires_on is not None
            else None
        )
    if card.status is CprAedStatus.VALID and card.expires_on is not None and card.expires_on >= first:
        return f"Only if NASM receives the application by {day(card.expires_on)}. {lacking}"
    return f"{no}. {lacking}"


def missing_on(policy: Policy, d: ApplicationDay) -> tuple[str, bool]:
    """What the record still lacks for an application NASM receives on ``d.on.today``, and whether
    the renewal then needs a person (it cannot be approved, or only if a petition is).

    The exact gap on that day, never today's: the course CE counted by then and what must still be
    completed by when, the pending petitions that count only once approved, CE on the record that
    was finished only after that day, and the CPR/AED card as held that day.
    """
    parts, person = _missing(policy, d, f"on {day(d.on.today)}", single=True)
    return " ".join(parts), person


def _missing(policy: Policy, d: ApplicationDay, at: str, single: bool) -> tuple[list[str], bool]:
    """What the record lacks for an application NASM receives on ``d.on.today`` and, the same, on each
    day of the :class:`ApplicationSpan` it ends, said for ``at`` ("on January 10, 2027", "in January
    2027", "from January 11, 2027 to January 31, 2027"), one sentence a part; ``single``: one day asked about."""
    a = d.on
    lead = at[:1].upper() + at[1:]
    parts: list[str] = []
    person = False
    if a.ce_remaining > 0 and d.ce_open:
        if d.ce_by < a.ce_deadline and single:
            by = f"{day(d.ce_by)}, the day NASM would receive the application"
        elif d.ce_by < a.ce_deadline or (d.ce_by == a.today and not single):
            by = "the day NASM receives the application"
        else:
            by = f"{day(d.ce_by)}, because {phrases.grace_rule(policy)}"
        unless = ", unless NASM approves the pending petition below by then" if a.petitions_close_gap else ""
        parts.append(
            f"{lead} your record would have {ceus(a.ce_counted)} of the {ceus(policy.ce_cap)} of course CE "
            f"needed besides CPR/AED: {ceus(a.ce_remaining)} more must be completed by {by}{unless}."
        )
    elif a.ce_remaining > 0 and a.today < d.asked_on:  # a day gone by: what the record held then
        parts.append(
            f"{lead} your record had {ceus(a.ce_counted)} of the {ceus(policy.ce_cap)} of course CE needed "
            f"besides CPR/AED, {ceus(a.ce_remaining)} short."
        )
    elif a.ce_remaining > 0 and a.renewable_if_petitions_approved and d.pending:
        person = True
        parts.append(
            f"{lead} your renewal would still depend on your pending "
            f"{'petition' if len(d.pending) == 1 else 'petitions'}: approved continuing education completed by "
            f"{day(a.ce_deadline)} is {ceus(a.ce_counted)}, short of the {ceus(policy.ce_cap)} needed besides "
            "CPR/AED, and nothing completed later can count."
        )
    elif a.ce_remaining > 0:  # not approvable (the caller says so without a fee)
        person = True
        parts.append(f"An application {at} could not be approved: {phrases.ce_window_closed(a, policy)}")
    if d.pending:
        parts.append(pending_words(d.pending, a))
        if person:
            parts.append(f"If NASM denies {'it' if len(d.pending) == 1 else 'them'}, the credential cannot be renewed.")
    for r in d.finished_later:
        after = a.today if single else min(a.today, a.ce_deadline)  # the same course on every day of the span
        parts.append(
            f"{r.title or r.course_id or 'A course'} (completed on {day(r.completed_on)}) was finished after "
            f"{day(after)}, so it would not count for an application "
            + ("that day." if single else f"NASM receives {at}.")
        )
    card = card_runs_out(a, policy, a.today, when=None if single else at, asked_on=d.asked_on)
    if not card and a.cpr_aed.status is CprAedStatus.NEEDS_CONFIRMATION:
        card = phrases.cpr_status(a, policy)
    if card:
        parts.append(card)
    if not parts and a.ceus_remaining <= 0:
        parts.append(
            f"{lead} your record would have all {ceus(a.ceus_required)} you need, so all that is left is "
            "the application itself."
        )
    return parts, person


def missing_between(
    policy: Policy, spans: Sequence[ApplicationSpan], label: str, whole: bool = True
) -> tuple[str, bool]:
    """What the record lacks for an application NASM receives some day of ``label`` (a month), from
    :func:`rules.scenarios.applications_between`: one part per span of days with the same gap, so a month
    in which the application would stop being enough (the card runs out, the CE window closes) says from
    which day. Days on which no application is accepted any more are left to the fee words. ``whole``:
    the spans cover all of ``label`` (not only its days from today on)."""
    accepted = [s for s in spans if s.first_day.on.phase is not Phase.LAPSED]
    parts: list[str] = []
    person = False
    for span in accepted:
        if len(accepted) == 1 and whole and len(spans) == 1:
            at = f"in {label}"
        elif span.first == span.last:
            at = f"on {day(span.first)}"
        else:
            at = f"from {day(span.first)} to {day(span.last)}"
        said, needs = _missing(policy, span.last_day, at, single=span.first == span.last)
        parts.extend(p for p in said if p not in parts)  # a card that ran out is said once, not per span
        person = person or needs
    return " ".join(parts), person


def period_missing(
    policy: Policy, record: TrainerRecord, credential: Credential, period: Period, today: date
) -> tuple[str, bool]:
    """:func:`missing_between` for the days of ``period`` on which NASM could still receive an
    application asked about today (a month already begun: from today on)."""
    first = max(period.first, today) if period.last >= today else period.first
    spans = applications_between(policy, record, credential, first, period.last, today)
    return missing_between(policy, spans, period.label, whole=first == period.first)


def day_answer(
    policy: Policy, record: TrainerRecord, credential: Credential, received: date, today: date, plan: Plan
) -> tuple[str, bool, bool]:
    """The answer for an application NASM receives on ``received``, asked on ``today``: that day's fee
    and what the record still lacks then (the what-if and the fee question say the same), whether to
    offer a person, and whether a fee was quoted (no fee for a day no renewal can reach)."""
    s = submission_on(policy, credential, received)
    if not s.accepted:
        return submission_words(policy, s, plan), True, False
    day_of = application_on(policy, record, credential, received, today)
    if not day_of.approvable:
        return (
            f"An application NASM receives on {day(received)} could not be approved: "
            f"{phrases.unrenewable(day_of.on, policy)}",
            True,
            False,
        )
    gap, person = missing_on(policy, day_of)
    return " ".join(t for t in (submission_words(policy, s, plan), gap) if t), person, True


def record_credential(record: TrainerRecord | None, a: Assessment) -> Credential | None:
    """The record's credential ``a`` assesses."""
    if record is None:
        return None
    return next(
        (c for c in record.credentials if c.program == a.program and c.expires_on == a.expires_on), None
    )
