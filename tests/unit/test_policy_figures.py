"""No figure typed into a sentence: every answer, run against an edited policy, says the new figures.

The edited policy changes every number the real one has (grace period, limit, cycle, CEUs,
fees, audit days, hours per CEU). Each answer the assistant can give (every action, over records
in every phase, linked and not, and every FAQ response filled from the edited values) is then
searched for the real policy's figures. Any hit is a figure typed into a sentence instead of taken
from the policy or the assessment. The records and catalog use amounts that are in neither policy.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
import yaml

from actions.audit import ActionAudit
from actions.courses import ActionCourseCounts, ActionProviderApproved
from actions.deadlines import ActionReminderRequest
from actions.engine import EngineRules
from actions.faq import faq_values
from actions.reminders import ActionSendReminder
from actions.status import (
    ActionAmILate,
    ActionCanRenew,
    ActionCeusRemaining,
    ActionExpirationDate,
    ActionLateFee,
    ActionRenewalSteps,
)
from actions.what_if import ActionWhatIf
from rules import engine
from rules.model import (
    Application,
    Assessment,
    CatalogCourse,
    CERecord,
    CEStatus,
    CprAedCard,
    Credential,
    Plan,
    Provider,
    TrainerRecord,
)
from rules.policy import FeeSchedule, load_policy
from tests.unit.test_actions_support import (
    TRAINER,
    FakeUnitOfWork,
    entity,
    make_action,
    run,
    text,
    tracker,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REAL = load_policy("nasm-cpt")
EDITED = replace(
    REAL,
    cycle_years=3,
    ceus_required=D("1.5"),
    cpr_aed_ceus=D("0.2"),
    ce_grace_days=60,
    restore_after_years=4,
    audit_response_days=45,
    contact_hours_per_ceu=12,
    fees=FeeSchedule(
        renewal_standard=D("120.00"),
        renewal_lifetime=D("5.00"),
        late_first_tier=D("40.00"),
        late_second_tier=D("70.00"),
        petition=D("35.00"),
    ),
)

# The real policy's figures, as a sentence would show them.
STALE = [
    r"\b90\b",
    r"\b91\b",
    r"\$99\.00",
    r"\$30\.00",
    r"\$50\.00",
    r"\$25\.00",
    r"\$0\.00",
    r"\b2\.0\b",
    r"\b1\.9\b",
    r"\b0\.1\b",
    r"\bone year\b",
    r"\b1 year\b",
    r"\b30 days\b",
    r"\btwo years\b",
    r"\b2 years\b",
    r"\b2-year\b",
    r"\b10 (?:contact )?hours\b",
]
STALE_RE = re.compile("|".join(STALE))


class EditedRules(EngineRules):
    """The real engine, with the edited policy for the trainer's program."""

    def assess_trainer(self, record: TrainerRecord, today: date) -> list[Assessment]:
        return engine.assess_trainer(record, today, policies={"nasm-cpt": EDITED})


# E = 2026-03-01 under the edited policy: CE deadline 2026-04-30 (E + 60), second fee tier from
# 2026-05-01, lapsed from 2030-03-01 (four years). Cycle start 2023-03-02 (three years).
E = date(2026, 3, 1)
CARD = CprAedCard("American Red Cross", date(2027, 6, 1), True, date(2025, 1, 10))
EXPIRED_CARD = CprAedCard("American Heart Association", date(2025, 12, 1), True, date(2023, 12, 1))
COURSES = [
    CatalogCourse("XYZ-STR", "Strength Coach Specialist", "NASM", D("1.2")),
    CatalogCourse("XYZ-NUT", "Nutrition Coaching", "NASM", D("0.8")),
]
PROVIDERS = [Provider("American Council on Exercise", True), Provider("Some Studio", False)]


def _record(
    ce: Iterable[CERecord] = (),
    cards: Iterable[CprAedCard] = (CARD,),
    apps: Iterable[Application] = (),
    plan: Plan = Plan.STANDARD,
) -> TrainerRecord:
    credential = Credential("nasm-cpt", E, plan, "8812345", date(2023, 3, 2))
    return TrainerRecord(TRAINER, (credential,), tuple(ce), tuple(cards), tuple(apps), "Dana", "America/Chicago")


def _ce(ceus: str, on: date = date(2025, 6, 1), status: CEStatus = CEStatus.APPROVED) -> CERecord:
    return CERecord(on, D(ceus), status, title="course")


