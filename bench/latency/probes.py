"""Where a message's time goes: NLU alone, the action server alone, the tracker store.

The end-to-end figure of one REST message is roughly NLU (``/model/parse`` runs the same
pipeline the REST channel does) + dialogue policies + one action server round trip per
custom action + loading and saving the tracker. The probes below time the parts that
can be called on their own, on both bots where they exist:

- ``/model/parse`` for every scripted message (NLU only, no tracker, no policies);
- the action server's ``/webhook`` called directly with the tracker and domain Rasa would
  send, for each custom action of our script (the action's own work: identity check,
  record store, rules engine, wording, plus the HTTP and JSON of a big tracker), and for
  ``action_handle_misunderstanding``, the cheapest one (it touches no record);
- ``GET /conversations/<id>/tracker`` (a tracker store read plus serialisation; ours is
  SQL on SQLite, the plain bot keeps trackers in memory).

Messages that need no custom action (greeting, thanks) versus those that do, end to end,
come from the measured phases themselves (per-step figures in the report).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping, Sequence
from importlib.metadata import version
from typing import Any
from urllib.parse import quote

import httpx

from .driver import Target, run_sequential
from .scripts import OUR_ACTION_OF_STEP, Conversation
from .stats import percentile

FLOOR_ACTION = "action_handle_misunderstanding"


def _ms_summary(values: Sequence[float]) -> dict[str, float]:
    return {"p50_ms": round(percentile(values, 50), 2), "p95_ms": round(percentile(values, 95), 2),
            "max_ms": round(max(values), 2), "n": len(values)}


def _path(sender: str) -> str:
    """The sender id as a path segment. Rasa's ``<conversation_id:path>`` route does not
    percent-decode, so ``bench%3A...`` would name a different (new, empty) conversation:
    the colon of ``<channel>:<id>`` senders must stay as it is."""
    return quote(sender, safe=":")


def _params(target: Target) -> dict[str, str]:
    return {"token": target.token} if target.token else {}


async def nlu_parse(target: Target, texts: Sequence[str], repeats: int) -> dict[str, Any]:
    """``/model/parse`` latency of each text (``repeats`` times, one at a time) and overall."""
    per_text: dict[str, list[float]] = {text: [] for text in texts}
    intents: dict[str, str] = {}
    async with httpx.AsyncClient(base_url=target.base_url, timeout=60) as http:
        for _ in range(repeats):
            for text in texts:
                started = time.perf_counter()
                response = await http.post("/model/parse", json={"text": text}, params=_params(target))
                per_text[text].append((time.perf_counter() - started) * 1000.0)
                response.raise_for_status()
                intents[text] = str((response.json().get("intent") or {}).get("name"))
    everything = [v for values in per_text.values() for v in values]
    return {
        "overall": _ms_summary(everything),
        "per_text": {text: {**_ms_summary(v), "intent": intents.get(text)} for text, v in per_text.items()},
    }


async def tracker_fetch(target: Target, sender: str, repeats: int) -> dict[str, Any]:
    """``GET /conversations/<sender>/tracker`` latency: tracker store read + JSON."""
    values = []
    async with httpx.AsyncClient(base_url=target.base_url, timeout=60) as http:
        for _ in range(repeats):
            started = time.perf_counter()
            response = await http.get(f"/conversations/{_path(sender)}/tracker",
                                      params=_params(target))
            values.append((time.perf_counter() - started) * 1000.0)
            response.raise_for_status()
    return _ms_summary(values)


async def action_server(
    target: Target, action_url: str, conversation: Conversation, repeats: int
) -> dict[str, Any]:
    """Each custom action of the script run directly on the action server.

    The request is the one Rasa builds (``next_action``, ``sender_id``, the full tracker
    state, the domain, the Rasa version) with the conversation's tracker as it was right
    after the question that triggers the action (Rasa's ``?until=``), so the latest message
    is that question with its entities and its freshly signed identity, and the action
    answers from the trainer's record as it did in the conversation.
    """
    async with httpx.AsyncClient(base_url=target.base_url, timeout=60) as http:
        tracker_url = f"/conversations/{_path(conversation.sender)}/tracker"
        full = await http.get(tracker_url, params={**_params(target), "include_events": "ALL"})
        full.raise_for_status()
        events = full.json().get("events") or []
        domain_response = await http.get("/domain", params=_params(target),
                                         headers={"Accept": "application/json"})
        domain_response.raise_for_status()
        domain = domain_response.json()
        result: dict[str, Any] = {"tracker_events": len(events)}
        # Until fe09413 a custom slot mapping made Rasa run this one on every user message;
        # it stays as the floor: an action server round trip that does almost nothing.
        calls = [*OUR_ACTION_OF_STEP.items(), (0, FLOOR_ACTION)]
        for step, action in calls:
            until = _after_user_message(events, conversation.messages[step])
            response = await http.get(tracker_url, params={
                **_params(target), "include_events": "ALL", "until": str(until)})
            response.raise_for_status()
            tracker = response.json()
            body = {"next_action": action, "sender_id": conversation.sender, "tracker": tracker,
                    "domain": domain, "version": version("rasa")}
            values = []
            for _ in range(repeats):
                started = time.perf_counter()
                answer = await http.post(action_url, json=body)
                values.append((time.perf_counter() - started) * 1000.0)
                answer.raise_for_status()
            messages = answer.json().get("responses") or [{}]
            reply = str(messages[0].get("text") or "")
            result[action] = {**_ms_summary(values), "tracker_events": len(tracker.get("events") or []),
                              "reply": reply[:100]}
        return result


def _after_user_message(events: Sequence[Mapping[str, Any]], text: str) -> float:
    """The timestamp of the last event that belongs to the user message ``text`` (its slot
    and featurization events), i.e. just before the bot's first action in reply."""
    for index, event in enumerate(events):
        if event.get("event") == "user" and event.get("text") == text:
            last = float(event["timestamp"])
            for later in events[index + 1:]:
                if later.get("event") == "action":
                    break
                last = float(later.get("timestamp", last))
            return last
    raise RuntimeError(f"no user message {text!r} in the profiled conversation")


async def profile_bot(
    target: Target,
    conversation: Conversation,
    repeats: int,
    action_url: str | None = None,
) -> dict[str, Any]:
    """All probes of one bot: run one fresh conversation first, so its tracker exists."""
    await run_sequential(target, [conversation])
    result: dict[str, Any] = {
        "nlu_parse": await nlu_parse(target, conversation.messages, repeats),
        "tracker_fetch": await tracker_fetch(target, conversation.sender, repeats),
    }
    if action_url is not None:
        result["action_server"] = await action_server(target, action_url, conversation, repeats)
    return result


def run_profile(target: Target, conversation: Conversation, repeats: int,
                action_url: str | None = None) -> dict[str, Any]:
    return asyncio.run(profile_bot(target, conversation, repeats, action_url))
