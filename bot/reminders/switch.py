"""A chat account's reminder setting, for the gateway's commands (``/stop``, ``/startreminders``, ``/start``).

The commands change the setting in the store directly instead of asking the assistant, because an
opt-out must work when the assistant cannot answer: while a person from the staff desk handles the
conversation (Rasa is paused and says nothing) and while Rasa is down. The trainer's own words
("stop the reminders") still go through the assistant (``action_stop_reminders``), with the same
confirmation (:mod:`bot.reminders.words`).

Changing the setting never touches a handoff: an open ticket stays open and the conversation stays
paused; the answer says so (:attr:`Switched.ticket_id`).

Turned on (or, for ``/start``, found on), the answer says what will still come for the trainer's
record, as "start reminders again" in the chat does (:func:`bot.reminders.words.started_for`):
"Reminders are on" alone would promise reminders to a trainer past the one-year limit or waiting on
a petition, who will get none.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from bot.clock import today_in
from bot.reminders.words import started_for
from rules.engine import assess_trainer
from rules.errors import PolicyError
from rules.policy import DEFAULT_PROGRAM, load_policy

if TYPE_CHECKING:
    from bot.composition import UowFactory
    from bot.store.unit_of_work import UnitOfWork
    from rules.model import TrainerRecord


@dataclass(frozen=True)
class Switched:
    trainer_id: str | None  # None: the account is linked to no trainer record
    before: bool | None  # the setting before (None: not linked)
    now: bool | None  # the setting after
    ticket_id: int | None = None  # an open handoff ticket of this conversation (left open)
    started: str | None = None  # on: what will still come for the record, and why (None: off or unknown)


def started_words(record: TrainerRecord, frozen_today: date | None) -> str | None:
    """"Reminders are on" for the trainer's CPT (else first) credential, as the chat's answer says it."""
    assessments = assess_trainer(record, today_in(record.timezone, frozen_today))
    chosen = next((a for a in assessments if a.program == DEFAULT_PROGRAM), assessments[0] if assessments else None)
    if chosen is None:
        return None
    try:
        return started_for(chosen, load_policy(chosen.program))
    except PolicyError:  # a program without a bundled policy: the general words
        return None


def switch(
    uow: UnitOfWork, channel: str, user_id: str, enabled: bool | None, frozen_today: date | None = None
) -> Switched:
    """Set (``enabled`` True/False) or only read (None) the reminders of the trainer linked to the account.

    ``frozen_today`` is ``RECERT_TODAY`` (the trainer's own date otherwise)."""
    with uow:
        trainer_id = uow.reminders.trainer_for_recipient(channel, user_id)
        ticket = uow.handoff.open_for_sender(f"{channel}:{user_id}")
        ticket_id = ticket.id if ticket is not None else None
        if trainer_id is None:
            return Switched(None, None, None, ticket_id)
        before = uow.reminders.enabled(trainer_id)
        if before is None:  # the identity points at a record that is gone
            return Switched(None, None, None, ticket_id)
        if enabled is not None and enabled != before:
            uow.reminders.set_enabled(trainer_id, enabled)
            uow.commit()
        now = before if enabled is None else enabled
        started = None
        if now:
            record = uow.trainers.get_record(trainer_id)
            started = started_words(record, frozen_today) if record is not None else None
        return Switched(trainer_id, before, now, ticket_id, started)


class ReminderSwitch:
    """:func:`switch` for one channel's accounts, off the event loop (blocking database work)."""

    def __init__(self, uow_factory: UowFactory, channel: str = "telegram", frozen_today: date | None = None) -> None:
        self._uow = uow_factory
        self.channel = channel
        self.frozen_today = frozen_today

    async def turn(self, user_id: int | str, enabled: bool) -> Switched:
        return await asyncio.to_thread(switch, self._uow(), self.channel, str(user_id), enabled, self.frozen_today)

    async def state(self, user_id: int | str) -> Switched:
        return await asyncio.to_thread(switch, self._uow(), self.channel, str(user_id), None)
