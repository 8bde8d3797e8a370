"""Helpers for the tests that read what ``bot.logs`` wrote: the JSON lines, and the root logger put back.

``bot.logs.configure`` replaces the root logger's handlers (and routes warnings through logging), as each
process of the stack wants; in a test process that would leave pytest's capture handlers gone for every
later test, so the tests that configure logging run inside :func:`restored_root_logging`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def json_lines(path: Path) -> list[dict[str, Any]]:
    """Every line of a ``.jsonl`` log as its JSON object (a line that is not one JSON object fails)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@contextmanager
def restored_root_logging() -> Iterator[None]:
    """Afterwards: the root logger's handlers and level as they were, warnings no longer captured."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
        logging.captureWarnings(False)
