"""Button payloads the gateway issued (``uow.buttons``): a random key out, the payload kept here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from bot.store.models import ButtonPayloadRow

_BUTTON = ButtonPayloadRow.__table__


class ButtonRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, key: str, channel: str, chat_id: str, payload: str, created_at: datetime) -> None:
        self.session.execute(
            insert(_BUTTON).values(
                key=key, channel=channel, chat_id=chat_id, payload=payload, created_at=created_at
            )
        )

    def payload(self, key: str, channel: str, chat_id: str, issued_since: datetime) -> str | None:
        """The payload behind ``key`` if it was issued to this chat at or after ``issued_since``."""
        return self.session.execute(
            select(_BUTTON.c.payload).where(
                _BUTTON.c.key == key,
                _BUTTON.c.channel == channel,
                _BUTTON.c.chat_id == chat_id,
                _BUTTON.c.created_at >= issued_since,
            )
        ).scalar_one_or_none()

    def delete_for_chat(self, channel: str, chat_id: str) -> int:
        return int(
            self.session.execute(
                delete(_BUTTON).where(_BUTTON.c.channel == channel, _BUTTON.c.chat_id == chat_id)
            ).rowcount
        )

    def delete_issued_before(self, cutoff: datetime) -> int:
        return int(self.session.execute(delete(_BUTTON).where(_BUTTON.c.created_at < cutoff)).rowcount)
