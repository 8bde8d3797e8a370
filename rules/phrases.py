"""Every fact a trainer reads, worded once, with its figures from the policy or the assessment.

The next steps of ``recert check`` (:mod:`rules.steps`) and the assistant's answers (``actions/``)
both build their sentences from these functions, so the CPR/AED rule, the grace period, the
one-year limit or a fee is said the same way everywhere, and an edited policy file changes every
sentence at once. Nothing here types a figure: days, years, CEUs and money come from ``Policy``
or from an ``Assessment``. Each answer about a trainer's own dates or money carries the rule it
rests on (the ``*_rule`` clauses) and, for money, where to confirm it (:data:`MONEY_NOTE`).
"""

from __future__ import annotations

from decimal import Decimal

from rules.calendar import add_days
from rules.formatting import format_ceu_amount, format_date, format_money
from rules.model import Assessment, AuditStatus, CprAedStatus, Fees, Phase, Plan
from rules.policy import Policy

MONEY_NOTE = "These follow NASM's published fees; please confirm the amount in the NASM portal."
AUDIT_DEPARTMENT = "NASM's Recertification/Renewal Department"
AUDIT_DOCUMENTS = (
    "a certificate of completion for each course and the front and back of your CPR/AED card"
)
PERSON = "contact NASM, or ask for a person here"

_NUMBER_WORDS = {1: "one", 2: "two", 3: "three"}


def sentence(clause: str) -> str:
    """A clause of this module as a sentence of its own."""
    return clause[:1].upper() + clause[1:] + ("" if clause.endswith(".") else ".")


def count(n: int, unit: str) -> str:
    """"1 day", "90 days"."""
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def years(n: int) -> str:
    """"one year", "two years": how people say the limits."""
    word = _NUMBER_WORDS.get(n, str(n))
    return f"{word} year" if n == 1 else f"{word} years"


def ceus(value: Decimal) -> str:
    """"0.6 CEU", "1.9 CEUs"."""
    return format_ceu_amount(value)


# --- the rules, as short clauses ----------------------------------------------------------


def grace_rule(policy: Policy) -> str:
    """Why CE after the expiration date still counts."""
    return (
        f"continuing education completed up to {count(policy.ce_grace_days, 'day')} after "
        "expiration still counts"
    )


def late_limit_rule(policy: Policy) -> str:
    """The two conditions on a late renewal: the hard limit and CE done within the grace period."""
    return (
        f"applications are accepted up to {years(policy.restore_after_years)} after expiration, "
        f"and only if all continuing education was completed within "
        f"{count(policy.ce_grace_days, 'day')} after it"
    )


def late_fee_rule(policy: Policy) -> str:
    """The late-fee tiers, in general."""
    f = policy.fees
    return (
        f"a {format_money(f.late_first_tier)} late fee applies to applications received up to "
        f"{count(policy.ce_grace_days, 'day')} after expiration, and "
        f"{format_money(f.late_second_tier)} (instead of {format_money(f.late_first_tier)}) after "
        f"that, until {years(policy.restore_after_years)} after expiration"
    )


def validity_rule() -> str:
    return "a certification is valid through the end of its expiration date"


def requirement_rule(policy: Policy) -> str:
    """Why the trainer needs the CEUs they are told about."""
    return (
        f"{ceus(policy.ceus_required)} every {years(policy.cycle_years)}, "
        f"{ceus(policy.cpr_aed_ceus)} of them from CPR/AED"
    )


def card_judged_rule() -> str:
    """Why a card problem never makes a credential unrenewable by itself."""
    return (
        "the card is judged on the day NASM receives your application, so a card problem alone "
        "never stops a renewal: a current hands-on card by then is enough"
    )


def fee_date_rule() -> str:
    return "the fee is set by the date NASM receives the application"


def cpr_requirement(policy: Policy) -> str:
    """What the CPR/AED requirement is, as a noun phrase."""
    return (
        "a current adult CPR and AED certification with a hands-on skills part "
        f"(it gives {ceus(policy.cpr_aed_ceus)} of the {ceus(policy.ceus_required)})"
    )


