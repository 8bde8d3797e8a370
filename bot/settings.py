"""One frozen settings object, built from the environment (and a ``.env`` file) in one place.

Entry points call :func:`load_settings` once and pass the result down; nothing
else reads ``os.environ``. Invalid values fail here with the variable named.

A ``.env`` file (``KEY=VALUE`` lines, ``#`` comments, optional ``export`` and quotes) in the
working directory, or else in the project root, supplies variables the environment does not
set: the environment always wins. :attr:`Settings.sources` says where each value came from,
so ``recert config`` can show it. Secrets never appear as they are: :func:`mask` hides all
but their last four characters, :class:`RedactingFormatter` removes them from log lines.

Production (``RECERT_ENV=production``, or ``TELEGRAM_BOT_TOKEN`` set) refuses the local
development secrets: :func:`require_production_secrets`.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sqlalchemy.engine import make_url

from bot.errors import ConfigError
from bot.handoff.hours import DEFAULT_STAFF_HOURS, StaffHours, parse_staff_hours

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_FILE_NAME = ".env"

DEV_IDENTITY_SECRET = "local-development-secret"
DEV_RASA_TOKEN = "local-development-token"
ENVIRONMENTS = ("development", "production")

# Where a value came from, as ``recert config`` says it.
FROM_ENVIRONMENT, FROM_FILE, FROM_DEFAULT = "environment", ".env", "default"

# Every variable load_settings reads (recert config lists them in this order).
VARIABLES = (
    "RECERT_ENV",
    "RECERT_DATABASE_URL",
    "RECERT_TODAY",
    "RECERT_IDENTITY_SECRET",
    "RECERT_VAR_DIR",
    "RECERT_RASA_URL",
    "RECERT_RASA_TOKEN",
    "RECERT_RASA_PORT",
    "RECERT_ACTION_PORT",
    "RECERT_RASA_INSTANCES",
    "RECERT_LOCK_STORE_URL",
    "RECERT_TRACKER_STORE_URL",
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "TELEGRAM_WEBHOOK_URL",
    "TELEGRAM_WEBHOOK_SECRET_FILE",
    "RECERT_GATEWAY_PORT",
    "STAFF_CHAT_ID",
    "RECERT_STAFF_HOURS",
    "RECERT_REMINDER_INTERVAL",
)
# Shorter "secrets" (test values) are not searched for in log lines: they would mangle every word.
MIN_REDACTED_LENGTH = 6


@dataclass(frozen=True)
class Settings:
    database_url: str
    today: date | None  # RECERT_TODAY: a frozen "today" for tests and demos
    identity_secret: str
    var_dir: Path
    rasa_url: str
    rasa_token: str
    action_server_port: int
    rasa_port: int
    telegram_bot_token: str | None
    telegram_api_base_url: str
    identity_max_age_seconds: int = 300
    # TELEGRAM_WEBHOOK_URL: the public HTTPS address Telegram posts updates to; None = long polling
    telegram_webhook_url: str | None = None
    # TELEGRAM_WEBHOOK_SECRET_FILE: the file holding the webhook's secret token (read by webhook_secret)
    telegram_webhook_secret_file: Path | None = None
    gateway_port: int = 8443  # RECERT_GATEWAY_PORT: the gateway's loopback port (webhook and /health)
    environment: str = "development"  # RECERT_ENV
    # variable name -> FROM_ENVIRONMENT or FROM_FILE; a variable not named here has its default
    sources: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    env_file: Path | None = field(default=None, compare=False)
    staff_chat_id: int | None = None  # STAFF_CHAT_ID: the Telegram group that is the staff desk
    staff_hours: StaffHours = field(default_factory=lambda: parse_staff_hours(DEFAULT_STAFF_HOURS))
    reminder_interval: int = 3600  # RECERT_REMINDER_INTERVAL: seconds between passes of `recert up`; 0 = off
    # RECERT_LOG_NAME: the name this process logs under (bot.logs); `recert up` sets it per process
    log_name: str | None = None
    # RECERT_RASA_INSTANCES: Rasa servers `recert up` starts (more than one: behind HAProxy on rasa_port)
    rasa_instances: int = 1
    # RECERT_LOCK_STORE_URL: redis://… for Rasa's Redis lock store; None = Rasa's in-memory lock store,
    # which only serialises one process's turns, so then only one Rasa instance may run.
    lock_store_url: str | None = None
    # RECERT_TRACKER_STORE_URL: Rasa's tracker store (SQLAlchemy URL); None = follows database_url
    tracker_store_url: str | None = None

    @property
    def production(self) -> bool:
        """``RECERT_ENV=production``, or a Telegram bot token (real users can reach the bot)."""
        return self.environment == "production" or bool(self.telegram_bot_token)

    def source_of(self, variable: str) -> str:
        return self.sources.get(variable, FROM_DEFAULT)

    def secrets(self) -> tuple[str, ...]:
        """The secret values in use (for log redaction), the passwords in the store URLs included."""
        values = (self.identity_secret, self.rasa_token, self.telegram_bot_token, *self._url_passwords())
        return tuple(v for v in values if v)

    def _url_passwords(self) -> list[str]:
        passwords = []
        for url in (self.database_url, self.tracker_store_url):
            if url:
                passwords.append(make_url(url).password or "")
        if self.lock_store_url:
            passwords.append(unquote(urlsplit(self.lock_store_url).password or ""))
        return passwords


def _parse_date(name: str, raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an ISO date (YYYY-MM-DD), got {raw!r}") from None


def _parse_port(name: str, raw: str) -> int:
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise ConfigError(f"{name} must be a TCP port number, got {raw!r}")
    return int(raw)


def _parse_seconds(name: str, raw: str) -> int:
    if not raw.isdigit():
        raise ConfigError(f"{name} must be a whole number of seconds (0 = off), got {raw!r}")
    return int(raw)


def _parse_instances(name: str, raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 16:
        raise ConfigError(f"{name} must be a number of Rasa servers from 1 to 16, got {raw!r}")
    return int(raw)


def _parse_lock_store_url(name: str, raw: str) -> str | None:
    if not raw:
        return None
    if not raw.startswith(("redis://", "rediss://")):
        raise ConfigError(f"{name} must be a Redis URL (redis://host:port/db or rediss://...), got {raw!r}")
    return raw


def _parse_sqlalchemy_url(name: str, raw: str) -> str | None:
    if not raw:
        return None
    try:
        make_url(raw)
    except Exception:  # sqlalchemy raises ArgumentError (and ValueError for a bad port)
        raise ConfigError(f"{name} must be a SQLAlchemy database URL, got {raw!r}") from None
    return raw


def _parse_webhook_url(name: str, raw: str) -> str | None:
    if not raw:
        return None
    if not re.fullmatch(r"https://[^\s/?#]+(/[^\s?#]*)?", raw):  # Telegram posts to HTTPS only
        raise ConfigError(
            f"{name} must be the webhook's public HTTPS address, e.g. https://bot.example.com/telegram, got {raw!r}"
        )
    return raw


def _parse_chat_id(name: str, raw: str) -> int | None:
    if not raw:
        return None
    if not re.fullmatch(r"-?\d+", raw):
        raise ConfigError(f"{name} must be a Telegram chat id (a group's is negative), got {raw!r}")
    return int(raw)


_ENV_LINE = re.compile(r"^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")


def read_env_file(path: Path) -> dict[str, str]:
    """The ``KEY=VALUE`` lines of a ``.env`` file; ConfigError names a line it cannot read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the settings file ({exc})") from None
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _ENV_LINE.match(stripped)
        if match is None:
            raise ConfigError(f"{path}, line {number}: expected KEY=VALUE")
        key, value = match.group(1), match.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        else:
            value = re.sub(r"\s+#.*$", "", value)  # an unquoted value ends at " #"
        values[key] = value
    return values


