"""Latency benchmark: our assistant next to a plain ``rasa init`` bot, through the REST path.

    .venv/bin/python bench/bench_latency.py                          # 20 conversations, 8 concurrent
    .venv/bin/python bench/bench_latency.py --conversations 40 --wait-quiet 45  # the recorded run
    .venv/bin/python bench/bench_latency.py --skip-plain             # our stack only (no ratio)
    .venv/bin/python bench/bench_latency.py --concurrency 8 32 --no-variant \
        --postgres-url postgresql+psycopg2://postgres@127.0.0.1:5432/recert_bench \
        --redis-url redis://127.0.0.1:6379/5      # + the production shape: 2 Rasa instances, PG, Redis

In one run it creates and trains (once per Rasa version) a plain ``rasa init`` bot in
``var/bench/plain-bot`` and serves it with ``rasa run --enable-api``; starts our stack
with ``recert up`` in ``var/bench/stack`` on ports of its own (or reuses it when it is
already up there with the current model), with the demo records and
``RECERT_TODAY=2026-11-30``; then drives both with the same client
(``bot.channels.rasa_client.RasaClient``) through ``POST /webhooks/rest/webhook``: first
sequentially (one conversation at a time), then with ``--concurrency`` conversations in
flight, the bots taking turns within each mode so that a change in the machine's load hits
all of them. Each phase starts with warm-up conversations that are not measured. Per
message it records send -> full reply; per bot and mode it reports p50, p95, max and
messages per second, and the ratio of our p95 to the plain bot's against the target
(ours <= 1.5x plain), next to how much CPU other processes took during the phase.

With ``--postgres-url`` and ``--redis-url`` a third bot joins the same run: our stack in the
production shape (``RECERT_RASA_INSTANCES=2`` behind HAProxy, the Redis lock store, the record and
tracker stores on PostgreSQL), in ``var/bench/stack-2x`` on ports of its own. ``--concurrency``
takes several values (one concurrent mode each). After start-up and again after the last phase the
run records the memory of every Rasa instance (resident, and from ``smaps_rollup`` the anonymous
and file-backed parts).

To explain the figures: (unless ``--no-variant``) our model is measured a second time with
Rasa's in-memory tracker store, as the plain bot has; ``latency.probes`` times NLU alone,
the action server alone and a tracker read; ``latency/breakdown.py`` times the steps of
message handling inside the Rasa process for each model, and what two remedies would gain.

Results: ``var/bench/latency.json`` (everything) and ``var/bench/latency.md`` (the
tables); docs/latency.md records the figures. Whatever the run started is stopped at the
end (our stack only if this run started it, and not with ``--keep-stack``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = PROJECT_ROOT / ".venv" / "bin" / "python"


def _ensure_venv() -> None:
    """Re-run under the project's venv when started with another Python (``python bench/...``).

    The servers are started with ``sys.executable -m rasa``, so the benchmark must run on
    the interpreter that has rasa and the project installed.
    """
    try:
        import httpx  # noqa: F401
        import rasa_sdk  # noqa: F401  (cheap stand-in for "the project's venv")
    except ModuleNotFoundError:
        # Compare prefixes, not binaries: the venv's python is a symlink to the base interpreter.
        if VENV_PYTHON.is_file() and Path(sys.prefix).resolve() != VENV_PYTHON.parent.parent.resolve():
            os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])
        raise


_ensure_venv()
sys.path.insert(0, str(PROJECT_ROOT))

from latency import probes  # noqa: E402  (bench/ is sys.path[0] when run as a script)
from latency.driver import Phase, Target, run_concurrent, run_sequential  # noqa: E402
from latency.plain_bot import PlainBot  # noqa: E402
from latency.procs import CpuMeter, busy_processes, load_average, machine, memory_of  # noqa: E402
from latency.report import error_samples, markdown, per_step, write_json  # noqa: E402
from latency.scripts import (  # noqa: E402
    OUR_MESSAGES,
    OUR_NO_ACTION_STEPS,
    PLAIN_MESSAGES,
    plan,
)
from latency.stack import (  # noqa: E402
    DEFAULT_ACTION_PORT,
    DEFAULT_RASA_PORT,
    IDENTITY_SECRET,
    RASA_TOKEN,
    OurStack,
    ensure_postgres_database,
)
from latency.stats import summarize  # noqa: E402
from latency.variant import STACK_RASA_ENTRY, MemoryTrackerVariant  # noqa: E402

from bot.stack.errors import StackError  # noqa: E402

BENCH_DIR = PROJECT_ROOT / "var" / "bench"
TARGET_RATIO = 1.5
VARIANT = "ours_memory_tracker"  # our model + action server, Rasa's in-memory tracker store
PRODUCTION = "ours_2x_pg_redis"  # our stack with 2 Rasa instances, HAProxy, PostgreSQL, Redis lock store
PRODUCTION_RASA_PORT, PRODUCTION_ACTION_PORT = 5405, 5455


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=20,
                        help="measured conversations per bot and mode (default 20)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8],
                        help="conversations in flight, one concurrent mode per value (default 8)")
    parser.add_argument("--postgres-url", metavar="URL",
                        help="with --redis-url: also measure the production shape on this PostgreSQL "
                             "database (created if missing), e.g. "
                             "postgresql+psycopg2://postgres@127.0.0.1:5432/recert_bench")
    parser.add_argument("--redis-url", metavar="URL",
                        help="the production shape's lock store, e.g. redis://127.0.0.1:6379/5")
    parser.add_argument("--instances", type=int, default=2,
                        help="Rasa instances of the production shape (default 2)")
    parser.add_argument("--warmup", type=int, default=2,
                        help="unmeasured conversations before each sequential phase; the concurrent "
                             "phase warms up with one wave of --concurrency conversations (default 2)")
    parser.add_argument("--skip-plain", action="store_true", help="do not build or measure the plain bot")
    parser.add_argument("--skip-ours", action="store_true", help="measure the plain bot only (harness check)")
    parser.add_argument("--stack-model", type=Path, metavar="FILE",
                        help="serve this trained model (recert up --model) instead of the one for the "
                             "current inputs, which recert up trains when missing")
    parser.add_argument("--keep-stack", action="store_true",
                        help="leave our stack running at the end (the next run reuses it)")
    parser.add_argument("--wait-quiet", type=float, default=0.0, metavar="MINUTES",
                        help="before measuring, wait up to this long until other processes use at most "
                             "--max-other-cores for 30 s (default 0: do not wait)")
    parser.add_argument("--max-other-cores", type=float, default=0.25,
                        help="what counts as quiet: CPU cores busy with processes that are not this "
                             "benchmark's (default 0.25)")
    parser.add_argument("--no-variant", action="store_true",
                        help="do not also measure our model with Rasa's in-memory tracker store")
    parser.add_argument("--profile-repeats", type=int, default=10,
                        help="requests per probe (0: no probes; default 10)")
    parser.add_argument("--breakdown-conversations", type=int, default=10,
                        help="conversations per in-process breakdown (latency/breakdown.py; "
                             "0: none; default 10)")
    parser.add_argument("--stack-rasa-port", type=int, default=DEFAULT_RASA_PORT)
    parser.add_argument("--stack-action-port", type=int, default=DEFAULT_ACTION_PORT)
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "latency.json",
                        help="JSON results (the markdown goes next to it as .md)")
    args = parser.parse_args(argv)
    if args.skip_plain and args.skip_ours:
        parser.error("--skip-plain and --skip-ours leave nothing to measure")
    if args.conversations < 1 or min(args.concurrency) < 1 or args.warmup < 0:
        parser.error("--conversations and --concurrency must be >= 1, --warmup >= 0")
    if bool(args.postgres_url) != bool(args.redis_url):
        parser.error("the production shape needs both --postgres-url and --redis-url")
    return args


def modes_of(concurrency: Sequence[int]) -> list[str]:
    """``sequential`` and one ``<N> concurrent`` mode per value."""
    return ["sequential", *(f"{n} concurrent" for n in concurrency)]


def in_flight(mode: str) -> int:
    return 1 if mode == "sequential" else int(mode.split()[0])


def measure_phase(
    target: Target, mode: str, run_id: str, messages: Sequence[str], linked: bool,
    conversations: int, warmup: int,
) -> Phase:
    """Warm up (not measured), then measure one bot in one mode."""
    concurrency = in_flight(mode)
    tag = "seq" if mode == "sequential" else f"conc{concurrency}"
    if mode == "sequential":
        if warmup:
            asyncio.run(run_sequential(target, plan(run_id, f"{tag}warm", warmup, messages, linked)))
        return asyncio.run(run_sequential(target, plan(run_id, tag, conversations, messages, linked)))
    asyncio.run(run_concurrent(
        target, plan(run_id, f"{tag}warm", concurrency, messages, linked), concurrency))
    return asyncio.run(run_concurrent(
        target, plan(run_id, tag, conversations, messages, linked), concurrency))


def by_kind(phase: Phase) -> dict[str, Any]:
    """Our messages split into those answered from domain responses and those that run a
    custom action: the difference is what the action server round trip costs end to end."""
    kinds = {
        "no_custom_action": [s.latency_ms for s in phase.samples if s.ok and s.step in OUR_NO_ACTION_STEPS],
        "custom_action": [s.latency_ms for s in phase.samples if s.ok and s.step not in OUR_NO_ACTION_STEPS],
    }
    return {kind: summarize(values, phase.wall_seconds).to_dict() if values else None
            for kind, values in kinds.items()}


def breakdowns(args: argparse.Namespace, document: dict[str, Any], ours: OurStack | None,
               meter: CpuMeter) -> dict[str, Any]:
    """``latency/breakdown.py`` for each model, one after the other (each loads its model in a
    child process, next to the running servers): the plain bot, and ours with both tracker
    stores against the running action server. Failures are recorded, not raised: the
    breakdown explains the figures, it is not one of them."""
    runs: dict[str, list[str]] = {}
    if "plain" in document["bots"]:
        plain_model = BENCH_DIR / "plain-bot" / "models" / document["bots"]["plain"]["model"]
        runs["plain"] = ["--model", str(plain_model), "--script", "plain"]
    if ours is not None:
        base = ["--model", document["bots"]["ours"]["model_path"],
                "--script", "ours", "--action-url", ours.action_url,
                "--identity-secret", IDENTITY_SECRET, "--as-stack"]
        runs["ours_memory_tracker"] = base
        runs["ours_sql_tracker"] = base + ["--tracker-db", str(BENCH_DIR / "breakdown-tracker.sqlite3")]
        # What a remedy found by this breakdown would gain (patched in the child only): no full
        # garbage collection walking the model on a user's message.
        runs["ours_memory_tracker_what_if"] = base + ["--gc-freeze"]
    results: dict[str, Any] = {}
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false"}
    for name, extra in runs.items():
        say(f"breakdown: {name} ({args.breakdown_conversations} conversations, in-process)")
        out = BENCH_DIR / f"breakdown-{name}.json"
        log = BENCH_DIR / f"breakdown-{name}.log"
        out.unlink(missing_ok=True)
        cpu_before, child_before = meter.snapshot(), _children_cpu_seconds()
        with log.open("wb") as stream:
            result = subprocess.run(
                [sys.executable, str(PROJECT_ROOT / "bench" / "latency" / "breakdown.py"), *extra,
                 "--conversations", str(args.breakdown_conversations), "--out", str(out)],
                cwd=PROJECT_ROOT, env=env, stdout=stream, stderr=subprocess.STDOUT, check=False,
            )
        cpu = meter.cores(cpu_before, meter.snapshot())
        # The child has exited by now, so the meter counted it as "others": take it out again.
        child_cores = (_children_cpu_seconds() - child_before) / max(
            (time.monotonic() - cpu_before.at), 1e-9)
        other = round(max(cpu["other_cores"] - child_cores, 0.0), 2)
        if result.returncode != 0 or not out.is_file():
            results[name] = {"error": f"exit {result.returncode}; see {log.relative_to(PROJECT_ROOT)}"}
            continue
        results[name] = {**json.loads(out.read_text()), "other_cores": other}
        say(f"breakdown: {name}: {results[name]['all']['total']['p50_ms']:.1f} ms per message (p50); "
            f"other processes used {other:.2f} cores")
    return results


def rasa_memory(plain: PlainBot | None, stacks: dict[str, OurStack]) -> dict[str, dict[str, Any]]:
    """Memory of every Rasa instance now, by bot and instance (latency.procs.memory_of)."""
    result: dict[str, dict[str, Any]] = {}
    if plain is not None and plain.server and plain.server.process:
        result["plain"] = {"rasa": memory_of(plain.server.process.pid)}
    for name, stack in stacks.items():
        result[name] = {instance: memory_of(pid) for instance, pid in stack.rasa_pids().items()}
    return result


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def git_state() -> dict[str, Any]:
    """The commit measured, and whether the model's inputs had uncommitted changes (colleagues
    edit data/ and domain.yml in the same tree while the benchmark runs)."""
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
                                check=False)
        return result.stdout.strip() if result.returncode == 0 else ""

    from bot.stack.model import MODEL_INPUTS

    return {"head": git("rev-parse", "--short", "HEAD"),
            "model_inputs_uncommitted": git("status", "--porcelain", "--", *MODEL_INPUTS).splitlines()}


def run(args: argparse.Namespace) -> int:
    run_id = datetime.now().strftime("%Y%m%dT%H%M%S")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    document: dict[str, Any] = {
        "run_id": run_id,
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": machine(),
        "rasa_version": version("rasa"),
        "rasa_sdk_version": version("rasa-sdk"),
        "git": git_state(),
        "settings": {
            "conversations": args.conversations,
            "concurrency": args.concurrency,
            "modes": modes_of(args.concurrency),
            "warmup_conversations": args.warmup,
            "messages_per_conversation": len(OUR_MESSAGES),
            "percentiles": "linear interpolation between closest ranks",
            "latency": "POST /webhooks/rest/webhook sent -> full JSON reply read (RasaClient)",
        },
        "load": {},
        "bots": {},
        "results": {},
        "per_step": {},
        "transcripts": {},
        "samples": {},  # [conversation, step, ms] of every measured message, for a closer look
        "errors": {},
    }
    targets: dict[str, tuple[Target, Sequence[str], bool]] = {}
    plain: PlainBot | None = None
    ours: OurStack | None = None
    stacks: dict[str, OurStack] = {}
    cleanups: list[Callable[[], None]] = []
    meter = CpuMeter()  # tells our CPU use from everybody else's, per phase
    try:
        if not args.skip_plain:
            plain = PlainBot(BENCH_DIR / "plain-bot", say=say)
            model = plain.ensure_trained()
            cleanups.append(plain.stop)
            plain.start(model)
            meter.add_group(plain.server.process.pid if plain.server and plain.server.process else None)
            targets["plain"] = (Target("plain", plain.base_url), PLAIN_MESSAGES, False)
            document["bots"]["plain"] = {
                "directory": str(plain.directory.relative_to(PROJECT_ROOT)),
                "model": model.name, "train_seconds": plain.train_seconds,
                "start_seconds": plain.server.start_seconds if plain.server else None,
                "tracker_store": "in memory (rasa default)", "action_server": None,
            }
        if not args.skip_ours:
            ours = OurStack(PROJECT_ROOT, BENCH_DIR / "stack", args.stack_rasa_port,
                            args.stack_action_port, say=say,
                            model=args.stack_model.resolve() if args.stack_model else None)
            if not args.keep_stack:
                cleanups.append(ours.stop)
            ours.start()
            for pid in ours.pids():
                meter.add_group(os.getpgid(pid))
            stacks["ours"] = ours
            targets["ours"] = (
                Target("ours", ours.base_url, RASA_TOKEN, IDENTITY_SECRET), OUR_MESSAGES, True)
            served = Path(ours.model_file() or "?").name
            document["bots"]["ours"] = {
                "var_dir": str(ours.var_dir.relative_to(PROJECT_ROOT)),
                "model": served,
                "model_path": str(args.stack_model.resolve() if args.stack_model
                                  else PROJECT_ROOT / "models" / served),
                "started_by_this_run": ours.started_here,
                "up_seconds": ours.up_seconds, "tracker_store": "SQL (SQLite file in the var dir)",
                "rasa_entry": STACK_RASA_ENTRY,
                "action_server": ours.action_url,
            }
            if not args.no_variant:
                variant = MemoryTrackerVariant(PROJECT_ROOT, BENCH_DIR / "memory-tracker",
                                               ours.action_url, ours.env, say)
                cleanups.append(variant.stop)
                model_name = document["bots"]["ours"]["model"]
                variant.start(Path(document["bots"]["ours"]["model_path"]))
                meter.add_group(variant.server.process.pid if variant.server.process else None)
                targets[VARIANT] = (
                    Target(VARIANT, variant.base_url, RASA_TOKEN, IDENTITY_SECRET), OUR_MESSAGES, True)
                document["bots"][VARIANT] = {
                    "model": model_name, "tracker_store": "in memory (rasa default)",
                    "rasa_entry": STACK_RASA_ENTRY,
                    "action_server": ours.action_url + " (shared with ours)",
                    "start_seconds": variant.server.start_seconds,
                }

        if not args.skip_ours and args.postgres_url:
            ensure_postgres_database(args.postgres_url)
            production = OurStack(
                PROJECT_ROOT, BENCH_DIR / "stack-2x", PRODUCTION_RASA_PORT, PRODUCTION_ACTION_PORT, say=say,
                model=args.stack_model.resolve() if args.stack_model else None,
                database_url=args.postgres_url,
                extra_env={"RECERT_RASA_INSTANCES": str(args.instances), "RECERT_LOCK_STORE_URL": args.redis_url},
            )
            if not args.keep_stack:
                cleanups.append(production.stop)
            production.start()
            for pid in production.pids():
                meter.add_group(os.getpgid(pid))
            stacks[PRODUCTION] = production
            targets[PRODUCTION] = (
                Target(PRODUCTION, production.base_url, RASA_TOKEN, IDENTITY_SECRET), OUR_MESSAGES, True)
            document["bots"][PRODUCTION] = {
                "var_dir": str(production.var_dir.relative_to(PROJECT_ROOT)),
                "model": Path(production.model_file() or "?").name,
                "started_by_this_run": production.started_here, "up_seconds": production.up_seconds,
                "rasa_instances": args.instances, "parts": sorted(production.running_parts()),
                "tracker_store": "SQL (PostgreSQL, " + args.postgres_url.split("@")[-1] + ")",
                "lock_store": "Redis (" + args.redis_url.split("@")[-1] + ")",
                "rasa_entry": STACK_RASA_ENTRY,
                "action_server": production.action_url,
            }

        document["memory"] = {"after_start": rasa_memory(plain, stacks)}
        if args.wait_quiet > 0:
            document["quiet_before_measuring"] = meter.wait_for_quiet(
                args.max_other_cores, args.wait_quiet * 60, say)
        document["load"]["start"] = {"load": list(load_average()), "busiest": busy_processes()}
        say(f"load average before measuring: {document['load']['start']['load']}")

        modes = modes_of(args.concurrency)
        phases: dict[str, dict[str, Phase]] = {name: {} for name in targets}
        for mode in modes:
            for name, (target, messages, linked) in targets.items():
                before, cpu_before = load_average(), meter.snapshot()
                say(f"{name}/{mode}: {args.conversations} conversations "
                    f"(+ warm-up), {len(messages)} messages each")
                phase = measure_phase(target, mode, run_id, messages, linked,
                                      args.conversations, args.warmup)
                phases[name][mode] = phase
                document["load"][f"{name}/{mode}"] = {
                    "before": list(before), "after": list(load_average()),
                    **meter.cores(cpu_before, meter.snapshot()),  # warm-up included
                }
                if not phase.latencies_ms:
                    raise RuntimeError(f"{name}/{mode}: no message was answered; "
                                       f"first errors: {error_samples(phase)}")
                summary = summarize(phase.latencies_ms, phase.wall_seconds, phase.errors)
                document["results"].setdefault(name, {})[mode] = summary.to_dict()
                document["per_step"].setdefault(name, {})[mode] = per_step(phase, messages)
                document["samples"].setdefault(name, {})[mode] = [
                    [s.conversation, s.step, round(s.latency_ms, 1)] for s in phase.samples if s.ok]
                document["transcripts"].setdefault(name, {})[mode] = phase.transcript
                if phase.errors:
                    document["errors"].setdefault(name, {})[mode] = error_samples(phase)
                say(f"{name}/{mode}: p50 {summary.p50_ms:.0f} ms, p95 {summary.p95_ms:.0f} ms, "
                    f"max {summary.max_ms:.0f} ms, {summary.messages_per_second:.2f} msg/s, "
                    f"{summary.errors} errors; other processes used "
                    f"{document['load'][f'{name}/{mode}']['other_cores']:.2f} cores")

        document["memory"]["after_measuring"] = rasa_memory(plain, stacks)
        if "ours" in targets and "plain" in targets:
            ratios = {mode: document["results"]["ours"][mode]["p95_ms"]
                      / document["results"]["plain"][mode]["p95_ms"] for mode in modes}
            document["target"] = {
                "max_ratio": TARGET_RATIO,
                "ratio_p95": {mode: round(r, 3) for mode, r in ratios.items()},
                "met": {mode: r <= TARGET_RATIO for mode, r in ratios.items()},
                "met_all": all(r <= TARGET_RATIO for r in ratios.values()),
            }
            for name, key in ((VARIANT, "variant_ratio_p95"), (PRODUCTION, "production_ratio_p95")):
                if name in targets:
                    document["target"][key] = {
                        mode: round(document["results"][name][mode]["p95_ms"]
                                    / document["results"]["plain"][mode]["p95_ms"], 3) for mode in modes}
        for name in ("ours", VARIANT, PRODUCTION):
            if name in phases:
                document.setdefault("by_kind", {})[name] = {
                    mode: by_kind(phases[name][mode]) for mode in modes}

        if args.profile_repeats > 0:
            say(f"probes: NLU, tracker read{', action server' if 'ours' in targets else ''} "
                f"({args.profile_repeats} requests each)")
            document["profile"] = {}
            for name, (target, messages, linked) in targets.items():
                # The variant shares our model and action server: its tracker read against
                # ours is the SQL store's retrieval cost; its actions are not probed twice.
                if name == PRODUCTION:
                    continue  # the same model and actions as ours; its probes would go through HAProxy
                conversation = plan(run_id, "prof", 1, messages, linked)[0]
                document["profile"][name] = probes.run_profile(
                    target, conversation, args.profile_repeats,
                    ours.action_url if name == "ours" and ours is not None else None,
                )
        if args.breakdown_conversations > 0 and targets:
            document["breakdown"] = breakdowns(args, document, ours, meter)
        document["load"]["end"] = {"load": list(load_average()), "busiest": busy_processes()}
    finally:
        for cleanup in reversed(cleanups):
            try:
                cleanup()
            except Exception as exc:  # stopping one part must not keep the other running
                say(f"cleanup failed: {exc}")

    write_json(args.out, document)
    table = markdown(document)
    args.out.with_suffix(".md").write_text(table)
    print()
    print(table)
    say(f"results: {args.out} and {args.out.with_suffix('.md')}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)

    def terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt  # so the finally clauses stop the servers

    signal.signal(signal.SIGTERM, terminate)
    try:
        return run(args)
    except KeyboardInterrupt:
        say("interrupted; servers stopped")
        return 130
    except (RuntimeError, StackError) as exc:  # StartFailed: a server exited or did not answer
        say(f"failed: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
