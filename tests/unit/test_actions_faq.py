"""FAQ answers: the response selector's key, with every placeholder filled from the policy."""

from __future__ import annotations

import re
from datetime import date

from actions import words
from actions.faq import ActionAnswerFaq, faq_key, faq_values
from rules.policy import load_policy
from tests.unit.action_support import after_reply
from tests.unit.test_actions_support import FakeUnitOfWork, make_action, run, tracker

PLACEHOLDERS = {
    "renewal_fee", "lifetime_renewal_fee", "late_fee_first", "late_fee_second", "petition_fee",
    "ceus_required", "cpr_aed_ceus", "ce_cap", "ce_grace_days", "audit_days", "cycle_years",
    "restore_after_years", "restore_period", "hours_per_ceu", "ceus_per_hour",
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
        "restore_after_years": "1",
        "restore_period": "1 year",
        "hours_per_ceu": "10",
        "ceus_per_hour": "0.1",
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


def _faq_templates() -> dict[str, str]:
    from pathlib import Path

    import yaml

    domain = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))
    return {
        name: variant["text"]
        for name, variants in domain["responses"].items()
        if name.startswith("utter_faq/")
        for variant in variants
    }


def test_every_faq_answer_follows_an_edited_policy() -> None:
    """60 grace days, other fees, 1.5 CEUs, 3-year cycles, 12 hours per CEU: no stale figure anywhere."""
    from dataclasses import replace
    from decimal import Decimal as D

    policy = load_policy("nasm-cpt")
    edited = replace(
        policy,
        ce_grace_days=60,
        cycle_years=3,
        restore_after_years=2,
        ceus_required=D("1.5"),
        contact_hours_per_ceu=12,
        audit_response_days=45,
        fees=replace(
            policy.fees,
            renewal_standard=D("120.00"),
            late_first_tier=D("40.00"),
            late_second_tier=D("70.00"),
            petition=D("35.00"),
        ),
    )
    answers = {name: text.format(**faq_values(edited)) for name, text in _faq_templates().items()}
    joined = " ".join(answers.values())
    for stale in ("$30", "$50", "$25", "$99", "90", "2.0", "1.9", "1 year", " 10 ", "30 days"):
        assert stale not in joined, stale
    assert "60 days" in answers["utter_faq/miss_deadline"] and "2 years" in answers["utter_faq/miss_deadline"]
    assert "$40.00" in answers["utter_faq/certified_after_expiry"]
    assert "12 contact hours" in answers["utter_faq/ceu_hours"] and "0.08 CEU" in answers["utter_faq/ceu_hours"]
    assert "Every 3 years" in answers["utter_faq/how_often"]
    assert "45 days" in answers["utter_faq/audit_documents"]


def test_general_late_answers_state_the_year_limit_and_the_ce_condition() -> None:
    values = faq_values(load_policy("nasm-cpt"))
    for key in ("utter_faq/miss_deadline", "utter_faq/certified_after_expiry"):
        said = _faq_templates()[key].format(**values)
        assert "1 year after expiration" in said, key
        assert "continuing education was completed by day 90" in said, key


def test_faq_answers_make_no_unsupported_claims() -> None:
    joined = " ".join(_faq_templates().values()).casefold()
    for claim in ("retak", "blended", "is fine", "only through a petition in the nasm portal", "you add yourself"):
        assert claim not in joined, claim
    assert "recertification/renewal department" in _faq_templates()["utter_faq/audit_documents"].casefold()
    assert "course providers page" in _faq_templates()["utter_faq/find_providers"].casefold()


async def test_hours_typed_in_a_ceu_hours_question_are_worked_out_before_the_rule() -> None:
    from actions.faq import contact_hours

    domain = {"responses": {"utter_faq/ceu_hours": [{"text": "A CEU is {hours_per_ceu} contact hours."}]}}
    cases = {
        "i did 5 hours of workshops, how many ceu is that": "5 contact hours is 0.5 CEU.",
        "how many CEUs is 12 hrs?": "12 contact hours is 1.2 CEUs.",
        "7.5 hours of seminars = how many ceus": "7.5 contact hours is 0.75 CEU by the rule; NASM records CEUs in tenths",
    }
    for message, figure in cases.items():
        action = make_action(ActionAnswerFaq, FakeUnitOfWork([]), date(2026, 3, 10))
        d, _ = await run(action, tracker(text=message, intent="faq/ceu_hours"), domain)
        assert d.messages[0]["text"].startswith(figure), message
        assert d.messages[1]["response"] == "utter_faq/ceu_hours"  # the rule still follows
    assert contact_hours("how many hours is a CEU?") is None
    action = make_action(ActionAnswerFaq, FakeUnitOfWork([]), date(2026, 3, 10))
    d, _ = await run(action, tracker(text="how many hours is one CEU?", intent="faq/ceu_hours"), domain)
    assert [m["response"] for m in d.messages] == ["utter_faq/ceu_hours"]


