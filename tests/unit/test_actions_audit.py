"""I was selected for an audit: what now, and by when?"""

from __future__ import annotations

from datetime import date

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import words
from actions.audit import ActionAudit
from rules.model import Application, TrainerRecord
from tests.unit.action_support import COMPLETE, Events, answer, approved, entity, record, text

SELECTED = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 20), date(2026, 2, 25))])


async def ask(rec: TrainerRecord, today: date, linked: bool = True) -> tuple[CollectingDispatcher, Events]:
    return await answer(ActionAudit, rec, today, linked=linked)


async def test_audit_pending_names_due_date_and_documents() -> None:
    d, _ = await ask(SELECTED, date(2026, 3, 10))
    assert text(d) == (
        "Your application was selected for an audit on February 25, 2026: send a certificate of "
        "completion for each course and the front and back of your CPR/AED card to NASM's "
        "Recertification/Renewal Department by March 27, 2026 (17 days left; you have 30 days "
        "from selection to send them)."
    )


async def test_audit_overdue_offers_a_person() -> None:
    d, _ = await ask(SELECTED, date(2026, 4, 10))
    assert "the documents were due on March 27, 2026 (14 days ago; you have 30 days" in text(d)
    assert "Recertification/Renewal Department now" in text(d)
    assert d.messages[0]["buttons"] == [words.handoff_button()]


async def test_audit_submitted() -> None:
    done = record(
        ce=[approved("1.9")],
        applications=[Application("nasm-cpt", date(2026, 2, 20), date(2026, 2, 25), date(2026, 3, 1))],
    )
    d, _ = await ask(done, date(2026, 3, 10))
    assert "your documents were received; nothing more is needed for the audit" in text(d)


async def test_no_application_no_audit() -> None:
    d, _ = await ask(COMPLETE, date(2026, 2, 9))
    assert text(d).startswith("You haven't applied yet, so there's no audit. If your application is picked, you'll have 30 days")


async def test_audit_general_when_not_linked() -> None:
    d, _ = await ask(SELECTED, date(2026, 3, 10), linked=False)
    assert "30 days from selection" in text(d)
    assert "February 25" not in text(d)
    assert words.LINK_HINT in text(d)


async def test_documents_said_sent_but_not_on_record_are_not_taken_for_received() -> None:
    for today in (date(2026, 3, 10), date(2026, 4, 10)):  # pending, then overdue
        d, _ = await answer(ActionAudit, SELECTED, today, text="I already mailed my audit docs last week")
        said = text(d)
        assert said.startswith("Your record doesn't show your audit documents as received yet.")
        assert "March 27, 2026" in said and "nothing more is needed" not in said
        assert d.messages[0]["buttons"] == [words.handoff_button()]


async def test_documents_said_sent_and_on_record_are_confirmed() -> None:
    done = record(
        ce=[approved("1.9")],
        applications=[Application("nasm-cpt", date(2026, 2, 20), date(2026, 2, 25), date(2026, 3, 1))],
    )
    d, _ = await answer(ActionAudit, done, date(2026, 3, 10), text="I sent the audit documents, are we good?")
    assert "your documents were received; nothing more is needed for the audit" in text(d)
    assert "doesn't show" not in text(d)


def test_sending_is_told_apart_from_asking_what_to_send() -> None:
    from actions.audit import says_documents_sent

    assert says_documents_sent("I've sent my audit documents")
    assert says_documents_sent("my audit docs were already submitted")
    assert not says_documents_sent("what documents do I send for the audit?")
    assert not says_documents_sent("where do I send the audit stuff")


async def test_am_i_late_with_audit_documents_overdue_is_no_bare_no() -> None:
    from actions.status import ActionAmILate

    # applied 2026-02-20 before E (2026-03-01); audit selected 2026-02-25, due 2026-03-27
    overdue = await answer(ActionAmILate, SELECTED, date(2026, 4, 10))
    said = text(overdue[0])
    assert said.startswith(
        "Your application arrived before your certification expired, so it isn't late. But your audit documents "
        "are overdue (below)."
    )
    assert overdue[0].messages[0]["buttons"] == [words.handoff_button()]
    pending = await answer(ActionAmILate, SELECTED, date(2026, 3, 10))
    assert text(pending[0]).startswith("No: your application arrived before your certification expired")


