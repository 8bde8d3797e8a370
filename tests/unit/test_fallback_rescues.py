"""Messages the NLU could not place (fallback or out of scope) whose words, or the answer just before them,
say which record answer they want: answered by that action, never by "Sorry, I can't answer that"; and a
question about something else is never taken for one. The record of ``action_support``: E = 2026-03-01.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from actions.fallback import SORRY, ActionHandleMisunderstanding
from tests.unit.action_support import COMPLETE, TRAINER, FakeUnitOfWork, after_reply, make_action, run, text, tracker

TODAY = date(2026, 2, 1)


def _after(previous_action: str, message: str, entities: list[dict[str, Any]] | None = None) -> Any:
    return after_reply(
        "what would renewing in April cost me?", previous_action, "...", message,
        intent="nlu_fallback", entities=entities or [],
    )


async def _answer(tr: Any) -> str:
    d, _ = await run(make_action(ActionHandleMisunderstanding, FakeUnitOfWork([COMPLETE]), TODAY), tr)
    return text(d)


async def test_still_certified_is_answered_from_the_record() -> None:
    said = await _answer(tracker(linked_as=TRAINER, text="can i still train clients, am i still certified?", intent="nlu_fallback"))
    assert said.startswith("Yes. Your NASM Certified Personal Trainer certification expires on March 1, 2026")


async def test_a_month_right_after_the_fee_answer_is_that_question_again() -> None:
    said = await _answer(_after("action_late_fee", "and in march?"))
    # March 2026 straddles E: no late fee to March 1, $30 from March 2
    assert "March 2026" in said and "$30.00" in said
    assert not said.startswith(SORRY)


@pytest.mark.parametrize(
    "message",
    ["is my passport still valid?", "and in march?", "what's the weather in march, and will it rain on my run?"],
)
async def test_without_the_renewal_in_the_words_or_just_before_it_stays_a_misunderstanding(message: str) -> None:
    said = await _answer(_after("utter_greet", message))
    assert said.startswith(SORRY)


async def test_the_fee_action_reads_a_follow_up_month_as_the_application_month() -> None:
    from actions.status import ActionLateFee

    d, _ = await run(
        make_action(ActionLateFee, FakeUnitOfWork([COMPLETE]), TODAY),
        _after("action_late_fee", "and in June?", [{"entity": "date", "value": "June", "start": 7, "end": 11}]),
    )
    # June 2026 is after the first late tier (to May 30): $99 + $50
    assert "June 2026" in text(d) and "$149.00" in text(d)
    # the same words with no fee answer before them name no application month
    fresh = tracker(linked_as=TRAINER, text="and in June?", entities=[{"entity": "date", "value": "June", "start": 7, "end": 11}])
    d, _ = await run(make_action(ActionLateFee, FakeUnitOfWork([COMPLETE]), TODAY), fresh)
    assert "June 2026" not in text(d)


async def test_a_short_money_question_after_a_record_answer_gets_the_fees() -> None:
    said = await _answer(_after("action_am_i_late", "and how much?"))
    assert "$99.00" in said and not said.startswith(SORRY)


def _unsure(message: str, intent: str, value: str) -> Any:
    start = message.index(value)
    return tracker(
        linked_as=TRAINER, text=message, intent=intent,
        entities=[{"entity": "date", "value": value, "start": start, "end": start + len(value)}],
    )


async def test_a_dated_fee_or_verdict_question_the_nlu_was_unsure_of_goes_to_the_what_if() -> None:
    fee = await _answer(_unsure("how much if I send it in April", "nlu_fallback", "April"))
    assert "April 2026" in fee and "$129.00" in fee  # after E (March 1): the first late tier
    in_time = await _answer(_unsure("I did a CEU course on 2026-01-20, was that in time?", "nlu_fallback", "2026-01-20"))
    assert "January 20, 2026" in in_time and not in_time.startswith(SORRY)


async def test_the_same_shape_placed_out_of_scope_stays_a_misunderstanding() -> None:
    said = await _answer(_unsure("if I mail my tax return on April 4, will I be charged extra?", "out_of_scope", "April 4"))
    assert said.startswith(SORRY)


async def test_a_month_after_a_fee_answer_this_handler_passed_on_is_that_question_again() -> None:
    message = "and in June?"
    tr = after_reply(
        "what do I pay if I get my renewal in during April?",
        "action_handle_misunderstanding",
        "An application NASM receives in April 2026 ... The fee is set by the date NASM receives the application.",
        message,
        intent="inform",
        entities=[{"entity": "date", "value": "June", "start": 7, "end": 11}],
    )
    said = await _answer(tr)
    assert "June 2026" in said and "$149.00" in said
    tr.events[2] = {"event": "bot", "text": "Sorry, I can't answer that."}
    assert (await _answer(tr)).startswith(SORRY)


async def test_handoff_topics_and_still_time_when_the_nlu_was_unsure() -> None:
    async def unsure(message: str) -> str:
        return await _answer(tracker(linked_as=TRAINER, text=message, intent="nlu_fallback"))

    assert (await unsure("my grandmother died and I couldn't finish, can I have a little longer?")).startswith(
        "Extensions and hardship exceptions are decided by our support staff"
    )
    assert (await unsure("I sent my certificates and they still say my CE isn't proven, that's not right")).startswith(
        "A dispute about an audit is for our support staff"
    )
    still = await unsure("is there still time for me?")
    assert still.startswith("You can renew now. Renew by March 1, 2026 to avoid a late fee.")  # before E
    # placed out of scope, the same words are not taken for a renewal question
    oos = await _answer(tracker(linked_as=TRAINER, text="is there still time for me?", intent="out_of_scope"))
    assert oos.startswith(SORRY)


async def test_a_renewal_cost_question_the_nlu_was_unsure_of_gets_the_fees() -> None:
    for message in ("hi i want to renew, how much?", "any late fee if i'm a couple weeks late?"):
        said = await _answer(tracker(linked_as=TRAINER, text=message, intent="nlu_fallback"))
        assert "$99.00" in said, message
    oos = await _answer(tracker(linked_as=TRAINER, text="how much to renew my passport?", intent="out_of_scope"))
    assert oos.startswith(SORRY)


@pytest.mark.parametrize("intent", ["out_of_scope", "nlu_fallback"])
async def test_a_fee_of_the_policy_with_a_question_about_its_days_is_the_fee_answer(intent: str) -> None:
    # $30 is the first late tier: from March 2, 2026 to May 30, 2026 for this record
    said = await _answer(tracker(linked_as=TRAINER, text="until when is it 30 bucks", intent=intent))
    assert "$30.00" in said and "March 2, 2026" in said, said
    # an amount that is none of the renewal's fees, or no question about its days, is no fee question
    for other in ("until when is it 45 bucks", "i owe my gym 30 bucks", "how long is a $30 gym pass good for"):
        assert (await _answer(tracker(linked_as=TRAINER, text=other, intent=intent))).startswith(SORRY), other


async def test_a_new_card_and_an_application_day_are_the_what_if_with_that_card() -> None:
    """"If I get an AHA card tomorrow and apply on Dec 3, how much?" (put out of scope by the classifier):
    the fee on that day and the record with the new card, not "your card expired"."""
    from tests.unit.action_support import approved, entity, record

    no_card = record(ce=[approved("1.9")], cards=[])  # E = 2026-03-01: late, first tier to May 30, 2026
    message = "if I get an AHA card tomorrow and apply on Apr 3, how much?"
    tr = tracker(
        linked_as=TRAINER, text=message, intent="out_of_scope",
        entities=[entity("date", "tomorrow"), entity("date", "Apr 3")],
    )
    d, _ = await run(make_action(ActionHandleMisunderstanding, FakeUnitOfWork([no_card]), date(2026, 4, 1)), tr)
    said = text(d)
    assert said.startswith("Counting the new card"), said
    assert "$99.00 renewal fee + a $30.00 late fee = $129.00" in said
    assert "no CPR/AED card on your record" not in said and "all 2.0 CEUs" in said
    # the same day without a new card says the card is missing
    tr = tracker(linked_as=TRAINER, text="if I apply on Apr 3, how much?", intent="nlu_fallback", entities=[entity("date", "Apr 3")])
    d, _ = await run(make_action(ActionHandleMisunderstanding, FakeUnitOfWork([no_card]), date(2026, 4, 1)), tr)
    assert "no CPR/AED card on your record" in text(d)


async def test_an_untagged_day_in_a_dated_fee_question_is_read_from_the_words() -> None:
    """"And what if I send the app on the 6th, how much": no date entity; the day is still the what-if's."""
    said = await _answer(_after("action_what_if", "and what if i send the app on the 6th, how much"))
    # TODAY = 2026-02-01: the 6th is February 6, 2026, before E (March 1, 2026): no late fee
    assert said.startswith("An application NASM receives on February 6, 2026"), said
    assert "$99.00 in all" in said
    # a number that is no day is not taken for one
    assert not (await _answer(_after("action_what_if", "what if i send 6 of them, how much"))).startswith(
        "An application NASM receives on"
    )


