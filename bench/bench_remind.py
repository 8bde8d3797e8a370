"""Benchmark: one reminder pass planned over N generated trainers (``recert remind --dry-run``'s work).

    .venv/bin/python bench/bench_remind.py                      # 10k and 100k on SQLite (var/bench/)
    .venv/bin/python bench/bench_remind.py -n 100000 --database-url postgresql+psycopg2://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/bench_remind.py --measure sqlite:///var/bench/bench-100000.sqlite3   # a store made before

The trainers are the ones ``bench/bench_assess.py`` generates (every phase, eight time zones), each
linked to a Telegram account so every one of them is considered. Then, in a fresh child process,
``bot.reminders.planner.plan`` streams the store (keyset batches), finds where to reach each
trainer and which milestones are already finished (one query each per batch), assesses each
credential on the trainer's own today, decides the due milestones and words every reminder with the
text trainers would read. The planned reminders are counted, not kept, as the pass's memory
holds only one batch of records. Reported: wall and CPU time, trainers/s, reminders planned (due
now / later in the send window), and the child's resident memory before and at peak.

The peak is the child's own high-water mark (``VmHWM`` of ``/proc/self/status``). ``ru_maxrss`` is
not: Linux carries a process's peak across ``execve``, so a child forked from the parent that has
just generated N trainers starts with the parent's peak (about 83 MiB at 20,000, 100 MiB at
100,000), which made the pass look as if its memory grew with N. Both are printed with ``--json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(PROJECT_ROOT / "bench"))

from bench_assess import DEFAULT_TODAY, _rss_mb, populate, store_url  # noqa: E402
from bench_progress import bar, step  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from bot.reminders.planner import plan  # noqa: E402
from bot.store.bootstrap import make_session_factory  # noqa: E402
from bot.store.models import ChannelIdentityRow, TrainerRow  # noqa: E402
from bot.store.unit_of_work import SqlAlchemyUnitOfWork  # noqa: E402

DEFAULT_SIZES = (10_000, 100_000)
# 15:00 UTC on the benchmark day: inside the window in Europe and the Americas, outside in Sydney/Auckland
DEFAULT_NOW = datetime.combine(DEFAULT_TODAY, datetime.min.time(), timezone.utc).replace(hour=15)


def link_everyone(url: str) -> None:
    factory = make_session_factory(url, migrate=False)
    with SqlAlchemyUnitOfWork(factory) as uow:
        ids = list(uow.session.execute(select(TrainerRow.id).order_by(TrainerRow.id)).scalars())
        linked_at = datetime.now(timezone.utc)
        rows = [
            {"channel": "telegram", "user_id": str(10_000_000 + n), "trainer_id": trainer_id, "linked_at": linked_at}
            for n, trainer_id in enumerate(ids)
        ]
        for start in range(0, len(rows), 5000):
            uow.session.execute(insert(ChannelIdentityRow.__table__), rows[start:start + 5000])
        uow.commit()
    engine = factory.kw["bind"]
    if engine.dialect.name == "postgresql":  # statistics as autovacuum would soon have them
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE channel_identities")
    engine.dispose()


def one_pass(url: str, now: datetime, total: int | None = None) -> dict[str, Any]:
    factory = make_session_factory(url, migrate=False)
    trainers = 0
    shown = bar(total or 0, "planning") if total else None

    def progress(count: int) -> None:
        nonlocal trainers
        trainers += count
        if shown is not None:
            shown.update(count)

    due = later = chars = 0
    cpu_started, started = time.process_time(), time.perf_counter()
    for item in plan(SqlAlchemyUnitOfWork(factory), now, progress=progress):
        if item.due_by(now):
            due += 1
        else:
            later += 1
        chars += len(item.text)
    total = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    if shown is not None:
        shown.close()
    factory.kw["bind"].dispose()
    return {"trainers": trainers, "due_now": due, "later": later, "text_chars": chars,
            "total_seconds": total, "cpu_seconds": cpu}


def _peak_rss_mb() -> float:
    """This process's resident high-water mark (``VmHWM``), which starts afresh at ``execve``."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(url: str, now: datetime) -> dict[str, Any]:
    """In a fresh child process: warm up, then one pass, and this process's peak memory."""
    factory = make_session_factory(url, migrate=False)
    for _ in zip(range(5), plan(SqlAlchemyUnitOfWork(factory), now, batch_size=10), strict=False):
        pass
    factory.kw["bind"].dispose()
    baseline = _rss_mb()
    with SqlAlchemyUnitOfWork(factory) as uow:
        total = uow.trainers.count()
    result = one_pass(url, now, total)
    result["baseline_rss_mb"] = baseline
    result["peak_rss_mb"] = _peak_rss_mb()
    result["ru_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # includes the parent's
    result["load_average_1m"] = os.getloadavg()[0]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES))
    parser.add_argument("-n", type=int, help="a single size (overrides --sizes)")
    parser.add_argument("--database-url", help="store to use (default: SQLite files under var/bench/)")
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--now", default=DEFAULT_NOW.isoformat(), help="plan as of (default %(default)s)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--measure", metavar="URL", help="only the pass, on a store generated before (JSON)")
    args = parser.parse_args(argv)
    now = datetime.fromisoformat(args.now)
    if args.measure:
        print(json.dumps(measure(args.measure, now)))
        return 0
    for n in [args.n] if args.n else [int(s) for s in args.sizes.split(",") if s.strip()]:
        url = store_url(args.database_url, n)
        with step(f"generating {n:,} trainers into {url}"):
            generation = populate(url, n, args.seed, DEFAULT_TODAY)
        with step(f"linking {n:,} trainers to Telegram accounts"):
            link_everyone(url)
        with step(f"one reminder pass over {n:,} trainers (a fresh child process)"):
            child = subprocess.run(
                [sys.executable, __file__, "--measure", url, "--now", now.isoformat()],
                stdout=subprocess.PIPE, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"},
            )
        r = json.loads(child.stdout.strip().splitlines()[-1])
        r.update(n=n, generate_seconds=generation, trainers_per_second=r["trainers"] / r["total_seconds"])
        if args.json:
            print(json.dumps(r), flush=True)
        else:
            print(
                f"N={n:>7,}  generate {generation:5.1f} s | pass {r['total_seconds']:5.2f} s "
                f"(CPU {r['cpu_seconds']:5.2f} s, load {r['load_average_1m']:.1f}) "
                f"{r['trainers_per_second']:,.0f} trainers/s | {r['due_now']:,} due now, {r['later']:,} later "
                f"| RSS before {r['baseline_rss_mb']:.0f} MiB, peak {r['peak_rss_mb']:.0f} MiB",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
