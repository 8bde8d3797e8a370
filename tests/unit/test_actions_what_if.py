"""What if: hypothetical dates and CEUs through rules.engine.what_if; nothing stored."""

from __future__ import annotations

from datetime import date

from rasa_sdk.events import SlotSet

from actions import words
from actions.what_if import ActionWhatIf
from tests.unit.test_actions_support import FakeUnitOfWork, entity, make_action, run, text, tracker

TODAY = date(2026, 3, 10)
CLEARED = [SlotSet("date", None), SlotSet("ceu_amount", None), SlotSet("what_if_submit", None), SlotSet("what_if_completed", None)]


async def ask(**kw):  # type: ignore[no-untyped-def]
    uow = FakeUnitOfWork([])
    d, events = await run(make_action(ActionWhatIf, uow, TODAY), tracker(**kw))
    assert uow.commits == 0
    return d, events


async def test_what_if_active() -> None:
    d, events = await ask(entities=[entity("date", "June 3"), entity("ceu_amount", "1.2")])
    said = text(d)
    assert said.startswith(
        "If your certification expires on June 3, 2026 and you have 1.2 CEUs: you'd still need 0.8 CEU"
    )
    assert "Renew by June 3, 2026 (in 85 days) for the $99.00 renewal fee and no late fee, $99.00 in all" in said
    assert "CE completed up to September 1, 2026 still counts" in said
    assert words.MONEY_NOTE in said
    # the figures stay for the topic, so a correction of one keeps the other
    assert events == [
        SlotSet("date", "2026-06-03"), SlotSet("ceu_amount", "1.2 CEUs"),
        SlotSet("what_if_submit", None), SlotSet("what_if_completed", None),
    ]


async def test_what_if_expired_recently() -> None:
    # The card is unknown, so the engine counts at most 1.9 of the stated CEUs: 0.1 is left
    # and the answer says where it comes from.
    d, _ = await ask(slots={"date": "March 1", "ceu_amount": "2.0 CEUs"})
    said = text(d)
    assert said.startswith(
        "If your certification expired on March 1, 2026 and you have 2.0 CEUs: you'd still need "
        "0.1 CEU (0.1 of the 2.0 comes from a current adult CPR/AED card with a hands-on part)."
    )
    assert "the $99.00 renewal fee + a $30.00 late fee = $129.00 in all until May 30, 2026" in said


async def test_what_if_too_late() -> None:
    d, _ = await ask(slots={"date": "2025-01-15", "ceu_amount": "1.9"})
    assert "could only have been renewed until January 14, 2026" in text(d)


async def test_what_if_asks_for_missing_ceus() -> None:
    d, events = await ask(entities=[entity("date", "June 3")])
    assert text(d) == (
        'To work it out I need how many CEUs you have so far, for example '
        '"my cert expires June 3 and I have 1.2 CEUs".'
    )
    assert events == [SlotSet("date", "2026-06-03")]  # kept as read, for the answer with the CEUs


async def test_what_if_asks_for_both() -> None:
    d, _ = await ask()
    assert "your certification's expiration date and how many CEUs you have so far" in text(d)


async def test_what_if_unreadable_date() -> None:
    d, events = await ask(slots={"date": "someday", "ceu_amount": "1.0"})
    assert text(d).startswith('I couldn\'t read "someday" as a date. To work it out I need your certification\'s expiration date')
    assert events == [SlotSet("date", None)]


async def test_what_if_reads_a_date_without_a_year_by_the_verb() -> None:
    """In November, "expires June 3" is next June and "expired June 3" the last one."""
    november = date(2026, 11, 30)
    future_msg = "my cert expires June 3 and I have 1.2 CEUs, what do I still need?"
    action = make_action(ActionWhatIf, FakeUnitOfWork([]), november)
    d, _ = await run(action, tracker(text=future_msg, entities=[entity("date", "June 3"), entity("ceu_amount", "1.2 CEUs")]))
    assert text(d).startswith("If your certification expires on June 3, 2027 and you have 1.2 CEUs: you'd still need 0.8 CEU")
    past_msg = "my cert expired June 3 and I have 1.2 CEUs"
    d, _ = await run(action, tracker(text=past_msg, entities=[entity("date", "June 3"), entity("ceu_amount", "1.2 CEUs")]))
    assert text(d).startswith("If your certification expired on June 3, 2026")


# --- dates by their role: expiration, submission, completion -------------------------------------

from dataclasses import replace  # noqa: E402
from decimal import Decimal as D  # noqa: E402

