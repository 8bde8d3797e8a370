"""Webhook mode: only requests with Telegram's secret token header are accepted."""

from __future__ import annotations

from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.channels.telegram.app import GatewayDeps, build_application
from bot.channels.telegram.relay import Relay
from bot.channels.telegram.server import SECRET_HEADER, Health, http_app
from bot.settings import load_settings
from tests.unit.test_telegram_relay import FakeLinks, FakeRasa

UPDATE = {
    "update_id": 10,
    "message": {"message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"},
                "from": {"id": 42, "is_bot": False, "first_name": "Dana"}, "text": "hi"},
}


async def test_secret_token_is_required(tmp_path: Path) -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": "1:x", "RECERT_VAR_DIR": str(tmp_path)})
    relay = Relay(FakeRasa(), FakeLinks(), "k")  # never reached: the requests here stop at the secret token
    application = build_application(settings, GatewayDeps(relay=relay))
    accepted: list[dict[str, object]] = []

    async def accept(data: dict[str, object]) -> None:
        accepted.append(data)

    app = http_app(Health("webhook"), ("s3cret", "/telegram", accept, application.bot))
    async with TestClient(TestServer(app)) as client:
        assert (await client.post("/telegram", json=UPDATE)).status == 403
        assert (await client.post("/telegram", json=UPDATE, headers={SECRET_HEADER: "wrong"})).status == 403
        assert accepted == []
        bad = await client.post("/telegram", data=b"not json", headers={SECRET_HEADER: "s3cret"})
        assert bad.status == 400
        ok = await client.post("/telegram", json=UPDATE, headers={SECRET_HEADER: "s3cret"})
        assert ok.status == 200
    assert accepted == [UPDATE]