def accepted_cpr_providers(policy: Policy) -> str:
    names = [p.name for p in policy.cpr_aed_accepted_providers]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + f" and {names[-1]}"


# --- the trainer's own situation ------------------------------------------------------------


def cpr_status(a: Assessment, policy: Policy, *, with_worth: bool = True) -> str:
    """The trainer's CPR/AED card and what it is worth, as one sentence.

    ``with_worth=False`` leaves out what a valid card gives, for answers that have just said it.
    """
    cpr = a.cpr_aed
    worth = ceus(policy.cpr_aed_ceus)
    judged = (
        f" on {format_date(a.submitted_on)}, the day NASM received your application"
        if a.submitted_on
        else ""
    )
    if cpr.status is CprAedStatus.VALID:
        until = f", valid until {format_date(cpr.expires_on)}" if cpr.expires_on else ""
        note = ""
        if a.submitted_on is None and cpr.expires_on and cpr.expires_on < a.expires_on:
            note = (
                f"; it runs out before your certification does ({format_date(a.expires_on)}), "
                "so apply while it is current or renew it first"
            )
        gives = f"gives the required {worth}" if with_worth else "counts"
        return f"Your CPR/AED card ({cpr.provider}{until}) {gives}{note}."
    if cpr.status is CprAedStatus.EXPIRED and cpr.expires_on is not None:
        return (
            f"Your CPR/AED card expired on {format_date(cpr.expires_on)}, so it does not count"
            f"{' (it is judged' + judged + ')' if judged else ''}: you need {cpr_requirement(policy)}, "
            f"from an accepted provider ({accepted_cpr_providers(policy)})."
        )
    if cpr.status is CprAedStatus.NOT_HANDS_ON:
        return (
            f"Your CPR/AED card from {cpr.provider} was online-only, so it does not count: "
            f"you need {cpr_requirement(policy)}."
        )
    if cpr.status is CprAedStatus.NEEDS_CONFIRMATION:
        return (
            f"Your CPR/AED card is from {cpr.provider}, which is not on NASM's list of accepted "
            f"providers ({accepted_cpr_providers(policy)}): confirm with NASM member services "
            f"that it is accepted before counting on its {worth}."
        )
    return (
        f"There is no CPR/AED card on your record{judged}: you need {cpr_requirement(policy)}, "
        f"from an accepted provider ({accepted_cpr_providers(policy)})."
    )


def fee_breakdown(fees: Fees, plan: Plan) -> str:
    """"the $99.00 renewal fee + a $30.00 late fee = $129.00 in all"."""
    assert fees.renewal is not None and fees.late is not None and fees.total is not None
    if plan is Plan.LIFETIME and fees.renewal == 0:
        renewal = f"no renewal fee on the Certify for Life plan ({format_money(fees.renewal)})"
    elif plan is Plan.LIFETIME:
        renewal = f"the {format_money(fees.renewal)} renewal fee of the Certify for Life plan"
    else:
        renewal = f"the {format_money(fees.renewal)} renewal fee"
    if fees.late == 0:
        return f"{renewal} and no late fee, {format_money(fees.total)} in all"
    return f"{renewal} + a {format_money(fees.late)} late fee = {format_money(fees.total)} in all"


def fee_tiers_ahead(a: Assessment, policy: Policy) -> str:
    """The fee boundaries still ahead of this trainer, as one sentence ("" when none are)."""
    f = policy.fees
    first_late = add_days(a.expires_on, 1)
    second_late = add_days(a.late_fee_deadline, 1)
    last = format_date(a.application_deadline)
    if a.phase is Phase.ACTIVE:
        return (
            f"No late fee if NASM receives your application by {format_date(a.expires_on)}; "
            f"{format_money(f.late_first_tier)} from {format_date(first_late)} to "
            f"{format_date(a.late_fee_deadline)}; {format_money(f.late_second_tier)} from "
            f"{format_date(second_late)} to {last}, the last day an application is accepted."
        )
    if a.phase is Phase.LATE_FEE:
        return (
            f"The late fee is {format_money(f.late_first_tier)} if NASM receives your application "
            f"by {format_date(a.late_fee_deadline)} and {format_money(f.late_second_tier)} from "
            f"{format_date(second_late)} to {last}, the last day an application is accepted."
        )
    if a.phase is Phase.LATE_ADDITIONAL_FEE:
        return f"NASM must receive your application by {last}, the last day it is accepted."
    return ""


