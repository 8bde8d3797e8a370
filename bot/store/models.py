"""The record store's schema: one declarative class per table.

These row classes are the adapter side of the store; the rest of the project sees the frozen
dataclasses of :mod:`rules.model`, which the repositories build from these rows. Constraints live
in the schema (foreign keys, unique keys, non-negative CEUs, enum values as CHECK constraints that
work on SQLite and PostgreSQL alike), not only in the import code.

Alembic's ``env.py`` reads :data:`metadata`; a change here needs a new migration under
``bot/store/migrations/versions`` (``tests/integration/test_store_migrations.py`` fails otherwise).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, registry

from bot.store.types import Ceus, UtcDateTime
from rules.model import CEStatus, Plan

# Stable constraint names, so migrations can refer to them on every dialect.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)
mapper_registry = registry(metadata=metadata)
Base: Any = mapper_registry.generate_base()  # a class made at run time; mypy sees Any



def _trainer_fk() -> ForeignKey:
    """Each column needs its own ForeignKey object; a trainer's rows go with the trainer."""
    return ForeignKey("trainers.id", ondelete="CASCADE")


def _enum(values: list[str], name: str) -> Enum:
    """A VARCHAR with a CHECK constraint on both dialects (no PostgreSQL type to migrate)."""
    return Enum(
        *values,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=max(len(v) for v in values),
    )


PLAN = _enum([p.value for p in Plan], "plan")
CE_STATUS = _enum([s.value for s in CEStatus], "ce_status")
TICKET_STATUS = _enum(["open", "closed"], "ticket_status")
RELAY_AUDIENCE = _enum(["staff", "trainer"], "relay_audience")
DELIVERY_STATE = _enum(["claimed", "sent", "blocked", "failed"], "delivery_state")


class TrainerRow(Base):
    __tablename__ = "trainers"

    id: Mapped[str] = Column(String(64), primary_key=True)
    name: Mapped[str] = Column(Text, nullable=False)
    email: Mapped[str | None] = Column(Text, nullable=True)
    timezone: Mapped[str] = Column(String(64), nullable=False, default="UTC")
    # False once the trainer opted out of reminders (chat, import, or a blocked bot)
    reminders: Mapped[bool] = Column(
        Boolean(create_constraint=True, name="reminders"), nullable=False, default=True,
        server_default=true(),
    )


class CredentialRow(Base):
    __tablename__ = "credentials"
    __table_args__ = (
        UniqueConstraint("trainer_id", "program"),
        CheckConstraint(
            "certified_on IS NULL OR certified_on < expires_on", name="expires_after_certified"
        ),
    )

    id: Mapped[int] = Column(Integer, primary_key=True)
    trainer_id: Mapped[str] = Column(String(64), _trainer_fk(), nullable=False)
    program: Mapped[str] = Column(String(64), nullable=False)
    number: Mapped[str | None] = Column(String(64), nullable=True)
    certified_on: Mapped[date | None] = Column(Date, nullable=True)
    expires_on: Mapped[date] = Column(Date, nullable=False)
    plan: Mapped[str] = Column(PLAN, nullable=False, default=Plan.STANDARD.value)


class CourseRow(Base):
    __tablename__ = "courses"
    __table_args__ = (CheckConstraint("ceus >= 0", name="ceus_non_negative"),)

    id: Mapped[str] = Column(String(64), primary_key=True)
    title: Mapped[str] = Column(Text, nullable=False)
    provider: Mapped[str] = Column(Text, nullable=False)
    ceus: Mapped[Decimal] = Column(Ceus, nullable=False)


class ProviderRow(Base):
    __tablename__ = "providers"

    id: Mapped[int] = Column(Integer, primary_key=True)
    name: Mapped[str] = Column(String(200), nullable=False, unique=True)
    approved: Mapped[bool] = Column(Boolean(create_constraint=True, name="approved"), nullable=False)


