"""The migrations build exactly the schema the models describe, and the schema holds its rules."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import sessionmaker

from bot.store.bootstrap import (
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    make_session_factory,
    run_migrations,
)
from bot.store.models import ChannelIdentityRow, CourseRow, CredentialRow, metadata

TABLES = {
    "trainers", "credentials", "ce_records", "cpr_aed_cards", "courses", "providers",
    "applications", "channel_identities", "link_codes", "link_attempts", "handoff_tickets",
    "reminder_deliveries", "button_payloads", "relay_messages",
}


def test_migrations_match_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    run_migrations(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "target_metadata": metadata}
        )
        assert compare_metadata(context, metadata) == []
        assert TABLES <= set(inspect(conn).get_table_names())
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_downgrade_to_base_and_upgrade_again(database_url: str) -> None:
    engine = make_engine(database_url)
    run_migrations(engine)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) & TABLES == set()
    run_migrations(engine)
    with engine.connect() as conn:
        assert TABLES <= set(inspect(conn).get_table_names())
    engine.dispose()


def test_migrating_twice_is_a_no_op(database_url: str) -> None:
    first = make_session_factory(database_url, migrate=True)
    second = make_session_factory(database_url, migrate=True)
    assert current_revision(second.kw["bind"]) == head_revision()
    first.kw["bind"].dispose()
    second.kw["bind"].dispose()


def test_sqlite_file_directory_is_created(tmp_path: Path) -> None:
    target = tmp_path / "var" / "nested" / "recert.sqlite3"
    factory = make_session_factory(f"sqlite:///{target}")
    assert target.is_file()
    factory.kw["bind"].dispose()


def _insert(session_factory: sessionmaker, sql: str, **params: object) -> None:
    with session_factory() as session:
        session.execute(text(sql), params)
        session.commit()


TRAINER = "INSERT INTO trainers (id, name, timezone) VALUES ('T-1', 'Dana', 'UTC')"


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param(
            "INSERT INTO ce_records (trainer_id, title, provider, completed_on, ceus, status)"
            " VALUES ('T-404', 'x', 'y', '2026-01-01', 0.5, 'approved')",
            id="ce record of an unknown trainer",
        ),
        pytest.param(
            "INSERT INTO ce_records (trainer_id, course_id, title, provider, completed_on, ceus, status)"
            " VALUES ('T-1', 'NO-SUCH', 'x', 'y', '2026-01-01', 0.5, 'approved')",
            id="ce record of an unknown course",
        ),
        pytest.param(
            "INSERT INTO ce_records (trainer_id, title, provider, completed_on, ceus, status)"
            " VALUES ('T-1', 'x', 'y', '2026-01-01', -0.1, 'approved')",
            id="negative ceus",
        ),
        pytest.param(
            "INSERT INTO courses (id, title, provider, ceus) VALUES ('C', 't', 'p', -1)",
            id="negative course ceus",
        ),
        pytest.param(
            "INSERT INTO ce_records (trainer_id, title, provider, completed_on, ceus, status)"
            " VALUES ('T-1', 'x', 'y', '2026-01-01', 0.5, 'maybe')",
            id="unknown ce status",
        ),
        pytest.param(
            "INSERT INTO credentials (trainer_id, program, expires_on, plan)"
            " VALUES ('T-1', 'nasm-cpt', '2026-01-01', 'gold')",
            id="unknown plan",
        ),
        pytest.param(
            "INSERT INTO credentials (trainer_id, program, expires_on, plan) VALUES"
            " ('T-1', 'nasm-cpt', '2026-01-01', 'standard'), ('T-1', 'nasm-cpt', '2028-01-01', 'standard')",
            id="two credentials for one program",
        ),
        pytest.param(
            "INSERT INTO credentials (trainer_id, program, certified_on, expires_on, plan)"
            " VALUES ('T-1', 'nasm-cpt', '2026-01-01', '2025-01-01', 'standard')",
            id="expiry before certification",
        ),
        pytest.param(
            "INSERT INTO trainers (id, name, timezone) VALUES ('T-1', 'Again', 'UTC')",
            id="duplicate trainer id",
        ),
        pytest.param(
            "INSERT INTO handoff_tickets (sender, reason, transcript, status, created_at)"
            " VALUES ('x', 'y', '', 'gone', '2026-01-01 00:00:00')",
            id="unknown ticket status",
        ),
        pytest.param(
            "INSERT INTO reminder_deliveries (trainer_id, program, cycle, milestone, due_on, channel,"
            " recipient, state, claimed_at, claimed_by)"
            " VALUES ('T-1', 'nasm-cpt', '2026-03-01', '-30d', '2026-01-30', 'telegram', '42', 'sent',"
            " '2026-01-30 09:00:00', 'a'),"
            " ('T-1', 'nasm-cpt', '2026-03-01', '-30d', '2026-01-31', 'telegram', '42', 'claimed',"
            " '2026-01-31 10:00:00', 'b')",
            id="reminder delivered twice",
        ),
        pytest.param(
            "INSERT INTO reminder_deliveries (trainer_id, program, cycle, milestone, due_on, channel,"
            " recipient, state, claimed_at, claimed_by)"
            " VALUES ('T-1', 'nasm-cpt', '2026-03-01', '-30d', '2026-01-30', 'telegram', '42', 'lost',"
            " '2026-01-30 09:00:00', 'a')",
            id="unknown delivery state",
        ),
    ],
)
def test_schema_refuses_bad_rows(session_factory: sessionmaker, statement: str) -> None:
    _insert(session_factory, TRAINER)
    with pytest.raises(IntegrityError):
        _insert(session_factory, statement)


def test_deleting_a_trainer_deletes_their_rows(session_factory: sessionmaker) -> None:
    _insert(session_factory, TRAINER)
    _insert(
        session_factory,
        "INSERT INTO cpr_aed_cards (trainer_id, provider, expires_on, hands_on)"
        " VALUES ('T-1', 'ARC', '2027-01-01', true)",
    )
    _insert(session_factory, "DELETE FROM trainers WHERE id = 'T-1'")
    with session_factory() as session:
        assert session.execute(text("SELECT count(*) FROM cpr_aed_cards")).scalar_one() == 0


def test_timestamps_are_stored_and_read_as_aware_utc(session_factory: sessionmaker) -> None:
    _insert(session_factory, TRAINER)
    linked = datetime(2026, 3, 1, 9, 30, tzinfo=ZoneInfo("America/Chicago"))
    with session_factory() as session:
        session.add(ChannelIdentityRow(channel="telegram", user_id="42", trainer_id="T-1", linked_at=linked))
        session.commit()
    with session_factory() as session:
        row = session.query(ChannelIdentityRow).one()
        assert row.linked_at == linked
        assert row.linked_at.tzinfo is not None and row.linked_at.utcoffset().total_seconds() == 0
        assert row.linked_at.hour == 15


def test_naive_timestamps_are_refused(session_factory: sessionmaker) -> None:
    _insert(session_factory, TRAINER)
    with session_factory() as session:
        session.add(
            ChannelIdentityRow(
                channel="telegram", user_id="42", trainer_id="T-1", linked_at=datetime(2026, 3, 1)
            )
        )
        with pytest.raises(StatementError, match="timezone-aware"):
            session.commit()


def test_ceus_are_exact_decimals(session_factory: sessionmaker) -> None:
    with session_factory() as session:
        for i, amount in enumerate(["0.1", "0.2", "1.9", "2.0", "999.9", "0.0"]):
            session.add(CourseRow(id=f"C{i}", title="t", provider="p", ceus=Decimal(amount)))
        session.commit()
    with session_factory() as session:
        values = [row.ceus for row in session.query(CourseRow).order_by(CourseRow.id)]
    assert values == [Decimal(v) for v in ["0.1", "0.2", "1.9", "2.0", "999.9", "0.0"]]
    assert all(isinstance(v, Decimal) and v.as_tuple().exponent == -1 for v in values)
    assert values[0] + values[1] == Decimal("0.3")


def test_date_columns_round_trip(session_factory: sessionmaker) -> None:
    _insert(session_factory, TRAINER)
    _insert(
        session_factory,
        "INSERT INTO credentials (trainer_id, program, expires_on, plan)"
        " VALUES ('T-1', 'nasm-cpt', :expires, 'standard')",
        expires=date(2028, 2, 29),
    )
    with session_factory() as session:
        assert session.query(CredentialRow.expires_on).scalar() == date(2028, 2, 29)


def test_processes_starting_together_migrate_once(database_url: str) -> None:
    """Several processes (``recert up`` starts three) migrating one fresh store at the same time."""
    import subprocess
    import sys

    code = (
        "import sys; from bot.store.bootstrap import make_session_factory, current_revision;"
        "f = make_session_factory(sys.argv[1]); print(current_revision(f.kw['bind']))"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, database_url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in results]
    assert {out.strip() for out, _ in results} == {head_revision()}


def test_a_reminder_batch_finds_its_trainers_accounts_by_index(tmp_path: Path) -> None:
    """The planner's per-batch lookup (channel, trainer id range) must not read every identity of the
    channel: that made a pass over a large store grow with its square (docs/benchmark.md)."""
    factory = make_session_factory(f"sqlite:///{tmp_path / 'plan.sqlite3'}")
    engine = factory.kw["bind"]
    with engine.connect() as conn:
        plan = conn.execute(text(
            "EXPLAIN QUERY PLAN SELECT trainer_id, user_id FROM channel_identities "
            "WHERE trainer_id BETWEEN 'T-1' AND 'T-2' AND channel = 'telegram'"
        )).all()
    engine.dispose()
    assert any("ix_channel_identities_channel_trainer_id" in str(row[-1]) for row in plan), plan
