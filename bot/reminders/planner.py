"""Which reminders are due now, for every linked trainer who has not opted out.

One read-only pass over the store: ``uow.trainers.iter_records`` streams the records in keyset
batches (memory stays flat however many trainers there are); per batch the store picks the
trainers it can reach who may have a milestone due (``rules.reminders.due_windows``, a date-range
filter in SQL) and which of their milestones are already finished. For each credential
the rules engine assesses the trainer's own today (in their time zone), ``rules.reminders`` says
which milestones are due, and :func:`bot.reminders.words.reminder_message` words each one: the
same words the assistant sends, so ``recert remind --dry-run`` shows what trainers would read.

A reminder is sent inside the policy's send window in the trainer's time zone (09:00-20:00): due
outside it, it is planned for the next opening (``send_at``), and a pass only delivers the
reminders whose ``send_at`` has come; a later pass plans the others again.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.reminders.words import reminder_message
from bot.store.repositories.reminders import DeliveryKey
from bot.store.repositories.trainers import TrainerBatch
from rules.engine import assess
from rules.model import TrainerRecord
from rules.policy import Policy, load_policy
from rules.reminders import could_be_due, due_milestones, due_windows

if TYPE_CHECKING:
    from bot.store.unit_of_work import UnitOfWork

CHANNEL = "telegram"
MAX_ATTEMPTS = 3  # sends of one reminder that failed (network, Rasa down) before it is given up
UTC = ZoneInfo("UTC")

Progress = Callable[[int], None]  # called with the number of trainers just planned


@dataclass(frozen=True)
class PlannedReminder:
    trainer_id: str
    program: str
    cycle: date  # the credential's expiration date
    milestone: str  # "-30d", "+1d", "+330d", "audit+20d", "cpr-60d"
    due_on: date
    send_at: datetime  # aware, in the trainer's time zone
    text: str
    channel: str
    recipient: str  # the channel's user id

    @property
    def key(self) -> DeliveryKey:
        return DeliveryKey(self.trainer_id, self.program, self.cycle, self.milestone)

    @property
    def sender(self) -> str:
        """The conversation the reminder belongs to ("telegram:42")."""
        return f"{self.channel}:{self.recipient}"

    def due_by(self, now: datetime) -> bool:
        return self.send_at <= now

    def to_json(self) -> dict[str, str]:
        return {
            "trainer_id": self.trainer_id,
            "program": self.program,
            "milestone": self.milestone,
            "cycle": self.cycle.isoformat(),
            "due_on": self.due_on.isoformat(),
            "send_at": self.send_at.isoformat(timespec="seconds"),
            "channel": self.channel,
            "text": self.text,
        }


def zone_of(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_now(now: datetime, zone: ZoneInfo, frozen_today: date | None = None) -> datetime:
    """``now`` on the trainer's clock; with ``RECERT_TODAY`` the date is that day, the time the clock's."""
    local = now.astimezone(zone)
    if frozen_today is not None and local.date() != frozen_today:
        local = datetime.combine(frozen_today, local.timetz().replace(tzinfo=None), zone)
    return local


def send_time(local: datetime, start: time, end: time) -> datetime:
    """``local`` itself inside the window ``[start, end)``; otherwise the window's next opening."""
    moment = local.time().replace(tzinfo=None)
    if start <= moment < end:
        return local.replace(microsecond=0)
    day = local.date() if moment < start else local.date() + timedelta(days=1)
    return datetime.combine(day, start, local.tzinfo)


def plan_record(
    record: TrainerRecord,
    recipient: str,
    now: datetime,
    *,
    channel: str = CHANNEL,
    frozen_today: date | None = None,
    finished: frozenset[DeliveryKey] | set[DeliveryKey] = frozenset(),
    policies: Callable[[str], Policy] = load_policy,
) -> Iterator[PlannedReminder]:
    """The reminders due for one trainer at ``now`` (pure: the record and the clock in)."""
    local = local_now(now, zone_of(record.timezone), frozen_today)
    today = local.date()
    for credential in record.credentials:
        policy = policies(credential.program)
        if not could_be_due(credential, record.cpr_aed_cards, record.applications, today, policy):
            continue  # no milestone can be due: skip the full assessment
        assessment = assess(policy, record, credential, today, steps=False)  # a reminder words its own
        for milestone in due_milestones(assessment, policy):
            key = DeliveryKey(record.trainer_id, assessment.program, assessment.expires_on, milestone.key)
            if key in finished:
                continue
            window = policy.reminders
            yield PlannedReminder(
                trainer_id=record.trainer_id,
                program=assessment.program,
                cycle=assessment.expires_on,
                milestone=milestone.key,
                due_on=milestone.day,
                send_at=send_time(local, window.send_window_start, window.send_window_end),
                text=reminder_message(assessment, milestone.key, policy),
                channel=channel,
                recipient=recipient,
            )


def pass_days(now: datetime, frozen_today: date | None = None) -> tuple[date, date]:
    """The dates "today" can be for the trainers of a pass at ``now``: ``RECERT_TODAY`` itself, or
    the day before to the day after UTC's (time zones run from UTC-12 to UTC+14)."""
    if frozen_today is not None:
        return frozen_today, frozen_today
    utc_day = now.astimezone(UTC).date()
    return utc_day - timedelta(days=1), utc_day + timedelta(days=1)


def plan(
    uow: UnitOfWork,
    now: datetime,
    *,
    channel: str = CHANNEL,
    frozen_today: date | None = None,
    batch_size: int = 1000,
    max_attempts: int = MAX_ATTEMPTS,
    progress: Progress | None = None,
    policies: Callable[[str], Policy] = load_policy,
) -> Iterator[PlannedReminder]:
    """Every reminder due at ``now`` over the whole store, trainer by trainer (read only).

    Per batch of ``iter_records``, the store itself picks the linked, opted-in trainers with a
    row inside the policy's windows (``rules.reminders.due_windows``: a credential, card or audit
    whose milestones may be due on one of the pass's days) and their finished deliveries; only
    those trainers are read in full and assessed, and :func:`plan_record` decides exactly.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    first_day, last_day = pass_days(now, frozen_today)
    batch: dict[str, Any] = {"recipients": {}, "finished": set()}

    def select(trainers: TrainerBatch) -> Collection[str]:
        first, last = trainers.first_id, trainers.last_id
        chosen = uow.reminders.candidates(first, last, channel, windows)
        batch["recipients"] = chosen
        batch["finished"] = uow.reminders.finished(first, last, max_attempts) if chosen else set()
        if progress is not None:
            progress(trainers.size)
        return chosen.keys()

    with uow:
        windows = {
            program: due_windows(policies(program), first_day, last_day) for program in uow.trainers.programs()
        }
        for record in uow.trainers.iter_records(batch_size, select_batch=select):
            yield from plan_record(
                record, batch["recipients"][record.trainer_id], now,
                channel=channel, frozen_today=frozen_today, finished=batch["finished"], policies=policies,
            )


def count_trainers(uow: UnitOfWork) -> int:
    with uow:
        return int(uow.trainers.count())
