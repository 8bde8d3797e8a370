"""Webhook settings that say what to fix, and the readiness `recert up`/`status` read from the gateway."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from aiohttp import web

from bot.errors import ConfigError
from bot.settings import Settings, load_settings, webhook_secret
from bot.stack import processes, supervisor

BASE = {"TELEGRAM_BOT_TOKEN": "1:x", "RECERT_IDENTITY_SECRET": "i" * 32, "RECERT_RASA_TOKEN": "r" * 32}


def test_webhook_url_must_be_https() -> None:
    assert load_settings({}).telegram_webhook_url is None
    url = "https://bot.example.com/telegram"
    assert load_settings({"TELEGRAM_WEBHOOK_URL": url}).telegram_webhook_url == url
    for bad in ("http://bot.example.com/telegram", "bot.example.com", "https://"):
        with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_URL must be the webhook's public HTTPS address"):
            load_settings({"TELEGRAM_WEBHOOK_URL": bad})


def test_gateway_port_setting() -> None:
    assert load_settings({}).gateway_port == 8443
    assert load_settings({"RECERT_GATEWAY_PORT": "9001"}).gateway_port == 9001
    with pytest.raises(ConfigError, match="RECERT_GATEWAY_PORT must be a TCP port number"):
        load_settings({"RECERT_GATEWAY_PORT": "http"})


def test_the_secret_file_is_required_readable_and_a_valid_token(tmp_path: Path) -> None:
    url = {"TELEGRAM_WEBHOOK_URL": "https://bot.example.com/telegram"}
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET_FILE is not: create one with `openssl rand"):
        webhook_secret(load_settings(url))
    missing = tmp_path / "nope"
    with pytest.raises(ConfigError, match=f"cannot read {missing}"):
        webhook_secret(load_settings({**url, "TELEGRAM_WEBHOOK_SECRET_FILE": str(missing)}))
    bad = tmp_path / "bad"
    for content in ("", "has space", "ünïcode", "x" * 257):
        bad.write_text(content)
        with pytest.raises(ConfigError, match="must hold 1-256 characters of A-Z a-z 0-9 _ -"):
            webhook_secret(load_settings({**url, "TELEGRAM_WEBHOOK_SECRET_FILE": str(bad)}))
    good = tmp_path / "good"
    good.write_text("abc_DEF-123\n")
    assert webhook_secret(load_settings({**url, "TELEGRAM_WEBHOOK_SECRET_FILE": str(good)})) == "abc_DEF-123"


def test_recert_up_refuses_a_webhook_without_its_secret_before_starting_anything(tmp_path: Path) -> None:
    settings = load_settings({**BASE, "RECERT_VAR_DIR": str(tmp_path), "TELEGRAM_WEBHOOK_URL": "https://b.test/t"})
    migrated: list[object] = []
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET_FILE"):
        supervisor.up(settings, supervisor.Paths.for_settings(settings), migrate=migrated.append)
    assert migrated == [] and not (tmp_path / "run").exists()


def test_the_webhook_settings_reach_the_gateway(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    settings = load_settings({**BASE, "TELEGRAM_WEBHOOK_URL": "https://b.test/t",
                              "TELEGRAM_WEBHOOK_SECRET_FILE": str(secret), "RECERT_GATEWAY_PORT": "9100"})
    env = supervisor.child_env(settings, {})
    assert env["TELEGRAM_WEBHOOK_URL"] == "https://b.test/t"
    assert env["TELEGRAM_WEBHOOK_SECRET_FILE"] == str(secret.resolve())
    assert env["RECERT_GATEWAY_PORT"] == "9100"


class HealthServer:
    """A stand-in gateway answering GET /health with a fixed status and body, in a thread."""

    def __init__(self, status: int, body: dict[str, object]) -> None:
        self.status, self.body = status, body
        self.port = processes.free_port()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        async def health(_request: web.Request) -> web.Response:
            return web.json_response(self.body, status=self.status)

        app = web.Application()
        app.router.add_get("/health", health)
        runner = web.AppRunner(app)
        self._loop.run_until_complete(runner.setup())
        self._loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(runner.cleanup())

    def __enter__(self) -> HealthServer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)


@pytest.fixture
def settings_on(tmp_path: Path) -> Callable[[int], Settings]:
    return lambda port: load_settings({**BASE, "RECERT_VAR_DIR": str(tmp_path), "RECERT_GATEWAY_PORT": str(port)})


def test_gateway_health_states(settings_on: Callable[[int], Settings]) -> None:
    assert supervisor.gateway_health(settings_on(processes.free_port())) == ("starting", "")
    with HealthServer(200, {"mode": "webhook", "store": True, "rasa": True, "ok": True}) as server:
        assert supervisor.gateway_health(settings_on(server.port)) == ("up", "webhook")
    with HealthServer(503, {"mode": "polling", "store": True, "rasa": False, "poller": False, "ok": False}) as server:
        assert supervisor.gateway_health(settings_on(server.port)) == ("unhealthy", "failing: poller, rasa")
    with HealthServer(200, {"ok": False}) as server:  # never "up" without ok
        assert supervisor.gateway_health(settings_on(server.port))[0] == "unhealthy"


async def test_a_taken_port_says_what_to_do() -> None:
    import socket

    from bot.channels.telegram.server import Health, http_app, start_site

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=f"cannot listen on 127.0.0.1:{port} .*set RECERT_GATEWAY_PORT"):
            await start_site(http_app(Health("polling")), "127.0.0.1", port)
