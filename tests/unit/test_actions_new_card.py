""""If I get a new CPR card, how many CEUs will I have?": the figures with a current card, from the rules
engine (``rules.scenarios.with_current_card``), beside what the record shows. E = 2026-03-01 in
``action_support``'s record; one current card counts 0.1 of the 2.0 (docs/rules.md, CEU arithmetic)."""

from __future__ import annotations

from datetime import date

from actions import words
from actions.faq import ActionAnswerFaq
from actions.new_card import asks_about_new_card
from actions.status import ActionCeusRemaining
from rules.model import Application, CprAedCard
from tests.unit.action_support import COMPLETE, answer, approved, pending, record, said, text

EXPIRED_CARD = CprAedCard("American Red Cross", date(2025, 12, 1), True, date(2023, 12, 1))
TODAY = date(2026, 2, 1)


def test_new_card_questions_are_told_apart_from_card_rule_questions() -> None:
    for question in (
        "if I get a new CPR card how many CEUs will I have?",
        "I just renewed my cpr card, now how many ceus do i have",
        "once I retake CPR/AED am I all set?",
        "will a new AED cert finish my credits?",
    ):
        assert asks_about_new_card(question), question
    for question in ("do I need CPR?", "does online CPR count?", "is my CPR still valid?", "how many CEUs do I need?"):
        assert not asks_about_new_card(question), question


async def test_expired_card_and_ce_missing_gives_the_total_with_the_card_and_the_course_gap() -> None:
    rec = record(ce=[approved("1.2"), pending("0.3")], cards=[EXPIRED_CARD])
    for cls in (ActionAnswerFaq, ActionCeusRemaining):  # the NLU may send it to either
        answer_text = await said(cls, rec, TODAY, text="if I get a new CPR card how many CEUs will I have?")
        assert answer_text.startswith(
            "With a current hands-on card from an accepted provider you'd have 1.3 of the 2.0 CEUs, so you'd still "
            "need 0.7 CEU of approved course CE."
        ), cls
        assert "Your record still shows the card that expired on December 1, 2025." in answer_text
        assert not answer_text.startswith("Yes")


async def test_the_card_as_the_only_gap_completes_the_ceus() -> None:
    rec = record(ce=[approved("1.9")], cards=[EXPIRED_CARD])
    answer_text = await said(ActionAnswerFaq, rec, TODAY, text="I just renewed my cpr card, now how many ceus do i have")
    assert answer_text.startswith(
        "With a current hands-on card from an accepted provider you'd have 2.0 of the 2.0 CEUs: everything you need."
    )
    assert "Send the new card with your application" in answer_text


async def test_a_valid_card_on_record_already_counts_and_a_second_adds_nothing() -> None:
    answer_text = await said(ActionAnswerFaq, COMPLETE, TODAY, text="if I get a new CPR card how many CEUs will I have?")
    assert "A second card adds nothing: one current card counts 0.1 CEU, so you have 2.0 of the 2.0 CEUs." in answer_text


async def test_after_the_application_the_card_is_judged_on_its_day() -> None:
    rec = record(ce=[approved("1.9")], cards=[EXPIRED_CARD], applications=[Application("nasm-cpt", date(2026, 1, 20))])
    d, _ = await answer(ActionAnswerFaq, rec, TODAY, text="I got a new CPR card, how many CEUs do I have now?")
    answer_text = text(d)
    assert answer_text.startswith("NASM received your application on January 20, 2026, and the card is judged on that day")
    assert "1.9 of the 2.0 CEUs" in answer_text
    assert d.messages[0]["buttons"] == [words.handoff_button()]


async def test_not_linked_gets_the_rule_and_no_figures_of_anyone() -> None:
    answer_text = await said(
        ActionAnswerFaq, None, TODAY, linked=False, text="if I get a new CPR card how many CEUs will I have?"
    )
    assert answer_text.startswith("A current adult CPR and AED card with a hands-on skills part counts 0.1 CEU")
    assert words.LINK_HINT in answer_text and "1." not in answer_text.replace("0.1", "")


async def test_a_new_card_named_by_its_provider_or_as_a_class_gets_the_figures() -> None:
    rec = record(ce=[approved("1.2")], cards=[EXPIRED_CARD])
    for message in (
        "i just got a new AHA card today, how many ceus do i have now",
        "if i do a new hands on red cross class next month how many ceus do i have then",
    ):
        assert asks_about_new_card(message), message
        answer_text = await said(ActionAnswerFaq, rec, TODAY, text=message)
        assert answer_text.startswith("With a current hands-on card from an accepted provider you'd have 1.3 of the 2.0 CEUs"), message


