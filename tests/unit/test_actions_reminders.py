"""The reminder push (EXTERNAL_reminder) worded from the record; stopping and restarting reminders;
the deadlines as a calendar file (parsed back with icalendar)."""

from __future__ import annotations

from datetime import date
from typing import Any

from icalendar import Calendar

from actions.reminders import (
    CALENDAR_SENT,
    STOP_HINT,
    ActionSendCalendar,
    ActionSendReminder,
    ActionStartReminders,
    ActionStopReminders,
)
from bot.reminders.words import ALREADY_STOPPED, CALENDAR_PAYLOAD, NOT_LINKED_REMINDERS, STOPPED
from rules.model import Application
from tests.unit.test_actions_support import (
    COMPLETE,
    PARTIAL,
    TRAINER,
    FakeUnitOfWork,
    approved,
    entity,
    make_action,
    record,
    run,
    text,
    texts,
    tracker,
)

LINKS = {("telegram", "4242"): TRAINER}


class FakeReminders:
    def __init__(self, settings: dict[str, bool]) -> None:
        self.settings = settings

    def enabled(self, trainer_id: str) -> bool | None:
        return self.settings.get(trainer_id)

    def set_enabled(self, trainer_id: str, enabled: bool) -> bool:
        if trainer_id not in self.settings:
            return False
        self.settings[trainer_id] = enabled
        return True


class ReminderUnitOfWork(FakeUnitOfWork):
    def __init__(self, *args: Any, enabled: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reminders = FakeReminders({TRAINER: enabled})


async def remind(rec, today, links=LINKS, fixture="external_reminder", milestone=None):  # type: ignore[no-untyped-def]
    entities = [entity("milestone", milestone), entity("program", "nasm-cpt")] if milestone else None
    return await run(
        make_action(ActionSendReminder, FakeUnitOfWork([rec], links=links), today),
        tracker(fixture, entities=entities),
    )


async def test_reminder_names_the_gap_and_the_next_deadline() -> None:
    d, events = await remind(PARTIAL, date(2026, 2, 9), milestone="-30d")
    assert text(d) == (
        "Reminder: your NASM Certified Personal Trainer certification expires on March 1, 2026 (in 20 days). "
        "You need 0.7 more CEU by March 1, 2026 to avoid the $30.00 late fee. " + STOP_HINT
    )
    assert d.messages[0]["buttons"] == [{"title": "Add my deadlines to my calendar", "payload": CALENDAR_PAYLOAD}]
    assert events == []


async def test_reminder_without_a_milestone_still_names_the_gap() -> None:
    d, _ = await remind(PARTIAL, date(2026, 2, 9))
    assert "You need 0.7 more CEU by March 1, 2026" in text(d) and text(d).endswith(STOP_HINT)


async def test_reminder_after_expiry() -> None:
    d, _ = await remind(COMPLETE, date(2026, 3, 10), milestone="+1d")
    assert text(d).startswith(
        "Reminder: your NASM Certified Personal Trainer certification expired on March 1, 2026; "
        "you can still renew until February 28, 2027. All that is left is your renewal application, "
        "which NASM needs by May 30, 2026 to pay the $30.00 late fee instead of $50.00."
    )


async def test_audit_reminder() -> None:
    rec = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 20), date(2026, 2, 25))])
    d, _ = await remind(rec, date(2026, 3, 17), milestone="audit+20d")
    assert text(d).startswith(
        "Reminder: Your application was selected for an audit on February 25, 2026: send a certificate"
    )
    assert "by March 27, 2026 (10 days left" in text(d)


async def test_lapsed_reminder_offers_a_person() -> None:
    d, _ = await remind(COMPLETE, date(2027, 3, 5), milestone="+330d")
    assert "cannot be renewed online" in text(d)
    assert d.messages[0]["buttons"]


async def test_no_reminder_for_an_unlinked_sender() -> None:
    d, _ = await remind(PARTIAL, date(2026, 2, 9), links={})
    assert d.messages == []


async def test_typed_message_cannot_trigger_a_personal_reminder() -> None:
    d, _ = await remind(PARTIAL, date(2026, 2, 9), fixture="user_message")
    assert d.messages == []


# --- stop and start ---------------------------------------------------------------------------


async def test_stop_then_start_confirms_each_state() -> None:
    uow = ReminderUnitOfWork([PARTIAL])
    d, _ = await run(make_action(ActionStopReminders, uow), tracker(linked_as=TRAINER, intent="stop_reminders"))
    assert texts(d) == [STOPPED] and uow.reminders.settings[TRAINER] is False
    d, _ = await run(make_action(ActionStopReminders, uow), tracker(linked_as=TRAINER, intent="stop_reminders"))
    assert texts(d) == [ALREADY_STOPPED]
    d, _ = await run(make_action(ActionStartReminders, uow), tracker(linked_as=TRAINER, intent="start_reminders"))
    assert uow.reminders.settings[TRAINER] is True
    assert text(d).startswith(
        "Reminders are on: I'll message you here before your renewal deadlines, the next on March 31, 2026, "
        "only between 09:00 and 20:00 your time."
    )


async def test_stop_without_a_link_changes_nothing() -> None:
    uow = ReminderUnitOfWork([PARTIAL])
    d, _ = await run(make_action(ActionStopReminders, uow), tracker(intent="stop_reminders"))
    assert texts(d)[0] == NOT_LINKED_REMINDERS and uow.reminders.settings[TRAINER] is True


# --- the calendar file --------------------------------------------------------------------------


async def test_calendar_file_holds_the_trainers_own_dates() -> None:
    rec = record(ce=[approved("1.2")], applications=[])
    d, _ = await run(make_action(ActionSendCalendar, FakeUnitOfWork([rec]), date(2026, 2, 9)), tracker(linked_as=TRAINER))
    assert d.messages[0]["text"] == CALENDAR_SENT
    document = d.messages[1]["custom"]["document"]
    assert (document["filename"], document["mime_type"]) == ("renewal-deadlines.ics", "text/calendar")
    calendar = Calendar.from_ical(document["content"])
    events = {str(e["summary"]): e.decoded("dtstart") for e in calendar.walk("VEVENT")}
    assert events == {
        "NASM Certified Personal Trainer: certification expires": date(2026, 3, 1),
        "NASM Certified Personal Trainer: last day continuing education counts": date(2026, 5, 30),
        "NASM Certified Personal Trainer: last day to apply for renewal": date(2027, 2, 28),
    }
    for event in calendar.walk("VEVENT"):
        assert event.decoded("dtend") == event.decoded("dtstart").fromordinal(event.decoded("dtstart").toordinal() + 1)
        assert event.walk("VALARM")
        assert TRAINER not in str(event["uid"])


async def test_calendar_with_an_audit_due() -> None:
    rec = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 20), date(2026, 2, 25))])
    d, _ = await run(make_action(ActionSendCalendar, FakeUnitOfWork([rec]), date(2026, 3, 17)), tracker(linked_as=TRAINER))
    calendar = Calendar.from_ical(d.messages[1]["custom"]["document"]["content"])
    assert [(str(e["summary"]), e.decoded("dtstart")) for e in calendar.walk("VEVENT")] == [
        ("NASM Certified Personal Trainer: audit documents due", date(2026, 3, 27))
    ]


async def test_calendar_needs_a_linked_chat() -> None:
    d, _ = await run(make_action(ActionSendCalendar, FakeUnitOfWork([PARTIAL])), tracker())
    assert all("custom" not in m or not m["custom"] for m in d.messages)
    assert "once this chat is linked" in texts(d)[0]
