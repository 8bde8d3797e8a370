"""``recert stats`` on a tracker store filled by Rasa's own SQLTrackerStore with scripted
conversations whose figures are known, and tickets in the record store."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.cli import main
from bot.handoff import service
from bot.handoff.stats import compute, read_events
from bot.store.bootstrap import make_engine, make_session_factory
from bot.store.unit_of_work import SqlAlchemyUnitOfWork

DAY1 = datetime(2026, 11, 30, 15, 0, tzinfo=timezone.utc).timestamp()
DAY2 = datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc).timestamp()

# (sender, start, [(text, intent, action), ...]) -- a message and the action that answered it
CONVERSATIONS: list[tuple[str, float, list[tuple[str, str, str]]]] = [
    ("telegram:1", DAY1, [("hi", "greet", "utter_greet"),
                          ("how many CEUs do I need", "ask_ceus_remaining", "action_ceus_remaining")]),
    ("telegram:2", DAY1, [("What's the  weather?", "nlu_fallback", "action_handle_misunderstanding"),
                          ("recommend a pizza place", "out_of_scope", "action_handle_misunderstanding"),
                          ("yes", "affirm", "action_handoff")]),
    ("telegram:3", DAY2, [("I want a refund", "request_refund", "action_offer_handoff"),
                          ("/ask_human", "ask_human", "action_handoff")]),
    ("telegram:4", DAY2, [("EXTERNAL: EXTERNAL_reminder", "EXTERNAL_reminder", "action_send_reminder"),
                          ("what's the weather?", "nlu_fallback", "action_default_fallback")]),
    ("staff-ask:abc", DAY2, [("how much is the late fee", "ask_late_fee", "action_late_fee")]),
]
REASONS = {
    "telegram:2": "accepted the offer of a person; the assistant did not understand twice",
    "telegram:3": "accepted the offer of a person; refund or billing dispute",
}


@pytest.fixture
def stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A var dir holding a record store with two tickets and Rasa's tracker store."""
    monkeypatch.setenv("RECERT_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("RECERT_DATABASE_URL", f"sqlite:///{tmp_path / 'recert.sqlite3'}")
    uow = lambda: SqlAlchemyUnitOfWork(make_session_factory(f"sqlite:///{tmp_path / 'recert.sqlite3'}"))  # noqa: E731
    for sender, start, _ in CONVERSATIONS:
        if sender in REASONS:
            service.open_ticket(uow(), sender, None, REASONS[sender], "", now=datetime.fromtimestamp(start + 60, timezone.utc))
    return tmp_path


async def fill_tracker_store(path: Path) -> None:
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    for sender, start, turns in CONVERSATIONS:
        tracker = DialogueStateTracker(sender, [])
        at = start
        tracker.update(ActionExecuted("action_listen", timestamp=at))
        for text, intent, action in turns:
            at += 10
            tracker.update(UserUttered(text, intent={"name": intent, "confidence": 0.9}, timestamp=at))
            tracker.update(ActionExecuted(action, timestamp=at + 1))
            tracker.update(BotUttered("an answer", timestamp=at + 1))
            tracker.update(ActionExecuted("action_listen", timestamp=at + 2))
        await store.save(tracker)
    store.engine.dispose()


async def test_known_counts(stores: Path, capsys: pytest.CaptureFixture[str]) -> None:
    await fill_tracker_store(stores / "rasa-tracker.sqlite3")
    assert main(["stats", "--json", "--chart", str(stores / "traffic.png")]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert (data["conversations"], data["messages"]) == (4, 8)
    assert (data["handed_off"], data["containment"]) == (2, 0.5)
    assert (data["fallbacks"], data["fallback_rate"]) == (3, 0.375)
    assert data["handoffs"] == {"count": 2, "by_reason": {
        "accepted the offer of a person": 2, "the assistant did not understand twice": 1, "refund or billing dispute": 1}}
    assert data["top_unrecognised"][0] == {"text": "What's the weather?", "count": 2}
    assert {"text": "recommend a pizza place", "count": 1} in data["top_unrecognised"]
    assert {i["intent"]: i["count"] for i in data["top_intents"]}["nlu_fallback"] == 2
    assert "ask_late_fee" not in {i["intent"] for i in data["top_intents"]}  # /ask is not traffic
    assert [(d["day"], d["messages"], d["containment"], d["handoff_rate"]) for d in data["days"]] == [
        ("2026-11-30", 5, 0.5, 0.5), ("2026-12-01", 3, 0.5, 0.5)]
    assert (stores / "traffic.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    assert main(["stats", "--since", "2026-12-01"]) == 0
    out = capsys.readouterr().out
    assert "FAQ traffic, since 2026-12-01:\n2 conversations, 3 messages" in out
    assert "containment 50% (1 of 2 closed without a person)" in out
    assert "  1 refund or billing dispute" in out and "did not understand twice" not in out
    assert "  1x what's the weather?" in out


def test_no_tracker_store_yet_and_a_bad_date(stores: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert read_events(make_engine(f"sqlite:///{stores / 'none.sqlite3'}"), None) == []
    assert compute([], []).containment == 0.0
    assert main(["stats"]) == 0
    assert "0 conversations, 0 messages" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["stats", "--since", "yesterday"])
