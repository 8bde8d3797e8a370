"""Fees on days the trainer names: two days compared ("jan 13 or jan 14?"), a day with no verb ("fee on jan 14?").

E = 2026-10-15 (late on 2026-11-30): $30 late fee to January 13, 2027 (E + 90), $50 from January 14, 2027, the
last application day October 14, 2027. A second day once read as the expiration date made up every figure.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from actions import words
from actions.date_roles import day_next_to
from actions.fallback import ActionHandleMisunderstanding
from actions.status import ActionLateFee
from actions.what_if import ActionWhatIf
from rules.model import Credential
from tests.unit.action_support import approved, entity, record, said

TODAY = date(2026, 11, 30)
LATE = record(ce=[approved("1.9")], credentials=[Credential("nasm-cpt", date(2026, 10, 15))])


def _dates(*values: str) -> list[dict[str, object]]:
    return [entity("date", v) for v in values]


@pytest.mark.parametrize("cls", [ActionWhatIf, ActionLateFee])
@pytest.mark.parametrize(
    ("message", "days"),
    [
        ("what's the difference in cost between applying jan 13 and jan 14", ("jan 13", "jan 14")),
        ("whats the fee if i submit on jan 13 2027 vs jan 14 2027", ("jan 13 2027", "jan 14 2027")),
        ("compare jan 13 and jan 14 for me, cost wise", ("jan 13", "jan 14")),
    ],
)
async def test_two_days_each_get_their_own_fee_and_the_difference(cls: type, message: str, days: tuple[str, ...]) -> None:
    answer = await said(cls, LATE, TODAY, text=message, entities=_dates(*days))
    assert "expiration date, January 14" not in answer and "expiration date, January 13" not in answer
    first = answer.index("An application NASM receives on January 13, 2027 (90 days after your expiration date")
    second = answer.index("An application NASM receives on January 14, 2027 (91 days after your expiration date")
    assert first < second
    assert "$99.00 renewal fee + a $30.00 late fee = $129.00" in answer[first:second]
    assert "$99.00 renewal fee + a $50.00 late fee = $149.00" in answer[second:]
    assert "The difference is $20.00." in answer


async def test_two_days_in_the_same_tier_cost_the_same() -> None:
    answer = await said(ActionWhatIf, LATE, TODAY, text="apply dec 1 or dec 2, which is cheaper?", entities=_dates("dec 1", "dec 2"))
    assert "Both days cost the same, $129.00." in answer


@pytest.mark.parametrize("cls", [ActionWhatIf, ActionLateFee])
async def test_a_day_with_no_verb_in_a_fee_question_is_the_day_nasm_receives_it(cls: type) -> None:
    answer = await said(cls, LATE, TODAY, text="fee on jan 14?", entities=_dates("jan 14"))
    assert answer.startswith("An application NASM receives on January 14, 2027 (91 days after"), answer
    assert "$149.00" in answer


async def test_a_short_fee_question_on_a_day_the_nlu_was_unsure_of_is_the_fee_answer() -> None:
    answer = await said(
        ActionHandleMisunderstanding, LATE, TODAY, text="cost on jan 13?", intent="nlu_fallback", entities=_dates("jan 13")
    )
    assert answer.startswith("An application NASM receives on January 13, 2027"), answer
    assert "$129.00" in answer
    # a longer message about something else that costs money stays a misunderstanding
    other = await said(
        ActionHandleMisunderstanding, LATE, TODAY, text="what will my gym membership cost on jan 13 next year?",
        intent="nlu_fallback", entities=_dates("jan 13"),
    )
    assert other.startswith("Sorry")


async def test_waiting_until_a_month_is_the_application_month() -> None:
    """"If I wait until July 2027, what happens?" for E = 2026-06-30: July 2027 is after the last application day
    (June 29, 2027), not an expiration month to ask about again."""
    rec = record(ce=[approved("1.9")], credentials=[Credential("nasm-cpt", date(2026, 6, 30))])
    july = await said(ActionWhatIf, rec, TODAY, text="if i wait until july 2027 what happens", entities=_dates("july 2027"))
    assert "names no day" not in july and "June 29, 2027" in july and "$" not in july.split("June 29, 2027")[0], july
    june = await said(ActionWhatIf, rec, TODAY, text="and if i wait till june 2027?", entities=_dates("june 2027"))
    assert "June 1, 2027 to June 29, 2027" in june and "$149.00" in june, june


async def test_an_update_on_the_application_is_its_status_and_a_deadline_question_is_not() -> None:
    from actions.status import ActionRenewalSteps, asks_application_status
    from rules.model import Application

    applied = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 8, 1))])
    answer = await said(ActionRenewalSteps, applied, TODAY, text="any update on my renewal? i applied in august")
    assert "NASM received your renewal application on August 1, 2026" in answer, answer
    # not a yes-or-no question: no "Yes." in front of the facts
    for question in ("any update on my renewal? i applied in august", "wats the status of my renewal",
                     "when did nasm get my application"):
        assert not (await said(ActionRenewalSteps, applied, TODAY, text=question)).startswith(("Yes", "No")), question
    received = await said(ActionRenewalSteps, applied, TODAY, text="did nasm receive my application?")
    assert received.startswith("Yes."), received
    # the record shows an application received, never one finished
    finished = await said(ActionRenewalSteps, applied, TODAY, text="has my application been processed?")
    assert finished.startswith("Not that your record shows"), finished
    assert not asks_application_status("when do i have to get my renewal in by to avoid the late fee?")


async def test_an_expiration_date_stated_wrongly_is_corrected_from_the_record() -> None:
    """"My cert expires dec 31 right? so no late fee yet?" (it expired on October 15): the record's date first,
    then the answer from the record; the right date, or a supposition, gets no correction."""
    wrong = await said(ActionLateFee, LATE, TODAY, text="my cert expires dec 31 right? so no late fee yet?", entities=_dates("dec 31"))
    assert wrong.startswith("Your record says your certification expired on October 15, 2026, not December 31, 2026"), wrong
    assert "$129.00" in wrong
    right = await said(ActionLateFee, LATE, TODAY, text="my cert expired oct 15, right? what's the late fee", entities=_dates("oct 15"))
    assert not right.startswith("Your record says")
    supposed = await said(ActionLateFee, LATE, TODAY, text="what if my cert expires dec 31, how much?", entities=_dates("dec 31"))
    assert not supposed.startswith("Your record says")


@pytest.mark.parametrize("cls", [ActionWhatIf, ActionLateFee])
async def test_a_day_corrected_after_a_fee_answer_keeps_that_answers_month(cls: type) -> None:
    """"What would it cost if I mail it on jan 14?" then "actually make that the 12th" / "sorry I meant the 13th
    of jan": January 12 and January 13 ($129.00), not the 12th or 13th of this month."""
    from tests.unit.action_support import FakeUnitOfWork, after_reply, make_action, run, text

    before = "An application NASM receives on January 14, 2027 (91 days after your expiration date ...) pays ..."
    action = make_action(cls, FakeUnitOfWork([LATE]), TODAY)
    for message, day_said in (("actually make that the 12th", "January 12, 2027"), ("sorry I meant the 13th of jan", "January 13, 2027")):
        tr = after_reply("what would it cost if i mail it on jan 14?", "action_late_fee", before, message)
        d, _ = await run(action, tr)
        answer = text(d)
        assert answer.startswith(f"An application NASM receives on {day_said}"), (message, answer)
        assert "$129.00" in answer


