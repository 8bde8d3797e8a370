"""Hand-checked scenarios for the rules engine, one row per boundary of the specification.

Every expected value below was worked out by hand from docs/rules.md,
not computed by the engine. The base credential expires on E = 2026-03-01, so:
E+1 = 2026-03-02, E+90 = 2026-05-30, E+91 = 2026-05-31, E+1 year = 2027-03-01,
application deadline = 2027-02-28, cycle start (certified 2022) = 2024-03-02.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from rules.engine import assess_trainer
from rules.model import (
    Application,
    CERecord,
    CEStatus,
    CprAedCard,
    Credential,
    Plan,
    TrainerRecord,
)

E = date(2026, 3, 1)
RED_CROSS_CARD = CprAedCard("American Red Cross", date(2027, 6, 1), True, date(2025, 6, 1))
APPROVED_19 = CERecord(date(2025, 6, 1), D("1.9"), CEStatus.APPROVED, course_id="NASM-CES")


@dataclass
class Scenario:
    name: str
    today: date
    expect: dict[str, Any]
    ce: tuple[CERecord, ...] = (APPROVED_19,)
    cards: tuple[CprAedCard, ...] = (RED_CROSS_CARD,)
    applications: tuple[Application, ...] = ()
    expires_on: date = E
    certified_on: date | None = date(2022, 3, 1)
    plan: Plan = Plan.STANDARD
    extra: dict[str, Any] = field(default_factory=dict)


def ce(day: date, ceus: str, status: CEStatus = CEStatus.APPROVED) -> CERecord:
    return CERecord(day, D(ceus), status, title="course")


def card(provider: str = "American Red Cross", expires: date = date(2027, 6, 1), hands_on: bool = True,
         issued: date | None = date(2025, 6, 1)) -> CprAedCard:
    return CprAedCard(provider, expires, hands_on, issued)


def app(submitted: date, selected: date | None = None, documents: date | None = None) -> Application:
    return Application("nasm-cpt", submitted, selected, documents)


SCENARIOS = [
    # --- phases and their exact boundaries (section 3) ---
    Scenario("day before E", date(2026, 2, 28),
             {"phase": "active", "days_until_expiration": 1, "late": "0.00", "total": "99.00",
              "renewable": True, "ceus_earned": "2.0", "ceus_remaining": "0.0"}),
    Scenario("on E", E, {"phase": "active", "days_until_expiration": 0, "late": "0.00"}),
    Scenario("E+1", date(2026, 3, 2),
             {"phase": "late_fee", "days_until_expiration": -1, "late": "30.00", "total": "129.00"}),
    Scenario("E+90", date(2026, 5, 30),
             {"phase": "late_fee", "days_until_expiration": -90, "late": "30.00", "renewable": True}),
    Scenario("E+91", date(2026, 5, 31),
             {"phase": "late_additional_fee", "days_until_expiration": -91, "late": "50.00",
              "total": "149.00", "renewable": True}),
    Scenario("day before E+1 year", date(2027, 2, 28),
             {"phase": "late_additional_fee", "days_until_expiration": -364, "renewable": True,
              "late": "50.00"}),
    Scenario("E+1 year", date(2027, 3, 1),
             {"phase": "lapsed", "renewable": False, "late": None, "total": None, "renewal": None}),
    Scenario("years later", date(2030, 1, 1), {"phase": "lapsed", "renewable": False}),
    Scenario("a year before", date(2025, 3, 1),
             {"phase": "active", "days_until_expiration": 365}),
    Scenario("deadlines", date(2026, 1, 1),
             {"ce_deadline": "2026-05-30", "late_fee_deadline": "2026-05-30",
              "application_deadline": "2027-02-28", "cycle_start": "2024-03-02"}),
    # --- renewability after E+90 (section 4) ---
    Scenario("short of CE after E+90", date(2026, 5, 31),
             {"phase": "late_additional_fee", "renewable": False, "ceus_earned": "1.6"},
             ce=(ce(date(2025, 1, 1), "1.5"),)),
    Scenario("short of CE on E+90 still renewable", date(2026, 5, 30),
             {"phase": "late_fee", "renewable": True, "ceus_remaining": "0.4", "ceus_earned": "1.6"},
             ce=(ce(date(2025, 1, 1), "1.5"),)),
    Scenario("CE completed on E+90 counts", date(2026, 6, 1),
             {"renewable": True, "ceus_earned": "2.0", "ce_counted": "1.9"},
             ce=(ce(date(2025, 1, 1), "1.0"), ce(date(2026, 5, 30), "0.9"))),
    Scenario("CE completed on E+91 never counts", date(2026, 6, 10),
             {"renewable": False, "ceus_earned": "1.1", "ceus_remaining": "0.9"},
             ce=(ce(date(2025, 1, 1), "1.0"), ce(date(2026, 5, 31), "0.9"))),
    Scenario("CPR missing after E+90 is still fixable", date(2026, 7, 1),
             {"renewable": True, "cpr_aed_valid": False, "ceus_remaining": "0.1"}, cards=()),
    # --- the counting window (section 4) ---
    Scenario("CE before the cycle start", date(2026, 1, 1),
             {"ce_counted": "0.5", "ceus_earned": "0.6"},
             ce=(ce(date(2024, 3, 1), "1.0"), ce(date(2024, 3, 2), "0.5"))),
    Scenario("first cycle starts on certification", date(2026, 1, 1),
             {"ce_counted": "1.5", "cycle_start": "2024-03-01"},
             ce=(ce(date(2024, 3, 1), "1.0"), ce(date(2024, 3, 2), "0.5")),
             certified_on=date(2024, 3, 1)),
    Scenario("no certification date", date(2026, 1, 1),
             {"cycle_start": "2024-03-02", "ce_counted": "0.5"},
             ce=(ce(date(2024, 3, 1), "1.0"), ce(date(2024, 3, 2), "0.5")), certified_on=None),
    Scenario("CE dated after today does not count yet", date(2026, 1, 1),
             {"ce_counted": "1.0", "ceus_remaining": "0.9"},
             ce=(ce(date(2025, 1, 1), "1.0"), ce(date(2026, 1, 2), "0.9"))),
    Scenario("cap at 1.9 plus CPR", date(2026, 1, 1),
             {"ce_counted": "1.9", "ceus_earned": "2.0", "ceus_remaining": "0.0"},
             ce=(ce(date(2025, 1, 1), "1.9"), ce(date(2025, 2, 1), "1.9"))),
    Scenario("cap without CPR", date(2026, 1, 1),
             {"ceus_earned": "1.9", "ceus_remaining": "0.1", "cpr_aed_valid": False},
             ce=(ce(date(2025, 1, 1), "3.8"),), cards=()),
    Scenario("exact decimals", date(2026, 1, 1),
             {"ce_counted": "0.3", "ceus_earned": "0.4", "ceus_remaining": "1.6"},
             ce=(ce(date(2025, 1, 1), "0.1"), ce(date(2025, 1, 2), "0.2"))),
    Scenario("pending petition", date(2026, 1, 1),
             {"ceus_pending": "0.3", "ce_counted": "1.0", "ceus_remaining": "0.9"},
             ce=(ce(date(2025, 1, 1), "1.0"), ce(date(2025, 8, 1), "0.3", CEStatus.PENDING_PETITION))),
    Scenario("denied petition and unapproved", date(2026, 1, 1),
             {"ceus_pending": "0.0", "ce_counted": "1.0"},
             ce=(ce(date(2025, 1, 1), "1.0"), ce(date(2025, 8, 1), "0.3", CEStatus.PETITION_DENIED),
                 ce(date(2025, 9, 1), "0.5", CEStatus.UNAPPROVED))),
    Scenario("pending petition outside the cycle", date(2026, 1, 1),
             {"ceus_pending": "0.0"},
             ce=(ce(date(2023, 1, 1), "0.3", CEStatus.PENDING_PETITION),)),
    # --- CPR/AED (section 4) ---
    Scenario("no card", date(2026, 1, 1),
             {"cpr_aed_valid": False, "cpr_status": "missing", "ceus_earned": "1.9"}, cards=()),
    Scenario("card valid through its expiry day", date(2026, 1, 1),
             {"cpr_aed_valid": True, "cpr_status": "valid"}, cards=(card(expires=date(2026, 1, 1)),)),
    Scenario("card expired yesterday", date(2026, 1, 2),
             {"cpr_aed_valid": False, "cpr_status": "expired", "ceus_remaining": "0.1"},
             cards=(card(expires=date(2026, 1, 1)),)),
    Scenario("online-only card", date(2026, 1, 1),
             {"cpr_aed_valid": False, "cpr_status": "not_hands_on"}, cards=(card(hands_on=False),)),
    Scenario("unknown provider needs confirmation", date(2026, 1, 1),
             {"cpr_aed_valid": False, "cpr_status": "needs_confirmation", "ceus_earned": "1.9"},
             cards=(card(provider="Bob's CPR Shack"),)),
    Scenario("provider alias", date(2026, 1, 1),
             {"cpr_aed_valid": True}, cards=(card(provider="AHA"),)),
    Scenario("two cards give 0.1 once", date(2026, 1, 1),
             {"ceus_earned": "2.0", "cpr_aed_valid": True},
             cards=(card(), card(provider="American Heart Association"))),
    Scenario("card not issued yet", date(2026, 1, 1),
             {"cpr_aed_valid": False, "cpr_status": "missing"},
             cards=(card(issued=date(2026, 2, 1)),)),
    Scenario("card judged on the submission day", date(2026, 4, 1),
             {"cpr_aed_valid": True, "ceus_earned": "2.0"},
             cards=(card(expires=date(2026, 3, 15)),), applications=(app(date(2026, 2, 20)),)),
    # --- fees by submission date (section 5) ---
    Scenario("submitted before E, fee stays", date(2026, 7, 1),
             {"phase": "late_additional_fee", "late": "0.00", "total": "99.00"},
             applications=(app(date(2026, 2, 20)),)),
    Scenario("submitted on E+1", date(2026, 9, 1),
             {"late": "30.00", "total": "129.00", "submitted_on": "2026-03-02"},
             applications=(app(date(2026, 3, 2)),)),
    Scenario("submitted on E+91", date(2026, 9, 1),
             {"late": "50.00", "total": "149.00"}, applications=(app(date(2026, 5, 31)),)),
    Scenario("lifetime plan on time", date(2026, 1, 1),
             {"renewal": "0.00", "late": "0.00", "total": "0.00"}, plan=Plan.LIFETIME),
    Scenario("lifetime plan late", date(2026, 3, 2),
             {"renewal": "0.00", "late": "30.00", "total": "30.00"}, plan=Plan.LIFETIME),
    Scenario("lifetime plan still needs CE and CPR", date(2026, 1, 1),
             {"ceus_remaining": "2.0", "renewal": "0.00"}, plan=Plan.LIFETIME, ce=(), cards=()),
    Scenario("previous cycle's application ignored", date(2026, 3, 5),
             {"late": "30.00", "submitted_on": None}, applications=(app(date(2024, 2, 1)),)),
    Scenario("future-dated application ignored", date(2026, 3, 5),
             {"late": "30.00", "submitted_on": None}, applications=(app(date(2026, 4, 1)),)),
    # --- audit (section 6) ---
    Scenario("audit pending", date(2026, 3, 10),
             {"audit": {"selected_on": "2026-02-25", "documents_due": "2026-03-27", "status": "pending"}},
             applications=(app(date(2026, 2, 20), date(2026, 2, 25)),)),
    Scenario("audit due today", date(2026, 3, 27),
             {"audit_status": "pending"}, applications=(app(date(2026, 2, 20), date(2026, 2, 25)),)),
    Scenario("audit overdue", date(2026, 3, 28),
             {"audit_status": "overdue"}, applications=(app(date(2026, 2, 20), date(2026, 2, 25)),)),
    Scenario("audit documents sent", date(2026, 4, 10),
             {"audit_status": "submitted"},
             applications=(app(date(2026, 2, 20), date(2026, 2, 25), date(2026, 3, 20)),)),
    Scenario("audit not selected yet", date(2026, 2, 22),
             {"audit": None}, applications=(app(date(2026, 2, 20), date(2026, 2, 25)),)),
    # --- leap day (section 2) ---
    Scenario("leap expiry deadlines", date(2028, 3, 1),
             {"phase": "late_fee", "ce_deadline": "2028-05-29", "application_deadline": "2029-02-27",
              "cycle_start": "2026-03-01", "days_until_expiration": -1},
             expires_on=date(2028, 2, 29), certified_on=None,
             ce=(ce(date(2027, 1, 1), "1.9"),), cards=(card(expires=date(2029, 1, 1)),)),
    Scenario("leap expiry, day before the anniversary", date(2029, 2, 27),
             {"phase": "late_additional_fee", "renewable": True},
             expires_on=date(2028, 2, 29), certified_on=None, ce=(ce(date(2027, 1, 1), "1.9"),)),
    Scenario("leap expiry, anniversary is 28 February", date(2029, 2, 28),
             {"phase": "lapsed", "renewable": False},
             expires_on=date(2028, 2, 29), certified_on=None, ce=(ce(date(2027, 1, 1), "1.9"),)),
    Scenario("leap expiry, E+90 and E+91", date(2028, 5, 30),
             {"phase": "late_additional_fee", "late": "50.00"},
             expires_on=date(2028, 2, 29), certified_on=None, ce=(ce(date(2027, 1, 1), "1.9"),)),
]


def _observed(scenario: Scenario) -> dict[str, Any]:
    from rules.serialize import assessment_to_dict

    record = TrainerRecord(
        trainer_id="T-1",
        credentials=(Credential("nasm-cpt", scenario.expires_on, scenario.plan, "8812345",
                                scenario.certified_on),),
        ce_records=scenario.ce,
        cpr_aed_cards=scenario.cards,
        applications=scenario.applications,
    )
    (assessment,) = assess_trainer(record, scenario.today)
    data = assessment_to_dict(assessment)
    data.update(data.pop("fees"))
    data["cpr_status"] = data["cpr_aed"]["status"]
    data["audit_status"] = data["audit"]["status"] if data["audit"] else None
    return data


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_scenario(scenario: Scenario) -> None:
    observed = _observed(scenario)
    assert {key: observed[key] for key in scenario.expect} == scenario.expect


def test_there_are_at_least_forty_scenarios() -> None:
    assert len(SCENARIOS) >= 40
    assert len({s.name for s in SCENARIOS}) == len(SCENARIOS)