RECORDS = {
    "complete": _record([_ce("1.3")]),
    "partial with petition": _record([_ce("0.8"), _ce("0.4", date(2026, 4, 1), CEStatus.PENDING_PETITION)]),
    "capped": _record([_ce("1.2"), _ce("0.7")]),
    "no card": _record([_ce("1.3")], cards=()),
    "expired card": _record([_ce("1.3")], cards=(EXPIRED_CARD,)),
    "online card": _record([_ce("1.3")], cards=(replace(CARD, hands_on=False),)),
    "unknown provider card": _record([_ce("1.3")], cards=(replace(CARD, provider="Gym CPR Co"),)),
    "short": _record([_ce("0.8")]),
    "petition decides": _record([_ce("0.8"), _ce("0.5", date(2026, 4, 1), CEStatus.PENDING_PETITION)]),
    "applied early": _record([_ce("1.3")], apps=[Application("nasm-cpt", date(2026, 2, 20))]),
    "applied with gap": _record([_ce("0.8")], apps=[Application("nasm-cpt", date(2026, 2, 20))]),
    "audited": _record([_ce("1.3")], apps=[Application("nasm-cpt", date(2026, 3, 20), date(2026, 3, 22))]),
    "applied late": _record([_ce("1.3")], apps=[Application("nasm-cpt", date(2026, 6, 20))]),
    "lifetime": _record([_ce("0.8")], plan=Plan.LIFETIME),
}
# before E, first tier, second tier, past the lapse date
DAYS = [date(2026, 1, 12), date(2026, 3, 11), date(2026, 7, 2), date(2030, 3, 3)]
RECORD_ACTIONS = [
    ActionAmILate,
    ActionCanRenew,
    ActionCeusRemaining,
    ActionExpirationDate,
    ActionLateFee,
    ActionRenewalSteps,
    ActionAudit,
    ActionReminderRequest,
    ActionSendReminder,
]


def _stale(said: str) -> list[str]:
    return sorted({m.group(0) for m in STALE_RE.finditer(said)})


async def _say(cls: type, rec: TrainerRecord | None, today: date, **tracker_kw: Any) -> str:
    uow = FakeUnitOfWork([rec] if rec else [], courses=COURSES, providers=PROVIDERS)
    action = make_action(cls, uow, today, rules=EditedRules(), policy=EDITED)
    d, _ = await run(action, tracker(linked_as=TRAINER if rec else None, **tracker_kw))
    return text(d)


def test_the_edited_policy_changes_every_figure() -> None:
    assert EDITED.ce_cap == D("1.3")
    assert not STALE_RE.search(" ".join(str(v) for v in faq_values(EDITED).values()))


@pytest.mark.parametrize("cls", RECORD_ACTIONS)
async def test_personal_answers_carry_no_stale_figure(cls: type) -> None:
    found = {}
    for name, rec in RECORDS.items():
        for today in DAYS:
            said = await _say(cls, rec, today)
            if _stale(said):
                found[f"{name} on {today}"] = (_stale(said), said)
    assert not found, found


@pytest.mark.parametrize("cls", RECORD_ACTIONS[:-1])
async def test_general_answers_carry_no_stale_figure(cls: type) -> None:
    said = await _say(cls, None, DAYS[1])
    assert said and not _stale(said), said


@pytest.mark.parametrize(
    "entities",
    [
        [entity("course", "Strength Coach Specialist")],
        [entity("course", "XYZ-NUT"), entity("date", "June 1, 2025")],
        [entity("course", "Underwater Basket Weaving")],
        [entity("course", "youth fitness specialist")],
        [entity("credential", "NASM-CNC")],
        [entity("course", "Red Cross CPR class")],
        [entity("provider", "Some Studio")],
        [entity("provider", "American Council on Exercise")],
    ],
)
@pytest.mark.parametrize("linked", [True, False])
async def test_course_and_provider_answers_carry_no_stale_figure(entities: list[dict[str, Any]], linked: bool) -> None:
    rec = RECORDS["partial with petition"] if linked else None
    for cls in (ActionCourseCounts, ActionProviderApproved):
        said = await _say(cls, rec, DAYS[0], entities=entities, text="does it count?")
        assert not _stale(said), (cls.__name__, said)


@pytest.mark.parametrize(
    "entities",
    [
        [entity("date", "June 3, 2026"), entity("ceu_amount", "0.8")],
        [entity("date", "January 5, 2026"), entity("ceu_amount", "1.3")],
        [entity("date", "March 1, 2025"), entity("ceu_amount", "1.3")],
        [entity("date", "June 3, 2026")],
    ],
)
async def test_what_if_answers_carry_no_stale_figure(entities: list[dict[str, Any]]) -> None:
    said = await _say(ActionWhatIf, None, DAYS[1], entities=entities, text="what if")
    assert said and not _stale(said), said


def test_every_domain_response_filled_from_the_edited_policy_carries_no_stale_figure() -> None:
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    values = faq_values(EDITED)
    found = {}
    for name, variants in domain["responses"].items():
        for variant in variants:
            said = variant.get("text", "").format(**values) if "{" in variant.get("text", "") else variant.get("text", "")
            if _stale(said):
                found[name] = (_stale(said), said)
    assert not found, found

