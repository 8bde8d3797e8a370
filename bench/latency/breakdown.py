"""Where Rasa spends a message's time, measured inside the Rasa process (a profiling aid).

    .venv/bin/python bench/latency/breakdown.py --model models/recert-<hash>.tar.gz \\
        --action-url http://127.0.0.1:5355/webhook --identity-secret S --script ours

It loads the model into an in-process ``Agent`` (Rasa's own ``load_agent``, the same
processor ``rasa run`` uses, without the HTTP server) and wraps the processor's steps
with wall-clock timers, then handles the scripted conversations. Per message it reports:

- ``total``            ``MessageProcessor.handle_message``
- ``tracker_fetch``    tracker store retrieve + session update
- ``nlu``              ``parse_message`` (the NLU pipeline)
- ``extract_slots``    ``action_extract_slots``: slot mappings; a ``custom`` mapping calls
                       its action on the action server for *every* user message
- ``policies``         next-action predictions (all policies; usually two per message)
- ``actions``          running the predicted actions (responses, custom actions)
- ``action_server``    every ``RemoteAction.run`` (HTTP round trip + JSON), wherever called
- ``tracker_save``     tracker store save
- ``gc``               garbage collections during the message (inside any of the above)

``--as-stack`` applies what the stack's Rasa entry point changes in Rasa (bot/stack/rasa_main.py).
Two what-if switches patch the loaded Rasa (in this process only, nothing on disk) to show
what a remedy would gain: ``--cached-validation`` and ``--no-slot-mapping-actions`` (both
found by this breakdown, and both since adopted by the stack: 5a1cbd2, fe09413; the first is
the stack's own patch, ``bot.stack.rasa_main.install_cached_action_validation``).

Wall-clock, not CPU: an action server call counts with its waiting time, as the user
feels it. The difference between the REST latency and ``total`` is the HTTP server and
channel. Run from the directory the model expects (ours: the project root, for the spaCy
pipeline path). It writes one JSON document to ``--out`` (or stdout).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import json
import logging
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent.parent
PROJECT_ROOT = BENCH_DIR.parent
# Run as a file, this directory comes first on sys.path; the package is imported from bench/.
sys.path[:] = [str(PROJECT_ROOT), str(BENCH_DIR)] + [
    p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from latency.scripts import OUR_MESSAGES, OUR_NO_ACTION_STEPS, PLAIN_MESSAGES, plan  # noqa: E402
from latency.stats import percentile  # noqa: E402

PARTS = ("total", "tracker_fetch", "nlu", "extract_slots", "policies", "actions",
         "action_server", "tracker_save", "gc")


class Timers:
    """Accumulated wall time per part for the message being handled."""

    def __init__(self) -> None:
        self.current: dict[str, float] = defaultdict(float)

    def wrap_async(self, part: str, method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        @functools.wraps(method)
        async def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return await method(*args, **kwargs)
            finally:
                self.current[part] += (time.perf_counter() - started) * 1000.0
        return timed

    def wrap_sync(self, part: str, method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.current[part] += (time.perf_counter() - started) * 1000.0
        return timed

    def watch_gc(self) -> None:
        """Add the time spent in garbage collections to the message they interrupt (``gc``):
        a full collection walks every object of the loaded model and can take most of a second."""
        started: list[float] = []

        def callback(phase: str, info: dict[str, Any]) -> None:
            if phase == "start":
                started[:] = [time.perf_counter()]
            elif started:
                self.current["gc"] += (time.perf_counter() - started[0]) * 1000.0

        gc.callbacks.append(callback)

    def take(self) -> dict[str, float]:
        taken, self.current = dict(self.current), defaultdict(float)
        return taken


def instrument(timers: Timers) -> None:
    """Wrap the processor's steps (class attributes: every processor instance is timed)."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.processor import MessageProcessor

    P = MessageProcessor
    P.handle_message = timers.wrap_async("total", P.handle_message)  # type: ignore[method-assign]
    P.fetch_tracker_and_update_session = timers.wrap_async(  # type: ignore[method-assign]
        "tracker_fetch", P.fetch_tracker_and_update_session)
    P.parse_message = timers.wrap_async("nlu", P.parse_message)  # type: ignore[method-assign]
    P.run_action_extract_slots = timers.wrap_async(  # type: ignore[method-assign]
        "extract_slots", P.run_action_extract_slots)
    P._predict_next_with_tracker = timers.wrap_sync(  # type: ignore[method-assign]
        "policies", P._predict_next_with_tracker)
    P._run_action = timers.wrap_async("actions", P._run_action)  # type: ignore[method-assign]
    P.save_tracker = timers.wrap_async("tracker_save", P.save_tracker)  # type: ignore[method-assign]
    RemoteAction.run = timers.wrap_async("action_server", RemoteAction.run)  # type: ignore[method-assign]


def drop_slot_mapping_actions(agent: Any) -> list[str]:
    """What-if: custom slot mappings without an ``action`` (the slot is set only by the events
    of the actions that answer), so ``action_extract_slots`` calls no action per message."""
    dropped = []
    for slot in agent.domain.slots:
        for mapping in slot.mappings:
            if mapping.get("type") == "custom" and mapping.pop("action", None):
                dropped.append(slot.name)
    return dropped