async def test_a_provider_course_on_a_month_is_judged_on_that_month() -> None:
    """"I did an ACE course jan 2027, does that count?" (CE deadline January 13, 2027): the month is split at the
    deadline, not a flat "Yes"."""
    from actions.courses import ActionCourseCounts

    answer = await said(
        ActionCourseCounts, LATE, TODAY, text="i did an ACE course jan 2027 does that count for this renewal",
        entities=[entity("provider", "ACE"), entity("date", "jan 2027")],
    )
    assert "January 2027 ends after January 13, 2027, the last day continuing education counts" in answer, answer
    assert not answer.startswith("Yes")


async def test_a_day_corrected_with_its_month_after_a_what_if_is_rescued_from_the_fallback() -> None:
    from tests.unit.action_support import FakeUnitOfWork, after_reply, make_action, run, text

    before = "An application NASM receives on January 14, 2027 (91 days after your expiration date ...) pays ..."
    tr = after_reply(
        "what would it cost me if i mail it in on jan 14?", "action_what_if", before, "sorry I meant the 13th of jan",
        intent="out_of_scope", entities=_dates("13th of jan"),
    )
    d, _ = await run(make_action(ActionHandleMisunderstanding, FakeUnitOfWork([LATE]), TODAY), tr)
    assert text(d).startswith("An application NASM receives on January 13, 2027"), text(d)


