"""Benchmark: stream every trainer out of the store and assess each one.

    .venv/bin/python bench/bench_assess.py                        # 10k, 50k, 100k on SQLite (var/bench/)
    .venv/bin/python bench/bench_assess.py --sizes 100000 --database-url postgresql+psycopg2://postgres@127.0.0.1:5432/test

For each size N the script generates N realistic trainer records (bulk inserts, timed on their own),
then, in a fresh child process, reads them back with ``uow.trainers.iter_records()`` (keyset
batches) and runs ``rules.engine.assess_trainer`` on each. It reports the time of the read and of
the assessment, the throughput, and the child's peak resident memory (``ru_maxrss``) next to its
resident memory before reading: if streaming works, the peak does not grow with N. ``--tracemalloc``
adds a second pass that reports the peak of Python allocations (slower; not part of the timing).

On PostgreSQL each size gets its own schema ``bench_<N>`` (dropped first), so nothing else is touched.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from bench_progress import counted, step  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bot.clock import today_in  # noqa: E402
from bot.store.bootstrap import make_engine, make_session_factory  # noqa: E402
from bot.store.unit_of_work import SqlAlchemyUnitOfWork  # noqa: E402
from rules.engine import assess_trainer  # noqa: E402
from rules.model import (  # noqa: E402
    Application,
    CatalogCourse,
    CERecord,
    CEStatus,
    CprAedCard,
    Credential,
    Plan,
    TrainerRecord,
)

DEFAULT_SIZES = (10_000, 50_000, 100_000)
DEFAULT_TODAY = date(2026, 11, 30)
CATALOG = (
    CatalogCourse("NASM-CES", "Corrective Exercise Specialist", "NASM", Decimal("1.9")),
    CatalogCourse("NASM-PES", "Performance Enhancement Specialist", "NASM", Decimal("1.9")),
    CatalogCourse("NASM-WLS", "Weight Loss Specialist", "NASM", Decimal("0.8")),
    CatalogCourse("NASM-YES", "Youth Exercise Specialist", "NASM", Decimal("1.5")),
    CatalogCourse("NASM-STRETCH", "Stretching and Flexibility Coach", "NASM", Decimal("0.7")),
    CatalogCourse("AFAA-PILATES", "Mat Pilates Instructor", "AFAA", Decimal("0.6")),
)
ZONES = (
    "America/Chicago", "America/Los_Angeles", "America/New_York", "America/Denver",
    "Europe/London", "Europe/Dublin", "Pacific/Auckland", "Australia/Sydney",
)
CPR_PROVIDERS = ("American Red Cross", "American Heart Association", "ASTI", "Coastal CPR Training")
STATUSES = (CEStatus.APPROVED,) * 7 + (
    CEStatus.PENDING_PETITION, CEStatus.PETITION_DENIED, CEStatus.UNAPPROVED,
)


def generate(n: int, seed: int, today: date) -> Iterator[TrainerRecord]:
    """N trainers spread over every phase: about 1 credential, 3 CE records, 1 card each."""
    rng = random.Random(seed)
    for i in range(n):
        expires_on = today + timedelta(days=rng.randint(-500, 730))
        start = expires_on - timedelta(days=730)
        ce_records = []
        for _ in range(rng.randint(0, 5)):
            completed_on = start + timedelta(days=rng.randint(0, 820))
            if rng.random() < 0.6:
                course = rng.choice(CATALOG)
                ce_records.append(
                    CERecord(completed_on, course.ceus, CEStatus.APPROVED, course.title, course.provider, course.id)
                )
            else:
                ce_records.append(
                    CERecord(
                        completed_on, Decimal(rng.randint(1, 12)) / 10, rng.choice(STATUSES),
                        "Workshop", "Some Studio",
                    )
                )
        cards = []
        if rng.random() < 0.85:
            issued = today - timedelta(days=rng.randint(0, 900))
            cards.append(
                CprAedCard(rng.choice(CPR_PROVIDERS), issued + timedelta(days=730), rng.random() < 0.9, issued)
            )
        applications = []
        if rng.random() < 0.2:
            submitted = expires_on - timedelta(days=rng.randint(-100, 60))
            selected = submitted + timedelta(days=3) if rng.random() < 0.3 else None
            applications.append(Application("nasm-cpt", submitted, selected, None))
        yield TrainerRecord(
            trainer_id=f"T-{i:07d}",
            name=f"Trainer {i}",
            timezone=rng.choice(ZONES),
            credentials=(
                Credential(
                    "nasm-cpt", expires_on, Plan.LIFETIME if rng.random() < 0.1 else Plan.STANDARD,
                    f"{8_000_000 + i}", None,
                ),
            ),
            ce_records=tuple(ce_records),
            cpr_aed_cards=tuple(cards),
            applications=tuple(applications),
        )


def store_url(base_url: str | None, n: int) -> str:
    """A fresh, empty store for size N (a SQLite file, or a PostgreSQL schema)."""
    if base_url is None:
        path = PROJECT_ROOT / "var" / "bench" / f"bench-{n}.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".migrate-lock").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    url = make_url(base_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        path.unlink(missing_ok=True)
        return base_url
    schema = f"bench_{n}"
    engine = make_engine(base_url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine.dispose()
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


def populate(url: str, n: int, seed: int, today: date) -> float:
    factory = make_session_factory(url, migrate=True)
    started = time.perf_counter()
    with SqlAlchemyUnitOfWork(factory) as uow:
        for course in CATALOG:
            uow.catalog.upsert_course(course)
        uow.trainers.add_many(counted(generate(n, seed, today), n, "generating"), chunk_size=5000)
        uow.commit()
    elapsed = time.perf_counter() - started
    if make_url(url).get_backend_name() == "postgresql":
        with factory.kw["bind"].begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    factory.kw["bind"].dispose()
    return elapsed


def _rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


@dataclass
class Pass:
    trainers: int
    credentials: int
    total_seconds: float
    assess_seconds: float
    cpu_seconds: float  # this process's CPU time for the pass: robust against a busy machine


def stream_and_assess(url: str, batch_size: int, today: date | None) -> Pass:
    factory = make_session_factory(url, migrate=False)
    trainers = credentials = 0
    assess_seconds = 0.0
    clock = time.perf_counter
    cpu_started = time.process_time()
    started = clock()
    with SqlAlchemyUnitOfWork(factory) as uow:
        for record in uow.trainers.iter_records(batch_size=batch_size):
            t0 = clock()
            assessments = assess_trainer(record, today_in(record.timezone, today))
            assess_seconds += clock() - t0
            trainers += 1
            credentials += len(assessments)
    total = clock() - started
    cpu = time.process_time() - cpu_started
    factory.kw["bind"].dispose()
    return Pass(trainers, credentials, total, assess_seconds, cpu)


def measure(url: str, batch_size: int, today: date | None, trace: bool) -> dict[str, Any]:
    """Runs in a fresh child process, so ``ru_maxrss`` is this phase's own peak."""
    # Warm up imports, the policy cache and the connection before taking the baseline.
    stream_and_assess_warmup(url, today)
    baseline = _rss_mb()
    run = stream_and_assess(url, batch_size, today)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    result: dict[str, Any] = {
        "trainers": run.trainers,
        "credentials": run.credentials,
        "read_seconds": run.total_seconds - run.assess_seconds,
        "assess_seconds": run.assess_seconds,
        "total_seconds": run.total_seconds,
        "cpu_seconds": run.cpu_seconds,
        "load_average_1m": os.getloadavg()[0],
        "baseline_rss_mb": baseline,
        "peak_rss_mb": peak,
    }
    if trace:
        tracemalloc.start()
        stream_and_assess(url, batch_size, today)
        result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result


