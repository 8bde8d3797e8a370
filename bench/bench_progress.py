"""What a benchmark is doing, on stderr: a bar with elapsed time and rate on a terminal, and a
line with the elapsed time when each step ends (also in logs and pipes, where bars are off).

The figures go to stdout; this keeps the minutes of generating and measuring from being silence.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


@contextmanager
def step(what: str) -> Iterator[None]:
    """``what ...`` when it starts, ``what: 12.3 s`` when it ends."""
    print(f"{what} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    yield
    print(f"{what}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


def counted(items: Iterable[T], total: int, what: str, unit: str = " trainers") -> Iterator[T]:
    """``items`` with a bar on a terminal (none elsewhere: ``step`` says when it is done)."""
    yield from tqdm(items, total=total, desc=what, unit=unit, file=sys.stderr, disable=not sys.stderr.isatty(),
                    mininterval=0.5)


def bar(total: int, what: str, unit: str = " trainers") -> tqdm:
    """A bar to ``update(count)`` as work is done (disabled off a terminal)."""
    return tqdm(total=total, desc=what, unit=unit, file=sys.stderr, disable=not sys.stderr.isatty(), mininterval=0.5)
