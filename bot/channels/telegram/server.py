"""The gateway's loopback HTTP side (``RECERT_GATEWAY_PORT``) and the two ways to run the gateway.

Both modes serve ``GET /health``: 200 with ``{"ok": true, ...}`` only when the record store
answers, Rasa answers with a model loaded, and the mode's loop is alive (the poller running, or
the webhook registered with Telegram and the :class:`~bot.channels.telegram.inbox.InboxWorker`
going round); 503 with the failing checks named otherwise. ``recert up`` and ``recert status``
ask it, a balancer can too.

- :func:`serve_polling`: python-telegram-bot's long polling (one instance only: Telegram gives
  updates to one poller), plus the health route.
- :func:`serve_webhook`: the webhook route (``TELEGRAM_WEBHOOK_URL``'s path) stores each update
  before it answers Telegram, and the inbox worker handles them per chat in order; any number
  of instances may run behind one balancer. ``setWebhook`` is called at start; the webhook is
  never deleted (another instance may still serve it).

SIGTERM/SIGINT stop either mode cleanly: the webhook stops taking updates first, then what this
instance acknowledged is handled (:meth:`InboxWorker.drain`) before the process exits.

python-telegram-bot's own webhook server needs tornado, which is not installed beside Rasa;
aiohttp (Rasa's dependency) serves these routes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.error import TelegramError

from bot.channels.rasa_client import RasaClient
from bot.channels.telegram.context import GatewayApplication
from bot.channels.telegram.inbox import InboxWorker, UpdateInbox, instance_name
from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.composition import UowFactory

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/health"
DRAIN_SECONDS = 8.0  # `recert down` allows a part 10 s before SIGKILL
MAX_BODY = 1024 * 1024

Check = Callable[[], Awaitable[bool]]
Accept = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class WebhookOptions:
    url: str  # the public HTTPS URL Telegram posts to (its path is the route served here)
    secret_token: str  # 1-256 characters of A-Z a-z 0-9 _ -
    listen: str = "127.0.0.1"
    port: int = 8443

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"


# --- health ----------------------------------------------------------------------------------


@dataclass
class Health:
    """What ``GET /health`` checks: each named check must pass for a 200."""

    mode: str
    checks: dict[str, Check] = field(default_factory=dict)
    timeout: float = 3.0

    async def report(self) -> tuple[bool, dict[str, Any]]:
        names = list(self.checks)
        results = await asyncio.gather(*(self._run(self.checks[name]) for name in names))
        body: dict[str, Any] = {"mode": self.mode, **dict(zip(names, results, strict=True))}
        body["ok"] = all(results)
        return body["ok"], body

    async def _run(self, check: Check) -> bool:
        try:
            return await asyncio.wait_for(check(), self.timeout)
        except Exception:  # a check that fails or hangs counts as failed
            return False


def store_check(uow_factory: UowFactory) -> Check:
    def ping() -> bool:
        with uow_factory() as uow:
            return uow.telegram_updates.ping()

    async def check() -> bool:
        return await asyncio.to_thread(ping)

    return check


def rasa_check(rasa: RasaClient) -> Check:
    return rasa.is_ready


def flag_check(flag: Callable[[], bool]) -> Check:
    async def check() -> bool:
        return flag()

    return check


# --- the HTTP app ----------------------------------------------------------------------------


def http_app(health: Health, webhook: tuple[str, str, Accept, Any] | None = None) -> web.Application:
    """``GET /health``, and with ``webhook = (secret, path, accept, bot)`` the webhook route.

    The webhook answers 403 without the secret, 400 for a body that is not one Telegram update
    (never a 500 or a traceback, whatever the body), 413 over 1 MiB, 503 when the update could
    not be stored (Telegram sends it again), and 200 once ``accept`` returned.
    """

    async def on_health(_request: web.Request) -> web.Response:
        ok, body = await health.report()
        return web.json_response(body, status=200 if ok else 503)

    app = web.Application(client_max_size=MAX_BODY)
    app.router.add_get(HEALTH_PATH, on_health)
    if webhook is not None:
        secret, path, accept, bot = webhook
        app.router.add_post(path, webhook_handler(secret, accept, bot))
    return app


def webhook_handler(secret_token: str, accept: Accept, bot: Any) -> Callable[[web.Request], Awaitable[web.Response]]:
    expected = secret_token.encode("utf-8")

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, expected):
            return web.Response(status=403)
        try:
            data = json.loads(await request.read())
        except ValueError:  # not JSON, or not UTF-8
            return web.Response(status=400)
        if update_from_json(data, bot) is None:
            return web.Response(status=400)
        try:
            await accept(data)
        except Exception:
            logger.exception("could not store a Telegram update; Telegram will send it again")
            return web.Response(status=503)
        return web.Response(status=200)

    return receive


def update_from_json(data: Any, bot: Any) -> Update | None:
    """The update in a decoded webhook body; None for anything else."""
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:
        return None
    try:
        return Update.de_json(data, bot)
    except Exception:  # python-telegram-bot raises whatever a malformed field leads to
        logger.info("refused a malformed update")
        return None


async def start_site(app: web.Application, listen: str, port: int) -> web.AppRunner:
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        await web.TCPSite(runner, listen, port).start()
    except OSError as exc:
        await runner.cleanup()
        raise ConfigError(
            f"the gateway cannot listen on {listen}:{port} ({exc.strerror}); stop what uses the port "
            "or set RECERT_GATEWAY_PORT to a free one"
        ) from None
    return runner


def stop_event() -> asyncio.Event:
    """Set on SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


