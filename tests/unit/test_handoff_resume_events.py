"""What resuming a handed-over conversation writes into Rasa's tracker.

Rasa logs no ``action_listen`` after the action that paused the conversation, so a resume alone left
the trainer's next message after ``action_handoff``: the fallback answered it and, rewinding to the
request for a person, handed the conversation over again (a new ticket after every resolve). The
resume is Rasa's ``ConversationResumed`` followed by ``ActionExecuted("action_listen")``.
"""

from __future__ import annotations

import json

import httpx
from rasa.shared.core.events import ActionExecuted, ConversationResumed, Event

from bot.channels.rasa_client import RasaClient
from bot.handoff.conversations import RasaConversations


async def test_resume_appends_the_resume_and_a_listen_in_that_order() -> None:
    posted: list[tuple[str, list[dict[str, object]]]] = []

    def rasa(request: httpx.Request) -> httpx.Response:
        posted.append((request.url.path, json.loads(request.content)))
        return httpx.Response(200, json={"sender_id": "telegram:1", "paused": False, "events": []})

    conversations = RasaConversations(RasaClient("http://rasa", "token", transport=httpx.MockTransport(rasa)))
    await conversations.resume("telegram:1")
    await conversations.aclose()

    ((path, events),) = posted  # one request: no message can come between the two events
    assert path == "/conversations/telegram:1/tracker/events"
    parsed = [Event.from_parameters(event) for event in events]
    assert isinstance(parsed[0], ConversationResumed)
    assert isinstance(parsed[1], ActionExecuted) and parsed[1].action_name == "action_listen"
    assert len(parsed) == 2
