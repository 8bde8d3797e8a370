"""Assessments as the ``recert check`` contract: a JSON-ready dict and a short summary.

Dates are ISO strings and decimals are strings (never floats), as the
architecture page's ``check --json`` contract requires.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rules.formatting import (
    format_ceu_amount,
    format_ceus,
    format_date,
    format_money,
    format_relative_days,
    money_string,
)
from rules.model import Assessment, Phase

PHASE_WORDS = {
    Phase.ACTIVE: "active",
    Phase.LATE_FEE: "expired, renewable with the first late fee",
    Phase.LATE_ADDITIONAL_FEE: "expired, renewable with the higher late fee",
    Phase.LAPSED: "lapsed, cannot be renewed",
}


def _money(value: Decimal | None) -> str | None:
    return None if value is None else money_string(value)


def assessment_to_dict(a: Assessment) -> dict[str, Any]:
    """One credential's object in ``recert check --json``."""
    return {
        "program": a.program,
        "plan": a.plan.value,
        "today": a.today.isoformat(),
        "expires_on": a.expires_on.isoformat(),
        "cycle_start": a.cycle_start.isoformat(),
        "phase": a.phase.value,
        "days_until_expiration": a.days_until_expiration,
        "ceus_required": format_ceus(a.ceus_required),
        "ceus_earned": format_ceus(a.ceus_earned),
        "ceus_remaining": format_ceus(a.ceus_remaining),
        "ceus_pending": format_ceus(a.ceus_pending),
        "ce_counted": format_ceus(a.ce_counted),
        "ce_remaining": format_ceus(a.ce_remaining),
        "cpr_aed_valid": a.cpr_aed_valid,
        "cpr_aed": {
            "status": a.cpr_aed.status.value,
            "provider": a.cpr_aed.provider,
            "expires_on": a.cpr_aed.expires_on.isoformat() if a.cpr_aed.expires_on else None,
        },
        "ce_deadline": a.ce_deadline.isoformat(),
        "late_fee_deadline": a.late_fee_deadline.isoformat(),
        "application_deadline": a.application_deadline.isoformat(),
        "renewable": a.renewable,
        "renewable_if_petitions_approved": a.renewable_if_petitions_approved,
        "submitted_on": a.submitted_on.isoformat() if a.submitted_on else None,
        "submitted_phase": a.submitted_phase.value if a.submitted_phase else None,
        "fees": {
            "renewal": _money(a.fees.renewal),
            "late": _money(a.fees.late),
            "total": _money(a.fees.total),
            "decided_on": a.fees.decided_on.isoformat(),
        },
        "audit": None
        if a.audit is None
        else {
            "selected_on": a.audit.selected_on.isoformat(),
            "documents_due": a.audit.documents_due.isoformat(),
            "status": a.audit.status.value,
        },
        "next_steps": list(a.next_steps),
    }


def format_assessment(a: Assessment) -> str:
    """A short readable summary for the terminal."""
    days = a.days_until_expiration
    when = (
        f"expires {format_date(a.expires_on)} ({format_relative_days(days)})"
        if days > 0
        else "expires today"
        if days == 0
        else f"expired {format_date(a.expires_on)} ({format_relative_days(days)})"
    )
    if a.submitted_on is not None and a.phase is Phase.LAPSED and a.renewable:
        standing = "past the last day for applications, but the application arrived in time: being processed"
    elif a.renewable or (a.phase is Phase.LAPSED and a.submitted_on is None):
        standing = PHASE_WORDS[a.phase]
    elif a.waits_on_petitions:
        standing = (
            "expired; renewable only if the pending petition is approved"
            if a.petitions_pending == 1
            else "expired; renewable only if the pending petitions are approved"
        )
    else:
        standing = "expired, cannot be renewed (continuing education short at the CE deadline)"
    if a.submitted_on is not None:
        standing += f"; application received {format_date(a.submitted_on)}"
    lines = [
        f"{a.program.upper()} ({a.plan.value} plan): {standing}; {when}",
        f"  CEUs: {format_ceus(a.ceus_earned)} of {format_ceus(a.ceus_required)} earned, "
        f"{format_ceu_amount(a.ceus_remaining)} remaining"
        + (f", {format_ceus(a.ceus_pending)} pending petition" if a.ceus_pending else ""),
        f"  CPR/AED: {a.cpr_aed.status.value.replace('_', ' ')}",
        f"  CE deadline {format_date(a.ce_deadline)}; application deadline "
        f"{format_date(a.application_deadline)}",
    ]
    if a.fees.total is not None:
        lines.append(
            f"  Fees: renewal {format_money(a.fees.renewal or Decimal(0))}, late "
            f"{format_money(a.fees.late or Decimal(0))}, total {format_money(a.fees.total)}"
        )
    if a.audit is not None:
        lines.append(
            f"  Audit: {a.audit.status.value}, documents due {format_date(a.audit.documents_due)}"
        )
    lines.append("  Next steps:")
    lines.extend(f"  - {step}" for step in a.next_steps)
    return "\n".join(lines)
