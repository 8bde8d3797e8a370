"""What the conversation said just before this message, from the tracker's events.

A follow-up ("and if they decline it?", "and in April?") leans on the answer before it; the reply
actions between the previous user message and this one say what that answer was about.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from rasa_sdk import Tracker

_NOT_REPLIES = ("action_listen", "action_extract_slots", None)


def previous_reply_actions(tracker: Tracker) -> list[str]:
    """The actions that answered the previous user message, in order (empty for a first message)."""
    events = list(tracker.events or [])
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if len(users) < 2:
        return []
    return [
        str(e.get("name"))
        for e in events[users[-2] + 1 : users[-1]]
        if e.get("event") == "action" and e.get("name") not in _NOT_REPLIES
    ]


def previous_reply_text(tracker: Tracker) -> str:
    """What the assistant said to the previous user message, its messages joined ("" for a first message)."""
    events = list(tracker.events or [])
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if len(users) < 2:
        return ""
    return " ".join(str(e.get("text") or "") for e in events[users[-2] + 1 : users[-1]] if e.get("event") == "bot")


def previous_user_text(tracker: Tracker) -> str:
    """What the trainer said in the message before this one ("" for a first message)."""
    users = [e for e in tracker.events or [] if e.get("event") == "user"]
    return str(users[-2].get("text") or "") if len(users) >= 2 else ""


_RECEIVES_ON = re.compile(r"\breceives on (\w+ \d{1,2}, \d{4})")


def previous_answer_day(tracker: Tracker) -> date | None:
    """The application day the answer just before named ("An application NASM receives on January 13, 2027"),
    so that "actually make that the 12th" is January 12, not the 12th of this month."""
    found = _RECEIVES_ON.search(previous_reply_text(tracker))
    return datetime.strptime(found.group(1), "%B %d, %Y").date() if found else None
