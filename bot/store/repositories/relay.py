"""The relay queue between a ticket's trainer and the staff (``uow.relay``).

Messages wait here until a channel delivers them, so a gateway that restarts loses none. A
delivery claims a batch (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two gateways never take
the same row), sends, and marks each message delivered; a claim that is never marked (the
process died mid-send) is taken again once it is older than ``stale_before``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from bot.handoff.model import Audience, Kind, RelayMessage
from bot.store.conversations import LIKE_ESCAPE, like_literal
from bot.store.models import HandoffTicketRow, RelayMessageRow

MAX_ATTEMPTS = 20  # a message that failed this often stays in the queue, no longer tried

_RELAY = RelayMessageRow.__table__
_TICKET = HandoffTicketRow.__table__


class RelayRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        ticket_id: int,
        audience: Audience,
        kind: Kind,
        text: str,
        created_at: datetime,
        author: str | None = None,
    ) -> RelayMessage:
        row = RelayMessageRow(
            ticket_id=ticket_id,
            audience=audience.value,
            kind=kind.value,
            text=text,
            author=author,
            created_at=created_at,
            attempts=0,
        )
        self.session.add(row)
        self.session.flush()
        return _message(row)

    def claim(
        self,
        audience: Audience,
        now: datetime,
        stale_before: datetime,
        channel: str | None = None,
        limit: int = 50,
    ) -> list[RelayMessage]:
        """Undelivered messages for ``audience`` (of tickets whose sender is on ``channel``),
        oldest first, marked as claimed at ``now``."""
        statement = (
            select(RelayMessageRow)
            .where(
                RelayMessageRow.audience == audience.value,
                RelayMessageRow.delivered_at.is_(None),
                RelayMessageRow.attempts < MAX_ATTEMPTS,
                or_(RelayMessageRow.claimed_at.is_(None), RelayMessageRow.claimed_at < stale_before),
            )
            .order_by(RelayMessageRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True, of=RelayMessageRow)
        )
        if channel is not None:
            statement = statement.where(
                RelayMessageRow.ticket_id.in_(
                    select(_TICKET.c.id).where(
                        _TICKET.c.sender.like(like_literal(channel) + ":%", escape=LIKE_ESCAPE)
                    )
                )
            )
        rows = list(self.session.execute(statement).scalars())
        for row in rows:
            row.claimed_at = now
            row.attempts = (row.attempts or 0) + 1
        self.session.flush()
        return [_message(row) for row in rows]

    def mark_delivered(
        self,
        message_id: int,
        delivered_at: datetime,
        external_chat: str | None = None,
        external_id: str | None = None,
    ) -> None:
        self.session.execute(
            update(_RELAY)
            .where(_RELAY.c.id == message_id)
            .values(delivered_at=delivered_at, external_chat=external_chat, external_id=external_id)
        )

    def release(self, message_id: int) -> None:
        """A delivery that failed: offer the message again on the next pass."""
        self.session.execute(update(_RELAY).where(_RELAY.c.id == message_id).values(claimed_at=None))

    def ticket_for_external(self, external_chat: str, external_id: str) -> int | None:
        """The ticket whose staff post (or relayed message) has this channel message id."""
        return self.session.execute(
            select(_RELAY.c.ticket_id)
            .where(
                _RELAY.c.audience == Audience.STAFF.value,
                and_(_RELAY.c.external_chat == external_chat, _RELAY.c.external_id == external_id),
            )
            .limit(1)
        ).scalar_one_or_none()

    def thread_root(self, ticket_id: int) -> tuple[str, str] | None:
        """``(chat, message id)`` of the ticket's post to staff, once delivered."""
        row = self.session.execute(
            select(_RELAY.c.external_chat, _RELAY.c.external_id)
            .where(
                _RELAY.c.ticket_id == ticket_id,
                _RELAY.c.kind == Kind.TICKET.value,
                _RELAY.c.external_id.is_not(None),
            )
            .order_by(_RELAY.c.id)
            .limit(1)
        ).first()
        return None if row is None else (str(row[0]), str(row[1]))

    def thread(self, ticket_id: int) -> list[RelayMessage]:
        rows = self.session.execute(
            select(RelayMessageRow).where(RelayMessageRow.ticket_id == ticket_id).order_by(RelayMessageRow.id)
        ).scalars()
        return [_message(row) for row in rows]

    def pending(self, audience: Audience | None = None) -> int:
        statement = select(func.count()).select_from(_RELAY).where(_RELAY.c.delivered_at.is_(None))
        if audience is not None:
            statement = statement.where(_RELAY.c.audience == audience.value)
        return int(self.session.execute(statement).scalar_one())


def _message(row: RelayMessageRow) -> RelayMessage:
    return RelayMessage(
        id=row.id,
        ticket_id=row.ticket_id,
        audience=Audience(row.audience),
        kind=Kind(row.kind),
        text=row.text,
        created_at=row.created_at,
        author=row.author,
        delivered_at=row.delivered_at,
        attempts=row.attempts or 0,
        external_chat=row.external_chat,
        external_id=row.external_id,
    )