def application_received(a: Assessment, policy: Policy) -> str:
    """The application on record: when it arrived, what that fixed, and that it is processed."""
    assert a.submitted_on is not None
    gap = (a.submitted_on - a.expires_on).days
    if gap <= 0:
        when = f"on or before your expiration date ({format_date(a.expires_on)})"
    else:
        when = f"{count(gap, 'day')} after your expiration date ({format_date(a.expires_on)})"
    text = f"NASM received your renewal application on {format_date(a.submitted_on)}, {when}"
    if a.fees.total is not None:
        text += (
            f", and {fee_date_rule()}, so yours is {fee_breakdown(a.fees, a.plan)}. "
            "It is being processed"
        )
    return text + "."


def lapsed(a: Assessment, policy: Policy) -> str:
    """Past the hard limit with no application in time: not renewable online."""
    return (
        f"Your credential expired on {format_date(a.expires_on)} and applications closed on "
        f"{format_date(a.application_deadline)}, because {late_limit_rule(policy)}; it cannot "
        f"be renewed online any more and has to be restored: {PERSON}."
    )


def ce_window_closed(a: Assessment, policy: Policy) -> str:
    """Continuing education short at the CE deadline: nothing done later can close the gap."""
    done = (
        f"only {ceus(a.ce_counted)} of approved continuing education was"
        if a.ce_counted > 0
        else "no approved continuing education was"
    )
    return (
        f"Your credential expired on {format_date(a.expires_on)}, and {done} completed by "
        f"{format_date(a.ce_deadline)}, {ceus(a.ce_remaining)} short of the {ceus(policy.ce_cap)} needed besides "
        f"CPR/AED. Because {late_limit_rule(policy)}, nothing completed later can count, so it cannot be "
        f"renewed online: {PERSON}."
    )


def petition_words(n: int) -> tuple[str, str, str]:
    """("petition", "it", "is") for one pending petition, ("petitions", "them", "are") for several."""
    return ("petition", "it", "is") if n == 1 else ("petitions", "them", "are")


def petitions_decide(a: Assessment, policy: Policy) -> str:
    """Short on approved CE at the CE deadline, but pending petitions would close the gap."""
    noun, them, _ = petition_words(a.petitions_pending)
    worth = (
        f"a petition worth {ceus(a.ceus_pending)} for a course completed by then is"
        if a.petitions_pending == 1
        else f"petitions worth {ceus(a.ceus_pending)} for courses completed by then are"
    )
    return (
        f"Your renewal now depends on your pending {noun}: {ceus(a.ce_counted)} of approved "
        f"continuing education was completed by {format_date(a.ce_deadline)}, short of the "
        f"{ceus(policy.ce_cap)} needed besides CPR/AED, and {worth} still pending. If NASM approves "
        f"{them}, you can still renew until {format_date(a.application_deadline)}"
        + (f" (applying today: {fee_breakdown(a.fees, a.plan)})" if a.fees.total is not None else "")
        + "; if not, the "
        f"credential cannot be renewed, because {late_limit_rule(policy)}."
    )


def unrenewable(a: Assessment, policy: Policy) -> str:
    """Why this credential cannot be renewed (or, with pending petitions, what it waits on)."""
    if a.phase is Phase.LAPSED and a.submitted_on is None:
        return lapsed(a, policy)
    if a.waits_on_petitions:
        return petitions_decide(a, policy)
    return ce_window_closed(a, policy)


def pending_petitions(a: Assessment) -> str:
    # still plural for one petition: tests/integration/test_actions_db.py (read-only here) pins this wording
    return (
        f"Petitioned courses worth {ceus(a.ceus_pending)} are still pending; they count only "
        "once NASM approves the petition."
    )


