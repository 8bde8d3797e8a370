"""Link-code use cases: issue, redeem, who-am-I, unlink.

Plain functions over a unit of work (``with uow:`` inside each), the clock passed
in. A code is ``secrets.token_urlsafe`` of 24 bytes (192 bits; 32 characters of
``[A-Za-z0-9_-]``, which Telegram accepts as a ``/start`` parameter), stored only
as its SHA-256 digest, valid 15 minutes and good for one redemption. Every
redemption attempt is recorded; an account with too many failed attempts within
the throttle window is refused before its code is even looked up.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.errors import UnknownTrainer
from bot.linking.errors import CodeAlreadyUsed, CodeExpired, CodeNotFound, TooManyAttempts

if TYPE_CHECKING:
    from bot.store.unit_of_work import UnitOfWork

CODE_BYTES = 24
CODE_TTL = timedelta(minutes=15)
MAX_FAILED_ATTEMPTS = 5
THROTTLE_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class IssuedCode:
    code: str  # shown once, never stored
    trainer_id: str
    expires_at: datetime


@dataclass(frozen=True)
class LinkedAccount:
    trainer_id: str
    name: str | None
    linked_at: datetime
    credentials: tuple[tuple[str, str], ...]  # (program, masked number)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def mask_number(number: str | None) -> str:
    """A credential number with all but its last three characters hidden."""
    if not number:
        return "(no number on file)"
    shown = 3 if len(number) > 4 else 1
    return "*" * (len(number) - shown) + number[-shown:]


def trainer_exists(uow: UnitOfWork, trainer_id: str) -> bool:
    with uow:
        return bool(uow.trainers.exists(trainer_id))


def issue_code(
    uow: UnitOfWork,
    trainer_id: str,
    now: datetime,
    make_code: Callable[[int], str] = secrets.token_urlsafe,
) -> IssuedCode:
    """A fresh single-use code for ``trainer_id``; raises UnknownTrainer."""
    code = make_code(CODE_BYTES)
    expires_at = now + CODE_TTL
    with uow:
        if not uow.trainers.exists(trainer_id):
            raise UnknownTrainer(f"no trainer with id {trainer_id!r}")
        uow.link_codes.add(hash_code(code), trainer_id, now, expires_at)
        uow.commit()
    return IssuedCode(code=code, trainer_id=trainer_id, expires_at=expires_at)


def redeem(uow: UnitOfWork, channel: str, user_id: str, code: str, now: datetime) -> str:
    """Link the channel user to the code's trainer; the trainer id.

    Raises TooManyAttempts, CodeNotFound, CodeExpired or CodeAlreadyUsed; every
    attempt but a throttled one is recorded (and committed) first.
    """
    with uow:
        failures = uow.link_codes.failed_attempts_since(channel, user_id, now - THROTTLE_WINDOW)
        if len(failures) >= MAX_FAILED_ATTEMPTS:
            raise TooManyAttempts(retry_after=failures[-MAX_FAILED_ATTEMPTS] + THROTTLE_WINDOW)
        record = uow.link_codes.get(hash_code(code))
        error: Exception | None = None
        if record is None:
            error = CodeNotFound("that link code is not valid")
        elif record.used_at is not None:
            error = CodeAlreadyUsed("that link code was already used")
        elif now >= record.expires_at:
            error = CodeExpired("that link code has expired")
        elif not uow.link_codes.mark_used(record.code_hash, now, f"{channel}:{user_id}"):
            error = CodeAlreadyUsed("that link code was already used")
        uow.link_codes.record_attempt(channel, user_id, now, succeeded=error is None)
        if error is not None:
            uow.commit()  # the failed attempt counts towards the throttle
            raise error
        assert record is not None
        uow.identities.link(channel, user_id, record.trainer_id, now)
        uow.commit()
        return str(record.trainer_id)


def trainer_for(uow: UnitOfWork, channel: str, user_id: str) -> str | None:
    with uow:
        return uow.identities.trainer_for(channel, user_id)


def whoami(uow: UnitOfWork, channel: str, user_id: str) -> LinkedAccount | None:
    """The linked trainer with masked credential numbers, or None when not linked."""
    with uow:
        identity = uow.identities.get(channel, user_id)
        if identity is None:
            return None
        record = uow.trainers.get_record(identity.trainer_id)
        credentials = tuple(
            (credential.program, mask_number(credential.number))
            for credential in (record.credentials if record else ())
        )
        return LinkedAccount(
            trainer_id=identity.trainer_id,
            name=record.name if record else None,
            linked_at=identity.linked_at,
            credentials=credentials,
        )


def unlink(uow: UnitOfWork, channel: str, user_id: str) -> bool:
    with uow:
        removed = bool(uow.identities.unlink(channel, user_id))
        uow.commit()
        return removed