async def test_a_day_asked_for_the_documents_is_judged_against_the_due_date() -> None:
    from tests.unit.action_support import entity

    # selected 2026-02-25: due 2026-03-27
    late = await answer(ActionAudit, SELECTED, date(2026, 3, 10), text="is it ok if they arrive on March 28?", entities=[entity("date", "March 28")])
    assert text(late[0]).startswith("No: March 28, 2026 is 1 day after the due date, March 27, 2026.")
    assert late[0].messages[0]["buttons"] == [words.handoff_button()]
    on_time = await answer(ActionAudit, SELECTED, date(2026, 3, 10), text="can I send them on March 27?", entities=[entity("date", "March 27")])
    assert text(on_time[0]).startswith("Yes: March 27, 2026 is on or before the due date, March 27, 2026.")


async def test_audit_document_questions_other_actions_get_are_the_audits() -> None:
    from actions.fallback import ActionHandleMisunderstanding
    from actions.status import ActionLateFee
    from actions.what_if import ActionWhatIf
    from tests.unit.action_support import entity

    for cls in (ActionWhatIf, ActionLateFee):  # "send ... on Dec 28" reads as an application day
        d, _ = await answer(
            cls, SELECTED, date(2026, 3, 10), text="can i send the docs on March 28?", entities=[entity("date", "March 28")]
        )
        assert text(d).startswith("No: March 28, 2026 is 1 day after the due date, March 27, 2026."), cls
    d, _ = await answer(
        ActionHandleMisunderstanding, SELECTED, date(2026, 4, 10), intent="nlu_fallback",
        text="can i still send the audit stuff tomorrow or is it over",
    )
    assert "the documents were due on March 27, 2026" in text(d)
    # no audit outstanding: the fee question stays a fee question
    d, _ = await answer(ActionLateFee, COMPLETE, date(2026, 2, 9), text="can i send the docs on March 28?")
    assert "$" in text(d)


async def test_documents_said_sent_read_as_an_audit_dispute_get_the_record_first() -> None:
    from actions.handoff import ActionOfferHandoff

    d, _ = await answer(
        ActionOfferHandoff, SELECTED, date(2026, 3, 10), intent="dispute_audit",
        text="I already sent the documents yesterday, am I done now?",
    )
    assert text(d).startswith("Your record doesn't show your audit documents as received yet.")


async def test_a_lapsed_credential_gets_no_card_or_course_rule_from_the_faq() -> None:
    from actions.faq import ActionAnswerFaq

    # E = 2026-03-01: lapsed from 2027-03-01, no application
    d, _ = await answer(
        ActionAnswerFaq, COMPLETE, date(2027, 4, 1), intent="faq/need_cpr",
        text="what if I do a CPR class and 0.5 CEU this week?",
    )
    assert "cannot be renewed online any more" in text(d) and not text(d).startswith("Yes")


def test_will_my_renewal_go_through_is_no_status_question() -> None:
    from actions.status import asks_application_status

    assert not asks_application_status("will my renewal go through?")
    assert asks_application_status("did my renewal go through?")


async def test_a_fee_question_after_the_audit_question_is_answered_too() -> None:
    d, _ = await answer(ActionAudit, SELECTED, date(2026, 3, 10), text="when is my audit due and do I have to pay anything else?")
    assert "by March 27, 2026" in text(d)
    assert "NASM received your renewal application on February 20, 2026" in text(d) and "$99.00" in text(d)


async def test_what_happens_if_the_documents_never_come_is_not_guessed() -> None:
    """The rules give a due date, not a sanction: the answer says so, keeps the due date, offers a person."""
    from actions.what_if import ActionWhatIf
    from tests.unit.action_support import FakeUnitOfWork, after_reply, make_action, run

    for today, due in ((date(2026, 3, 10), "by March 27, 2026"), (date(2026, 4, 10), "were due on March 27, 2026")):
        d, _ = await answer(ActionAudit, SELECTED, today, text="what happens to my renewal if i don't send them?")
        said = text(d)
        assert said.startswith("What NASM does when audit documents don't arrive isn't in the rules"), said
        assert due in said and d.messages[0]["buttons"] == [words.handoff_button()]
    # the same follow-up handed to the what-if action after the audit answer is still the audit's
    action = make_action(ActionWhatIf, FakeUnitOfWork([SELECTED]), date(2026, 3, 10))
    d, _ = await run(
        action,
        after_reply("when is my audit due?", "action_audit", "Your application was selected ...", "and if i miss it?"),
    )
    assert "isn't in the rules I answer from" in text(d)
    # documents received: nothing outstanding, no consequence to explain
    done = record(
        ce=[approved("1.9")],
        applications=[Application("nasm-cpt", date(2026, 2, 20), date(2026, 2, 25), date(2026, 3, 1))],
    )
    d, _ = await answer(ActionAudit, done, date(2026, 3, 10), text="what if i don't send them?")
    assert "your documents were received" in text(d) and "isn't in the rules" not in text(d)
    # a day asked stays a yes/no about that day
    assert not text((await answer(ActionAudit, SELECTED, date(2026, 3, 10), text="can i send them on March 20?"))[0]).startswith("What NASM")