async def test_a_course_of_their_own_words_asked_to_count_is_the_course_answer() -> None:
    """"Did my pilates course count even though I'd already expired?": the NLU was unsure and the catalog has
    no such course; the course answer says so (a petition), not "Sorry, I can't answer that"."""
    message = "did my pilates course count even though I'd already expired?"
    said = await _answer(tracker(linked_as=TRAINER, text=message, intent="nlu_fallback"))
    assert said.startswith('I can\'t find "pilates course" among NASM-approved courses'), said
    assert "$25.00" in said
    # a course named by no word of its own stays a misunderstanding
    assert (await _answer(tracker(linked_as=TRAINER, text="did my last course count?", intent="nlu_fallback"))).startswith(SORRY)


def _ranked(message: str, best: str, confidence: float) -> Any:
    tr = tracker(linked_as=TRAINER, text=message, intent="nlu_fallback")
    tr.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.6}, {"name": best, "confidence": confidence},
    ]
    return tr


async def test_the_classifiers_near_guess_with_its_own_word_is_answered() -> None:
    from tests.unit.action_support import PARTIAL  # 1.2 approved, a 0.3 petition pending

    async def answer(tr: Any) -> str:
        d, _ = await run(make_action(ActionHandleMisunderstanding, FakeUnitOfWork([PARTIAL]), TODAY), tr)
        return text(d)

    cost = await answer(_ranked("how much did the petition cost me", "ask_petition_status", 0.58))
    assert "A petition costs $25.00 per course or event, nonrefundable: $25.00 for the 1 petition" in cost, cost
    approved = await answer(_ranked("if my kettlebell petition goes through how many would i still need?", "ask_petition_status", 0.57))
    assert "Kettlebell Basics" in approved and not approved.startswith(SORRY)
    ceus = await answer(_ranked("do i still need ceus", "ask_ceus_remaining", 0.44))
    assert ceus.startswith("You have 1.3 of the 2.0 CEUs you need"), ceus
    # too far from the threshold, or without the question's own word: still a misunderstanding
    assert (await answer(_ranked("do i still need ceus", "ask_ceus_remaining", 0.2))).startswith(SORRY)
    assert (await answer(_ranked("how much did it cost me", "ask_petition_status", 0.58))).startswith(SORRY)


