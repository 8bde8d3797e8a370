"""`recert up`, then `recert chat` through stdin against the real Rasa stack, then `recert down`.

Every figure asserted here is computed by the rules engine for RECERT_TODAY from
the demo record, never written into the test.
"""

from __future__ import annotations

from datetime import date

import pytest

from rules.engine import assess_trainer
from rules.formatting import format_ceu_amount, format_ceus, format_date, format_money
from rules.model import Assessment
from tests.e2e.conftest import DEMO_TODAY, Stack
from tests.log_support import json_lines

pytestmark = pytest.mark.slow


def assessment(stack: Stack, trainer_id: str) -> Assessment:
    from bot.store.bootstrap import make_session_factory
    from bot.store.unit_of_work import SqlAlchemyUnitOfWork

    uow = SqlAlchemyUnitOfWork(make_session_factory(stack.database_url, migrate=False))
    with uow:
        record = uow.trainers.get_record(trainer_id)
    assert record is not None
    (result,) = assess_trainer(record, date.fromisoformat(DEMO_TODAY))
    return result


def replies(output: str) -> dict[str, str]:
    """The transcript `recert chat` prints without a terminal: '> message' then the replies."""
    answers: dict[str, str] = {}
    current = None
    for line in output.splitlines():
        if line.startswith("> "):
            current = line[2:]
            answers[current] = ""
        elif current is not None:
            answers[current] += line + "\n"
    return answers


def test_status_shows_every_part_up(stack: Stack) -> None:
    status = stack.recert("status")
    assert status.returncode == 0, status.stdout
    lines = {line.split()[0]: line for line in status.stdout.splitlines()}
    assert set(lines) == {"actions", "rasa", "gateway", "reminders"}
    assert all(" up " in line and "pid " in line for line in lines.values())
    assert f"port {stack.env['RECERT_RASA_PORT']}" in lines["rasa"]
    assert f"port {stack.env['RECERT_ACTION_PORT']}" in lines["actions"]


def test_no_secret_on_a_command_line_or_in_a_log(stack: Stack) -> None:
    import json
    from pathlib import Path

    secrets = [stack.env["RECERT_RASA_TOKEN"], stack.env["RECERT_IDENTITY_SECRET"], stack.env["TELEGRAM_BOT_TOKEN"]]
    assert stack.recert("chat", stdin="hello\n").returncode == 0  # the token is used, with the log at its busiest
    for pid_file in (stack.var_dir / "run").glob("*.pid"):
        pid = json.loads(pid_file.read_text())["pid"]
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")  # what `ps` shows
        assert cmdline and not any(secret in cmdline for secret in secrets), pid_file.name
    logs = [*(stack.var_dir / "log").glob("*.log*"), *(stack.var_dir / "log").glob("*.jsonl*")]
    assert {"rasa.jsonl", "actions.jsonl", "gateway.jsonl", "stack.jsonl"} <= {log.name for log in logs}
    for log in logs:
        text = log.read_text(errors="replace")
        assert not any(secret in text for secret in secrets), log.name


def test_every_part_logs_json_lines_with_hashed_conversations(stack: Stack) -> None:
    from bot import logs
    from bot.settings import load_settings

    assert stack.recert("chat", "--as", "T-1004", stdin="am I late?\n").returncode == 0
    sender = "terminal:T-1004"  # bot.channels.terminal.terminal_sender
    hashed = logs.conversation_hash(sender, logs.hash_key(load_settings(stack.env)))
    lines: dict[str, list[dict]] = {}
    for part in ("rasa", "actions", "stack", "gateway"):
        log = stack.var_dir / "log" / f"{part}.jsonl"
        lines[part] = json_lines(log)  # every line is one JSON object
        assert sender not in log.read_text()
        assert all(line["part"] == part and line["level"] and line["timestamp"] for line in lines[part])
    answered = [line for line in lines["rasa"]
                if line["message"] == "POST /webhooks/rest/webhook: 200" and line.get("conversation") == hashed]
    assert answered and answered[-1]["outcome"] == "ok" and answered[-1]["latency_ms"] > 0
    assert any(line["message"].startswith("POST /webhook action_") and line.get("conversation") == hashed
               and line["outcome"] == "ok" for line in lines["actions"])
    assert any(line["message"].startswith("started rasa as pid") for line in lines["stack"])
    # the raw output files hold only what bypassed logging: none of Rasa's INFO lines
    assert "Rasa server is up and running" not in (stack.var_dir / "log" / "rasa.log").read_text()


def test_up_again_says_already_running(stack: Stack) -> None:
    again = stack.recert("up")
    assert again.returncode == 0
    assert "already running" in again.stdout


def test_linked_trainer_hears_their_own_dates_and_amounts(stack: Stack) -> None:
    a = assessment(stack, "T-1002")  # active, CE and CPR/AED missing on the demo date
    chat = stack.recert("chat", "--as", "T-1002", stdin="hi\nam I late?\nhow many CEUs do I still need?\n")
    assert chat.returncode == 0, chat.stderr
    said = replies(chat.stdout)
    assert said["hi"].strip()
    assert "not late" in said["am I late?"]
    assert format_date(a.expires_on) in said["am I late?"]
    ceus = said["how many CEUs do I still need?"]
    assert a.ceus_remaining > 0
    assert f"still need {format_ceu_amount(a.ceus_remaining)}" in ceus
    assert f"You have {format_ceus(a.ceus_earned)} of the {format_ceu_amount(a.ceus_required)}" in ceus


def test_late_trainer_hears_the_late_fee_and_its_deadline(stack: Stack) -> None:
    a = assessment(stack, "T-1004")  # expired 46 days before the demo date
    chat = stack.recert("chat", "--as", "T-1004", stdin="am I late?\n")
    assert chat.returncode == 0, chat.stderr
    late = replies(chat.stdout)["am I late?"]
    assert late.startswith("Yes.")
    assert a.fees.late is not None and format_money(a.fees.late) in late
    assert format_date(a.late_fee_deadline) in late


def test_not_linked_chat_gets_no_personal_record(stack: Stack) -> None:
    a = assessment(stack, "T-1002")
    chat = stack.recert(
        "chat", stdin="am I late?\nhow many CEUs do I still need?\nI am T-1002, am I late?\n"
    )
    assert chat.returncode == 0, chat.stderr
    said = replies(chat.stdout)
    assert len(said) == 3 and all(text.strip() for text in said.values())
    transcript = chat.stdout
    assert format_date(a.expires_on) not in transcript
    assert f"still need {format_ceu_amount(a.ceus_remaining)}" not in transcript
    assert "not late" not in transcript


def test_unknown_trainer_is_a_clear_error(stack: Stack) -> None:
    chat = stack.recert("chat", "--as", "T-9999", stdin="hi\n")
    assert chat.returncode == 1
    assert "no trainer with id 'T-9999'" in chat.stderr
    assert "Traceback" not in chat.stderr
