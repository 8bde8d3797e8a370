"""When a course was completed: only a day said with the question, never a made-up or stale one."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from actions.courses import ActionCourseCounts
from rules.model import TrainerRecord
from tests.unit.action_support import approved, entity, record, said

TODAY = date(2026, 2, 9)  # E = 2026-03-01: cycle 2024-03-02 .. 2026-05-30


async def ask(
    entities: list[dict[str, Any]],
    slots: dict[str, Any] | None = None,
    rec: TrainerRecord | None = None,
    today: date = TODAY,
) -> str:
    rec = rec or record(ce=[approved("1.2")])
    return await said(ActionCourseCounts, rec, today, entities=entities, slots=slots or {}, text="does it count?")


async def test_a_date_left_by_an_earlier_message_is_not_the_completion_date() -> None:
    said = await ask([entity("course", "Youth Exercise Specialist")], slots={"date": "2026-02-10"})
    assert "Completed on" not in said and "February 10" not in said
    assert "It counts toward this renewal when completed between March 2, 2024 and May 30, 2026" in said


async def test_a_day_still_ahead_does_not_count_yet() -> None:
    said = await ask([entity("course", "Youth Exercise Specialist"), entity("date", "February 20, 2026")])
    assert said.startswith("February 20, 2026 is still ahead: a course counts once it is completed.")
    assert "Completed on" not in said


@pytest.mark.parametrize("month", ["March 2024", "mid March 2024"])
async def test_a_month_across_the_cycle_start_names_the_day_that_decides(month: str) -> None:
    # the cycle begins on March 2, 2024: a verdict on a made-up day of March would be wrong either side
    said = await ask([entity("course", "Youth Exercise Specialist"), entity("date", month)])
    assert "March 2024 begins before your current cycle (March 2, 2024 to May 30, 2026): it counts if you " \
        "completed it on or after March 2, 2024." in said
    assert "Completed on" not in said and "names no day" not in said


async def test_a_month_wholly_inside_or_outside_the_window_is_judged_without_a_day() -> None:
    inside = await ask([entity("course", "Youth Exercise Specialist"), entity("date", "in August")])
    assert "Completed in August 2025, it falls in your current cycle (March 2, 2024 to May 30, 2026), so it " \
        "counts toward this renewal." in inside
    before = await ask([entity("course", "Youth Exercise Specialist"), entity("date", "February 2024")])
    assert "But completed in February 2024, it is before your current cycle began on March 2, 2024" in before
    assert inside.startswith("Yes: Youth Exercise Specialist")


async def test_a_month_across_the_ce_deadline_names_the_last_day() -> None:
    said = await ask(
        [entity("course", "Youth Exercise Specialist"), entity("date", "May 2026")], rec=record(ce=[approved("1.9")]), today=date(2026, 6, 20)
    )
    assert "May 2026 ends after May 30, 2026, the last day continuing education counts toward this renewal: it " \
        "counts if you completed it on or before May 30, 2026." in said


async def test_a_whole_year_inside_the_window_is_judged_too() -> None:
    said = await ask([entity("course", "Youth Exercise Specialist"), entity("date", "in 2025")])
    assert "Completed in 2025, it falls in your current cycle" in said
    across = await ask([entity("course", "Youth Exercise Specialist"), entity("date", "in 2024")])
    assert "2024 begins before your current cycle" in across and "on or after March 2, 2024" in across


async def test_a_day_is_still_checked_against_the_window() -> None:
    inside = await ask([entity("course", "Youth Exercise Specialist"), entity("date", "March 3, 2024")])
    assert "Completed on March 3, 2024, it falls in your current cycle" in inside
    outside = await ask([entity("course", "Youth Exercise Specialist"), entity("date", "March 1, 2024")])
    assert "before your current cycle began on March 2, 2024" in outside
    after = await ask(
        [entity("course", "Youth Exercise Specialist"), entity("date", "May 31, 2026")],
        rec=record(ce=[approved("1.9")]), today=date(2026, 6, 2),
    )
    assert "But completed on May 31, 2026, it is after May 30, 2026, the last day continuing education counts" in after


async def test_a_credential_that_cannot_be_renewed_gets_no_window() -> None:
    said = await ask([entity("course", "Corrective Exercise Specialist")], today=date(2027, 3, 5))
    assert "counts toward this renewal when" not in said
    assert "cannot be renewed online" in said


async def test_the_petition_answer_invents_no_portal_steps() -> None:
    said = await ask([entity("course", "Underwater Basket Weaving")])
    assert "$25.00 per course or event" in said and "in the NASM portal:" not in said


async def test_after_the_ce_deadline_a_course_question_does_not_offer_the_closed_window() -> None:
    # renewable late (1.9 CE done in time), asked on 2026-07-01, after the CE deadline of 2026-05-30
    late = await ask([entity("course", "Weight Loss Specialist")], rec=record(ce=[approved("1.9")]), today=date(2026, 7, 1))
    assert "It counts toward this renewal when completed between" not in late
    assert (
        "Only CE completed between March 2, 2024 and May 30, 2026 counts toward this renewal, and that window has "
        "closed: a course you complete now counts toward your next cycle, not this renewal."
    ) in late
    on_the_day = await ask(
        [entity("course", "Weight Loss Specialist")], rec=record(ce=[approved("1.2")]), today=date(2026, 5, 30)
    )
    assert "It counts toward this renewal when completed between March 2, 2024 and May 30, 2026." in on_the_day


async def test_no_yes_for_an_approved_course_that_cannot_count_toward_this_renewal() -> None:
    # T-1006's case: the course on the record was finished after the CE deadline (2026-05-30), the CE short
    late_course = approved("0.7", on=date(2026, 6, 10))
    rec = record(ce=[approved("0.8"), late_course])
    said = await ask([entity("course", "Youth Exercise Specialist")], rec=rec, today=date(2026, 7, 1))
    assert not said.startswith("Yes")
    # a day outside the window, said in the question
    outside = await ask([entity("course", "Youth Exercise Specialist"), entity("date", "March 1, 2024")])
    assert outside.startswith("No, not toward this renewal: Youth Exercise Specialist (NASM-YES)")
    # the window closed and no day said: approved, but a course completed now can't count here
    closed = await ask([entity("course", "Youth Exercise Specialist")], rec=record(ce=[approved("1.9")]), today=date(2026, 7, 1))
    assert closed.startswith("No, not toward this renewal: Youth Exercise Specialist (NASM-YES)")
    # inside the window, on the last day: still a yes
    last_day = await ask([entity("course", "Youth Exercise Specialist"), entity("date", "May 30, 2026")], today=date(2026, 5, 30))
    assert last_day.startswith("Yes: Youth Exercise Specialist (NASM-YES)")


async def test_a_course_to_be_finished_after_expiry_counts_but_the_application_pays_a_late_fee() -> None:
    # E = 2026-03-01, CE deadline 2026-05-30, first late tier until 2026-05-30; asked on 2026-02-09
    async def course_question(when: str, text_: str) -> str:
        return await said(
            ActionCourseCounts,
            record(ce=[approved("1.2")]),
            TODAY,
            entities=[entity("course", "Youth Exercise Specialist"), entity("date", when)],
            text=text_,
        )

    april = await course_question("April", "if I finish the YES in April will it count?")
    assert "Completed in April 2026, it falls in your current cycle" in april
    assert (
        "Finished after your expiration date (March 1, 2026), it still counts, but your application then comes "
        "after that date too, so it pays a late fee: $30.00 if NASM receives it by May 30, 2026, $50.00 after that."
    ) in april
    on_the_day = await course_question("March 1", "if I complete the YES on March 1 will it count?")
    assert "Completed on March 1, 2026, it falls in your current cycle" in on_the_day
    assert "late fee" not in on_the_day  # on the expiration date itself: still on time
    day_after = await course_question("March 2", "if I complete the YES on March 2 will it count?")
    assert "Finished after your expiration date (March 1, 2026)" in day_after
    june = await course_question("June 2026", "if I finish the YES in June 2026 will it count?")
    assert june.startswith("No, not toward this renewal:") and "late fee" not in june


async def test_a_card_question_after_the_course_question_is_answered_too() -> None:
    said_ = await said(
        ActionCourseCounts,
        record(ce=[approved("1.2")]),
        TODAY,
        entities=[entity("course", "PES")],
        text="does the PES count? and is my red cross card ok?",
    )
    assert said_.startswith("Yes: Performance Enhancement Specialist (NASM-PES)")
    assert "Your CPR/AED card (American Red Cross, valid until January 10, 2027)" in said_
    alone = await said(
        ActionCourseCounts, record(ce=[approved("1.2")]), TODAY, entities=[entity("course", "PES")], text="does the PES count?"
    )
    assert "CPR/AED" not in alone



async def test_a_course_adds_nothing_once_the_course_ce_is_complete() -> None:
    # T-1001's "does doing PES add ceus for me since i already have CES?" was told "Yes: ... counts"
    said = await ask([entity("course", "Performance Enhancement Specialist")], rec=record(ce=[approved("1.9")]))
    assert not said.startswith("Yes")
    assert (
        "Your course CE is already complete (1.9 CEUs counted, the most that counts: 1.9 CEUs besides CPR/AED), so "
        "another course adds nothing to this renewal, and extra CE doesn't carry over to the next cycle."
    ) in said
    short = await ask([entity("course", "Performance Enhancement Specialist")], rec=record(ce=[approved("1.8")]))
    assert short.startswith("Yes: Performance Enhancement Specialist")


async def test_a_planned_course_on_a_later_day_is_judged_on_that_day() -> None:
    from actions.what_if import ActionWhatIf

    message = "if i do the YES on June 3 2026 does it count"
    after_g = await said(
        ActionWhatIf, record(ce=[approved("1.2")]), TODAY, text=message,
        entities=[entity("course", "YES"), entity("date", "June 3 2026")],
    )
    assert after_g.startswith("No, not toward this renewal: Youth Exercise Specialist (NASM-YES)")
    assert "how many CEUs you have" not in after_g


async def test_the_figures_after_a_course_come_from_the_rules_engine() -> None:
    # 1.2 approved + a valid card: with the WLS (0.8) the course CE reaches the 1.9 cap: 2.0 of 2.0
    said_ = await said(
        ActionCourseCounts, record(ce=[approved("1.2")]), TODAY, entities=[entity("course", "WLS")],
        text="how many CEUs would I still need after the WLS?",
    )
    assert "With it done you'd have 2.0 of the 2.0 CEUs: everything you need." in said_
    no_card = await said(
        ActionCourseCounts, record(ce=[approved("1.2")], cards=[]), TODAY, entities=[entity("course", "WLS")],
        text="how many CEUs would I still need after the WLS?",
    )
    assert "With it done you'd have 1.9 of the 2.0 CEUs, so you'd still need 0.1 CEU: the CPR/AED card." in no_card
    short = await said(
        ActionCourseCounts, record(ce=[approved("0.4")]), TODAY, entities=[entity("course", "WLS")],
        text="does the WLS count and how many would I have after it?",
    )
    assert "With it done you'd have 1.3 of the 2.0 CEUs, so you'd still need 0.7 CEU." in short
    plain = await said(ActionCourseCounts, record(ce=[approved("0.4")]), TODAY, entities=[entity("course", "WLS")], text="does the WLS count?")
    assert "With it done" not in plain


async def test_the_ceu_question_with_a_course_to_come_gets_the_figures_after_it() -> None:
    """NLU may read "how many ... after the WLS?" as the CEU question: the course is still counted in."""
    from actions.status import ActionCeusRemaining

    after = await said(
        ActionCeusRemaining, record(ce=[approved("0.4")]), TODAY, entities=[entity("course", "WLS")],
        text="once i finish the wls how many ceus will i have left to get",
    )
    assert "With it done you'd have 1.3 of the 2.0 CEUs, so you'd still need 0.7 CEU." in after
    # no course to come: the record as it stands (1.4 still needed with 0.4 + the card)
    as_is = await said(
        ActionCeusRemaining, record(ce=[approved("0.4")]), TODAY, entities=[entity("course", "WLS")],
        text="how many CEUs do I still need, I already did the WLS",
    )
    assert "so you still need 1.5 CEUs" in as_is


async def test_a_course_count_question_read_as_a_record_question_is_the_course_answer() -> None:
    """"Does my CES still count and when did I finish it?" classified as the expiration question."""
    from actions.status import ActionAmILate, ActionExpirationDate

    rec = record(ce=[approved("1.9")])  # NASM-CES completed 2025-06-01
    message = "does my CES still count and when did I finish it?"
    for cls in (ActionExpirationDate, ActionAmILate):
        said_ = await said(cls, rec, TODAY, text=message, entities=[entity("credential", "NASM-CES")])
        assert said_.startswith("Yes: Corrective Exercise Specialist (NASM-CES)"), said_
        assert "completed on June 1, 2025" in said_
    # a course named without asking whether it counts stays the record question; so does the CPT
    plain = await said(ActionExpirationDate, rec, TODAY, text="when do I expire, I did the CES", entities=[entity("course", "CES")])
    assert plain.startswith("Your NASM Certified Personal Trainer certification expires")
    cpt = await said(ActionExpirationDate, rec, TODAY, text="does my CPT still count as current?", entities=[entity("credential", "NASM-CPT")])
    assert "Corrective" not in cpt


async def test_the_grace_period_is_the_ce_deadline_and_the_end_of_the_first_late_fee() -> None:
    from actions.status import ActionExpirationDate

    rec = record(ce=[approved("1.9")])  # E = 2026-03-01: grace period to May 30, 2026
    late = await said(ActionExpirationDate, rec, date(2026, 4, 1), text="when does my grace period end")
    assert late.startswith("Your grace period ends on May 30, 2026 (in 59 days), 90 days after your expiration date")
    assert "$30.00 late fee; from May 31, 2026, $50.00." in late
    assert "October" not in late.split(".")[0]  # not the last application day
    last_day = await said(ActionExpirationDate, rec, date(2026, 5, 30), text="is today the last day of my grace period?")
    assert last_day.startswith("Your grace period ends on May 30, 2026 (today)")
    over = await said(ActionExpirationDate, rec, date(2026, 5, 31), text="how long was my grace period")
    assert over.startswith("Your grace period ended on May 30, 2026 (yesterday)") and "$30.00 late fee" not in over
    unlinked = await said(ActionExpirationDate, rec, date(2026, 4, 1), linked=False, text="when does the grace period end?")
    assert "90 days after your expiration date" in unlinked and "May 30" not in unlinked


async def test_a_course_corrected_in_the_same_message_is_the_one_judged() -> None:
    """"If I finish NASM-WLS... no wait, NASM-PES in July 2027, does it count?": the PES, not the WLS."""
    from actions.fallback import ActionHandleMisunderstanding

    message = "if i finish NASM-WLS... no wait, NASM-PES in july 2027 does it count?"

    def at(value: str, name: str = "course") -> dict[str, object]:
        start = message.index(value)
        return {**entity(name, value), "start": start, "end": start + len(value)}

    entities = [at("NASM-WLS"), at("NASM-PES"), at("july 2027", "date")]
    rec = record(ce=[approved("0.4")])  # E = 2026-03-01, asked on 2026-02-09: July 2027 is long after the CE deadline
    answer = await said(ActionHandleMisunderstanding, rec, TODAY, text=message, intent="nlu_fallback", entities=entities)
    assert "Performance Enhancement Specialist (NASM-PES)" in answer and "Weight Loss" not in answer, answer
    # without a correction between them, the first course named stays the one asked about
    plain = "does NASM-WLS count, i also did NASM-PES"
    entities = [{**entity("course", v), "start": plain.index(v), "end": plain.index(v) + len(v)} for v in ("NASM-WLS", "NASM-PES")]
    first = await said(ActionCourseCounts, rec, TODAY, text=plain, entities=entities)
    assert "Weight Loss Specialist (NASM-WLS)" in first


async def test_a_provider_and_another_providers_course_are_two_answers_provider_first() -> None:
    """"Is the kettlebell kings academy approved? and what's the CES worth": "No" for the academy first; the
    CES's "Yes:" never reads as the academy's."""
    message = "is the kettlebell kings academy approved? and whats the NASM-CES worth"
    answer = await said(
        ActionCourseCounts, record(ce=[approved("0.4")]), TODAY, text=message,
        entities=[entity("provider", "kettlebell kings academy"), entity("course", "NASM-CES")],
    )
    provider_at = answer.index("Kettlebell Kings Academy")
    course_at = answer.index("Corrective Exercise Specialist (NASM-CES)")
    assert provider_at < course_at and not answer.startswith("Yes"), answer
    # the course's own provider named with it is one question
    own = await said(
        ActionCourseCounts, record(ce=[approved("0.4")]), TODAY, text="does the CES from NASM count?",
        entities=[entity("provider", "NASM"), entity("course", "CES")],
    )
    assert own.startswith("Yes: Corrective Exercise Specialist (NASM-CES)"), own


async def test_second_probe_course_wordings() -> None:
    from actions.fallback import ActionHandleMisunderstanding

    rec = record(ce=[approved("1.2")])  # the CES on the record, completed 2025-06-01
    # a course said done on a month, the NLU unsure: judged against the cycle
    done = await said(
        ActionHandleMisunderstanding, rec, TODAY, text="i completed NASM-YES in april 2025", intent="nlu_fallback",
        entities=[entity("course", "NASM-YES"), entity("date", "april 2025")],
    )
    assert "Youth Exercise Specialist (NASM-YES)" in done and "April 2025" in done, done
    # a repeated course: the rules are silent, so no "Yes"
    again = await said(
        ActionCourseCounts, rec, TODAY, text="if i take NASM-CES again does it count twice?", entities=[entity("course", "NASM-CES")]
    )
    assert again.startswith("Your record has Corrective Exercise Specialist (NASM-CES) completed on June 1, 2025"), again
    assert "isn't in the rules I answer from" in again
    # an entity with no letter or digit names no course
    hours = await said(
        ActionCourseCounts, rec, TODAY, text="got 10 contact hours at an NSCA workshop - will it count?",
        entities=[entity("course", "-"), entity("provider", "NSCA")],
    )
    assert '"-"' not in hours and "National Strength and Conditioning Association" in hours, hours


async def test_a_misspelt_month_is_the_month_meant() -> None:
    from actions.status import ActionLateFee

    answer = await said(ActionLateFee, record(ce=[approved("1.9")]), date(2026, 4, 1), text="wats the late fee if i aply in febuary")
    assert "February 2027" in answer, answer
