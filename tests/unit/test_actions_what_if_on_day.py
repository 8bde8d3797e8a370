"""'What if I apply on January 10?' is answered with that day's figures and names what is still missing then.

N11: demo trainer T-1014 (expired 2026-06-15, 1.5 CEUs approved, a 0.4 petition pending for a course
completed 2026-09-01, before the CE deadline 2026-09-13) asking on 2026-11-30 got today's answer
("applying today: ... $149.00") for January 10. N8: a what-if about a day did not name the gap on that
day (CE short, the card not current then, a petition pending, a course finished only later).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from actions import words
from actions.what_if import ActionWhatIf
from rules.model import CERecord, CEStatus, CprAedCard, Credential
from tests.unit.test_actions_support import TRAINER, FakeUnitOfWork, approved, make_action, record, run, text, tracker

DEMO_DAY = date(2026, 11, 30)

# T-1014 as bot/demo/demo-trainers.yml has it (NASM-YES is 1.5 CEUs in the sample catalog)
T1014 = record(
    credentials=[Credential("nasm-cpt", date(2026, 6, 15), number="8945678", certified_on=date(2024, 6, 16))],
    cards=[CprAedCard("American Red Cross", date(2027, 9, 9), True, date(2025, 9, 9))],
    ce=[
        CERecord(date(2025, 2, 1), D("1.5"), CEStatus.APPROVED, title="Youth Exercise Specialist", course_id="NASM-YES"),
        CERecord(
            date(2026, 9, 1), D("0.4"), CEStatus.PENDING_PETITION,
            title="Kettlebell Strength Workshop", provider="Kettlebell Kings Academy",
        ),
    ],
    timezone="America/Mexico_City",
)

# Expired 2026-10-15 (like T-1004): CE deadline and end of the first late-fee tier 2027-01-13.
E_OCT = Credential("nasm-cpt", date(2026, 10, 15), certified_on=date(2024, 10, 16))
CARD = CprAedCard("American Red Cross", date(2028, 1, 1), True, date(2025, 1, 1))


def oct_record(ce: str = "1.9", card: CprAedCard = CARD) -> object:
    return record(credentials=[E_OCT], cards=[card], ce=[approved(ce, on=date(2025, 6, 1))])


async def ask(rec, today: date, message: str, day_text: str):  # type: ignore[no-untyped-def]
    start = message.find(day_text)
    assert start >= 0
    entity = {"entity": "date", "value": day_text, "start": start, "end": start + len(day_text)}
    action = make_action(ActionWhatIf, FakeUnitOfWork([rec]), today)
    d, _ = await run(action, tracker(linked_as=TRAINER, text=message, intent="what_if", entities=[entity]))
    return text(d), d


async def test_t1014_gets_the_figures_of_january_10_and_the_pending_petition() -> None:
    for message, day_text in (
        ("what if I apply on January 10?", "January 10"),
        ("what if I send my application on Jan 10", "Jan 10"),
        ("and if NASM receives it on 10 January 2027?", "10 January 2027"),
    ):
        said, d = await ask(T1014, DEMO_DAY, message, day_text)
        assert said.startswith(
            "An application NASM receives on January 10, 2027 (209 days after your expiration date, June 15, 2026) "
            "pays the $99.00 renewal fee + a $50.00 late fee = $149.00 in all."
        ), message
        assert "applying today" not in said and "168 days" not in said  # no figure of November 30
        assert "On January 10, 2027 your renewal would still depend on your pending petition" in said
        assert "approved continuing education completed by September 13, 2026 is 1.5 CEUs, short of the 1.9 CEUs" in said
        assert "Kettlebell Strength Workshop from Kettlebell Kings Academy (completed on September 1, 2026, 0.4 CEU)" in said
        assert (
            "The course counts only once NASM approves the petition; approved, it would complete the course CE you "
            "need (0.4 CEU more). If NASM denies it, the credential cannot be renewed." in said
        )
        assert d.messages[0]["buttons"] == [words.handoff_button()]


async def test_t1014_on_other_days_each_with_its_own_fee() -> None:
    said, _ = await ask(T1014, DEMO_DAY, "what if I apply on June 14, 2027?", "June 14, 2027")  # last day
    assert "(364 days after your expiration date" in said and "$149.00" in said and "pending petition" in said
    said, d = await ask(T1014, DEMO_DAY, "what if I apply on June 15, 2027?", "June 15, 2027")  # the lapse day
    assert "would be too late" in said and "pending petition" not in said and "$" not in said
    assert d.messages[0]["buttons"] == [words.handoff_button()]


async def test_the_day_before_and_after_the_fee_tier_changes() -> None:
    rec = oct_record()
    said, d = await ask(rec, DEMO_DAY, "what if I apply on January 13?", "January 13")
    assert "the $99.00 renewal fee + a $30.00 late fee = $129.00 in all" in said
    assert "On January 13, 2027 your record would have all 2.0 CEUs you need" in said
    assert d.messages[0].get("buttons") in (None, [])
    said, _ = await ask(rec, DEMO_DAY, "what if I apply on January 14?", "January 14")
    assert "the $99.00 renewal fee + a $50.00 late fee = $149.00 in all" in said
    assert "On January 14, 2027 your record would have all 2.0 CEUs you need" in said


async def test_ce_short_before_and_after_the_end_of_the_ce_window() -> None:
    short = oct_record("1.2")
    # asked before the CE deadline: the gap and the day it must be completed by, for each day asked
    said, d = await ask(short, DEMO_DAY, "what if I apply on December 20?", "December 20")
    assert "On December 20, 2026 your record would have 1.2 CEUs of the 1.9 CEUs of course CE needed besides CPR/AED: " \
        "0.7 CEU more must be completed by December 20, 2026, the day NASM would receive the application." in said
    assert "$129.00" in said and d.messages[0].get("buttons") in (None, [])
    said, _ = await ask(short, DEMO_DAY, "what if I apply on January 14?", "January 14")  # after G: by G
    assert (
        "0.7 CEU more must be completed by January 13, 2027, because continuing education completed up to "
        "90 days after expiration still counts." in said
    )
    assert "$149.00" in said
    # asked on the CE deadline itself: still open
    said, _ = await ask(short, date(2027, 1, 13), "what if I apply on January 20?", "January 20")
    assert "0.7 CEU more must be completed by January 13, 2027" in said
    # asked the day after it: no day can be approved any more, and no fee is quoted
    said, d = await ask(short, date(2027, 1, 14), "what if I apply on January 20?", "January 20")
    assert said.startswith("An application NASM receives on January 20, 2027 could not be approved:")
    assert "only 1.2 CEUs of approved continuing education was completed by January 13, 2027" in said
    assert "$" not in said and d.messages[0]["buttons"] == [words.handoff_button()]


async def test_the_card_is_judged_on_the_day_asked() -> None:
    runs_out = CprAedCard("American Red Cross", date(2027, 1, 10), True, date(2025, 1, 10))
    rec = oct_record(card=runs_out)
    said, _ = await ask(rec, DEMO_DAY, "what if I apply on January 10?", "January 10")  # its last valid day
    assert "CPR/AED" not in said and "all 2.0 CEUs you need" in said
    said, _ = await ask(rec, DEMO_DAY, "what if I apply on January 11?", "January 11")  # the day after
    assert "Your CPR/AED card runs out on January 10, 2027: an application NASM receives after that day needs a current card" in said
    assert "all 2.0 CEUs you need" not in said
    expired = oct_record(card=CprAedCard("American Red Cross", date(2026, 11, 1), True, date(2024, 11, 1)))
    said, _ = await ask(expired, DEMO_DAY, "what if I apply on December 5?", "December 5")
    assert "Your CPR/AED card expired on November 1, 2026: an application NASM receives on December 5, 2026 needs a current card" in said


async def test_a_course_finished_after_the_day_asked_is_named() -> None:
    # active until 2027-03-01; 1.0 CEU from 2025 and 0.9 CEU finished on 2026-11-20
    active = Credential("nasm-cpt", date(2027, 3, 1), certified_on=date(2025, 3, 2))
    rec = record(
        credentials=[active],
        ce=[approved("1.0", on=date(2025, 6, 1)), CERecord(date(2026, 11, 20), D("0.9"), CEStatus.APPROVED, title="Golf Fitness")],
    )
    said, _ = await ask(rec, DEMO_DAY, "what if I had applied on November 19?", "November 19")
    assert "On November 19, 2026 your record had 1.0 CEU of the 1.9 CEUs of course CE needed besides CPR/AED, 0.9 CEU short." in said
    assert "Golf Fitness (completed on November 20, 2026) was finished after November 19, 2026" in said
    said, _ = await ask(rec, DEMO_DAY, "what if I had applied on November 20?", "November 20")  # the day it was finished
    assert "Golf Fitness" not in said and "all 2.0 CEUs you need" in said


def test_application_on_assesses_the_record_on_that_day() -> None:
    from rules.model import CprAedStatus, Phase
    from rules.policy import load_policy
    from rules.scenarios import application_on

    policy = load_policy()
    cred = T1014.credentials[0]
    jan10 = application_on(policy, T1014, cred, date(2027, 1, 10), DEMO_DAY)
    assert (jan10.on.today, jan10.on.phase, jan10.on.fees.total) == (date(2027, 1, 10), Phase.LATE_ADDITIONAL_FEE, D("149.00"))
    assert [r.title for r in jan10.pending] == ["Kettlebell Strength Workshop"] and jan10.on.waits_on_petitions
    assert jan10.approvable and not jan10.ce_open and jan10.asked_on == DEMO_DAY
    short = oct_record("1.2")
    g = date(2027, 1, 13)
    assert application_on(policy, short, E_OCT, date(2027, 1, 20), g).ce_open  # asked on G
    late = application_on(policy, short, E_OCT, date(2027, 1, 20), date(2027, 1, 14))  # asked on G + 1
    assert not late.ce_open and not late.approvable
    card = application_on(policy, oct_record(card=CprAedCard("ARC", date(2027, 1, 10), True)), E_OCT, date(2027, 1, 11), DEMO_DAY)
    assert card.on.cpr_aed.status is CprAedStatus.EXPIRED and card.on.ceus_remaining == policy.cpr_aed_ceus


async def test_a_petition_that_would_close_the_gap_before_expiry() -> None:
    # like T-1012: active until 2027-01-31, 0.6 CEU approved, a 1.3 CEU petition pending
    active = Credential("nasm-cpt", date(2027, 1, 31), certified_on=date(2025, 2, 1))
    rec = record(
        credentials=[active],
        ce=[
            approved("0.6", on=date(2025, 6, 1)),
            CERecord(date(2026, 9, 12), D("1.3"), CEStatus.PENDING_PETITION, title="Functional Anatomy Seminar"),
        ],
    )
    said, d = await ask(rec, DEMO_DAY, "what if I apply on January 10?", "January 10")
    assert (
        "1.3 CEUs more must be completed by January 10, 2027, the day NASM would receive the application, unless "
        "NASM approves the pending petition below by then." in said
    )
    assert "Functional Anatomy Seminar (completed on September 12, 2026, 1.3 CEUs): still pending" in said
    assert "The course counts only once NASM approves the petition; approved, it would complete" in said
    assert "If NASM denies it" not in said and d.messages[0].get("buttons") in (None, [])
