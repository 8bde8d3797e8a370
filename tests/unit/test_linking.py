"""Link-code use cases against a hand-written fake unit of work."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from types import TracebackType
from typing import TYPE_CHECKING

import pytest

from bot.errors import UnknownTrainer
from bot.linking import service
from bot.linking.errors import CodeAlreadyUsed, CodeExpired, CodeNotFound, TooManyAttempts
from bot.store.repositories.buttons import ButtonRepository
from bot.store.repositories.catalog import CatalogRepository
from bot.store.repositories.handoff import HandoffTicketRepository
from bot.store.repositories.identities import ChannelIdentity, IdentityRepository
from bot.store.repositories.link_codes import LinkCode, LinkCodeRepository
from bot.store.repositories.privacy import PrivacyRepository
from bot.store.repositories.relay import RelayRepository
from bot.store.repositories.reminders import ReminderRepository
from bot.store.repositories.telegram_updates import TelegramUpdateRepository
from bot.store.repositories.trainers import TrainerRepository
from rules.model import Credential, TrainerRecord

if TYPE_CHECKING:
    from bot.store.unit_of_work import UnitOfWork

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


class FakeTrainers(TrainerRepository):
    """The real repositories are subclassed (their ``__init__`` never called), so mypy checks each
    overridden method against the real signature."""

    def __init__(self, records: dict[str, TrainerRecord]) -> None:
        self.records = records

    def exists(self, trainer_id: str) -> bool:
        return trainer_id in self.records

    def get_record(self, trainer_id: str) -> TrainerRecord | None:
        return self.records.get(trainer_id)


class FakeLinkCodes(LinkCodeRepository):
    def __init__(self) -> None:
        self.codes: dict[str, LinkCode] = {}
        self.attempts: list[tuple[str, str, datetime, bool]] = []

    def add(self, code_hash: str, trainer_id: str, created_at: datetime, expires_at: datetime) -> None:
        self.codes[code_hash] = LinkCode(code_hash, trainer_id, created_at, expires_at, None, None)

    def get(self, code_hash: str) -> LinkCode | None:
        return self.codes.get(code_hash)

    def mark_used(self, code_hash: str, used_at: datetime, used_by: str) -> bool:
        code = self.codes[code_hash]
        if code.used_at is not None:
            return False
        self.codes[code_hash] = replace(code, used_at=used_at, used_by=used_by)
        return True

    def record_attempt(self, channel: str, user_id: str, attempted_at: datetime, succeeded: bool) -> None:
        self.attempts.append((channel, user_id, attempted_at, succeeded))

    def failed_attempts_since(self, channel: str, user_id: str, since: datetime) -> list[datetime]:
        return sorted(
            at for c, u, at, ok in self.attempts if (c, u) == (channel, user_id) and not ok and at > since
        )


class FakeIdentities(IdentityRepository):
    def __init__(self) -> None:
        self.links: dict[tuple[str, str], ChannelIdentity] = {}

    def get(self, channel: str, user_id: str) -> ChannelIdentity | None:
        return self.links.get((channel, user_id))

    def trainer_for(self, channel: str, user_id: str) -> str | None:
        link = self.links.get((channel, user_id))
        return link.trainer_id if link else None

    def link(self, channel: str, user_id: str, trainer_id: str, linked_at: datetime) -> None:
        self.links[(channel, user_id)] = ChannelIdentity(channel, user_id, trainer_id, linked_at)

    def unlink(self, channel: str, user_id: str) -> bool:
        return self.links.pop((channel, user_id), None) is not None


class FakeUnitOfWork:
    """Declares :class:`~bot.store.unit_of_work.UnitOfWork`'s repositories with its (settable, so
    exact) types; the fakes are also kept as ``codes`` and ``links`` for what only a fake can tell.
    The repositories linking does not use are declared but never set."""

    trainers: TrainerRepository
    catalog: CatalogRepository
    identities: IdentityRepository
    link_codes: LinkCodeRepository
    handoff: HandoffTicketRepository
    relay: RelayRepository
    buttons: ButtonRepository
    privacy: PrivacyRepository
    reminders: ReminderRepository
    telegram_updates: TelegramUpdateRepository

    def __init__(self, trainers: FakeTrainers, link_codes: FakeLinkCodes, identities: FakeIdentities) -> None:
        self.trainers = trainers
        self.codes = self.link_codes = link_codes
        self.links = self.identities = identities
        self.committed = 0
        self.rolled_back = 0

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        pass

    def commit(self) -> None:
        self.committed += 1

    def rollback(self) -> None:
        self.rolled_back += 1


if TYPE_CHECKING:
    _check_uow: UnitOfWork = FakeUnitOfWork(FakeTrainers({}), FakeLinkCodes(), FakeIdentities())


@pytest.fixture
def uow() -> FakeUnitOfWork:
    dana = TrainerRecord(
        trainer_id="T-1001",
        name="Dana Smith",
        credentials=(Credential(program="nasm-cpt", expires_on=NOW.date(), number="8812345"),),
    )
    return FakeUnitOfWork(FakeTrainers({"T-1001": dana, "T-1002": TrainerRecord("T-1002")}), FakeLinkCodes(), FakeIdentities())


def test_issued_code_is_long_random_urlsafe_and_stored_only_hashed(uow: FakeUnitOfWork) -> None:
    issued = service.issue_code(uow, "T-1001", NOW)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", issued.code)  # 24 bytes = 192 bits
    assert issued.expires_at == NOW + timedelta(minutes=15)
    assert list(uow.codes.codes) == [service.hash_code(issued.code)]
    assert issued.code not in repr(uow.codes.codes)
    assert uow.committed == 1
    assert service.issue_code(uow, "T-1001", NOW).code != issued.code


def test_issue_for_unknown_trainer_fails(uow: FakeUnitOfWork) -> None:
    with pytest.raises(UnknownTrainer):
        service.issue_code(uow, "T-9999", NOW)
    assert uow.codes.codes == {}


def test_redeem_links_the_channel_user(uow: FakeUnitOfWork) -> None:
    issued = service.issue_code(uow, "T-1001", NOW)
    assert service.redeem(uow, "telegram", "42", issued.code, NOW + timedelta(minutes=14)) == "T-1001"
    assert service.trainer_for(uow, "telegram", "42") == "T-1001"
    assert uow.codes.codes[service.hash_code(issued.code)].used_by == "telegram:42"
    assert uow.codes.attempts[-1][3] is True


def test_code_is_single_use_even_for_a_second_account(uow: FakeUnitOfWork) -> None:
    issued = service.issue_code(uow, "T-1001", NOW)
    service.redeem(uow, "telegram", "42", issued.code, NOW)
    with pytest.raises(CodeAlreadyUsed):
        service.redeem(uow, "telegram", "77", issued.code, NOW)
    assert service.trainer_for(uow, "telegram", "77") is None


def test_expired_code(uow: FakeUnitOfWork) -> None:
    issued = service.issue_code(uow, "T-1001", NOW)
    with pytest.raises(CodeExpired):
        service.redeem(uow, "telegram", "42", issued.code, NOW + timedelta(minutes=15))
    assert service.trainer_for(uow, "telegram", "42") is None
    assert uow.codes.attempts[-1][3] is False


def test_wrong_codes_are_throttled_per_account(uow: FakeUnitOfWork) -> None:
    issued = service.issue_code(uow, "T-1001", NOW)
    for minute in range(service.MAX_FAILED_ATTEMPTS):
        with pytest.raises(CodeNotFound):
            service.redeem(uow, "telegram", "666", f"guess-{minute}", NOW + timedelta(minutes=minute))
    # Now even the right code is refused for this account...
    with pytest.raises(TooManyAttempts) as info:
        service.redeem(uow, "telegram", "666", issued.code, NOW + timedelta(minutes=5))
    assert info.value.retry_after == NOW + service.THROTTLE_WINDOW
    # ...but not for another account,
    assert service.redeem(uow, "telegram", "42", issued.code, NOW + timedelta(minutes=5)) == "T-1001"
    # and the throttled account may try again once the oldest failure left the window.
    second = service.issue_code(uow, "T-1002", NOW + timedelta(minutes=15))
    assert service.redeem(uow, "telegram", "666", second.code, NOW + timedelta(minutes=15)) == "T-1002"


def test_whoami_masks_the_credential_number_and_unlink_removes_the_link(uow: FakeUnitOfWork) -> None:
    assert service.whoami(uow, "telegram", "42") is None
    service.redeem(uow, "telegram", "42", service.issue_code(uow, "T-1001", NOW).code, NOW)
    account = service.whoami(uow, "telegram", "42")
    assert account is not None
    assert (account.trainer_id, account.name) == ("T-1001", "Dana Smith")
    assert account.credentials == (("nasm-cpt", "****345"),)
    assert "8812345" not in repr(account)
    assert service.unlink(uow, "telegram", "42") is True
    assert service.unlink(uow, "telegram", "42") is False
    assert service.whoami(uow, "telegram", "42") is None


def test_relinking_replaces_the_earlier_trainer(uow: FakeUnitOfWork) -> None:
    service.redeem(uow, "telegram", "42", service.issue_code(uow, "T-1001", NOW).code, NOW)
    service.redeem(uow, "telegram", "42", service.issue_code(uow, "T-1002", NOW).code, NOW)
    assert service.trainer_for(uow, "telegram", "42") == "T-1002"


@pytest.mark.parametrize(("number", "masked"), [("8812345", "****345"), ("1234", "***4"), (None, "(no number on file)")])
def test_mask_number(number: str | None, masked: str) -> None:
    assert service.mask_number(number) == masked
