"""The Rasa client logs one line per request: route, conversation, latency, outcome; never the token."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from bot import logs
from bot.channels.rasa_client import RasaClient, RasaNotReached, RasaTimeout
from bot.settings import load_settings
from tests.log_support import json_lines, restored_root_logging

TOKEN = "rasa-token-0123456789abcdef"


def reply(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/webhooks/rest/webhook":
        return httpx.Response(200, json=[{"text": "Hi Dana"}])
    return httpx.Response(200, json={"messages": []})


async def test_a_message_is_logged_with_its_conversation_latency_and_outcome(caplog):
    caplog.set_level(logging.INFO, logger="bot.channels.rasa_client")
    async with RasaClient("http://rasa", TOKEN, transport=httpx.MockTransport(reply)) as rasa:
        await rasa.send_message("telegram:4242", "am I late?")
        await rasa.trigger_intent("telegram:4242", "EXTERNAL_reminder")

    first, second = caplog.records
    assert first.getMessage() == "rasa POST /webhooks/rest/webhook: ok"
    assert first.conversation == "telegram:4242"  # hashed by bot.logs' filter on the way out
    assert first.outcome == "ok" and first.latency_ms >= 0
    # the conversation id never appears in the route of a line
    assert second.getMessage() == "rasa POST /conversations/<id>/trigger_intent: ok"
    assert "am I late" not in caplog.text and TOKEN not in caplog.text


@pytest.mark.parametrize(
    ("error", "raised", "outcome"),
    [(httpx.ConnectError("refused"), RasaNotReached, "not_reached"), (httpx.ReadTimeout("slow"), RasaTimeout, "timeout")],
)
async def test_a_failure_is_logged_with_its_outcome(caplog, error, raised, outcome):
    def fail(request: httpx.Request) -> httpx.Response:
        raise error

    caplog.set_level(logging.INFO, logger="bot.channels.rasa_client")
    async with RasaClient("http://rasa", TOKEN, transport=httpx.MockTransport(fail)) as rasa:
        with pytest.raises(raised):
            await rasa.send_message("telegram:7", "hi")
    [record] = caplog.records
    assert record.outcome == outcome


async def test_through_the_json_log_the_line_holds_a_hash_not_the_sender(tmp_path: Path):
    settings = load_settings({"RECERT_VAR_DIR": str(tmp_path), "RECERT_RASA_TOKEN": TOKEN})
    with restored_root_logging():
        path = logs.configure("gateway", settings, stderr=False)
        async with RasaClient("http://rasa", TOKEN, transport=httpx.MockTransport(reply)) as rasa:
            await rasa.send_message("telegram:4242", "am I late?")
    [line] = json_lines(path)
    assert line["conversation"] == logs.conversation_hash("telegram:4242", logs.hash_key(settings))
    assert set(line) >= {"timestamp", "level", "part", "message", "conversation", "latency_ms", "outcome"}
    assert "4242" not in path.read_text()
