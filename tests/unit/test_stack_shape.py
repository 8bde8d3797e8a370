"""The production shape of the stack, fast: settings, the endpoints Rasa gets, the HAProxy config, the refusals.

The stack itself (two Rasa instances behind HAProxy, one killed under load) is
``tests/e2e/test_balanced_stack.py`` (slow).
"""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pytest
from rasa.core.lock_store import RedisLockStore
from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy.engine import make_url

from bot.cli import main as recert_main
from bot.errors import ConfigError
from bot.settings import Settings, effective_values, load_settings
from bot.stack import balancer, supervisor
from bot.stack.errors import StartFailed
from bot.stack.runtime_config import endpoints_config, lock_store_config, tracker_store_config, tracker_store_url


def settings_for(tmp_path: Path, **env: str) -> Settings:
    return load_settings({"RECERT_VAR_DIR": str(tmp_path), **env})


# --- settings ------------------------------------------------------------------------------


def test_defaults_are_one_instance_no_lock_store_tracker_follows_the_record_store(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, RECERT_DATABASE_URL="postgresql+psycopg2://u:pw@db:5432/recert")
    assert settings.rasa_instances == 1
    assert settings.lock_store_url is None
    assert tracker_store_url(settings) == "postgresql+psycopg2://u:pw@db:5432/recert"
    assert "lock_store" not in endpoints_config(settings)


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("RECERT_RASA_INSTANCES", "0", "from 1 to 16"),
        ("RECERT_RASA_INSTANCES", "two", "from 1 to 16"),
        ("RECERT_LOCK_STORE_URL", "127.0.0.1:6379", "Redis URL"),
        ("RECERT_TRACKER_STORE_URL", "not a url", "SQLAlchemy database URL"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(tmp_path: Path, variable: str, value: str, says: str) -> None:
    with pytest.raises(ConfigError, match=variable) as raised:
        settings_for(tmp_path, **{variable: value})
    assert says in str(raised.value)


def test_recert_config_hides_the_passwords_of_the_new_urls(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path,
        RECERT_LOCK_STORE_URL="redis://:s3cret-redis@cache:6379/2",
        RECERT_TRACKER_STORE_URL="postgresql+psycopg2://rasa:s3cret-pg@db/rasa?sslmode=require",
        RECERT_RASA_INSTANCES="3",
    )
    shown = {name: value for name, value, _ in effective_values(settings)}
    assert shown["RECERT_RASA_INSTANCES"] == "3"
    assert shown["RECERT_LOCK_STORE_URL"] == "redis://:***@cache:6379/2"
    assert "s3cret" not in shown["RECERT_TRACKER_STORE_URL"]
    assert "sslmode=require" in shown["RECERT_TRACKER_STORE_URL"]


# --- the endpoints Rasa gets ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg2://rasa:pw@db.internal:6432/recert?sslmode=require",
        "postgresql+psycopg2://rasa@/recert?host=/var/run/postgresql",
        "postgresql+psycopg2://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dtest_abc",
    ],
)
def test_tracker_store_url_reaches_rasa_whole_query_included(tmp_path: Path, url: str) -> None:
    settings = settings_for(tmp_path, RECERT_TRACKER_STORE_URL=url, RECERT_DATABASE_URL="sqlite:////x.db")
    config = tracker_store_config(settings)
    assert config["type"] == "SQL"
    # What Rasa 3.6's SQLTrackerStore builds from the endpoint config is the URL we were given.
    kwargs = {k: v for k, v in config.items() if k not in ("type", "url")}
    built = SQLTrackerStore.get_db_url(host=config.get("url"), **kwargs)
    assert make_url(str(built)) == make_url(url)


