"""The real Telegram gateway, built in the test's own process, for the e2e tests that fake Rasa.

The gateway tests (polling, webhook, staff desk, reminder commands) each need the same wiring: settings
pointing at the fake Bot API, a :class:`RasaClient` over ``httpx.MockTransport`` (the test's scripted
Rasa), the relay, stored buttons and, where the test is about them, the staff desk and the reminder
switch. One builder keeps that wiring in one place, so a change to :class:`GatewayDeps` is made once
and every test exercises the same gateway ``recert up`` starts (``bot.channels.telegram.app``).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx

from bot.channels.rasa_client import RasaClient
from bot.channels.telegram.app import GatewayDeps, build_application
from bot.channels.telegram.buttons import StoredButtons
from bot.channels.telegram.context import GatewayApplication
from bot.channels.telegram.relay import LinkDirectory, Relay
from bot.channels.telegram.staff import StaffDeps
from bot.composition import conversation_log
from bot.handoff.conversations import RasaConversations
from bot.handoff.desk import StaffDesk
from bot.reminders.switch import ReminderSwitch
from bot.settings import Settings, load_settings
from bot.store.bootstrap import make_session_factory
from bot.store.unit_of_work import SqlAlchemyUnitOfWork
from rules.model import Credential, TrainerRecord
from tests.e2e.fake_telegram import FakeBotApi

Uows = Callable[[], SqlAlchemyUnitOfWork]
RasaHandler = Callable[[httpx.Request], Coroutine[None, None, httpx.Response]]
Stats = Callable[[], Awaitable[tuple[str, bytes | None]]]

DANA_SMITH = TrainerRecord("T-1001", name="Dana Smith", credentials=(
    Credential("nasm-cpt", date(2026, 3, 1), number="8812345"),))
LEE_JONES = TrainerRecord("T-1002", name="Lee Jones", credentials=(
    Credential("nasm-cpt", date(2026, 3, 1), number="8812345"),))


def seeded_store(path: Path, *records: TrainerRecord) -> Uows:
    """A migrated SQLite store at ``path`` holding ``records``; a fresh unit of work per call."""
    factory = make_session_factory(f"sqlite:///{path}")
    with SqlAlchemyUnitOfWork(factory) as uow:
        for record in records:
            uow.trainers.upsert(record)
        uow.commit()
    return lambda: SqlAlchemyUnitOfWork(factory)


def gateway_settings(api: FakeBotApi, var_dir: Path, secret: str, staff_chat_id: int | None = None) -> Settings:
    """The gateway's settings: the fake Bot API's token and address, the identity secret, the staff desk."""
    env = {
        "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
        "RECERT_VAR_DIR": str(var_dir), "RECERT_IDENTITY_SECRET": secret,
    }
    if staff_chat_id is not None:
        env["STAFF_CHAT_ID"] = str(staff_chat_id)
    return load_settings(env)


@dataclass(frozen=True)
class GatewayOptions:
    """What differs between the gateway tests; the defaults are the plain polling gateway's."""

    staff: bool = False  # install the staff desk (needs ``staff_chat_id`` in the settings)
    stats: Stats | None = None  # the staff desk's /stats
    reminders: bool = False  # install /stop, /startreminders
    retry_delays: tuple[float, ...] = (0.05,)
    typing_interval: float = 0.2


def build_gateway(
    settings: Settings, uows: Uows, rasa: RasaHandler, options: GatewayOptions = GatewayOptions()  # noqa: B008
) -> GatewayApplication:
    """The gateway application (not started) over the scripted Rasa ``rasa``."""
    client = RasaClient("http://rasa.test", "t", transport=httpx.MockTransport(rasa))
    relay = Relay(client, LinkDirectory(uows, conversation_log(settings)), settings.identity_secret,
                  retry_delays=options.retry_delays, typing_interval=options.typing_interval)
    staff = None
    if options.staff:
        staff = StaffDeps(StaffDesk(uows, RasaConversations(client)), settings.staff_chat_id, uows, rasa=client,
                          stats=options.stats, delivery_interval=0.05)
    deps = GatewayDeps(relay=relay, rasa=client, buttons=StoredButtons(uows), staff=staff,
                       reminders=ReminderSwitch(uows) if options.reminders else None)
    return build_application(settings, deps)


@contextlib.asynccontextmanager
async def running_gateway(
    settings: Settings, uows: Uows, rasa: RasaHandler, options: GatewayOptions = GatewayOptions()  # noqa: B008
) -> AsyncIterator[None]:
    """The gateway long-polling the fake Bot API for the block's duration, as ``run_polling`` runs it."""
    app = build_gateway(settings, uows, rasa, options)
    assert app.post_init and app.post_shutdown and app.updater  # build_application sets them
    async with app:
        await app.post_init(app)  # run_polling would call it
        await app.start()
        await app.updater.start_polling(timeout=1, poll_interval=0)
        try:
            yield
        finally:
            await app.updater.stop()
            await app.stop()
            await app.post_shutdown(app)
