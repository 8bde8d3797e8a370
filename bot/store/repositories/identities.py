"""Channel identities: which trainer a channel's authenticated user is linked to.

A channel user (``channel``, ``user_id``: e.g. ``"telegram"``, Telegram's ``from.id``)
is linked to at most one trainer; a trainer may be linked from several accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from bot.store.models import ChannelIdentityRow

_IDENTITY = ChannelIdentityRow.__table__


@dataclass(frozen=True)
class ChannelIdentity:
    channel: str
    user_id: str
    trainer_id: str
    linked_at: datetime


class IdentityRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, channel: str, user_id: str) -> ChannelIdentity | None:
        row = self.session.execute(
            select(_IDENTITY.c.channel, _IDENTITY.c.user_id, _IDENTITY.c.trainer_id, _IDENTITY.c.linked_at)
            .where(_IDENTITY.c.channel == channel, _IDENTITY.c.user_id == user_id)
        ).one_or_none()
        return ChannelIdentity(*row) if row else None

    def trainer_for(self, channel: str, user_id: str) -> str | None:
        """The trainer this channel user is linked to, or None."""
        return self.session.execute(
            select(_IDENTITY.c.trainer_id).where(
                _IDENTITY.c.channel == channel, _IDENTITY.c.user_id == user_id
            )
        ).scalar_one_or_none()

    def for_trainer(self, trainer_id: str) -> list[ChannelIdentity]:
        rows = self.session.execute(
            select(_IDENTITY.c.channel, _IDENTITY.c.user_id, _IDENTITY.c.trainer_id, _IDENTITY.c.linked_at)
            .where(_IDENTITY.c.trainer_id == trainer_id)
            .order_by(_IDENTITY.c.linked_at)
        ).all()
        return [ChannelIdentity(*row) for row in rows]

    def link(self, channel: str, user_id: str, trainer_id: str, linked_at: datetime) -> None:
        """Link the channel user to ``trainer_id``, replacing any earlier link of that user."""
        changed = self.session.execute(
            update(_IDENTITY)
            .where(_IDENTITY.c.channel == channel, _IDENTITY.c.user_id == user_id)
            .values(trainer_id=trainer_id, linked_at=linked_at)
        ).rowcount
        if not changed:
            self.session.execute(
                insert(_IDENTITY).values(
                    channel=channel, user_id=user_id, trainer_id=trainer_id, linked_at=linked_at
                )
            )

    def unlink(self, channel: str, user_id: str) -> bool:
        """Remove the channel user's link; True when there was one."""
        return bool(
            self.session.execute(
                delete(_IDENTITY).where(_IDENTITY.c.channel == channel, _IDENTITY.c.user_id == user_id)
            ).rowcount
        )
