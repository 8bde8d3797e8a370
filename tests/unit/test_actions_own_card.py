"""CPR/AED questions: the trainer's own card from the record, a described class by the CPR/AED rules.

The response selector files every CPR/AED question under a CPR/AED FAQ key; these answers must
not be the general rule when the trainer asks about their own card or about one class.
"""

from __future__ import annotations

from datetime import date

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import words
from actions.faq import ActionAnswerFaq
from actions.status import ActionExpirationDate
from rules.model import Application, CprAedCard, TrainerRecord
from tests.unit.action_support import answer, approved, record, text

TODAY = date(2026, 3, 10)
EXPIRED = record(ce=[approved("1.9")], cards=[CprAedCard("American Heart Association", date(2026, 1, 5), True)])
VALID = record(ce=[approved("1.9")])
NO_CARD = record(ce=[approved("1.9")], cards=[])
# the fixture's selector picked faq/late_fee; a general question keeps whatever it picked
DOMAIN = {"responses": {"utter_faq/late_fee": [{"text": "General rule {late_fee_first}."}]}}


async def ask(
    cls: type, message: str, rec: TrainerRecord | None = None, linked: bool = True
) -> tuple[CollectingDispatcher, str]:
    d, _ = await answer(cls, rec, TODAY, linked=linked, fixture="faq_response_selector", domain=DOMAIN, text=message)
    return d, text(d)


@pytest.mark.parametrize("cls", [ActionAnswerFaq, ActionExpirationDate])
@pytest.mark.parametrize(
    ("message", "lead"),
    [
        ("is my CPR still good?", "No. "),  # asks "valid?": a direct no
        ("thanks! is my AED card current?", "No. "),
        ("did my cpr/aed certification run out", ""),  # the opposite question: a "No." would mean "it did not"
        ("has my CPR lapsed?", ""),
        ("when does my CPR card expire?", ""),  # not a yes/no question: the date, no "No." in front
        ("what's the expiry date on my CPR card", ""),
    ],
)
async def test_own_expired_card_is_answered_from_the_record(cls, message: str, lead: str) -> None:  # type: ignore[no-untyped-def]
    _, said = await ask(cls, message, EXPIRED)
    assert said.startswith(lead + "Your CPR/AED card expired on January 5, 2026, so it does not count")
    assert "a card problem alone never stops a renewal" in said
    assert "General rule" not in said and not said.startswith("Yes")


async def test_own_valid_card_and_no_card() -> None:
    _, said = await ask(ActionAnswerFaq, "is my CPR card still good?", VALID)
    assert said.startswith("Yes. Your CPR/AED card (American Red Cross, valid until January 10, 2027)")
    unconfirmed = record(ce=[approved("1.9")], cards=[CprAedCard("Coastal CPR Training", date(2027, 4, 1), True)])
    _, said = await ask(ActionAnswerFaq, "is my cpr card ok?", unconfirmed)
    assert said.startswith("It needs confirming. Your CPR/AED card is from Coastal CPR Training")
    _, said = await ask(ActionAnswerFaq, "is my CPR valid for the renewal", NO_CARD)
    assert said.startswith("There is no CPR/AED card on your record")


async def test_card_judged_on_the_submission_day_when_applied() -> None:
    rec = record(ce=[approved("1.9")], cards=[CprAedCard("ASTI", date(2026, 3, 5), True)],
                 applications=[Application("nasm-cpt", date(2026, 2, 20))])
    _, said = await ask(ActionAnswerFaq, "my CPR card ran out last week, is that a problem?", rec)
    # no "Yes." in front: to "is that a problem?" it would say the opposite of what follows
    assert said.startswith("Your CPR/AED card (ASTI, valid until March 5, 2026)")


@pytest.mark.parametrize("cls", [ActionAnswerFaq, ActionExpirationDate])
async def test_own_card_when_not_linked_says_so_plainly(cls) -> None:  # type: ignore[no-untyped-def]
    d, said = await ask(cls, "is my CPR still valid?", None, linked=False)
    assert "I can't see your CPR/AED card" in said or "I can't see your card" in said
    assert not said.startswith("Yes")


@pytest.mark.parametrize(
    ("message", "phrase"),
    [
        ("does a cpr class from Bob's Safety School count for me?", "Bob's Safety School isn't one of the providers NASM names"),
        ("I did my CPR online through ProCPR, is that ok", "No: an online-only CPR/AED course is not accepted."),
        ("would a standalone first aid class get me any CEUs", "First aid on its own is not CPR/AED"),
    ],
)
async def test_a_described_class_gets_the_cpr_rules_not_the_general_answer(message: str, phrase: str) -> None:
    _, said = await ask(ActionAnswerFaq, message, VALID)
    assert phrase in said and "General rule" not in said


async def test_a_card_problem_is_never_a_no_to_renewing() -> None:
    # "can I still renew?" asked about an expired or online-only card: the card is judged on the
    # submission day, so the answer is never a flat no
    for rec in (EXPIRED, record(ce=[approved("1.9")], cards=[CprAedCard("ProCPR", date(2027, 1, 5), False)])):
        _, said = await ask(ActionAnswerFaq, "my cpr card is a problem, can I still renew?", rec)
        assert not said.startswith("No") and "never stops a renewal" in said


async def test_a_provider_nasm_does_not_name_offers_a_person() -> None:
    d, _ = await ask(ActionAnswerFaq, "does a cpr class from Bob's Safety School count for me?", VALID)
    assert d.messages[0]["buttons"] == [words.handoff_button()]
    d, _ = await ask(ActionAnswerFaq, "is my Red Cross CPR class with a hands-on part ok?", VALID)
    assert not d.messages[0]["buttons"]


async def test_a_general_cpr_question_keeps_the_faq_answer() -> None:
    d, _ = await ask(ActionAnswerFaq, "do trainers need CPR to recertify?", VALID)
    assert [m["response"] for m in d.messages] == ["utter_faq/late_fee"]


@pytest.mark.parametrize(
    "message", ["can I do a blended CPR course, part online part in person?", "is a hybrid cpr/aed class ok"]
)
async def test_a_blended_class_is_not_settled_and_offers_a_person(message: str) -> None:
    d, said = await ask(ActionAnswerFaq, message, VALID)
    assert "is not settled in the rules I follow" in said
    assert "You said it had a hands-on skills part" not in said
    assert d.messages[0]["buttons"] == [words.handoff_button()]
