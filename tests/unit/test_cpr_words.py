"""The CPR/AED wording: every figure and provider from the policy, nothing typed into a sentence."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

import pytest

from actions.cpr_words import (
    cpr_card_verdict_text,
    cpr_mention,
    cpr_providers_text,
    cpr_requirement_text,
)
from rules.policy import AcceptedProvider, load_policy

POLICY = load_policy()
# An edited policy: other CEU figures and other accepted providers. No sentence may keep the old ones.
EDITED = replace(
    POLICY,
    ceus_required=Decimal("1.5"),
    cpr_aed_ceus=Decimal("0.3"),
    cpr_aed_accepted_providers=(
        AcceptedProvider("Lifesaving Guild", ("Guild",)),
        AcceptedProvider("Harbour Rescue Society", ("HRS",)),
    ),
)


def numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?", text))


@pytest.mark.parametrize(
    "message, first_aid_only, advanced, hands_on, provider",
    [
        ("does my Red Cross CPR class count?", False, False, None, "Red Cross"),
        ("I took a BLS course with AHA, does it count?", False, True, None, "AHA"),
        ("does a first aid course count as a CEU?", True, False, None, None),
        ("will my CPR/AED course from Bob's Safety School count?", False, False, None, "Bob's Safety School"),
        ("online CPR from ProCPR counts?", False, False, False, "ProCPR"),
        ("my heartsaver had an in-person skills session", False, False, True, None),
        ("blended AED class with the online part first", False, False, None, None),
        ("it was first aid, cpr and aed, hands-on", False, False, True, None),
        ("aha, so does adult cpr count", False, False, None, None),  # "aha" the word, not the provider
    ],
)
def test_what_a_message_says_about_a_cpr_class(message, first_aid_only, advanced, hands_on, provider) -> None:
    mention = cpr_mention(message, policy=POLICY)
    assert mention is not None
    assert (mention.first_aid_only, mention.advanced, mention.hands_on, mention.provider) == (
        first_aid_only, advanced, hands_on, provider,
    )


@pytest.mark.parametrize(
    "message", ["does the corrective exercise specialist count", "is ACE approved", "precision nutrition", "", None]
)
def test_messages_about_other_things_are_not_cpr(message) -> None:
    assert cpr_mention(message, policy=POLICY) is None


def test_a_name_from_the_nlu_is_looked_at_too() -> None:
    assert cpr_mention("does it count?", "Adult CPR/AED") is not None


@pytest.mark.parametrize("policy", [POLICY, EDITED], ids=["policy", "edited policy"])
def test_every_figure_and_provider_comes_from_the_policy(policy) -> None:
    texts = [
        cpr_requirement_text(policy),
        cpr_providers_text(policy),
        cpr_card_verdict_text(policy, "Bob's Safety School"),
        cpr_card_verdict_text(policy, None, False),
        cpr_card_verdict_text(policy, None, first_aid_only=True),
        cpr_card_verdict_text(policy, policy.cpr_aed_accepted_providers[0].aliases[0], True, advanced=True),
    ]
    allowed = {str(policy.cpr_aed_ceus), str(policy.ceus_required)}
    for text in texts:
        assert numbers(text) <= allowed, text
    assert str(policy.cpr_aed_ceus) in texts[0] and str(policy.ceus_required) in texts[0]
    for provider in policy.cpr_aed_accepted_providers:
        assert provider.name in texts[1]
    other = EDITED if policy is POLICY else POLICY
    for provider in other.cpr_aed_accepted_providers:
        assert all(provider.name not in text for text in texts)


def test_accepted_provider_by_alias() -> None:
    text = cpr_card_verdict_text(POLICY, "Red Cross")
    assert text.startswith("American Red Cross is one of the CPR/AED providers NASM accepts.")
    assert "member services" not in text  # nothing to confirm
    assert "hands-on skills part" in text


def test_unknown_provider_needs_member_services() -> None:
    text = cpr_card_verdict_text(POLICY, "Bob's Safety School")
    assert text.startswith("Bob's Safety School isn't one of the providers NASM names as accepted")
    assert "confirm it with NASM member services" in text
    assert "American Red Cross, American Heart Association, ASTI and Emergency Care & Safety Institute" in text


def test_online_only_is_not_accepted_whoever_the_provider() -> None:
    text = cpr_card_verdict_text(POLICY, "American Red Cross", False)
    assert text.startswith("No: an online-only CPR/AED course is not accepted.")
    assert text.count("online-only") == 1
    assert "hands-on skills part" in text


def test_first_aid_alone_is_neither_cpr_nor_a_course() -> None:
    text = cpr_card_verdict_text(POLICY, None, first_aid_only=True)
    assert text.startswith("First aid on its own is not CPR/AED")
    assert "gives no CEUs" in text
    assert "petition" not in text.split("needs no petition")[0]  # no petition offered for first aid
    assert "however many" not in text


def test_bls_covers_it_and_adds_nothing() -> None:
    text = cpr_card_verdict_text(POLICY, "AHA", advanced=True)
    assert "A BLS card covers the requirement" in text
    assert "adds nothing more" in text
    assert text.count(str(POLICY.cpr_aed_ceus)) == 1  # the figure once


