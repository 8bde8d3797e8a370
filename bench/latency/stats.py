"""Latency summaries: p50, p95, max per message and messages per second.

Percentiles interpolate linearly between the two closest ranks (NumPy's default
``linear`` method), so p95 of a small sample is not pinned to one outlier the way
nearest-rank would be; with ``n`` samples p95 lies between the ``0.95 * (n - 1)``-th
and the next sorted value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) of ``values`` by linear interpolation."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0.0 <= q <= 100.0:
        raise ValueError(f"percentile must be within 0..100, got {q}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Summary:
    """One bot in one mode: the figures the issue asks for, latencies in milliseconds."""

    messages: int
    errors: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    mean_ms: float
    wall_seconds: float
    messages_per_second: float

    def to_dict(self) -> dict[str, Any]:
        return {key: round(value, 3) if isinstance(value, float) else value
                for key, value in asdict(self).items()}


def summarize(latencies_ms: Sequence[float], wall_seconds: float, errors: int = 0) -> Summary:
    """Summarise measured (successful) message latencies over a phase of ``wall_seconds``.

    Messages per second counts the successful messages over the phase's wall time
    (first send to last reply), so in the concurrent mode it is the server's throughput,
    not the inverse of the latency.
    """
    if not latencies_ms:
        raise ValueError("no successful messages to summarise")
    return Summary(
        messages=len(latencies_ms),
        errors=errors,
        p50_ms=percentile(latencies_ms, 50),
        p95_ms=percentile(latencies_ms, 95),
        max_ms=max(latencies_ms),
        mean_ms=sum(latencies_ms) / len(latencies_ms),
        wall_seconds=wall_seconds,
        messages_per_second=len(latencies_ms) / wall_seconds if wall_seconds > 0 else float("nan"),
    )
