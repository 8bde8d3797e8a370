"""``recert tickets list|show|reply|resolve`` on a real store (SQLite, and PostgreSQL when set)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

from bot.cli import main
from bot.commands import handoff as handoff_command
from bot.handoff import service
from bot.handoff.delivery import deliver_pending
from bot.handoff.model import Audience, Kind
from bot.store.unit_of_work import SqlAlchemyUnitOfWork
from tests.unit.handoff_fakes import FakeConversations, FakeNotifier

WHEN = datetime(2026, 11, 30, 14, 5, tzinfo=timezone.utc)


@pytest.fixture
def rasa(monkeypatch: pytest.MonkeyPatch, database_url: str) -> FakeConversations:
    monkeypatch.setenv("RECERT_DATABASE_URL", database_url)
    fake = FakeConversations()
    monkeypatch.setattr(handoff_command, "conversations", lambda settings: fake)
    return fake


def test_staff_list_show_reply_and_resolve(
    rasa: FakeConversations,
    uow_factory: Callable[[], SqlAlchemyUnitOfWork],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["tickets"]) == 0
    assert "No open tickets." in capsys.readouterr().out

    ticket = service.open_ticket(uow_factory(), "telegram:42", None, "asked for a person",
                                 "trainer: can I talk to someone\ntrainer: real <b>human</b> please", now=WHEN,
                                 assessment="NASM-CPT (standard plan): active")
    assert main(["tickets", "list"]) == 0
    out = capsys.readouterr().out
    assert f"#{ticket.id}  2026-11-30 14:05 UTC  telegram:42  trainer (not linked)" in out
    assert "    > trainer: real <b>human</b> please" in out

    assert main(["tickets", "reply", str(ticket.id), "--as", "Sam", "Hello", "from", "support"]) == 0
    assert "Queued your answer to ticket" in capsys.readouterr().out
    assert main(["tickets", "show", str(ticket.id)]) == 0
    out = capsys.readouterr().out
    assert "NASM-CPT (standard plan): active" in out
    assert "to trainer (waiting): Support staff: Hello from support" in out
    assert f"to staff   (waiting): #{ticket.id} answered by Sam: Hello from support" in out

    assert main(["tickets", "resolve", str(ticket.id), "--as", "Sam"]) == 0
    assert "Resolved ticket" in capsys.readouterr().out
    assert rasa.resumed == ["telegram:42"]
    assert main(["tickets"]) == 0
    assert "No open tickets." in capsys.readouterr().out
    assert main(["tickets", "reply", str(ticket.id), "more"]) == 1
    assert "is closed" in capsys.readouterr().err
    assert main(["close-ticket", "999"]) == 1
    assert "no handoff ticket #999" in capsys.readouterr().err


def test_resolve_with_rasa_down_keeps_the_ticket_open(
    monkeypatch: pytest.MonkeyPatch,
    rasa: FakeConversations,
    uow_factory: Callable[[], SqlAlchemyUnitOfWork],
    capsys: pytest.CaptureFixture[str],
) -> None:
    rasa.down = True
    ticket = service.open_ticket(uow_factory(), "telegram:42", None, "asked", "", now=WHEN)
    assert main(["tickets", "resolve", str(ticket.id)]) == 1
    assert "cannot reach Rasa" in capsys.readouterr().err
    assert [t.id for t in service.list_open_tickets(uow_factory())] == [ticket.id]


async def test_relay_queue_on_the_store_delivers_once_in_thread_order(
    uow_factory: Callable[[], SqlAlchemyUnitOfWork],
) -> None:
    ticket = service.open_ticket(uow_factory(), "telegram:42", None, "asked", "", now=WHEN)
    other = service.open_ticket(uow_factory(), "terminal:local", None, "asked", "", now=WHEN)
    service.relay_from_trainer(uow_factory(), "telegram:42", "still there?", WHEN)
    service.reply(uow_factory(), ticket.id, "yes", "Sam", WHEN)
    service.reply(uow_factory(), other.id, "not deliverable by telegram", "Sam", WHEN)
    notifier = FakeNotifier()
    notifier.fail_staff = 1  # the first post fails: its thread waits
    report = await deliver_pending(uow_factory, notifier)
    assert (report.delivered, report.failed) == (2, 1)  # other's ticket post, the trainer's answer
    assert notifier.trainers == [("telegram:42", "Support staff: yes")]
    later = datetime.now(timezone.utc) + timedelta(minutes=5)
    report = await deliver_pending(uow_factory, notifier, clock=lambda: later)
    assert report.delivered == 2
    texts = [text for text, _, _ in notifier.staff]
    assert texts[0].startswith(f"Ticket #{other.id}") and texts[1].startswith(f"Ticket #{ticket.id}")
    assert texts[2] == f"#{ticket.id} trainer: still there?"
    assert notifier.staff[2][1] == notifier.staff[1][2]  # a reply in the ticket's thread
    assert service.ticket_for_staff_message(uow_factory(), *notifier.staff[2][2]).id == ticket.id
    assert (await deliver_pending(uow_factory, notifier, clock=lambda: later + timedelta(hours=1))).delivered == 0
    with uow_factory() as uow:
        assert uow.relay.pending(Audience.TRAINER) == 1  # the terminal chat's answer waits
        assert [m.kind for m in uow.relay.thread(ticket.id)] == [Kind.TICKET, Kind.TRAINER, Kind.STAFF]
