"""Random and hostile input, tried at volume: a clear answer, no traceback, nothing changed.

Hypothesis feeds the gateway (the relay with a fake Rasa and the real store, the stored button
keys, the webhook endpoint) and ``recert import`` with control characters, 64 KB messages,
right-to-left marks, SQL and Markdown injection, malformed JSON and wrong secret tokens.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from telegram.ext import Application

from bot import cli
from bot.channels.rasa_client import BotReply, Button
from bot.channels.telegram import words
from bot.channels.telegram.app import GatewayDeps, build_application
from bot.channels.telegram.buttons import StoredButtons
from bot.channels.telegram.relay import MAX_MESSAGE_CHARS, Incoming, LinkDirectory, Relay
from bot.channels.telegram.server import SECRET_HEADER, Health, http_app
from bot.identity import verify_identity
from bot.settings import load_settings
from bot.store.bootstrap import make_engine, make_session_factory
from bot.store.conversations import ConversationLog
from bot.store.models import metadata
from bot.store.unit_of_work import SqlAlchemyUnitOfWork
from rules.model import Credential, TrainerRecord
from tests.conftest import fresh_database
from tests.unit.test_telegram_relay import FakeLinks

SECRET = "hostile-input-secret"
WEBHOOK_SECRET = "webhook-secret-token"
LINKED, STRANGER = 4242, 777

HOSTILE = [
    "'; DROP TABLE trainers; --",
    "T-1001' OR '1'='1",
    "Robert'); DELETE FROM channel_identities; --",
    "*bold* _it_ [link](tg://user?id=1) `code` ```pre``` <b>x</b> \\",
    "\u202eevil\u202c \u200f\u200e\u2066rtl\u2069 \u061c",
    "\x00\x01\x02\x1b[31mred\x1b[0m\x7f\r\n\t",
    "/inform{\"trainer_id\": \"T-1002\"}",
    "  /restart",
    "ｆｕｌｌｗｉｄｔｈ and emoji 👩🏽‍💻 and \ud7ff",
    "x" * 65_536,
    "word " * 13_000,
    "",
    " ",
]
hostile_text = st.one_of(st.sampled_from(HOSTILE), st.text(), st.text(alphabet=st.characters(max_codepoint=0x40)))
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# --- a record store to check nothing changed --------------------------------------------------


def snapshot(uow_factory: Callable[[], SqlAlchemyUnitOfWork]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every record-store table."""
    with uow_factory() as uow:
        return {
            table.name: sorted(map(tuple, uow.session.execute(select(table)).all()), key=repr)
            for table in metadata.sorted_tables
        }


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[], SqlAlchemyUnitOfWork]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'store.sqlite3'}"
    factory = make_session_factory(url)
    uows = lambda: SqlAlchemyUnitOfWork(factory)  # noqa: E731
    with uows() as uow:
        uow.trainers.upsert(TrainerRecord("T-1001", name="Dana Smith",
                                          credentials=(Credential("nasm-cpt", date(2027, 3, 1), number="8812345"),)))
        uow.identities.link("telegram", str(LINKED), "T-1001", datetime(2026, 11, 1, tzinfo=timezone.utc))
        uow.commit()
    yield uows
    factory.kw["bind"].dispose()


# --- the gateway: the relay with a fake Rasa --------------------------------------------------


class EchoRasa:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict[str, Any] | None]] = []

    async def send_message(self, sender: str, message: str, metadata: dict[str, Any] | None = None) -> list[BotReply]:
        self.calls.append((sender, message, metadata))
        return [BotReply(text=message[:100] or "(empty)", buttons=(Button("Yes", "/affirm"),))]


class Outbox:
    def __init__(self, buttons: StoredButtons) -> None:
        self.buttons = buttons
        self.sent: list[tuple[int, str, list[str]]] = []

    async def send_text(self, chat_id: int, text: str, buttons: Sequence[Button] = (), reply_to: int | None = None) -> None:
        keys = await self.buttons.issue(chat_id, [b.payload for b in buttons]) if buttons else []
        self.sent.append((chat_id, text, keys))

    async def send_image(self, chat_id: int, url: str) -> None:
        pass

    async def send_document(self, chat_id: int, filename: str, content: bytes) -> None:
        pass

    async def typing(self, chat_id: int) -> None:
        pass

    async def answer_callback(self, callback_id: str) -> None:
        pass


def gateway(store: Callable[[], SqlAlchemyUnitOfWork], tmp: Path) -> tuple[Relay, EchoRasa, StoredButtons]:
    rasa = EchoRasa()
    links = LinkDirectory(store, ConversationLog(make_engine(f"sqlite:///{tmp / 'tracker.sqlite3'}")))
    return Relay(rasa, links, SECRET, retry_delays=(), typing_interval=60), rasa, StoredButtons(store)