def stream_and_assess_warmup(url: str, today: date | None) -> None:
    factory = make_session_factory(url, migrate=False)
    with SqlAlchemyUnitOfWork(factory) as uow:
        for record in uow.trainers.iter_records(batch_size=10):
            assess_trainer(record, today_in(record.timezone, today))
            break
    factory.kw["bind"].dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(s) for s in DEFAULT_SIZES),
                        help="comma-separated trainer counts (default %(default)s)")
    parser.add_argument("-n", type=int, help="a single size (overrides --sizes)")
    parser.add_argument("--database-url", help="store to use (default: SQLite files under var/bench/)")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--today", type=_day, default=DEFAULT_TODAY,
                        help="assess as of this day (default %(default)s); 'trainer' = each trainer's own today")
    parser.add_argument("--tracemalloc", action="store_true", help="add a pass measuring Python allocations")
    parser.add_argument("--reuse", action="store_true", help="measure an already generated store (skip generation)")
    parser.add_argument("--json", action="store_true", help="print one JSON line per size")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: child process mode
    args = parser.parse_args(argv)

    if args.measure:
        print(json.dumps(measure(args.measure, args.batch_size, args.today, args.tracemalloc)))
        return 0

    sizes = [args.n] if args.n else [int(s) for s in args.sizes.split(",") if s.strip()]
    rows = []
    for n in sizes:
        if args.reuse:
            url = _reuse_url(args.database_url, n)
            generation = float("nan")
        else:
            url = store_url(args.database_url, n)
            with step(f"generating {n:,} trainers into {url}"):
                generation = populate(url, n, args.seed, args.today)
        with step(f"reading and assessing {n:,} trainers (a fresh child process)"):
            child = subprocess.run(
                [sys.executable, __file__, "--measure", url, "--batch-size", str(args.batch_size),
                 "--today", args.today.isoformat() if args.today else "trainer",
                 *(["--tracemalloc"] if args.tracemalloc else [])],
                stdout=subprocess.PIPE, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"},
            )
        result = json.loads(child.stdout.strip().splitlines()[-1])
        result["n"] = n
        result["generate_seconds"] = generation
        result["trainers_per_second"] = result["trainers"] / result["total_seconds"]
        rows.append(result)
        if args.json:
            print(json.dumps(result), flush=True)
        else:
            print(_line(result), flush=True)
    return 0


def _day(text: str) -> date | None:
    return None if text == "trainer" else date.fromisoformat(text)


def _reuse_url(base_url: str | None, n: int) -> str:
    if base_url is None:
        return f"sqlite:///{PROJECT_ROOT / 'var' / 'bench' / f'bench-{n}.sqlite3'}"
    url = make_url(base_url)
    if url.get_backend_name() == "sqlite":
        return base_url
    return url.update_query_dict({"options": f"-csearch_path=bench_{n}"}).render_as_string(hide_password=False)


def _line(r: dict[str, Any]) -> str:
    text = (
        f"N={r['n']:>7,}  generate {r['generate_seconds']:6.1f} s | read {r['read_seconds']:5.2f} s"
        f" + assess {r['assess_seconds']:5.2f} s = {r['total_seconds']:5.2f} s"
        f" (CPU {r['cpu_seconds']:5.2f} s, load {r['load_average_1m']:.1f})"
        f"  {r['trainers_per_second']:,.0f} trainers/s"
        f" | RSS before {r['baseline_rss_mb']:.0f} MiB, peak {r['peak_rss_mb']:.0f} MiB"
    )
    if "tracemalloc_peak_mb" in r:
        text += f" | tracemalloc peak {r['tracemalloc_peak_mb']:.1f} MiB"
    return text


if __name__ == "__main__":
    sys.exit(main())