async def test_what_happens_if_not_sent_after_the_audit_answer_is_rescued_from_the_fallback() -> None:
    from actions.fallback import ActionHandleMisunderstanding
    from tests.unit.action_support import FakeUnitOfWork, after_reply, make_action, run

    action = make_action(ActionHandleMisunderstanding, FakeUnitOfWork([SELECTED]), date(2026, 4, 10))
    tr = after_reply(
        "when is my audit due?", "action_audit", "Your application was selected ...",
        "what happens to my renewal if I don't send them?", intent="nlu_fallback",
    )
    d, _ = await run(action, tr)
    assert text(d).startswith("What NASM does when audit documents don't arrive isn't in the rules")
    # the same words after another answer are no audit question
    tr = after_reply(
        "am I late?", "action_am_i_late", "No: ...", "what happens to my renewal if I don't send them?",
        intent="nlu_fallback",
    )
    d, _ = await run(action, tr)
    assert "isn't in the rules" not in text(d)


async def test_a_day_typed_without_a_date_entity_after_the_audit_answer_is_judged() -> None:
    """"And the 27th?": the NLU tags no date in it; the day is read from the words."""
    from tests.unit.action_support import FakeUnitOfWork, after_reply, make_action, run

    action = make_action(ActionAudit, FakeUnitOfWork([SELECTED]), date(2026, 3, 10))  # due March 27, 2026
    for message, lead in (
        ("and the 27th?", "Yes: March 27, 2026 is on or before the due date"),
        ("what about the 28th", "No: March 28, 2026 is 1 day after the due date"),
        ("and Mar 30?", "No: March 30, 2026 is 3 days after the due date"),
    ):
        d, _ = await run(action, after_reply("when is my audit due?", "action_audit", "Your application ...", message))
        assert text(d).startswith(lead), (message, text(d))


async def test_a_late_fee_asked_about_an_audit_day_is_the_fee_the_application_set() -> None:
    """"Will I get a late fee if the audit drags past March 20?": the fee was set on the day NASM received the
    application (before E here): no, whatever the audit's day; not "Yes: March 20 is before the due date"."""
    from actions.status import ActionLateFee
    from tests.unit.action_support import entity

    d, _ = await answer(
        ActionLateFee, SELECTED, date(2026, 3, 10), text="will I get a late fee if the audit drags past march 20?",
        entities=[entity("date", "march 20")],
    )
    said = text(d)
    assert said.startswith("No: NASM received your renewal application on February 20, 2026"), said
    assert "no late fee" in said and "by March 27, 2026" in said
    # the documents' day without a fee asked stays the audit's yes or no
    d, _ = await answer(ActionLateFee, SELECTED, date(2026, 3, 10), text="can i send the docs on March 28?", entities=[entity("date", "March 28")])
    assert text(d).startswith("No: March 28, 2026 is 1 day after the due date")


async def test_a_day_after_the_audit_answer_read_as_a_course_question_is_the_audits() -> None:
    """"Would the 24th be ok?" after the audit answer, classified as a course question: the form asks for no course
    and the course action hands the day to the audit."""
    from actions.courses import ActionCourseCounts, ValidateCourseForm
    from tests.unit.action_support import FakeUnitOfWork, after_reply, make_action, run

    tr = after_reply("when's the audit deadline?", "action_audit", "Your application was selected ...", "would the 24th be ok?")
    form = make_action(ValidateCourseForm, FakeUnitOfWork([SELECTED]), date(2026, 3, 10))
    assert await form.required_slots(["course"], CollectingDispatcher(), tr, {}) == []
    d, _ = await run(make_action(ActionCourseCounts, FakeUnitOfWork([SELECTED]), date(2026, 3, 10)), tr)
    assert text(d).startswith("Yes: March 24, 2026 is on or before the due date, March 27, 2026."), text(d)
    # after another answer the form still asks which course
    tr = after_reply("am I late?", "action_am_i_late", "No ...", "would the 24th be ok?")
    assert await form.required_slots(["course"], CollectingDispatcher(), tr, {}) == ["course"]