async def test_a_card_the_trainer_says_they_hold_now_is_counted_in_the_answer_and_the_next_one() -> None:
    """"I have a BLS card from the AHA now", then "how many CEUs do I still need?": the figures with that card,
    beside the expired one the record shows; an online card or first aid said held changes nothing."""
    from actions.courses import ActionProviderApproved
    from tests.unit.action_support import FakeUnitOfWork, after_reply, make_action, run

    rec = record(ce=[approved("1.2"), pending("0.3")], cards=[EXPIRED_CARD])
    told = await said(ActionProviderApproved, rec, TODAY, text="I have a BLS card from the AHA now")
    assert "American Heart Association is one of the CPR/AED providers NASM accepts" in told
    assert "you'd have 1.3 of the 2.0 CEUs, so you'd still need 0.7 CEU of approved course CE" in told
    assert "Your record still shows the card that expired on December 1, 2025." in told
    online = await said(ActionProviderApproved, rec, TODAY, text="I have an online CPR card from the AHA now")
    assert "you'd have" not in online
    # the next question counts the card said just before
    action = make_action(ActionCeusRemaining, FakeUnitOfWork([rec]), TODAY)
    d, _ = await run(action, after_reply("I have a BLS card from the AHA now", "action_provider_approved", "...", "how many CEUs do I still need?"))
    assert text(d).startswith("With a current hands-on card from an accepted provider you'd have 1.3 of the 2.0 CEUs")
    # without it, the record as it stands
    d, _ = await run(action, after_reply("is ACE approved?", "action_provider_approved", "...", "how many CEUs do I still need?"))
    assert text(d).startswith("You have 1.2 of the 2.0 CEUs")


async def test_is_the_card_the_only_thing_missing_is_answered_from_the_figures() -> None:
    """"Is my CPR card the only thing holding me back?": "Yes" when the course CE is complete and the card is
    not current (not "No." because the card is expired); "No" with the course CE still missing."""
    question = "is my cpr card the only thing holding me back?"
    only = await said(ActionAnswerFaq, record(ce=[approved("1.9")], cards=[EXPIRED_CARD]), TODAY, text=question)
    assert only.startswith("Yes: your course CE is complete, so the CPR/AED card is the only thing missing."), only
    more = await said(ActionAnswerFaq, record(ce=[approved("1.2")], cards=[EXPIRED_CARD]), TODAY, text=question)
    assert more.startswith("No: besides the card you still need 0.7 CEU of approved course CE.")
    fine = await said(ActionAnswerFaq, record(ce=[approved("1.2")]), TODAY, text=question)
    assert fine.startswith("No: your card is fine; what is missing is 0.7 CEU of approved course CE.")


async def test_a_new_card_with_the_petition_approved_or_more_ce_counts_everything_named() -> None:
    """"New CPR card and the petition approved, how many left?" (1.2 + 0.3 + 0.1 = 1.6: 0.4 left); "a hands-on CPR
    class and 0.4 more CEUs, am I done?" with 1.5 counted (1.5 + 0.4 + 0.1 = 2.0: done)."""
    both = await said(
        ActionCeusRemaining, record(ce=[approved("1.2"), pending("0.3")], cards=[EXPIRED_CARD]), TODAY,
        text="if i get a new cpr card and the petition is approved, how many ceus left",
    )
    assert both.startswith(
        "With a current hands-on card from an accepted provider and your pending petition approved you'd have 1.6 of "
        "the 2.0 CEUs, so you'd still need 0.4 CEU of approved course CE."
    ), both
    more = await said(
        ActionAnswerFaq, record(ce=[approved("1.5")], cards=[EXPIRED_CARD]), TODAY,
        text="if I take a hands on cpr class and 0.4 more ceus, am i done?",
    )
    assert more.startswith(
        "With a current hands-on card from an accepted provider and 0.4 CEU more of approved course CE you'd have "
        "2.0 of the 2.0 CEUs: everything you need."
    ), more
    # the card alone: as before
    alone = await said(ActionAnswerFaq, record(ce=[approved("1.5")], cards=[EXPIRED_CARD]), TODAY, text="if I take a hands on cpr class, am i done?")
    assert alone.startswith("With a current hands-on card from an accepted provider you'd have 1.6 of the 2.0 CEUs")
