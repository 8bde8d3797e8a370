"""The real gateway process (started by `recert up`) and the real Rasa stack, over HTTP
against the fake Bot API: linking from a deep link, a linked trainer's question, the
same question in a group, a sticker, a very long message, expired and used codes. Rasa stopped and
restarted mid-conversation (the gateway rides it out): ``test_handoff_stack.py``, whose round trip
needs that restart too (one model load for both).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

import pytest

from bot.channels.telegram import words
from bot.linking import service
from rules.engine import assess_trainer
from rules.formatting import format_date, format_money
from tests.e2e.conftest import DEMO_TODAY, Stack
from tests.e2e.fake_telegram import BOT_USERNAME, FakeBotApi

if TYPE_CHECKING:
    from bot.store.unit_of_work import SqlAlchemyUnitOfWork

pytestmark = pytest.mark.slow

CARLOS, SECOND, GROUP = 5001, 5002, -100777


def uow_for(stack: Stack) -> SqlAlchemyUnitOfWork:
    from bot.store.bootstrap import make_session_factory
    from bot.store.unit_of_work import SqlAlchemyUnitOfWork

    return SqlAlchemyUnitOfWork(make_session_factory(stack.database_url, migrate=False))


def ask(api: FakeBotApi, user_id: int, text: str, chat_id: int | None = None, chat_type: str = "private",
        timeout: float = 60.0) -> list[str]:
    chat = chat_id or user_id
    after = len(api.messages(chat))
    api.send_text(user_id, text, chat_type=chat_type, chat_id=chat_id)
    return [m.text for m in api.wait_for_reply(chat, after, None, timeout)]


def link_code(stack: Stack, trainer_id: str) -> str:
    issued = stack.recert("link-code", trainer_id)
    assert issued.returncode == 0, issued.stderr
    match = re.search(rf"https://t\.me/{BOT_USERNAME}\?start=([A-Za-z0-9_-]+)", issued.stdout)
    assert match, issued.stdout  # the bot's username came from getMe on the fake API
    return match.group(1)


def test_gateway_registered_its_commands(stack: Stack) -> None:
    commands = stack.fake_api.sent("setMyCommands")[-1].params["commands"]
    assert {c["command"] for c in commands} == {
        "help", "start", "whoami", "unlink", "stop", "forget", "startreminders", "restart", "calendar"
    }


def test_link_from_deep_link_then_ask_am_i_late(stack: Stack) -> None:
    api = stack.fake_api
    with uow_for(stack) as uow:
        record = uow.trainers.get_record("T-1004")
    assert record is not None
    (a,) = assess_trainer(record, date.fromisoformat(DEMO_TODAY))

    before = " ".join(ask(api, CARLOS, "am I late?"))
    assert format_date(a.late_fee_deadline) not in before

    linked = ask(api, CARLOS, f"/start {link_code(stack, 'T-1004')}")
    assert "You're linked, Carlos Rivera" in linked[0]

    answer = " ".join(ask(api, CARLOS, "am I late?"))
    assert answer.startswith("Yes.")
    assert a.fees.late is not None
    assert format_money(a.fees.late) in answer and format_date(a.late_fee_deadline) in answer
    assert api.sent("sendChatAction", CARLOS)

    who = ask(api, CARLOS, "/whoami")[0]
    assert "(T-1004)" in who and "8845678" not in who

    # The same question in a group: general answer only, and a pointer to the private chat.
    group = ask(api, CARLOS, "am I late?", chat_id=GROUP, chat_type="supergroup")
    assert format_date(a.late_fee_deadline) not in " ".join(group)
    assert not any(text.startswith("Yes.") for text in group)
    assert group[-1] == words.GROUP_PRIVATE_ONLY


def test_sticker_and_very_long_message(stack: Stack) -> None:
    api = stack.fake_api
    after = len(api.messages(SECOND))
    api.send_sticker(SECOND)
    assert api.wait_for_reply(SECOND, after)[0].text == words.UNSUPPORTED
    assert "too long" in ask(api, SECOND, "why " * 2500)[0]


def test_expired_code_and_used_code_from_a_second_account(stack: Stack) -> None:
    api = stack.fake_api
    expired = service.issue_code(uow_for(stack), "T-1001", datetime.now(timezone.utc) - timedelta(minutes=16))
    assert ask(api, SECOND, f"/start {expired.code}") == [words.CODE_EXPIRED]
    code = link_code(stack, "T-1001")
    assert "You're linked, Dana Smith" in ask(api, CARLOS + 10, f"/start {code}")[0]
    assert ask(api, SECOND, f"/start {code}") == [words.CODE_USED]
    with uow_for(stack) as uow:
        assert uow.identities.trainer_for("telegram", str(SECOND)) is None
