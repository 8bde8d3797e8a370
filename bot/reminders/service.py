"""One reminder pass: plan, then for each reminder whose time has come claim, word, deliver, mark.

    report = await run_pass(uow_factory, now, rasa=rasa_client, notifier=telegram_notifier)

For each reminder due now (:func:`bot.reminders.planner.plan`):

1. **claim**: insert its delivery row (unique per trainer, program, cycle, milestone) and commit.
   Another worker's insert finds the row and leaves the reminder alone;
2. **word**: Rasa's ``trigger_intent EXTERNAL_reminder`` for the trainer's conversation, without
   an output channel, so the assistant's message comes back in the response and is part of the
   conversation (a reply such as "which courses count?" continues in context);
3. **deliver** through the :class:`~bot.reminders.notifier.Notifier`;
4. **mark** the row ``sent`` (or ``blocked``: the user blocked the bot, and the trainer is opted
   out; or ``failed``: tried again by later passes, up to ``MAX_ATTEMPTS`` in all).

The guarantee (docs/reminders.md): a reminder is delivered at least once and, in effect, exactly
once. A run that dies after the claim leaves a ``claimed`` row; once it is older than
``CLAIM_TIMEOUT`` the next pass takes it over and delivers it. The only way to a second copy is a
crash in the moment between the channel accepting the message and the mark being committed.

Two workers at once: the claim is an ``INSERT ... ON CONFLICT DO NOTHING`` committed before any
sending, and a take-over is ``SELECT ... FOR UPDATE SKIP LOCKED`` plus a compare-and-set update, so
on PostgreSQL any number of workers share the work without sending anything twice. On SQLite
(one writer at a time anyway) a pass that delivers holds a lock file beside the database: a
second pass waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import socket
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from bot.channels.rasa_client import BotReply, RasaError
from bot.reminders.errors import DeliveryFailed, RecipientBlocked
from bot.reminders.notifier import Notifier
from bot.reminders.planner import CHANNEL, MAX_ATTEMPTS, PlannedReminder, Progress, plan
from bot.reminders.words import REMINDER_INTENT
from bot.store.repositories.reminders import BLOCKED, FAILED, SENT, Claim

if TYPE_CHECKING:
    from bot.composition import UowFactory
    from bot.store.unit_of_work import UnitOfWork

logger = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=10)  # longer than any one delivery, flood waits included
CONCURRENCY = 8  # trainers handled at once (Rasa words one message per request)

Clock = Callable[[], datetime]


class Wording(Protocol):
    """What the pass needs of Rasa (``bot.channels.rasa_client.RasaClient``)."""

    async def trigger_intent(
        self,
        sender: str,
        intent: str,
        entities: Mapping[str, Any] | None = None,
        output_channel: str | None = None,
    ) -> list[BotReply]: ...


@dataclass
class PassReport:
    planned: list[PlannedReminder] = field(default_factory=list)  # due now or later today/tomorrow
    sent: int = 0
    later: int = 0  # outside the send window: planned for its next opening
    skipped: int = 0  # claimed by another worker, or already handled
    failed: int = 0
    blocked: int = 0
    repaired: int = 0  # deliveries taken over from a run that died
    held: int = 0  # a person handles the trainer's conversation: sent by a pass after the ticket is closed
    dry_run: bool = False

    def summary(self) -> str:
        if self.dry_run:
            due = len(self.planned) - self.later
            return f"{len(self.planned)} reminders planned ({due} due now, {self.later} later); nothing sent (dry run)."
        parts = [f"{self.sent} sent", f"{self.later} planned for later"]
        for count, what in (
            (self.skipped, "already handled"), (self.failed, "failed (tried again next pass)"),
            (self.blocked, "blocked by the user (opted out)"), (self.repaired, "repaired from an interrupted run"),
            (self.held, "held while a person handles the conversation"),
        ):
            if count:
                parts.append(f"{count} {what}")
        return "Reminder pass: " + ", ".join(parts) + "."


def worker_id() -> str:
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


# --- store steps (blocking; run in a thread) ------------------------------------------------


def plan_all(
    uow_factory: UowFactory,
    now: datetime,
    *,
    channel: str = CHANNEL,
    frozen_today: date | None = None,
    progress: Progress | None = None,
) -> list[PlannedReminder]:
    return list(plan(uow_factory(), now, channel=channel, frozen_today=frozen_today, progress=progress))


def claim(uow: UnitOfWork, item: PlannedReminder, worker: str, now: datetime, claim_timeout: timedelta) -> Claim | None:
    with uow:
        claimed = uow.reminders.claim(
            item.key, due_on=item.due_on, channel=item.channel, recipient=item.recipient, now=now,
            worker=worker, stale_before=now - claim_timeout, max_attempts=MAX_ATTEMPTS,
        )
        uow.commit()
        return claimed


def mark(uow: UnitOfWork, claimed: Claim, worker: str, state: str, now: datetime, error: str | None = None) -> None:
    with uow:
        if not uow.reminders.mark(claimed.id, worker, state, now, error):
            logger.warning("reminder delivery %d was taken over before it was marked %s", claimed.id, state)
        if state == BLOCKED:
            uow.reminders.set_enabled(claimed.key.trainer_id, False)
        uow.commit()


def set_reminders(uow: UnitOfWork, trainer_id: str, enabled: bool) -> bool:
    """Turn a trainer's reminders on or off; False when there is no such trainer."""
    with uow:
        found = uow.reminders.set_enabled(trainer_id, enabled)
        uow.commit()
        return bool(found)


