"""A course on the record that a late renewal already used (``counted_for``) is not counted again.

E = 2028-03-01, so this cycle runs from S = 2026-03-02; the course was completed on 2026-04-10, inside
this window and inside the previous cycle's grace window (E' = 2026-03-01, G' = 2026-05-30). The
previous renewal used it: docs/rules.md, "One cycle only".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

from actions.courses import ActionCourseCounts
from rules.model import CERecord, CEStatus, Credential
from tests.unit.test_actions_support import TRAINER, FakeUnitOfWork, entity, make_action, record, run, text, tracker

CURRENT = Credential("nasm-cpt", date(2028, 3, 1), certified_on=date(2024, 3, 2))
CES = CERecord(date(2026, 4, 10), D("1.9"), CEStatus.APPROVED, title="Corrective Exercise Specialist", course_id="NASM-CES")


async def ask(ce: CERecord) -> str:
    rec = record(ce=[ce], credentials=[CURRENT])
    action = make_action(ActionCourseCounts, FakeUnitOfWork([rec]), date(2026, 11, 30))
    d, _ = await run(action, tracker(linked_as=TRAINER, text="has my CES been counted?", entities=[entity("course", "CES")]))
    return text(d)


async def test_a_course_used_by_the_previous_renewal_does_not_count_again() -> None:
    said = await ask(replace(CES, counted_for=date(2026, 3, 1)))
    assert "Your record has Corrective Exercise Specialist (NASM-CES) completed on April 10, 2026" in said
    assert (
        "It was counted for the renewal of the cycle that expired on March 1, 2026, so it doesn't count "
        "again toward this one: a course counts toward one cycle only."
    ) in said
    assert "so it counts toward this renewal" not in said
    assert said.startswith("No, not toward this renewal: Corrective Exercise Specialist (NASM-CES) from NASM")


async def test_a_course_marked_for_this_cycle_or_unmarked_counts() -> None:
    for ce in (replace(CES, counted_for=date(2028, 3, 1)), CES):
        said = await ask(ce)
        assert "it falls in your current cycle (March 2, 2026 to May 30, 2028), so it counts toward this renewal" in said
        assert "counted for the renewal" not in said
        assert said.startswith("Yes: Corrective Exercise Specialist (NASM-CES)")
