"""Handoff tickets: conversations handed to support staff (``uow.handoff``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.handoff.model import HandoffTicket, TicketStatus
from bot.store.models import HandoffTicketRow


class HandoffTicketRepository:
    """Tickets in one session; the unit of work commits."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self,
        sender: str,
        trainer_id: str | None,
        reason: str,
        transcript: str,
        created_at: datetime,
        assessment: str = "",
    ) -> HandoffTicket:
        row = HandoffTicketRow(
            sender=sender,
            trainer_id=trainer_id,
            reason=reason,
            transcript=transcript,
            assessment=assessment,
            status=TicketStatus.OPEN.value,
            created_at=created_at,
        )
        self.session.add(row)
        self.session.flush()  # assigns the ticket number
        return _ticket(row)

    def get(self, ticket_id: int) -> HandoffTicket | None:
        row = self.session.get(HandoffTicketRow, ticket_id)
        return None if row is None else _ticket(row)

    def open_for_sender(self, sender: str) -> HandoffTicket | None:
        row = self.session.execute(
            select(HandoffTicketRow)
            .where(
                HandoffTicketRow.sender == sender,
                HandoffTicketRow.status == TicketStatus.OPEN.value,
            )
            .order_by(HandoffTicketRow.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        return None if row is None else _ticket(row)

    def list_open(self) -> list[HandoffTicket]:
        rows = self.session.execute(
            select(HandoffTicketRow)
            .where(HandoffTicketRow.status == TicketStatus.OPEN.value)
            .order_by(HandoffTicketRow.id)
        ).scalars()
        return [_ticket(row) for row in rows]

    def list_since(self, since: datetime | None) -> list[HandoffTicket]:
        """Every ticket opened at or after ``since`` (all when None), oldest first."""
        statement = select(HandoffTicketRow).order_by(HandoffTicketRow.id)
        if since is not None:
            statement = statement.where(HandoffTicketRow.created_at >= since)
        return [_ticket(row) for row in self.session.execute(statement).scalars()]

    def close(self, ticket_id: int, closed_at: datetime) -> HandoffTicket:
        row = self.session.get(HandoffTicketRow, ticket_id)
        if row is None:
            raise LookupError(ticket_id)
        if row.status != TicketStatus.CLOSED.value:
            row.status = TicketStatus.CLOSED.value
            row.closed_at = closed_at
            self.session.flush()
        return _ticket(row)


def _ticket(row: HandoffTicketRow) -> HandoffTicket:
    return HandoffTicket(
        id=row.id,
        sender=row.sender,
        trainer_id=row.trainer_id,
        reason=row.reason,
        transcript=row.transcript or "",
        status=TicketStatus(row.status),
        created_at=row.created_at,
        closed_at=row.closed_at,
        assessment=row.assessment or "",
    )
