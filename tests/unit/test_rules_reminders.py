"""Reminder milestones on the days around each of them (specification section 7).

E = 2026-03-01: -120d 2025-11-01, -90d 2025-12-01, -60d 2025-12-31, -30d 2026-01-30, -14d 2026-02-15,
-7d 2026-02-22, -1d 2026-02-28, +1d 2026-03-02, +30d 2026-03-31, +80d 2026-05-20, +330d 2027-01-25,
lapsed from 2027-03-01. Worked out by hand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.engine import assess
from rules.model import Application, CERecord, CEStatus, CprAedCard, Credential, Plan, TrainerRecord
from rules.policy import load_policy
from rules.reminders import Series, due_milestones

POLICY = load_policy("nasm-cpt")
CPT = Credential("nasm-cpt", date(2026, 3, 1), Plan.STANDARD, "8812345", date(2022, 3, 1))
CARD = CprAedCard("American Red Cross", date(2028, 1, 1), True, date(2025, 1, 1))
PARTIAL = CERecord(date(2025, 6, 1), D("1.3"), CEStatus.APPROVED)
FULL = CERecord(date(2025, 6, 1), D("1.9"), CEStatus.APPROVED)


def due(today: date, *ce: CERecord, cards=(CARD,), apps=()) -> list[str]:  # type: ignore[no-untyped-def]
    record = TrainerRecord("T-1", (CPT,), tuple(ce), tuple(cards), tuple(apps))
    return [m.key for m in due_milestones(assess(POLICY, record, CPT, today), POLICY)]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 10, 31), []),
        (date(2025, 11, 1), ["-120d"]),
        (date(2025, 11, 30), ["-120d"]),  # a missed run catches up with the latest only
        (date(2025, 12, 1), ["-90d"]),
        (date(2026, 2, 27), ["-7d"]),
        (date(2026, 2, 28), ["-1d"]),
        (date(2026, 3, 1), ["-1d"]),  # E itself: the day-before reminder is still the latest
        (date(2026, 3, 2), ["+1d"]),
        (date(2026, 3, 30), ["+1d"]),
        (date(2026, 3, 31), ["+30d"]),
        (date(2026, 5, 20), ["+80d"]),
        (date(2026, 5, 30), ["+80d"]),  # day 90: CE can still count
    ],
)
def test_expiration_series_with_ce_missing(today: date, expected: list[str]) -> None:
    assert due(today, PARTIAL) == expected


def test_after_day_90_with_ce_short_nothing_is_sent() -> None:
    assert due(date(2026, 5, 31), PARTIAL) == []  # can no longer be renewed


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2027, 1, 24), ["+80d"]), (date(2027, 1, 25), ["+330d"]), (date(2027, 2, 28), ["+330d"]), (date(2027, 3, 1), [])],
)
def test_last_month_before_the_lapse_date(today: date, expected: list[str]) -> None:
    # CE complete, no application yet: still something to do until the lapse date
    assert due(today, FULL) == expected


def test_nothing_to_do_means_no_reminder() -> None:
    assert due(date(2026, 2, 15), FULL, apps=[Application("nasm-cpt", date(2026, 1, 5))]) == []
    # an application sent with CE missing still leaves something to do
    assert due(date(2026, 2, 15), PARTIAL, apps=[Application("nasm-cpt", date(2026, 1, 5))]) == ["-14d"]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 16), []),
        (date(2026, 3, 17), ["audit+20d"]),
        (date(2026, 3, 24), ["audit+27d"]),
        (date(2026, 3, 27), ["audit+27d"]),  # the due date itself
        (date(2026, 3, 28), []),
    ],
)
def test_audit_series_while_documents_are_outstanding(today: date, expected: list[str]) -> None:
    apps = [Application("nasm-cpt", date(2026, 2, 20), date(2026, 2, 25))]
    assert due(today, FULL, apps=apps) == expected
    done = [Application("nasm-cpt", date(2026, 2, 20), date(2026, 2, 25), date(2026, 3, 1))]
    assert due(today, FULL, apps=done) == []


def test_card_that_runs_out_before_expiration_gets_its_own_reminder() -> None:
    early = CprAedCard("American Red Cross", date(2026, 2, 1), True, date(2024, 2, 1))
    assert due(date(2025, 12, 2), FULL, cards=[early]) == ["-90d"]
    both = due_milestones(
        assess(POLICY, TrainerRecord("T-1", (CPT,), (FULL,), (early,)), CPT, date(2025, 12, 3)), POLICY
    )
    assert [(m.key, m.series) for m in both] == [("-90d", Series.EXPIRATION), ("cpr-60d", Series.CPR_AED)]
    assert due(date(2026, 2, 2), FULL, cards=[early]) == ["-30d"]  # the card has expired: no card reminder


def test_lapsed_credential_gets_nothing() -> None:
    assert due(date(2027, 3, 2), FULL) == []


def test_could_be_due_never_hides_a_due_milestone() -> None:
    """The cheap pre-test of a whole-store pass is a superset of due_milestones (generated records, many days)."""
    import sys
    from datetime import timedelta
    from pathlib import Path

    from rules.reminders import could_be_due

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from bench_assess import generate

    checked = skipped = 0
    for rec in generate(400, 7, date(2026, 11, 30)):
        for offset in range(-400, 400, 9):
            today = date(2026, 11, 30) + timedelta(days=offset)
            for credential in rec.credentials:
                a = assess(POLICY, rec, credential, today)
                assert a.expires_on == credential.expires_on
                if not could_be_due(credential, rec.cpr_aed_cards, rec.applications, today, POLICY):
                    assert due_milestones(a, POLICY) == [], (rec, today)
                    skipped += 1
                checked += 1
    assert skipped > checked // 3  # and it does skip most of the work


_DAYS = st.dates(min_value=date(2023, 1, 1), max_value=date(2030, 12, 31))
_NEAR = st.integers(-3, 3)  # days around a window's edge, where a wrong bound would show


@settings(max_examples=800, deadline=None)
@given(today=_DAYS, spread=st.integers(0, 2), data=st.data())
def test_due_windows_hold_every_row_could_be_due_finds(today: date, spread: int, data: st.DataObject) -> None:
    """The store's coarse filter never drops a trainer the exact test would keep: for any day of
    the pass's range, a credential, card or audit that could be due lies inside its window. The
    rows' dates are drawn around each window's edges (29 February included by the years drawn)."""
    from datetime import timedelta

    from rules.calendar import add_years
    from rules.reminders import could_be_due, due_windows

    first_day, last_day = today - timedelta(days=spread), today + timedelta(days=spread)
    windows = due_windows(POLICY, first_day, last_day)
    r = POLICY.reminders
    edges = {
        "credential": [add_years(first_day, -POLICY.restore_after_years),
                       last_day + timedelta(days=max(r.days_before_expiration))],
        "card": [first_day, last_day + timedelta(days=r.cpr_aed_days_before_card_expiry)],
        "audit": [first_day - timedelta(days=POLICY.audit_response_days + 1), last_day],
    }

    def near(series: str) -> date:
        return data.draw(st.sampled_from(edges[series])) + timedelta(days=data.draw(_NEAR))

    def inside(day: date, window: tuple[date, date]) -> bool:
        return window[0] <= day <= window[1]

    expires, card_expires, selected = near("credential"), near("card"), near("audit")
    credential = Credential("nasm-cpt", expires, Plan.STANDARD, "1")
    card = CprAedCard("American Red Cross", card_expires, True, None)
    audit = Application("nasm-cpt", selected, selected, None, expires)
    far = Credential("nasm-cpt", date(2040, 1, 1), Plan.STANDARD, "1")  # no expiration milestone near
    for day in (first_day, today, last_day):
        if could_be_due(credential, [], [], day, POLICY):
            assert inside(expires, windows.credential_expires)
        if could_be_due(far, [card], [], day, POLICY):
            assert inside(card_expires, windows.card_expires)
        if could_be_due(far, [], [audit], day, POLICY):
            assert inside(selected, windows.audit_selected)


def test_due_windows_reach_the_last_day_of_each_series() -> None:
    """At the windows' edges: the last day before the credential lapses, the card's expiry day,
    the documents' due day; one day further is outside."""
    from datetime import timedelta

    from rules.calendar import add_years
    from rules.reminders import due_windows

    day = date(2026, 11, 30)
    windows = due_windows(POLICY, day, day)
    lapses_tomorrow = add_years(day + timedelta(days=1), -POLICY.restore_after_years)
    assert windows.credential_expires[0] <= lapses_tomorrow
    assert windows.credential_expires[1] == day + timedelta(days=max(POLICY.reminders.days_before_expiration))
    assert windows.card_expires == (day, day + timedelta(days=POLICY.reminders.cpr_aed_days_before_card_expiry))
    assert windows.audit_selected[0] == day - timedelta(days=POLICY.audit_response_days + 1)
