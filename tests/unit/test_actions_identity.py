"""Who is behind a conversation: only signed, fresh identity for this sender, or our own injected messages."""

from __future__ import annotations

import logging
from datetime import date

from rasa_sdk.events import SlotSet

from actions import words
from actions.status import ActionAmILate, ActionExpirationDate
from bot.identity import sign_identity
from tests.unit.test_actions_support import (
    COMPLETE,
    SENDER,
    TRAINER,
    BrokenUnitOfWork,
    FakeUnitOfWork,
    identity,
    make_action,
    run,
    text,
    tracker,
)

TODAY = date(2026, 2, 9)  # 20 days before E
PERSONAL = "expires on March 1, 2026 (in 20 days)"


def action(uow: FakeUnitOfWork | None = None) -> ActionExpirationDate:
    return make_action(ActionExpirationDate, uow or FakeUnitOfWork([COMPLETE]), TODAY)


async def test_linked_trainer_gets_their_own_dates() -> None:
    uow = FakeUnitOfWork([COMPLETE])
    dispatcher, _ = await run(action(uow), tracker(linked_as=TRAINER))
    assert PERSONAL in text(dispatcher)
    assert uow.trainers.lookups == [TRAINER]


async def assert_not_linked(tr, uow: FakeUnitOfWork | None = None) -> None:  # type: ignore[no-untyped-def]
    uow = uow or FakeUnitOfWork([COMPLETE])
    dispatcher, events = await run(action(uow), tr)
    answer = text(dispatcher)
    assert "March 1, 2026" not in answer
    assert words.LINK_HINT in answer
    assert uow.trainers.lookups == []
    assert events == []


async def test_no_metadata_is_not_linked() -> None:
    await assert_not_linked(tracker())


async def test_bad_signature_is_not_linked() -> None:
    forged = identity()
    forged["signature"] = "0" * 64
    await assert_not_linked(tracker(metadata={"identity": forged}))


async def test_signature_with_another_secret_is_not_linked() -> None:
    await assert_not_linked(tracker(metadata={"identity": identity(secret="someone-elses-secret")}))


async def test_identity_signed_for_another_sender_is_not_linked() -> None:
    other = identity(sender="telegram:9999")
    await assert_not_linked(tracker(metadata={"identity": other}))


async def test_identity_copied_to_another_conversation_is_not_linked() -> None:
    # A valid identity for SENDER, replayed in a conversation with a different sender id.
    await assert_not_linked(tracker(metadata={"identity": identity()}, sender="telegram:9999"))


async def test_stale_identity_is_not_linked() -> None:
    await assert_not_linked(tracker(metadata={"identity": identity(age=3600)}))


async def test_typed_trainer_id_is_ignored() -> None:
    tr = tracker(
        text=f"I am {TRAINER}, dana@example.com, when does my cert expire?",
        metadata={"trainer_id": TRAINER, "email": "dana@example.com"},
    )
    await assert_not_linked(tr)


async def test_unsigned_identity_fields_are_ignored() -> None:
    await assert_not_linked(
        tracker(metadata={"identity": {"trainer_id": TRAINER, "sender": SENDER, "issued_at": 0}})
    )


async def test_external_message_resolves_the_trainer_from_the_sender_id() -> None:
    uow = FakeUnitOfWork([COMPLETE], links={("telegram", "4242"): TRAINER})
    dispatcher, _ = await run(action(uow), tracker("external_reminder"))
    assert PERSONAL in text(dispatcher)


async def test_external_message_for_an_unlinked_sender_is_not_linked() -> None:
    uow = FakeUnitOfWork([COMPLETE], links={("telegram", "1"): TRAINER})
    await assert_not_linked(tracker("external_reminder"), uow)


async def test_is_external_flag_on_a_typed_message_is_not_trusted() -> None:
    # The REST channel passes client metadata through; a typed message claiming to be external
    # must not select the record linked to the sender id.
    uow = FakeUnitOfWork([COMPLETE], links={("telegram", "4242"): TRAINER})
    await assert_not_linked(tracker(metadata={"is_external": True}), uow)


async def test_linked_identity_without_a_record_offers_a_person() -> None:
    dispatcher, _ = await run(action(FakeUnitOfWork([])), tracker(linked_as=TRAINER))
    assert text(dispatcher) == words.NO_RECORD
    assert dispatcher.messages[0]["buttons"] == [words.handoff_button()]


async def test_errors_become_words_not_tracebacks(caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO)
    dispatcher, events = await run(action(BrokenUnitOfWork()), tracker(linked_as=TRAINER))
    assert text(dispatcher) == words.TROUBLE
    assert dispatcher.messages[0]["buttons"] == [words.handoff_button()]
    assert events == []
    assert "Traceback" not in text(dispatcher)
    info = [r for r in caplog.records if r.levelno < logging.ERROR]
    assert not any("dana@example.com" in r.getMessage() for r in info)
    assert any(r.levelno == logging.ERROR for r in caplog.records)


async def test_any_answer_resets_the_misunderstanding_count() -> None:
    dispatcher, events = await run(
        action(), tracker(linked_as=TRAINER, slots={"misunderstandings": 1})
    )
    assert events == [SlotSet("misunderstandings", 0)]


async def test_the_trainers_time_zone_decides_today() -> None:
    # 2026-03-02 03:00 UTC is still March 1 in Chicago (not late yet) but March 2 in UTC.
    from dataclasses import replace
    from datetime import datetime, timezone

    moment = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)
    for tz, expected in (("America/Chicago", "No, you're not late."), ("UTC", "Yes.")):
        uow = FakeUnitOfWork([replace(COMPLETE, timezone=tz)])
        late = make_action(ActionAmILate, uow, today=None, now=lambda: moment)
        dispatcher, _ = await run(late, tracker(linked_as=TRAINER))
        assert text(dispatcher).startswith(expected), tz


def test_signed_identity_helper_matches_bot_identity() -> None:
    assert identity()["signature"] == sign_identity(
        TRAINER, SENDER, "test-identity-secret", identity()["issued_at"]
    )["signature"]
