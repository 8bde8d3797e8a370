"""Reminder deliveries and the trainer's reminder setting.

A delivery is claimed by inserting its row (unique per trainer, program, cycle, milestone) with
``INSERT ... ON CONFLICT DO NOTHING``: of two workers, one inserts and the other gets nothing. A
row left ``claimed`` by a run that died (older than the claim timeout), or ``failed`` with tries
left, is taken over with ``SELECT ... FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite ignores the
clause and relies on the service's single-writer guard) and a compare-and-set ``UPDATE``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, or_, select, union, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.store.models import (
    ApplicationRow,
    ChannelIdentityRow,
    CprAedCardRow,
    CredentialRow,
    ReminderDeliveryRow,
    TrainerRow,
)
from rules.reminders import DueWindows

_DELIVERY = ReminderDeliveryRow.__table__
_TRAINER = TrainerRow.__table__
_IDENTITY = ChannelIdentityRow.__table__
_CREDENTIAL = CredentialRow.__table__
_CARD = CprAedCardRow.__table__
_APPLICATION = ApplicationRow.__table__

CLAIMED, SENT, BLOCKED, FAILED = "claimed", "sent", "blocked", "failed"


@dataclass(frozen=True)
class DeliveryKey:
    trainer_id: str
    program: str
    cycle: date  # the credential's expiration date
    milestone: str


@dataclass(frozen=True)
class Claim:
    id: int
    key: DeliveryKey
    attempts: int
    repaired: bool  # taken over from a run that died, or a retry of a failed send


@dataclass(frozen=True)
class Delivery:
    program: str
    cycle: date
    milestone: str
    due_on: date
    channel: str
    state: str
    claimed_at: datetime
    delivered_at: datetime | None
    attempts: int
    error: str | None


class ReminderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- the trainer's setting and where to reach them ------------------------------------

    def enabled(self, trainer_id: str) -> bool | None:
        """True/False: the trainer's setting; None: no such trainer."""
        value = self.session.execute(
            select(_TRAINER.c.reminders).where(_TRAINER.c.id == trainer_id)
        ).scalar_one_or_none()
        return None if value is None else bool(value)

    def set_enabled(self, trainer_id: str, enabled: bool) -> bool:
        """Turn the trainer's reminders on or off; True when there is such a trainer."""
        return bool(
            self.session.execute(
                update(_TRAINER).where(_TRAINER.c.id == trainer_id).values(reminders=enabled)
            ).rowcount
        )

    def recipients(self, first: str, last: str, channel: str) -> dict[str, str]:
        """trainer id -> the channel user to remind, for the trainers with ids from ``first`` to
        ``last`` (a batch of ``TrainerRepository.iter_records``) that are linked on ``channel`` and
        have reminders on (the most recently linked account when several). An id range, not a list
        of ids: one short statement per batch instead of a thousand bound parameters."""
        rows = self.session.execute(
            select(_IDENTITY.c.trainer_id, _IDENTITY.c.user_id)
            .join(_TRAINER, _TRAINER.c.id == _IDENTITY.c.trainer_id)
            .where(
                _IDENTITY.c.trainer_id.between(first, last),
                _IDENTITY.c.channel == channel,
                _TRAINER.c.reminders.is_(True),
            )
            .order_by(_IDENTITY.c.linked_at, _IDENTITY.c.id)
        ).all()
        return {trainer_id: user_id for trainer_id, user_id in rows}  # the latest link wins

    def candidates(
        self, first: str, last: str, channel: str, windows: Mapping[str, DueWindows]
    ) -> dict[str, str]:
        """:meth:`recipients` narrowed to the trainers with a row inside a window of
        ``rules.reminders.due_windows`` (``windows``: one per program): a credential of that
        program expiring in its window, a CPR/AED card expiring or an audit selected in any
        program's. A superset of the trainers with a milestone due, found by the database so a
        pass over the store reads and assesses only those (the planner still checks each one)."""
        if not windows:
            return {}
        with_due_rows = union(
            select(_CREDENTIAL.c.trainer_id).where(
                _CREDENTIAL.c.trainer_id.between(first, last),
                or_(*(
                    and_(_CREDENTIAL.c.program == program, _CREDENTIAL.c.expires_on.between(*w.credential_expires))
                    for program, w in windows.items()
                )),
            ),
            select(_CARD.c.trainer_id).where(
                _CARD.c.trainer_id.between(first, last),
                _CARD.c.expires_on.between(*_widest(w.card_expires for w in windows.values())),
            ),
            select(_APPLICATION.c.trainer_id).where(
                _APPLICATION.c.trainer_id.between(first, last),
                _APPLICATION.c.audit_selected_on.between(*_widest(w.audit_selected for w in windows.values())),
            ),
        )
        recipients = self.recipients(first, last, channel)
        if not recipients:
            return {}
        # Two statements, not one joined: a planner that misjudges one side's size (stale
        # statistics right after a bulk link) would loop over the other; each of these is a
        # range scan of an index, whatever the statistics say.
        found = set(self.session.execute(with_due_rows).scalars())
        return {trainer_id: user for trainer_id, user in recipients.items() if trainer_id in found}

    def trainer_for_recipient(self, channel: str, user_id: str) -> str | None:
        return self.session.execute(
            select(_IDENTITY.c.trainer_id).where(
                _IDENTITY.c.channel == channel, _IDENTITY.c.user_id == user_id
            )
        ).scalar_one_or_none()

    # --- deliveries ---------------------------------------------------------------------------

    def claim(
        self,
        key: DeliveryKey,
        *,
        due_on: date,
        channel: str,
        recipient: str,
        now: datetime,
        worker: str,
        stale_before: datetime,
        max_attempts: int,
    ) -> Claim | None:
        """Claim the delivery of ``key`` for ``worker``; None when it is sent, blocked, or being
        sent by a live worker. The caller commits at once, so other workers see the claim."""
        values = {
            "trainer_id": key.trainer_id, "program": key.program, "cycle": key.cycle,
            "milestone": key.milestone, "due_on": due_on, "channel": channel,
            "recipient": recipient, "state": CLAIMED, "claimed_at": now, "claimed_by": worker,
            "attempts": 1,
        }
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        inserted = self.session.execute(insert(_DELIVERY).values(**values).on_conflict_do_nothing()).rowcount
        if inserted:
            new_id = self.session.execute(select(_DELIVERY.c.id).where(*self._is(key))).scalar_one()
            return Claim(new_id, key, 1, repaired=False)
        takeable = or_(
            and_(_DELIVERY.c.state == CLAIMED, _DELIVERY.c.claimed_at < stale_before),
            and_(_DELIVERY.c.state == FAILED, _DELIVERY.c.attempts < max_attempts),
        )
        row = self.session.execute(
            select(_DELIVERY.c.id, _DELIVERY.c.attempts, _DELIVERY.c.claimed_at)
            .where(*self._is(key), takeable)
            .with_for_update(skip_locked=True)
        ).first()
        if row is None:
            return None
        taken = self.session.execute(
            update(_DELIVERY)
            .where(_DELIVERY.c.id == row.id, _DELIVERY.c.claimed_at == row.claimed_at, takeable)
            .values(
                state=CLAIMED, claimed_at=now, claimed_by=worker, attempts=row.attempts + 1,
                channel=channel, recipient=recipient, error=None,
            )
        ).rowcount
        if not taken:
            return None
        return Claim(row.id, key, row.attempts + 1, repaired=True)

    def mark(
        self, delivery_id: int, worker: str, state: str, now: datetime, error: str | None = None
    ) -> bool:
        """Record the outcome of a claimed delivery; False when the claim was taken over meanwhile."""
        values: dict[str, object] = {"state": state, "error": (error or None) and error[:200]}
        if state == SENT:
            values["delivered_at"] = now
        return bool(
            self.session.execute(
                update(_DELIVERY)
                .where(
                    _DELIVERY.c.id == delivery_id,
                    _DELIVERY.c.claimed_by == worker,
                    _DELIVERY.c.state == CLAIMED,
                )
                .values(**values)
            ).rowcount
        )

    def history(self, trainer_id: str) -> list[Delivery]:
        rows = self.session.execute(
            select(
                _DELIVERY.c.program, _DELIVERY.c.cycle, _DELIVERY.c.milestone, _DELIVERY.c.due_on,
                _DELIVERY.c.channel, _DELIVERY.c.state, _DELIVERY.c.claimed_at,
                _DELIVERY.c.delivered_at, _DELIVERY.c.attempts, _DELIVERY.c.error,
            )
            .where(_DELIVERY.c.trainer_id == trainer_id)
            .order_by(_DELIVERY.c.claimed_at, _DELIVERY.c.id)
        ).all()
        return [Delivery(*row) for row in rows]

    def finished(self, first: str, last: str, max_attempts: int) -> set[DeliveryKey]:
        """The deliveries of the trainers with ids from ``first`` to ``last`` that no pass will send
        again: sent, blocked, or failed ``max_attempts`` times (one query; the planner leaves them out)."""
        rows = self.session.execute(
            select(_DELIVERY.c.trainer_id, _DELIVERY.c.program, _DELIVERY.c.cycle, _DELIVERY.c.milestone)
            .where(
                _DELIVERY.c.trainer_id.between(first, last),
                or_(
                    _DELIVERY.c.state.in_((SENT, BLOCKED)),
                    and_(_DELIVERY.c.state == FAILED, _DELIVERY.c.attempts >= max_attempts),
                ),
            )
        ).all()
        return {DeliveryKey(*row) for row in rows}

    @staticmethod
    def _is(key: DeliveryKey) -> tuple[object, ...]:
        return (
            _DELIVERY.c.trainer_id == key.trainer_id,
            _DELIVERY.c.program == key.program,
            _DELIVERY.c.cycle == key.cycle,
            _DELIVERY.c.milestone == key.milestone,
        )


def _widest(ranges: Iterable[tuple[date, date]]) -> tuple[date, date]:
    """One range holding every range of ``ranges`` (the programs' windows for cards and audits)."""
    starts, ends = zip(*ranges, strict=True)
    return min(starts), max(ends)
