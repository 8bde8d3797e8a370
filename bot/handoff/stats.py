"""FAQ traffic from Rasa's tracker store: where the conversations go, and what to teach next.

Reads the ``events`` table (``bot.store.conversations.EVENTS``: one row per event, ``sender_id``,
``type_name``, ``timestamp`` as epoch seconds, ``intent_name``, ``action_name``, ``data`` JSON) and
the record store's tickets for the reasons. Definitions (``recert stats --help`` says the same):

- a *conversation* is a sender with at least one message in the period; senders of ``/ask``
  (``staff-ask:``) and messages our services inject (``EXTERNAL: ...``) are left out;
- *messages*: what trainers sent (typed or a button);
- *containment*: the share of conversations never handed to a person (``action_handoff``);
- *fallback rate*: the share of messages the assistant did not understand: NLU fallback, or
  answered by ``action_default_fallback`` / ``action_handle_misunderstanding``;
- *handoffs*: tickets opened in the period, by reason (a ticket with several reasons counts once
  under each); *handoff rate*: handed-off conversations over conversations.
"""

from __future__ import annotations

import io
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, select
from sqlalchemy.engine import Engine

from bot.handoff.conversations import ASK_SENDER_PREFIX
from bot.store.conversations import EVENTS

if TYPE_CHECKING:
    from bot.composition import UowFactory
    from bot.store.unit_of_work import UnitOfWork

FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTIONS = frozenset({"action_default_fallback", "action_handle_misunderstanding"})
HANDOFF_ACTION = "action_handoff"
EXTERNAL_PREFIX = "EXTERNAL: "
TOP = 10


@dataclass(frozen=True)
class Day:
    day: date
    conversations: int
    messages: int
    containment: float
    handoff_rate: float


@dataclass(frozen=True)
class Traffic:
    since: date | None
    conversations: int
    messages: int
    contained: int
    containment: float
    fallbacks: int
    fallback_rate: float
    handed_off: int
    handoff_rate: float
    handoffs: dict[str, Any]  # {"count": n, "by_reason": {reason: n}}
    top_unrecognised: list[dict[str, Any]]  # [{"text", "count"}]
    top_intents: list[dict[str, Any]]  # [{"intent", "count"}]
    days: list[Day] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["since"] = self.since.isoformat() if self.since else None
        data["days"] = [{**asdict(d), "day": d.day.isoformat()} for d in self.days]
        return data


@dataclass
class _Message:
    sender: str
    day: date
    text: str
    intent: str | None
    unrecognised: bool = False


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def read_events(engine: Engine, since: date | None) -> list[dict[str, Any]]:
    """The events from ``since`` (UTC midnight) on, in order; none when Rasa has no table yet."""
    if not inspect(engine).has_table(EVENTS.name):
        return []
    statement = select(
        EVENTS.c.sender_id, EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.intent_name,
        EVENTS.c.action_name, EVENTS.c.data,
    ).order_by(EVENTS.c.sender_id, EVENTS.c.id)
    if since is not None:
        statement = statement.where(EVENTS.c.timestamp >= datetime.combine(since, time(), timezone.utc).timestamp())
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(statement)]


def compute(events: Iterable[dict[str, Any]], ticket_reasons: Iterable[str], since: date | None = None) -> Traffic:
    """The traffic figures from tracker events (in order per sender) and the period's ticket reasons."""
    messages: list[_Message] = []
    handed_off: dict[str, date] = {}
    last: dict[str, _Message] = {}
    for event in events:
        sender = str(event["sender_id"])
        if sender.startswith(ASK_SENDER_PREFIX):
            continue
        when = datetime.fromtimestamp(float(event["timestamp"] or 0), timezone.utc).date()
        if event["type_name"] == "user":
            text = str(_data(event).get("text") or "")
            if text.startswith(EXTERNAL_PREFIX):
                last.pop(sender, None)
                continue
            message = _Message(sender, when, text, event["intent_name"])
            message.unrecognised = message.intent == FALLBACK_INTENT
            messages.append(message)
            last[sender] = message
        elif event["type_name"] == "action":
            action = event["action_name"]
            if action in FALLBACK_ACTIONS and sender in last:
                last[sender].unrecognised = True
            if action == HANDOFF_ACTION:
                handed_off.setdefault(sender, when)
            if action not in ("action_listen", None):
                last.pop(sender, None)  # only the first answer to a message tells

    senders = {m.sender for m in messages}
    off = {s for s in handed_off if s in senders}
    unrecognised = [m for m in messages if m.unrecognised]
    reasons: Counter[str] = Counter()
    tickets = 0
    for reason in ticket_reasons:
        tickets += 1
        reasons.update({part.strip() for part in reason.split(";") if part.strip()})
    shown: dict[str, str] = {}
    for m in unrecognised:
        shown.setdefault(_key(m.text), " ".join(m.text.split()))
    return Traffic(
        since=since,
        conversations=len(senders),
        messages=len(messages),
        contained=len(senders) - len(off),
        containment=_rate(len(senders) - len(off), len(senders)),
        fallbacks=len(unrecognised),
        fallback_rate=_rate(len(unrecognised), len(messages)),
        handed_off=len(off),
        handoff_rate=_rate(len(off), len(senders)),
        handoffs={"count": tickets, "by_reason": dict(reasons.most_common())},
        top_unrecognised=[
            {"text": shown[key], "count": count}
            for key, count in Counter(_key(m.text) for m in unrecognised).most_common(TOP)
        ],
        top_intents=[
            {"intent": intent, "count": count}
            for intent, count in Counter(m.intent or "(none)" for m in messages).most_common(TOP)
        ],
        days=_days(messages, handed_off),
    )


