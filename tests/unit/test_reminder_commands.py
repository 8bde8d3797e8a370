"""The gateway's reminder commands and the calendar file: /calendar reaches Rasa as its intent with
the chat's identity; a document the assistant made is sent as a file, in private chats only; /stop
and /startreminders confirm the setting in the assistant's words (through the gateway:
tests/e2e/test_telegram_reminder_commands.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.channels.rasa_client import BotReply
from bot.channels.telegram import words
from bot.identity import verify_identity
from bot.reminders.telegram_commands import COMMAND_INTENTS
from tests.unit.test_telegram_relay import GROUP, PRIVATE, SECRET, FakeLinks, FakeOutbox, FakeRasa, relay


@dataclass
class DocumentOutbox(FakeOutbox):
    documents: list[tuple[int, str, bytes]] = field(default_factory=list)

    async def send_document(self, chat_id: int, filename: str, content: bytes) -> None:
        self.documents.append((chat_id, filename, content))


async def test_each_command_sends_its_intent_with_the_identity() -> None:
    for intent in COMMAND_INTENTS.values():
        rasa, out = FakeRasa([BotReply(text="Reminders are off.")]), DocumentOutbox()
        await relay(rasa, FakeLinks({42: "T-1001"})).on_intent_command(PRIVATE, intent, out)
        sender, message, metadata = rasa.calls[0]
        assert (sender, message) == ("telegram:42", f"/{intent}")
        assert verify_identity(metadata, sender, SECRET, 300) == "T-1001"
        assert out.texts == ["Reminders are off."]


async def test_commands_in_a_group_reach_no_one() -> None:
    rasa, out = FakeRasa(), DocumentOutbox()
    await relay(rasa).on_intent_command(GROUP, "add_to_calendar", out)
    assert rasa.calls == [] and out.texts == [words.GROUP_NO_LINKING]


async def test_a_document_reply_is_sent_as_a_file() -> None:
    ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    reply = BotReply(custom={"document": {"filename": "renewal-deadlines.ics", "content": ics}})
    rasa, out = FakeRasa([BotReply(text="Here are your dates."), reply]), DocumentOutbox()
    await relay(rasa, FakeLinks({42: "T-1001"})).on_text(PRIVATE, "add my deadlines to my calendar", out)
    assert out.texts == ["Here are your dates."]
    assert out.documents == [(42, "renewal-deadlines.ics", ics.encode())]


async def test_the_commands_are_listed() -> None:
    listed = {name for name, _ in words.COMMANDS}
    assert set(COMMAND_INTENTS) | {"stop", "startreminders", "restart"} <= listed
    assert all(f"/{name} " in words.HELP for name in ("stop", "startreminders", "restart", "calendar"))
