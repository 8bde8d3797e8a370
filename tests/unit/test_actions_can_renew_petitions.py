"""'Can I renew?' from a trainer whose CE reaches the requirement only if a pending petition is approved (N10).

The answer names the pending petition and says the course counts only once NASM approves it, before
the CE deadline (the renewal is still possible, the petition would close the gap) and after it (the
renewal depends on the petition). The record of ``test_actions_support``: E = 2026-03-01, CE deadline
G = 2026-05-30; 1.5 CEUs approved and a 0.4 CEU petition for Kettlebell Basics pending.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from rasa_sdk.executor import CollectingDispatcher

from actions import words
from actions.status import ActionCanRenew
from rules.model import CERecord, CEStatus, TrainerRecord
from tests.unit.action_support import answer, approved, pending, record, text

WAITING = record(ce=[approved("1.5"), pending("0.4")])
NAMED = "Your petition on record: Kettlebell Basics from Some Studio (completed on August 1, 2025, 0.4 CEU): still pending"
ONLY_ONCE = "The course counts only once NASM approves the petition"
WORDINGS = ("can I renew?", "am I able to renew now?", "can i still renew my cert", "Am I eligible to renew?")


async def can_renew(rec: TrainerRecord, today: date, message: str = WORDINGS[0]) -> tuple[str, CollectingDispatcher]:
    d, _ = await answer(ActionCanRenew, rec, today, text=message, intent="ask_can_renew")
    return text(d), d


async def test_before_expiry_the_petition_that_would_close_the_gap_is_named() -> None:
    for message in WORDINGS:
        said, _ = await can_renew(WAITING, date(2026, 2, 9), message)
        assert said.startswith("You can renew once you have the 0.4 CEU you still need."), message
        assert NAMED in said and f"{ONLY_ONCE}; approved, it would complete the course CE you need (0.4 CEU more)." in said


async def test_the_ce_deadline_and_the_day_after() -> None:
    said, d = await can_renew(WAITING, date(2026, 5, 30))  # G: the CE can still be finished, or the petition approved
    assert said.startswith("You can still renew until February 28, 2027")
    assert "You still need 0.4 CEU of continuing education, completed by May 30, 2026." in said
    assert NAMED in said and ONLY_ONCE in said
    said, d = await can_renew(WAITING, date(2026, 5, 31))  # G + 1: only the petition can close the gap
    assert said.startswith(f"Not yet. {NAMED}")
    assert f"{ONLY_ONCE}; approved, it would complete" in said
    assert "Your renewal now depends on your pending petition: 1.5 CEUs of approved" in said
    assert "and a petition worth 0.4 CEU for a course completed by then is still pending." in said
    assert "If NASM approves it, you can still renew until February 28, 2027" in said
    assert "petitions" not in said and "them" not in said
    assert "You can" not in said.split(".")[0]
    assert d.messages[0]["buttons"] == [words.handoff_button()]


async def test_a_petition_too_small_to_close_the_gap_is_named_without_the_promise() -> None:
    small = record(ce=[approved("1.2"), pending("0.3")])  # 0.7 missing, 0.3 pending
    said, _ = await can_renew(small, date(2026, 2, 9))
    assert NAMED.replace("0.4 CEU", "0.3 CEU") in said and ONLY_ONCE in said
    assert "would complete" not in said


async def test_a_petition_for_a_course_finished_after_the_ce_deadline_is_not_what_the_renewal_waits_on() -> None:
    too_late = record(
        ce=[approved("1.5"), CERecord(date(2026, 6, 10), D("0.4"), CEStatus.PENDING_PETITION, title="Late Course")]
    )
    said, _ = await can_renew(too_late, date(2026, 6, 11))
    assert "Late Course" not in said and "Not yet" not in said
    assert "cannot be renewed online" in said


async def test_no_petition_no_petition_words() -> None:
    said, _ = await can_renew(record(ce=[approved("1.5")]), date(2026, 2, 9))
    assert "petition" not in said.lower()


async def test_two_pending_petitions_are_said_in_the_plural_and_one_in_the_singular() -> None:
    two = record(
        ce=[
            approved("1.5"),
            CERecord(date(2025, 8, 1), D("0.2"), CEStatus.PENDING_PETITION, title="Kettlebell Basics", provider="Some Studio"),
            CERecord(date(2025, 9, 1), D("0.2"), CEStatus.PENDING_PETITION, title="Mobility Flow", provider="Some Studio"),
        ]
    )
    for today in (date(2026, 5, 31), date(2027, 2, 28)):  # G + 1 and the last day an application is accepted
        said, _ = await can_renew(two, today, "is it still possible for me to renew?")
        assert "Your renewal now depends on your pending petitions:" in said
        assert "petitions worth 0.4 CEU for courses completed by then are still pending. If NASM approves them," in said
        said, _ = await can_renew(WAITING, today, "is it still possible for me to renew?")
        assert "Your renewal now depends on your pending petition:" in said
        assert "If NASM approves it," in said and "them" not in said and "petitions" not in said
    said, _ = await can_renew(WAITING, date(2026, 5, 30))  # G: the renewal does not depend on the petition yet
    assert "depends on your pending" not in said