def _days(messages: list[_Message], handed_off: dict[str, date]) -> list[Day]:
    by_day: dict[date, list[_Message]] = defaultdict(list)
    for m in messages:
        by_day[m.day].append(m)
    days = []
    for day in sorted(by_day):
        senders = {m.sender for m in by_day[day]}
        off = {s for s in senders if handed_off.get(s) == day}
        days.append(Day(day, len(senders), len(by_day[day]), _rate(len(senders) - len(off), len(senders)),
                        _rate(len(off), len(senders))))
    return days


def _data(event: dict[str, Any]) -> dict[str, Any]:
    try:
        data = json.loads(event.get("data") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def format_summary(t: Traffic) -> str:
    period = f"since {t.since.isoformat()}" if t.since else "all time"
    lines = [
        f"FAQ traffic, {period}:",
        f"{t.conversations} conversations, {t.messages} messages",
        f"containment {t.containment:.0%} ({t.contained} of {t.conversations} closed without a person)",
        f"fallback rate {t.fallback_rate:.0%} ({t.fallbacks} of {t.messages} messages not understood)",
        f"handoffs {t.handoffs['count']} (handoff rate {t.handoff_rate:.0%})",
    ]
    lines += [f"  {count} {reason}" for reason, count in t.handoffs["by_reason"].items()]
    if t.top_unrecognised:
        lines.append("Top unrecognised messages (teach these next):")
        lines += [f"  {u['count']}x {u['text']}" for u in t.top_unrecognised]
    if t.top_intents:
        lines.append("Top intents:")
        lines += [f"  {i['count']}x {i['intent']}" for i in t.top_intents]
    return "\n".join(lines)


def chart_png(t: Traffic) -> bytes:
    """Messages per day (bars) with containment and handoff rates (lines), as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4), dpi=100)
    ax = figure.add_subplot(1, 1, 1)
    labels = [d.day.isoformat() for d in t.days] or ["(no messages)"]
    positions = range(len(labels))
    ax.bar(positions, [d.messages for d in t.days] or [0], color="#9db4d3", label="messages")
    ax.set_ylabel("messages per day")
    ax.set_xticks(list(positions))
    ax.set_xticklabels(labels, rotation=45, ha="right", fontsize=8)
    rates = ax.twinx()
    containment = [d.containment * 100 for d in t.days] or [0]
    rates.plot(positions, containment, color="#2a7f3f", marker="o", label="containment %")
    rates.plot(positions, [d.handoff_rate * 100 for d in t.days] or [0], color="#c0392b", marker="o", label="handoff %")
    rates.set_ylim(0, 100)
    rates.set_ylabel("% of conversations")
    handles = ax.get_legend_handles_labels()[0] + rates.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], loc="upper left", fontsize=8)
    ax.set_title(f"FAQ traffic: containment {t.containment:.0%}, fallback rate {t.fallback_rate:.0%}")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def traffic(tracker_engine: Engine, uow: UnitOfWork, since: date | None) -> Traffic:
    """The use case: events from the tracker store, reasons from the tickets."""
    events = read_events(tracker_engine, since)
    with uow:
        start = datetime.combine(since, time(), timezone.utc) if since else None
        reasons = [ticket.reason for ticket in uow.handoff.list_since(start)]
    return compute(events, reasons, since)


def traffic_for(settings: Any, since: date | None, uow_factory: UowFactory | None = None) -> Traffic:
    """:func:`traffic` on the settings' tracker store and record store."""
    from bot.composition import build
    from bot.stack.runtime_config import tracker_store_url
    from bot.store.bootstrap import make_engine

    engine = make_engine(tracker_store_url(settings))
    try:
        return traffic(engine, (uow_factory or build(settings))(), since)
    finally:
        engine.dispose()


def summary_and_chart(settings: Any) -> tuple[str, bytes | None]:
    """What ``/stats`` answers in the staff group: the all-time summary and its chart."""
    result = traffic_for(settings, None)
    return format_summary(result), chart_png(result)
