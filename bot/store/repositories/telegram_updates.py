"""Webhook updates kept until handled, and per-chat claims (``uow.telegram_updates``).

The gateway's webhook stores an update before it answers Telegram (:meth:`add`); one instance at
a time holds a chat (:meth:`claim_chat`, an expiring row, renewed while it works) and handles that
chat's stored updates in ``update_id`` order (:meth:`next_for_chat`, :meth:`mark_processed`).
Claims work alike on SQLite and PostgreSQL: a conditional UPDATE, or an INSERT ... ON CONFLICT DO
NOTHING whose primary key refuses a second owner; no table locks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.store.models import TelegramChatClaimRow, TelegramUpdateRow

_UPDATE = TelegramUpdateRow.__table__
_CLAIM = TelegramChatClaimRow.__table__


@dataclass(frozen=True)
class StoredUpdate:
    update_id: int
    chat_id: int
    body: str
    received_at: datetime


class TelegramUpdateRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _insert(self, table: Any) -> Any:
        dialect = self.session.get_bind().dialect.name
        return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)

    # --- the webhook's side -------------------------------------------------------------

    def add(self, update_id: int, chat_id: int, body: str, received_by: str, now: datetime) -> bool:
        """Store an update; False when this ``update_id`` is already stored (Telegram sent it again)."""
        statement = self._insert(_UPDATE).values(
            update_id=update_id, chat_id=chat_id, body=body, received_at=now, received_by=received_by
        )
        return bool(self.session.execute(statement.on_conflict_do_nothing()).rowcount)

    # --- the handlers' side -------------------------------------------------------------

    def chats_waiting(self, now: datetime, limit: int) -> list[int]:
        """Chats with an unhandled update and no live claim, the longest-waiting first."""
        claimed = exists().where(_CLAIM.c.chat_id == _UPDATE.c.chat_id, _CLAIM.c.expires_at > now)
        rows = self.session.execute(
            select(_UPDATE.c.chat_id)
            .where(_UPDATE.c.processed_at.is_(None), ~claimed)
            .group_by(_UPDATE.c.chat_id)
            .order_by(func.min(_UPDATE.c.update_id))
            .limit(limit)
        )
        return [int(chat_id) for chat_id in rows.scalars()]

    def claim_chat(self, chat_id: int, owner: str, now: datetime, until: datetime) -> bool:
        """Take (or renew) the chat for ``owner`` until ``until``; False while another owner holds it."""
        taken = self.session.execute(
            update(_CLAIM)
            .where(_CLAIM.c.chat_id == chat_id, or_(_CLAIM.c.owner == owner, _CLAIM.c.expires_at <= now))
            .values(owner=owner, expires_at=until)
        ).rowcount
        if taken:
            return True
        # held by another owner (or claimed by one this instant): the key refuses a second row
        statement = self._insert(_CLAIM).values(chat_id=chat_id, owner=owner, expires_at=until)
        return bool(self.session.execute(statement.on_conflict_do_nothing()).rowcount)

    def release_chat(self, chat_id: int, owner: str) -> None:
        self.session.execute(delete(_CLAIM).where(_CLAIM.c.chat_id == chat_id, _CLAIM.c.owner == owner))

    def release_all(self, owner: str) -> int:
        return int(self.session.execute(delete(_CLAIM).where(_CLAIM.c.owner == owner)).rowcount)

    def next_for_chat(self, chat_id: int) -> StoredUpdate | None:
        """The chat's unhandled update with the lowest ``update_id``."""
        row = self.session.execute(
            select(_UPDATE.c.update_id, _UPDATE.c.chat_id, _UPDATE.c.body, _UPDATE.c.received_at)
            .where(_UPDATE.c.chat_id == chat_id, _UPDATE.c.processed_at.is_(None))
            .order_by(_UPDATE.c.update_id)
            .limit(1)
        ).first()
        return StoredUpdate(int(row.update_id), int(row.chat_id), row.body, row.received_at) if row else None

    def mark_processed(self, update_id: int, now: datetime) -> None:
        self.session.execute(
            update(_UPDATE).where(_UPDATE.c.update_id == update_id).values(processed_at=now)
        )

    # --- housekeeping and health --------------------------------------------------------

    def ping(self) -> bool:
        """The store answers a query (the gateway's health route)."""
        return self.session.execute(select(1)).scalar_one() == 1

    def unprocessed(self, received_by: str | None = None) -> int:
        """How many stored updates wait (those ``received_by`` one instance, when given)."""
        query = select(func.count()).select_from(_UPDATE).where(_UPDATE.c.processed_at.is_(None))
        if received_by is not None:
            query = query.where(_UPDATE.c.received_by == received_by)
        return int(self.session.execute(query).scalar_one())

    def delete_processed_before(self, cutoff: datetime) -> int:
        """Drop handled updates (they hold message text) once Telegram can no longer resend them."""
        return int(
            self.session.execute(
                delete(_UPDATE).where(and_(_UPDATE.c.processed_at.is_not(None), _UPDATE.c.processed_at < cutoff))
            ).rowcount
        )

    def delete_handled_for_chat(self, chat_id: int) -> int:
        """Drop a chat's handled updates at once (a person's ``/forget``): they hold what was typed.
        Updates not handled yet are kept: they were sent after the request and will be answered."""
        return int(
            self.session.execute(
                delete(_UPDATE).where(and_(_UPDATE.c.chat_id == chat_id, _UPDATE.c.processed_at.is_not(None)))
            ).rowcount
        )