async def test_a_lifetime_plan_late_fee_question_gets_the_trainers_own_fees() -> None:
    from rules.model import Credential, Plan
    from tests.unit.test_actions_support import TRAINER, approved, record

    lifetime = record(ce=[approved("1.9")], credentials=[Credential("nasm-cpt", date(2026, 3, 1), plan=Plan.LIFETIME, certified_on=date(2022, 3, 1))])
    action = make_action(ActionAnswerFaq, FakeUnitOfWork([lifetime]), date(2026, 2, 1))
    message = "certify for life means I dont pay late fees right?"
    d, _ = await run(action, tracker(linked_as=TRAINER, text=message, intent="faq/certify_for_life"))
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "$30.00 from March 2, 2026 to May 30, 2026" in said  # late fees still apply on the plan
    # the plan question without "late" is the plan's rule, as before
    d, _ = await run(action, tracker(linked_as=TRAINER, text="what is certify for life?", intent="faq/certify_for_life"))
    assert d.messages[0]["response"] == "utter_faq/certify_for_life"


async def test_a_cost_question_after_the_own_card_question_is_answered_too() -> None:
    from tests.unit.test_actions_support import TRAINER, approved, record

    rec = record(ce=[approved("1.9")], cards=[])
    action = make_action(ActionAnswerFaq, FakeUnitOfWork([rec]), date(2026, 4, 1))
    message = "do i need a new cpr card, and whats my total cost?"
    d, _ = await run(action, tracker(linked_as=TRAINER, text=message, intent="faq/need_cpr"))
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert "There is no CPR/AED card on your record" in said
    assert "$99.00 renewal fee + a $30.00 late fee = $129.00" in said  # April 1 is in the first late tier


async def test_petition_it_about_a_course_already_petitioned_names_that_petition() -> None:
    from tests.unit.test_actions_support import TRAINER, approved, pending, record

    rec = record(ce=[approved("1.2"), pending("0.3")])
    action = make_action(ActionAnswerFaq, FakeUnitOfWork([rec]), date(2026, 2, 1))
    tr = after_reply(
        "does kettlebell basics count",
        "action_course_counts",
        '"kettlebell basics" isn\'t a preapproved course ... Kettlebell Basics from Some Studio',
        "should I file a petition for it?",
        intent="faq/petition",
    )
    d, _ = await run(action, tr)
    said = " ".join(m.get("text") or "" for m in d.messages)
    assert said.startswith("Your petition on record: Kettlebell Basics from Some Studio")
    assert "second petition" in said and d.messages[0]["buttons"] == [words.handoff_button()]
    # with nothing petitioned named, the general petition answer
    d, _ = await run(action, tracker(linked_as=TRAINER, text="how do I petition a course?", intent="faq/petition"))
    assert d.messages[0]["response"] == "utter_faq/petition"


async def test_the_price_of_a_petition_after_the_petition_answer_is_the_price() -> None:
    from tests.unit.test_actions_support import approved, pending, record

    action = make_action(ActionAnswerFaq, FakeUnitOfWork([record(ce=[approved("1.2"), pending("0.3")])]), date(2026, 2, 1))
    tr = after_reply(
        "can i petition it again?",
        "action_petition_status",
        "Your petition on record: Kettlebell Basics from Some Studio ...",
        "how much is a petition",
        intent="faq/petition",
    )
    d, _ = await run(action, tr)
    assert d.messages[0]["response"] == "utter_faq/petition"


async def test_the_own_card_on_the_day_or_month_of_the_application_is_judged_on_that_day() -> None:
    """The card is judged on the day NASM receives the application: a Red Cross card valid until January 10,
    2027 is good for December, good only to the 10th in January, and no good in February."""
    from tests.unit.action_support import entity
    from tests.unit.test_actions_support import TRAINER, approved, record

    rec = record(ce=[approved("1.9")])  # E = 2026-03-01, late but renewable; card valid to 2027-01-10
    action = make_action(ActionAnswerFaq, FakeUnitOfWork([rec]), date(2026, 12, 1))

    async def ask(message: str, entities: list[dict[str, object]] | None = None) -> str:
        d, _ = await run(action, tracker(linked_as=TRAINER, text=message, intent="faq/need_cpr", entities=entities or []))
        return " ".join(m.get("text") or "" for m in d.messages)

    february = await ask("will my red cross card still be good if i apply in february?")
    assert february.startswith("No. Your CPR/AED card runs out on January 10, 2027: an application NASM receives after")
    january = await ask("is my cpr card still ok if I send the application in January")
    assert january.startswith("Only if NASM receives the application by January 10, 2027.")
    on_the_day = await ask("is my CPR card still valid if I apply on January 10?", [entity("date", "January 10")])
    assert on_the_day.startswith("Yes: your CPR/AED card from American Red Cross is valid until January 10, 2027")
    day_after = await ask("is my CPR card still valid if I apply on January 11?", [entity("date", "January 11")])
    assert day_after.startswith("No. Your CPR/AED card runs out on January 10, 2027")
    # no day asked: the card as it stands today
    assert (await ask("is my cpr card still valid?")).startswith("Yes. ")
    # an expired card is no good whatever the day
    expired = record(ce=[approved("1.9")], cards=[])
    action = make_action(ActionAnswerFaq, FakeUnitOfWork([expired]), date(2026, 12, 1))
    assert (await ask("will my cpr card be ok if I apply in december?")).startswith("No. There is no CPR/AED card")