async def test_the_last_day_to_apply_needs_only_the_expiration_date() -> None:
    """Unlinked: "my cert expires in march, when's the last day to apply?" then "march 15 2027": the dates from the
    expiration date alone, not a request for a CEU figure."""
    from tests.unit.action_support import FakeUnitOfWork, after_reply, make_action, run, text

    tr = after_reply(
        "my cert expires in march, when's the last day to apply?", "action_what_if", '"march" names no day ...',
        "march 15 2027", linked_as=None, entities=_dates("march 15 2027"),
    )
    d, _ = await run(make_action(ActionWhatIf, FakeUnitOfWork([]), TODAY), tr)
    answer = text(d)
    assert "the last day NASM accepts an application is March 14, 2028" in answer, answer
    assert "June 13, 2027" in answer and "how many CEUs" not in answer
    # a CEU question after the same date still asks for the figure
    tr = after_reply("how many CEUs will I need?", "action_what_if", "...", "march 15 2027", linked_as=None, entities=_dates("march 15 2027"))
    d, _ = await run(make_action(ActionWhatIf, FakeUnitOfWork([]), TODAY), tr)
    assert "how many CEUs you have so far" in text(d)


async def test_second_probe_wordings_reach_the_record_answers() -> None:
    """Wordings of the dialogue evaluation's second probe, one per answer, at the action the NLU gave them."""
    from actions.faq import ActionAnswerFaq
    from rules.model import CERecord, CEStatus
    from tests.unit.action_support import FakeUnitOfWork, make_action, run, text, tracker

    grace = await said(ActionAnswerFaq, LATE, TODAY, text="when is my grace period over?", intent="faq/late_renewal")
    assert grace.startswith("Your grace period ends on January 13, 2027"), grace
    wrong = await said(
        ActionWhatIf, LATE, TODAY, text="my certification expires jan 31 doesn't it? no late fee then?",
        entities=_dates("jan 31"),
    )
    assert wrong.startswith("Your record says your certification expired on October 15, 2026, not January 31, 2027")
    assert "$129.00" in wrong
    # a supposition stays a what-if
    supposed = await said(ActionWhatIf, LATE, TODAY, text="what if my cert expires jan 31 and I have 1.2 CEUs", entities=_dates("jan 31"))
    assert not supposed.startswith("Your record says")
    # "could I squeeze in one more course this week to cover the 0.4?", the NLU unsure, a date said
    gap = record(
        ce=[
            CERecord(date(2025, 3, 1), D("1.5"), CEStatus.APPROVED, title="CES", course_id="NASM-CES"),
            CERecord(date(2026, 9, 1), D("0.4"), CEStatus.PENDING_PETITION, title="Kettlebell Basics", provider="Gym"),
        ],
        credentials=[Credential("nasm-cpt", date(2026, 6, 15))],
    )  # like T-1014: renewable only if the pending petition is approved
    for intent in ("nlu_fallback", "out_of_scope"):  # the classifier put it out of scope at 1.0
        tr = tracker(
            linked_as="T-1001", text="could I squeeze in one more course this week to cover the 0.4?", intent=intent,
            entities=_dates("this week"),
        )
        d, _ = await run(make_action(ActionHandleMisunderstanding, FakeUnitOfWork([gap]), TODAY), tr)
        assert text(d).startswith("No: Continuing education completed on November 30, 2026 is too late"), text(d)
    # a figure to cover with no course or CEU word is no renewal question
    tr = tracker(linked_as="T-1001", text="can you cover the 40 for dinner tonight", intent="out_of_scope")
    d, _ = await run(make_action(ActionHandleMisunderstanding, FakeUnitOfWork([gap]), TODAY), tr)
    assert text(d).startswith("Sorry")
    # "will my CES still count this time, and on what day did I complete it?", the NLU unsure
    tr = tracker(
        linked_as="T-1001", text="will my CES still count this time, and on what day did I complete it?",
        intent="nlu_fallback", entities=[entity("credential", "NASM-CES")],
    )
    d, _ = await run(make_action(ActionHandleMisunderstanding, FakeUnitOfWork([gap]), TODAY), tr)
    assert "Corrective Exercise Specialist (NASM-CES)" in text(d) and "March 1, 2025" in text(d)
    # "and if I just never send them?" after the audit answer
    from actions.audit import asks_if_not_sent

    assert asks_if_not_sent("and if I just never send them?") and not asks_if_not_sent("and if I send them today?")


