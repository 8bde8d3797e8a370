"""No secret on a command line or in a log; production refuses development secrets; ``.env``."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot import cli
from bot.errors import ConfigError
from bot.settings import (
    DEV_IDENTITY_SECRET,
    DEV_RASA_TOKEN,
    VARIABLES,
    RedactingFormatter,
    load_settings,
    mask,
    read_env_file,
    require_production_secrets,
)
from bot.stack import processes, supervisor
from bot.stack.rasa_main import AUTH_TOKEN_FROM_SETTINGS, with_auth_token

TOKEN = "rasa-token-0123456789abcdef"
SECRET = "identity-secret-fedcba9876543210"


def settings_for(tmp_path: Path, **env: str) -> Any:
    return load_settings({"RECERT_VAR_DIR": str(tmp_path), **env})


# --- the Rasa token stays off command lines and out of logs ----------------------------------


def test_no_part_is_started_with_a_secret_on_its_command_line(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, RECERT_RASA_TOKEN=TOKEN, RECERT_IDENTITY_SECRET=SECRET,
                            TELEGRAM_BOT_TOKEN="123:telegram-token-abcdef")
    commands = supervisor.part_commands(settings, tmp_path / "m.tar.gz", tmp_path / "e.yml", tmp_path / "c.yml")
    assert set(commands) == {"actions", "rasa", "gateway", "reminders"}
    for argv in commands.values():
        shown = " ".join(argv)  # what `ps` shows
        assert all(secret not in shown for secret in settings.secrets())
    assert AUTH_TOKEN_FROM_SETTINGS in commands["rasa"] and "--auth-token" not in commands["rasa"]
    env = supervisor.child_env(settings, base={})
    assert env["RECERT_RASA_TOKEN"] == TOKEN and env["RECERT_IDENTITY_SECRET"] == SECRET


def test_rasa_receives_the_token_through_its_own_argument_parsing() -> None:
    from rasa.__main__ import create_argument_parser

    argv = ["run", "--enable-api", AUTH_TOKEN_FROM_SETTINGS, "-p", "5005"]
    args = create_argument_parser().parse_args(with_auth_token(argv, TOKEN))
    assert args.auth_token == TOKEN and args.enable_api


def test_rasa_main_takes_the_token_from_the_environment_not_argv(tmp_path: Path) -> None:
    # The real entry point, with Rasa's main replaced by a print of the arguments it would parse.
    code = (
        "import sys, rasa.__main__ as m, bot.stack.rasa_main as r;"
        "r.install_cached_action_validation = r.install_gc_freeze_after_model_load = lambda: None;"
        "m.main = lambda: print(sys.argv[1:]);"
        "r.main()"
    )
    env = {"RECERT_RASA_TOKEN": TOKEN, "RECERT_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code, "run", AUTH_TOKEN_FROM_SETTINGS], env=env, cwd=tmp_path,
        capture_output=True, text=True, timeout=120, check=True,
    ).stdout
    assert out.strip().splitlines()[-1] == str(["run", "--auth-token", TOKEN])


def test_the_start_line_in_a_parts_log_holds_no_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_for(tmp_path, RECERT_RASA_TOKEN=TOKEN)
    argv = supervisor.part_commands(settings, tmp_path / "m", tmp_path / "e", tmp_path / "c")["rasa"]

    class Started:
        pid = 999_999

    monkeypatch.setattr(processes.subprocess, "Popen", lambda *a, **kw: Started())
    processes.start("rasa", argv, cwd=tmp_path, env=supervisor.child_env(settings, base={}),
                    run_dir=tmp_path / "run", log_dir=tmp_path / "log")
    log = (tmp_path / "log" / "rasa.log").read_text()
    assert AUTH_TOKEN_FROM_SETTINGS in log and TOKEN not in log
    assert TOKEN not in (tmp_path / "run" / "rasa.pid").read_text()


def test_log_lines_never_hold_a_secret() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter("%(message)s", [TOKEN, SECRET]))
    log = logging.getLogger("test.redaction")
    log.addHandler(handler)
    try:
        log.warning("HTTP Request: GET http://127.0.0.1:5005/status?token=%s", TOKEN)
        try:
            raise RuntimeError(f"signing with {SECRET} failed")
        except RuntimeError:
            log.exception("oops")
    finally:
        log.removeHandler(handler)
    text = stream.getvalue()
    assert TOKEN not in text and SECRET not in text
    assert f"token={mask(TOKEN)}" in text and "****3210 failed" in text


# --- production refuses development secrets --------------------------------------------------


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"TELEGRAM_BOT_TOKEN": "1:x"}, ["RECERT_IDENTITY_SECRET", "RECERT_RASA_TOKEN"]),
        ({"RECERT_ENV": "production", "RECERT_IDENTITY_SECRET": SECRET}, ["RECERT_RASA_TOKEN"]),
        ({"RECERT_ENV": "production", "RECERT_RASA_TOKEN": TOKEN}, ["RECERT_IDENTITY_SECRET"]),
        ({"RECERT_ENV": "production", "RECERT_RASA_TOKEN": DEV_RASA_TOKEN, "RECERT_IDENTITY_SECRET": SECRET},
         ["RECERT_RASA_TOKEN"]),
    ],
)
def test_production_names_each_development_secret(tmp_path: Path, env: dict[str, str], named: list[str]) -> None:
    settings = settings_for(tmp_path, **env)
    with pytest.raises(ConfigError) as info:
        require_production_secrets(settings)
    for name in ("RECERT_IDENTITY_SECRET", "RECERT_RASA_TOKEN"):
        assert (name in str(info.value)) == (name in named)


def test_own_secrets_or_development_mode_pass(tmp_path: Path) -> None:
    require_production_secrets(settings_for(tmp_path))  # development: the local defaults are fine
    require_production_secrets(settings_for(
        tmp_path, TELEGRAM_BOT_TOKEN="1:x", RECERT_RASA_TOKEN=TOKEN, RECERT_IDENTITY_SECRET=SECRET))


def test_recert_up_stops_before_starting_anything(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, RECERT_ENV="production")
    migrated: list[object] = []
    with pytest.raises(ConfigError, match="RECERT_IDENTITY_SECRET and RECERT_RASA_TOKEN"):
        supervisor.up(settings, supervisor.Paths.for_settings(settings), out=io.StringIO(),
                      migrate=migrated.append)
    assert migrated == [] and not (tmp_path / "run").exists()


def test_recert_env_must_be_known(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="RECERT_ENV"):
        settings_for(tmp_path, RECERT_ENV="prod")


# --- .env and recert config ------------------------------------------------------------------


def test_env_file_lines(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text(
        "# secrets\n\nexport RECERT_RASA_TOKEN=abc  # a comment\nRECERT_IDENTITY_SECRET='with # hash'\n"
        'TELEGRAM_BOT_TOKEN="1:x"\nRECERT_TODAY=\n'
    )
    assert read_env_file(path) == {
        "RECERT_RASA_TOKEN": "abc", "RECERT_IDENTITY_SECRET": "with # hash",
        "TELEGRAM_BOT_TOKEN": "1:x", "RECERT_TODAY": "",
    }
    path.write_text("RECERT_RASA_TOKEN=abc\nnot a setting\n")
    with pytest.raises(ConfigError, match="line 2"):
        read_env_file(path)


def test_the_environment_wins_over_the_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(f"RECERT_RASA_TOKEN={TOKEN}\nRECERT_IDENTITY_SECRET=from-file-secret\n")
    settings = load_settings({"RECERT_IDENTITY_SECRET": SECRET}, env_file=env_file)
    assert settings.rasa_token == TOKEN and settings.identity_secret == SECRET
    assert settings.source_of("RECERT_RASA_TOKEN") == ".env"
    assert settings.source_of("RECERT_IDENTITY_SECRET") == "environment"
    assert settings.source_of("RECERT_DATABASE_URL") == "default"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RECERT_VAR_DIR", str(tmp_path / "var"))
    return tmp_path


def test_recert_config_masks_secrets_and_names_sources(clean_env: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    (clean_env / ".env").write_text(f"RECERT_RASA_TOKEN={TOKEN}\nTELEGRAM_BOT_TOKEN=123456:telegram-secret-token\n")
    monkeypatch.setenv("RECERT_IDENTITY_SECRET", SECRET)
    monkeypatch.setenv("RECERT_DATABASE_URL", "postgresql://recert:db-password@db.example/recert")
    assert cli.main(["config"]) == 0
    out = capsys.readouterr().out
    for secret in (TOKEN, SECRET, "telegram-secret-token", "db-password"):
        assert secret not in out
    lines = {line.split("=", 1)[0]: line for line in out.splitlines() if "=" in line}
    assert "RECERT_RASA_TOKEN=****cdef" in lines["RECERT_RASA_TOKEN"] and "(.env)" in lines["RECERT_RASA_TOKEN"]
    assert "****3210" in lines["RECERT_IDENTITY_SECRET"] and "(environment)" in lines["RECERT_IDENTITY_SECRET"]
    assert "(default)" in lines["RECERT_ACTION_PORT"]
    assert "mode: production" in out


def test_recert_config_shows_development_defaults_by_name(clean_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["config"]) == 0
    out = capsys.readouterr().out
    assert DEV_RASA_TOKEN not in out and DEV_IDENTITY_SECRET not in out
    assert "RECERT_RASA_TOKEN=(local development default)" in out and "mode: development" in out


def test_recert_up_in_production_with_defaults_is_one_clear_line(clean_env: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (clean_env / ".env").write_text("RECERT_ENV=production\n")
    assert cli.main(["up"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("recert: production (RECERT_ENV=production) refuses")
    assert "RECERT_IDENTITY_SECRET" in err and "RECERT_RASA_TOKEN" in err and "Traceback" not in err
