"""Linking on a real SQLite store: the repositories, the migration's tables and the use cases."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.linking import service
from bot.linking.errors import CodeAlreadyUsed, CodeExpired, CodeNotFound, TooManyAttempts
from bot.store.bootstrap import make_session_factory
from bot.store.models import LinkCodeRow
from bot.store.unit_of_work import SqlAlchemyUnitOfWork
from rules.model import Credential, TrainerRecord

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def uow(tmp_path: Path) -> SqlAlchemyUnitOfWork:
    factory = make_session_factory(f"sqlite:///{tmp_path / 'store.sqlite3'}", migrate=True)
    uow = SqlAlchemyUnitOfWork(factory)
    with uow:
        uow.trainers.upsert(
            TrainerRecord(
                "T-1001",
                name="Dana Smith",
                credentials=(Credential("nasm-cpt", NOW.date() + timedelta(days=30), number="8812345"),),
            )
        )
        uow.trainers.upsert(TrainerRecord("T-1002", name="Lee Park"))
        uow.commit()
    return uow


def test_link_codes_are_stored_hashed_with_expiry(uow: SqlAlchemyUnitOfWork) -> None:
    issued = service.issue_code(uow, "T-1001", NOW)
    with uow:
        rows = uow.session.execute(select(LinkCodeRow.code_hash, LinkCodeRow.expires_at)).all()
    assert rows == [(service.hash_code(issued.code), NOW + timedelta(minutes=15))]
    assert issued.code not in rows[0][0]


def test_redeem_whoami_unlink_round_trip(uow: SqlAlchemyUnitOfWork) -> None:
    code = service.issue_code(uow, "T-1001", NOW).code
    assert service.redeem(uow, "telegram", "4242", code, NOW + timedelta(minutes=1)) == "T-1001"
    with uow:
        assert uow.identities.trainer_for("telegram", "4242") == "T-1001"
        assert uow.identities.trainer_for("terminal", "4242") is None
        assert [i.user_id for i in uow.identities.for_trainer("T-1001")] == ["4242"]
    account = service.whoami(uow, "telegram", "4242")
    assert account is not None and account.credentials == (("nasm-cpt", "****345"),)
    assert account.linked_at == NOW + timedelta(minutes=1)
    with pytest.raises(CodeAlreadyUsed):
        service.redeem(uow, "telegram", "5555", code, NOW + timedelta(minutes=2))
    # Relinking the same account to another trainer replaces the link (unique channel + user).
    other = service.issue_code(uow, "T-1002", NOW).code
    service.redeem(uow, "telegram", "4242", other, NOW + timedelta(minutes=3))
    assert service.trainer_for(uow, "telegram", "4242") == "T-1002"
    assert service.unlink(uow, "telegram", "4242") is True
    assert service.trainer_for(uow, "telegram", "4242") is None


def test_expired_code_and_persisted_throttle(uow: SqlAlchemyUnitOfWork) -> None:
    code = service.issue_code(uow, "T-1001", NOW).code
    with pytest.raises(CodeExpired):
        service.redeem(uow, "telegram", "9", code, NOW + timedelta(minutes=16))
    for n in range(service.MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(CodeNotFound):
            service.redeem(uow, "telegram", "9", f"nope{n}", NOW + timedelta(minutes=17))
    # The failures were committed, so a fresh unit of work (another process) sees them.
    fresh = SqlAlchemyUnitOfWork(uow.session_factory)
    good = service.issue_code(fresh, "T-1001", NOW + timedelta(minutes=17)).code
    with pytest.raises(TooManyAttempts):
        service.redeem(fresh, "telegram", "9", good, NOW + timedelta(minutes=18))
    with fresh:
        stored = fresh.link_codes.get(service.hash_code(good))
        assert stored is not None and stored.used_at is None