async def test_still_certified_over_the_weekend_is_judged_on_its_sunday() -> None:
    """E = Friday, December 4, 2026, asked on Monday, November 30: the weekend after it is not covered."""
    from actions.status import ActionExpirationDate

    friday = record(ce=[approved("1.9")], credentials=[Credential("nasm-cpt", date(2026, 12, 4))])
    message = "if it doesn't get there til after friday, am i still certified over the weekend?"
    answer = await said(ActionExpirationDate, friday, TODAY, text=message)
    assert answer.startswith("Not unless NASM has renewed it by then"), answer
    assert "over the weekend (to December 6, 2026)" in answer
    # E on the Sunday itself: still certified
    sunday = record(ce=[approved("1.9")], credentials=[Credential("nasm-cpt", date(2026, 12, 6))])
    assert (await said(ActionExpirationDate, sunday, TODAY, text="am i still certified over the weekend?")).startswith("Yes.")


async def test_a_credential_short_at_the_ce_deadline_says_by_how_much() -> None:
    """T-1006's "how much short am I?": 0.8 CEU by the CE deadline, 1.1 CEUs short of the 1.9."""
    from actions.status import ActionCeusRemaining

    short = record(ce=[approved("0.8", on=date(2025, 2, 11))], credentials=[Credential("nasm-cpt", date(2026, 5, 31))])
    answer = await said(ActionCeusRemaining, short, TODAY, text="how much short am i")
    assert "only 0.8 CEU of approved continuing education was completed by August 29, 2026, 1.1 CEUs short of the 1.9 CEUs" in answer, answer


async def test_an_expiration_month_or_year_stated_is_not_corrected_to_a_made_up_day() -> None:
    for message, value in (("my cert expires in 2027 right? what's the fee", "2027"), ("my cert expired in october, right? the fee?", "october")):
        answer = await said(ActionLateFee, LATE, TODAY, text=message, entities=_dates(value))
        assert not answer.startswith("Your record says"), (message, answer)


DUE_FRIDAY = record(ce=[approved("1.9")], credentials=[Credential("nasm-cpt", date(2026, 12, 4))])  # today a Monday


@pytest.mark.parametrize(
    ("message", "day", "received", "total"),
    [
        # today is Monday November 30: "monday" is next week's, three days after the Friday expiration
        ("if i can't get it in til monday what do i pay", "monday", "December 7, 2026 (3 days after", "$129.00"),
        ("wat would it cost me if it only gets there thursday", "thursday", "December 3, 2026 (1 day before", "$99.00"),
        ("could i get my app in by friday without paying extra?", "friday", "December 4, 2026 (your expiration", "$99.00"),
        ("can i get it in on the 4th without paying extra", None, "December 4, 2026 (your expiration", "$99.00"),
        ("what if i get it in on the 5th, do i pay more", None, "December 5, 2026 (1 day after", "$129.00"),
    ],
)
async def test_getting_it_in_on_a_weekday_or_a_day_of_the_month_is_the_application_day(
    message: str, day: str | None, received: str, total: str
) -> None:
    entities = _dates(day) if day else []
    answer = await said(ActionHandleMisunderstanding, DUE_FRIDAY, TODAY, text=message, intent="nlu_fallback",
                        entities=entities)
    assert answer.startswith(f"An application NASM receives on {received}"), answer
    assert f"{total} in all" in answer.split(". ")[0], answer