def test_sqlite_record_store_keeps_the_tracker_in_a_file_of_its_own(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    assert tracker_store_config(settings) == {
        "type": "SQL", "dialect": "sqlite", "db": str(tmp_path / "rasa-tracker.sqlite3")
    }


def test_lock_store_url_becomes_rasas_redis_lock_store(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, RECERT_LOCK_STORE_URL="redis://:pw@cache.internal:6380/3?key_prefix=recert")
    config = endpoints_config(settings)["lock_store"]
    assert config == {
        "type": "redis", "url": "cache.internal", "port": 6380, "db": 3, "password": "pw", "key_prefix": "recert"
    }
    # Rasa's own class takes exactly these arguments (it connects lazily, so no Redis is needed here).
    store = RedisLockStore(host=config["url"], **{k: v for k, v in config.items() if k not in ("type", "url")})
    assert store.key_prefix == "recert:lock:"
    assert store.red.connection_pool.connection_kwargs["db"] == 3


def test_tls_and_defaults_of_the_lock_store_url() -> None:
    assert lock_store_config("rediss://cache") == {
        "type": "redis", "url": "cache", "port": 6379, "db": 0, "use_ssl": True
    }
    with pytest.raises(ConfigError, match="key_prefix"):
        lock_store_config("redis://cache/0?key_prefix=not-alnum")


# --- the balancer ----------------------------------------------------------------------------


def test_two_instances_get_their_own_ports_and_the_balancer_takes_the_rasa_port(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, RECERT_RASA_INSTANCES="2", RECERT_RASA_PORT="7000")
    assert [(i.name, i.port) for i in supervisor.rasa_instances(settings)] == [("rasa-1", 7001), ("rasa-2", 7002)]
    assert supervisor.part_names(settings) == ["actions", "rasa-1", "rasa-2", "balancer", "gateway", "reminders"]
    assert supervisor.actions_env(settings, {})["ACTION_SERVER_SANIC_WORKERS"] == "2"
    one = settings_for(tmp_path)
    assert [(i.name, i.port) for i in supervisor.rasa_instances(one)] == [("rasa", 5005)]
    assert "balancer" not in supervisor.part_names(one)


def test_the_rendered_haproxy_config_is_valid_and_balances_over_every_instance(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, RECERT_RASA_INSTANCES="2", RECERT_RASA_PORT="7000")
    config = supervisor.write_balancer_config(settings, tmp_path / "run")
    text = config.read_text()
    assert "bind 127.0.0.1:7000" in text
    assert "server rasa-1 127.0.0.1:7001 check" in text and "server rasa-2 127.0.0.1:7002 check" in text
    assert "retry-on conn-failure empty-response" in text and "option redispatch" in text
    assert '"/status?token=${RECERT_RASA_TOKEN}"' in text  # the token stays in the environment
    assert settings.rasa_token not in text
    assert config.stat().st_mode & 0o077 == 0
    haproxy = balancer.find_haproxy()  # CI installs it (.ci/run); the message says how otherwise
    result = subprocess.run(
        [haproxy, "-c", "-f", str(config)], env={"RECERT_RASA_TOKEN": "t"}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_balancer_config_command_renders_the_same_template_for_other_hosts(capsys: pytest.CaptureFixture[str]) -> None:
    code = recert_main(
        ["balancer-config", "--bind", "0.0.0.0:5005", "--server", "rasa-a=10.0.0.11:5005",
         "--server", "rasa-b=10.0.0.12:5005", "--user", "haproxy"]
    )
    text = capsys.readouterr().out
    assert code == 0
    assert "bind 0.0.0.0:5005" in text and "user haproxy" in text
    assert "server rasa-a 10.0.0.11:5005 check" in text and "server rasa-b 10.0.0.12:5005 check" in text
    assert text.startswith("# HAProxy in front of the Rasa servers")


# --- refusals: before anything starts ----------------------------------------------------------


def _must_not_run(settings: Settings) -> None:
    raise AssertionError("up went on to migrate")


def test_up_refuses_two_instances_without_a_lock_store_and_says_why(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, RECERT_RASA_INSTANCES="2")
    with pytest.raises(ConfigError) as raised:
        supervisor.up(settings, supervisor.Paths.for_settings(settings), out=io.StringIO(), migrate=_must_not_run)
    message = str(raised.value)
    assert "RECERT_LOCK_STORE_URL" in message and "interleave" in message
    assert not (tmp_path / "run").exists()


def test_up_without_haproxy_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(balancer, "SEARCH_PATH", ())
    settings = settings_for(tmp_path, RECERT_RASA_INSTANCES="2", RECERT_LOCK_STORE_URL="redis://127.0.0.1:6379/0")
    with pytest.raises(StartFailed, match=r"apt-get install haproxy"):
        supervisor.up(settings, supervisor.Paths.for_settings(settings), out=io.StringIO(), migrate=_must_not_run)


def test_up_without_redis_says_what_to_do(tmp_path: Path) -> None:
    port = supervisor.processes.free_port()  # nobody listens there
    settings = settings_for(tmp_path, RECERT_LOCK_STORE_URL=f"redis://127.0.0.1:{port}/0")
    with pytest.raises(StartFailed, match=r"does not answer at 127.0.0.1:\d+/0.*redis-server"):
        supervisor.up(settings, supervisor.Paths.for_settings(settings), out=io.StringIO(), migrate=_must_not_run)


# --- status --------------------------------------------------------------------------------------


def test_status_json_lists_every_process_of_the_balanced_stack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in {"RECERT_VAR_DIR": str(tmp_path), "RECERT_RASA_INSTANCES": "2",
                        "RECERT_RASA_PORT": str(supervisor.processes.free_port())}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    code = recert_main(["status", "--json"])
    parts = json.loads(capsys.readouterr().out)
    assert code == 3  # nothing runs
    assert [p["name"] for p in parts] == ["actions", "rasa-1", "rasa-2", "balancer", "gateway", "reminders"]
    assert all(set(p) == {"name", "pid", "port", "state", "note"} for p in parts)
    assert [p["state"] for p in parts[:4]] == ["down"] * 4


def test_the_lock_store_check_talks_to_redis_as_rasa_will(tmp_path: Path) -> None:
    """The Redis on 127.0.0.1:6379 (CI starts it): a key prefix and a database number are no obstacle."""
    supervisor.require_redis("redis://127.0.0.1:6379/7?key_prefix=recerttest")


def test_down_stops_instances_of_an_earlier_larger_stack(tmp_path: Path) -> None:
    """Started with RECERT_RASA_INSTANCES=2, stopped without it: status shows and down stops them all."""
    import os
    import sys

    from bot.stack import processes

    paths = supervisor.Paths.for_settings(settings_for(tmp_path))
    for name in ("rasa-1", "rasa-2", "balancer"):
        processes.start(
            name, [sys.executable, "-c", "import time; time.sleep(60)"], cwd=tmp_path, env=os.environ,
            run_dir=paths.run_dir, log_dir=paths.log_dir,
        )
    one = settings_for(tmp_path)  # RECERT_RASA_INSTANCES unset now
    shown = [part.name for part in supervisor.status(one, paths)]
    assert {"balancer", "rasa-1", "rasa-2"} <= set(shown)
    out = io.StringIO()
    supervisor.down(one, paths, out=out)
    assert all(processes.find(paths.run_dir, name) is None for name in ("rasa-1", "rasa-2", "balancer"))
    assert "balancer" in out.getvalue() and "rasa-1" in out.getvalue()


def test_store_passwords_are_redacted_from_log_lines(tmp_path: Path) -> None:
    from bot.settings import redact

    settings = settings_for(
        tmp_path,
        RECERT_DATABASE_URL="postgresql+psycopg2://recert:record-pw-123@db/recert",
        RECERT_TRACKER_STORE_URL="postgresql+psycopg2://rasa:tracker-pw-456@db/rasa",
        RECERT_LOCK_STORE_URL="redis://:redis-pw-789@cache:6379/0",
    )
    line = redact("record-pw-123 tracker-pw-456 redis-pw-789", settings.secrets())
    assert "pw-" not in line
