"""``deploy/`` runs what ``recert up`` runs: each systemd unit's command is the supervisor's, the env files
name only settings the code reads, and the balancer host renders the template the local stack uses.
"""

from __future__ import annotations

import configparser
import re
import shlex
import sys
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, VARIABLES, load_settings
from bot.stack import supervisor

DEPLOY = PROJECT_ROOT / "deploy"
UNITS = DEPLOY / "systemd"
VENV_PYTHON = "/opt/recert/.venv/bin/python"
# Read by the units themselves (ExecStart), by Rasa's action server, not by bot.settings.
UNIT_ONLY_VARIABLES = {"RECERT_RASA_LISTEN", "RECERT_MODEL", "ACTION_SERVER_SANIC_WORKERS"}


def exec_start(unit: str, values: dict[str, str]) -> list[str]:
    """The unit's ExecStart as argv, ``%i`` and ``${VAR}`` filled in as systemd would."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNITS / unit)
    line = parser["Service"]["ExecStart"]
    line = re.sub(r"\$\{(\w+)\}", lambda m: values[m.group(1)], line)
    return shlex.split(line.replace("%i", values.get("%i", "%i")))


def local(argv: list[str]) -> list[str]:
    """A supervisor command as the units write it: the deployed venv's Python."""
    return [VENV_PYTHON if arg == sys.executable else arg for arg in argv]


def test_rasa_instance_unit_runs_the_command_of_a_local_instance(tmp_path: Path) -> None:
    settings = load_settings({"RECERT_VAR_DIR": str(tmp_path)})
    run = Path("/run/recert-rasa-5006")
    model = Path("/opt/recert/models/m.tar.gz")
    deployed = exec_start(
        "rasa@.service", {"%i": "5006", "RECERT_RASA_LISTEN": "10.0.0.11", "RECERT_MODEL": str(model)}
    )
    expected = local(supervisor.rasa_command(5006, model, run / "endpoints.yml", run / "credentials.yml"))
    expected[expected.index("-i") + 1] = "10.0.0.11"  # the only difference: the host's private address
    assert deployed == expected
    assert settings.rasa_token not in " ".join(deployed)


@pytest.mark.parametrize(
    ("unit", "part"),
    [("recert-actions.service", "actions"), ("recert-gateway.service", "gateway"),
     ("recert-reminders.service", "reminders")],
)
def test_part_units_run_the_command_recert_up_runs(tmp_path: Path, unit: str, part: str) -> None:
    settings = load_settings({"RECERT_VAR_DIR": str(tmp_path), "RECERT_ACTION_PORT": "5055"})
    commands = supervisor.part_commands(settings, Path("m"), Path("e"), Path("c"))
    assert exec_start(unit, {"RECERT_ACTION_PORT": "5055"}) == local(commands[part])


def test_env_files_name_only_variables_the_code_reads() -> None:
    for example in (DEPLOY / "env").glob("*.env.example"):
        names = {
            line.split("=", 1)[0]
            for line in example.read_text().splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        }
        unknown = names - set(VARIABLES) - UNIT_ONLY_VARIABLES
        assert not unknown, f"{example.name}: {sorted(unknown)} are read by nothing"
    unit_text = " ".join(path.read_text() for path in UNITS.rglob("*.service"))
    for variable in ("RECERT_RASA_LISTEN", "RECERT_MODEL"):
        assert "${" + variable + "}" in unit_text


def test_haproxy_reads_the_token_from_the_balancer_env_file() -> None:
    drop_in = (UNITS / "haproxy.service.d" / "recert.conf").read_text()
    assert "EnvironmentFile=/etc/recert/balancer.env" in drop_in
    assert "RECERT_RASA_TOKEN=" in (DEPLOY / "env" / "balancer.env.example").read_text()
    assert "${RECERT_RASA_TOKEN}" in (DEPLOY / "haproxy" / "haproxy.cfg.j2").read_text()


def test_rasa_instances_get_the_lock_lifetime_recert_up_gives_them() -> None:
    unit = (UNITS / "rasa@.service").read_text()
    assert f"Environment=TICKET_LOCK_LIFETIME={supervisor.RASA_LOCK_LIFETIME_SECONDS}\n" in unit
    assert supervisor.rasa_env({})["TICKET_LOCK_LIFETIME"] == str(supervisor.RASA_LOCK_LIFETIME_SECONDS)
