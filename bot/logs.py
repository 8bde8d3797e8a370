"""Structured, bounded, secret-free logs for every long-running part.

Each part's entry point (the gateway, the reminders worker, the action server, the Rasa server,
``recert up``'s stack) calls :func:`configure` once. From then on every log record leaves the
process as one JSON object on one line (``timestamp, level, part, logger, message`` and, where
the caller knows them, ``conversation``, ``latency_ms``, ``outcome``) into
``<RECERT_VAR_DIR>/log/<part>.jsonl``, a file that rotates by size and keeps a few backups
(:class:`logging.handlers.RotatingFileHandler`), so a long-running stack never fills its disk.
Records of :data:`STDERR_LEVEL` and above also go to stderr, so a part that dies while starting
shows why in ``var/log/<part>.log`` (the raw output ``recert up`` keeps, see
``bot.stack.processes``) and under systemd in the journal.

What never reaches a line:

- the secrets in use (``RECERT_IDENTITY_SECRET``, ``RECERT_RASA_TOKEN``, ``TELEGRAM_BOT_TOKEN``)
  and anything shaped like a Telegram bot token, a ``token=`` query parameter, a password in a
  URL (``postgresql://user:****@host``, ``redis://:****@host``) or an e-mail address, in the
  message, its arguments, the extra fields or a traceback (:class:`RedactingFilter`);
- a raw conversation id: callers pass the sender (``telegram:42``) as
  ``extra={"conversation": sender}`` and the filter replaces it with a keyed hash
  (:func:`conversation_hash`), the same in every part (they share the identity secret), so one
  conversation can be followed across the gateway, Rasa and the action server without its
  Telegram user id being written down;
- message texts and personal records: the code never passes them (see ``STYLE``: not at INFO);
  the filter is the second line of defence, not the first.

The JSON lines come from python-json-logger (a kept formatter); the rotation from the standard
library. One file per process: two processes never share a rotating file (each Rasa instance
logs under its own part name, see :func:`part_name`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import logging.handlers
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from bot.settings import Settings, mask

MAX_BYTES = 10 * 1024 * 1024  # rotate at 10 MiB ...
BACKUP_COUNT = 5  # ... and keep five old files: at most 60 MiB per part
STDERR_LEVEL = logging.ERROR
SUFFIX = ".jsonl"

# Fields a caller may add with ``extra=``; the formatter writes every extra field anyway.
CONVERSATION, LATENCY_MS, OUTCOME = "conversation", "latency_ms", "outcome"

_HASH_CONTEXT = b"recert log conversation id v1"
_TELEGRAM_TOKEN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}\b")
_TOKEN_PARAMETER = re.compile(r"((?:[?&]|\b)(?:auth_)?token=)[^&\s\"']+", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"([a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]+@", re.IGNORECASE)
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
# Loggers whose INFO lines carry a URL with the bot token or a user's text.
_QUIET_LOGGERS = ("httpx", "httpcore", "telegram.ext.Updater", "apscheduler")


def conversation_hash(sender: str, key: bytes) -> str:
    """A short keyed hash of a conversation id: stable for one key, not reversible without it
    (a plain hash of ``telegram:<id>`` could be undone by trying every id)."""
    return hmac.new(key, sender.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def hash_key(settings: Settings) -> bytes:
    """The conversation-hash key every part derives alike from the identity secret."""
    return hmac.new(settings.identity_secret.encode("utf-8"), _HASH_CONTEXT, hashlib.sha256).digest()


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """``text`` without the given secrets and without anything shaped like a token or e-mail."""
    for secret in secrets:
        text = text.replace(secret, mask(secret))
    text = _TELEGRAM_TOKEN.sub("****", text)
    text = _TOKEN_PARAMETER.sub(r"\1****", text)
    text = _URL_PASSWORD.sub(r"\1****@", text)
    return _EMAIL.sub("<email>", text)


class RedactingFilter(logging.Filter):
    """Rewrites a record in place so no handler after it can write a secret or a raw sender.

    The message is formatted here (arguments merged) and redacted, a traceback is rendered and
    redacted, string extras are redacted, and ``conversation`` becomes its keyed hash.
    """

    def __init__(self, secrets: Iterable[str], key: bytes) -> None:
        super().__init__()
        # Longest first, so a secret that contains another is replaced whole; very short values
        # (test settings) are left alone: they would mangle every word.
        self._secrets = tuple(sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True))
        self._key = key
        self._traceback = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_recert_redacted", False):
            return True  # a second handler sees the record already rewritten
        record.msg = redact_text(record.getMessage(), self._secrets)
        record.args = None
        if record.exc_info:
            record.exc_text = redact_text(self._traceback.formatException(record.exc_info), self._secrets)
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info, self._secrets)
        sender = getattr(record, CONVERSATION, None)
        if sender:
            setattr(record, CONVERSATION, conversation_hash(str(sender), self._key))
        for name, value in list(vars(record).items()):
            if name not in _STANDARD_ATTRIBUTES and name != CONVERSATION and isinstance(value, str):
                setattr(record, name, redact_text(value, self._secrets))
        record._recert_redacted = True
        return True


_STANDARD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def json_formatter(part: str) -> logging.Formatter:
    """One JSON object per record: timestamp (UTC ISO 8601), level, part, logger, message, extras."""
    return JsonFormatter(
        "{levelname}{name}{message}",
        style="{",
        rename_fields={"levelname": "level", "name": "logger"},
        static_fields={"part": part},
        timestamp=True,
        reserved_attrs=[*_STANDARD_ATTRIBUTES, "_recert_redacted"],
        json_ensure_ascii=False,
    )


def part_name(default: str, settings: Settings) -> str:
    """The name this process logs under: ``RECERT_LOG_NAME`` (``recert up`` sets it to the name it
    gives the process, e.g. one per Rasa instance), else ``default``."""
    name = settings.log_name or ""
    return name if re.fullmatch(r"[A-Za-z0-9_.-]+", name) else default


def file_handler(
    part: str,
    settings: Settings,
    *,
    directory: Path | None = None,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
) -> logging.handlers.RotatingFileHandler:
    """The JSON-lines handler of ``part``: ``<directory>/<part>.jsonl``, rotated at ``max_bytes`` with
    ``backup_count`` old files kept, behind the redacting filter."""
    directory = directory or settings.var_dir / "log"
    directory.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        directory / f"{part}{SUFFIX}", maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
    )
    _secure(handler, part, settings)
    return handler


def _secure(handler: logging.Handler, part: str, settings: Settings) -> None:
    handler.addFilter(RedactingFilter(settings.secrets(), hash_key(settings)))
    handler.setFormatter(json_formatter(part))


def configure(
    part: str,
    settings: Settings,
    *,
    level: int = logging.INFO,
    directory: Path | None = None,
    max_bytes: int = MAX_BYTES,
    backup_count: int = BACKUP_COUNT,
    stderr: bool = True,
) -> Path:
    """Send every log record of this process to ``<directory>/<part>.jsonl`` as JSON lines (rotated
    at ``max_bytes``, ``backup_count`` old files kept) and errors also to stderr; the file's path.

    For a part's own process: replaces whatever handlers the root logger had (Rasa's coloured
    console, ``basicConfig``), and routes Python warnings through logging so they are bounded too.
    """
    handler = file_handler(part, settings, directory=directory, max_bytes=max_bytes, backup_count=backup_count)
    handlers: list[logging.Handler] = [handler]
    if stderr:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(STDERR_LEVEL)
        _secure(console, part, settings)
        handlers.append(console)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
        old.close()
    for new in handlers:
        root.addHandler(new)
    root.setLevel(level)
    _quiet_chatty_loggers(level)
    logging.captureWarnings(True)
    _ForkedChildren.follow(handler, part)
    return Path(handler.baseFilename)


class _ForkedChildren:
    """A forked child (the action server's Sanic workers: ``ACTION_SERVER_SANIC_WORKERS``) writes to a
    file of its own, ``<part>-w<n>.jsonl``: two processes rotating one file would rename it under
    each other. ``n`` counts the forks of the configured process, so a server with N workers keeps
    N files (each rotated), not one per pid ever started."""

    handler: logging.handlers.RotatingFileHandler | None = None
    part = ""
    forks = 0
    registered = False

    @classmethod
    def follow(cls, handler: logging.handlers.RotatingFileHandler, part: str) -> None:
        cls.handler, cls.part, cls.forks = handler, part, 0
        if not cls.registered:
            os.register_at_fork(before=cls._before, after_in_child=cls._in_child)
            cls.registered = True

    @classmethod
    def _before(cls) -> None:
        cls.forks += 1

    @classmethod
    def _in_child(cls) -> None:
        handler = cls.handler
        if handler is None:
            return
        path = Path(handler.baseFilename)
        handler.acquire()
        try:
            if handler.stream is not None:
                handler.stream.close()  # the parent's file object, shared through the fork
                handler.stream = None  # type: ignore[assignment]
            handler.baseFilename = str(path.with_name(f"{cls.part}-w{cls.forks}{SUFFIX}"))
        finally:
            handler.release()
        # a child's children number their own files from there
        cls.part, cls.forks = f"{cls.part}-w{cls.forks}", 0


def attach(part: str, settings: Settings, *, level: int = logging.INFO) -> Path:
    """Also write this process's records of ``level`` and above to ``<part>.jsonl`` (rotated), keeping
    the handlers it has at the level they showed before: for a command line (``recert up``) whose
    terminal output stays as it was."""
    root = logging.getLogger()
    for existing in root.handlers:
        existing.setLevel(max(existing.level, root.level))
    handler = file_handler(part, settings)
    handler.setLevel(level)
    root.addHandler(handler)
    root.setLevel(min(root.level, level))
    _quiet_chatty_loggers(level)
    return Path(handler.baseFilename)


def _quiet_chatty_loggers(level: int) -> None:
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))


def fields(sender: str | None = None, latency_ms: float | None = None, outcome: str | None = None) -> dict[str, Any]:
    """``extra=`` for a request line: the raw sender (hashed by the filter), latency, outcome."""
    extra: dict[str, Any] = {}
    if sender:
        extra[CONVERSATION] = sender
    if latency_ms is not None:
        extra[LATENCY_MS] = round(latency_ms, 1)
    if outcome:
        extra[OUTCOME] = outcome
    return extra
