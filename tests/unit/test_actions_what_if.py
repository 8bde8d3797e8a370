"""What if: hypothetical dates and CEUs through rules.engine.what_if; nothing stored."""

from __future__ import annotations

from datetime import date

from rasa_sdk.events import SlotSet

from actions import words
from actions.what_if import ActionWhatIf
from tests.unit.test_actions_support import FakeUnitOfWork, entity, make_action, run, text, tracker

TODAY = date(2026, 3, 10)


async def ask(**kw):  # type: ignore[no-untyped-def]
    uow = FakeUnitOfWork([])
    d, events = await run(make_action(ActionWhatIf, uow, TODAY), tracker(**kw))
    assert uow.commits == 0
    return d, events


async def test_what_if_active() -> None:
    d, events = await ask(entities=[entity("date", "June 3"), entity("ceu_amount", "1.2")])
    said = text(d)
    assert said.startswith(
        "If your certification expires on June 3, 2026 and you have 1.2 CEUs: you'd still need 0.8 CEU"
    )
    assert "Renew by June 3, 2026 (in 85 days) for $99.00, with no late fee" in said
    assert "CE completed up to September 1, 2026 still counts" in said
    assert words.MONEY_NOTE in said
    assert events == [SlotSet("date", None), SlotSet("ceu_amount", None)]


async def test_what_if_expired_recently() -> None:
    # The card is unknown, so the engine counts at most 1.9 of the stated CEUs: 0.1 is left
    # and the answer says where it comes from.
    d, _ = await ask(slots={"date": "March 1", "ceu_amount": "2.0 CEUs"})
    said = text(d)
    assert said.startswith(
        "If your certification expired on March 1, 2026 and you have 2.0 CEUs: you'd still need "
        "0.1 CEU (0.1 of the 2.0 comes from a current adult CPR/AED card with a hands-on part)."
    )
    assert "$30.00 late fee ($129.00 in all) until May 30, 2026" in said


async def test_what_if_too_late() -> None:
    d, _ = await ask(slots={"date": "2025-01-15", "ceu_amount": "1.9"})
    assert "could only have been renewed until January 14, 2026" in text(d)


async def test_what_if_asks_for_missing_ceus() -> None:
    d, events = await ask(entities=[entity("date", "June 3")])
    assert text(d) == (
        'To work it out I need how many CEUs you have so far, for example '
        '"my cert expires June 3 and I have 1.2 CEUs".'
    )
    assert events == []


async def test_what_if_asks_for_both() -> None:
    d, _ = await ask()
    assert "your certification's expiration date and how many CEUs you have so far" in text(d)


async def test_what_if_unreadable_date() -> None:
    d, events = await ask(slots={"date": "someday", "ceu_amount": "1.0"})
    assert text(d).startswith('I couldn\'t read "someday" as a date. To work it out I need your certification\'s expiration date')
    assert events == [SlotSet("date", None)]


async def test_what_if_reads_a_date_without_a_year_by_the_verb() -> None:
    """In November, "expires June 3" is next June and "expired June 3" the last one."""
    november = date(2026, 11, 30)
    future_msg = "my cert expires June 3 and I have 1.2 CEUs, what do I still need?"
    action = make_action(ActionWhatIf, FakeUnitOfWork([]), november)
    d, _ = await run(action, tracker(text=future_msg, entities=[entity("date", "June 3"), entity("ceu_amount", "1.2 CEUs")]))
    assert text(d).startswith("If your certification expires on June 3, 2027 and you have 1.2 CEUs: you'd still need 0.8 CEU")
    past_msg = "my cert expired June 3 and I have 1.2 CEUs"
    d, _ = await run(action, tracker(text=past_msg, entities=[entity("date", "June 3"), entity("ceu_amount", "1.2 CEUs")]))
    assert text(d).startswith("If your certification expired on June 3, 2026")