def find_env_file(cwd: Path | None = None) -> Path | None:
    """``.env`` in the working directory, else in the project root; None when there is none."""
    for folder in (cwd or Path.cwd(), PROJECT_ROOT):
        candidate = folder / ENV_FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def load_settings(environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> Settings:
    """Read the ``RECERT_*`` and ``TELEGRAM_*`` variables (see README, "Configuration").

    Without arguments: the process environment over the ``.env`` file :func:`find_env_file`
    finds. With ``environ`` (tests): that mapping only, over ``env_file`` when given.
    """
    if environ is None:
        environ = os.environ
        env_file = env_file or find_env_file()
    from_file = read_env_file(env_file) if env_file is not None else {}
    env: dict[str, str] = {**from_file, **environ}
    sources = {
        name: FROM_ENVIRONMENT if name in environ else FROM_FILE
        for name in VARIABLES
        if name in env
    }
    environment = (env.get("RECERT_ENV") or "development").strip().lower()
    if environment not in ENVIRONMENTS:
        raise ConfigError(f"RECERT_ENV must be one of {', '.join(ENVIRONMENTS)}, got {environment!r}")
    var_dir = Path(env.get("RECERT_VAR_DIR", str(PROJECT_ROOT / "var")))
    today_raw = env.get("RECERT_TODAY", "").strip()
    rasa_port = _parse_port("RECERT_RASA_PORT", env.get("RECERT_RASA_PORT", "5005"))
    return Settings(
        database_url=env.get("RECERT_DATABASE_URL") or f"sqlite:///{var_dir / 'recert.sqlite3'}",
        today=_parse_date("RECERT_TODAY", today_raw) if today_raw else None,
        # The local default only protects a single-user terminal demo; production refuses it.
        identity_secret=env.get("RECERT_IDENTITY_SECRET") or DEV_IDENTITY_SECRET,
        var_dir=var_dir,
        rasa_url=env.get("RECERT_RASA_URL", f"http://127.0.0.1:{rasa_port}"),
        rasa_token=env.get("RECERT_RASA_TOKEN") or DEV_RASA_TOKEN,
        action_server_port=_parse_port(
            "RECERT_ACTION_PORT", env.get("RECERT_ACTION_PORT", "5055")
        ),
        rasa_port=rasa_port,
        telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN") or None,
        telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot"),
        telegram_webhook_url=_parse_webhook_url("TELEGRAM_WEBHOOK_URL", env.get("TELEGRAM_WEBHOOK_URL", "").strip()),
        telegram_webhook_secret_file=(
            Path(env["TELEGRAM_WEBHOOK_SECRET_FILE"]) if env.get("TELEGRAM_WEBHOOK_SECRET_FILE", "").strip() else None
        ),
        gateway_port=_parse_port("RECERT_GATEWAY_PORT", env.get("RECERT_GATEWAY_PORT", "").strip() or "8443"),
        environment=environment,
        log_name=env.get("RECERT_LOG_NAME", "").strip() or None,
        sources=sources,
        env_file=env_file,
        staff_chat_id=_parse_chat_id("STAFF_CHAT_ID", env.get("STAFF_CHAT_ID", "").strip()),
        staff_hours=parse_staff_hours(env.get("RECERT_STAFF_HOURS") or DEFAULT_STAFF_HOURS),
        reminder_interval=_parse_seconds(
            "RECERT_REMINDER_INTERVAL", env.get("RECERT_REMINDER_INTERVAL", "").strip() or "3600"
        ),
        rasa_instances=_parse_instances(
            "RECERT_RASA_INSTANCES", env.get("RECERT_RASA_INSTANCES", "").strip() or "1"
        ),
        lock_store_url=_parse_lock_store_url("RECERT_LOCK_STORE_URL", env.get("RECERT_LOCK_STORE_URL", "").strip()),
        tracker_store_url=_parse_sqlalchemy_url(
            "RECERT_TRACKER_STORE_URL", env.get("RECERT_TRACKER_STORE_URL", "").strip()
        ),
    )


# --- production ----------------------------------------------------------------------------


def development_secrets_in_use(settings: Settings) -> list[str]:
    """The secret variables that are unset (so at their local development default)."""
    problems = []
    if settings.identity_secret == DEV_IDENTITY_SECRET:
        problems.append("RECERT_IDENTITY_SECRET")
    if settings.rasa_token == DEV_RASA_TOKEN:
        problems.append("RECERT_RASA_TOKEN")
    return problems


def require_production_secrets(settings: Settings) -> None:
    """ConfigError naming each development secret in use, when the settings are production's."""
    if not settings.production:
        return
    missing = development_secrets_in_use(settings)
    if missing:
        why = "RECERT_ENV=production" if settings.environment == "production" else "TELEGRAM_BOT_TOKEN is set"
        raise ConfigError(
            f"production ({why}) refuses the local development secrets: set "
            f"{' and '.join(missing)} to a value of your own (e.g. `openssl rand -hex 32`), "
            "in the environment or in .env"
        )


WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")


def webhook_secret(settings: Settings) -> str:
    """The webhook's secret token from ``TELEGRAM_WEBHOOK_SECRET_FILE``; ConfigError says what to fix.

    Telegram accepts 1-256 characters of ``A-Z a-z 0-9 _ -`` and sends them back in the
    ``X-Telegram-Bot-Api-Secret-Token`` header of every webhook request.
    """
    path = settings.telegram_webhook_secret_file
    if path is None:
        raise ConfigError(
            "TELEGRAM_WEBHOOK_URL is set but TELEGRAM_WEBHOOK_SECRET_FILE is not: create one with "
            "`openssl rand -hex 32 > FILE; chmod 600 FILE` and set TELEGRAM_WEBHOOK_SECRET_FILE=FILE"
        )
    try:
        secret = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"TELEGRAM_WEBHOOK_SECRET_FILE: cannot read {path} ({exc}); create it with "
            f"`openssl rand -hex 32 > {path}; chmod 600 {path}`"
        ) from None
    if not WEBHOOK_SECRET_PATTERN.fullmatch(secret):
        raise ConfigError(
            f"TELEGRAM_WEBHOOK_SECRET_FILE: {path} must hold 1-256 characters of A-Z a-z 0-9 _ - "
            "(e.g. `openssl rand -hex 32`)"
        )
    return secret