from actions.what_if import follow_up_role, roled_dates  # noqa: E402
from rules.model import Application  # noqa: E402
from rules.policy import load_policy  # noqa: E402
from tests.unit.test_actions_support import TRAINER, approved, record  # noqa: E402


def span(message: str, value: str) -> dict:
    start = message.index(value)
    return {"entity": "date", "value": value, "start": start, "end": start + len(value)}


def test_roles_by_the_nearest_verb() -> None:
    cases = {
        "suppose NASM gets my paperwork on October 8, what's the charge?": ["submit"],
        "my credential ran out on March 1 and I send everything in on April 15": ["expires", "submit"],
        "I wrapped up the last of my CE on 4/20, in time?": ["completed"],
        "if the card part is done by May 2 and it lapses on June 30": ["completed", "expires"],
        "June 30 is when it expires": ["expires"],
        "and July 31?": [None],
    }
    for message, roles in cases.items():
        values = [v for v in ("October 8", "March 1", "April 15", "4/20", "May 2", "June 30", "July 31") if v in message]
        found = roled_dates(message, [span(message, v) for v in values])
        assert [d.role for d in found] == roles, message


def test_an_nlu_role_wins_over_the_verb() -> None:
    message = "what about August 15"
    [d] = roled_dates(message, [{**span(message, "August 15"), "role": "submit"}])
    assert d.role == "submit"


async def test_submission_date_unlinked_asks_for_the_expiration_date_and_keeps_it() -> None:
    message = "what if NASM gets my application on August 15?"
    d, events = await ask(text=message, entities=[span(message, "August 15")])
    assert "when does (or did) it expire?" in text(d)
    assert "August" not in text(d) or "expire" in text(d)
    assert SlotSet("what_if_submit", "2026-08-15") in events
    assert SlotSet("date", None) in events


async def test_the_kept_submission_date_is_answered_once_the_expiration_date_comes() -> None:
    message = "mine expires June 3"
    d, events = await ask(text=message, entities=[span(message, "June 3")], slots={"what_if_submit": "2026-08-15"})
    said = text(d)
    assert said.startswith(
        "An application NASM receives on August 15, 2026 (73 days after your expiration date, June 3, 2026) "
        "pays the $99.00 renewal fee + a $30.00 late fee = $129.00 in all."
    )
    assert "Received after September 1, 2026, the late fee would be $50.00 instead." in said
    assert "The fee is set by the date NASM receives the application." in said
    assert words.MONEY_NOTE in said
    # the expiration date just told stays for the topic (as an ISO date), the answered questions go
    assert events == [SlotSet("date", "2026-06-03"), *CLEARED[1:]]


async def test_the_expiration_told_for_a_fee_answer_serves_the_next_message() -> None:
    # "what if I apply on August 15?" -> "mine expires June 3" (answered) -> "I have 1.2 CEUs": the date was
    # just given, so it is not asked for again; and a next day asked about is worked out for it too
    uow = FakeUnitOfWork([])
    action = make_action(ActionWhatIf, uow, TODAY)
    tr = tracker(text="I have 1.2 CEUs", entities=[entity("ceu_amount", "1.2")], slots={"date": "2026-06-03"})
    tr.events.append({"event": "slot", "timestamp": None, "name": "date", "value": "2026-06-03"})
    d, _ = await run(action, tr)
    assert text(d).startswith("If your certification expires on June 3, 2026 and you have 1.2 CEUs: you'd still need 0.8 CEU")
    message = "what if I apply on September 2?"
    tr = tracker(text=message, entities=[span(message, "September 2")], slots={"date": "2026-06-03"})
    tr.events.append({"event": "slot", "timestamp": None, "name": "date", "value": "2026-06-03"})
    d, events = await run(action, tr)
    # September 1 is the last day of the $30 tier (June 3 + 90 days); the 2nd is the first of the $50 one
    assert text(d).startswith("An application NASM receives on September 2, 2026 (91 days after your expiration date, June 3, 2026)")
    assert "$50.00 late fee" in text(d)
    assert SlotSet("date", "2026-06-03") in events
    # a topic closed (the slot set to None last) keeps nothing: the date is asked for
    tr = tracker(text=message, entities=[span(message, "September 2")])
    tr.events.extend([
        {"event": "slot", "timestamp": None, "name": "date", "value": "2026-06-03"},
        {"event": "slot", "timestamp": None, "name": "date", "value": None},
    ])
    d, _ = await run(action, tr)
    assert "I need your certification's expiration date" in text(d)


