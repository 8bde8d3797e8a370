""""And if it's denied?": what a denial of the trainer's pending petition would leave, from the record.

``action_support``'s record: E = 2026-03-01, CE deadline 2026-05-30; ``pending`` is a 0.3 CEU petition for
"Kettlebell Basics" completed 2025-08-01. Worked out by hand from docs/rules.md (CEU arithmetic, Fees).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from actions import words
from actions.petitions import ActionPetitionStatus, asks_if_denied
from tests.unit.action_support import (
    TRAINER,
    FakeUnitOfWork,
    after_reply,
    answer,
    approved,
    make_action,
    pending,
    record,
    run,
    said,
    text,
    tracker,
)


def test_a_denial_question_is_told_apart_from_a_status_question() -> None:
    for question in ("and if its denied?", "what happens if NASM rejects my petition", "what if they say no to it?"):
        assert asks_if_denied(question), question
    for question in ("whats the status of my petition", "was my petition denied?", "how do I petition a course"):
        assert not asks_if_denied(question), question


async def test_denied_before_the_ce_deadline_names_what_is_still_needed_and_by_when() -> None:
    rec = record(ce=[approved("1.2"), pending("0.3")])
    answer_text = await said(ActionPetitionStatus, rec, date(2026, 2, 1), text="and if it's denied?")
    assert answer_text.startswith("Your petition on record: Kettlebell Basics from Some Studio")
    assert "If NASM denies it, the course doesn't count and the petition fee ($25.00 per course or event) is not refunded." in answer_text
    # 1.9 course CE needed, 1.2 approved: 0.7 still needed whatever the petition does
    assert "You'd still need 0.7 CEU of approved course CE, completed by May 30, 2026 (in 118 days)" in answer_text


async def test_denied_when_the_course_ce_is_complete_changes_nothing() -> None:
    rec = record(ce=[approved("1.9"), pending("0.3")])
    answer_text = await said(ActionPetitionStatus, rec, date(2026, 2, 1), text="what if NASM rejects it?")
    assert "Your course CE is complete without it, so a denial changes nothing here." in answer_text


async def test_denied_after_the_ce_deadline_when_the_renewal_waits_on_it() -> None:
    rec = record(ce=[approved("1.6"), pending("0.3")])
    d, _ = await answer(ActionPetitionStatus, rec, date(2026, 7, 1), text="what happens if they deny my petition?")
    answer_text = text(d)
    assert (
        "Approved continuing education completed by May 30, 2026 is 1.6 CEUs, short of the 1.9 CEUs needed besides "
        "CPR/AED, and nothing completed later can count, so the credential could not be renewed online."
    ) in answer_text
    assert d.messages[0]["buttons"] == [words.handoff_button()]


async def test_unlinked_gets_the_rule() -> None:
    answer_text = await said(ActionPetitionStatus, None, date(2026, 2, 1), linked=False, text="and if my petition is denied?")
    assert answer_text.startswith("I can't see your petitions: this chat isn't linked to your record. A course whose petition is denied")


def _after_the_petition_answer(message: str, intent: str) -> Any:
    return after_reply(
        "how is my petition going", "action_petition_status", "Your petition on record: ...", message, intent=intent
    )


async def test_a_denial_follow_up_the_nlu_misreads_is_answered_by_the_petition_action() -> None:
    from actions.fallback import ActionHandleMisunderstanding
    from actions.faq import ActionAnswerFaq
    from actions.handoff import ActionOfferHandoff

    rec = record(ce=[approved("1.2"), pending("0.3")])
    for cls, intent in (
        (ActionAnswerFaq, "faq/miss_deadline"),
        (ActionOfferHandoff, "dispute_audit"),
        (ActionHandleMisunderstanding, "nlu_fallback"),
    ):
        action = make_action(cls, FakeUnitOfWork([rec]), date(2026, 2, 1))
        d, _ = await run(action, _after_the_petition_answer("what happens if they decline it?", intent))
        assert "If NASM denies it, the course doesn't count" in text(d), cls
    # without the petition answer before it and without the word, an FAQ stays an FAQ
    action = make_action(ActionAnswerFaq, FakeUnitOfWork([rec]), date(2026, 2, 1))
    d, _ = await run(action, tracker(linked_as=TRAINER, text="what happens if they decline it?", intent="faq/miss_deadline"))
    assert "If NASM denies" not in text(d)


async def test_a_denial_follow_up_after_a_course_answer_naming_the_petition() -> None:
    from actions.fallback import ActionHandleMisunderstanding

    rec = record(ce=[approved("1.2"), pending("0.3")])
    message = "and if NASM says no to it?"
    tr = after_reply(
        "does kettlebell basics count",
        "action_course_counts",
        "... Your petition on record: Kettlebell Basics from Some Studio ...: still pending",
        message,
        intent="nlu_fallback",
    )
    d, _ = await run(make_action(ActionHandleMisunderstanding, FakeUnitOfWork([rec]), date(2026, 2, 1)), tr)
    assert "If NASM denies it, the course doesn't count" in text(d)
    # after a course answer with no petition in it, the same words stay a misunderstanding
    tr.events[2] = {"event": "bot", "text": "Yes: Youth Exercise Specialist (NASM-YES) is NASM-approved"}
    d, _ = await run(make_action(ActionHandleMisunderstanding, FakeUnitOfWork([rec]), date(2026, 2, 1)), tr)
    assert "If NASM denies" not in text(d)


async def test_petition_again_says_the_rules_are_silent_and_offers_a_person() -> None:
    from decimal import Decimal

    from rules.model import CERecord, CEStatus

    denied = CERecord(date(2025, 9, 1), Decimal("0.4"), CEStatus.PETITION_DENIED, title="Mobility Flow Workshop", provider="Some Studio")
    d, _ = await answer(ActionPetitionStatus, record(ce=[approved("1.5"), denied]), date(2026, 2, 1), text="can i petition it again?")
    assert "Mobility Flow Workshop from Some Studio (completed on September 1, 2025, 0.4 CEU): denied" in text(d)
    assert "second petition for the same course isn't in the rules I follow" in text(d)
    assert d.messages[0]["buttons"] == [words.handoff_button()]


async def test_if_denied_can_i_petition_again_answers_both() -> None:
    d, _ = await answer(
        ActionPetitionStatus, record(ce=[approved("1.2"), pending("0.3")]), date(2026, 2, 1),
        text="if they reject it can I petition it again?",
    )
    assert "If NASM denies it, the course doesn't count" in text(d)
    assert "second petition for the same course isn't in the rules I follow" in text(d)
    assert d.messages[0]["buttons"] == [words.handoff_button()]


async def test_if_approved_gives_the_figures_from_the_rules_engine() -> None:
    # 1.6 approved + 0.3 pending + a valid card: approved, 1.9 course CE + 0.1 = 2.0
    rec = record(ce=[approved("1.6"), pending("0.3")])
    before_e = await said(ActionPetitionStatus, rec, date(2026, 2, 1), text="what happens if my petition gets approved, am I done?")
    assert "If NASM approves it, you'd have 2.0 of the 2.0 CEUs: all the CEUs you need, and what's left is the application, by March 1, 2026 to pay no late fee." in before_e
    # after the CE deadline the renewal hangs on it: approved, it can still be renewed until the hard limit
    late = await said(ActionPetitionStatus, rec, date(2026, 7, 1), text="and if they approve it?")
    assert "what's left is the application, by February 28, 2027 at the latest" in late
    short = await said(ActionPetitionStatus, record(ce=[approved("1.2"), pending("0.3")]), date(2026, 2, 1), text="if it's approved how many do I have?")
    assert "If NASM approves it, you'd have 1.6 of the 2.0 CEUs, so you'd still need 0.4 CEU." in short


async def test_not_approved_is_a_denial_not_an_approval() -> None:
    answer_text = await said(ActionPetitionStatus, record(ce=[approved("1.2"), pending("0.3")]), date(2026, 2, 1), text="what if it's not approved?")
    assert "If NASM denies it" in answer_text and "If NASM approves" not in answer_text


async def test_is_the_petition_the_only_way_is_answered_from_the_ce_deadline() -> None:
    """Before the CE deadline approved courses can still close the gap ("No"); after it only the petition can."""
    from tests.unit.action_support import approved, pending, record, said

    rec = record(ce=[approved("1.2"), pending("0.3")])  # E = 2026-03-01, CE deadline 2026-05-30; 0.7 short
    before = await said(ActionPetitionStatus, rec, date(2026, 4, 1), text="so my petition is the only way?")
    assert before.startswith("No: approved courses worth 0.7 CEU completed by May 30, 2026 would close the gap too"), before
    closes = record(ce=[approved("1.2"), pending("0.7")])  # the petition would close the gap
    after = await said(ActionPetitionStatus, closes, date(2026, 6, 2), text="so my petition is the only way?")
    assert after.startswith("Yes: the last day continuing education could count was May 30, 2026"), after
    too_small = await said(ActionPetitionStatus, rec, date(2026, 6, 2), text="so my petition is the only way?")
    assert too_small.startswith("No way is left, even that one: approved, the petition (0.3 CEU) wouldn't close the gap of 0.7 CEU")
