"""A fake Telegram Bot API on loopback, for the real gateway to talk to over HTTP.

It runs an aiohttp app in a thread of its own (so a test may block, e.g. on
``recert up``, while the gateway keeps polling). Tests enqueue updates the way
Telegram would deliver them and read what the bot sent. Implemented methods:
getMe, getUpdates (long polling), deleteWebhook, setWebhook, getWebhookInfo,
setMyCommands, sendMessage, sendPhoto, sendDocument, sendChatAction, answerCallbackQuery,
editMessageReplyMarkup, close, logOut; anything else answers 404 like Telegram.

Failures as Telegram answers them: a chat in ``blocked`` gets 403 "Forbidden: bot was blocked by
the user" for anything sent to it; :meth:`FakeBotApi.flood` makes the next send calls answer 429
with ``retry_after``. Refused calls are recorded in ``refused``, not in ``calls``.

Webhook mode, as Telegram does it: after ``setWebhook`` (its URL and ``secret_token`` kept in
``webhook``), ``getUpdates`` answers 409 Conflict and each update is POSTed instead, with the
``X-Telegram-Bot-Api-Secret-Token`` header, to ``deliver_to`` (the address the test's
"TLS proxy" forwards the public URL to), over several connections at once, and POSTed again
until it is answered 200. ``deleteWebhook`` clears it (and is recorded like every call).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from tests.e2e.loopback import LoopbackServer

BOT_ID = 7000001
BOT_USERNAME = "recert_test_bot"
# Parameters python-telegram-bot JSON-encodes; every other value arrives as a plain string.
JSON_KEYS = {
    "chat_id", "offset", "limit", "timeout", "allowed_updates", "reply_markup", "commands",
    "reply_parameters", "message_id", "show_alert", "drop_pending_updates", "scope", "cache_time",
    "max_connections", "disable_notification", "protect_content", "link_preview_options",
}


class Conflict(Exception):
    """Telegram's 409: e.g. getUpdates while a webhook is set."""


@dataclass
class Sent:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    result: Any = None  # what the fake answered (the sent message, for sendMessage)

    @property
    def message_id(self) -> int | None:
        return self.result.get("message_id") if isinstance(self.result, dict) else None

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[tuple[str, str]]:
        markup = self.params.get("reply_markup") or {}
        return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row]