async def test_the_own_card_named_by_its_provider_is_not_a_misunderstanding() -> None:
    said = await _answer(
        tracker(linked_as=TRAINER, text="is my red cross card ok? its not the american one, just red cross", intent="nlu_fallback")
    )
    assert said.startswith("Yes. Your CPR/AED card (American Red Cross, valid until January 10, 2027)"), said


async def test_the_day_one_late_fee_turns_into_the_other_is_the_fee_answer() -> None:
    said = await _answer(tracker(linked_as=TRAINER, text="when does the 30 dollar late fee turn into 50", intent="out_of_scope"))
    assert "$50.00 from May 31, 2026" in said, said


async def test_near_guesses_of_the_deadline_and_the_fee_with_their_own_words_are_answered() -> None:
    """The third probe's fallbacks: "what's my CE deadline?" (deadline at 0.46), "how many days do i have left"
    (expiration + CEUs at 0.60), "is it free to renew for me" (can renew + fee at 0.56)."""
    from tests.unit.action_support import PARTIAL

    async def answer(tr: Any) -> str:
        d, _ = await run(make_action(ActionHandleMisunderstanding, FakeUnitOfWork([PARTIAL]), TODAY), tr)
        return text(d)

    deadline = await answer(_ranked("what's my CE deadline?", "ask_expiration_date", 0.46))
    assert "May 30, 2026" in deadline and not deadline.startswith(SORRY), deadline
    days = await answer(_ranked("how many days do i have left", "ask_expiration_date+ask_ceus_remaining", 0.59))
    assert not days.startswith(SORRY) and "March 1, 2026" in days, days
    fee = await answer(_ranked("is it free to renew for me", "ask_can_renew+ask_late_fee", 0.56))
    assert "$99.00" in fee and not fee.startswith(SORRY), fee
    # the word of another question, or none: still a misunderstanding
    assert (await answer(_ranked("what's up with you", "ask_expiration_date", 0.46))).startswith(SORRY)
    assert (await answer(_ranked("is it sunny today", "ask_can_renew+ask_late_fee", 0.56))).startswith(SORRY)
