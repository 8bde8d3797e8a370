"""The staff desk with fakes: staff hours, the relay queue and its delivery, reply and resolve."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.channels.rasa_client import RasaNotReached
from bot.errors import ConfigError
from bot.handoff import service, words
from bot.handoff.delivery import deliver_pending
from bot.handoff.desk import StaffDesk
from bot.handoff.errors import NotATicketMessage, TicketClosed, UnknownTicket
from bot.handoff.hours import parse_staff_hours
from bot.handoff.model import Audience, Kind
from tests.unit.handoff_fakes import FakeConversations, FakeHandoffUow, FakeNotifier

NOW = datetime(2026, 3, 9, 18, 0, tzinfo=timezone.utc)
SENDER = "telegram:4242"


# --- staff hours --------------------------------------------------------------------------


def test_staff_hours_open_closed_and_next_opening() -> None:
    hours = parse_staff_hours("Mon-Fri 09:00-17:00 America/Chicago")
    assert hours.is_open(datetime(2026, 3, 9, 14, 0, tzinfo=timezone.utc))  # Mon 09:00 CDT
    assert not hours.is_open(datetime(2026, 3, 9, 13, 59, tzinfo=timezone.utc))
    assert not hours.is_open(datetime(2026, 3, 9, 22, 0, tzinfo=timezone.utc))  # Mon 17:00 CDT
    saturday = datetime(2026, 3, 14, 15, 0, tzinfo=timezone.utc)
    assert not hours.is_open(saturday)
    assert hours.next_opening(saturday).isoformat() == "2026-03-16T09:00:00-05:00"
    assert hours.next_opening(datetime(2026, 3, 10, 3, 0, tzinfo=timezone.utc)).isoformat() == "2026-03-10T09:00:00-05:00"
    assert hours.describe() == "Monday to Friday, 09:00 to 17:00 (America/Chicago time)"


def test_staff_hours_day_lists_wrap_and_errors() -> None:
    hours = parse_staff_hours("Sat-Mon,Wed 10:30-14:00 Europe/Berlin")
    assert hours.days == frozenset({5, 6, 0, 2})
    for bad in ("weekdays 9-5", "Mon-Fri 17:00-09:00 UTC", "Mon-Fri 09:00-17:00 Mars/Olympus", "Xyz 09:00-17:00 UTC", ""):
        with pytest.raises(ConfigError):
            parse_staff_hours(bad)


# --- the relay queue and its delivery -----------------------------------------------------


def open_one(uow: FakeHandoffUow, sender: str = SENDER) -> int:
    ticket, created = service.hand_off(uow, sender, None, "asked for a person", "trainer: hi", now=NOW)
    assert created
    return ticket.id


async def test_ticket_then_trainer_messages_go_to_one_staff_thread_in_order() -> None:
    uow, notifier = FakeHandoffUow(), FakeNotifier()
    ticket_id = open_one(uow)
    assert service.relay_from_trainer(uow, SENDER, "<b>are you there?</b> *bold* https://evil.example", NOW)
    assert service.relay_from_trainer(uow, "telegram:1", "no ticket", NOW) is None
    report = await deliver_pending(lambda: uow, notifier)
    assert (report.delivered, report.failed) == (2, 0)
    (post, root, posted), (message, reply_to, _) = notifier.staff
    assert post.startswith(f"Ticket #{ticket_id} from {SENDER}") and root is None
    assert message == f"#{ticket_id} trainer: <b>are you there?</b> *bold* https://evil.example"
    assert reply_to == posted  # in the ticket's thread
    assert service.ticket_for_staff_message(uow, *posted).id == ticket_id
    assert (await deliver_pending(lambda: uow, notifier)).delivered == 0  # delivered once


async def test_a_failed_post_is_kept_and_the_thread_waits_behind_it() -> None:
    uow, notifier = FakeHandoffUow(), FakeNotifier()
    open_one(uow)
    service.relay_from_trainer(uow, SENDER, "hello?", NOW)
    notifier.fail_staff = 1
    report = await deliver_pending(lambda: uow, notifier)
    assert (report.delivered, report.failed) == (0, 1) and notifier.staff == []
    # a claim that was never marked delivered is taken again once stale (a restarted gateway)
    later = datetime.now(timezone.utc).replace(year=2099)
    report = await deliver_pending(lambda: uow, notifier, clock=lambda: later)
    assert report.delivered == 2 and [t.split(" ")[0] for t, _, _ in notifier.staff] == ["Ticket", "#1"]


async def test_no_staff_desk_keeps_staff_posts_waiting() -> None:
    uow, notifier = FakeHandoffUow(), FakeNotifier(staff_desk=False)
    open_one(uow)
    assert (await deliver_pending(lambda: uow, notifier)).delivered == 0
    assert uow.relay.pending(Audience.STAFF) == 1


async def test_reply_reaches_the_trainer_and_resolve_resumes_then_tells() -> None:
    uow, notifier, rasa = FakeHandoffUow(), FakeNotifier(), FakeConversations()
    desk = StaffDesk(lambda: uow, rasa, clock=lambda: NOW)
    ticket_id = open_one(uow)
    await desk.reply(ticket_id, "Hi, I'm Sam from support: <i>checking</i>", "Sam")
    await desk.reply(ticket_id, "From the terminal", "sam (command line)", echo_to_staff=True)
    await deliver_pending(lambda: uow, notifier)
    assert notifier.trainers == [
        (SENDER, "Support staff: Hi, I'm Sam from support: <i>checking</i>"),
        (SENDER, "Support staff: From the terminal"),
    ]
    assert notifier.staff[-1][0] == f"#{ticket_id} answered by sam (command line): From the terminal"

    closed = await desk.resolve(ticket_id, "Sam")
    assert not closed.open and rasa.resumed == [SENDER]
    await deliver_pending(lambda: uow, notifier)
    assert notifier.trainers[-1] == (SENDER, words.resolved(ticket_id))
    assert notifier.staff[-1][0] == f"#{ticket_id} resolved by Sam: the assistant answers this trainer again."
    # resolving again changes nothing and tells no one twice
    await desk.resolve(ticket_id, "Sam")
    assert rasa.resumed == [SENDER] and uow.relay.pending() == 0
    with pytest.raises(TicketClosed):
        await desk.reply(ticket_id, "too late", "Sam")
    # a trainer who writes to a resolved ticket talks to the assistant
    assert await desk.from_trainer(SENDER, "thanks!") is None


async def test_resolve_keeps_the_ticket_open_when_rasa_is_down() -> None:
    uow = FakeHandoffUow()
    desk = StaffDesk(lambda: uow, FakeConversations(down=True), clock=lambda: NOW)
    ticket_id = open_one(uow)
    with pytest.raises(RasaNotReached):
        await desk.resolve(ticket_id, "Sam")
    ticket = uow.handoff.get(ticket_id)
    assert ticket is not None and ticket.open
    assert uow.fake_relay.to(Audience.TRAINER) == []


async def test_unknown_ticket_and_stray_replies() -> None:
    uow = FakeHandoffUow()
    desk = StaffDesk(lambda: uow, FakeConversations(), clock=lambda: NOW)
    with pytest.raises(UnknownTicket):
        await desk.reply(9, "hello", "Sam")
    with pytest.raises(NotATicketMessage):
        await desk.ticket_for_staff_message("-100900", "1")
    assert await desk.ask("how much is the late fee?") == ["I can answer that."]


def test_ticket_post_is_cut_to_telegram_length_keeping_head_and_tail() -> None:
    uow = FakeHandoffUow()
    ticket, _ = service.hand_off(uow, SENDER, None, "asked", "trainer: " + "y" * 5000, now=NOW)
    post = uow.fake_relay.to(Audience.STAFF)[0]
    assert post.kind is Kind.TICKET and len(post.text) <= 4096
    assert post.text.startswith(f"Ticket #{ticket.id}") and post.text.endswith("/resolve as a reply closes the ticket.")
