"""A month named for an application ("if I renew in May", "next month") and a card that runs out first.

The record of ``test_actions_support``: E = 2026-03-01, CE deadline and end of the first late-fee tier
G = 2026-05-30, last application day 2027-02-28 (lapses 2027-03-01); its Red Cross card runs out on
2027-01-10. Worked out by hand from docs/rules.md.
"""

from __future__ import annotations

from datetime import date

from rasa_sdk.executor import CollectingDispatcher

from actions import words
from actions.dates import Period, month_in_text, month_period
from actions.status import ActionLateFee
from actions.what_if import ActionWhatIf
from rules.model import Credential, TrainerRecord
from tests.unit.action_support import COMPLETE, Events, answer, approved, record, text

NOV_30 = date(2026, 11, 30)


def span(message: str, value: str) -> dict[str, object]:
    start = message.index(value)
    return {"entity": "date", "value": value, "start": start, "end": start + len(value)}


async def what_if(
    message: str, dates: list[str], today: date = date(2026, 3, 10), rec: TrainerRecord = COMPLETE
) -> tuple[CollectingDispatcher, Events]:
    return await answer(ActionWhatIf, rec, today, text=message, entities=[span(message, v) for v in dates])


async def late_fee(
    message: str, dates: list[str], today: date, rec: TrainerRecord = COMPLETE
) -> tuple[CollectingDispatcher, Events]:
    return await answer(ActionLateFee, rec, today, text=message, entities=[span(message, v) for v in dates])


# --- reading a month ----------------------------------------------------------------------------


def test_a_month_is_a_period_not_a_made_up_day() -> None:
    assert month_period("May 2027", NOV_30) == Period(date(2027, 5, 1), date(2027, 5, 31), "May 2027")
    assert month_period("January", NOV_30) == Period(date(2027, 1, 1), date(2027, 1, 31), "January 2027")
    assert month_period("next month", NOV_30) == Period(date(2026, 12, 1), date(2026, 12, 31), "December 2026")
    # the current month: only the days still ahead; December after November 30 rolls into the next year
    assert month_period("November", NOV_30) == Period(NOV_30, NOV_30, "November 2026")
    assert month_period("next month", date(2026, 12, 5)) == Period(date(2027, 1, 1), date(2027, 1, 31), "January 2027")
    for one_day in ("May 3", "3/4/2027", "January 14, 2027", "tomorrow", "2027-01-13"):
        assert month_period(one_day, NOV_30) is None, one_day


def test_a_month_inside_a_message() -> None:
    assert month_in_text("how much will I pay if I renew in March?", NOV_30) == Period(
        date(2027, 3, 1), date(2027, 3, 31), "March 2027"
    )
    assert month_in_text("what would it cost during june 2027", NOV_30) == Period(
        date(2027, 6, 1), date(2027, 6, 30), "June 2027"
    )
    # "may" the verb, and a day after the month, are not a month
    assert month_in_text("may I renew online?", NOV_30) is None
    assert month_in_text("how much if I apply in March 3", NOV_30) is None


# --- what if I apply in <month> ------------------------------------------------------------------


async def test_a_month_straddling_the_ce_deadline_names_both_tiers() -> None:
    d, _ = await what_if("what if I apply in May?", ["May"])
    said = text(d)
    assert "In May 2026 the fee depends on the day NASM receives your application" in said
    assert "from May 1, 2026 to May 30, 2026, the $99.00 renewal fee + a $30.00 late fee = $129.00 in all" in said
    assert "on May 31, 2026, the $99.00 renewal fee + a $50.00 late fee = $149.00 in all" in said
    assert "accepted only if all your continuing education was completed by May 30, 2026" in said
    assert "May 10" not in said  # dateparser's made-up day (today's day of the month)
    assert words.MONEY_NOTE in said


