"""A message delivered twice (HAProxy replays a request its dead instance never answered) is handled once."""

from __future__ import annotations

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.processor import MessageProcessor
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.stack import replay_guard

SENDER = "telegram:42"
EVENTS = [
    ActionExecuted("action_listen"),
    UserUttered("hi", metadata={"message_id": "first"}),
    BotUttered("Hello!", data={"buttons": [{"title": "Am I late?", "payload": "/ask_late"}]}),
    BotUttered("Ask me anything."),
    ActionExecuted("action_listen"),
    UserUttered("bye", metadata={"message_id": "second"}),
    BotUttered("Bye!"),
    ActionExecuted("action_listen"),
]


def test_stored_answers_are_the_bot_messages_of_that_turn_only() -> None:
    first = replay_guard.stored_answers(EVENTS, "first")
    assert [answer["text"] for answer in first or []] == ["Hello!", "Ask me anything."]
    assert (first or [])[0]["buttons"] == [{"title": "Am I late?", "payload": "/ask_late"}]
    assert [answer["text"] for answer in replay_guard.stored_answers(EVENTS, "second") or []] == ["Bye!"]
    assert replay_guard.stored_answers(EVENTS, "never-seen") is None


async def test_a_delivered_message_is_answered_from_the_tracker_store_and_not_handled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    handled: list[str] = []

    async def handle_message(self: MessageProcessor, message: UserMessage) -> list[dict[str, object]]:
        handled.append(message.text or "")
        return []

    monkeypatch.setattr(MessageProcessor, "handle_message", handle_message)
    replay_guard.install()  # wraps the stand-in above; monkeypatch puts Rasa's own back afterwards
    store = InMemoryTrackerStore(Domain.empty())
    await store.save(DialogueStateTracker.from_events(SENDER, EVENTS))
    processor = MessageProcessor.__new__(MessageProcessor)
    processor.tracker_store = store

    again = CollectingOutputChannel()
    answers = await processor.handle_message(UserMessage("hi", again, SENDER, metadata={"message_id": "first"}))
    assert [answer.get("text") for answer in answers or []] == ["Hello!", "Ask me anything."]
    assert handled == []  # not handled a second time

    await processor.handle_message(UserMessage("new", CollectingOutputChannel(), SENDER, metadata={"message_id": "x"}))
    await processor.handle_message(UserMessage("no id", CollectingOutputChannel(), SENDER))
    assert handled == ["new", "no id"]