# --- showing settings without their secrets ------------------------------------------------


def mask(secret: str | None) -> str:
    """``****abcd``: only the last four characters of a long secret, nothing of a short one."""
    if not secret:
        return "(unset)"
    return "****" + (secret[-4:] if len(secret) >= 16 else "")


def effective_values(settings: Settings) -> list[tuple[str, str, str]]:
    """``(variable, value as shown, source)`` for every variable; secrets masked."""
    shown = {
        "RECERT_ENV": settings.environment,
        "RECERT_DATABASE_URL": make_url(settings.database_url).render_as_string(hide_password=True),
        "RECERT_TODAY": settings.today.isoformat() if settings.today else "(the real date)",
        "RECERT_IDENTITY_SECRET": _shown_secret(settings.identity_secret, DEV_IDENTITY_SECRET),
        "RECERT_VAR_DIR": str(settings.var_dir),
        "RECERT_RASA_URL": settings.rasa_url,
        "RECERT_RASA_TOKEN": _shown_secret(settings.rasa_token, DEV_RASA_TOKEN),
        "RECERT_RASA_PORT": str(settings.rasa_port),
        "RECERT_ACTION_PORT": str(settings.action_server_port),
        "RECERT_RASA_INSTANCES": str(settings.rasa_instances),
        "RECERT_LOCK_STORE_URL": (
            _hide_url_password(settings.lock_store_url) if settings.lock_store_url
            else "(unset: in-memory, one Rasa instance only)"
        ),
        "RECERT_TRACKER_STORE_URL": (
            make_url(settings.tracker_store_url).render_as_string(hide_password=True)
            if settings.tracker_store_url else "(follows RECERT_DATABASE_URL)"
        ),
        "TELEGRAM_BOT_TOKEN": mask(settings.telegram_bot_token),
        "TELEGRAM_API_BASE_URL": settings.telegram_api_base_url,
        "TELEGRAM_WEBHOOK_URL": settings.telegram_webhook_url or "(unset: long polling)",
        "TELEGRAM_WEBHOOK_SECRET_FILE": str(settings.telegram_webhook_secret_file or "(unset)"),
        "RECERT_GATEWAY_PORT": str(settings.gateway_port),
        "STAFF_CHAT_ID": str(settings.staff_chat_id) if settings.staff_chat_id is not None else "(unset)",
        "RECERT_STAFF_HOURS": settings.staff_hours.describe(),
        "RECERT_REMINDER_INTERVAL": (
            f"{settings.reminder_interval} s" if settings.reminder_interval else "0 (no periodic pass)"
        ),
    }
    return [(name, shown[name], settings.source_of(name)) for name in VARIABLES]


def _hide_url_password(url: str) -> str:
    """``redis://:***@host:6379/0``: a URL as shown, its password (if any) hidden."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _shown_secret(value: str, development_default: str) -> str:
    return "(local development default)" if value == development_default else mask(value)


def redact(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if len(secret) >= MIN_REDACTED_LENGTH:
            text = text.replace(secret, mask(secret))
    return text


class RedactingFormatter(logging.Formatter):
    """A formatter whose output (message, arguments, traceback) never holds the given secrets."""

    def __init__(self, fmt: str | None, secrets: Iterable[str]) -> None:
        super().__init__(fmt)
        # Longest first, so a secret that contains another is replaced whole.
        self._secrets = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self._secrets)


def redacting_handler(settings: Settings, fmt: str) -> logging.Handler:
    """A stderr handler whose lines never hold the settings' secrets (for ``logging.basicConfig``)."""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(fmt, settings.secrets()))
    return handler