def apply_stack_patches() -> list[str]:
    """What the stack's Rasa entry point (bot/stack/rasa_main.py) changes in Rasa's message
    handling, applied here too, so the breakdown times the Rasa our stack runs."""
    from bot.stack import rasa_main

    rasa_main.install_cached_action_validation()
    return ["bot.stack.rasa_main.install_cached_action_validation"]


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    from bot.identity import IDENTITY_KEY, sign_identity

    timers = Timers()
    instrument(timers)
    timers.watch_gc()
    tracker_store = None
    if args.tracker_db:
        Path(args.tracker_db).unlink(missing_ok=True)  # a fresh file: only this run's trackers
        tracker_store = EndpointConfig(type="SQL", dialect="sqlite", db=args.tracker_db)
    endpoints = AvailableEndpoints(
        action=EndpointConfig(url=args.action_url) if args.action_url else None,
        tracker_store=tracker_store,
    )
    agent = await load_agent(model_path=args.model, endpoints=endpoints)
    if not agent.is_ready():
        raise SystemExit(f"could not load {args.model} (see the log above)")
    stack_patches: list[str] = []
    if args.as_stack:
        stack_patches = apply_stack_patches()
    what_if: list[str] = []
    if args.gc_freeze:
        # Objects alive after loading (the model, TensorFlow, Rasa) move to a permanent
        # generation, so a full collection no longer walks them on a user's message.
        gc.collect()
        gc.freeze()
        what_if.append("gc.freeze() after loading the model")
    if args.cached_validation:  # what the stack does (--as-stack); alone, to time it
        from bot.stack import rasa_main

        rasa_main.install_cached_action_validation()
        what_if.append("action responses validated with a cached validator")
    if args.no_slot_mapping_actions:
        dropped = drop_slot_mapping_actions(agent)
        what_if.append(f"no action in the custom slot mappings of {', '.join(dropped)}" if dropped
                       else "custom slot mappings call no action (already so in the domain)")
    ours = args.script == "ours"
    messages = OUR_MESSAGES if ours else PLAIN_MESSAGES
    rows: list[dict[str, Any]] = []
    for kind, count in (("warm", args.warmup), ("run", args.conversations)):
        for conversation in plan(f"breakdown-{int(time.time())}", kind, count, messages, ours):
            for step, text in enumerate(conversation.messages):
                metadata = None
                if conversation.trainer_id and args.identity_secret:
                    metadata = {IDENTITY_KEY: sign_identity(
                        conversation.trainer_id, conversation.sender, args.identity_secret)}
                timers.take()
                await agent.handle_message(UserMessage(
                    text, CollectingOutputChannel(), conversation.sender, metadata=metadata))
                if kind == "run":
                    rows.append({"conversation": conversation.sender.rsplit("-", 1)[-1],
                                 "linked": conversation.trainer_id is not None,
                                 "step": step, **timers.take()})
    return {"model": Path(args.model).name, "script": args.script,
            "tracker_store": "SQL (SQLite)" if args.tracker_db else "in memory",
            "stack_patches": stack_patches, "what_if": what_if,
            "messages": len(rows), "all": summarise(rows),
            "no_custom_action": summarise([r for r in rows if r["step"] in OUR_NO_ACTION_STEPS])
            if ours else None,
            "custom_action": summarise([r for r in rows if r["step"] not in OUR_NO_ACTION_STEPS])
            if ours else None,
            # The slowest messages, whole: a mean far above the p50 comes from a few of these.
            "slowest": [{k: round(v, 1) if isinstance(v, float) else v for k, v in r.items()}
                        for r in sorted(rows, key=lambda r: -r.get("total", 0.0))[:5]]}


def summarise(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Mean and p50 of each part over the messages (0 where a part did not run)."""
    result = {}
    for part in PARTS:
        values = [float(r.get(part, 0.0)) for r in rows]
        result[part] = {"mean_ms": round(sum(values) / len(values), 2),
                        "p50_ms": round(percentile(values, 50), 2)}
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--script", choices=("ours", "plain"), required=True)
    parser.add_argument("--action-url", help="the action server's /webhook (ours)")
    parser.add_argument("--identity-secret", help="signs the linked conversations' identity (ours)")
    parser.add_argument("--tracker-db", help="use a SQL tracker store in this SQLite file "
                                             "(emptied first); default: in memory")
    parser.add_argument("--conversations", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--out", type=Path, help="write the JSON here (default: stdout)")
    parser.add_argument("--as-stack", action="store_true",
                        help="patch Rasa as the stack's entry point does (bot/stack/rasa_main.py)")
    parser.add_argument("--cached-validation", action="store_true",
                        help="what-if: validate action responses without re-checking the schema")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="what-if: gc.freeze() after loading, so full collections skip the model")
    parser.add_argument("--no-slot-mapping-actions", action="store_true",
                        help="what-if: custom slot mappings call no action on every message")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    result = asyncio.run(measure(args))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")
    else:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
