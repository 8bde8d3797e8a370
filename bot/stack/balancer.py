"""HAProxy in front of several Rasa servers: the configuration, rendered from the template ``deploy/`` ships.

``recert up`` with ``RECERT_RASA_INSTANCES`` > 1 renders ``deploy/haproxy/haproxy.cfg.j2`` for the
local instances into ``var/run/haproxy.cfg``; an operator renders the same template for the hosts
of a deployment with ``recert balancer-config``. One template, so the local stack and its tests
run the balancer configuration that is deployed. HAProxy is Debian's package, not installed by
pip: :func:`find_haproxy` says how to install it when it is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from bot.settings import PROJECT_ROOT
from bot.stack.errors import StartFailed

TEMPLATE = PROJECT_ROOT / "deploy" / "haproxy" / "haproxy.cfg.j2"
CONFIG_NAME = "haproxy.cfg"
# Debian installs haproxy into /usr/sbin, which a non-root PATH often lacks.
SEARCH_PATH = ("/usr/sbin", "/usr/local/sbin", "/sbin")
INSTALL_HINT = "install it from Debian's packages: `apt-get install haproxy`"


@dataclass(frozen=True)
class Server:
    """One Rasa server behind the balancer: a name for the logs and ``host:port``."""

    name: str
    address: str


def render(bind: str, servers: Sequence[Server], run_as: str | None = None, template: Path = TEMPLATE) -> str:
    """The HAProxy configuration: listen on ``bind`` (``host:port``), balance over ``servers``."""
    if not servers:
        raise ValueError("the balancer needs at least one server")
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template.parent),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # a HAProxy configuration, not HTML  # noqa: S701
    )
    return environment.get_template(template.name).render(bind=bind, servers=servers, run_as=run_as)


def find_haproxy() -> str:
    """The haproxy binary; StartFailed saying how to install it when there is none."""
    path = os.pathsep.join([os.environ.get("PATH", ""), *SEARCH_PATH])
    found = shutil.which("haproxy", path=path)
    if found is None:
        raise StartFailed(f"more than one Rasa instance runs behind HAProxy, which is not installed: {INSTALL_HINT}")
    return found


def check(haproxy: str, config: Path, env: dict[str, str]) -> None:
    """``haproxy -c``: StartFailed with HAProxy's own words when the configuration is invalid."""
    result = subprocess.run(
        [haproxy, "-c", "-q", "-f", str(config)], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise StartFailed(f"HAProxy refuses {config}:\n{result.stdout}{result.stderr}".rstrip())


def command(haproxy: str, config: Path) -> list[str]:
    """Foreground (``-db``), so the supervisor's process group is HAProxy itself."""
    return [haproxy, "-db", "-f", str(config)]
