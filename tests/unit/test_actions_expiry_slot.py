"""A date told as the application day never becomes the expiration date, a value stored is said
back (or not stored), and a run of misunderstandings ends with any message understood."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.fallback import OFFER, ActionHandleMisunderstanding
from actions.status import ActionLateFee
from actions.what_if import ActionWhatIf
from tests.unit.test_actions_support import FakeUnitOfWork, make_action, run, text

TODAY = date(2027, 6, 14)
SLOTS = {"course": None, "provider": None, "credential": None, "date": None, "ceu_amount": None,
         "misunderstandings": 0, "what_if_submit": None, "what_if_completed": None}


def span(message: str, value: str, name: str = "date") -> dict[str, Any]:
    start = message.find(value)
    return {"entity": name, "value": value, "start": start, "end": start + len(value)}


class Chat:
    """A conversation's events as Rasa hands them to the action server: each message, the slots its
    entities set, and the events the action answering it returned."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = [{"event": "action", "name": "action_listen"}]
        self.slots: dict[str, Any] = dict(SLOTS)

    def said(self, message: str, intent: str, entities: tuple[dict[str, Any], ...] | list[dict[str, Any]] = ()) -> Tracker:
        latest = {"text": message, "intent": {"name": intent, "confidence": 0.95}, "entities": list(entities), "metadata": {}}
        self.events.append({"event": "user", "text": message, "parse_data": copy.deepcopy(latest)})
        self.events.append({"event": "action", "name": "action_extract_slots"})
        for e in entities:  # the slot mappings: from_entity
            if e["entity"] in ("date", "ceu_amount"):
                self.slots[e["entity"]] = e["value"]
                self.events.append({"event": "slot", "name": e["entity"], "value": e["value"]})
        return Tracker.from_dict({
            "sender_id": "cli:1", "slots": dict(self.slots), "latest_message": latest,
            "events": copy.deepcopy(self.events), "paused": False, "followup_action": None,
            "active_loop": {}, "latest_action_name": "action_extract_slots",
        })

    async def answer(self, action: Any, tr: Tracker) -> str:
        d, events = await run(action, tr)
        self.events.append({"event": "action", "name": action.name()})
        for e in events:
            if e.get("event") == "slot":
                self.slots[e["name"]] = e["value"]
            self.events.append(e)
        self.events.append({"event": "bot", "text": text(d)})
        self.events.append({"event": "action", "name": "action_listen"})
        return text(d)

    def utter(self, name: str) -> None:
        self.events.append({"event": "action", "name": name})
        self.events.append({"event": "action", "name": "action_listen"})


def action(cls: type, today: date = TODAY) -> Any:
    return make_action(cls, FakeUnitOfWork([]), today)


EXPIRES = "my certification expires on March 3, 2027"


async def told_expiry(chat: Chat, today: date = TODAY) -> None:
    said = await chat.answer(action(ActionWhatIf, today), chat.said(EXPIRES, "what_if", [span(EXPIRES, "March 3, 2027")]))
    assert "how many CEUs" in said
    assert chat.slots["date"] == "2027-03-03"


@pytest.mark.parametrize("fee_question, day_said", [
    ("how much would I pay today?", "today"),
    ("what would I pay if I apply on June 20?", "June 20"),
])
async def test_the_application_day_never_replaces_the_expiration_told(fee_question: str, day_said: str) -> None:
    chat = Chat()
    await told_expiry(chat)
    await chat.answer(action(ActionLateFee), chat.said(fee_question, "ask_late_fee", [span(fee_question, day_said)]))
    assert chat.slots["date"] == "2027-03-03"
    ask = "I have 1.5 CEUs, how many more do I need?"
    said = await chat.answer(action(ActionWhatIf), chat.said(ask, "what_if", [span(ask, "1.5 CEUs", "ceu_amount")]))
    assert "March 3, 2027" in said and "June 14, 2027" not in said
    assert "June 1, 2027" in said and "couldn't be renewed" in said  # G = E + 90 has passed


@pytest.mark.parametrize("today, renewable", [
    (date(2027, 5, 31), True), (date(2027, 6, 1), True), (date(2027, 6, 2), False),  # G = 2027-06-01
])
async def test_around_the_ce_deadline_the_told_expiration_still_decides(today: date, renewable: bool) -> None:
    chat = Chat()
    await told_expiry(chat, today)
    await chat.answer(action(ActionLateFee, today), chat.said("how much would I pay today?", "ask_late_fee",
                                                              [span("how much would I pay today?", "today")]))
    ask = "I have 1.5 CEUs, how many more do I need?"
    said = await chat.answer(action(ActionWhatIf, today), chat.said(ask, "what_if", [span(ask, "1.5 CEUs", "ceu_amount")]))
    assert "If your certification expired on March 3, 2027" in said
    assert ("couldn't be renewed" in said) is not renewable


async def test_a_date_in_a_message_not_understood_is_not_stored() -> None:
    chat = Chat()
    await told_expiry(chat)
    # (a short "sorry, I meant March 3" right after the what-if is a correction the handler passes back to
    # the what-if: tests/unit/test_fallback_rescues.py; this one is no follow-up)
    message = "the March 3 thing on the blue form my gym manager keeps sending"
    said = await chat.answer(action(ActionHandleMisunderstanding), chat.said(message, "nlu_fallback", [span(message, "March 3")]))
    assert said.startswith("Sorry, I can't answer that.")
    assert chat.slots["date"] == "2027-03-03"  # what it held before, not the words nobody said back


async def test_a_greeting_between_two_misunderstandings_starts_the_count_over() -> None:
    chat = Chat()
    first = await chat.answer(action(ActionHandleMisunderstanding), chat.said("asdf qwer", "nlu_fallback"))
    assert first.startswith("Sorry, I can't answer that.")
    for understood in ("hi", "thanks"):
        chat.said(understood, "greet" if understood == "hi" else "thank")
        chat.utter("utter_greet" if understood == "hi" else "utter_thank")
        again = await chat.answer(action(ActionHandleMisunderstanding), chat.said("zxcv uiop", "nlu_fallback"))
        assert again.startswith("Sorry, I can't answer that.") and OFFER not in again
    # two in a row still offer a person
    said = await chat.answer(action(ActionHandleMisunderstanding), chat.said("qwer zxcv", "nlu_fallback"))
    assert said == OFFER
    assert chat.slots["misunderstandings"] == 2
