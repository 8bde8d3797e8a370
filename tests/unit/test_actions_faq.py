"""FAQ answers: the response selector's key, with every placeholder filled from the policy."""

from __future__ import annotations

import re
from datetime import date

from actions import words
from actions.faq import ActionAnswerFaq, faq_key, faq_values
from rules.policy import load_policy
from tests.unit.test_actions_support import FakeUnitOfWork, make_action, run, tracker

PLACEHOLDERS = {
    "renewal_fee", "lifetime_renewal_fee", "late_fee_first", "late_fee_second", "petition_fee",
    "ceus_required", "cpr_aed_ceus", "ce_cap", "ce_grace_days", "audit_days", "cycle_years",
}


def test_faq_values_come_from_the_policy_formatted() -> None:
    assert faq_values(load_policy("nasm-cpt")) == {
        "renewal_fee": "$99.00",
        "lifetime_renewal_fee": "$0.00",
        "late_fee_first": "$30.00",
        "late_fee_second": "$50.00",
        "petition_fee": "$25.00",
        "ceus_required": "2.0",
        "cpr_aed_ceus": "0.1",
        "ce_cap": "1.9",
        "ce_grace_days": "90",
        "audit_days": "30",
        "cycle_years": "2",
    }


async def test_faq_utters_the_selected_response_with_all_values() -> None:
    uow = FakeUnitOfWork([])
    action = make_action(ActionAnswerFaq, uow, date(2026, 3, 10))
    domain = {"responses": {"utter_faq/late_fee": [{"text": "The late fee is {late_fee_first}."}]}}
    d, events = await run(action, tracker("faq_response_selector"), domain)
    [message] = d.messages
    assert message["response"] == "utter_faq/late_fee"
    assert {k: message[k] for k in PLACEHOLDERS} == faq_values(load_policy("nasm-cpt"))
    assert events == []
    assert uow.entered == 0  # general answers need no record


async def test_every_placeholder_a_template_may_use_is_filled() -> None:
    template = "{renewal_fee} {lifetime_renewal_fee} {late_fee_first} {late_fee_second} {petition_fee} {ceus_required} {cpr_aed_ceus} {ce_cap} {ce_grace_days} {audit_days} {cycle_years}"
    filled = template.format(**faq_values(load_policy("nasm-cpt")))
    assert not re.search(r"[{}]", filled)
    assert filled == "$99.00 $0.00 $30.00 $50.00 $25.00 2.0 0.1 1.9 90 30 2"


def test_faq_key_reads_rasa_36_structure_and_fallbacks() -> None:
    assert faq_key({"response_selector": {"faq": {"response": {"intent_response_key": "faq/ceu"}}}}) == "faq/ceu"
    assert faq_key({"response_selector": {"default": {"response": {"intent_response_key": "faq/ceu"}}}}) == "faq/ceu"
    assert faq_key({"intent": {"name": "faq/ceu"}}) == "faq/ceu"
    assert faq_key({"intent": {"name": "faq"}}) is None
    assert faq_key({}) is None


async def test_unknown_faq_key_says_sorry_not_a_missing_template() -> None:
    action = make_action(ActionAnswerFaq, FakeUnitOfWork([]), date(2026, 3, 10))
    domain = {"responses": {"utter_faq/other": [{"text": "x"}]}}
    d, _ = await run(action, tracker("faq_response_selector"), domain)
    assert d.messages[0]["response"] is None
    assert d.messages[0]["buttons"] == [words.handoff_button()]