async def test_submission_in_the_second_tier_names_the_ce_condition_and_the_last_day() -> None:
    message = "my cert expired March 1 and I send the application on September 15, what do I pay?"
    d, _ = await ask(text=message, entities=[span(message, "March 1"), span(message, "September 15")])
    said = text(d)
    assert "(198 days after your expiration date, March 1, 2026) pays the $99.00 renewal fee + a $50.00 late fee = $149.00 in all" in said
    assert "accepted only if all your continuing education was completed by May 30, 2026" in said
    assert "February 28, 2027 is the last day NASM accepts an application" in said


async def test_submission_before_expiry_and_on_the_boundaries() -> None:
    # E = 2026-06-03: day 90 after is 2026-09-01 (still $30), day 91 is 2026-09-02 ($50).
    for submitted, late, total in (("June 3", None, "$99.00"), ("September 1", "$30.00", "$129.00"), ("September 2", "$50.00", "$149.00")):
        message = f"my cert expires June 3, what if I apply on {submitted}?"
        d, _ = await ask(text=message, entities=[span(message, "June 3"), span(message, submitted)])
        said = text(d)
        assert f"{total} in all" in said, (submitted, said)
        if late is None:
            assert "no late fee" in said
        else:
            assert f"+ a {late} late fee =" in said


async def test_submission_a_year_late_offers_a_person() -> None:
    message = "it expired on 2025-01-15; what if I apply on 2026-02-01"
    d, _ = await ask(text=message, entities=[span(message, "2025-01-15"), span(message, "2026-02-01")])
    said = text(d)
    assert "accepted only until January 14, 2026" in said and "couldn't be renewed online" in said
    assert d.messages[0]["buttons"] == [words.handoff_button()]
    assert "$" not in said


async def linked(message: str, dates: list[str], rec=None):  # type: ignore[no-untyped-def]
    uow = FakeUnitOfWork([rec or record(ce=[approved("1.2")])])
    action = make_action(ActionWhatIf, uow, date(2026, 6, 15))  # after the record's CE deadline
    return await run(action, tracker(linked_as=TRAINER, text=message, entities=[span(message, v) for v in dates]))


async def test_completion_date_of_a_linked_trainer_uses_their_own_expiration() -> None:
    # The record's E = 2026-03-01, cycle start 2024-03-02, CE deadline 2026-05-30.
    d, _ = await linked("I finished my last CEUs on April 20, was that in time?", ["April 20"])
    said = text(d)
    assert said.startswith("Continuing education completed on April 20, 2026 still counts for the cycle with the expiration date March 1, 2026")
    assert "until May 30, 2026" in said and "pays a late fee" in said
    assert "$30.00" not in said  # the tier of a day that may be gone is not named


async def test_completion_date_boundaries() -> None:
    d, _ = await linked("my final course was completed on May 30", ["May 30"])
    assert "still counts" in text(d)
    d, _ = await linked("my final course was completed on May 31", ["May 31"])
    assert "is too late for the cycle with the expiration date March 1, 2026" in text(d)
    assert d.messages[0]["buttons"] == [words.handoff_button()]
    d, _ = await linked("I took that workshop on 2024-03-01", ["2024-03-01"])
    assert "before your current cycle began on March 2, 2024" in text(d)
    d, _ = await linked("I took that workshop on 2024-03-02", ["2024-03-02"])
    assert "was in time" in text(d)


async def test_linked_trainer_who_already_applied_hears_that_first() -> None:
    rec = record(ce=[approved("1.9")], applications=[Application("nasm-cpt", date(2026, 2, 20))])
    d, _ = await linked("what if I had sent my renewal on March 20?", ["March 20"], rec)
    said = text(d)
    assert said.startswith("NASM received your renewal application on February 20, 2026")
    assert "$99.00 in all" in said and "$30.00" not in said  # the fee on file, no hypothetical


async def test_linked_trainer_who_cannot_renew_is_not_quoted_a_fee() -> None:
    rec = record(ce=[approved("1.2")])  # short at the CE deadline 2026-05-30
    action = make_action(ActionWhatIf, FakeUnitOfWork([rec]), date(2026, 8, 1))
    d, _ = await run(action, tracker(linked_as=TRAINER, text="what if I apply on December 15?", entities=[entity("date", "December 15")]))
    said = text(d)
    assert "cannot be renewed online" in said and "$149.00" not in said
    assert d.messages[0]["buttons"] == [words.handoff_button()]


