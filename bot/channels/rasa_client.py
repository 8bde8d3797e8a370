"""A typed async client for the Rasa server the channel adapters talk to.

It wraps :class:`httpx.AsyncClient`, so tests swap in ``httpx.MockTransport``
and production uses the real network. One exception tree, turned into words at
the edges (the terminal chat, the gateway's error handler)::

    BotError
     └─ RasaError              anything that went wrong talking to Rasa
         ├─ RasaUnavailable    no usable answer now: try again later
         │   ├─ RasaNotReached the request never reached Rasa (connection refused, connect or
         │   │                 pool timeout): the only failure that is safe to retry at once
         │   ├─ RasaTimeout    no answer in time after the request was sent
         │   └─ RasaFailed     a 5xx, or the connection broke after the request was sent
         ├─ RasaAuthError      the server refused the token (401/403)
         └─ RasaProtocolError  an answer that is not what the REST channel returns

Only :class:`RasaNotReached` proves that Rasa did not act on the message. After a timeout, a
dropped connection or a 5xx, Rasa (or its action server) may have processed the message and
stored its events, so sending it again could answer or record it twice: callers do not retry
those blindly. In httpx terms: ``ConnectError``, ``ConnectTimeout`` and ``PoolTimeout`` are not
reached; ``ReadTimeout``, ``WriteTimeout``, ``ReadError``, ``WriteError``,
``RemoteProtocolError`` and any 5xx may have been.

The REST channel (``POST /webhooks/rest/webhook``) takes ``{sender, message,
metadata}`` and answers with a list of bot messages, each with ``text``,
``buttons`` (``title``/``payload``), ``image`` or ``custom``. The HTTP API
(``/status``, ``/conversations/<id>/trigger_intent``, ``.../tracker/events``) needs the server's
``--auth-token``, sent as the ``token`` query parameter.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx

from bot import logs
from bot.errors import BotError

logger = logging.getLogger(__name__)

REST_WEBHOOK_PATH = "/webhooks/rest/webhook"
MESSAGE_ID_KEY = "message_id"  # the delivery id in a message's metadata (bot.stack.replay_guard)
# 90 s: after a Rasa instance dies mid-turn, the balancer replays its messages on a survivor, which
# first waits out the dead instance's lock (bot.stack.supervisor.RASA_LOCK_LIFETIME_SECONDS, 30 s)
# and then works through every conversation handed over, on cores busy with the rest. (The misses
# once blamed on a 60 s timeout were a wait that never ended: bot.stack.lock_tickets.)
DEFAULT_TIMEOUT = httpx.Timeout(90.0, connect=5.0)


class RasaError(BotError):
    """Talking to the Rasa server failed."""


class RasaUnavailable(RasaError):
    """The Rasa server cannot be reached or failed; the caller may try again later."""


class RasaNotReached(RasaUnavailable):
    """The request was never delivered to Rasa (no connection): safe to send again."""


class RasaTimeout(RasaUnavailable):
    """The Rasa server did not answer in time; it may have processed the request."""


class RasaFailed(RasaUnavailable):
    """A 5xx, or the connection broke after the request was sent; Rasa may have acted."""


# httpx errors raised before a single byte of the request reached the server.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class RasaAuthError(RasaError):
    """The Rasa server refused the auth token."""


class RasaProtocolError(RasaError):
    """The Rasa server answered with something the client does not understand."""


# The ``outcome`` of a request line for each failure (anything else: "failed").
_OUTCOMES: dict[type[RasaError], str] = {
    RasaNotReached: "not_reached",
    RasaTimeout: "timeout",
    RasaFailed: "failed",
    RasaAuthError: "auth_refused",
    RasaProtocolError: "protocol_error",
}


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class BotReply:
    """One message of the assistant, as the REST channel returns it."""

    text: str | None = None
    buttons: tuple[Button, ...] = ()
    image: str | None = None
    custom: Mapping[str, Any] | None = field(default=None, compare=False)

    @classmethod
    def from_json(cls, raw: Any) -> BotReply:
        if not isinstance(raw, Mapping):
            raise RasaProtocolError(f"expected a message object, got {type(raw).__name__}")
        text = raw.get("text")
        image = raw.get("image")
        custom = raw.get("custom")
        buttons = []
        for item in raw.get("buttons") or ():
            if not isinstance(item, Mapping):
                raise RasaProtocolError("a button is not an object")
            title = str(item.get("title") or item.get("payload") or "")
            payload = str(item.get("payload") or title)
            buttons.append(Button(title=title, payload=payload))
        return cls(
            text=str(text) if text is not None else None,
            buttons=tuple(buttons),
            image=str(image) if image else None,
            custom=custom if isinstance(custom, Mapping) else None,
        )


class RasaClient:
    """Sends user messages to Rasa's REST channel and calls its token-protected HTTP API."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._token = token
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), timeout=timeout, transport=transport
        )

    async def __aenter__(self) -> RasaClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    def _params(self) -> dict[str, str]:
        return {"token": self._token} if self._token else {}

    async def _request(
        self, method: str, path: str, *, route: str | None = None, sender: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        """One call to Rasa, logged as one line: the route (never the conversation id in the path),
        the conversation (``sender``, hashed by bot.logs), the latency and the outcome."""
        started = time.monotonic()
        outcome = "failed"
        try:
            response = await self._send(method, path, **kwargs)
            outcome = "ok"
            return response
        except RasaError as exc:
            outcome = _OUTCOMES.get(type(exc), "failed")
            raise
        finally:
            latency_ms = (time.monotonic() - started) * 1000
            # readiness polls of /status would drown the log at INFO
            level = logging.DEBUG if path == "/status" and outcome == "ok" else logging.INFO
            logger.log(
                level, "rasa %s %s: %s", method, route or path, outcome,
                extra=logs.fields(sender, latency_ms, outcome),
            )

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self._http.request(method, path, **kwargs)
        except _NOT_SENT as exc:
            raise RasaNotReached(f"cannot reach Rasa at {self._http.base_url}: {exc!r}") from exc
        except httpx.TimeoutException as exc:
            raise RasaTimeout(f"Rasa did not answer in time ({path})") from exc
        except httpx.TransportError as exc:
            raise RasaFailed(f"the connection to Rasa broke on {path}: {exc!r}") from exc
        if response.status_code in (401, 403):
            raise RasaAuthError(f"Rasa refused the auth token ({response.status_code} on {path})")
        if response.status_code >= 500:
            raise RasaFailed(f"Rasa failed with HTTP {response.status_code} on {path}")
        if response.status_code >= 400:
            raise RasaProtocolError(f"Rasa answered HTTP {response.status_code} on {path}")
        return response

    async def send_message(
        self, sender: str, message: str, metadata: Mapping[str, Any] | None = None
    ) -> list[BotReply]:
        """Post one user message; the assistant's replies in order.

        The metadata gets a fresh delivery id (``message_id``) unless the caller gave one: a request
        the balancer replays on another Rasa instance is then answered from the tracker store
        instead of being handled twice (bot.stack.replay_guard).
        """
        body: dict[str, Any] = {
            "sender": sender, "message": message, "metadata": {MESSAGE_ID_KEY: uuid.uuid4().hex, **(metadata or {})}
        }
        response = await self._request(
            "POST", REST_WEBHOOK_PATH, sender=sender, json=body, params=self._params()
        )
        data = _json_of(response, list, "Rasa's REST channel", "list of messages")
        return [BotReply.from_json(item) for item in data]

    async def status(self) -> dict[str, Any]:
        """``GET /status`` (needs the token): the loaded model and server state."""
        response = await self._request("GET", "/status", params=self._params())
        return _json_of(response, dict, "Rasa's /status", "object")

    async def is_ready(self) -> bool:
        """True when the server answers ``/status`` with a loaded model."""
        try:
            data = await self.status()
        except RasaError:
            return False
        return bool(data.get("model_file") or data.get("fingerprint"))

    async def trigger_intent(
        self,
        sender: str,
        intent: str,
        entities: Mapping[str, Any] | None = None,
        output_channel: str | None = None,
    ) -> list[BotReply]:
        """Inject an intent into a conversation (reminders); the messages the bot uttered."""
        params = self._params()
        if output_channel:
            params["output_channel"] = output_channel
        response = await self._request(
            "POST",
            # Rasa does not percent-decode the conversation id, so the ":" of "telegram:42"
            # must stay as it is (quoting it would start a new, unlinked conversation).
            f"/conversations/{quote(sender, safe=':')}/trigger_intent",
            route="/conversations/<id>/trigger_intent",
            sender=sender,
            json={"name": intent, "entities": dict(entities or {})},
            params=params,
        )
        data = _json_of(response, dict, "trigger_intent", "object")
        return [BotReply.from_json(item) for item in data.get("messages") or ()]

    async def append_events(self, sender: str, events: list[Mapping[str, Any]]) -> dict[str, Any]:
        """Append events to a conversation (``{"event": "pause"}`` / ``{"event": "resume"}``:
        Rasa's ConversationPaused / ConversationResumed); the tracker after them."""
        response = await self._request(
            "POST",
            f"/conversations/{quote(sender, safe=':')}/tracker/events",
            route="/conversations/<id>/tracker/events",
            sender=sender,
            json=[dict(event) for event in events],
            params=self._params(),
        )
        return _json_of(response, dict, "tracker/events", "object")

    async def tracker(self, sender: str) -> dict[str, Any]:
        """The conversation's tracker (``paused``, ``events``, ...)."""
        response = await self._request(
            "GET", f"/conversations/{quote(sender, safe=':')}/tracker",
            route="/conversations/<id>/tracker", sender=sender, params=self._params(),
        )
        return _json_of(response, dict, "tracker", "object")


def _json_of(response: httpx.Response, kind: type, what: str, described: str) -> Any:
    """The response's JSON body, which must be of ``kind``; RasaProtocolError otherwise."""
    try:
        data = response.json()
    except ValueError as exc:
        raise RasaProtocolError(f"{what} answered with no JSON") from exc
    if not isinstance(data, kind):
        raise RasaProtocolError(f"{what} answered with no {described}")
    return data
