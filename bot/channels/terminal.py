"""The terminal chat: a trusted local channel to the running assistant.

The local operator either chats anonymously (sender ``terminal:local``, no
identity, so the assistant treats the conversation as not linked) or acts as a
trainer with ``--as`` (sender ``terminal:<TRAINER_ID>``, identity signed here,
because whoever runs the CLI on this machine already holds the record store).

Interactive: a ``you>`` prompt until end of input or ``/quit``. With stdin
not a terminal: one message per line, the replies printed, exit at end of input.
A number typed after a message with buttons sends that button's payload.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from bot.channels.rasa_client import BotReply, RasaClient

LOCAL_SENDER = "terminal:local"
QUIT_WORDS = frozenset({"/quit", "/exit"})
SESSION_START = "/session_start"  # Rasa's own intent: runs action_session_start


def terminal_sender(trainer_id: str | None) -> str:
    return f"terminal:{trainer_id}" if trainer_id else LOCAL_SENDER


def format_replies(replies: Iterable[BotReply]) -> str:
    """Replies as plain text: buttons become numbered options, images their URL."""
    lines: list[str] = []
    number = 0
    for reply in replies:
        if reply.text:
            lines.append(reply.text)
        if reply.image:
            lines.append(f"[image] {reply.image}")
        for button in reply.buttons:
            number += 1
            lines.append(f"  {number}. {button.title}")
    return "\n".join(lines)


def _buttons(replies: Iterable[BotReply]) -> list[str]:
    return [button.payload for reply in replies for button in reply.buttons]


@dataclass
class TerminalChat:
    client: RasaClient
    sender: str
    metadata: Callable[[], Mapping[str, Any] | None]
    out: TextIO
    # A new run of `recert chat` is a new conversation: the sender id is the same every run, so without
    # Rasa's session start an earlier run's slots (and its misunderstanding count, which offers a person
    # after two) would carry into the first message. action_session_start keeps a handed-off chat paused.
    new_session: bool = False

    async def run(self, read_line: Callable[[], str | None], prompt: bool) -> int:
        """Chat until ``read_line`` returns None (end of input); the exit code."""
        options: list[str] = []
        if self.new_session:
            await self.client.send_message(self.sender, SESSION_START, self.metadata())
        while True:
            if prompt:
                self.out.write("you> ")
                self.out.flush()
            line = read_line()
            if line is None:
                if prompt:
                    self.out.write("\n")
                return 0
            text = line.strip()
            if not text:
                continue
            if text.lower() in QUIT_WORDS:
                return 0
            if text.isdigit() and 0 < int(text) <= len(options):
                text = options[int(text) - 1]
            if not prompt:
                self.out.write(f"> {text}\n")
            replies = await self.client.send_message(self.sender, text, self.metadata())
            options = _buttons(replies)
            rendered = format_replies(replies)
            if rendered:
                self.out.write(rendered + "\n")
            if not prompt:
                self.out.write("\n")
            self.out.flush()
