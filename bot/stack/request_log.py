"""One JSON log line per HTTP request a Sanic server (Rasa's, the action server's) answers.

Rasa 3.6 and rasa-sdk log nothing per request at INFO (Sanic's access log is off through
``LOG_LEVEL_LIBRARIES``, and its lines would carry the conversation id in the path), so an
operator could not see how long each message took or which failed. These two middlewares
write ``<METHOD> <route>: <status>`` with the conversation (hashed by :mod:`bot.logs`), the
latency in ms and an outcome, and nothing of the message itself. Readiness polls (``/status``,
``/health``, ``/``) go at DEBUG.

Sanic configures its own stdout handlers when an app is created; :func:`route_sanic_to_root`
removes them, so Sanic's errors reach the rotated JSON file instead of the unbounded raw output.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from bot import logs

logger = logging.getLogger("bot.requests")

QUIET_PATHS = frozenset({"/", "/status", "/health", "/version"})
SANIC_LOGGERS = ("sanic.root", "sanic.error", "sanic.access")


def outcome_of(status: int) -> str:
    if status < 400:
        return "ok"
    if status in (401, 403):
        return "refused"
    return "client_error" if status < 500 else "server_error"


def _body(request: Any) -> dict[str, Any]:
    try:
        body = request.json
    except Exception:  # Sanic raises InvalidUsage on a malformed body: that is the answer's business
        return {}
    return body if isinstance(body, dict) else {}


def describe(request: Any) -> tuple[str, str | None, str]:
    """``(route, conversation id or None, what)`` of a request, without any id in the route."""
    route_obj = getattr(request, "route", None)
    route = "/" + str(getattr(route_obj, "path", "") or request.path.lstrip("/"))
    conversation = (getattr(request, "match_info", None) or {}).get("conversation_id")
    what = ""
    if request.method == "POST" and request.path.rstrip("/") in ("/webhooks/rest/webhook", "/webhook"):
        body = _body(request)
        conversation = body.get("sender") or body.get("sender_id") or conversation
        if body.get("next_action"):
            what = f" {body['next_action']}"  # the action server: which action ran
    return route, (str(conversation) if conversation else None), what


def install(app: Any) -> None:
    """Add the request/response middlewares to a Sanic app."""

    @app.middleware("request")
    async def start_clock(request: Any) -> None:
        request.ctx.recert_started = time.monotonic()

    @app.middleware("response")
    async def log_request(request: Any, response: Any) -> None:
        started = getattr(request.ctx, "recert_started", None)
        if started is None or response is None:
            return
        latency_ms = (time.monotonic() - started) * 1000
        status = int(getattr(response, "status", 0) or 0)
        route, conversation, what = describe(request)
        outcome = outcome_of(status)
        quiet = request.path in QUIET_PATHS and outcome == "ok"
        logger.log(
            logging.DEBUG if quiet else logging.INFO,
            "%s %s%s: %s", request.method, route, what, status,
            extra=logs.fields(conversation, latency_ms, outcome),
        )


def route_sanic_to_root() -> None:
    """Let Sanic's loggers write through the root logger's (JSON, rotated) handlers only."""
    for name in SANIC_LOGGERS:
        sanic_logger = logging.getLogger(name)
        for handler in list(sanic_logger.handlers):
            sanic_logger.removeHandler(handler)
        sanic_logger.propagate = True
