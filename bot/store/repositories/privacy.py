"""What forgetting a person removes from the record store (``uow.privacy``).

The certification record (trainer, credentials, CE records, cards, applications) belongs to the
certifying body and stays. What goes: the channel accounts linked to the trainer, their link
codes and redemption attempts, the buttons shown in their private chats, and the conversation
text copied into handoff tickets and their relayed messages, and the assessment copied into the
ticket (the ticket itself, its reason and status stay for the staff).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from bot.store.models import (
    ButtonPayloadRow,
    ChannelIdentityRow,
    HandoffTicketRow,
    LinkAttemptRow,
    LinkCodeRow,
    RelayMessageRow,
)

FORGOTTEN_TRANSCRIPT = "(deleted at the trainer's request)"

_IDENTITY = ChannelIdentityRow.__table__
_CODE = LinkCodeRow.__table__
_ATTEMPT = LinkAttemptRow.__table__
_BUTTON = ButtonPayloadRow.__table__
_TICKET = HandoffTicketRow.__table__
_RELAY = RelayMessageRow.__table__


class PrivacyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def accounts_of(self, trainer_id: str) -> list[tuple[str, str]]:
        """``(channel, user_id)`` of every channel account linked to the trainer."""
        rows = self.session.execute(
            select(_IDENTITY.c.channel, _IDENTITY.c.user_id)
            .where(_IDENTITY.c.trainer_id == trainer_id)
            .order_by(_IDENTITY.c.channel, _IDENTITY.c.user_id)
        ).all()
        return [(str(channel), str(user_id)) for channel, user_id in rows]

    def erase_account(self, channel: str, user_id: str) -> None:
        """The account's link, its link attempts and the buttons of its private chat."""
        self.session.execute(
            delete(_IDENTITY).where(_IDENTITY.c.channel == channel, _IDENTITY.c.user_id == user_id)
        )
        self.session.execute(
            delete(_ATTEMPT).where(_ATTEMPT.c.channel == channel, _ATTEMPT.c.user_id == user_id)
        )
        # A private chat's id is its user's id (Telegram); group chats keep their buttons.
        self.session.execute(
            delete(_BUTTON).where(_BUTTON.c.channel == channel, _BUTTON.c.chat_id == user_id)
        )

    def erase_link_codes(self, trainer_id: str) -> None:
        self.session.execute(delete(_CODE).where(_CODE.c.trainer_id == trainer_id))

    def erase_transcripts(self, trainer_id: str | None, senders: Sequence[str]) -> int:
        """Blank the conversation text of the tickets of this trainer or these senders."""
        conditions = [_TICKET.c.sender.in_(list(senders))] if senders else []
        if trainer_id is not None:
            conditions.append(_TICKET.c.trainer_id == trainer_id)
        if not conditions:
            return 0
        # what the trainer and staff wrote to each other through those tickets (bot.handoff)
        self.session.execute(
            update(_RELAY)
            .where(_RELAY.c.ticket_id.in_(select(_TICKET.c.id).where(or_(*conditions))))
            .values(text=FORGOTTEN_TRANSCRIPT)
        )
        return int(
            self.session.execute(
                update(_TICKET)
                .where(or_(*conditions), _TICKET.c.transcript != FORGOTTEN_TRANSCRIPT)
                .values(transcript=FORGOTTEN_TRANSCRIPT, assessment="")
            ).rowcount
        )