def audit_status(a: Assessment, policy: Policy) -> str:
    """The audit of the trainer's application, if there is one."""
    audit = a.audit
    if audit is None:
        return ""
    if audit.status is AuditStatus.SUBMITTED:
        return (
            f"Your application was selected for an audit on {format_date(audit.selected_on)} and "
            "your documents were received; nothing more is needed for the audit."
        )
    rule = (
        f"you have {count(policy.audit_response_days, 'day')} from selection to send them"
    )
    if audit.status is AuditStatus.OVERDUE:
        return (
            f"Your application was selected for an audit on {format_date(audit.selected_on)} and the "
            f"documents were due on {format_date(audit.documents_due)} "
            f"({count(-audit.days_left, 'day')} ago; {rule}): send "
            f"{AUDIT_DOCUMENTS} to {AUDIT_DEPARTMENT} now and {PERSON}."
        )
    left = "today" if audit.days_left == 0 else f"{count(audit.days_left, 'day')} left"
    return (
        f"Your application was selected for an audit on {format_date(audit.selected_on)}: send "
        f"{AUDIT_DOCUMENTS} to {AUDIT_DEPARTMENT} by {format_date(audit.documents_due)} ({left}; "
        f"{rule})."
    )


# --- reminders ---------------------------------------------------------------------------


def reminder_gap(a: Assessment) -> list[str]:
    """What the trainer still has to do for this renewal, as noun phrases (empty: nothing).

    "0.6 more CEU", "a current CPR/AED card", "your renewal application": CE from
    ``ce_remaining`` (the CPR/AED card's CEU is the card itself), the card when it does not count
    or runs out before the expiration date, the application while NASM has not received it.
    """
    gap: list[str] = []
    if a.ce_remaining > 0:
        amount, _, unit = ceus(a.ce_remaining).partition(" ")
        gap.append(f"{amount} more {unit}")
    card = a.cpr_aed
    if card.status is CprAedStatus.NOT_HANDS_ON:
        gap.append("a current CPR/AED card with a hands-on skills part")
    elif card.status is CprAedStatus.NEEDS_CONFIRMATION:
        gap.append("NASM's confirmation that your CPR/AED card is accepted")
    elif card.status is not CprAedStatus.VALID:
        gap.append("a current CPR/AED card")
    elif a.submitted_on is None and card.expires_on is not None and card.expires_on < a.expires_on:
        gap.append(f"a CPR/AED card valid on the day you apply (yours runs out on {format_date(card.expires_on)})")
    return gap


def _listed(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"


def reminder_deadline(a: Assessment, policy: Policy) -> str:
    """The exact gap and the next deadline that matters, as one sentence ("" when nothing is left).

    "You need 0.6 more CEU and a current CPR/AED card by September 30, 2026 to avoid the $30.00
    late fee." Every figure from the assessment and the policy; the deadline is the next one the
    trainer can still meet: the expiration date (no late fee), then the end of the grace period
    (the last day continuing education counts, and of the lower late fee), then the last day an
    application is accepted.
    """
    if a.submitted_on is not None or not a.renewable:
        return ""
    f = policy.fees
    gap = reminder_gap(a)
    need = f"You need {_listed(gap)}" if gap else "All that is left is your renewal application, which NASM needs"
    if a.phase is Phase.ACTIVE:
        return (
            f"{need} by {format_date(a.expires_on)} to avoid the "
            f"{format_money(f.late_first_tier)} late fee."
        )
    if a.phase is Phase.LATE_FEE:
        if a.ce_remaining > 0:
            return (
                f"{need} by {format_date(a.ce_deadline)}: continuing education completed after that "
                f"no longer counts, and the late fee rises from {format_money(f.late_first_tier)} "
                f"to {format_money(f.late_second_tier)}."
            )
        return (
            f"{need} by {format_date(a.late_fee_deadline)} to pay the "
            f"{format_money(f.late_first_tier)} late fee instead of {format_money(f.late_second_tier)}."
        )
    if a.phase is Phase.LATE_ADDITIONAL_FEE:
        return (
            f"{need} by {format_date(a.application_deadline)}: that is the last day NASM accepts a "
            f"renewal application (with the {format_money(f.late_second_tier)} late fee)."
        )
    return ""


def reminder_stop_hint() -> str:
    """How to stop reminders, as every reminder says it."""
    return 'To stop these reminders, reply "stop reminders" (or send /stop).'
