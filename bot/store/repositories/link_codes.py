"""Link codes (stored only as SHA-256 digests) and the redemption attempts used for throttling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from bot.store.models import LinkAttemptRow, LinkCodeRow

_CODE = LinkCodeRow.__table__
_ATTEMPT = LinkAttemptRow.__table__


@dataclass(frozen=True)
class LinkCode:
    code_hash: str
    trainer_id: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None
    used_by: str | None


class LinkCodeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, code_hash: str, trainer_id: str, created_at: datetime, expires_at: datetime) -> None:
        self.session.execute(
            insert(_CODE).values(
                code_hash=code_hash, trainer_id=trainer_id, created_at=created_at, expires_at=expires_at
            )
        )

    def get(self, code_hash: str) -> LinkCode | None:
        row = self.session.execute(
            select(
                _CODE.c.code_hash, _CODE.c.trainer_id, _CODE.c.created_at,
                _CODE.c.expires_at, _CODE.c.used_at, _CODE.c.used_by,
            ).where(_CODE.c.code_hash == code_hash)
        ).one_or_none()
        return LinkCode(*row) if row else None

    def mark_used(self, code_hash: str, used_at: datetime, used_by: str) -> bool:
        """Claim the code; False when it was already used (by a concurrent redemption, too)."""
        return bool(
            self.session.execute(
                update(_CODE)
                .where(_CODE.c.code_hash == code_hash, _CODE.c.used_at.is_(None))
                .values(used_at=used_at, used_by=used_by)
            ).rowcount
        )

    def record_attempt(self, channel: str, user_id: str, attempted_at: datetime, succeeded: bool) -> None:
        self.session.execute(
            insert(_ATTEMPT).values(
                channel=channel, user_id=user_id, attempted_at=attempted_at, succeeded=succeeded
            )
        )

    def failed_attempts_since(self, channel: str, user_id: str, since: datetime) -> list[datetime]:
        """When this channel user's failed attempts after ``since`` happened, oldest first."""
        return list(
            self.session.execute(
                select(_ATTEMPT.c.attempted_at)
                .where(
                    _ATTEMPT.c.channel == channel,
                    _ATTEMPT.c.user_id == user_id,
                    _ATTEMPT.c.succeeded.is_(False),
                    _ATTEMPT.c.attempted_at > since,
                )
                .order_by(_ATTEMPT.c.attempted_at)
            ).scalars()
        )

    def count_unused_for(self, trainer_id: str, now: datetime) -> int:
        return self.session.execute(
            select(func.count()).select_from(_CODE).where(
                _CODE.c.trainer_id == trainer_id, _CODE.c.used_at.is_(None), _CODE.c.expires_at > now
            )
        ).scalar_one()