async def test_documents_said_sent_on_a_day_are_checked_against_the_record_not_judged_as_that_day() -> None:
    from tests.unit.action_support import entity

    d, _ = await answer(
        ActionAudit, SELECTED, date(2026, 3, 10), text="i already sent my audit docs yesterday, am i done?",
        entities=[entity("date", "yesterday")],
    )
    assert text(d).startswith("Your record doesn't show your audit documents as received yet."), text(d)
    assert not text(d).startswith("Yes")


async def test_a_fee_rise_asked_about_the_audits_days_is_no_rise() -> None:
    """"Will my fee go up if the audit isn't finished before my March 1 expiry?": No, the application set it."""
    from tests.unit.action_support import entity

    d, _ = await answer(
        ActionAudit, SELECTED, date(2026, 2, 26), text="will my fee go up if the audit isn't finished before my march 1 expiry?",
        entities=[entity("date", "march 1")],
    )
    said = text(d)
    assert said.startswith("No: NASM received your renewal application on February 20, 2026"), said
    assert "The audit doesn't change the fee." in said and "by March 27, 2026" in said


async def test_a_day_after_the_audit_answer_read_as_a_what_if_is_the_audits() -> None:
    from actions.what_if import ActionWhatIf
    from tests.unit.action_support import FakeUnitOfWork, after_reply, make_action, run

    tr = after_reply("when's the audit due?", "action_audit", "Your application was selected ...", "would the 23rd work?")
    d, _ = await run(make_action(ActionWhatIf, FakeUnitOfWork([SELECTED]), date(2026, 3, 10)), tr)
    assert text(d).startswith("Yes: March 23, 2026 is on or before the due date, March 27, 2026."), text(d)


@pytest.mark.parametrize(
    ("message", "day", "lead"),
    [
        ("is mar 27 too late for the audit docs?", "mar 27", "No: March 27, 2026 is on or before the due date"),
        ("will my docs be late if i mail them mar 26", "mar 26", "No: March 26, 2026 is on or before"),
        ("is mar 28 too late?", "mar 28", "Yes: March 28, 2026 is 1 day after the due date"),
        ("would mar 27 work for the documents", "mar 27", "Yes: March 27, 2026 is on or before"),
        ("can they arrive mar 28", "mar 28", "No: March 28, 2026 is 1 day after"),
    ],
)
async def test_a_day_for_the_documents_is_answered_the_way_it_is_asked(message: str, day: str, lead: str) -> None:
    """Due March 27, 2026 (selected February 25): "is it too late?" is answered the other way round from "is it ok?"."""
    d, _ = await answer(ActionAudit, SELECTED, date(2026, 3, 10), text=message, entities=[entity("date", day)])
    assert text(d).startswith(lead), text(d)


async def test_can_i_still_send_them_when_overdue_has_no_no_before_send_them_now() -> None:
    d, _ = await answer(ActionAudit, SELECTED, date(2026, 4, 10), text="can I still send audit docs today",
                        entities=[entity("date", "today")])
    said = text(d)
    assert said.startswith("April 10, 2026 is 14 days after the due date, March 27, 2026."), said
    assert "Recertification/Renewal Department now" in said


@pytest.mark.parametrize(
    ("message", "day", "lead"),
    [("Am I late if I mail the audit documents on March 26?", "March 26", "No: March 26, 2026 is on or before"),
     ("am i late if i mail them march 28", "march 28", "Yes: March 28, 2026 is 1 day after")],
)
async def test_am_i_late_for_the_documents_is_answered_the_way_it_is_asked(message: str, day: str, lead: str) -> None:
    d, _ = await answer(ActionAudit, SELECTED, date(2026, 3, 10), text=message, entities=[entity("date", day)])
    assert text(d).startswith(lead), text(d)
