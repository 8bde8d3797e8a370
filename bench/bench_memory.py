"""Where a Rasa instance's memory goes, and what each candidate cut saves (issue 10).

    .venv/bin/python bench/bench_memory.py --model models/recert-<fingerprint>.tar.gz \
        [--plain-model var/bench/plain-bot/models/<plain>.tar.gz] [--messages 120]

Two parts, each in child processes of its own (this process loads no model):

1. **Inside** (``--inside``, default on): loads the model the way ``rasa run`` does (Rasa's
   ``load_agent``), recording the resident memory (``VmRSS``) before and after each graph
   component is loaded (``GraphNode._load_component``), so the growth is split by component
   (spaCy pipeline, featurizers, DIET, ResponseSelector, TED, ...); the imports before the model
   are one more line. ``tracemalloc`` runs meanwhile, so what Python itself allocated is told
   apart from native allocations (TensorFlow's C++ heap, NumPy arrays count as Python's).
2. **Servers** (``--variants``): the Rasa server as ``recert up`` starts it
   (``bot.stack.rasa_main``, the in-memory tracker store, no action server, so a custom action
   fails fast: memory of the action server is not Rasa's) under each environment variant, answering
   ``--messages`` messages of varied length (the held-out NLU messages, so TensorFlow sees many
   input shapes); ``VmRSS``, ``VmHWM``, anonymous and file-backed memory after loading and after
   the messages; and the plain ``rasa init`` bot the same way when ``--plain-model`` is given.

Results go to ``var/bench/memory.json`` and a table on stdout; docs/latency.md has the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
sys.path.insert(0, str(PROJECT_ROOT / "bench"))

BENCH_DIR = PROJECT_ROOT / "var" / "bench"
TOKEN = "bench-memory-token"

# name -> environment added to the server's (the candidates of issue 10)
VARIANTS: dict[str, dict[str, str]] = {
    "as recert up": {},
    "MALLOC_ARENA_MAX=2": {"MALLOC_ARENA_MAX": "2"},
    "TF threads 1+1": {"TF_INTER_OP_PARALLELISM_THREADS": "1", "TF_INTRA_OP_PARALLELISM_THREADS": "1"},
    "both": {"MALLOC_ARENA_MAX": "2", "TF_INTER_OP_PARALLELISM_THREADS": "1",
             "TF_INTRA_OP_PARALLELISM_THREADS": "1"},
}


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- part 1: inside one process ------------------------------------------------------------


def inside(model: Path) -> dict[str, Any]:
    """Load ``model`` in this process; RSS and Python allocations per graph component."""
    import tracemalloc

    tracemalloc.start()
    start = rss_mb()
    from rasa.core.agent import load_agent
    from rasa.engine.graph import GraphNode

    from bot.stack.rasa_main import install_cached_action_validation

    install_cached_action_validation()
    imported = rss_mb()
    python_imported = tracemalloc.get_traced_memory()[0] / 2**20
    rows: list[dict[str, Any]] = []
    load_component = GraphNode._load_component

    def measured(self: Any, **kwargs: Any) -> None:
        before, python_before = rss_mb(), tracemalloc.get_traced_memory()[0]
        load_component(self, **kwargs)
        rows.append({
            "node": self._node_name, "component": self._component_class.__name__,
            "rss_mb": round(rss_mb() - before, 1),
            "python_mb": round((tracemalloc.get_traced_memory()[0] - python_before) / 2**20, 1),
        })

    GraphNode._load_component = measured
    agent = asyncio.run(load_agent(model_path=str(model)))
    loaded = rss_mb()
    snapshot = tracemalloc.take_snapshot()
    top = [
        {"where": str(stat.traceback[0]), "mb": round(stat.size / 2**20, 1)}
        for stat in snapshot.statistics("filename")[:12]
    ]
    assert agent.is_ready()
    return {
        "process_start_mb": round(start, 1),
        "imports_mb": round(imported - start, 1),
        "imports_python_mb": round(python_imported, 1),
        "model_load_mb": round(loaded - imported, 1),
        "total_mb": round(loaded, 1),
        "python_total_mb": round(tracemalloc.get_traced_memory()[0] / 2**20, 1),
        "components": sorted(rows, key=lambda row: -row["rss_mb"]),
        "python_by_file": top,
    }


# --- part 2: servers -----------------------------------------------------------------------


def heldout_messages(limit: int) -> list[str]:
    import yaml

    texts: list[str] = []
    for path in sorted((PROJECT_ROOT / "tests" / "nlu_heldout").glob("*.yml")):
        for block in yaml.safe_load(path.read_text()).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text:
                    # drop entity annotations: [text](entity) -> text
                    import re

                    texts.append(re.sub(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}", r"\1\2", text))
    return texts[:limit]


async def converse(base_url: str, texts: Sequence[str]) -> int:
    from bot.channels.rasa_client import RasaClient, RasaError

    answered = 0
    async with RasaClient(base_url, TOKEN) as client:
        for index, text in enumerate(texts):
            try:
                await client.send_message(f"memory-{index // 6}", text)
                answered += 1
            except RasaError:
                pass
    return answered


def serve(name: str, command: Any, env: dict[str, str], messages: Sequence[str], cwd: Path) -> dict[str, Any]:
    from latency.procs import memory_of
    from latency.server import RasaServer

    server = RasaServer(name, cwd, env, BENCH_DIR / "memory" / name.replace(" ", "_").replace("=", "-"), say)
    server.directory.mkdir(parents=True, exist_ok=True)
    try:
        server.start(command, token=TOKEN)
        assert server.process is not None
        loaded = memory_of(server.process.pid)
        threads = len(os.listdir(f"/proc/{server.process.pid}/task"))
        answered = asyncio.run(converse(server.base_url, messages))
        after = memory_of(server.process.pid)
        say(f"{name}: {loaded and loaded['rss_mb']} MB after loading, {after and after['rss_mb']} MB after "
            f"{answered} messages, {threads} threads")
        return {"after_load": loaded, "after_messages": after, "answered": answered, "threads": threads,
                "start_seconds": round(server.start_seconds or 0, 1)}
    finally:
        server.stop()


def servers(args: argparse.Namespace) -> dict[str, Any]:
    import yaml
    from latency.plain_bot import plain_command, plain_env

    work = BENCH_DIR / "memory"
    work.mkdir(parents=True, exist_ok=True)
    endpoints = work / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump({}))  # in-memory tracker store, no action server
    credentials = work / "credentials.yml"
    credentials.write_text(yaml.safe_dump({"rest": None}))
    messages = heldout_messages(args.messages)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("RECERT_", "TELEGRAM_"))}
    base_env.update(RECERT_RASA_TOKEN=TOKEN, RECERT_VAR_DIR=str(work), RASA_TELEMETRY_ENABLED="false",
                    TF_CPP_MIN_LOG_LEVEL="3", PYTHONUNBUFFERED="1")
    results: dict[str, Any] = {"messages": len(messages)}
    for name in args.variants:
        def ours(port: int) -> list[str]:
            return [sys.executable, "-m", "bot.stack.rasa_main", "run", "--enable-api",
                    "--auth-token-from-settings", "-i", "127.0.0.1", "-p", str(port),
                    "--model", str(args.model), "--endpoints", str(endpoints), "--credentials", str(credentials)]

        results[f"ours, {name}"] = serve(f"ours {name}", ours, {**base_env, **VARIANTS[name]}, messages,
                                         PROJECT_ROOT)
    if args.plain_model:
        plain_dir = args.plain_model.resolve().parent.parent

        def plain(port: int) -> list[str]:
            return [*plain_command(args.plain_model.resolve(), port), "--auth-token", TOKEN]

        results["plain, as bench_latency serves it"] = serve(
            "plain", plain, plain_env(), messages, plain_dir)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--plain-model", type=Path)
    parser.add_argument("--messages", type=int, default=120)
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--no-inside", action="store_true")
    parser.add_argument("--inside-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "memory.json")
    args = parser.parse_args(argv)
    if args.inside_only:  # the child of part 1
        print(json.dumps(inside(args.model)))
        return 0
    import subprocess

    document: dict[str, Any] = {"model": args.model.name, "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                                "load": list(os.getloadavg())}
    if not args.no_inside:
        say("inside: loading the model in a child process, RSS per component")
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false"}
        child = subprocess.run([sys.executable, __file__, "--model", str(args.model), "--inside-only"],
                               cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False)
        if child.returncode != 0:
            print(child.stderr[-3000:], file=sys.stderr)
            return 1
        document["inside"] = json.loads(child.stdout.strip().splitlines()[-1])
        say(f"inside: imports {document['inside']['imports_mb']} MB, model {document['inside']['model_load_mb']} MB")
        for row in document["inside"]["components"][:10]:
            say(f"  {row['rss_mb']:7.1f} MB (Python {row['python_mb']:6.1f}) {row['node']}")
    if args.variants or args.plain_model:
        document["servers"] = servers(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=2) + "\n")
    say(f"results: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
