"""The gateway's relay and handlers without the network: fake outbox, fake Rasa, fake links."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from telegram import Chat, Message, Update, User

from bot.channels.rasa_client import MESSAGE_ID_KEY, BotReply, Button, RasaFailed, RasaNotReached, RasaTimeout
from bot.channels.telegram import words
from bot.channels.telegram.buttons import MemoryButtons
from bot.channels.telegram.handlers import incoming_from
from bot.channels.telegram.outbox import split_text
from bot.channels.telegram.relay import FORGET_CANCEL, FORGET_CONFIRM, Incoming, Relay
from bot.identity import verify_identity
from bot.linking.errors import CodeExpired, CodeNotFound, TooManyAttempts
from bot.linking.privacy import Forgotten
from bot.linking.service import LinkedAccount

SECRET = "unit-secret"
PRIVATE = Incoming(chat_id=42, chat_type="private", user_id=42, message_id=7)
GROUP = Incoming(chat_id=-100, chat_type="supergroup", user_id=42, message_id=8)


@dataclass
class FakeOutbox:
    sent: list[tuple[int, str, tuple[Button, ...], int | None]] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    typing_count: int = 0
    answered: list[str] = field(default_factory=list)
    documents: list[tuple[int, str, bytes]] = field(default_factory=list)

    async def send_text(self, chat_id: int, text: str, buttons: Sequence[Button] = (), reply_to: int | None = None) -> None:
        self.sent.append((chat_id, text, tuple(buttons), reply_to))

    async def send_image(self, chat_id: int, url: str) -> None:
        self.images.append(url)

    async def send_document(self, chat_id: int, filename: str, content: bytes) -> None:
        self.documents.append((chat_id, filename, content))

    async def typing(self, chat_id: int) -> None:
        self.typing_count += 1

    async def answer_callback(self, callback_id: str) -> None:
        self.answered.append(callback_id)

    @property
    def texts(self) -> list[str]:
        return [text for _, text, _, _ in self.sent]


class FakeRasa:
    def __init__(self, *outcomes: list[BotReply] | Exception) -> None:
        self.outcomes = list(outcomes)
        self.calls: list[tuple[str, str, dict[str, Any] | None]] = []

    async def send_message(self, sender: str, message: str, metadata: dict[str, Any] | None = None) -> list[BotReply]:
        self.calls.append((sender, message, metadata))
        outcome = self.outcomes.pop(0) if self.outcomes else [BotReply(text="ok")]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


class FakeLinks:
    def __init__(self, linked: dict[int, str] | None = None, redeem_error: Exception | None = None) -> None:
        self.linked = dict(linked or {})
        self.redeem_error = redeem_error
        self.forgotten: list[int] = []

    async def trainer_for(self, user_id: int) -> str | None:
        return self.linked.get(user_id)

    async def redeem(self, user_id: int, code: str) -> tuple[str, LinkedAccount | None]:
        if self.redeem_error:
            raise self.redeem_error
        self.linked[user_id] = "T-1001"
        return "T-1001", LinkedAccount("T-1001", "Dana Smith", datetime.now(timezone.utc), (("nasm-cpt", "****345"),))

    async def whoami(self, user_id: int) -> LinkedAccount | None:
        return None

    async def unlink(self, user_id: int) -> bool:
        return self.linked.pop(user_id, None) is not None

    async def forget(self, user_id: int) -> Forgotten:
        self.forgotten.append(user_id)
        trainer_id = self.linked.pop(user_id, None)
        return Forgotten(trainer_id, (f"telegram:{user_id}",), 12)


def relay(rasa: FakeRasa, links: FakeLinks | None = None) -> Relay:
    return Relay(rasa, links or FakeLinks(), SECRET, retry_delays=(0, 0), typing_interval=0.01)


async def test_linked_private_chat_sends_a_verifiable_identity() -> None:
    rasa, out = FakeRasa(), FakeOutbox()
    await relay(rasa, FakeLinks({42: "T-1001"})).on_text(PRIVATE, "am I late?", out)
    sender, message, metadata = rasa.calls[0]
    assert (sender, message) == ("telegram:42", "am I late?")
    assert verify_identity(metadata, sender, SECRET) == "T-1001"
    assert out.texts == ["ok"] and out.typing_count >= 1


async def test_a_message_carries_its_telegram_update_as_the_delivery_id() -> None:
    """The same update delivered again (Telegram resending, or another gateway taking over the inbox
    after a crash) reaches Rasa with the same id, so Rasa's replay guard answers it from the tracker."""
    rasa, out = FakeRasa(), FakeOutbox()
    gateway = relay(rasa, FakeLinks({42: "T-1001"}))
    first, again, next_update = (replace(PRIVATE, update_id=n) for n in (9001, 9001, 9002))
    await gateway.on_text(first, "am I late?", out)
    await gateway.on_text(again, "am I late?", out)
    await gateway.on_text(next_update, "am I late?", out)
    ids = [metadata[MESSAGE_ID_KEY] for _, _, metadata in rasa.calls if metadata is not None]
    assert ids == ["telegram-update:9001", "telegram-update:9001", "telegram-update:9002"]