async def test_an_edited_policy_leaves_no_stale_figure() -> None:
    policy = load_policy("nasm-cpt")
    edited = replace(
        policy,
        ce_grace_days=60,
        fees=replace(policy.fees, renewal_standard=D("120.00"), late_first_tier=D("40.00"), late_second_tier=D("70.00")),
    )
    action = make_action(ActionWhatIf, FakeUnitOfWork([]), TODAY, policy=edited)
    said = []
    for message, dates in (
        ("my cert expires June 3, what if I apply on July 1?", ["June 3", "July 1"]),
        ("my cert expires June 3, what if I apply on August 20?", ["June 3", "August 20"]),
        ("it expires June 3; what if I finish my CE on July 20", ["June 3", "July 20"]),
    ):
        d, _ = await run(action, tracker(text=message, entities=[span(message, v) for v in dates]))
        said.append(text(d))
    d, _ = await run(action, tracker(entities=[entity("date", "June 3"), entity("ceu_amount", "1.2")]))
    said.append(text(d))
    joined = " ".join(said)
    assert "$40.00" in joined and "$70.00" in joined and "60 days" in joined
    for stale in ("$30", "$50", "$99", "90 days"):
        assert stale not in joined, stale
    assert "August 2, 2026" in said[0]  # E + 60 days, the end of the first late-fee tier


async def test_ceus_told_with_the_expiration_date_are_answered_with_the_kept_submission_date() -> None:
    message = "my cert expires June 3 and I have 1.2 CEUs"
    entities = [span(message, "June 3"), {**span(message, "1.2 CEUs"), "entity": "ceu_amount"}]
    d, _ = await ask(text=message, entities=entities, slots={"what_if_submit": "2026-08-15"})
    said = text(d)
    assert said.startswith("An application NASM receives on August 15, 2026 (73 days after your expiration date, June 3, 2026)")
    assert "With 1.2 CEUs you'd still need 0.8 CEU (0.1 of the 2.0 comes from a current adult CPR/AED card" in said
    # 1.9 told: the card's 0.1 is still missing; nothing told: no CEU sentence at all
    entities = [span(message, "June 3"), {**span(message, "1.2 CEUs"), "entity": "ceu_amount", "value": "1.9 CEUs"}]
    d, _ = await ask(text=message, entities=entities, slots={"what_if_submit": "2026-08-15"})
    assert "With 1.9 CEUs you'd still need 0.1 CEU" in text(d)
    message = "mine expires June 3"
    d, _ = await ask(text=message, entities=[span(message, "June 3")], slots={"what_if_submit": "2026-08-15"})
    assert "With " not in text(d)


async def test_a_ceu_figure_finer_than_a_tenth_or_below_zero_is_said_back_not_rounded() -> None:
    for typed in ("1.25 CEUs", "0.05 CEUs"):
        message = f"my cert expires March 3 2027 and I have {typed}"
        entities = [span(message, "March 3 2027"), {**span(message, typed), "entity": "ceu_amount"}]
        d, events = await ask(text=message, entities=entities)
        said = text(d)
        assert said == (
            f'I can\'t use "{typed}" as a CEU amount: CEUs are counted in tenths (one contact hour is 0.1 CEU) '
            "and never below zero. How many CEUs do you have so far, for example 1.2?"
        )
        assert events == [SlotSet("ceu_amount", None), SlotSet("date", "2027-03-03")]
    # "-1": the readers skip the minus, so an earlier figure must not stand in for it
    message = "my cert expires March 3 2027 and I have -1 CEUs"
    entities = [span(message, "March 3 2027"), {**span(message, "1 CEUs"), "entity": "ceu_amount"}]
    d, _ = await ask(text=message, entities=entities, slots={"ceu_amount": "1.2 CEUs"})
    assert text(d).startswith('I can\'t use "-1" as a CEU amount') and "1.2 CEUs:" not in text(d)


async def test_tenths_and_dates_with_dashes_are_read_as_before() -> None:
    message = "it expired 2026-02-01 and I have 1 CEU"
    entities = [span(message, "2026-02-01"), {**span(message, "1 CEU"), "entity": "ceu_amount"}]
    d, _ = await ask(text=message, entities=entities)
    assert text(d).startswith("If your certification expired on February 1, 2026 and you have 1.0 CEU:")
    message = "my cert expires March 3 2027 and I have 1,2 CEUs"
    entities = [span(message, "March 3 2027"), {**span(message, "1,2 CEUs"), "entity": "ceu_amount"}]
    d, _ = await ask(text=message, entities=entities)
    assert text(d).startswith("If your certification expires on March 3, 2027 and you have 1.2 CEUs: you'd still need 0.8 CEU")


