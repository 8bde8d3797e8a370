"""The reminder push (EXTERNAL_reminder), worded from the record's assessment."""

from __future__ import annotations

from datetime import date

from actions.reminders import STOP_HINT, ActionSendReminder
from rules.model import Application
from tests.unit.test_actions_support import (
    COMPLETE,
    PARTIAL,
    TRAINER,
    FakeUnitOfWork,
    approved,
    make_action,
    record,
    run,
    text,
    tracker,
)

LINKS = {("telegram", "4242"): TRAINER}


async def remind(rec, today, links=LINKS, fixture="external_reminder"):  # type: ignore[no-untyped-def]
    return await run(make_action(ActionSendReminder, FakeUnitOfWork([rec], links=links), today), tracker(fixture))


async def test_reminder_names_the_gap_and_deadlines() -> None:
    d, events = await remind(PARTIAL, date(2026, 2, 9))
    said = text(d)
    assert said.startswith("Reminder: your NASM Certified Personal Trainer certification expires on March 1, 2026 (in 20 days).")
    assert "You still need 0.7 CEU of approved continuing education." in said
    assert "courses completed until May 30, 2026" in said
    assert said.endswith(STOP_HINT)
    assert events == []


async def test_reminder_after_expiry() -> None:
    d, _ = await remind(COMPLETE, date(2026, 3, 10))
    assert text(d).startswith(
        "Reminder: your NASM Certified Personal Trainer certification expired on March 1, 2026; "
        "you can still renew until February 28, 2027."
    )
    assert "$129.00 in all" in text(d)


async def test_audit_reminder() -> None:
    rec = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 20), date(2026, 2, 25))])
    d, _ = await remind(rec, date(2026, 3, 17))
    assert text(d).startswith(
        "Reminder: your NASM Certified Personal Trainer renewal was selected for an audit. "
        "Your documents are due on March 27, 2026 (in 10 days)."
    )


async def test_lapsed_reminder_offers_a_person() -> None:
    d, _ = await remind(COMPLETE, date(2027, 3, 5))
    assert "cannot be renewed online" in text(d)
    assert d.messages[0]["buttons"]


async def test_no_reminder_for_an_unlinked_sender() -> None:
    d, _ = await remind(PARTIAL, date(2026, 2, 9), links={})
    assert d.messages == []


async def test_typed_message_cannot_trigger_a_personal_reminder() -> None:
    d, _ = await remind(PARTIAL, date(2026, 2, 9), fixture="user_message")
    assert d.messages == []
