"""What the rasa-sdk action tests share: run an action for the linked trainer (or an unlinked chat)
over a fake store holding one record, on a frozen day, and read what it said.

Each tests/unit/test_actions_*.py used to repeat the same import list of ``test_actions_support`` and
the same few lines building the action, its unit of work and the tracker; they import from here. The
fakes themselves stay in ``test_actions_support`` (re-exported here for the action tests).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from rules.model import TrainerRecord
from tests.unit.test_actions_support import (
    COMPLETE,
    CPT,
    PARTIAL,
    TRAINER,
    FakeUnitOfWork,
    approved,
    entity,
    make_action,
    pending,
    record,
    run,
    text,
    texts,
    tracker,
)

__all__ = [
    "COMPLETE",
    "Events",
    "CPT",
    "PARTIAL",
    "TRAINER",
    "FakeUnitOfWork",
    "after_reply",
    "answer",
    "approved",
    "entity",
    "make_action",
    "pending",
    "record",
    "run",
    "said",
    "text",
    "texts",
    "tracker",
]

Events = list[dict[str, Any]]


async def answer(
    cls: type,
    rec: TrainerRecord | None,
    today: date,
    *,
    linked: bool = True,
    fixture: str = "user_message",
    domain: dict[str, Any] | None = None,
    uow: FakeUnitOfWork | None = None,
    action_kwargs: dict[str, Any] | None = None,
    **tracker_kwargs: Any,
) -> tuple[CollectingDispatcher, Events]:
    """Run ``cls`` on ``today`` over a store holding ``rec`` (none: an empty store) for the chat linked
    to ``TRAINER`` (``linked=False``: an unlinked chat); ``tracker_kwargs`` go to ``tracker`` (``text``,
    ``intent``, ``entities``, ``slots``, ...)."""
    store = uow if uow is not None else FakeUnitOfWork([rec] if rec is not None else [])
    action = make_action(cls, store, today, **(action_kwargs or {}))
    return await run(action, tracker(fixture, linked_as=TRAINER if linked else None, **tracker_kwargs), domain)


async def said(cls: type, rec: TrainerRecord | None, today: date, **kwargs: Any) -> str:
    """What :func:`answer` said, its messages joined."""
    dispatcher, _ = await answer(cls, rec, today, **kwargs)
    return text(dispatcher)


def after_reply(previous: str, action: str, reply: str, message: str, **tracker_kwargs: Any) -> Tracker:
    """A tracker for ``message`` right after ``action`` answered ``previous`` with ``reply`` (the follow-up
    tests: "and if they decline it?" after the petition answer); linked to ``TRAINER`` unless told otherwise."""
    tracker_kwargs.setdefault("linked_as", TRAINER)
    tr = tracker(text=message, **tracker_kwargs)
    tr.events = [
        {"event": "user", "text": previous},
        {"event": "action", "name": action},
        {"event": "bot", "text": reply},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": message},
    ]
    return tr