# --- the single-writer guard (SQLite) -------------------------------------------------------


def _sqlite_file(uow_factory: UowFactory) -> Path | None:
    from bot.store.unit_of_work import SqlAlchemyUnitOfWork

    uow = uow_factory()
    if not isinstance(uow, SqlAlchemyUnitOfWork):
        return None  # a fake store has no file to guard
    with uow:
        url = uow.session.get_bind().url
    database = url.database if url.get_backend_name() == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


@contextlib.asynccontextmanager
async def single_writer(uow_factory: UowFactory) -> AsyncIterator[None]:
    """On a SQLite file, one delivering pass at a time (a lock file beside the database)."""
    database = await asyncio.to_thread(_sqlite_file, uow_factory)
    if database is None:
        yield
        return
    lock_path = database.with_name(database.name + ".reminders-lock")
    with open(lock_path, "a+b") as lock:
        await asyncio.to_thread(fcntl.flock, lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# --- the pass -------------------------------------------------------------------------------


async def run_pass(
    uow_factory: UowFactory,
    now: datetime,
    *,
    rasa: Wording | None = None,
    notifier: Notifier | None = None,
    dry_run: bool = False,
    frozen_today: date | None = None,
    clock: Clock = _utc_now,
    worker: str | None = None,
    claim_timeout: timedelta = CLAIM_TIMEOUT,
    concurrency: int = CONCURRENCY,
    progress: Progress | None = None,
) -> PassReport:
    """Plan every reminder due at ``now`` and (unless ``dry_run``) deliver those whose time has come."""
    channel = notifier.channel if notifier is not None else CHANNEL
    report = PassReport(dry_run=dry_run)
    report.planned = await asyncio.to_thread(
        plan_all, uow_factory, now, channel=channel, frozen_today=frozen_today, progress=progress
    )
    due = [item for item in report.planned if item.due_by(now)]
    report.later = len(report.planned) - len(due)
    if dry_run or not due:
        return report
    if rasa is None or notifier is None:
        raise ValueError("a pass that sends needs Rasa and a notifier")
    worker = worker or worker_id()
    by_trainer: dict[str, list[PlannedReminder]] = defaultdict(list)
    for item in due:
        by_trainer[item.trainer_id].append(item)
    gate = asyncio.Semaphore(max(1, concurrency))

    async def one_trainer(items: Sequence[PlannedReminder]) -> None:
        async with gate:
            for item in items:  # one chat's reminders in order, never side by side
                await _deliver(item, uow_factory, rasa, notifier, worker, clock, claim_timeout, report)

    async with single_writer(uow_factory):
        await asyncio.gather(*(one_trainer(items) for items in by_trainer.values()))
    return report


def _handed_off(uow: UnitOfWork, sender: str) -> bool:
    with uow:
        return uow.handoff.open_for_sender(sender) is not None


async def _deliver(
    item: PlannedReminder,
    uow_factory: UowFactory,
    rasa: Wording,
    notifier: Notifier,
    worker: str,
    clock: Clock,
    claim_timeout: timedelta,
    report: PassReport,
) -> None:
    if await asyncio.to_thread(_handed_off, uow_factory(), item.sender):
        # Rasa keeps a handed-off conversation paused and would say nothing; a reminder in the middle
        # of a person's conversation would not be welcome either. Not claimed: a later pass sends it.
        logger.info("reminder %s for %s held: a person handles the conversation", item.milestone, item.trainer_id)
        report.held += 1
        return
    claimed = await asyncio.to_thread(claim, uow_factory(), item, worker, clock(), claim_timeout)
    if claimed is None:
        report.skipped += 1
        return
    if claimed.repaired:
        report.repaired += 1
    try:
        replies = await rasa.trigger_intent(
            item.sender, REMINDER_INTENT, {"milestone": item.milestone, "program": item.program}
        )
        replies = [reply for reply in replies if reply.text or reply.buttons]
        if not replies:
            raise DeliveryFailed("the assistant had nothing to say for this reminder")
        await notifier.send(item.recipient, replies)
    except RecipientBlocked:
        logger.info("reminder %s for %s: the user blocked the bot; reminders off", item.milestone, item.trainer_id)
        await asyncio.to_thread(mark, uow_factory(), claimed, worker, BLOCKED, clock(), "blocked by the user")
        report.blocked += 1
        return
    except (RasaError, DeliveryFailed) as exc:
        logger.warning(
            "reminder %s for %s not delivered (attempt %d): %s", item.milestone, item.trainer_id, claimed.attempts, exc
        )
        await asyncio.to_thread(mark, uow_factory(), claimed, worker, FAILED, clock(), str(exc))
        report.failed += 1
        return
    await asyncio.to_thread(mark, uow_factory(), claimed, worker, SENT, clock())
    report.sent += 1