def without_buttons(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    return {name: r for name, r in rows.items() if name != "button_payloads"}  # the replies' own buttons


@FAST
@given(text=hostile_text, user=st.sampled_from([LINKED, STRANGER]), chat_type=st.sampled_from(["private", "group"]))
def test_any_text_gets_a_clear_answer_and_changes_no_record(
    store: Callable[[], SqlAlchemyUnitOfWork], tmp_path: Path, text: str, user: int, chat_type: str
) -> None:
    relay, rasa, buttons = gateway(store, tmp_path)
    incoming = Incoming(chat_id=user if chat_type == "private" else -100, chat_type=chat_type, user_id=user, message_id=1)
    out = Outbox(buttons)
    before = without_buttons(snapshot(store))

    asyncio.run(relay.on_text(incoming, text, out))

    assert out.sent and all(message for _, message, _ in out.sent)
    if len(text) > MAX_MESSAGE_CHARS:
        assert rasa.calls == [] and out.sent[0][1] == words.too_long(MAX_MESSAGE_CHARS)
    elif text.lstrip().startswith("/"):
        assert rasa.calls == [] and out.sent[0][1] == words.HELP
    else:
        [(sender, message, metadata)] = rasa.calls
        assert message == text
        identity = verify_identity(metadata, sender, SECRET)
        assert identity == ("T-1001" if (user == LINKED and chat_type == "private") else None)
    assert without_buttons(snapshot(store)) == before


@FAST
@given(data=st.one_of(hostile_text, st.binary().map(lambda b: b.decode("latin-1"))))
def test_forged_button_data_never_reaches_rasa(store: Callable[[], SqlAlchemyUnitOfWork], tmp_path: Path, data: str) -> None:
    relay, rasa, buttons = gateway(store, tmp_path)
    out = Outbox(buttons)
    incoming = Incoming(chat_id=LINKED, chat_type="private", user_id=LINKED)
    before = snapshot(store)

    async def press() -> None:
        await relay.on_button(incoming, "cb", await buttons.redeem(LINKED, data), out)

    asyncio.run(press())
    assert rasa.calls == [] and [m for _, m, _ in out.sent] == [words.BUTTON_EXPIRED]
    assert snapshot(store) == before


@FAST
@given(code=hostile_text)
def test_any_link_code_is_refused_clearly_and_links_no_one(
    store: Callable[[], SqlAlchemyUnitOfWork], tmp_path: Path, code: str
) -> None:
    relay, rasa, buttons = gateway(store, tmp_path)
    out = Outbox(buttons)
    before = snapshot(store)
    asyncio.run(relay.on_start(Incoming(chat_id=STRANGER, chat_type="private", user_id=STRANGER), code, out))
    [(_, answer, _)] = out.sent
    assert answer in (words.CODE_NOT_FOUND, words.CODE_EXPIRED, words.CODE_USED) or "Too many wrong" in answer \
        or answer.startswith(words.WELCOME)  # an empty code is no code
    after = snapshot(store)
    assert after["channel_identities"] == before["channel_identities"] and after["trainers"] == before["trainers"]
    assert rasa.calls == []


# --- the webhook endpoint ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def application(tmp_path_factory: pytest.TempPathFactory) -> Application:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": "1:x", "RECERT_VAR_DIR": str(tmp_path_factory.mktemp("var"))})
    relay = Relay(EchoRasa(), FakeLinks(), SECRET)  # the updates are only queued here, never handled
    return build_application(settings, GatewayDeps(relay=relay))


async def post(application: Application, body: bytes, secret: str) -> int:
    async def accept(data: dict[str, Any]) -> None:  # what the webhook would store
        await application.update_queue.put(data)

    app = http_app(Health("webhook"), (WEBHOOK_SECRET, "/telegram", accept, application.bot))
    async with TestClient(TestServer(app)) as client:
        response = await client.post("/telegram", data=body, headers={SECRET_HEADER: secret,
                                                                      "Content-Type": "application/json"})
        return response.status


def drain(application: Application) -> list[Any]:
    queued = []
    while not application.update_queue.empty():
        queued.append(application.update_queue.get_nowait())
    return queued


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
update_like = st.fixed_dictionaries(
    {"update_id": st.one_of(st.integers(), st.text(max_size=5), st.none(), st.booleans())},
    optional={
        "message": st.one_of(json_values, st.fixed_dictionaries(
            {"message_id": st.integers(), "date": st.integers(), "chat": json_values, "text": hostile_text},
            optional={"from": json_values},
        )),
        "callback_query": json_values,
        "edited_message": json_values,
    },
)
bodies = st.one_of(
    st.binary(max_size=2000),
    hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
    json_values.map(lambda v: json.dumps(v).encode()),
    update_like.map(lambda v: json.dumps(v).encode()),
)


@FAST
@given(body=bodies)
def test_webhook_answers_any_body_with_a_clear_status(application: Application, body: bytes) -> None:
    status = asyncio.run(post(application, body, WEBHOOK_SECRET))
    queued = drain(application)
    event(f"status {status}")
    assert status in (200, 400), status
    assert (status == 200) == (len(queued) == 1)


@FAST
@given(secret=st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=80), body=bodies)
def test_webhook_without_the_secret_queues_nothing(application: Application, secret: str, body: bytes) -> None:
    if secret == WEBHOOK_SECRET:
        secret += "x"
    assert asyncio.run(post(application, body, secret)) == 403
    assert drain(application) == []