async def test_a_month_inside_one_tier_and_the_current_month_from_today() -> None:
    d, _ = await what_if("how much if I renew next month?", ["next month"])
    assert "An application NASM receives in April 2026 (from April 1, 2026 to April 30, 2026) pays the $99.00 renewal fee + a $30.00 late fee = $129.00 in all." in text(d)
    d, _ = await what_if("what if I apply at the end of March?", ["March"])
    assert "in March 2026 (from March 10, 2026 to March 31, 2026) pays the $99.00 renewal fee + a $30.00 late fee" in text(d)


async def test_a_month_over_the_lapse_day_and_a_month_after_it() -> None:
    d, _ = await what_if("what if I apply in February 2027?", ["February 2027"], rec=record(ce=[approved("1.9")], cards=()))
    assert "(from February 1, 2027 to February 28, 2027) pays the $99.00 renewal fee + a $50.00 late fee = $149.00" in text(d)
    d, _ = await what_if("what if I apply in March 2027?", ["March 2027"])
    said = text(d)
    assert "An application NASM receives in March 2027 would be too late" in said
    assert "accepted only until February 28, 2027" in said and "$" not in said
    assert d.messages[0]["buttons"] == [words.handoff_button()]


async def test_an_unlinked_month_waits_for_the_expiration_date() -> None:
    message = "what if I apply in May?"
    d, events = await answer(ActionWhatIf, None, date(2026, 3, 10), linked=False, text=message, entities=[span(message, "May")])
    assert "I need your certification's expiration date" in text(d)
    kept = next(e for e in events if e.get("name") == "what_if_submit")["value"]
    message = "it expires June 3"
    d, _ = await answer(
        ActionWhatIf, None, date(2026, 3, 10), linked=False, text=message, entities=[span(message, "June 3")],
        slots={"what_if_submit": kept},
    )
    assert "An application NASM receives in May 2026 (from May 1, 2026 to May 31, 2026) pays the $99.00 renewal fee and no late fee" in text(d)


async def test_one_day_still_gets_that_days_fee_and_the_tiers_by_their_days() -> None:
    d, _ = await what_if("what if I apply on March 1?", ["March 1"], today=date(2026, 2, 1))
    said = text(d)
    assert said.startswith("An application NASM receives on March 1, 2026 (your expiration date, March 1, 2026) pays the $99.00 renewal fee and no late fee, $99.00 in all.")
    # the $50 tier starts on G + 1 = 2026-05-31, said as a day, not "from then" (which reads as G)
    assert "from March 2, 2026 to May 30, 2026 it would add a $30.00 late fee, and from May 31, 2026 to February 28, 2027 $50.00" in said


# --- "how much will I pay if I renew in January?" (the fee question) ------------------------------

SOON = Credential("nasm-cpt", date(2026, 12, 4), certified_on=date(2024, 12, 5))  # G = 2027-03-04
EXPIRES_SOON = record(ce=[approved("1.9")], credentials=[SOON], cards=())


async def test_the_fee_question_answers_the_month_it_names() -> None:
    d, _ = await late_fee("how much will I pay in total if I renew in January?", ["January"], NOV_30, EXPIRES_SOON)
    said = text(d)
    assert "An application NASM receives in January 2027 (from January 1, 2027 to January 31, 2027) pays the $99.00 renewal fee + a $30.00 late fee = $129.00 in all." in said
    assert "Applying by" not in said
    # the NLU found no date: the month is read from the message; December straddles E
    d, _ = await late_fee("how much if I renew in December?", [], NOV_30, EXPIRES_SOON)
    said = text(d)
    assert "from December 1, 2026 to December 4, 2026, the $99.00 renewal fee and no late fee, $99.00 in all" in said
    assert "from December 5, 2026 to December 31, 2026, the $99.00 renewal fee + a $30.00 late fee = $129.00 in all" in said


