"""``rules.scenarios.with_current_card``: the record plus one current hands-on card (spec section 4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from rules.model import Application, CERecord, CEStatus, CprAedCard, CprAedStatus, Credential, TrainerRecord
from rules.policy import load_policy
from rules.scenarios import with_current_card

POLICY = load_policy("nasm-cpt")
CPT = Credential("nasm-cpt", date(2026, 3, 1), certified_on=date(2022, 3, 1))
CE = (CERecord(date(2025, 6, 1), D("1.9"), CEStatus.APPROVED, course_id="NASM-CES"),)
OLD_CARD = CprAedCard("American Red Cross", date(2025, 12, 1), True, date(2023, 12, 1))


def trainer(*, cards: tuple[CprAedCard, ...] = (OLD_CARD,), applications: tuple[Application, ...] = ()) -> TrainerRecord:
    return TrainerRecord("T-1", (CPT,), CE, cards, applications)


def test_a_current_card_adds_its_tenth_once() -> None:
    a = with_current_card(POLICY, trainer(), CPT, date(2026, 2, 1))
    assert a.cpr_aed.status is CprAedStatus.VALID
    assert a.ceus_earned == D("2.0") and a.ceus_remaining == D("0.0")
    # held until the last day an application is accepted, so valid on any submission day
    assert a.cpr_aed.expires_on == date(2027, 2, 28)
    # a record that already holds a valid card: nothing more
    valid = CprAedCard("American Heart Association", date(2027, 1, 1), True, date(2025, 1, 1))
    assert with_current_card(POLICY, trainer(cards=(valid,)), CPT, date(2026, 2, 1)).ceus_earned == D("2.0")


def test_after_the_application_the_new_card_does_not_count() -> None:
    applied = trainer(applications=(Application("nasm-cpt", date(2026, 1, 20)),))
    a = with_current_card(POLICY, applied, CPT, date(2026, 2, 1))
    assert a.cpr_aed.status is CprAedStatus.EXPIRED  # judged on January 20, before the new card
    assert a.ceus_earned == D("1.9")


def test_late_the_card_still_counts_until_the_hard_limit() -> None:
    a = with_current_card(POLICY, trainer(), CPT, date(2027, 2, 28))  # the last day an application is accepted
    assert a.renewable and a.ceus_earned == D("2.0")


def test_a_course_done_today_counts_up_to_the_cap_and_not_after_the_ce_deadline() -> None:
    from rules.model import CatalogCourse
    from rules.scenarios import with_course

    short = TrainerRecord("T-1", (CPT,), (CERecord(date(2025, 6, 1), D("1.2"), CEStatus.APPROVED),), (OLD_CARD,))
    wls = CatalogCourse("NASM-WLS", "Weight Loss Specialist", "NASM", D("0.8"))
    a = with_course(POLICY, short, CPT, wls, date(2026, 5, 30))  # the CE deadline itself
    assert a.ce_counted == D("1.9")  # 2.0 capped at 1.9
    late = with_course(POLICY, short, CPT, wls, date(2026, 5, 31))  # the day after: it can't count
    assert late.ce_counted == D("1.2")
