"""Would a small splitter before classification beat the multi-intent labels? (issue 12)

Two questions in one message are multi-intents (``ask_am_i_late+ask_late_fee``). The alternative is
to cut the message into clauses (at "?", " and ", ", also", " plus " ...) and classify each clause
alone. This replays both on the held-out set with one trained model and the configured fallback
threshold:

- ``labels``: the model's own decision for the whole message (what the assistant does today);
- ``splitter``: the clauses' decisions when at least two clauses get different renewal intents
  (joined with "+" in a canonical order), else the whole message's decision.

It reports the accuracy of each on the messages that ask two things and on those that ask one, so
that the splitter's gain on the first is weighed against the single questions it would break.

    .venv/bin/python scripts/split_eval.py --model models/<model>.tar.gz [--out var/results/nlu]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from nlu_eval import (  # noqa: E402  (a sibling script, not a package)
    FALLBACK,
    RENEWAL_INTENTS,
    ROOT,
    decide,
    load_config_thresholds,
    load_heldout,
    parse_all,
)

# Where a trainer's second question starts: after a question mark or full stop, or at a joining word.
_CUT = re.compile(r"(?<=[?.!])\s+|\s*(?:,|\s-)?\s+(?:and also|and|also|plus)\s+|,\s+", re.IGNORECASE)
_SINGLE = RENEWAL_INTENTS - {"faq", "inform", "what_if"}


def clauses(text: str) -> list[str]:
    """The message cut into clauses of at least two words."""
    return [part.strip() for part in _CUT.split(text) if part and len(part.split()) >= 2]


def combine(intents: list[str]) -> str | None:
    """Two or more different single renewal intents as one label, else None (no split)."""
    found = sorted({i for i in intents if i in _SINGLE})
    return "+".join(found) if len(found) >= 2 else None


def canonical(intent: str) -> str:
    return "+".join(sorted(intent.split("+")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "results" / "nlu")
    args = parser.parse_args()
    from rasa.utils.common import configure_logging_and_warnings

    configure_logging_and_warnings(logging.WARNING)
    os.chdir(ROOT)
    threshold, ambiguity = load_config_thresholds(ROOT / "config.yml")
    heldout = load_heldout(sorted((ROOT / "tests" / "nlu_heldout").glob("*.yml")))
    pieces = [clauses(e["text"]) for e in heldout]
    texts = [e["text"] for e in heldout] + [c for cs in pieces for c in cs]
    parsed = asyncio.run(parse_all(args.model, texts))
    whole, rest = parsed[: len(heldout)], iter(parsed[len(heldout):])

    rows: list[dict[str, Any]] = []
    for example, parts, parse in zip(heldout, pieces, whole, strict=True):
        own = decide(parse.get("intent_ranking") or [], threshold, ambiguity)
        part_intents = [decide(next(rest).get("intent_ranking") or [], threshold, ambiguity) for _ in parts]
        split = combine(part_intents) if len(parts) >= 2 else None
        gold = example["intent"]
        rows.append(
            {
                "text": example["text"], "gold": gold, "two_questions": "+" in gold,
                "labels": own, "splitter": split or own, "clauses": list(zip(parts, part_intents, strict=True)),
            }
        )

    def accuracy(subset: list[dict[str, Any]], key: str) -> float:
        right = sum(1 for r in subset if canonical(r[key]) == canonical(r["gold"])
                    or (r["gold"] == "out_of_scope" and r[key] == FALLBACK))
        return right / len(subset) if subset else 0.0

    two = [r for r in rows if r["two_questions"]]
    one = [r for r in rows if not r["two_questions"]]
    summary = {
        "model": str(args.model), "threshold": threshold,
        "two_questions": {"n": len(two), "labels": round(accuracy(two, "labels"), 3),
                          "splitter": round(accuracy(two, "splitter"), 3)},
        "one_question": {"n": len(one), "labels": round(accuracy(one, "labels"), 3),
                         "splitter": round(accuracy(one, "splitter"), 3)},
        "changed": [r for r in rows if r["labels"] != r["splitter"]],
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "split_eval.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    for name in ("two_questions", "one_question"):
        row = summary[name]
        print(f"{name}: n={row['n']}  labels {row['labels']:.3f}  splitter {row['splitter']:.3f}")
    for r in summary["changed"]:
        print(f"  {r['gold']:45s} labels={r['labels']:40s} splitter={r['splitter']}  {r['text']!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