class FakeBotApi(LoopbackServer):
    thread_name = "fake-telegram"

    def __init__(self, token: str = "123456:TEST-TOKEN") -> None:
        super().__init__()
        self.token = token
        self.calls: list[Sent] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._lock = threading.Lock()
        self._new_update: asyncio.Condition | None = None
        self.blocked: set[int] = set()  # chats whose user blocked the bot
        self.refused: list[tuple[Sent, int]] = []  # (call, error code) answered with an error
        self._floods: list[int] = []  # retry_after of the next 429 answers, in order
        self.webhook: dict[str, Any] | None = None  # setWebhook's url, secret_token, ... while set
        # where webhook updates are POSTed (the test sets it); several: spread by update_id, like a balancer
        self.deliver_to: str | list[str] | None = None
        self.deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status) of every webhook POST
        self._session: aiohttp.ClientSession | None = None

    # --- lifecycle -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What TELEGRAM_API_BASE_URL is set to (python-telegram-bot appends the token)."""
        return f"http://127.0.0.1:{self.port}/bot"

    def add_routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/bot{token}/{method}", self._handle)

    async def on_start(self) -> None:
        self._new_update = asyncio.Condition()

    async def on_stop(self) -> None:
        if self._session is not None:
            await self._session.close()

    # --- the Bot API -----------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params = await self._params(request)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        if method.startswith("send") and method != "sendChatAction":
            refusal = self._refusal(params)
            if refusal is not None:
                with self._lock:
                    self.refused.append((Sent(method, params), refusal["error_code"]))
                return web.json_response(refusal, status=refusal["error_code"])
        try:
            result = await handler(params)
        except Conflict as exc:
            return web.json_response({"ok": False, "error_code": 409, "description": str(exc)}, status=409)
        with self._lock:  # recorded with its result, so a test can reply to what it sees
            self.calls.append(Sent(method, params, result=result))
        return web.json_response({"ok": True, "result": result})

    def flood(self, retry_after: int, times: int = 1) -> None:
        """The next ``times`` send calls answer 429 Too Many Requests with ``retry_after``."""
        with self._lock:
            self._floods.extend([retry_after] * times)

    def _refusal(self, params: dict[str, Any]) -> dict[str, Any] | None:
        with self._lock:
            if self._floods:
                retry_after = self._floods.pop(0)
                return {
                    "ok": False, "error_code": 429,
                    "description": f"Too Many Requests: retry after {retry_after}",
                    "parameters": {"retry_after": retry_after},
                }
        if params.get("chat_id") is None:
            return None
        try:
            chat_id = int(params["chat_id"])
        except (TypeError, ValueError):
            return None
        if chat_id in self.blocked:
            return {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
        return None

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return dict(await request.json())
        raw = dict(await request.post()) if request.can_read_body else {}
        raw.update(request.query)
        params: dict[str, Any] = {}
        for key, value in raw.items():
            if key in JSON_KEYS and isinstance(value, str):
                try:
                    params[key] = json.loads(value)
                    continue
                except ValueError:
                    pass
            params[key] = value
        return params

    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Recert", "username": BOT_USERNAME,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

    async def _api_getMe(self, params: dict[str, Any]) -> Any:
        return self._bot_user()

    async def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        if self.webhook is not None:  # what Telegram answers (the gateway must not poll then)
            raise Conflict("Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        assert self._new_update is not None
        deadline = time.monotonic() + timeout
        async with self._new_update:
            while True:
                with self._lock:
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
                    ready = list(self._updates[: int(params.get("limit") or 100)])
                remaining = deadline - time.monotonic()
                if ready or remaining <= 0:
                    return ready
                try:
                    await asyncio.wait_for(self._new_update.wait(), remaining)
                except asyncio.TimeoutError:
                    pass

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = None
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = dict(params)
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any]) -> Any:
        url = self.webhook["url"] if self.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": 0}

    async def _api_setMyCommands(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_sendChatAction(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_close(self, params: dict[str, Any]) -> Any:
        return True

    async def _api_logOut(self, params: dict[str, Any]) -> Any:
        return True

    def _sent_message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": self._bot_user(),
            **content,
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        return self._sent_message(params, text=params["text"])

    async def _api_sendPhoto(self, params: dict[str, Any]) -> Any:
        return self._sent_message(params, photo=[{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}])

    async def _api_sendDocument(self, params: dict[str, Any]) -> Any:
        upload = params.get("document")
        if upload is not None and hasattr(upload, "file"):  # a multipart upload: keep its name and bytes
            params["document"] = {"filename": upload.filename, "content": upload.file.read()}
        name = params["document"]["filename"] if isinstance(params.get("document"), dict) else "file"
        return self._sent_message(
            params, document={"file_id": "d", "file_unique_id": "d", "file_name": name},
            **({"caption": params["caption"]} if params.get("caption") else {}),
        )

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        return True

    # --- for tests: updates in ---------------------------------------------------------------

    def _enqueue(self, payload: dict[str, Any]) -> int:
        with self._lock:
            update_id = next(self._update_ids)
            update = {"update_id": update_id, **payload}
            if self.webhook is None:
                self._updates.append(update)
        assert self._loop is not None
        if self.webhook is not None:
            asyncio.run_coroutine_threadsafe(self._post_webhook(update), self._loop)
            return update_id

        async def notify() -> None:
            assert self._new_update is not None
            async with self._new_update:
                self._new_update.notify_all()

        asyncio.run_coroutine_threadsafe(notify(), self._loop).result(5)
        return update_id

    async def _post_webhook(self, update: dict[str, Any], secret: str | None = None) -> None:
        """POST one update to the webhook until it is answered 200 (Telegram retries for hours)."""
        assert self.webhook is not None and self.deliver_to is not None, "webhook set, but deliver_to is not"
        if self._session is None:
            self._session = aiohttp.ClientSession()
        token = self.webhook.get("secret_token", "") if secret is None else secret
        targets = [self.deliver_to] if isinstance(self.deliver_to, str) else self.deliver_to
        for attempt in range(60):
            target = targets[(update["update_id"] + attempt) % len(targets)]  # a retry may go elsewhere
            try:
                async with self._session.post(
                    target, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": token}
                ) as response:
                    status = response.status
            except aiohttp.ClientError:
                status = 0
            with self._lock:
                self.deliveries.append((update["update_id"], status))
            if status == 200 or secret is not None:
                return
            await asyncio.sleep(min(0.2 * (attempt + 1), 2.0))

    def post_with_secret(self, payload: dict[str, Any], secret: str) -> int:
        """POST one update once with the given secret header (a forger's request); the HTTP status."""
        assert self._loop is not None
        with self._lock:
            update = {"update_id": next(self._update_ids), **payload}
        asyncio.run_coroutine_threadsafe(self._post_webhook(update, secret), self._loop).result(10)
        with self._lock:
            return [s for u, s in self.deliveries if u == update["update_id"]][-1]

    def text_update(self, user_id: int, text: str) -> dict[str, Any]:
        """The payload of a private text message (without its update_id)."""
        return {"message": self._message(user_id, None, "private", text=text)}

    @staticmethod
    def _chat(user_id: int, chat_id: int | None, chat_type: str) -> dict[str, Any]:
        if chat_type == "private":
            return {"id": user_id, "type": "private", "first_name": f"User{user_id}"}
        return {"id": chat_id, "type": chat_type, "title": "Trainers' lounge"}

    def _message(self, user_id: int, chat_id: int | None, chat_type: str, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(user_id, chat_id, chat_type),
            "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "username": f"user{user_id}"},
            **content,
        }

    def send_text(
        self, user_id: int, text: str, *, chat_type: str = "private", chat_id: int | None = None,
        reply_to: Sent | None = None,
    ) -> int:
        """A user's message; ``reply_to`` makes it a Telegram reply to that bot message."""
        content: dict[str, Any] = {"text": text}
        if reply_to is not None:
            assert isinstance(reply_to.result, dict), "reply to a message the bot sent"
            content["reply_to_message"] = reply_to.result
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._enqueue({"message": self._message(user_id, chat_id, chat_type, **content)})

    def send_sticker(self, user_id: int) -> int:
        sticker = {"file_id": "st1", "file_unique_id": "st1", "width": 512, "height": 512,
                   "is_animated": False, "is_video": False, "type": "regular", "emoji": "👍"}
        return self._enqueue({"message": self._message(user_id, None, "private", sticker=sticker)})

    def press_button(self, user_id: int, data: str, message: Sent | None = None) -> int:
        origin = {
            "message_id": next(self._message_ids), "date": int(time.time()),
            "chat": self._chat(user_id, None, "private"), "from": self._bot_user(),
            "text": message.text if message else "buttons",
        }
        return self._enqueue({"callback_query": {
            "id": f"cb{next(self._message_ids)}", "chat_instance": "ci",
            "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"},
            "message": origin, "data": data,
        }})

    # --- for tests: what the bot did ---------------------------------------------------------

    def sent(self, method: str | None = None, chat_id: int | None = None) -> list[Sent]:
        with self._lock:
            return [c for c in self.calls if (method is None or c.method == method)
                    and (chat_id is None or c.chat_id == chat_id)]

    def messages(self, chat_id: int) -> list[Sent]:
        return self.sent("sendMessage", chat_id)

    def wait_for_messages(self, chat_id: int, count: int, timeout: float = 30.0, after: int = 0) -> list[Sent]:
        """The first ``count`` messages to ``chat_id`` after the first ``after`` ones; waits for them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.messages(chat_id)[after:]
            if len(found) >= count:
                return found[:count]
            time.sleep(0.05)
        raise AssertionError(
            f"expected {count} messages to chat {chat_id} after {after}, got: "
            f"{[m.text[:80] for m in self.messages(chat_id)[after:]]}"
        )

    def wait_for_reply(
        self, chat_id: int, after: int, until: Callable[[Sent], bool] | None = None, timeout: float = 30.0
    ) -> list[Sent]:
        """Messages to ``chat_id`` after the first ``after``, once one satisfies ``until`` (default: any)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.messages(chat_id)[after:]
            if found and (until is None or any(until(m) for m in found)):
                time.sleep(0.3)  # let the rest of a multi-message reply arrive
                return self.messages(chat_id)[after:]
            time.sleep(0.05)
        raise AssertionError(
            f"no matching reply to chat {chat_id}; got: {[m.text[:80] for m in self.messages(chat_id)[after:]]}"
        )
