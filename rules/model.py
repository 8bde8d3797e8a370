"""Plain data the rules engine reads and writes.

Frozen dataclasses only: the engine is pure, so every input is a value and every
output is a value. Nothing here knows about the database, the clock, or Rasa;
the store maps its rows onto these classes and the actions word the results.
CEUs and money are always ``Decimal`` (the specification forbids binary floats).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum


class Phase(str, Enum):
    """Where a credential stands on a given day (specification section 3)."""

    ACTIVE = "active"
    LATE_FEE = "late_fee"
    LATE_ADDITIONAL_FEE = "late_additional_fee"
    LAPSED = "lapsed"


class CEStatus(str, Enum):
    """Approval state of a continuing-education record."""

    APPROVED = "approved"
    PENDING_PETITION = "pending_petition"
    PETITION_DENIED = "petition_denied"
    UNAPPROVED = "unapproved"


class Plan(str, Enum):
    """Renewal plan: the standard fee each cycle, or "Certify for Life" (no renewal fee)."""

    STANDARD = "standard"
    LIFETIME = "lifetime"


class CprAedStatus(str, Enum):
    """Why a CPR/AED card does or does not give its 0.1 CEU."""

    VALID = "valid"
    NEEDS_CONFIRMATION = "needs_confirmation"  # provider outside the accepted list
    NOT_HANDS_ON = "not_hands_on"  # online-only card
    EXPIRED = "expired"
    MISSING = "missing"


class AuditStatus(str, Enum):
    """State of a random audit (specification section 6)."""

    PENDING = "pending"
    OVERDUE = "overdue"
    SUBMITTED = "submitted"


@dataclass(frozen=True)
class Credential:
    """One certification a trainer holds, e.g. the NASM-CPT."""

    program: str
    expires_on: date
    plan: Plan = Plan.STANDARD
    number: str | None = None
    certified_on: date | None = None


@dataclass(frozen=True)
class CERecord:
    """A completed continuing-education course or event."""

    completed_on: date
    ceus: Decimal
    status: CEStatus
    title: str | None = None
    provider: str | None = None
    course_id: str | None = None
    # The expiration date of the cycle whose renewal used this record. A record completed in the
    # days after an expiration lies in two windows (the old cycle's grace period and the new
    # cycle); once a late renewal used it, it must not count again, and this says so. None: the
    # record counts toward the cycle whose window holds its completion date.
    counted_for: date | None = None


@dataclass(frozen=True)
class CprAedCard:
    """An adult CPR/AED card; ``hands_on`` is False for online-only courses."""

    provider: str
    expires_on: date
    hands_on: bool
    issued_on: date | None = None


@dataclass(frozen=True)
class Application:
    """A renewal application and, if it was picked, its random audit."""

    program: str
    submitted_on: date
    audit_selected_on: date | None = None
    audit_documents_submitted_on: date | None = None
    # The expiration date of the cycle this application renews. None: the cycle whose window
    # (cycle start up to the day before E + 1 year) holds the submission date.
    for_expiration: date | None = None


@dataclass(frozen=True)
class TrainerRecord:
    """Everything the engine needs to know about one trainer."""

    trainer_id: str
    credentials: tuple[Credential, ...] = ()
    ce_records: tuple[CERecord, ...] = ()
    cpr_aed_cards: tuple[CprAedCard, ...] = ()
    applications: tuple[Application, ...] = ()
    name: str | None = None
    timezone: str = "UTC"


@dataclass(frozen=True)
class Fees:
    """Published fees for one application, by the tier of the day that decides them.

    None once that day is a year or more after expiration: no application is accepted then.
    """

    renewal: Decimal | None
    late: Decimal | None
    total: Decimal | None
    decided_on: date  # the submission date once submitted, otherwise the assessment day


@dataclass(frozen=True)
class Audit:
    """A random audit of a submitted application."""

    selected_on: date
    documents_due: date
    status: AuditStatus
    days_left: int  # negative once overdue


@dataclass(frozen=True)
class CprAedAssessment:
    """The best CPR/AED card on the reference day and what it is worth."""

    status: CprAedStatus
    provider: str | None = None
    expires_on: date | None = None

    @property
    def valid(self) -> bool:
        return self.status is CprAedStatus.VALID


@dataclass(frozen=True)
class Assessment:
    """The answer for one credential on one day. Every number the assistant says comes from here."""

    program: str
    plan: Plan
    today: date
    expires_on: date
    cycle_start: date
    phase: Phase
    days_until_expiration: int
    ceus_required: Decimal
    ceus_earned: Decimal
    ceus_remaining: Decimal
    ceus_pending: Decimal
    ce_counted: Decimal  # approved CE in the window, after the cap
    ce_counted_uncapped: Decimal
    ce_remaining: Decimal  # approved CE still missing, not counting the CPR/AED card's 0.1
    cpr_aed: CprAedAssessment
    ce_deadline: date
    late_fee_deadline: date
    application_deadline: date
    lapses_on: date  # E + 1 year: the first day the credential can no longer be renewed
    renewable: bool
    # True when the credential is renewable, or would be once the pending petitions for courses
    # completed by the CE deadline are approved (the answer then depends on those petitions).
    renewable_if_petitions_approved: bool
    fees: Fees
    submitted_on: date | None
    submitted_phase: Phase | None  # the phase on the submission date: it decides the fee tier
    audit: Audit | None
    next_steps: tuple[str, ...] = field(default_factory=tuple)
    # how many pending petitions ``ceus_pending`` adds up: the words agree with it ("the petition", "them")
    petitions_pending: int = 0

    @property
    def cpr_aed_valid(self) -> bool:
        return self.cpr_aed.valid

    @property
    def waits_on_petitions(self) -> bool:
        """Not renewable on approved CE, but would be once pending petitions are approved."""
        return not self.renewable and self.renewable_if_petitions_approved

    @property
    def petitions_close_gap(self) -> bool:
        """Short on approved course CE, and the pending petitions would close the gap once approved:
        "can I renew?" then hangs on those petitions, whatever the phase."""
        return self.ce_remaining > 0 and self.ceus_pending >= self.ce_remaining

    @property
    def audit_outstanding(self) -> bool:
        """Audit documents still to send (pending or overdue)."""
        return self.audit is not None and self.audit.status is not AuditStatus.SUBMITTED


@dataclass(frozen=True)
class CatalogCourse:
    """A preapproved course from the catalog (NASM courses are listed automatically)."""

    id: str
    title: str
    provider: str
    ceus: Decimal


@dataclass(frozen=True)
class Provider:
    """A continuing-education provider and whether NASM approves its courses."""

    name: str
    approved: bool
