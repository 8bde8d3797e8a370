"""The conversation log: the ``events`` table of Rasa's SQL tracker store.

Rasa owns the table (``rasa.core.tracker_store.SQLTrackerStore``: one row per event, with
``sender_id`` and ``timestamp``, a float epoch); the record store never creates or migrates it.
This adapter only deletes from it: a person's conversations (``recert forget``) and old events
(``recert prune``). A tracker store that Rasa has not created yet holds nothing to delete.

Pruning never cuts the current session of a conversation in half: Rasa loads a conversation
from its latest ``session_started`` event on and counts those events to know what to append,
so an old event is deleted only when it lies before its conversation's latest session start,
or when the whole conversation is older than the cutoff.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    func,
    inspect,
    or_,
    select,
)
from sqlalchemy.engine import Engine

SESSION_STARTED = "session_started"
LIKE_ESCAPE = "\\"

EVENTS = Table(
    "events",
    MetaData(),  # not the record store's metadata: Rasa creates this table, Alembic never sees it
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def like_literal(text: str) -> str:
    """``text`` with LIKE's wildcards escaped (use with ``escape=LIKE_ESCAPE``)."""
    return text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


class ConversationLog:
    """Deletes from Rasa's ``events`` table through its own engine."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _exists(self) -> bool:
        return inspect(self._engine).has_table(EVENTS.name)

    def delete_conversations(self, senders: Sequence[str], sender_patterns: Sequence[str] = ()) -> int:
        """Delete every event of these sender ids (and of ids matching the LIKE patterns)."""
        conditions = [EVENTS.c.sender_id.in_(list(senders))] if senders else []
        conditions += [EVENTS.c.sender_id.like(p, escape=LIKE_ESCAPE) for p in sender_patterns]
        if not conditions or not self._exists():
            return 0
        with self._engine.begin() as conn:
            return int(conn.execute(delete(EVENTS).where(or_(*conditions))).rowcount)

    def delete_before(self, cutoff: datetime) -> int:
        """Delete events older than ``cutoff``, sparing the current session of a live conversation."""
        if not self._exists():
            return 0
        before = cutoff.timestamp()
        later = EVENTS.alias("later")
        session_start = (
            select(func.max(later.c.timestamp))
            .where(later.c.sender_id == EVENTS.c.sender_id, later.c.type_name == SESSION_STARTED)
            .scalar_subquery()
        )
        last_event = (
            select(func.max(later.c.timestamp)).where(later.c.sender_id == EVENTS.c.sender_id).scalar_subquery()
        )
        statement = delete(EVENTS).where(
            EVENTS.c.timestamp < before,
            or_(EVENTS.c.timestamp < session_start, last_event < before),
        )
        with self._engine.begin() as conn:
            return int(conn.execute(statement).rowcount)

    def senders(self) -> list[str]:
        """Every sender id with events (for tests and checks)."""
        if not self._exists():
            return []
        with self._engine.connect() as conn:
            return [str(s) for s in conn.execute(select(EVENTS.c.sender_id).distinct()).scalars()]