EXPIRED_JULY = record(ce=[approved("1.9")], credentials=[Credential("nasm-cpt", date(2026, 7, 31))])


@pytest.mark.parametrize("cls", [ActionWhatIf, ActionLateFee])
@pytest.mark.parametrize(
    ("message", "day", "received", "verdict"),
    [
        ("and july 30?", "july 30", "July 30, 2027", "$149.00 in all"),  # the last day, not July 30 of this year
        ("what about june 1", "june 1", "June 1, 2027", "$149.00 in all"),
        ("and aug 1 2027?", "aug 1 2027", "August 1, 2027", "too late"),
    ],
)
async def test_a_follow_up_day_without_a_year_is_an_application_day_still_to_come(
    cls: type, message: str, day: str, received: str, verdict: str
) -> None:
    """E = 2026-07-31: "how much if I apply on july 31" (2027: too late) then "and july 30?". July 30, 2026, the
    nearest July 30, is four months gone: no application can arrive then, and its fee ($99.00, no late fee)
    would be a wrong figure."""
    from tests.unit.action_support import FakeUnitOfWork, after_reply, make_action, run, text

    before = "An application NASM receives on July 31, 2027 would be too late ..."
    tr = after_reply("how much if i apply on july 31", cls().name(), before, message, entities=_dates(day))
    d, _ = await run(make_action(cls, FakeUnitOfWork([EXPIRED_JULY]), TODAY), tr)
    answer = text(d)
    assert received in answer and "2026 (1 day before" not in answer, answer
    assert verdict in answer, answer


@pytest.mark.parametrize(
    ("previous", "reply", "message", "day", "expected"),
    [
        ("fee on jan 13?", "An application NASM receives on January 13, 2027 ...", "oct 14 2027?", "oct 14 2027",
         "$149.00 in all"),  # the last day an application is accepted
        ("fee on jan 13?", "An application NASM receives on January 13, 2027 ...", "oct 15 2027?", "oct 15 2027",
         "too late"),
        ("whats my status", "Your NASM Certified Personal Trainer certification expired ...", "what about oct 15 2027",
         "oct 15 2027", "too late"),
    ],
)
async def test_a_linked_trainers_day_without_a_verb_is_an_application_day_not_another_expiration(
    previous: str, reply: str, message: str, day: str, expected: str
) -> None:
    """E = 2026-10-15, last application day October 14, 2027: the day after a fee or status answer is asked as an
    application day, never taken for a made-up expiration date that asks the trainer for CEUs the record holds."""
    from tests.unit.action_support import FakeUnitOfWork, after_reply, make_action, run, text

    tr = after_reply(previous, "action_late_fee", reply, message, intent="what_if", entities=_dates(day))
    d, _ = await run(make_action(ActionWhatIf, FakeUnitOfWork([LATE]), TODAY), tr)
    answer = text(d)
    assert "how many CEUs you have" not in answer and expected in answer, answer


@pytest.mark.parametrize(
    ("message", "day", "received"),
    [
        ("whats the fee if i apply tomorrow", "tomorrow", "December 1, 2026 (3 days before"),
        ("cost if i submit on friday?", "friday", "December 4, 2026 (your expiration"),
    ],
)
async def test_a_dated_fee_question_with_the_renewals_own_verb_is_answered_though_placed_out_of_scope(
    message: str, day: str, received: str
) -> None:
    answer = await said(ActionHandleMisunderstanding, DUE_FRIDAY, TODAY, text=message, intent="out_of_scope",
                        entities=_dates(day))
    assert answer.startswith(f"An application NASM receives on {received}"), answer


@pytest.mark.parametrize(
    ("message", "day"),
    [("if I mail my tax return on the 4th, will I be charged extra?", None),
     ("what's the fee if i apply for a passport tomorrow", "tomorrow"),
     ("how much to submit my tax return on friday", "friday")],
)
async def test_the_same_shape_about_something_else_stays_out_of_scope(message: str, day: str | None) -> None:
    answer = await said(ActionHandleMisunderstanding, DUE_FRIDAY, TODAY, text=message, intent="out_of_scope",
                        entities=_dates(day) if day else [])
    assert answer.startswith("Sorry"), answer


