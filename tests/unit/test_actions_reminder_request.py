"""'Remind me a month before my deadline': what reminders this trainer will get, from their setting and record.

docs/rules.md (Reminders): reminders go only while something is left to do (the application not yet received),
never for a credential that can no longer be renewed, audit reminders while the documents are outstanding;
and none once the trainer turned them off. The answer promised "reminders come on their own" to all of them.
The record of ``test_actions_support``: E = 2026-03-01, today 2026-02-09 unless said.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from actions.deadlines import ActionReminderRequest
from rules.model import Application, CERecord, CEStatus, TrainerRecord
from tests.unit.action_support import COMPLETE, TRAINER, FakeUnitOfWork, approved, record, said
from tests.unit.test_actions_support import FakeReminderSettings

COMES = "reminders come on their own to a chat linked to your record: 120, 90, 60, 30, 14, 7 and 1 days"
MESSAGE = "remind me a month before my deadline"


async def ask(rec: TrainerRecord, today: date = date(2026, 2, 9), off: bool = False, message: str = MESSAGE) -> str:
    uow = FakeUnitOfWork([rec])
    uow.reminders = FakeReminderSettings([TRAINER] if off else [])
    return await said(ActionReminderRequest, rec, today, uow=uow, text=message)


async def test_reminders_on_and_something_to_do_they_come() -> None:
    said = await ask(COMPLETE)
    assert COMES in said
    assert "Your NASM Certified Personal Trainer certification expires on March 1, 2026 (in 20 days): renew by then" in said


async def test_reminders_turned_off_are_said_to_be_off_with_how_to_turn_them_on() -> None:
    said = await ask(COMPLETE, off=True)
    assert COMES not in said
    assert "your reminders are off, so none come now" in said
    assert 'say "start reminders again" (or send /startreminders) to turn them on.' in said
    # off, with the application in: no schedule promised either way
    applied = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 1))])
    said = await ask(applied, off=True)
    assert "your reminders are off" in said and "days before your expiration date" not in said
    assert "expires on March 1, 2026" in said  # the dates are still given


async def test_an_application_received_stops_the_deadline_reminders_audit_ones_while_documents_are_due() -> None:
    applied = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 1))])
    said = await ask(applied)
    assert COMES not in said
    assert "NASM has your application, so the renewal-deadline reminders have stopped." in said
    assert "renew by then" not in said  # the application is in: nothing to renew "by then"
    assert "expires on March 1, 2026 (in 20 days)." in said
    audited = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 1), date(2026, 2, 5))])
    said = await ask(audited)
    assert "While your audit documents are outstanding, reminders come 20 and 27 days after the selection" in said
    sent = record(
        ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 1), date(2026, 2, 5), date(2026, 2, 8))]
    )
    assert "audit documents are outstanding" not in await ask(sent)


async def test_no_reminders_for_a_credential_that_can_no_longer_be_renewed() -> None:
    # E = 2026-03-01, CE deadline 2026-05-30: 0.8 CEU of course CE by then, nothing later counts
    short = record(ce=[approved("0.8")])
    said = await ask(short, today=date(2026, 6, 1))
    assert COMES not in said
    assert "no reminders come for a credential that can no longer be renewed" in said
    # on the CE deadline itself the CE can still be finished: the reminders still come
    assert COMES in await ask(short, today=date(2026, 5, 30))
    # a pending petition that would complete it: renewable only once approved, and the planner
    # sends nothing until then (rules.reminders.due_milestones), so none are promised
    waiting = record(ce=[approved("0.8"), CERecord(date(2026, 5, 1), D("1.1"), CEStatus.PENDING_PETITION, title="Yoga")])
    said = await ask(waiting, today=date(2026, 6, 1))
    assert COMES not in said
    assert "no reminders come while your renewal waits on your pending petition: once NASM approves it," in said
    two = record(ce=[approved("0.8"), *(CERecord(date(2026, 5, n), D("0.6"), CEStatus.PENDING_PETITION, title=f"Yoga {n}") for n in (1, 2))])
    said = await ask(two, today=date(2026, 6, 1))
    assert "no reminders come while your renewal waits on your pending petitions: once NASM approves them," in said
    assert COMES in await ask(waiting, today=date(2026, 5, 30))  # on the CE deadline: still renewable