# --- the two modes ---------------------------------------------------------------------------


async def _start(application: GatewayApplication) -> None:
    """What ``Application.run_*`` does before serving: initialise, ``post_init``."""
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)


async def _finish(application: GatewayApplication) -> None:
    if application.running:
        await application.stop()
    if application.post_stop is not None:
        await application.post_stop(application)
    await application.shutdown()
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


async def serve_polling(
    application: GatewayApplication, health_checks: dict[str, Check], listen: str, port: int,
    stop: asyncio.Event | None = None,
) -> None:
    """Long polling until ``stop`` (default: SIGTERM/SIGINT); the health route on ``listen:port``."""
    stop = stop or stop_event()
    updater = application.updater
    assert updater is not None
    health = Health("polling", {**health_checks, "poller": flag_check(lambda: updater.running)})
    runner = await start_site(http_app(health), listen, port)
    try:
        await _start(application)
        # python-telegram-bot deletes any webhook here: polling runs only without TELEGRAM_WEBHOOK_URL
        await updater.start_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=-1)
        await application.start()
        logger.info("polling Telegram; health on %s:%s%s", listen, port, HEALTH_PATH)
        await stop.wait()
    finally:
        await runner.cleanup()
        if updater.running:
            await updater.stop()
        await _finish(application)  # stop() handles what was already fetched


async def serve_webhook(
    application: GatewayApplication,
    options: WebhookOptions,
    uow_factory: UowFactory,
    health_checks: dict[str, Check],
    stop: asyncio.Event | None = None,
    *,
    worker_options: dict[str, Any] | None = None,
    drain_seconds: float = DRAIN_SECONDS,
) -> None:
    """Serve the webhook until ``stop``, then drain what was acknowledged (see the module doc)."""
    if not (1 <= len(options.secret_token) <= 256):
        raise ConfigError("the webhook secret token must be 1-256 characters")
    stop = stop or stop_event()
    inbox = UpdateInbox(uow_factory, instance_name())

    async def handle(data: dict[str, Any]) -> None:
        update = Update.de_json(data, application.bot)
        if update is not None:
            await application.process_update(update)  # handler errors go to the error handler

    worker = InboxWorker(inbox, handle, **(worker_options or {}))

    async def accept(data: dict[str, Any]) -> None:
        if await inbox.accept(data):
            worker.wake()

    registered = asyncio.Event()
    health = Health("webhook", {
        **health_checks,
        "webhook": flag_check(registered.is_set),
        "inbox": flag_check(worker.alive),
    })
    await _start(application)
    runner: web.AppRunner | None = None
    worker_task = asyncio.create_task(worker.run(), name="telegram-inbox")
    try:
        await application.start()
        runner = await start_site(
            http_app(health, (options.secret_token, options.path, accept, application.bot)),
            options.listen, options.port,
        )
        logger.info("webhook listening on %s:%s%s", options.listen, options.port, options.path)
        register = asyncio.create_task(_register_webhook(application, options, registered))
        await stop.wait()
        register.cancel()
        # No new updates from here on; what was acknowledged is handled before exit.
        await runner.cleanup()
        runner = None
        if not await worker.drain(drain_seconds):
            logger.warning("stopping with acknowledged updates still stored; the next gateway handles them")
    finally:
        if runner is not None:
            await runner.cleanup()
        worker_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker_task
        await _finish(application)


async def _register_webhook(application: GatewayApplication, options: WebhookOptions, done: asyncio.Event) -> None:
    """``setWebhook`` with the secret, retried until Telegram accepts it."""
    delay = 1.0
    while True:
        try:
            await application.bot.set_webhook(
                options.url, secret_token=options.secret_token, allowed_updates=Update.ALL_TYPES
            )
            done.set()
            logger.info("webhook registered with Telegram")
            return
        except TelegramError as exc:
            logger.warning("setWebhook failed (%s); trying again in %.0f s", exc, delay)
        await asyncio.sleep(delay)
        delay = min(delay * 2, 60.0)
