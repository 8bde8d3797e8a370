"""Policy values and their loader.

The figures NASM publishes (fees, CEU totals, grace periods, accepted CPR/AED
providers, reminder milestones) live in ``rules/policies/<program>.yml`` so an
administrator can change them without touching code. The file is validated on
load with pydantic; a broken file fails loudly and names the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError, conint, validator

from rules.decimals import Amount
from rules.errors import PolicyError

POLICY_DIR = Path(__file__).parent / "policies"
DEFAULT_PROGRAM = "nasm-cpt"


@dataclass(frozen=True)
class FeeSchedule:
    renewal_standard: Decimal
    renewal_lifetime: Decimal
    late_first_tier: Decimal
    late_second_tier: Decimal
    petition: Decimal


@dataclass(frozen=True)
class AcceptedProvider:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReminderPolicy:
    days_before_expiration: tuple[int, ...]
    days_after_expiration: tuple[int, ...]
    last_month_days_after: int
    audit_days_after_selection: tuple[int, ...]
    cpr_aed_days_before_card_expiry: int
    send_window_start: time
    send_window_end: time


@dataclass(frozen=True)
class Policy:
    """One program's renewal policy, as plain values."""

    program: str
    name: str
    cycle_years: int
    ceus_required: Decimal
    cpr_aed_ceus: Decimal
    ce_grace_days: int
    restore_after_years: int
    audit_response_days: int
    fees: FeeSchedule
    cpr_aed_accepted_providers: tuple[AcceptedProvider, ...]
    reminders: ReminderPolicy
    contact_hours_per_ceu: int = 10  # 1 contact hour = 0.1 CEU

    @property
    def ce_cap(self) -> Decimal:
        """Most CE (outside CPR/AED) that can count: 2.0 - 0.1 = 1.9."""
        return self.ceus_required - self.cpr_aed_ceus

    def accepted_cpr_provider(self, provider: str) -> str | None:
        """The canonical accepted provider a free-text name refers to, or None."""
        wanted = _normalise(provider)
        for accepted in self.cpr_aed_accepted_providers:
            if any(wanted == _normalise(n) for n in (accepted.name, *accepted.aliases)):
                return accepted.name
        return None


@lru_cache(maxsize=4096)
def _normalise(text: str) -> str:
    text = text.casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text).split())


# --- validation schema (pydantic 1.10, which Rasa 3.6 brings) -------------------------------


class _Decimal(Amount):
    """A fee or CEU figure of the policy: non-negative, at most 999999.99, never through a float."""


class _Fees(BaseModel):
    renewal_standard: _Decimal
    renewal_lifetime: _Decimal
    late_first_tier: _Decimal
    late_second_tier: _Decimal
    petition: _Decimal

    class Config:
        extra = "forbid"


class _Provider(BaseModel):
    name: str
    aliases: list[str] = []

    class Config:
        extra = "forbid"


class _SendWindow(BaseModel):
    start: time
    end: time

    @validator("end")
    def _end_after_start(cls, end: time, values: dict[str, Any]) -> time:  # noqa: N805
        start = values.get("start")
        if start is not None and end <= start:
            raise ValueError("must be later than start")
        return end


class _Reminders(BaseModel):
    days_before_expiration: list[conint(gt=0)]  # type: ignore[valid-type]
    days_after_expiration: list[conint(gt=0)]  # type: ignore[valid-type]
    last_month_days_after: conint(gt=0)  # type: ignore[valid-type]
    audit_days_after_selection: list[conint(gt=0)]  # type: ignore[valid-type]
    cpr_aed_days_before_card_expiry: conint(gt=0)  # type: ignore[valid-type]
    send_window: _SendWindow

    class Config:
        extra = "forbid"


class _Policy(BaseModel):
    program: str
    name: str
    cycle_years: conint(gt=0)  # type: ignore[valid-type]
    ceus_required: _Decimal
    cpr_aed_ceus: _Decimal
    ce_grace_days: conint(ge=0)  # type: ignore[valid-type]
    restore_after_years: conint(gt=0)  # type: ignore[valid-type]
    audit_response_days: conint(gt=0)  # type: ignore[valid-type]
    contact_hours_per_ceu: conint(gt=0) = 10  # type: ignore[valid-type]
    fees: _Fees
    cpr_aed_accepted_providers: list[_Provider]
    reminders: _Reminders

    class Config:
        extra = "forbid"

    @validator("cpr_aed_ceus")
    def _cpr_within_required(cls, value: Decimal, values: dict[str, Any]) -> Decimal:  # noqa: N805
        required = values.get("ceus_required")
        if required is not None and value > required:
            raise ValueError("cannot exceed ceus_required")
        return value


def parse_policy(data: Any, source: str = "policy") -> Policy:
    """Validate raw policy data and turn it into a :class:`Policy`."""
    try:
        raw = _Policy.parse_obj(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise PolicyError(f"{source}: invalid policy: {problems}") from None
    return Policy(
        program=raw.program,
        name=raw.name,
        cycle_years=raw.cycle_years,
        ceus_required=raw.ceus_required,
        cpr_aed_ceus=raw.cpr_aed_ceus,
        ce_grace_days=raw.ce_grace_days,
        restore_after_years=raw.restore_after_years,
        audit_response_days=raw.audit_response_days,
        contact_hours_per_ceu=raw.contact_hours_per_ceu,
        fees=FeeSchedule(**raw.fees.dict()),
        cpr_aed_accepted_providers=tuple(
            AcceptedProvider(p.name, tuple(p.aliases)) for p in raw.cpr_aed_accepted_providers
        ),
        reminders=ReminderPolicy(
            days_before_expiration=tuple(raw.reminders.days_before_expiration),
            days_after_expiration=tuple(raw.reminders.days_after_expiration),
            last_month_days_after=raw.reminders.last_month_days_after,
            audit_days_after_selection=tuple(raw.reminders.audit_days_after_selection),
            cpr_aed_days_before_card_expiry=raw.reminders.cpr_aed_days_before_card_expiry,
            send_window_start=raw.reminders.send_window.start,
            send_window_end=raw.reminders.send_window.end,
        ),
    )


def load_policy_file(path: Path) -> Policy:
    """Read and validate one policy file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PolicyError(f"{path}: cannot read policy: {exc}") from None
    return parse_policy(data, source=str(path))


@cache
def load_policy(program: str = DEFAULT_PROGRAM) -> Policy:
    """The bundled policy for ``program`` (cached: policy files do not change while a process runs)."""
    path = POLICY_DIR / f"{program}.yml"
    if not path.is_file():
        raise PolicyError(f"no policy for program {program!r}")
    return load_policy_file(path)