async def test_the_fee_question_answers_the_day_it_names() -> None:
    d, _ = await late_fee("how much do I pay if NASM gets it on March 5, 2027?", ["March 5, 2027"], NOV_30, EXPIRES_SOON)
    said = text(d)
    assert "An application NASM receives on March 5, 2027 (91 days after your expiration date, December 4, 2026) pays the $99.00 renewal fee + a $50.00 late fee = $149.00 in all" in said
    d, _ = await late_fee("how much if I apply on December 4, 2027?", ["December 4, 2027"], NOV_30, EXPIRES_SOON)
    assert "would be too late" in text(d) and d.messages[0]["buttons"] == [words.handoff_button()]


async def test_the_fee_question_without_a_date_is_unchanged() -> None:
    d, _ = await late_fee("how much will I pay in total?", [], NOV_30, EXPIRES_SOON)
    assert text(d).startswith("Applying by December 4, 2026 costs the $99.00 renewal fee and no late fee, $99.00 in all.")


def test_a_year_is_a_period_too() -> None:
    assert month_period("2027", NOV_30) == Period(date(2027, 1, 1), date(2027, 12, 31), "2027")
    assert month_period("next year", NOV_30) == Period(date(2027, 1, 1), date(2027, 12, 31), "2027")
    assert month_period("this year", NOV_30) == Period(NOV_30, date(2026, 12, 31), "2026")


async def test_a_year_over_the_lapse_day_names_the_last_day_and_then_too_late() -> None:
    d, _ = await what_if("what if I apply in 2027?", ["2027"])
    said = text(d)
    assert "In 2027 the fee depends on the day NASM receives your application" in said
    assert "from January 1, 2027 to February 28, 2027, the $99.00 renewal fee + a $50.00 late fee = $149.00 in all" in said
    assert "from March 1, 2027 to December 31, 2027 it would be too late (applications are accepted only until February 28, 2027)" in said
    assert "March 10, 2027" not in said  # dateparser's made-up day of the year


async def test_next_week_is_monday_to_sunday_not_its_monday() -> None:
    # Wednesday May 20, 2026: next week is May 25 to 31, and G = May 30 falls inside it
    assert month_period("next week", date(2026, 5, 20)) == Period(
        date(2026, 5, 25), date(2026, 5, 31), "the week of May 25, 2026"
    )
    d, _ = await what_if("what if I apply next week?", ["next week"], today=date(2026, 5, 20))
    said = text(d)
    assert "In the week of May 25, 2026 the fee depends on the day NASM receives your application" in said
    assert "from May 25, 2026 to May 30, 2026, the $99.00 renewal fee + a $30.00 late fee = $129.00 in all" in said
    assert "on May 31, 2026, the $99.00 renewal fee + a $50.00 late fee = $149.00 in all" in said


async def test_a_year_the_nlu_did_not_tag_is_read_from_the_message() -> None:
    assert month_in_text("what if I apply in 2027?", NOV_30) == Period(date(2027, 1, 1), date(2027, 12, 31), "2027")
    assert month_in_text("what if I apply next year?", NOV_30) == Period(date(2027, 1, 1), date(2027, 12, 31), "2027")
    assert month_in_text("what if I apply on 2027-01-05?", NOV_30) is None  # one day, not a year
    d, _ = await what_if("what if I apply in 2027?", [])
    assert "In 2027 the fee depends on the day NASM receives your application" in text(d)
    assert "how many CEUs" not in text(d)


async def test_the_fee_question_never_takes_the_expiration_date_for_the_submission_day() -> None:
    # the record's E = 2026-03-01; on 2026-03-10 applying costs $129.00 (first late tier)
    for message, dates in (
        ("my cert expired on March 1, what's the late fee?", ["March 1"]),
        ("it ran out in February, how much will I pay?", []),
    ):
        d, _ = await late_fee(message, dates, date(2026, 3, 10))
        said = text(d)
        assert said.startswith("Applying today costs the $99.00 renewal fee + a $30.00 late fee = $129.00 in all."), message
        assert "too late" not in said and "March 1, 2027" not in said
