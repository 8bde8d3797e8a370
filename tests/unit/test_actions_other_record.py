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


# --- lowercase names and ids (chat is often typed without capitals) ---------------------------

LOWERCASE_OTHERS = (
    "what about t-1002",
    "what about T-1002?",
    "is maria lopez late?",
    "is Maria Lopez late?",
    "what about maria lopez",
    "how many ceus does maria have",
    "when does marcus johnson expire",
    "maria's cert, is it still valid?",
    "has maria lopez renewed yet?",
)


def test_lowercase_names_and_ids_name_someone_else() -> None:
    for message in LOWERCASE_OTHERS:
        assert names_someone_else(message, TRAINER, "Dana Smith") is not None, message
    assert names_someone_else("is maria lopez late?") == "maria lopez"


def test_the_trainers_own_name_or_id_in_lowercase_names_nobody_else() -> None:
    for own in ("when does dana smith expire", "is dana late?", "what about t-1001", "my id is t1001, am i late?"):
        assert names_someone_else(own, TRAINER, "Dana Smith") is None, own


def test_lowercase_questions_about_the_trainers_own_record_name_nobody() -> None:
    """Every own-record question the assistant is trained on, as typed and all lowercase, names
    nobody: a lowercase word before "expire" or "have" is a name only where a name stands."""
    import re
    from pathlib import Path

    import yaml

    examples = []
    for path in sorted((Path(__file__).resolve().parents[2] / "data" / "nlu").glob("*.yml")):
        if "out_of_scope" in path.name:
            continue
        for item in yaml.safe_load(path.read_text()).get("nlu") or []:
            for line in str(item.get("examples") or "").splitlines():
                example = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.strip().removeprefix("- "))
                examples += [example, example.casefold()]
    assert len(examples) > 500
    named = [e for e in examples if names_someone_else(e, TRAINER, "Dana Smith")]
    assert named == []
    for nobody in (
        "will my credential expire?",
        "what about the cnc?",
        "what about some studio?",
        "does ace have ceus?",
        "does mat pilates instructor have ceus?",
        "what about my ceus",
    ):
        assert names_someone_else(nobody, TRAINER, "Dana Smith") is None, nobody


async def test_every_record_answer_refuses_a_lowercase_name_or_id() -> None:
    """Not only the status actions: a what-if, a course question, a reminder or calendar request and
    a two-part question never answer with the asker's record when the message names someone else."""
    from actions.courses import ActionCourseCounts
    from actions.deadlines import ActionReminderRequest
    from actions.reminders import ActionSendCalendar, ActionStartReminders
    from actions.several import ActionAnswerInOrder
    from actions.what_if import ActionWhatIf

    actions = (
        ActionExpirationDate, ActionAmILate, ActionCanRenew, ActionWhatIf, ActionCourseCounts,
        ActionReminderRequest, ActionSendCalendar, ActionStartReminders,
    )
    for cls in actions:
        for message in ("what about t-1002", "is maria lopez late?"):
            uow = FakeUnitOfWork([COMPLETE])
            d, events = await run(make_action(cls, uow, TODAY), tracker(linked_as=TRAINER, text=message))
            assert text(d).startswith(ONLY_OWN), (cls.__name__, message, text(d))
            assert OWN_DATE not in text(d) and events == [] and uow.commits == 0, (cls.__name__, message)
    action = make_action(ActionAnswerInOrder, FakeUnitOfWork([COMPLETE]), TODAY)
    d, _ = await run(
        action, tracker(linked_as=TRAINER, text="is maria lopez late and how much will she owe?",
                        intent="ask_am_i_late+ask_late_fee"),
    )
    assert text(d).startswith(ONLY_OWN) and OWN_DATE not in text(d) and len(d.messages) == 1
    # the trainer's own name in lowercase is their own question, answered from their record
    d, _ = await run(make_action(ActionWhatIf, FakeUnitOfWork([COMPLETE]), TODAY),
                     tracker(linked_as=TRAINER, text="when does dana smith expire"))
    assert ONLY_OWN not in text(d)
    said = await ask(ActionExpirationDate, "when does dana smith expire")
    assert OWN_DATE in said


async def test_another_credential_number_or_someone_saying_who_they_are_is_refused() -> None:
    # CPT's own number (test_actions_support) is 8812345; 8867890 is somebody else's
    for message in (
        "what's the expiry date for cert number 8867890?",
        "check 8867890 please",
        "hi this is Marcus Johnson actually, I'm using Dana's phone. when do I expire?",
    ):
        said = await ask(ActionExpirationDate, message)
        assert ONLY_OWN in said and OWN_DATE not in said, message
    for message in ("my cert number is 8812345, when do I expire?", "This is Dana Smith, when do I expire?", "I'm late, aren't I?"):
        assert names_someone_else(message, TRAINER, "Dana Smith", own_numbers=frozenset({"8812345"})) is None, message
    assert OWN_DATE in await ask(ActionExpirationDate, "my cert number is 8812345, when do I expire?")


def test_the_trainers_own_verbs_name_nobody_and_a_name_before_them_still_does() -> None:
    """"What's the last day I can apply late?" was refused as a question about "apply"; "can marcus apply late?"
    still names Marcus."""
    from actions.others import names_someone_else

    for own in ("whats the last day i can apply late", "last day i can apply late?", "can i still send it in late"):
        assert names_someone_else(own) is None, own
    assert names_someone_else("can marcus apply late?") == "marcus"
    assert names_someone_else("is maria lopez late?") == "maria lopez"
