"""/startreminders says what will still come for the trainer's record, as "start reminders again" does.

The gateway's command turns reminders on in the store itself (``bot.reminders.switch``); it said
"Reminders are on: I'll message you here before your renewal deadlines" to every trainer, also to one
past the one-year limit, for whom the planner sends nothing. Now it gives the chat's words for the
linked trainer's record on the trainer's own today (``RECERT_TODAY`` when set). The record is the one
of ``tests/unit/test_actions_support``: expiry 2026-03-01, last application day 2027-02-28.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from bot.linking import service as linking
from bot.reminders import words
from bot.reminders.switch import switch
from bot.reminders.telegram_commands import switched_text
from bot.store.bootstrap import make_session_factory
from bot.store.unit_of_work import SqlAlchemyUnitOfWork
from rules.model import CERecord, CEStatus, TrainerRecord
from rules.policy import load_policy
from tests.unit.test_actions_support import TRAINER, record

ACCOUNT = "5501"
NONE_COME = "Reminders are on, but none will come now."
DEADLINES = "Reminders are on: I'll message you here before your renewal deadlines"

Uows = Callable[[], SqlAlchemyUnitOfWork]


def linked_store(path: Path, trainer: TrainerRecord) -> Uows:
    """A migrated SQLite store holding ``trainer``, linked to the Telegram account ``ACCOUNT``."""
    factory = make_session_factory(f"sqlite:///{path}")
    with SqlAlchemyUnitOfWork(factory) as uow:
        uow.trainers.upsert(trainer)
        uow.commit()
    now = datetime.now(timezone.utc)
    code = linking.issue_code(SqlAlchemyUnitOfWork(factory), trainer.trainer_id, now).code
    linking.redeem(SqlAlchemyUnitOfWork(factory), "telegram", ACCOUNT, code, now)
    return lambda: SqlAlchemyUnitOfWork(factory)


@pytest.fixture
def complete_ce(tmp_path: Path) -> Uows:
    course = CERecord(date(2025, 6, 1), Decimal("1.9"), CEStatus.APPROVED, title="an approved course")
    return linked_store(tmp_path / "store.sqlite3", record(ce=[course]))


def started(uows: Uows, today: date) -> str:
    """What /startreminders answers on ``today`` (after /stop, so the setting really changes)."""
    switch(uows(), "telegram", ACCOUNT, False, today)
    result = switch(uows(), "telegram", ACCOUNT, True, today)
    assert result.trainer_id == TRAINER and result.now is True
    return switched_text(result)


def test_on_the_last_application_day_the_deadline_reminders_are_promised(complete_ce: Uows) -> None:
    said = started(complete_ce, date(2027, 2, 28))
    assert said.startswith(DEADLINES)
    assert "09:00 and 20:00 your time" in said and "/stop" in said  # when they come, and how to stop them


@pytest.mark.parametrize("today", [date(2027, 3, 1), date(2027, 3, 2)])  # the lapse day and after
def test_past_the_one_year_limit_it_says_none_will_come_and_why(complete_ce: Uows, today: date) -> None:
    said = started(complete_ce, today)
    assert said.startswith(NONE_COME), said
    assert "applications closed on February 28, 2027" in said
    assert DEADLINES not in said


def test_start_reads_the_setting_and_says_the_same(complete_ce: Uows) -> None:
    """/start (which never changes the setting) states it in the same words: on, but none will come."""
    said = started(complete_ce, date(2027, 3, 2))
    state = switch(complete_ce(), "telegram", ACCOUNT, None, date(2027, 3, 2))
    assert state.now is True and state.started == said
    switch(complete_ce(), "telegram", ACCOUNT, False, date(2027, 3, 2))
    off = switch(complete_ce(), "telegram", ACCOUNT, None, date(2027, 3, 2))
    assert off.now is False and off.started is None  # off: nothing will come, and /start says it is off


def test_an_unlinked_account_is_told_to_link(complete_ce: Uows) -> None:
    result = switch(complete_ce(), "telegram", "9999", True, date(2027, 3, 2))
    assert result.trainer_id is None
    assert switched_text(result).startswith(words.NOT_LINKED_REMINDERS)


def test_without_a_frozen_day_it_is_the_trainers_own_today(complete_ce: Uows) -> None:
    """No RECERT_TODAY: the real date, long past this record's one-year limit (2027-03-01) only from then on."""
    said = switched_text(switch(complete_ce(), "telegram", ACCOUNT, True))
    if date.today() >= date(2027, 3, 1):
        assert said.startswith(NONE_COME)
    else:
        assert said.startswith(DEADLINES) and said != words.started_text(load_policy())
