"""'Start reminders again' says honestly what will still come, and why (N7).

Reminders go only while something is left to do and never for a credential that can no longer be
renewed (docs/rules.md, Reminders). A trainer past the one-year limit, one whose renewal waits on a
petition, or one whose application NASM has, was told "Reminders are on: I'll message you before your
renewal deadlines" although the planner would send them nothing (or only audit reminders). The record
is the one of ``test_actions_support``: E = 2026-03-01, CE deadline 2026-05-30, last application day
2027-02-28, lapse 2027-03-01.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from actions.reminders import ActionStartReminders
from rules.engine import assess
from rules.model import Application, CERecord, CEStatus
from rules.policy import load_policy
from rules.reminders import Series, due_milestones, milestones_ahead
from tests.unit.test_actions_reminders import ReminderUnitOfWork
from tests.unit.test_actions_support import CPT, TRAINER, approved, make_action, record, run, text, tracker

NONE_COME = "Reminders are on, but none will come now."
DEADLINES = "I'll message you here before your renewal deadlines"
WORDINGS = ("start reminders again", "turn my reminders back on", "can you switch the reminders on again?")


async def start(rec, today: date, message: str = WORDINGS[0], enabled: bool = False) -> str:  # type: ignore[no-untyped-def]
    uow = ReminderUnitOfWork([rec], enabled=enabled)
    d, events = await run(
        make_action(ActionStartReminders, uow, today), tracker(linked_as=TRAINER, text=message, intent="start_reminders")
    )
    assert uow.reminders.settings[TRAINER] is True and events == []  # the setting is on either way
    return text(d)


COMPLETE = record(ce=[approved("1.9")])


async def test_past_the_one_year_limit_no_reminder_comes_and_the_answer_says_why() -> None:
    # the last application day: the last-month reminder still runs
    said = await start(COMPLETE, date(2027, 2, 28))
    assert said.startswith(f"Reminders are on: {DEADLINES}")
    for day in (date(2027, 3, 1), date(2027, 3, 2)):  # the lapse day and after
        for message in WORDINGS:
            said = await start(COMPLETE, day, message)
            assert said.startswith(NONE_COME), (day, message)
            assert DEADLINES not in said
            assert "Reminders go only while a certification can still be renewed." in said
            assert "applications closed on February 28, 2027" in said
            assert "To stop these reminders" not in said  # none come: nothing to stop


async def test_an_application_in_stops_the_deadline_reminders_and_says_so() -> None:
    applied = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 20))])
    said = await start(applied, date(2026, 3, 10), "turn my reminders back on")
    assert said.startswith(NONE_COME)
    assert (
        "NASM received your renewal application on February 20, 2026, so no more reminders about your "
        "renewal deadlines come. Nothing else is left to remind you of." in said
    )
    assert DEADLINES not in said
    # the day before the application arrived the deadline reminders still ran
    assert (await start(applied, date(2026, 2, 19))).startswith(f"Reminders are on: {DEADLINES}")


async def test_after_applying_only_the_audit_reminders_come_while_documents_are_outstanding() -> None:
    # selected 2026-02-25: documents due 2026-03-27, audit reminders on day 20 (03-17) and 27 (03-24)
    audited = record(
        ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 20), date(2026, 2, 25))]
    )
    said = await start(audited, date(2026, 3, 10))
    assert said.startswith("Reminders are on. NASM received your renewal application on February 20, 2026")
    assert (
        "While your audit documents (due March 27, 2026) are outstanding, audit reminders come, the next on "
        "March 17, 2026." in said
    )
    assert DEADLINES not in said
    # the day the documents are due: the last audit reminder is still running, none after it
    said = await start(audited, date(2026, 3, 27))
    assert "audit reminders come." in said and "the next on" not in said
    # the day after: overdue, the audit reminders have ended; the answer names the audit
    said = await start(audited, date(2026, 3, 28))
    assert said.startswith(NONE_COME)
    assert "The audit reminders have ended too: Your application was selected for an audit" in said
    assert "were due on March 27, 2026" in said


async def test_a_renewal_that_waits_on_a_petition_gets_no_reminders_until_it_is_decided() -> None:
    waiting = record(ce=[approved("1.5"), CERecord(date(2026, 5, 1), D("0.4"), CEStatus.PENDING_PETITION, title="Yoga")])
    said = await start(waiting, date(2026, 5, 30))  # the CE deadline: it can still be finished
    assert said.startswith(f"Reminders are on: {DEADLINES}")
    said = await start(waiting, date(2026, 5, 31))
    assert said.startswith(NONE_COME)
    assert "depends on your pending petition:" in said
    assert said.endswith("Once NASM approves the pending petition, the renewal reminders start again.")


async def test_ce_short_at_the_ce_deadline_no_reminders() -> None:
    short = record(ce=[approved("0.8")])
    said = await start(short, date(2026, 5, 31))
    assert said.startswith(NONE_COME) and "only 0.8 CEU of approved continuing education" in said


async def test_the_card_running_out_first_is_named_with_its_reminder() -> None:
    from rules.model import CprAedCard

    card = CprAedCard("American Red Cross", date(2026, 2, 1), True, date(2024, 2, 1))
    rec = record(ce=[approved("1.9")], cards=[card])
    said = await start(rec, date(2025, 10, 31))
    assert said.startswith(f"Reminders are on: {DEADLINES}, the next on November 1, 2025")  # E - 120 days
    said_on_the_day = await start(rec, date(2025, 11, 1))  # due today: the next one after it is named
    assert said_on_the_day.startswith(f"Reminders are on: {DEADLINES}, the next on December 1, 2025")
    assert "Your CPR/AED card runs out on February 1, 2026, before your expiration date: a reminder comes 60 days before it." in said


def test_what_is_ahead_agrees_with_what_is_due() -> None:
    """Every day a milestone is due, its series is listed as ahead (the same rule)."""
    policy = load_policy()
    recs = [
        COMPLETE,
        record(ce=[approved("0.8")]),
        record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 20), date(2026, 2, 25))]),
    ]
    day = date(2025, 10, 1)
    while day < date(2027, 3, 5):
        for rec in recs:
            a = assess(policy, rec, CPT, day, steps=False)
            ahead = milestones_ahead(a, policy)
            for m in due_milestones(a, policy):
                assert m in ahead[m.series], (day, m)
            if not a.renewable:
                assert ahead == {}
        day = date.fromordinal(day.toordinal() + 1)
    assert Series.AUDIT in milestones_ahead(assess(policy, recs[2], CPT, date(2026, 3, 10)), policy)