async def test_a_linked_trainer_naming_their_own_expiration_is_answered_from_the_record() -> None:
    # the record: E = 2026-03-01, 1.2 CE + the card = 1.3 of 2.0; on 2026-06-15 past G (2026-05-30): not renewable
    d, _ = await linked("my cert expired on March 1, what is the late fee?", ["March 1"])
    said = text(d)
    assert "how many CEUs you have" not in said
    assert said.startswith("Your credential expired on March 1, 2026, and only 1.2 CEUs of approved continuing education")
    # inside the first late tier the record's own figures answer
    rec = record(ce=[approved("1.2")])
    action = make_action(ActionWhatIf, FakeUnitOfWork([rec]), date(2026, 3, 10))
    message = "my cert expired on March 1, what if?"
    d, _ = await run(action, tracker(linked_as=TRAINER, text=message, entities=[span(message, "March 1")]))
    said = text(d)
    assert said.startswith("Your certification expired on March 1, 2026 and your record has 1.3 CEUs: you'd still need 0.7 CEU")
    assert "$99.00 renewal fee + a $30.00 late fee = $129.00 in all until May 30, 2026" in said
    # another expiration date than the record's is still a hypothesis that needs the CEUs
    message = "what if my cert expired on April 1?"
    d, _ = await run(action, tracker(linked_as=TRAINER, text=message, entities=[span(message, "April 1")]))
    assert "how many CEUs you have so far" in text(d)


# --- a follow-up day without a verb: "and on December 5?" ----------------------------------------------

COMPLETE_RECORD = record(ce=[approved("1.9")])


def _with_history(tr, *earlier):  # type: ignore[no-untyped-def]
    """The tracker ``tr`` with the trainer's earlier messages (text, date values) before its own."""
    events = []
    for said, values in earlier:
        events.append({"event": "user", "text": said, "parse_data": {"text": said, "entities": [span(said, v) for v in values]}})
    events.append({"event": "user", "text": tr.latest_message["text"], "parse_data": tr.latest_message})
    tr.events.extend(events)
    return tr


async def test_a_follow_up_day_is_the_application_day_of_the_question_before() -> None:
    # the record's E = 2026-03-01 and G = 2026-05-30; today 2026-03-10
    action = make_action(ActionWhatIf, FakeUnitOfWork([COMPLETE_RECORD]), TODAY)
    first = ("what if I apply on March 20?", ["March 20"])
    message = "and on May 31?"
    tr = _with_history(tracker(linked_as=TRAINER, text=message, entities=[span(message, "May 31")]), first)
    d, _ = await run(action, tr)
    said = text(d)
    assert said.startswith("An application NASM receives on May 31, 2026 (91 days after your expiration date, March 1, 2026)")
    assert "$50.00 late fee" in said and "how many CEUs" not in said
    # a correction after that follow-up is one too, read back over it
    message = "sorry, I meant May 30"
    tr = _with_history(
        tracker(linked_as=TRAINER, text=message, entities=[span(message, "May 30")]), first, ("and on May 31?", ["May 31"])
    )
    d, _ = await run(action, tr)
    assert text(d).startswith("An application NASM receives on May 30, 2026 (90 days after your expiration date")
    assert "$30.00 late fee = $129.00" in text(d)


def test_a_follow_up_after_another_topic_or_an_expiration_has_no_role() -> None:
    message = "and on May 31?"
    plain = tracker(text=message, entities=[span(message, "May 31")])
    assert follow_up_role(_with_history(plain, ("how many CEUs do I still need?", []))) is None
    plain = tracker(text=message, entities=[span(message, "May 31")])
    assert follow_up_role(_with_history(plain, ("my cert expires June 3 and I have 1.2 CEUs", ["June 3"]))) is None
    plain = tracker(text=message, entities=[span(message, "May 31")])
    assert follow_up_role(_with_history(plain, ("if I finish my last course on May 1, does it count?", ["May 1"]))) == "completed"


# --- a course "too late" for a trainer whose course CE is already complete -------------------------------