async def test_group_never_carries_identity_even_when_linked() -> None:
    rasa, out = FakeRasa(), FakeOutbox()
    await relay(rasa, FakeLinks({42: "T-1001"})).on_text(GROUP, "am I late?", out)
    sender, _, metadata = rasa.calls[0]
    assert sender == "telegram-group:-100:42"
    assert metadata is not None and "identity" not in metadata
    assert out.texts == ["ok", words.GROUP_PRIVATE_ONLY]
    assert out.sent[0][3] == 8  # the answer replies to the group message


async def test_not_reached_is_retried_then_trouble() -> None:
    rasa, out = FakeRasa(RasaNotReached("down"), RasaNotReached("down"), RasaNotReached("down")), FakeOutbox()
    await relay(rasa).on_text(PRIVATE, "hi", out)
    assert len(rasa.calls) == 3
    assert out.texts == [words.TROUBLE]


async def test_not_reached_once_then_answer() -> None:
    rasa, out = FakeRasa(RasaNotReached("down"), [BotReply(text="hello")]), FakeOutbox()
    await relay(rasa).on_text(PRIVATE, "hi", out)
    assert out.texts == ["hello"] and len(rasa.calls) == 2


@pytest.mark.parametrize("error", [RasaTimeout("slow"), RasaFailed("HTTP 500"), RasaFailed("connection dropped")])
async def test_what_may_have_reached_rasa_is_not_retried(error: Exception) -> None:
    rasa, out = FakeRasa(error), FakeOutbox()
    await relay(rasa).on_text(PRIVATE, "hi", out)
    assert len(rasa.calls) == 1 and out.texts == [words.TROUBLE]


async def test_buttons_and_images_are_rendered() -> None:
    buttons = (Button("Yes", "/affirm"),)
    rasa = FakeRasa([BotReply(text="Sure?", buttons=buttons), BotReply(image="https://x.test/a.png")])
    out = FakeOutbox()
    await relay(rasa).on_text(PRIVATE, "hi", out)
    assert out.sent == [(42, "Sure?", buttons, None)]
    assert out.images == ["https://x.test/a.png"]


async def test_typed_intent_payloads_never_reach_rasa() -> None:
    rasa, out = FakeRasa(), FakeOutbox()
    await relay(rasa).on_text(PRIVATE, '  /inform{"trainer_id": "T-1002"}', out)
    assert rasa.calls == [] and out.texts == [words.HELP]


async def test_too_long_message_is_refused_without_rasa() -> None:
    rasa, out = FakeRasa(), FakeOutbox()
    await relay(rasa).on_text(PRIVATE, "x" * 10_000, out)
    assert rasa.calls == [] and "too long" in out.texts[0]


@pytest.mark.parametrize(
    ("error", "expected"),
    [(CodeExpired("x"), words.CODE_EXPIRED), (CodeNotFound("x"), words.CODE_NOT_FOUND)],
)
async def test_start_code_errors(error: Exception, expected: str) -> None:
    out = FakeOutbox()
    await relay(FakeRasa(), FakeLinks(redeem_error=error)).on_start(PRIVATE, "code", out)
    assert out.texts == [expected]


async def test_throttled_start_names_the_time() -> None:
    out = FakeOutbox()
    until = datetime(2026, 3, 1, 12, 15, tzinfo=timezone.utc)
    await relay(FakeRasa(), FakeLinks(redeem_error=TooManyAttempts(until))).on_start(PRIVATE, "code", out)
    assert "12:15 UTC" in out.texts[0]


async def test_linking_commands_refused_in_groups() -> None:
    links, out = FakeLinks({42: "T-1001"}), FakeOutbox()
    r = relay(FakeRasa(), links)
    await r.on_start(GROUP, "code", out)
    await r.on_whoami(GROUP, out)
    await r.on_unlink(GROUP, out)
    assert out.texts == [words.GROUP_NO_LINKING] * 3
    assert links.linked == {42: "T-1001"}


