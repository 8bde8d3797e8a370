"""RasaClient over httpx.MockTransport: requests it sends, replies and errors it returns."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import httpx
import pytest

from bot.channels.rasa_client import (
    BotReply,
    Button,
    RasaAuthError,
    RasaClient,
    RasaFailed,
    RasaNotReached,
    RasaProtocolError,
    RasaTimeout,
    RasaUnavailable,
)
from bot.channels.terminal import TerminalChat, format_replies, terminal_sender
from bot.errors import BotError


def client_for(handler: Any, token: str | None = "s3cret") -> RasaClient:
    return RasaClient("http://rasa.test", token, transport=httpx.MockTransport(handler))


async def test_send_message_posts_sender_message_metadata_and_token() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            json=[
                {"recipient_id": "terminal:T-1", "text": "Hello"},
                {
                    "recipient_id": "terminal:T-1",
                    "text": "Pick one",
                    "buttons": [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}],
                },
                {"recipient_id": "terminal:T-1", "image": "https://img.test/a.png"},
            ],
        )

    async with client_for(handler) as client:
        replies = await client.send_message("terminal:T-1", "hi", {"identity": {"x": 1}})

    request = seen[0]
    assert request.method == "POST"
    assert request.url.path == "/webhooks/rest/webhook"
    assert request.url.params["token"] == "s3cret"
    body = json.loads(request.content)
    delivery_id = body["metadata"].pop("message_id")
    assert re.fullmatch(r"[0-9a-f]{32}", delivery_id)
    assert body == {
        "sender": "terminal:T-1",
        "message": "hi",
        "metadata": {"identity": {"x": 1}},
    }
    assert replies == [
        BotReply(text="Hello"),
        BotReply(text="Pick one", buttons=(Button("Yes", "/affirm"), Button("No", "/deny"))),
        BotReply(image="https://img.test/a.png"),
    ]


async def test_only_a_delivery_id_without_metadata_and_no_token_param_without_token() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    async with client_for(handler, token=None) as client:
        assert await client.send_message("terminal:local", "hi") == []
        assert await client.send_message("terminal:local", "hi", {"message_id": "telegram:42"}) == []
    first, second = (json.loads(request.content) for request in seen)
    assert first["sender"] == "terminal:local" and first["message"] == "hi"
    assert list(first["metadata"]) == ["message_id"]  # a fresh id per message: bot.stack.replay_guard
    assert second["metadata"] == {"message_id": "telegram:42"}  # the caller's id is kept
    assert "token" not in seen[0].url.params


@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
async def test_a_request_that_never_left_is_not_reached(failure: type[httpx.TransportError]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise failure("no connection", request=request)

    async with client_for(handler) as client:
        with pytest.raises(RasaNotReached) as info:
            await client.send_message("s", "hi")
    assert isinstance(info.value, RasaUnavailable) and isinstance(info.value, BotError)


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        (httpx.ReadTimeout, RasaTimeout),
        (httpx.WriteTimeout, RasaTimeout),
        (httpx.RemoteProtocolError, RasaFailed),
        (httpx.ReadError, RasaFailed),
        (httpx.WriteError, RasaFailed),
    ],
)
async def test_a_request_that_may_have_reached_rasa_is_never_not_reached(
    failure: type[httpx.TransportError], error: type[Exception]
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise failure("after sending", request=request)

    async with client_for(handler) as client:
        with pytest.raises(error) as info:
            await client.send_message("s", "hi")
    assert isinstance(info.value, RasaUnavailable) and not isinstance(info.value, RasaNotReached)


@pytest.mark.parametrize(
    ("status", "error"),
    [(500, RasaFailed), (503, RasaFailed), (401, RasaAuthError), (403, RasaAuthError), (404, RasaProtocolError)],
)
async def test_http_errors_map_to_the_tree(status: int, error: type[Exception]) -> None:
    async with client_for(lambda request: httpx.Response(status, text="no")) as client:
        with pytest.raises(error):
            await client.send_message("s", "hi")


@pytest.mark.parametrize("body", [b"not json", b'{"text": "an object, not a list"}', b'["a string"]'])
async def test_unexpected_bodies_are_protocol_errors(body: bytes) -> None:
    async with client_for(lambda request: httpx.Response(200, content=body)) as client:
        with pytest.raises(RasaProtocolError):
            await client.send_message("s", "hi")


async def test_status_and_readiness() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/status"
        if request.url.params.get("token") != "s3cret":
            return httpx.Response(401)
        return httpx.Response(200, json={"model_file": "models/m.tar.gz", "fingerprint": {}})

    async with client_for(handler) as client:
        assert (await client.status())["model_file"] == "models/m.tar.gz"
        assert await client.is_ready()
    async with client_for(handler, token="wrong") as client:
        assert not await client.is_ready()
        with pytest.raises(RasaAuthError):
            await client.status()


async def test_trigger_intent_keeps_the_senders_colon_and_returns_messages() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"tracker": {}, "messages": [{"text": "Reminder"}]})

    async with client_for(handler) as client:
        replies = await client.trigger_intent("telegram:42", "EXTERNAL_reminder", {"days": 30}, "telegram")
    assert seen[0].url.raw_path.startswith(b"/conversations/telegram:42/trigger_intent")
    assert seen[0].url.params["output_channel"] == "telegram"
    assert json.loads(seen[0].content) == {"name": "EXTERNAL_reminder", "entities": {"days": 30}}
    assert replies == [BotReply(text="Reminder")]


def test_format_replies_numbers_buttons_across_messages() -> None:
    text = format_replies(
        [
            BotReply(text="First", buttons=(Button("A", "/a"),)),
            BotReply(text="Second", buttons=(Button("B", "/b"),)),
        ]
    )
    assert text == "First\n  1. A\nSecond\n  2. B"


def test_terminal_sender() -> None:
    assert terminal_sender("T-1001") == "terminal:T-1001"
    assert terminal_sender(None) == "terminal:local"


async def test_terminal_chat_reads_lines_sends_button_payloads_and_exits_at_eof() -> None:
    sent: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        sent.append(body)
        if body["message"] == "hi":
            return httpx.Response(200, json=[{"text": "Hello!", "buttons": [{"title": "Am I late?", "payload": "/ask_late"}]}])
        return httpx.Response(200, json=[{"text": f"echo {body['message']}"}])

    lines = iter(["hi\n", "\n", "1\n", "how many CEUs?\n"])
    out = io.StringIO()
    async with client_for(handler) as client:
        chat = TerminalChat(client, "terminal:T-1", lambda: {"identity": "signed"}, out)
        code = await chat.run(lambda: next(lines, None), prompt=False)

    assert code == 0
    assert [body["message"] for body in sent] == ["hi", "/ask_late", "how many CEUs?"]
    assert all(body["metadata"]["identity"] == "signed" for body in sent)
    assert "Hello!\n  1. Am I late?" in out.getvalue()
    assert "echo how many CEUs?" in out.getvalue()


async def _sent_by_a_chat(new_session: bool) -> list[str]:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content)["message"])
        return httpx.Response(200, json=[])

    lines = iter(["am I late?\n"])
    async with client_for(handler) as client:
        chat = TerminalChat(client, "terminal:T-1", lambda: None, io.StringIO(), new_session=new_session)
        assert await chat.run(lambda: next(lines, None), prompt=False) == 0
    return sent


async def test_a_new_terminal_chat_starts_a_new_session_first_and_resume_does_not() -> None:
    assert await _sent_by_a_chat(new_session=True) == ["/session_start", "am I late?"]
    assert await _sent_by_a_chat(new_session=False) == ["am I late?"]