async def test_a_late_course_sends_nobody_to_a_person_when_the_ce_is_already_complete() -> None:
    # E = 2026-03-01, G = 2026-05-30: a course on June 1 is too late either way
    message = "what if I finish a course on June 1?"
    action = make_action(ActionWhatIf, FakeUnitOfWork([COMPLETE_RECORD]), TODAY)
    d, _ = await run(action, tracker(linked_as=TRAINER, text=message, entities=[span(message, "June 1")]))
    said = text(d)
    assert "is too late for the cycle with the expiration date March 1, 2026" in said
    assert "Your record already has all the course CE this renewal needs (1.9 CEUs counted), so no more has to be completed for it." in said
    assert "ask for a person" not in said and not any(m.get("buttons") for m in d.messages)
    message = "what if I finish a course in June?"
    d, _ = await run(action, tracker(linked_as=TRAINER, text=message, entities=[span(message, "June")]))
    assert "it is too late" in text(d) and "ask for a person" not in text(d)
    assert "no more has to be completed" in text(d)


async def test_a_late_course_still_offers_a_person_when_ce_is_missing() -> None:
    short = record(ce=[approved("1.2")])  # 0.7 CEU of course CE still missing
    message = "what if I finish a course on June 1?"
    action = make_action(ActionWhatIf, FakeUnitOfWork([short]), TODAY)
    d, _ = await run(action, tracker(linked_as=TRAINER, text=message, entities=[span(message, "June 1")]))
    assert "ask for a person here" in text(d) and "no more has to be completed" not in text(d)
    assert any(m.get("buttons") for m in d.messages)
    # on the CE deadline itself it still counts
    message = "what if I finish a course on May 30?"
    d, _ = await run(action, tracker(linked_as=TRAINER, text=message, entities=[span(message, "May 30")]))
    assert "still counts" in text(d) and "too late" not in text(d)


async def test_a_figure_named_as_the_gap_is_not_taken_for_the_total() -> None:
    """"Can I take another course now to make up the 0.4?": whether a course completed today counts, and the
    record's own gap beside the one named; never "you mentioned 0.4 CEU, but your record shows 1.6"."""
    from decimal import Decimal as D

    from rules.model import CERecord, CEStatus, Credential
    from tests.unit.action_support import entity, record, said

    rec = record(
        ce=[
            CERecord(date(2025, 3, 1), D("1.5"), CEStatus.APPROVED, title="CES", course_id="NASM-CES"),
            CERecord(date(2026, 9, 1), D("0.4"), CEStatus.PENDING_PETITION, title="Kettlebell Basics", provider="Gym"),
        ],
        credentials=[Credential("nasm-cpt", date(2026, 6, 15))],
    )  # E = 2026-06-15: CE deadline 2026-09-13
    message = "can I take another course now to make up the 0.4?"
    late = await said(ActionWhatIf, rec, date(2026, 11, 30), text=message, entities=[entity("ceu_amount", "0.4")])
    assert late.startswith("No: Continuing education completed on November 30, 2026 is too late"), late
    assert "until September 13, 2026" in late and "0.4 CEU short of the course CE, as you say" in late
    assert "depends on the petition" in late and "You mentioned" not in late
    # the last day of the CE window still counts; the gap named differs from the record's
    last_day = await said(
        ActionWhatIf, rec, date(2026, 9, 13), text="could i do a course today to cover the 0.3 i'm missing",
        entities=[entity("ceu_amount", "0.3")],
    )
    assert last_day.startswith("Yes: Continuing education completed on September 13, 2026 still counts")
    assert "0.4 CEU short of the course CE, not 0.3 CEU" in last_day
    # a figure held, not missing, is still the classic what-if
    held = await said(ActionWhatIf, rec, date(2026, 9, 13), text="what if I have 0.4", entities=[entity("ceu_amount", "0.4")])
    assert not held.startswith(("Yes: Continuing", "No: Continuing"))


async def test_the_own_card_on_an_application_month_read_as_a_what_if_is_the_card_answer() -> None:
    from tests.unit.action_support import approved, entity, record, said

    rec = record(ce=[approved("1.9")])  # E = 2026-03-01, late but renewable; Red Cross card valid to 2027-01-10
    message = "will my Red Cross card still be good if I apply in February?"
    card = await said(ActionWhatIf, rec, date(2026, 12, 1), text=message, entities=[entity("date", "February")])
    assert card.startswith("No. Your CPR/AED card runs out on January 10, 2027"), card
    # a fee asked beside the card stays the what-if's fee answer
    fee = await said(
        ActionWhatIf, rec, date(2026, 12, 1), text="if my cpr card runs out before I apply in February, how much?",
        entities=[entity("date", "February")],
    )
    assert "$" in fee
