"""Request lines of the Sanic servers: the route without ids, the conversation, the outcome."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from bot.stack.request_log import describe, outcome_of


def request(method: str, path: str, route: str, body: Any = None, match_info: dict | None = None) -> Any:
    return SimpleNamespace(method=method, path=path, route=SimpleNamespace(path=route), json=body,
                           match_info=match_info or {})


def test_the_rest_webhook_names_the_sender_not_the_text() -> None:
    route, conversation, what = describe(
        request("POST", "/webhooks/rest/webhook", "webhooks/rest/webhook", {"sender": "telegram:42", "message": "hi"})
    )
    assert (route, conversation, what) == ("/webhooks/rest/webhook", "telegram:42", "")


def test_a_conversation_route_keeps_its_template_and_the_id_goes_to_the_hashed_field() -> None:
    route, conversation, _ = describe(
        request("GET", "/conversations/telegram:42/tracker", "conversations/<conversation_id:path>/tracker",
                match_info={"conversation_id": "telegram:42"})
    )
    assert route == "/conversations/<conversation_id:path>/tracker"
    assert conversation == "telegram:42"


def test_the_action_server_line_names_the_action() -> None:
    _, conversation, what = describe(
        request("POST", "/webhook", "webhook", {"next_action": "action_late_fee", "sender_id": "terminal:T-1001"})
    )
    assert (conversation, what) == ("terminal:T-1001", " action_late_fee")


def test_a_malformed_body_is_not_the_logs_problem() -> None:
    class Broken(SimpleNamespace):
        @property
        def json(self) -> Any:
            raise ValueError("not JSON")

    broken = Broken(method="POST", path="/webhook", route=SimpleNamespace(path="webhook"), match_info={})
    assert describe(broken) == ("/webhook", None, "")


def test_outcomes() -> None:
    assert [outcome_of(s) for s in (200, 204, 401, 404, 500)] == ["ok", "ok", "refused", "client_error", "server_error"]
