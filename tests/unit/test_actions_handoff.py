"""Misunderstandings, and handing the conversation to a person."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from rasa_sdk.events import SlotSet

from actions import words
from actions.fallback import ActionHandleMisunderstanding
from actions.handoff import ActionHandoff, transcript
from actions.status import ActionExpirationDate
from bot.handoff import service
from bot.handoff.errors import UnknownTicket
from bot.handoff.model import TicketStatus
from tests.unit.test_actions_support import (
    COMPLETE,
    SENDER,
    TRAINER,
    FakeUnitOfWork,
    make_action,
    run,
    text,
    tracker,
)

TODAY = date(2026, 2, 9)
LAPSED = date(2027, 3, 5)


# --- misunderstandings --------------------------------------------------------------------


async def test_first_misunderstanding_says_what_it_can_do() -> None:
    action = make_action(ActionHandleMisunderstanding, FakeUnitOfWork([]), TODAY)
    d, events = await run(action, tracker(text="what's the weather", intent="nlu_fallback"))
    assert text(d).startswith("Sorry, I can't answer that. I can tell you when your certification expires")
    assert d.messages[0]["buttons"] == []
    assert events == [SlotSet("misunderstandings", 1)]


async def test_second_misunderstanding_in_a_row_offers_a_person() -> None:
    action = make_action(ActionHandleMisunderstanding, FakeUnitOfWork([]), TODAY)
    d, events = await run(action, tracker(intent="nlu_fallback", slots={"misunderstandings": 1.0}))
    assert text(d) == "Sorry, I still didn't get that. Would you like to talk to a person?"
    assert d.messages[0]["buttons"][0] == {"title": "Yes, a person", "payload": "/ask_human"}
    assert events == [SlotSet("misunderstandings", 2)]


async def test_misunderstanding_answered_in_between_starts_over() -> None:
    uow = FakeUnitOfWork([COMPLETE])
    _, events = await run(
        make_action(ActionExpirationDate, uow, TODAY),
        tracker(linked_as=TRAINER, slots={"misunderstandings": 1}),
    )
    assert events == [SlotSet("misunderstandings", 0)]
    d, events = await run(
        make_action(ActionHandleMisunderstanding, uow, TODAY), tracker(slots={"misunderstandings": 0})
    )
    assert events == [SlotSet("misunderstandings", 1)]
    assert d.messages[0]["buttons"] == []


# --- handoff ------------------------------------------------------------------------------


def test_transcript_keeps_the_last_typed_messages() -> None:
    events = [
        {"event": "user", "text": f"message {i}"} for i in range(7)
    ] + [
        {"event": "user", "text": "/ask_human"},
        {"event": "user", "text": "EXTERNAL: EXTERNAL_reminder"},
        {"event": "bot", "text": "a reply"},
        {"event": "user", "text": "x" * 1000},
    ]
    lines = transcript(events).splitlines()
    assert lines[:4] == [f"user: message {i}" for i in range(3, 7)]
    assert lines[4] == "user: " + "x" * 300
    assert len(lines) == 5


async def test_handoff_creates_a_ticket_with_transcript_and_gives_its_number() -> None:
    uow = FakeUnitOfWork([COMPLETE])
    d, _ = await run(make_action(ActionHandoff, uow, TODAY), tracker("handoff_conversation", linked_as=TRAINER))
    [ticket] = uow.handoff.tickets.values()
    assert text(d) == (
        f"I've asked a person to take over: your ticket number is #{ticket.id}. "
        "They'll answer you here in this chat."
    )
    assert ticket.sender == SENDER
    assert ticket.trainer_id == TRAINER
    assert ticket.status is TicketStatus.OPEN
    assert ticket.transcript == "user: my cert says expired but I renewed\nuser: the portal shows the wrong date"
    assert "asked via ask_human" in ticket.reason
    assert "did not understand twice" in ticket.reason
    assert "nasm-cpt phase active" in ticket.reason
    assert uow.commits == 1


async def test_handoff_when_not_linked_has_no_trainer() -> None:
    uow = FakeUnitOfWork([COMPLETE])
    await run(make_action(ActionHandoff, uow, TODAY), tracker("handoff_conversation"))
    [ticket] = uow.handoff.tickets.values()
    assert ticket.trainer_id is None
    assert "chat not linked" in ticket.reason


async def test_asking_twice_returns_the_open_ticket() -> None:
    uow = FakeUnitOfWork([COMPLETE])
    action = make_action(ActionHandoff, uow, TODAY)
    first, _ = await run(action, tracker("handoff_conversation", linked_as=TRAINER))
    second, _ = await run(action, tracker("handoff_conversation", linked_as=TRAINER))
    assert len(uow.handoff.tickets) == 1
    assert text(first) == text(second)


async def test_lapsed_credential_handoff_reason_says_so() -> None:
    uow = FakeUnitOfWork([COMPLETE])
    await run(make_action(ActionHandoff, uow, LAPSED), tracker("handoff_conversation", linked_as=TRAINER))
    [ticket] = uow.handoff.tickets.values()
    assert "phase lapsed" in ticket.reason


def test_close_ticket_and_unknown_ticket() -> None:
    uow = FakeUnitOfWork([])
    now = datetime(2026, 3, 10, 15, 0, tzinfo=timezone.utc)
    ticket = service.open_ticket(uow, SENDER, None, "r", "t", now=now)
    assert [t.id for t in service.list_open_tickets(uow)] == [ticket.id]
    closed = service.close_ticket(uow, ticket.id, now=now)
    assert closed.status is TicketStatus.CLOSED and closed.closed_at == now
    assert service.list_open_tickets(uow) == []
    with pytest.raises(UnknownTicket):
        service.close_ticket(uow, 999)
    assert words.INTENT_HANDOFF == "ask_human"