async def test_a_bill_asked_for_after_applying_gets_no_stray_no() -> None:
    from rules.model import Application

    applied = record(ce=[approved("1.9")], credentials=[Credential("nasm-cpt", date(2026, 12, 20))],
                     applications=[Application("nasm-cpt", date(2026, 11, 20))])
    bill = await said(ActionLateFee, applied, TODAY, text="hey can you give me the total bill, renewal plus late fee")
    assert not bill.startswith("No") and "$99.00 in all" in bill, bill
    asked = await said(ActionLateFee, applied, TODAY, text="will I get a late fee if processing drags past dec 20?")
    assert asked.startswith("No: "), asked


@pytest.mark.parametrize("cls", [ActionWhatIf, ActionLateFee, ActionHandleMisunderstanding])
@pytest.mark.parametrize(
    ("message", "received", "total"),
    [("the day after?", "January 14, 2027 (91 days after", "$149.00"),
     ("and what about the day before", "January 12, 2027 (89 days after", "$129.00")],
)
async def test_the_day_after_the_answers_day_is_the_next_application_day(
    cls: type, message: str, received: str, total: str
) -> None:
    """"fee on jan 13?" ($129.00, the last day of the first late fee) then "the day after?": January 14, $149.00."""
    from tests.unit.action_support import FakeUnitOfWork, after_reply, make_action, run, text

    before = "An application NASM receives on January 13, 2027 (90 days after your expiration date ...) pays ..."
    tr = after_reply("fee on jan 13?", "action_late_fee", before, message, intent="inform", entities=[])
    d, _ = await run(make_action(cls, FakeUnitOfWork([LATE]), TODAY), tr)
    assert text(d).startswith(f"An application NASM receives on {received}"), text(d)
    assert total in text(d)
    # the day after the trainer's own expiration is no answer's day: unchanged
    assert day_next_to("what would i pay the day after my ce deadline", date(2027, 1, 13)) is None


async def test_an_unlinked_fee_question_after_a_what_if_uses_the_date_told() -> None:
    """Unlinked: "my cert expires 2027-06-15, i have 0.5 ceus, am i late" then "whats my total if i apply today": the
    renewal fee for that date ($99.00, no late fee before June 15, 2027), not the general rule and the link hint."""
    from tests.unit.action_support import FakeUnitOfWork, after_reply, make_action, run, text

    tr = after_reply("my cert expires 2027-06-15, i have 0.5 ceus, am i late", "action_what_if", "No ...",
                     "whats my total if i apply today", linked_as=None, entities=_dates("today"))
    tr.events[2:2] = [{"event": "slot", "name": "date", "value": "2027-06-15"},
                      {"event": "slot", "name": "ceu_amount", "value": "0.5"}]
    tr.slots.update({"date": "2027-06-15", "ceu_amount": "0.5"})
    d, _ = await run(make_action(ActionLateFee, FakeUnitOfWork([]), TODAY), tr)
    assert "$99.00" in text(d) and words.LINK_HINT not in text(d) and "June 15, 2027" in text(d), text(d)


async def test_a_completion_day_follow_up_is_read_as_the_question_before() -> None:
    """"Is it too late to finish a course on July 14, 2027?" (the CE deadline of E = 2027-04-15), then "and july
    15?": July 15, 2027 is too late; the nearest July 15 (of this year, gone) was "in time"."""
    from tests.unit.action_support import FakeUnitOfWork, after_reply, make_action, run, text

    april = record(ce=[approved("0.7")], credentials=[Credential("nasm-cpt", date(2027, 4, 15))])
    tr = after_reply("is it too late to finish a course on july 14, 2027?", "action_what_if", "Continuing ...",
                     "and july 15?", intent="inform", entities=_dates("july 15"))
    d, _ = await run(make_action(ActionWhatIf, FakeUnitOfWork([april]), TODAY), tr)
    assert "completed on July 15, 2027 is too late" in text(d), text(d)