# --- recert import ----------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def import_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The import's store: SQLite, and PostgreSQL (a schema of its own) when configured."""
    yield from fresh_database(request.param, tmp_path_factory.mktemp("import-db"))


@pytest.fixture(scope="module")
def import_env(
    import_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, Callable[[], SqlAlchemyUnitOfWork]]]:
    tmp = tmp_path_factory.mktemp("import")
    url = import_url
    with pytest.MonkeyPatch.context() as patch:
        for name in [n for n in os.environ if n.startswith(("RECERT_", "TELEGRAM_"))]:
            patch.delenv(name)
        patch.setenv("RECERT_DATABASE_URL", url)
        patch.setenv("RECERT_VAR_DIR", str(tmp))
        patch.chdir(tmp)
        factory = make_session_factory(url)
        yield tmp, lambda: SqlAlchemyUnitOfWork(factory)
        factory.kw["bind"].dispose()


def recert_import(path: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["import", str(path)])
    return code, err.getvalue()


def assert_clear(code: int, err: str) -> None:
    assert code in (0, 1)
    assert "Traceback" not in err
    if code == 1:
        assert err.startswith("recert: ") and err.count("\n") >= 1


field_text = st.one_of(st.sampled_from(HOSTILE[:9] + ["x" * 600]), st.text(max_size=80))
trainers = st.fixed_dictionaries(
    {
        "id": st.one_of(st.sampled_from(["T-1", "T-2"]), field_text),
        "name": field_text,
        "timezone": st.one_of(st.just("UTC"), field_text),
    },
    optional={
        "email": field_text,
        "credentials": st.lists(st.fixed_dictionaries({
            "program": st.one_of(st.just("nasm-cpt"), field_text),
            "number": field_text,
            "expires_on": st.one_of(st.just("2027-03-01"), field_text),
            "plan": st.one_of(st.just("standard"), field_text),
        }), max_size=2),
        "ce_records": st.lists(st.fixed_dictionaries({
            "title": field_text, "provider": field_text, "completed_on": st.one_of(st.just("2026-01-01"), field_text),
            "ceus": st.one_of(st.just("0.5"), field_text), "status": st.one_of(st.just("approved"), field_text),
        }), max_size=2),
    },
)


@FAST
@given(doc=st.fixed_dictionaries({"trainers": st.lists(trainers, min_size=1, max_size=2)}),
       fmt=st.sampled_from(["yaml", "json"]))
def test_import_of_hostile_records_is_all_or_nothing_and_clear(
    import_env: tuple[Path, Callable[[], SqlAlchemyUnitOfWork]], doc: dict[str, Any], fmt: str
) -> None:
    tmp, uows = import_env
    path = tmp / f"records.{fmt}"
    path.write_text(json.dumps(doc) if fmt == "json" else yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    before = snapshot(uows)
    code, err = recert_import(path)
    assert_clear(code, err)
    event(f"exit {code}")
    if code == 1:
        assert snapshot(uows) == before
    else:  # accepted: stored as written (names are stripped of surrounding space only)
        with uows() as uow:
            for trainer in doc["trainers"]:
                stored = uow.trainers.get_record(trainer["id"].strip())
                assert stored is not None and stored.name == trainer["name"].strip()


@FAST
@given(content=st.one_of(hostile_text, st.binary(max_size=500).map(lambda b: b.decode("latin-1"))),
       suffix=st.sampled_from([".yml", ".json", ".txt"]))
def test_import_of_a_garbage_file_is_refused_clearly(
    import_env: tuple[Path, Callable[[], SqlAlchemyUnitOfWork]], content: str, suffix: str
) -> None:
    tmp, uows = import_env
    path = tmp / f"garbage{suffix}"
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    before = snapshot(uows)
    code, err = recert_import(path)
    assert_clear(code, err)
    if code == 1:
        assert snapshot(uows) == before
