"""A real crash between claim and mark: ``recert remind`` as a subprocess is killed (SIGKILL) while
its sendMessage request is in flight, then the next passes repair it as docs/reminders.md says.

The Bot API is the fake of ``tests/e2e/fake_telegram.py`` that holds every sendMessage open (the
request has reached "Telegram", the answer has not come back); Rasa is a small fake HTTP server
answering ``trigger_intent`` like ``action_send_reminder``. The store is a SQLite file, so the
killed pass also held the single-writer lock file: the kill releases it (an ``flock`` dies with its
process). Nothing in the production code knows about this test: the pass is killed from outside,
and time passing is the claim growing older in the store.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import select, update

from bot.settings import PROJECT_ROOT
from bot.store.bootstrap import make_session_factory
from bot.store.models import ReminderDeliveryRow
from bot.store.unit_of_work import SqlAlchemyUnitOfWork
from tests.e2e.fake_telegram import FakeBotApi
from tests.e2e.loopback import LoopbackServer
from tests.integration.test_reminders_pass import NOW, add, trainer

USER_ID = 1001  # the Telegram account add() links to T-1
TEXT = "Reminder: your NASM Certified Personal Trainer certification expires on March 1, 2026 (in 30 days)."


class HoldingBotApi(FakeBotApi):
    """Records every sendMessage as it arrives (Telegram has it: the trainer may see it); while
    ``hold`` is set a request is kept open and never answered (its client is killed meanwhile)."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: list[dict[str, Any]] = []
        self.in_flight = threading.Event()
        self.hold = True

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        self.arrived.append(params)
        if self.hold:
            self.in_flight.set()
            while self.hold:
                await asyncio.sleep(0.02)
            raise web.HTTPGone()  # its client died waiting: never answered, not in ``calls``
        return await super()._api_sendMessage(params)


class FakeRasaServer(LoopbackServer):
    """``POST /conversations/<sender>/trigger_intent`` answered with one reminder message."""

    def __init__(self) -> None:
        super().__init__()
        self.triggered: list[tuple[str, dict[str, Any]]] = []

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post("/conversations/{sender}/trigger_intent", self._trigger)

    async def _trigger(self, request: web.Request) -> web.Response:
        sender = request.match_info["sender"]
        body = await request.json()
        self.triggered.append((sender, body))
        message = {"recipient_id": sender, "text": TEXT,
                   "buttons": [{"title": "Add my deadlines to my calendar", "payload": "/add_to_calendar"}]}
        return web.json_response({"tracker": {"sender_id": sender}, "messages": [message]})


@pytest.fixture
def store(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'recert.sqlite3'}"
    factory = make_session_factory(url)
    add(lambda: SqlAlchemyUnitOfWork(factory), trainer("T-1"))  # -30d due at NOW, linked to 1001
    factory.kw["bind"].dispose()
    yield url


def env_for(url: str, tmp_path: Path, api: FakeBotApi, rasa: FakeRasaServer) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECERT_", "TELEGRAM_"))}
    env.update(
        RECERT_DATABASE_URL=url, RECERT_VAR_DIR=str(tmp_path / "var"),
        RECERT_RASA_URL=f"http://127.0.0.1:{rasa.port}", RECERT_RASA_TOKEN="crash-test-rasa-token",
        RECERT_IDENTITY_SECRET="crash-test-identity-secret",
        TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_API_BASE_URL=api.base_url,
    )
    return env


def remind(env: dict[str, str], now: datetime) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "remind", "--now", now.isoformat()],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def deliveries(url: str) -> list[tuple[str, str, int, str]]:
    factory = make_session_factory(url, migrate=False)
    with SqlAlchemyUnitOfWork(factory) as uow:
        rows = [(d.milestone, d.state, d.attempts, d.channel) for d in uow.reminders.history("T-1")]
    factory.kw["bind"].dispose()
    return rows


def age_claims(url: str, by: timedelta) -> None:
    """Time passes: every claim is ``by`` older (the pass compares claimed_at with the real clock)."""
    factory = make_session_factory(url, migrate=False)
    with SqlAlchemyUnitOfWork(factory) as uow:
        table = ReminderDeliveryRow.__table__
        for row_id, claimed_at in uow.session.execute(select(table.c.id, table.c.claimed_at)).all():
            uow.session.execute(update(table).where(table.c.id == row_id).values(claimed_at=claimed_at - by))
        uow.commit()
    factory.kw["bind"].dispose()


def test_a_pass_killed_while_sending_is_repaired_by_a_later_pass(store: str, tmp_path: Path) -> None:
    with HoldingBotApi() as api, FakeRasaServer() as rasa:
        env = env_for(store, tmp_path, api, rasa)
        pass_now = NOW  # 09:00 in Chicago on E - 30 days: the -30d reminder is due and inside the window
        first = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "remind", "--now", pass_now.isoformat()],
            cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            assert api.in_flight.wait(90), "the pass never sent its reminder"
            # in flight: claimed (and committed) before the send, not yet marked
            assert deliveries(store) == [("-30d", "claimed", 1, "telegram")]
            first.send_signal(signal.SIGKILL)
            first.wait(30)
        finally:
            if first.poll() is None:
                first.kill()
        assert first.returncode == -signal.SIGKILL
        assert [s for s, _ in rasa.triggered] == ["telegram:1001"]  # the assistant worded it once
        assert len(api.arrived) == 1 and api.messages(USER_ID) == []  # reached Telegram, never answered
        assert deliveries(store) == [("-30d", "claimed", 1, "telegram")]  # the crash left the claim
        api.hold = False

        # a pass soon after leaves the claim alone (its worker could still be sending): nothing twice
        soon = remind(env, pass_now + timedelta(minutes=2))
        assert soon.returncode == 0, soon.stderr
        assert "0 sent" in soon.stderr and "1 already handled" in soon.stderr
        assert len(api.arrived) == 1 and deliveries(store) == [("-30d", "claimed", 1, "telegram")]

        # once the claim is older than CLAIM_TIMEOUT (10 minutes) the next pass takes it over: not lost
        age_claims(store, timedelta(minutes=11))
        later = remind(env, pass_now + timedelta(minutes=11))
        assert later.returncode == 0, later.stderr
        assert "1 sent" in later.stderr and "1 repaired from an interrupted run" in later.stderr
        assert deliveries(store) == [("-30d", "sent", 2, "telegram")]
        (delivered,) = api.messages(USER_ID)
        assert delivered.text == TEXT and delivered.buttons[0][0] == "Add my deadlines to my calendar"

        # The documented duplicate: the killed pass's request had reached Telegram, so this trainer
        # may get the reminder twice (at least once, never lost; docs/reminders.md). It is the only
        # second copy: a further pass sends nothing.
        assert [int(p["chat_id"]) for p in api.arrived] == [USER_ID, USER_ID]
        again = remind(env, pass_now + timedelta(minutes=30))
        assert again.returncode == 0 and "0 sent" in again.stderr
        assert len(api.arrived) == 2 and deliveries(store) == [("-30d", "sent", 2, "telegram")]
