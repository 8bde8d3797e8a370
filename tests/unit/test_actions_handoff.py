"""Misunderstandings, and handing the conversation to a person."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, ConversationPaused, SessionStarted, SlotSet

from actions import words
from actions.fallback import ActionHandleMisunderstanding
from actions.handoff import ActionHandoff, ActionOfferHandoff, ActionSessionStart, transcript
from actions.status import ActionExpirationDate
from bot.handoff import service
from bot.handoff.errors import UnknownTicket
from bot.handoff.model import Audience, Kind, TicketStatus
from rules.model import CprAedCard
from tests.unit.test_actions_support import (
    COMPLETE,
    SENDER,
    TRAINER,
    BrokenUnitOfWork,
    FakeUnitOfWork,
    approved,
    make_action,
    record,
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


EXPIRED_CARD = record(ce=[approved("1.9")], cards=[CprAedCard("American Heart Association", date(2026, 1, 5), True)])


@pytest.mark.parametrize("intent", ["nlu_fallback", "out_of_scope"])
async def test_a_question_about_the_own_cpr_card_is_never_a_misunderstanding(intent: str) -> None:
    action = make_action(ActionHandleMisunderstanding, FakeUnitOfWork([EXPIRED_CARD]), TODAY)
    d, events = await run(action, tracker(text="till when is my cpr/aed good for?", intent=intent, linked_as=TRAINER,
                                          slots={"misunderstandings": 1.0}))
    assert text(d).startswith("Your CPR/AED card expired on January 5, 2026")
    assert events == [SlotSet("misunderstandings", 0)]  # answered: the run of misses is over

    unlinked = make_action(ActionHandleMisunderstanding, FakeUnitOfWork([EXPIRED_CARD]), TODAY)
    d, _ = await run(unlinked, tracker(text="till when is my cpr/aed good for?", intent=intent))
    assert "this chat isn't linked to your record" in text(d)


@pytest.mark.parametrize(
    "message",
    [
        "when does my credit card expire",  # no CPR/AED: the bank card stays out of scope
        "when does my first aid card expire",  # first aid alone is not the CPR/AED card
        "what's CPR stand for",  # CPR, but not the trainer's own card
    ],
)
async def test_other_cards_and_general_cpr_words_stay_misunderstood(message: str) -> None:
    action = make_action(ActionHandleMisunderstanding, FakeUnitOfWork([EXPIRED_CARD]), TODAY)
    d, events = await run(action, tracker(text=message, intent="nlu_fallback", linked_as=TRAINER))
    assert text(d).startswith("Sorry, I can't answer that.")
    assert events == [SlotSet("misunderstandings", 1)]


# --- handoff ------------------------------------------------------------------------------

MONDAY_NOON_CHICAGO = datetime(2026, 3, 9, 18, 0, tzinfo=timezone.utc)  # 12:00 CDT
FRIDAY_EVENING_CHICAGO = datetime(2026, 3, 13, 23, 30, tzinfo=timezone.utc)  # 18:30 CDT


def handoff_action(uow: FakeUnitOfWork, today: date = TODAY, now: datetime = MONDAY_NOON_CHICAGO) -> ActionHandoff:
    return make_action(ActionHandoff, uow, today, now=lambda: now)  # type: ignore[no-any-return]


def conversation(*turns: tuple[str, str], slots: dict[str, Any] | None = None, linked: bool = True) -> Tracker:
    """A tracker whose events are ``turns``: ("user", "text|intent"), ("bot", text), ("action", name)."""
    tr = tracker("handoff_conversation", linked_as=TRAINER if linked else None, slots=slots or {"misunderstandings": 0})
    state = tr.current_state()
    events: list[dict[str, Any]] = [{"event": "action", "name": "action_listen"}]
    for kind, value in turns:
        if kind == "user":
            typed, _, intent = value.partition("|")
            events.append({"event": "user", "text": typed, "parse_data": {"intent": {"name": intent}, "entities": []}})
        elif kind == "bot":
            events.append({"event": "bot", "text": value})
        else:
            events.append({"event": "action", "name": value})
    state["events"] = events
    last = next(e for e in reversed(events) if e["event"] == "user")
    state["latest_message"].update(text=last["text"], intent=last["parse_data"]["intent"])
    return Tracker.from_dict(state)


def test_transcript_keeps_the_last_twenty_turns_both_sides() -> None:
    events = [{"event": "user", "text": f"message {i}"} for i in range(25)] + [
        {"event": "bot", "text": "a   reply"},
        {"event": "user", "text": "/ask_human"},
        {"event": "user", "text": "EXTERNAL: EXTERNAL_reminder"},
        {"event": "user", "text": "x" * 1000},
    ]
    lines = transcript(events).splitlines()
    assert len(lines) == 20
    assert lines[-4:] == ["trainer: message 24", "assistant: a reply", "trainer: [button: ask_human]", "trainer: " + "x" * 300]
    assert lines[0] == "trainer: message 8"


async def test_asked_directly_opens_a_ticket_pauses_and_says_when() -> None:
    uow = FakeUnitOfWork([COMPLETE])
    monday = date(2026, 3, 9)
    tr = conversation(("user", "the portal shows the wrong date|nlu_fallback"), ("bot", "Sorry, I can't answer that."),
                      ("user", "I want to talk to a real person|ask_human"))
    d, events = await run(handoff_action(uow, today=monday), tr)
    [ticket] = uow.handoff.tickets.values()
    assert events == [ConversationPaused()]
    assert ticket.sender == SENDER and ticket.trainer_id == TRAINER and ticket.status is TicketStatus.OPEN
    assert ticket.reason == "asked for a person"
    assert ticket.transcript.splitlines() == [
        "trainer: the portal shows the wrong date", "assistant: Sorry, I can't answer that.",
        "trainer: I want to talk to a real person",
    ]
    assert ticket.assessment.startswith("NASM-CPT (standard plan)")
    assert text(d) == (
        f"I've passed your conversation to our support staff: ticket #{ticket.id}. A person will answer you "
        "here in this chat, and what you write here now goes to them. Staff are at work now (Monday to Friday, "
        "09:00 to 17:00 (America/Chicago time)), so someone will look at it before they finish at 17:00 your time. "
        "Until they close the ticket "
        "I'll stay quiet, so I don't talk over them."
    )
    [post] = uow.relay.to(Audience.STAFF)
    assert post.kind is Kind.TICKET and post.ticket_id == ticket.id
    assert "Trainer: Dana Smith (T-1001; NASM-CPT no. ****345)" in post.text
    assert "Reason: asked for a person" in post.text and "Assessment:\nNASM-CPT" in post.text
    assert "8812345" not in post.text


async def test_outside_staff_hours_says_when_someone_will_look() -> None:
    uow = FakeUnitOfWork([COMPLETE])
    friday = date(2026, 3, 13)
    d, _ = await run(
        handoff_action(uow, today=friday, now=FRIDAY_EVENING_CHICAGO), conversation(("user", "a person please|ask_human"))
    )
    assert "they are not in right now, so someone will look at it from Monday, March 16 at 09:00 your time." in text(d)


async def test_accepting_the_offer_after_two_misunderstandings() -> None:
    uow = FakeUnitOfWork([COMPLETE])
    await run(handoff_action(uow), tracker("handoff_conversation", linked_as=TRAINER))
    [ticket] = uow.handoff.tickets.values()
    assert ticket.reason.startswith("accepted the offer of a person; the assistant did not understand twice")


@pytest.mark.parametrize("intent, reason", [
    ("request_refund", "refund or billing dispute"),
    ("request_extension", "hardship or extension request"),
    ("dispute_audit", "disputed audit"),
])
async def test_topic_offer_then_accepted(intent: str, reason: str) -> None:
    uow = FakeUnitOfWork([COMPLETE])
    offer, events = await run(make_action(ActionOfferHandoff, uow, TODAY), tracker(intent=intent, linked_as=TRAINER))
    assert events == [] and "Would you like me to pass" in text(offer)
    assert [b["payload"] for b in offer.messages[0]["buttons"]] == ["/ask_human", "/deny"]
    assert not uow.handoff.tickets  # an offer is not a handoff
    for accept in ("/ask_human|ask_human", "yes please|affirm"):
        tr = conversation(("user", f"I want my money back|{intent}"), ("action", "action_offer_handoff"),
                          ("bot", text(offer)), ("action", "action_listen"), ("user", accept))
        uow = FakeUnitOfWork([COMPLETE])
        _, events = await run(handoff_action(uow), tr)
        [ticket] = uow.handoff.tickets.values()
        assert reason in ticket.reason and events == [ConversationPaused()]


async def test_lapsed_credential_handoff_reason_says_so() -> None:
    uow = FakeUnitOfWork([COMPLETE])
    await run(handoff_action(uow, LAPSED), tracker("handoff_conversation", linked_as=TRAINER))
    [ticket] = uow.handoff.tickets.values()
    assert "nasm-cpt past the one-year limit" in ticket.reason


async def test_cpr_provider_needing_confirmation_is_a_reason() -> None:
    card = CprAedCard("Joe's CPR Shack", date(2027, 1, 10), True, date(2025, 1, 10))
    uow = FakeUnitOfWork([record(ce=[approved("1.9")], cards=[card])])
    await run(handoff_action(uow), conversation(("user", "a person|ask_human")))
    [ticket] = uow.handoff.tickets.values()
    assert "CPR/AED provider needs confirmation" in ticket.reason


async def test_handoff_when_not_linked_has_no_trainer() -> None:
    uow = FakeUnitOfWork([COMPLETE])
    await run(handoff_action(uow), tracker("handoff_conversation"))
    [ticket] = uow.handoff.tickets.values()
    assert ticket.trainer_id is None and ticket.assessment == ""
    assert "chat not linked" in ticket.reason
    assert "Trainer: not linked to a record" in uow.relay.to(Audience.STAFF)[0].text


async def test_asking_twice_returns_the_open_ticket_and_posts_once() -> None:
    uow = FakeUnitOfWork([COMPLETE])
    action = handoff_action(uow)
    await run(action, tracker("handoff_conversation", linked_as=TRAINER))
    second, events = await run(action, tracker("handoff_conversation", linked_as=TRAINER))
    assert len(uow.handoff.tickets) == 1 and len(uow.relay.to(Audience.STAFF)) == 1
    assert text(second).startswith("Your conversation is already with our support staff: ticket #1.")
    assert ConversationPaused() in events


async def test_a_terminal_chat_is_not_promised_an_answer_in_the_chat() -> None:
    uow = FakeUnitOfWork([])
    d, _ = await run(handoff_action(uow), tracker("handoff_conversation", sender="terminal:local"))
    assert "answer you here" not in text(d) and "write to us on Telegram" in text(d)


async def test_session_start_keeps_a_handed_off_conversation_paused() -> None:
    uow = FakeUnitOfWork([])
    action = make_action(ActionSessionStart, uow, TODAY)
    _, events = await run(action, tracker())
    assert events == [SessionStarted(), ActionExecuted("action_listen")]
    service.open_ticket(uow, SENDER, None, "r", "t")
    _, events = await run(action, tracker())
    assert events == [SessionStarted(), ConversationPaused(), ActionExecuted("action_listen")]
    _, events = await run(make_action(ActionSessionStart, BrokenUnitOfWork([]), TODAY), tracker())
    assert events == [SessionStarted(), ActionExecuted("action_listen")]


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
