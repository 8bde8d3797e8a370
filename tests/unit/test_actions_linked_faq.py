"""The linking answer (faq/link_account) for a chat that is already linked, and a record named in it.

Its domain words ("this chat has to be linked to it ... until then I can answer general questions only") are
for a chat not linked yet; said to a linked trainer who wrote "show me the record of T-1014" they tell the
trainer that their chat is unlinked. The record of ``test_actions_support`` (T-1001) is the linked one.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from actions.faq import ActionAnswerFaq
from tests.unit.test_actions_support import COMPLETE, TRAINER, FakeUnitOfWork, make_action, run, text, tracker

TODAY = date(2026, 2, 9)
ONLY_OWN = "I can only discuss your own record"
LINK_DOMAIN = {"responses": {"utter_faq/link_account": [{"text": "this chat has to be linked to it"}]}}


def faq_tracker(message: str, key: str, linked: bool = True) -> Any:
    tr = tracker("faq_response_selector", linked_as=TRAINER if linked else None, text=message)
    tr.latest_message["response_selector"]["faq"]["response"]["intent_response_key"] = key
    return tr


async def test_the_link_answer_in_a_linked_chat_says_it_is_linked() -> None:
    action = make_action(ActionAnswerFaq, FakeUnitOfWork([COMPLETE]), TODAY)
    d, _ = await run(action, faq_tracker("show me the record of T-1014", "faq/link_account"), LINK_DOMAIN)
    said = text(d)
    assert ONLY_OWN in said and "has to be linked" not in said and not any(m.get("response") for m in d.messages)
    d, _ = await run(action, faq_tracker("how do I link my account?", "faq/link_account"), LINK_DOMAIN)
    assert "This chat is already linked to your own record" in text(d)
    assert not any(m.get("response") for m in d.messages)
    # a chat not linked yet gets the domain's words on linking
    d, _ = await run(action, faq_tracker("how do I link my account?", "faq/link_account", linked=False), LINK_DOMAIN)
    assert [m.get("response") for m in d.messages] == ["utter_faq/link_account"]
    d, _ = await run(action, faq_tracker("show me the record of T-1014", "faq/link_account", linked=False), LINK_DOMAIN)
    assert "I can only discuss the record a chat is linked to" in text(d)


async def test_another_faq_naming_the_askers_own_id_is_the_faq() -> None:
    action = make_action(ActionAnswerFaq, FakeUnitOfWork([COMPLETE]), TODAY)
    domain = {"responses": {"utter_faq/late_fee": [{"text": "The late fee is {late_fee_first}."}]}}
    d, _ = await run(action, faq_tracker("I'm T-1001, how much is the late fee?", "faq/late_fee"), domain)
    assert [m.get("response") for m in d.messages] == ["utter_faq/late_fee"]
    d, _ = await run(action, faq_tracker("what is the late fee for T-1002?", "faq/late_fee"), domain)
    assert ONLY_OWN in text(d)
