"""Dialogue evaluation: scripted multi-turn conversations through the real stack (issue 12).

Starts the stack the way the end-to-end tests do (``recert demo`` into a scratch store, ``recert up
--model``, ``RECERT_TODAY`` pinned to the demo date), plays every conversation of
``tests/dialogues/conversations.yml`` through ``recert chat [--as TRAINER]`` (one message per line on
stdin, a ``/restart`` first so that no conversation inherits another's slots), checks each reply
against the turn's patterns and reports task success per conversation and per category; then
``recert down``. With ``--running`` it talks to a stack that is already up (the caller's environment).

    flock /tmp/recert-train.lock .venv/bin/python scripts/dialogue_eval.py --model models/recert-<hash>.tar.gz

Writes ``var/results/dialogue/summary.json`` and ``transcripts.json``; exits 1 when a conversation
failed (0 with ``--no-fail``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = ROOT / "tests" / "dialogues" / "conversations.yml"
DEMO_TODAY = "2026-11-30"
RESTART = "/restart"
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass
class Turn:
    say: str
    expect: list[str] = field(default_factory=list)
    reject: list[str] = field(default_factory=list)


@dataclass
class Conversation:
    name: str
    category: str
    trainer: str | None
    turns: list[Turn]


def load(path: Path) -> list[Conversation]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Conversation(
            c["name"], c["category"], c.get("as"),
            [Turn(str(t["say"]), list(t.get("expect") or []), list(t.get("reject") or [])) for t in c["turns"]],
        )
        for c in data["conversations"]
    ]


def _plain(text: str) -> str:
    text = _ANNOTATION.sub(r"\1", text).casefold()
    return " ".join(re.sub(r"[^\w\s'/.-]", " ", text).split()).strip(" .")


def training_examples() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in str(item.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    found.add(_plain(line.strip()[2:]))
    return found


def transcript_replies(output: str) -> list[tuple[str, str]]:
    """``recert chat`` without a terminal prints "> message" and then the replies."""
    turns: list[tuple[str, str]] = []
    for line in output.splitlines():
        if line.startswith("> "):
            turns.append((line[2:], ""))
        elif turns:
            said, reply = turns[-1]
            turns[-1] = (said, (reply + "\n" + line).strip("\n"))
    return turns


def judge(turn: Turn, reply: str) -> list[str]:
    """The reasons a reply fails its turn (empty: it passes)."""
    problems = [f"missing /{p}/" for p in turn.expect if not re.search(p, reply, re.IGNORECASE | re.MULTILINE)]
    problems += [f"unwanted /{p}/" for p in turn.reject if re.search(p, reply, re.IGNORECASE | re.MULTILINE)]
    return problems


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def recert(
    env: dict[str, str], *args: str, stdin: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=env, input=stdin,
        capture_output=True, text=True, timeout=timeout,
    )


def stack_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RECERT_", "TELEGRAM_"))}
    env.update(
        RECERT_VAR_DIR=str(var_dir),
        RECERT_DATABASE_URL=f"sqlite:///{var_dir / 'recert.sqlite3'}",
        RECERT_TODAY=DEMO_TODAY,
        RECERT_IDENTITY_SECRET="dialogue-eval-identity-secret",
        RECERT_RASA_TOKEN="dialogue-eval-rasa-token",
        RECERT_RASA_PORT=str(free_port()),
        RECERT_ACTION_PORT=str(free_port()),
        RECERT_REMINDER_INTERVAL="0",
        RASA_TELEMETRY_ENABLED="false",
    )
    return env


def play(env: dict[str, str], conversation: Conversation) -> dict[str, Any]:
    args = ["chat"] + (["--as", conversation.trainer] if conversation.trainer else [])
    stdin = "\n".join([RESTART] + [t.say for t in conversation.turns]) + "\n"
    done = recert(env, *args, stdin=stdin)
    replies = [r for r in transcript_replies(done.stdout) if r[0] != RESTART]
    turns = []
    for i, turn in enumerate(conversation.turns):
        said, reply = replies[i] if i < len(replies) else (turn.say, "")
        failed = [f"recert chat exit {done.returncode}: {done.stderr[-300:]}"]
        problems = judge(turn, reply) if done.returncode == 0 else failed
        turns.append({"say": turn.say, "reply": reply, "ok": not problems, "problems": problems})
    return {
        "name": conversation.name, "category": conversation.category, "as": conversation.trainer,
        "success": all(t["ok"] for t in turns), "turns": turns,
    }


def summarise(results: list[dict[str, Any]]) -> dict[str, Any]:
    by_category: dict[str, list[bool]] = defaultdict(list)
    for r in results:
        by_category[r["category"]].append(r["success"])
    turns = [t["ok"] for r in results for t in r["turns"]]
    return {
        "conversations": len(results),
        "task_success": sum(r["success"] for r in results),
        "task_success_rate": round(sum(r["success"] for r in results) / len(results), 3) if results else 0.0,
        "turns": len(turns),
        "turns_ok": sum(turns),
        "by_category": {c: {"conversations": len(v), "success": sum(v)} for c, v in sorted(by_category.items())},
        "failed": [
            {"name": r["name"], "category": r["category"],
             "turns": [
                 {"say": t["say"], "problems": t["problems"], "reply": t["reply"]} for t in r["turns"] if not t["ok"]
             ]}
            for r in results if not r["success"]
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="the trained model to start the stack with")
    parser.add_argument("--running", action="store_true", help="use the stack the environment points at")
    parser.add_argument("--conversations", type=Path, default=DEFAULT_SET)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "results" / "dialogue")
    parser.add_argument("--no-fail", action="store_true", help="exit 0 even when conversations failed")
    parser.add_argument(
        "--timeout", type=int, default=300, help="seconds the stack may take to start (more on a busy machine)"
    )
    args = parser.parse_args()
    if not args.running and args.model is None:
        parser.error("give --model (a stack is started) or --running")

    conversations = load(args.conversations)
    trained = training_examples()
    leaked = [t.say for c in conversations for t in c.turns if _plain(t.say) in trained]
    if leaked:
        print(f"these turns are training examples, reword them: {leaked}", file=sys.stderr)
        return 2

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="recert-dialogue-") as scratch:
        env = dict(os.environ) if args.running else stack_env(Path(scratch))
        if not args.running:
            demo = recert(env, "demo")
            if demo.returncode != 0:
                print(demo.stderr, file=sys.stderr)
                return 2
            started = time.monotonic()
            up = recert(
                env, "up", "--model", str(args.model.resolve()), "--timeout", str(args.timeout),
                timeout=args.timeout + 600,
            )
            if up.returncode != 0:
                print(f"recert up failed:\n{up.stdout}\n{up.stderr}", file=sys.stderr)
                recert(env, "down")
                return 2
            print(f"stack up in {time.monotonic() - started:.0f}s")
        try:
            results = [play(env, c) for c in conversations]
        finally:
            if not args.running:
                recert(env, "down")

    summary = summarise(results)
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    (args.out / "transcripts.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"task success: {summary['task_success']}/{summary['conversations']} conversations, "
          f"{summary['turns_ok']}/{summary['turns']} turns")
    for category, row in summary["by_category"].items():
        print(f"  {category:22} {row['success']}/{row['conversations']}")
    for failed in summary["failed"]:
        for turn in failed["turns"]:
            print(f"FAILED {failed['category']} / {failed['name']}: {turn['say']!r}: {'; '.join(turn['problems'])}")
            print("   reply: " + turn["reply"].replace("\n", " | ")[:400])
    return 0 if args.no_fail or not summary["failed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
