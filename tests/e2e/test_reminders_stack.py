"""A real reminder pass against the running stack: `recert remind` asks the running Rasa for the words
(``trigger_intent EXTERNAL_reminder``, no output channel, the reply in the response), delivers them to
the fake Bot API, records the delivery; the trainer's reply continues the same conversation, whose
tracker holds the external event, and is answered from the same record (the gap the reminder named).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from bot.reminders.words import CALENDAR_TITLE, REMINDER_INTENT
from tests.e2e.conftest import Stack
from tests.e2e.test_telegram_stack import ask, link_code

pytestmark = pytest.mark.slow

DANA_ACCOUNT = 5301  # a Telegram account linked to T-1012 through a deep link in the test
NOW = "2026-11-30T17:00:00+00:00"  # 11:00 in Chicago on the demo day: inside T-1012's send window


def tracker(stack: Stack, sender: str) -> dict[str, Any]:
    response = httpx.get(
        f"http://127.0.0.1:{stack.env['RECERT_RASA_PORT']}/conversations/{sender}/tracker",
        params={"token": stack.env["RECERT_RASA_TOKEN"]}, timeout=30,
    )
    response.raise_for_status()
    return dict(response.json())


def test_a_real_pass_words_delivers_and_records_and_the_reply_continues_in_context(stack: Stack) -> None:
    api = stack.fake_api
    linked = ask(api, DANA_ACCOUNT, f"/start {link_code(stack, 'T-1012')}")
    assert linked[0].startswith("You're linked")

    # the plan, with the words the planner expects
    dry = stack.recert("remind", "--dry-run", "--json", "--now", NOW)
    assert dry.returncode == 0, dry.stderr
    planned = {(i["trainer_id"], i["milestone"]): i for i in json.loads(dry.stdout)}
    item = planned[("T-1012", "-90d")]
    assert item["send_at"] == "2026-11-30T11:00:00-06:00"

    # a real pass: Rasa words it, the fake Bot API receives it in the trainer's chat
    before = len(api.messages(DANA_ACCOUNT))
    real = stack.recert("remind", "--now", NOW)
    assert real.returncode == 0, real.stderr
    (reminder,) = api.wait_for_messages(DANA_ACCOUNT, 1, 60.0, before)
    assert reminder.text == item["text"]  # the assistant's words are the planner's words
    assert "You need 1.3 more CEUs by January 31, 2027 to avoid the $30.00 late fee." in reminder.text
    assert [title for title, _ in reminder.buttons] == [CALENDAR_TITLE]

    # recorded, and a second pass sends it no more
    history = stack.recert("reminders", "T-1012")
    assert history.returncode == 0 and "reminders on" in history.stdout
    (row,) = [line for line in history.stdout.splitlines() if " -90d " in line]
    assert " sent " in row
    again = stack.recert("remind", "--now", NOW)
    assert again.returncode == 0, again.stderr
    assert len(api.messages(DANA_ACCOUNT)) == before + 1

    # the reminder is part of the conversation: the tracker holds the external event and the reply
    sender = f"telegram:{DANA_ACCOUNT}"
    events = tracker(stack, sender)["events"]
    external = [i for i, e in enumerate(events)
                if e["event"] == "user" and (e.get("parse_data") or {}).get("intent", {}).get("name") == REMINDER_INTENT]
    assert len(external) == 1, "the reminder's external event is in the tracker once"
    said = [e for e in events[external[0]:] if e["event"] == "bot"]
    assert said and said[0]["text"] == reminder.text
    assert any(e["event"] == "action" and e.get("name") == "action_send_reminder" for e in events[external[0]:])

    # the trainer answers the reminder in their own words: the same conversation goes on, and the answer
    # comes from the same record as the reminder (the same gap)
    reply = "ok thanks, so how many CEUs am I short then?"
    answer = ask(api, DANA_ACCOUNT, reply)
    assert any("1.3 CEUs" in text for text in answer), answer
    events = tracker(stack, sender)["events"]
    after_reminder = events[external[0]:]
    assert not any(e["event"] == "session_started" for e in after_reminder)  # no new session in between
    question = [e for e in after_reminder if e["event"] == "user" and e.get("text") == reply]
    assert len(question) == 1
    reply_texts = [e["text"] for e in events[events.index(question[0]):] if e["event"] == "bot"]
    assert reply_texts[: len(answer)] == answer
