"""Where the relay's messages go: a small interface, a python-telegram-bot implementation.

Telegram limits a message to 4096 characters and a button's ``callback_data`` to
64 bytes; both are handled here, so the relay deals in whole replies and payloads. A button goes
out with a key from the :class:`~bot.channels.telegram.buttons.ButtonStore`, never its payload.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, ReplyParameters
from telegram.constants import ChatAction, MessageLimit

from bot.channels.rasa_client import Button
from bot.channels.telegram.buttons import ButtonStore

TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4096


class Outbox(Protocol):
    async def send_text(
        self, chat_id: int, text: str, buttons: Sequence[Button] = (), reply_to: int | None = None
    ) -> None: ...

    async def send_image(self, chat_id: int, url: str) -> None: ...

    async def send_document(self, chat_id: int, filename: str, content: bytes) -> None: ...

    async def typing(self, chat_id: int) -> None: ...

    async def answer_callback(self, callback_id: str) -> None: ...


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at a paragraph, line or word break when possible."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces


class BotOutbox:
    """An :class:`Outbox` over python-telegram-bot's :class:`telegram.Bot`."""

    def __init__(self, bot: Bot, buttons: ButtonStore) -> None:
        self._bot = bot
        self._buttons = buttons

    async def send_text(
        self, chat_id: int, text: str, buttons: Sequence[Button] = (), reply_to: int | None = None
    ) -> None:
        pieces = split_text(text)
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            markup = None
            if last and buttons:
                keys = await self._buttons.issue(chat_id, [b.payload for b in buttons])
                markup = InlineKeyboardMarkup(
                    [
                        [InlineKeyboardButton(b.title[:64], callback_data=key)]
                        for b, key in zip(buttons, keys, strict=True)
                    ]
                )
            await self._bot.send_message(
                chat_id,
                piece,
                reply_markup=markup,
                reply_parameters=(
                    ReplyParameters(reply_to, allow_sending_without_reply=True)
                    if reply_to and index == 0 else None
                ),
            )

    async def send_image(self, chat_id: int, url: str) -> None:
        await self._bot.send_photo(chat_id, url)

    async def send_document(self, chat_id: int, filename: str, content: bytes) -> None:
        await self._bot.send_document(chat_id, InputFile(content, filename=filename))

    async def typing(self, chat_id: int) -> None:
        await self._bot.send_chat_action(chat_id, ChatAction.TYPING)

    async def answer_callback(self, callback_id: str) -> None:
        await self._bot.answer_callback_query(callback_id)
