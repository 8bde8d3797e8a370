"""``recert tickets`` / ``recert close-ticket``: staff see and close the conversations handed to them."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

import pytest

from bot.cli import main
from bot.handoff.service import open_ticket
from bot.store.unit_of_work import SqlAlchemyUnitOfWork


def test_staff_list_and_close_tickets(
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    uow_factory: Callable[[], SqlAlchemyUnitOfWork],
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("RECERT_DATABASE_URL", database_url)
    assert main(["tickets"]) == 0
    assert "No open tickets." in capsys.readouterr().out

    when = datetime(2026, 11, 30, 14, 5, tzinfo=timezone.utc)
    ticket = open_ticket(uow_factory(), "telegram:42", None, "asked for a person",
                         "can I talk to someone\nreal human please", now=when)
    assert main(["tickets"]) == 0
    out = capsys.readouterr().out
    assert f"#{ticket.id}  2026-11-30 14:05 UTC  telegram:42  trainer (not linked)" in out
    assert "    > real human please" in out

    assert main(["close-ticket", str(ticket.id)]) == 0
    assert f"Closed ticket #{ticket.id} (telegram:42)." in capsys.readouterr().out
    assert main(["tickets"]) == 0
    assert "No open tickets." in capsys.readouterr().out
    assert main(["close-ticket", "999"]) == 1
    assert "no handoff ticket #999" in capsys.readouterr().err