class CERecordRow(Base):
    __tablename__ = "ce_records"
    __table_args__ = (CheckConstraint("ceus >= 0", name="ceus_non_negative"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    trainer_id: Mapped[str] = Column(String(64), _trainer_fk(), nullable=False, index=True)
    course_id: Mapped[str | None] = Column(
        String(64), ForeignKey("courses.id", ondelete="RESTRICT"), nullable=True
    )
    title: Mapped[str] = Column(Text, nullable=False)
    provider: Mapped[str] = Column(Text, nullable=False)
    completed_on: Mapped[date] = Column(Date, nullable=False)
    ceus: Mapped[Decimal] = Column(Ceus, nullable=False)
    status: Mapped[str] = Column(CE_STATUS, nullable=False)
    # the expiration date of the cycle whose renewal used this record (rules.model.CERecord)
    counted_for: Mapped[date | None] = Column(Date, nullable=True)


class CprAedCardRow(Base):
    __tablename__ = "cpr_aed_cards"
    __table_args__ = (
        CheckConstraint(
            "issued_on IS NULL OR issued_on <= expires_on", name="expires_after_issued"
        ),
    )

    id: Mapped[int] = Column(Integer, primary_key=True)
    trainer_id: Mapped[str] = Column(String(64), _trainer_fk(), nullable=False, index=True)
    provider: Mapped[str] = Column(Text, nullable=False)
    issued_on: Mapped[date | None] = Column(Date, nullable=True)
    expires_on: Mapped[date] = Column(Date, nullable=False)
    hands_on: Mapped[bool] = Column(Boolean(create_constraint=True, name="hands_on"), nullable=False)


class ApplicationRow(Base):
    __tablename__ = "applications"

    id: Mapped[int] = Column(Integer, primary_key=True)
    trainer_id: Mapped[str] = Column(String(64), _trainer_fk(), nullable=False, index=True)
    program: Mapped[str] = Column(String(64), nullable=False)
    submitted_on: Mapped[date] = Column(Date, nullable=False)
    audit_selected_on: Mapped[date | None] = Column(Date, nullable=True)
    audit_documents_submitted_on: Mapped[date | None] = Column(Date, nullable=True)
    # the expiration date of the cycle this application renews (rules.model.Application)
    for_expiration: Mapped[date | None] = Column(Date, nullable=True)


# --- tables for the conversation side (repositories live with the features that use them) ---


class ChannelIdentityRow(Base):
    """A channel's authenticated user (e.g. Telegram ``from.id``) linked to a trainer."""

    __tablename__ = "channel_identities"
    # (channel, trainer_id): a reminder pass asks "who on this channel, for trainers A..B"; with only
    # the (channel, user_id) key SQLite's planner scans every identity of the channel for each batch.
    __table_args__ = (
        UniqueConstraint("channel", "user_id"),
        Index("ix_channel_identities_channel_trainer_id", "channel", "trainer_id"),
    )

    id: Mapped[int] = Column(Integer, primary_key=True)
    channel: Mapped[str] = Column(String(32), nullable=False)
    user_id: Mapped[str] = Column(String(128), nullable=False)
    trainer_id: Mapped[str] = Column(String(64), _trainer_fk(), nullable=False, index=True)
    linked_at: Mapped[datetime] = Column(UtcDateTime, nullable=False)


class LinkCodeRow(Base):
    """A one-time code (stored as its SHA-256 hex digest) that links a channel user to a trainer."""

    __tablename__ = "link_codes"

    id: Mapped[int] = Column(Integer, primary_key=True)
    code_hash: Mapped[str] = Column(String(64), nullable=False, unique=True)
    trainer_id: Mapped[str] = Column(String(64), _trainer_fk(), nullable=False, index=True)
    created_at: Mapped[datetime] = Column(UtcDateTime, nullable=False)
    expires_at: Mapped[datetime] = Column(UtcDateTime, nullable=False)
    used_at: Mapped[datetime | None] = Column(UtcDateTime, nullable=True)
    used_by: Mapped[str | None] = Column(Text, nullable=True)


class LinkAttemptRow(Base):
    """Every attempt to redeem a link code, for rate limiting."""

    __tablename__ = "link_attempts"
    __table_args__ = (Index(None, "channel", "user_id", "attempted_at"),)

    id: Mapped[int] = Column(Integer, primary_key=True)
    channel: Mapped[str] = Column(String(32), nullable=False)
    user_id: Mapped[str] = Column(String(128), nullable=False)
    attempted_at: Mapped[datetime] = Column(UtcDateTime, nullable=False)
    succeeded: Mapped[bool] = Column(Boolean(create_constraint=True, name="succeeded"), nullable=False)


class HandoffTicketRow(Base):
    """A conversation handed to support staff."""

    __tablename__ = "handoff_tickets"

    id: Mapped[int] = Column(Integer, primary_key=True)
    sender: Mapped[str] = Column(String(160), nullable=False)
    trainer_id: Mapped[str | None] = Column(
        String(64), ForeignKey("trainers.id", ondelete="SET NULL"), nullable=True, index=True
    )
    reason: Mapped[str] = Column(Text, nullable=False)
    transcript: Mapped[str] = Column(Text, nullable=False, default="")
    status: Mapped[str] = Column(TICKET_STATUS, nullable=False, default="open")
    created_at: Mapped[datetime] = Column(UtcDateTime, nullable=False)
    closed_at: Mapped[datetime | None] = Column(UtcDateTime, nullable=True)
    # the trainer's assessment when the ticket was opened, as text (rules.serialize)
    assessment: Mapped[str] = Column(Text, nullable=False, default="", server_default="")


class RelayMessageRow(Base):
    """A message between a ticket's trainer and the staff, queued until a channel delivers it.

    ``audience`` is who reads it (``staff`` or ``trainer``). A delivery claims the row
    (``claimed_at``), sends it, then sets ``delivered_at`` and, for staff posts, the channel's
    message id (``external_chat``/``external_id``) that staff replies point at.
    """

    __tablename__ = "relay_messages"
    __table_args__ = (
        Index(None, "audience", "delivered_at"),
        Index(None, "external_chat", "external_id"),
    )

    id: Mapped[int] = Column(Integer, primary_key=True)
    ticket_id: Mapped[int] = Column(
        Integer, ForeignKey("handoff_tickets.id", ondelete="CASCADE"), nullable=False, index=True
    )
    audience: Mapped[str] = Column(RELAY_AUDIENCE, nullable=False)
    kind: Mapped[str] = Column(String(16), nullable=False)
    author: Mapped[str | None] = Column(String(200), nullable=True)
    text: Mapped[str] = Column(Text, nullable=False)
    created_at: Mapped[datetime] = Column(UtcDateTime, nullable=False)
    claimed_at: Mapped[datetime | None] = Column(UtcDateTime, nullable=True)
    delivered_at: Mapped[datetime | None] = Column(UtcDateTime, nullable=True)
    attempts: Mapped[int] = Column(Integer, nullable=False, default=0, server_default="0")
    external_chat: Mapped[str | None] = Column(String(64), nullable=True)
    external_id: Mapped[str | None] = Column(String(64), nullable=True)


class ReminderDeliveryRow(Base):
    """One reminder of a cycle: claimed before it is sent, marked after (``bot/reminders``).

    The unique key (trainer, program, cycle = the credential's expiration date, milestone) makes a
    milestone go out at most once per cycle: a worker claims it by inserting this row, and a second
    worker's insert fails. ``state`` is ``claimed`` until the channel accepted the message
    (``sent``), refused it for good (``blocked``: the user blocked the bot) or failed (``failed``,
    tried again by a later pass). A ``claimed`` row older than the claim timeout belongs to a run
    that died; the next pass takes it over (``FOR UPDATE SKIP LOCKED`` on PostgreSQL).
    """

    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        UniqueConstraint("trainer_id", "program", "cycle", "milestone"),
        Index(None, "state", "claimed_at"),
    )

    id: Mapped[int] = Column(Integer, primary_key=True)
    trainer_id: Mapped[str] = Column(String(64), _trainer_fk(), nullable=False)
    program: Mapped[str] = Column(String(64), nullable=False)
    cycle: Mapped[date] = Column(Date, nullable=False)  # the credential's expiration date
    milestone: Mapped[str] = Column(String(32), nullable=False)  # "-30d", "audit+20d", "cpr-60d"
    due_on: Mapped[date] = Column(Date, nullable=False)  # the milestone's first day
    channel: Mapped[str] = Column(String(32), nullable=False)
    recipient: Mapped[str] = Column(String(128), nullable=False)  # the channel's user id
    state: Mapped[str] = Column(DELIVERY_STATE, nullable=False)
    claimed_at: Mapped[datetime] = Column(UtcDateTime, nullable=False)
    claimed_by: Mapped[str] = Column(String(64), nullable=False)
    delivered_at: Mapped[datetime | None] = Column(UtcDateTime, nullable=True)
    attempts: Mapped[int] = Column(Integer, nullable=False, default=1, server_default="1")
    error: Mapped[str | None] = Column(String(200), nullable=True)


class ButtonPayloadRow(Base):
    """A button the gateway showed: its payload, kept here so the button's key is all a client holds.

    ``key`` is random (``secrets.token_urlsafe``) and goes out as Telegram's ``callback_data``; a
    press is accepted only for a key issued to that chat and younger than the gateway's limit.
    """

    __tablename__ = "button_payloads"

    key: Mapped[str] = Column(String(32), primary_key=True)
    channel: Mapped[str] = Column(String(32), nullable=False)
    chat_id: Mapped[str] = Column(String(128), nullable=False, index=True)
    payload: Mapped[str] = Column(Text, nullable=False)
    created_at: Mapped[datetime] = Column(UtcDateTime, nullable=False, index=True)


class TelegramUpdateRow(Base):
    """A Telegram update the webhook acknowledged: kept until it is handled, so none is lost.

    The webhook answers Telegram only after this row is committed; ``update_id`` is Telegram's, so
    a redelivered update is stored once. Each chat's rows are handled in ``update_id`` order by the
    gateway instance holding the chat's claim (:class:`TelegramChatClaimRow`); handled rows are
    pruned after a while (they hold message text).
    """

    __tablename__ = "telegram_updates"
    __table_args__ = (Index(None, "chat_id", "processed_at", "update_id"),)

    update_id: Mapped[int] = Column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = Column(BigInteger, nullable=False)  # 0: an update without a chat
    body: Mapped[str] = Column(Text, nullable=False)  # the update's JSON, as Telegram sent it
    received_at: Mapped[datetime] = Column(UtcDateTime, nullable=False)
    received_by: Mapped[str] = Column(String(64), nullable=False)  # the gateway instance that acknowledged it
    processed_at: Mapped[datetime | None] = Column(UtcDateTime, nullable=True, index=True)


class TelegramChatClaimRow(Base):
    """Which gateway instance handles a chat's updates right now, until ``expires_at``.

    Held while an instance works through the chat's stored updates and renewed as it goes; a claim
    whose instance died expires, and another instance takes the chat over.
    """

    __tablename__ = "telegram_chat_claims"

    chat_id: Mapped[int] = Column(BigInteger, primary_key=True, autoincrement=False)
    owner: Mapped[str] = Column(String(64), nullable=False)
    expires_at: Mapped[datetime] = Column(UtcDateTime, nullable=False)
