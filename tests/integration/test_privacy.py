"""``recert forget`` / ``/forget`` and ``recert prune``: the data is gone, the record stays.

The conversation log is Rasa's ``events`` table: on SQLite a file of its own (as ``recert up``
configures it), on PostgreSQL the record store's database; one test fills it through Rasa's own
``SQLTrackerStore`` to show the deletions are what Rasa sees.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from bot import cli
from bot.errors import UnknownTrainer
from bot.handoff.model import Audience, Kind
from bot.linking import privacy
from bot.store.bootstrap import make_engine, make_session_factory
from bot.store.conversations import EVENTS, ConversationLog
from bot.store.models import TelegramUpdateRow
from bot.store.repositories.privacy import FORGOTTEN_TRANSCRIPT
from bot.store.unit_of_work import SqlAlchemyUnitOfWork
from rules.model import Credential, TrainerRecord

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
DANA, DANA_PHONE, LEE, STRANGER = "111", "112", "222", "333"
DANA_SENDERS = ["telegram:111", "telegram:112", "terminal:T-1001", "telegram-group:-100:111"]
OTHER_SENDERS = ["telegram:222", "telegram-group:-100:222", "telegram-group:-100:1110", "telegram:1110",
                 "terminal:local", "terminal:T-1002", "telegram:333"]

UowFactory = Callable[[], SqlAlchemyUnitOfWork]


def record(trainer_id: str, name: str) -> TrainerRecord:
    return TrainerRecord(trainer_id, name=name, credentials=(Credential("nasm-cpt", date(2027, 3, 1), number="8812345"),))


@pytest.fixture
def log(database_url: str, tmp_path: Path) -> ConversationLog:
    url = f"sqlite:///{tmp_path / 'tracker.sqlite3'}" if database_url.startswith("sqlite") else database_url
    engine = make_engine(url)
    EVENTS.metadata.create_all(engine)
    return ConversationLog(engine)


def add_events(log: ConversationLog, sender: str, *at: tuple[datetime, str]) -> None:
    with log._engine.begin() as conn:
        for when, type_name in at:
            conn.execute(insert(EVENTS).values(sender_id=sender, type_name=type_name, timestamp=when.timestamp(),
                                               data="{}"))


def conversation(log: ConversationLog, sender: str, when: datetime = NOW) -> None:
    add_events(log, sender, (when, "action"), (when, "session_started"), (when, "user"), (when, "bot"))


@pytest.fixture
def people(uow_factory: UowFactory, log: ConversationLog) -> UowFactory:
    with uow_factory() as uow:
        uow.trainers.upsert(record("T-1001", "Dana Smith"))
        uow.trainers.upsert(record("T-1002", "Lee Jones"))
        uow.identities.link("telegram", DANA, "T-1001", NOW)
        uow.identities.link("telegram", DANA_PHONE, "T-1001", NOW)
        uow.identities.link("telegram", LEE, "T-1002", NOW)
        uow.link_codes.add("a" * 64, "T-1001", NOW, NOW + timedelta(minutes=15))
        uow.link_codes.record_attempt("telegram", DANA, NOW, succeeded=True)
        uow.buttons.add("b:dana", "telegram", DANA, "/affirm", NOW)
        uow.buttons.add("b:lee", "telegram", LEE, "/affirm", NOW)
        uow.handoff.add("telegram:111", "T-1001", "asked for a person", "Dana: my card expired", NOW)
        uow.handoff.add("telegram:222", "T-1002", "asked for a person", "Lee: hello", NOW)
        uow.relay.add(1, Audience.STAFF, Kind.TRAINER, "#1 trainer: my card number is 1234", NOW)
        uow.relay.add(2, Audience.STAFF, Kind.TRAINER, "#2 trainer: hi", NOW)
        uow.commit()
    for sender in DANA_SENDERS + OTHER_SENDERS:
        conversation(log, sender)
    return uow_factory


def test_forget_trainer_deletes_conversations_and_links_and_keeps_the_record(
    people: UowFactory, log: ConversationLog
) -> None:
    with people() as uow:
        before = uow.trainers.get_record("T-1001")
    result = privacy.forget_trainer(people(), log, "T-1001")

    assert result.trainer_id == "T-1001" and result.events == 4 * len(DANA_SENDERS)
    assert set(result.accounts) == {"telegram:111", "telegram:112"}
    assert sorted(log.senders()) == sorted(OTHER_SENDERS)
    with people() as uow:
        assert uow.trainers.get_record("T-1001") == before  # the body's record stays
        assert uow.identities.for_trainer("T-1001") == []
        assert uow.identities.trainer_for("telegram", LEE) == "T-1002"
        assert uow.link_codes.get("a" * 64) is None
        assert uow.link_codes.failed_attempts_since("telegram", DANA, NOW - timedelta(days=1)) == []
        assert uow.buttons.payload("b:dana", "telegram", DANA, NOW - timedelta(days=1)) is None
        assert uow.buttons.payload("b:lee", "telegram", LEE, NOW - timedelta(days=1)) == "/affirm"
        tickets = {t.sender: t.transcript for t in (uow.handoff.get(1), uow.handoff.get(2)) if t}
        relayed = [m.text for ticket_id in (1, 2) for m in uow.relay.thread(ticket_id)]
    assert tickets == {"telegram:111": FORGOTTEN_TRANSCRIPT, "telegram:222": "Lee: hello"}
    assert relayed == [FORGOTTEN_TRANSCRIPT, "#2 trainer: hi"]

    again = privacy.forget_trainer(people(), log, "T-1001")  # nothing left, nothing breaks
    assert again.events == 0 and again.accounts == ()


def test_forget_drops_the_handled_webhook_updates_of_the_trainers_chats(
    people: UowFactory, log: ConversationLog
) -> None:
    """The webhook inbox keeps handled updates (what was typed) for a while; /forget must not wait for that."""
    with people() as uow:
        for update_id, chat in ((1, DANA), (2, DANA_PHONE), (3, LEE), (4, DANA)):
            uow.telegram_updates.add(update_id, int(chat), f'{{"update_id": {update_id}}}', "gw-1", NOW)
        for update_id in (1, 2, 3):
            uow.telegram_updates.mark_processed(update_id, NOW)
        uow.commit()
    privacy.forget_trainer(people(), log, "T-1001")
    with people() as uow:
        left = uow.session.execute(select(TelegramUpdateRow.update_id).order_by(TelegramUpdateRow.update_id))
        # Lee's update stays; Dana's update 4 was not handled yet (sent after the request): it is answered.
        assert [row.update_id for row in left] == [3, 4]


def test_forget_an_unknown_trainer_changes_nothing(people: UowFactory, log: ConversationLog) -> None:
    with pytest.raises(UnknownTrainer):
        privacy.forget_trainer(people(), log, "T-9999")
    assert len(log.senders()) == len(DANA_SENDERS + OTHER_SENDERS)


def test_a_linked_accounts_own_request_forgets_its_trainer(people: UowFactory, log: ConversationLog) -> None:
    result = privacy.forget_account(people(), log, "telegram", DANA_PHONE)
    assert result.trainer_id == "T-1001" and set(result.accounts) == {"telegram:111", "telegram:112"}
    assert sorted(log.senders()) == sorted(OTHER_SENDERS)


def test_an_unlinked_accounts_own_request_forgets_only_its_conversations(
    people: UowFactory, log: ConversationLog
) -> None:
    result = privacy.forget_account(people(), log, "telegram", STRANGER)
    assert result.trainer_id is None and result.events == 4
    assert "telegram:333" not in log.senders() and len(log.senders()) == len(DANA_SENDERS + OTHER_SENDERS) - 1
    with people() as uow:
        assert uow.identities.trainer_for("telegram", DANA) == "T-1001"


def test_prune_deletes_old_events_but_never_half_of_a_live_session(
    uow_factory: UowFactory, log: ConversationLog
) -> None:
    old, older, recent = NOW - timedelta(days=40), NOW - timedelta(days=35), NOW - timedelta(days=1)
    conversation(log, "telegram:1", old)  # over: all of it goes
    # one session that began long ago and is still going: all of it stays
    add_events(log, "telegram:2", (old, "session_started"), (old, "user"), (recent, "user"))
    # an old session, then a newer one still going: the old session goes
    add_events(log, "telegram:3", (old, "session_started"), (old, "user"), (older, "session_started"),
               (older, "user"), (recent, "user"))
    conversation(log, "telegram:4", recent)
    with uow_factory() as uow:
        uow.buttons.add("b:old", "telegram", "1", "/affirm", old)
        uow.buttons.add("b:new", "telegram", "1", "/deny", recent)
        uow.commit()

    result = privacy.prune(uow_factory(), log, NOW, timedelta(days=30))

    assert result.cutoff == NOW - timedelta(days=30) and result.buttons == 1
    with log._engine.connect() as conn:
        left = conn.execute(select(EVENTS.c.sender_id, EVENTS.c.timestamp)).all()
    kept = {(sender, datetime.fromtimestamp(ts, timezone.utc)) for sender, ts in left}
    assert kept == {("telegram:2", old), ("telegram:2", recent), ("telegram:3", older), ("telegram:3", recent),
                    ("telegram:4", recent)}
    assert result.events == 4 + 2


def test_nothing_to_delete_before_rasa_created_its_table(uow_factory: UowFactory, tmp_path: Path) -> None:
    empty = ConversationLog(make_engine(f"sqlite:///{tmp_path / 'none.sqlite3'}"))
    assert privacy.prune(uow_factory(), empty, NOW, timedelta(days=1)).events == 0
    assert empty.delete_conversations(["telegram:1"], ["telegram-group:%:1"]) == 0


async def test_what_rasas_own_tracker_store_sees_after_forget(tmp_path: Path) -> None:
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker_db = tmp_path / "rasa-tracker.sqlite3"
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(tracker_db))
    for sender in ("telegram:111", "telegram:222"):
        events = [ActionExecuted("action_session_start"), SessionStarted(), UserUttered("my card expired")]
        await store.save(DialogueStateTracker.from_events(sender, events))
    uows = make_session_factory(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    with SqlAlchemyUnitOfWork(uows) as uow:
        uow.trainers.upsert(record("T-1001", "Dana Smith"))
        uow.identities.link("telegram", DANA, "T-1001", NOW)
        uow.commit()

    result = privacy.forget_trainer(SqlAlchemyUnitOfWork(uows), ConversationLog(make_engine(f"sqlite:///{tracker_db}")),
                                    "T-1001")

    assert result.events == 3
    assert await store.retrieve("telegram:111") is None
    kept = await store.retrieve("telegram:222")
    assert kept is not None and kept.latest_message.text == "my card expired"


def test_recert_forget_and_prune_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    var = tmp_path / "var"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RECERT_VAR_DIR", str(var))
    monkeypatch.setenv("RECERT_DATABASE_URL", f"sqlite:///{var / 'recert.sqlite3'}")
    with SqlAlchemyUnitOfWork(make_session_factory(f"sqlite:///{var / 'recert.sqlite3'}")) as uow:
        uow.trainers.upsert(record("T-1001", "Dana Smith"))
        uow.identities.link("telegram", DANA, "T-1001", NOW)
        uow.commit()
    log = ConversationLog(make_engine(f"sqlite:///{var / 'rasa-tracker.sqlite3'}"))  # where `recert up` puts it
    EVENTS.metadata.create_all(log._engine)
    conversation(log, "telegram:111")
    conversation(log, "telegram:5", datetime.now(timezone.utc) - timedelta(days=100))

    assert cli.main(["forget", "T-1001"]) == 0
    out = capsys.readouterr().out
    assert "deleted 4 conversation events" in out and "telegram:111" in out and "record is kept" in out
    assert cli.main(["prune", "--older-than", "90"]) == 0
    assert "Deleted 4 conversation events" in capsys.readouterr().out
    assert log.senders() == []
    assert cli.main(["prune", "--older-than", "0"]) == 1
    assert cli.main(["forget", "T-0000"]) == 1
    err = capsys.readouterr().err
    assert "at least 1 day" in err and "T-0000" in err and "Traceback" not in err