async def test_button_press_answers_the_callback_and_sends_the_payload() -> None:
    rasa, out = FakeRasa(), FakeOutbox()
    await relay(rasa).on_button(PRIVATE, "cb1", "/affirm", out)
    assert out.answered == ["cb1"] and rasa.calls[0][1] == "/affirm"


async def test_a_button_without_an_issued_payload_is_expired_and_reaches_no_one() -> None:
    rasa, out = FakeRasa(), FakeOutbox()
    await relay(rasa).on_button(PRIVATE, "cb2", None, out)
    assert out.answered == ["cb2"] and out.texts == [words.BUTTON_EXPIRED] and rasa.calls == []


async def test_restart_starts_the_conversation_over_and_says_what_it_keeps() -> None:
    rasa, out = FakeRasa(), FakeOutbox()
    await relay(rasa).on_restart(PRIVATE, out)
    assert rasa.calls[0][:2] == ("telegram:42", "/restart")
    assert out.texts == [words.RESTARTED] and "/forget" in words.RESTARTED


async def test_restart_that_did_not_reach_rasa_does_not_claim_it_did() -> None:
    rasa, out = FakeRasa(RasaNotReached("down"), RasaNotReached("down"), RasaNotReached("down")), FakeOutbox()
    await relay(rasa).on_restart(PRIVATE, out)
    assert out.texts == [words.RESTART_FAILED]


@pytest.mark.parametrize(("linked", "question"), [({42: "T-1001"}, words.FORGET_ASK_LINKED), ({}, words.FORGET_ASK_NOT_LINKED)])
async def test_forget_asks_first_then_deletes_on_confirmation(linked: dict[int, str], question: str) -> None:
    rasa, links, out = FakeRasa(), FakeLinks(linked), FakeOutbox()
    r = relay(rasa, links)
    await r.on_forget(PRIVATE, out)
    assert out.texts == [question] and links.forgotten == []
    assert [b.payload for b in out.sent[0][2]] == [FORGET_CONFIRM, FORGET_CANCEL]
    await r.on_button(PRIVATE, "cb", FORGET_CANCEL, out)
    assert out.texts[-1] == words.FORGET_CANCELLED and links.forgotten == []
    await r.on_button(PRIVATE, "cb", FORGET_CONFIRM, out)
    assert links.forgotten == [42] and out.texts[-1].startswith("Done: I deleted our conversations (12 stored")
    assert rasa.calls == []  # the gateway's own buttons never reach Rasa


async def test_forget_is_refused_in_groups() -> None:
    links, out = FakeLinks({42: "T-1001"}), FakeOutbox()
    await relay(FakeRasa(), links).on_forget(GROUP, out)
    await relay(FakeRasa(), links).on_button(GROUP, "cb", FORGET_CONFIRM, out)
    assert out.texts == [words.GROUP_NO_LINKING, words.BUTTON_EXPIRED] and links.forgotten == []


def test_split_text_prefers_breaks_and_keeps_everything() -> None:
    text = "para one\n\n" + "word " * 1000
    pieces = split_text(text, 4096)
    assert all(len(p) <= 4096 for p in pieces) and len(pieces) == 2
    assert split_text("x" * 5000, 4096) == ["x" * 4096, "x" * 904]
    assert split_text("") == [""]


async def test_memory_buttons_give_payloads_back_only_to_their_chat_and_in_time() -> None:
    now = [datetime(2026, 11, 30, tzinfo=timezone.utc)]
    buttons = MemoryButtons(clock=lambda: now[0])
    long = "/inform" + "x" * 100
    short_key, long_key = await buttons.issue(42, ["/affirm", long])
    assert all(len(k.encode()) <= 64 and "/" not in k for k in (short_key, long_key))
    assert await buttons.redeem(42, long_key) == long
    assert await buttons.redeem(43, long_key) is None  # another chat
    assert await buttons.redeem(42, "/affirm") is None  # a payload is not a key
    assert await buttons.redeem(42, "b:" + "A" * 22) is None
    now[0] += timedelta(days=8)
    assert await buttons.redeem(42, short_key) is None  # expired


def test_incoming_uses_the_authenticated_user_id_never_the_username() -> None:
    user = User(id=4242, is_bot=False, first_name="Dana", username="T-1001")
    message = Message(1, datetime.now(timezone.utc), Chat(4242, "private"), from_user=user, text="hi")
    incoming = incoming_from(Update(77, message=message))
    assert incoming == Incoming(chat_id=4242, chat_type="private", user_id=4242, message_id=1, update_id=77)
    assert incoming.sender == "telegram:4242"
