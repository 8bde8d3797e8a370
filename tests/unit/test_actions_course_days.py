"""A course question that gives a completion day: the day is judged against the CE window whether or not the
course is named, kept when the course is named in the next message, and read in the tense it was said in.

E = 2026-06-15, so the CE deadline G = 2026-09-13 (E + 90 days); today 2026-11-30.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from actions.courses import ActionCourseCounts, ValidateCourseForm
from rules.model import Credential
from tests.unit.action_support import (
    TRAINER,
    FakeUnitOfWork,
    approved,
    entity,
    make_action,
    record,
    run,
    said,
    text,
    tracker,
)

TODAY = date(2026, 11, 30)
SHORT = record(ce=[approved("1.2")], credentials=[Credential("nasm-cpt", date(2026, 6, 15))])


@pytest.mark.parametrize(
    ("message", "day", "verdict"),
    [
        ("i did a course on sept 13 would it have counted", "sept 13", "on September 13, 2026 still counts"),
        ("finished a course on sept 14, does it count", "sept 14", "on September 14, 2026 is too late"),
    ],
)
async def test_a_day_without_a_course_is_judged_against_the_ce_window(message: str, day: str, verdict: str) -> None:
    answer = await said(ActionCourseCounts, SHORT, TODAY, text=message, entities=[entity("date", day)])
    assert verdict in answer and "Which course" not in answer and "petition" not in answer, answer


async def test_the_form_does_not_ask_which_course_when_the_day_answers_it() -> None:
    form = make_action(ValidateCourseForm, FakeUnitOfWork([SHORT]), TODAY)
    dated = tracker(linked_as=TRAINER, text="i did a course on oct 29, does it count", entities=[entity("date", "oct 29")])
    assert await form.required_slots(["course"], None, dated, {}) == []
    undated = tracker(linked_as=TRAINER, text="does my course count", entities=[])
    assert await form.required_slots(["course"], None, undated, {}) == ["course"]


async def test_a_day_in_answer_to_which_course_is_no_course_title() -> None:
    form = make_action(ValidateCourseForm, FakeUnitOfWork([SHORT]), TODAY)
    for message, day in (("and oct 30?", "oct 30"), ("what about jan 13", "jan 13")):
        tr = tracker(linked_as=TRAINER, text=message, entities=[entity("date", day)], slots={"requested_slot": "course"})
        assert await form._question_instead_of_a_course(tr), message
    titled = tracker(linked_as=TRAINER, text="the one from oct 30 was NASM-WLS", entities=[entity("date", "oct 30")],
                     slots={"requested_slot": "course"})
    assert not await form._question_instead_of_a_course(titled)


def _answered_which_course(first: str, first_entities: list[dict[str, Any]], reply: str, course: str) -> Any:
    tr = tracker(linked_as=TRAINER, text=reply, entities=[entity("course", course)])
    tr.events = [
        {"event": "user", "text": first, "parse_data": {"entities": first_entities}},
        {"event": "action", "name": "course_form"},
        {"event": "bot", "text": "Which course do you mean?"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": reply, "parse_data": {"entities": [entity("course", course)]}},
    ]
    return tr


async def test_the_day_of_the_question_is_kept_when_the_course_is_named_next() -> None:
    """"I finished a course on sept 10, does that count?" -> "Which course?" -> "it was NASM-WLS": September 10 is
    before the CE deadline; without the day the answer was "No, that window has closed"."""
    tr = _answered_which_course(
        "i finished a course on sept 10, does that count?", [entity("date", "sept 10")], "it was NASM-WLS", "NASM-WLS"
    )
    d, _ = await run(make_action(ActionCourseCounts, FakeUnitOfWork([SHORT]), TODAY), tr)
    answer = text(d)
    assert answer.startswith("Yes") and "September 10, 2026" in answer and "window has closed" not in answer, answer
    # 1.2 CEUs on record + 0.8 + the card: the credential that could not be renewed can be, with it on the record
    assert "Your record doesn't show it yet. With it done you'd have 2.0 of the 2.0 CEUs" in answer, answer
    assert "could still renew until June 14, 2027" in answer and "cannot be renewed" not in answer


async def test_a_day_said_with_a_verb_of_the_past_is_not_next_year() -> None:
    late = record(ce=[approved("1.9")], credentials=[Credential("nasm-cpt", date(2026, 7, 31))])  # G = 2026-10-29
    answer = await said(ActionCourseCounts, late, TODAY, text="does NASM-WLS count if I did it on nov 1",
                        entities=[entity("course", "NASM-WLS"), entity("date", "nov 1")])
    assert "completed on November 1, 2026, it is after October 29, 2026" in answer and "2027" not in answer, answer


async def test_a_day_after_a_course_answer_is_a_completion_day_of_the_same_question() -> None:
    """"I did a course on sept 13, does it count?" then "and sept 14?" (the NLU's inform, no rule for it after a
    course answer): the next day against the same window, not "Sorry"."""
    from actions.fallback import ActionHandleMisunderstanding
    from tests.unit.action_support import after_reply

    for intent in ("inform", "nlu_fallback"):
        tr = after_reply("i did a course on sept 13, does it count", "action_course_counts", "Continuing education ...",
                         "and sept 14?", intent=intent, entities=[entity("date", "sept 14")])
        d, _ = await run(make_action(ActionHandleMisunderstanding, FakeUnitOfWork([SHORT]), TODAY), tr)
        assert "completed on September 14, 2026 is too late" in text(d), (intent, text(d))
    # after "Which course?" the day is a completion day too, never an application day
    tr = after_reply("does my course count", "course_form", "Which course do you mean?", "what about sept 10",
                     intent="inform", entities=[entity("date", "sept 10")])
    d, _ = await run(make_action(ActionHandleMisunderstanding, FakeUnitOfWork([SHORT]), TODAY), tr)
    assert "completed on September 10, 2026 still counts" in text(d), text(d)


async def test_a_day_after_the_audit_answer_is_the_documents_day() -> None:
    from actions.fallback import ActionHandleMisunderstanding
    from rules.model import Application
    from tests.unit.action_support import after_reply

    audited = record(
        ce=[approved("1.9")], credentials=[Credential("nasm-cpt", date(2026, 12, 20))],
        applications=[Application("nasm-cpt", date(2026, 11, 20), audit_selected_on=date(2026, 11, 25))],
    )
    for message, entities, verdict in (
        ("and the 26th?", [], "No: December 26, 2026 is 1 day after the due date"),
        ("what about the 24th", [], "Yes: December 24, 2026 is on or before the due date"),
        ("what about jan 4", [entity("date", "jan 4")], "No: January 4, 2027"),
    ):
        tr = after_reply("when are the audit docs due", "action_audit", "send ... by December 25, 2026", message,
                         intent="inform", entities=entities)
        d, _ = await run(make_action(ActionHandleMisunderstanding, FakeUnitOfWork([audited]), TODAY), tr)
        assert text(d).startswith(verdict), (message, text(d))


async def test_petitioning_an_approved_course_is_not_invited() -> None:
    """Not renewable (0.8 CEU by the CE deadline, August 29, 2026), the Weight Loss course done on October 10, after
    it: "can I petition the weight loss course?" gets no invitation to a $25.00 petition that buys nothing."""
    from actions.faq import ActionAnswerFaq
    from rules.model import CERecord, CEStatus

    wls = CERecord(date(2026, 10, 10), Decimal("0.8"), CEStatus.APPROVED,
                   title="Weight Loss Specialist", course_id="NASM-WLS")
    closed = record(ce=[approved("0.8", date(2025, 9, 1)), wls], credentials=[Credential("nasm-cpt", date(2026, 5, 31))])
    tr = tracker("faq_response_selector", linked_as=TRAINER, text="can i petition the weight loss course to count?")
    tr.latest_message["response_selector"] = {"faq": {"response": {"intent_response_key": "faq/petition"}}}
    d, _ = await run(make_action(ActionAnswerFaq, FakeUnitOfWork([closed]), TODAY), tr,
                     {"responses": {"utter_faq/petition": [{"text": "A course that isn't pre-approved ..."}]}})
    answer = text(d)
    assert answer.startswith("Weight Loss Specialist (NASM-WLS) is NASM-approved, so it needs no petition."), answer
    assert "October 10, 2026" in answer and "cannot be renewed online" in answer and "pre-approved ..." not in answer


async def test_a_second_day_after_an_audit_answer_given_through_another_action_is_the_documents_day() -> None:
    """"can I send them on the 26th instead?" (answered through the what-if) then "ok what if I send em next friday":
    still the documents' day, not the application's fee."""
    from actions.what_if import ActionWhatIf
    from rules.model import Application
    from tests.unit.action_support import after_reply

    audited = record(
        ce=[approved("1.9")], credentials=[Credential("nasm-cpt", date(2026, 12, 20))],
        applications=[Application("nasm-cpt", date(2026, 11, 20), audit_selected_on=date(2026, 11, 25))],
    )
    before = ("No: December 26, 2026 is 1 day after the due date, December 25, 2026. Your application was selected for "
              "an audit on November 25, 2026: send ...")
    tr = after_reply("can I send them on the 26th instead?", "action_what_if", before, "ok what if I send em next friday",
                     intent="what_if", entities=[entity("date", "next friday")])
    d, _ = await run(make_action(ActionWhatIf, FakeUnitOfWork([audited]), TODAY), tr)
    assert text(d).startswith("Yes: December 4, 2026 is on or before the due date"), text(d)


async def test_it_after_the_card_answer_is_the_card() -> None:
    from actions.status import ActionExpirationDate
    from tests.unit.action_support import after_reply

    before = "Your CPR/AED card (American Red Cross, valid until January 10, 2027) gives the required 0.1 CEU."
    tr = after_reply("my cpr card says just Red Cross, is that ok", "action_answer_faq", before, "when does it expire")
    d, _ = await run(make_action(ActionExpirationDate, FakeUnitOfWork([SHORT]), TODAY), tr)
    assert "valid until January 10, 2027" in text(d) and "June 15, 2026" not in text(d), text(d)
    # naming the certification asks about it
    tr = after_reply("my cpr card says just Red Cross, is that ok", "action_answer_faq", before,
                     "and when does my cert expire")
    d, _ = await run(make_action(ActionExpirationDate, FakeUnitOfWork([SHORT]), TODAY), tr)
    assert "June 15, 2026" in text(d), text(d)


@pytest.mark.parametrize(
    "message", ["i have 1.9 from CES, can the leftover go to next cycle", "does the extra from NASM-CES roll over?"]
)
async def test_leftover_ce_of_a_course_is_the_rollover_rule(message: str) -> None:
    d, _ = await run(make_action(ActionCourseCounts, FakeUnitOfWork([SHORT]), TODAY),
                     tracker(linked_as=TRAINER, text=message, entities=[entity("course", "NASM-CES")]))
    assert [m.get("response") for m in d.messages] == ["utter_faq/ceus_roll_over"], d.messages
    course = await said(ActionCourseCounts, SHORT, TODAY, text="if I take NASM-CES now does it count for my next cycle?",
                        entities=[entity("course", "NASM-CES")])
    assert "Corrective Exercise Specialist" in course
