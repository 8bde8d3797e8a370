"""bot.logs: one JSON object a line, no secret or raw sender in it, files rotate at their size."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import pytest

from bot import logs
from bot.settings import load_settings
from tests.log_support import json_lines

BOT_TOKEN = "123456789:AAHsecretsecretsecretsecretsecret_x"
RASA_TOKEN = "rasa-token-0123456789abcdef"
IDENTITY_SECRET = "identity-secret-fedcba9876543210"


@pytest.fixture
def settings(tmp_path: Path):
    return load_settings(
        {
            "RECERT_VAR_DIR": str(tmp_path),
            "RECERT_RASA_TOKEN": RASA_TOKEN,
            "RECERT_IDENTITY_SECRET": IDENTITY_SECRET,
            "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
        }
    )


def test_a_line_is_one_json_object_with_the_request_fields(settings, tmp_path, restore_root_logging):
    path = logs.configure("gateway", settings)
    logging.getLogger("bot.channels.rasa_client").info(
        "rasa %s answered", "POST /webhooks/rest/webhook", extra=logs.fields("telegram:4242", 12.345, "ok")
    )

    assert path == tmp_path / "log" / "gateway.jsonl"
    [line] = json_lines(path)
    assert line["part"] == "gateway"
    assert line["level"] == "INFO"
    assert line["logger"] == "bot.channels.rasa_client"
    assert line["message"] == "rasa POST /webhooks/rest/webhook answered"
    assert line["latency_ms"] == 12.3
    assert line["outcome"] == "ok"
    assert line["timestamp"].startswith("20") and line["timestamp"].endswith("+00:00")
    # the conversation is there, hashed: never the Telegram user id
    assert len(line["conversation"]) == 16
    assert "4242" not in path.read_text()


def test_the_conversation_hash_is_the_same_in_every_part_and_keyed(settings):
    key = logs.hash_key(settings)
    assert logs.conversation_hash("telegram:1", key) == logs.conversation_hash("telegram:1", logs.hash_key(settings))
    assert logs.conversation_hash("telegram:1", key) != logs.conversation_hash("telegram:2", key)
    other = load_settings({"RECERT_IDENTITY_SECRET": "another-secret-entirely"})
    assert logs.conversation_hash("telegram:1", key) != logs.conversation_hash("telegram:1", logs.hash_key(other))


def test_no_secret_reaches_a_line_in_message_arguments_extras_or_traceback(settings, restore_root_logging):
    path = logs.configure("rasa-1", settings)
    log = logging.getLogger("test")
    log.warning("calling https://api.telegram.org/bot%s/getMe?token=%s", BOT_TOKEN, RASA_TOKEN)
    log.info("signed with %s", IDENTITY_SECRET, extra={"url": f"http://x/status?token={RASA_TOKEN}"})
    log.info("store at postgresql://recert:pa55word@db.internal:5432/recert, redis://:hunter22@cache:6379/0")
    log.info("an unknown bot token 987654321:ZZHsomeothertokenthatisnotconfigured")
    log.info("dana.smith@example.com wrote in")
    try:
        raise RuntimeError(f"refused token {RASA_TOKEN}")
    except RuntimeError:
        log.exception("request failed")

    text = path.read_text(encoding="utf-8")
    for secret in (BOT_TOKEN, RASA_TOKEN, IDENTITY_SECRET, "pa55word", "hunter22",
                   "ZZHsomeothertokenthatisnotconfigured", "dana.smith@example.com"):
        assert secret not in text
    lines = json_lines(path)
    assert len(lines) == 6  # every record still written, each one JSON line
    assert "refused token ****" in lines[-1]["exc_info"]
    assert "postgresql://recert:****@db.internal:5432/recert" in lines[2]["message"]


def test_only_errors_reach_stderr(settings, restore_root_logging, capsys):
    logs.configure("reminders", settings)
    logging.getLogger("test").info("a pass sent 3 reminders")
    logging.getLogger("test").error("the pass failed with %s", RASA_TOKEN)
    err = capsys.readouterr().err
    assert "a pass sent" not in err
    assert json.loads(err)["message"] == "the pass failed with ****cdef"


def test_the_file_rotates_at_its_size_and_keeps_the_backups(settings, tmp_path, restore_root_logging):
    path = logs.configure("actions", settings, max_bytes=2_000, backup_count=2, stderr=False)
    log = logging.getLogger("test")
    for number in range(200):
        log.info("line %03d of the rotation test", number)

    files = sorted(p.name for p in (tmp_path / "log").iterdir())
    assert files == ["actions.jsonl", "actions.jsonl.1", "actions.jsonl.2"]
    for name in files:
        assert (tmp_path / "log" / name).stat().st_size <= 2_000
    # the newest lines are in the current file, the oldest ones are gone
    assert json_lines(path)[-1]["message"] == "line 199 of the rotation test"
    assert "line 000" not in "".join((tmp_path / "log" / name).read_text() for name in files)


def test_warnings_go_through_the_json_log(settings, restore_root_logging):
    path = logs.configure("rasa", settings, stderr=False)
    import warnings

    warnings.warn("a library complains", UserWarning, stacklevel=1)
    [line] = json_lines(path)
    assert line["logger"] == "py.warnings" and "a library complains" in line["message"]


def test_the_part_name_comes_from_recert_log_name_when_it_is_a_plain_name(tmp_path):
    assert logs.part_name("rasa", load_settings({"RECERT_LOG_NAME": "rasa-2"})) == "rasa-2"
    assert logs.part_name("rasa", load_settings({})) == "rasa"
    assert logs.part_name("rasa", load_settings({"RECERT_LOG_NAME": "../etc/passwd"})) == "rasa"


def test_python_json_logger_is_the_formatter():
    assert "pythonjsonlogger" in sys.modules or logs.json_formatter("x").__module__.startswith("pythonjsonlogger")


def test_attach_adds_the_json_file_and_keeps_the_terminal_as_quiet_as_it_was(settings, restore_root_logging, capsys):
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(message)s")
    path = logs.attach("stack", settings)
    logging.getLogger("bot.stack").info("started rasa-1 as pid 42")
    logging.getLogger("bot.stack").warning("rasa-2 did not stop in 10s")

    assert [line["message"] for line in json_lines(path)] == ["started rasa-1 as pid 42", "rasa-2 did not stop in 10s"]
    assert capsys.readouterr().err == "WARNING rasa-2 did not stop in 10s\n"


def test_a_forked_worker_writes_a_file_of_its_own(settings, tmp_path, restore_root_logging):
    import os

    path = logs.configure("actions", settings, stderr=False)
    logging.getLogger("test").info("before the workers")
    pid = os.fork()
    if pid == 0:  # the worker
        logging.getLogger("test").info("in worker 1")
        logging.shutdown()
        os._exit(0)
    os.waitpid(pid, 0)
    logging.getLogger("test").info("the parent again")

    assert [line["message"] for line in json_lines(path)] == ["before the workers", "the parent again"]
    assert [line["message"] for line in json_lines(tmp_path / "log" / "actions-w1.jsonl")] == ["in worker 1"]
