"""A question about another trainer's record gets "only your own record", never the asker's record as its answer.

Nothing typed in chat selects a record: "when does Marcus Johnson expire?" from T-1001 answered with T-1001's
own expiration reads as Marcus's date. The record of ``test_actions_support`` (Dana Smith, T-1001,
E = 2026-03-01) is the linked one.
"""

from __future__ import annotations

from datetime import date

from actions import words
from actions.fallback import CAPABILITIES, ActionHandleMisunderstanding
from actions.others import names_someone_else
from actions.status import ActionAmILate, ActionCanRenew, ActionExpirationDate
from tests.unit.test_actions_support import (
    COMPLETE,
    TRAINER,
    FakeUnitOfWork,
    make_action,
    run,
    text,
    tracker,
)

TODAY = date(2026, 2, 9)
OWN_DATE = "March 1, 2026"
ONLY_OWN = "I can only discuss your own record"


async def ask(cls: type, message: str, linked: bool = True) -> str:
    action = make_action(cls, FakeUnitOfWork([COMPLETE]), TODAY)
    d, _ = await run(action, tracker(linked_as=TRAINER if linked else None, text=message))
    return text(d)


async def test_a_named_person_gets_only_your_own_record_not_the_askers_dates() -> None:
    for message in ("when does Marcus Johnson expire?", "is Marcus late?", "when does she expire?", "what are my client's deadlines? when does his cert expire"):
        said = await ask(ActionExpirationDate, message)
        assert ONLY_OWN in said, message
        assert OWN_DATE not in said, message
    said = await ask(ActionAmILate, "is T-1007 lapsed?")
    assert ONLY_OWN in said and OWN_DATE not in said


async def test_the_askers_own_id_or_name_is_their_own_question() -> None:
    assert OWN_DATE in await ask(ActionExpirationDate, "my id is T-1001, when do I expire?")
    assert OWN_DATE in await ask(ActionExpirationDate, "when does Dana Smith expire?")  # the record's own name
    # a course code with digits, the credential's own capitalised name and a month are nobody
    assert OWN_DATE in await ask(ActionExpirationDate, "when does my NASM Certified Personal Trainer expire?")
    assert OWN_DATE in await ask(ActionExpirationDate, "When does my certification expire? Is it in March?")
    said = await ask(ActionCanRenew, "I did NSCA-KB-101, can I renew?")
    assert ONLY_OWN not in said


async def test_an_unlinked_chat_is_told_the_same_and_how_to_link() -> None:
    said = await ask(ActionExpirationDate, "when does Marcus Johnson expire?", linked=False)
    assert "I can only discuss the record a chat is linked to" in said
    assert words.LINK_HINT in said


async def test_another_id_in_a_misunderstood_message_is_refused_not_misunderstood() -> None:
    action = make_action(ActionHandleMisunderstanding, FakeUnitOfWork([COMPLETE]), TODAY)
    d, events = await run(action, tracker(linked_as=TRAINER, text="what about T-1002?"))
    assert ONLY_OWN in text(d) and CAPABILITIES not in text(d)
    assert {"event": "slot", "timestamp": None, "name": "misunderstandings", "value": 0} in events
    d, _ = await run(action, tracker(linked_as=TRAINER, text="what about T-1001?"))  # their own id: not understood
    assert CAPABILITIES in text(d)


def test_what_names_someone_else() -> None:
    assert names_someone_else("when does Marcus Johnson expire?") == "Marcus Johnson"
    assert names_someone_else("Is Sarah's certification still valid?") == "Sarah"
    assert names_someone_else("what about t1002") == "t1002"
    assert names_someone_else("my friend wants to know when she expires") is not None
    assert names_someone_else("how many CEUs does my client have?") == "does my client"
    assert names_someone_else("my mom passed away and I fell behind, can I have longer") is None
    for nobody in (
        "When does my certification expire?",
        "does Kettlebell Basics count?",
        "Am I late? Thanks",
        "what's the late fee in January?",
        "is NSCA-KB-101 approved?",
        "When Does My Certification Expire?",
        "Hi, I have 1.2 CEUs, when do I expire?",
    ):
        assert names_someone_else(nobody) is None, nobody
