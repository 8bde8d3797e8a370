"""A chat account's reminder setting, for the gateway's commands (``/stop``, ``/startreminders``, ``/start``).

The commands change the setting in the store directly instead of asking the assistant, because an
opt-out must work when the assistant cannot answer: while a person from the staff desk handles the
conversation (Rasa is paused and says nothing) and while Rasa is down. The trainer's own words
("stop the reminders") still go through the assistant (``action_stop_reminders``), with the same
confirmation (:mod:`bot.reminders.words`).

Changing the setting never touches a handoff: an open ticket stays open and the conversation stays
paused; the answer says so (:attr:`Switched.ticket_id`).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.composition import UowFactory
    from bot.store.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Switched:
    trainer_id: str | None  # None: the account is linked to no trainer record
    before: bool | None  # the setting before (None: not linked)
    now: bool | None  # the setting after
    ticket_id: int | None = None  # an open handoff ticket of this conversation (left open)


def switch(uow: UnitOfWork, channel: str, user_id: str, enabled: bool | None) -> Switched:
    """Set (``enabled`` True/False) or only read (None) the reminders of the trainer linked to the account."""
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
        return Switched(trainer_id, before, before if enabled is None else enabled, ticket_id)


class ReminderSwitch:
    """:func:`switch` for one channel's accounts, off the event loop (blocking database work)."""

    def __init__(self, uow_factory: UowFactory, channel: str = "telegram") -> None:
        self._uow = uow_factory
        self.channel = channel

    async def turn(self, user_id: int | str, enabled: bool) -> Switched:
        return await asyncio.to_thread(switch, self._uow(), self.channel, str(user_id), enabled)

    async def state(self, user_id: int | str) -> Switched:
        return await asyncio.to_thread(switch, self._uow(), self.channel, str(user_id), None)
