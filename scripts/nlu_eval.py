"""Held-out NLU figures for docs/nlu-evaluation.md, from one trained model.

For each FallbackClassifier threshold in a sweep it reports, on the held-out set
(tests/nlu_heldout/*.yml), intent accuracy and macro F1 and, on the never-trained CLINC150 validation
split, the out-of-scope false-answer rate: the share of unrelated questions that would get a renewal
answer (a renewal intent above the threshold). It also reports entity precision/recall/F1 of what
the assistant sees (all extractors together, exact span and label), and how often the
ResponseSelector picks the held-out FAQ question's own answer key.

The threshold is simulated from the ranking the model returns, so one parse per message serves
every threshold: the fallback fires when the top intent's confidence is below the threshold or
the top two are closer than the ambiguity threshold (config.yml), as FallbackClassifier does.

    .venv/bin/python scripts/nlu_eval.py --model models/nlu-eval.tar.gz [--out var/results/nlu]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CLINC = ROOT / "eval" / "clinc150" / "train_val.json"  # CC BY 3.0, see its README.md
FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
# Intents whose answer is about renewal: a wrong one of these is a "false answer".
RENEWAL_INTENTS = frozenset(
    {
        "ask_am_i_late", "ask_expiration_date", "ask_ceus_remaining", "ask_course_counts",
        "ask_provider_approved", "ask_late_fee", "ask_can_renew", "ask_audit",
        "ask_renewal_steps", "what_if", "inform", "faq", "request_reminder",
    }
)


def is_renewal(intent: str) -> bool:
    """A renewal answer, also for two questions in one message ("ask_am_i_late+ask_late_fee")."""
    return any(part in RENEWAL_INTENTS for part in intent.split("+"))
# CLINC intents the assistant answers itself: not counted as out of scope.
CLINC_HANDLED = frozenset({"greeting", "goodbye", "thank_you", "are_you_a_bot", "yes", "no"})
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9)


def load_config_thresholds(config_path: Path) -> tuple[float, float]:
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    for component in config.get("pipeline", []):
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3)), float(component.get("ambiguity_threshold", 0.1))
    return 0.0, 0.0


def load_heldout(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """Held-out examples as ``{text, intent, entities}`` (base intent, e.g. ``faq``)."""
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for path in paths:
        data = load_data(str(path))
        for message in data.intent_examples:
            examples.append(
                {
                    "text": message.get("text"),
                    "intent": message.get("intent"),
                    "full_intent": message.get_full_intent(),
                    "entities": [
                        (e["start"], e["end"], e["entity"]) for e in message.get("entities") or []
                    ],
                }
            )
    return examples


def load_clinc_val(path: Path) -> list[tuple[str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = [(text, intent) for text, intent in data["val"] if intent not in CLINC_HANDLED]
    rows += [(text, "oos") for text, _ in data["oos_val"]]
    return rows


def decide(ranking: Sequence[dict[str, Any]], threshold: float, ambiguity: float) -> str:
    """The intent FallbackClassifier would leave at this threshold."""
    ranked = [r for r in ranking if r.get("name") != FALLBACK]
    if not ranked:
        return FALLBACK
    top = ranked[0]
    if top["confidence"] < threshold:
        return FALLBACK
    if len(ranked) > 1 and top["confidence"] - ranked[1]["confidence"] < ambiguity:
        return FALLBACK
    return str(top["name"])


def macro_f1(golds: Sequence[str], preds: Sequence[str]) -> tuple[float, dict[str, dict[str, float]]]:
    """Macro F1 over the gold labels; a fallback for an out-of-scope message counts as right."""
    preds = [OUT_OF_SCOPE if p == FALLBACK else p for p in preds]
    labels = sorted(set(golds))
    per: dict[str, dict[str, float]] = {}
    for label in labels:
        tp = sum(1 for g, p in zip(golds, preds, strict=False) if g == label and p == label)
        fp = sum(1 for g, p in zip(golds, preds, strict=False) if g != label and p == label)
        fn = sum(1 for g, p in zip(golds, preds, strict=False) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per[label] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    return sum(v["f1"] for v in per.values()) / len(per), per


def entity_scores(
    golds: Iterable[set[tuple[int, int, str]]], preds: Iterable[set[tuple[int, int, str]]]
) -> dict[str, dict[str, float]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for gold, pred in zip(golds, preds, strict=False):
        for label in {e[2] for e in gold | pred}:
            g = {e for e in gold if e[2] == label}
            p = {e for e in pred if e[2] == label}
            counts[label]["tp"] += len(g & p)
            counts[label]["fp"] += len(p - g)
            counts[label]["fn"] += len(g - p)
    counts["all"] = sum(counts.values(), Counter())
    scores = {}
    for label, c in sorted(counts.items()):
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[label] = {"precision": precision, "recall": recall, "f1": f1, "support": c["tp"] + c["fn"]}
    return scores


def faq_key_accuracy(heldout: Sequence[dict[str, Any]], parsed: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """How often the ResponseSelector picks the held-out FAQ question's own answer key.

    Measured on the selector alone (whatever the intent classifier said), because the macro F1
    counts every FAQ key as the one intent ``faq`` and so cannot see a change to the selector
    (config.yml's ResponseSelector settings).
    """
    pairs = [
        (e["full_intent"], ((p.get("response_selector") or {}).get("faq") or {}).get("response", {}))
        for e, p in zip(heldout, parsed, strict=True)
        if e["intent"] == "faq"
    ]
    misses = [
        {"gold": gold, "predicted": response.get("intent_response_key")}
        for gold, response in pairs
        if response.get("intent_response_key") != gold
    ]
    total = len(pairs)
    return {"examples": total, "accuracy": round((total - len(misses)) / total, 4) if total else 0.0, "misses": misses}


async def parse_all(model: Path, texts: Sequence[str]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [await agent.parse_message(text) for text in texts]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument(
        "--heldout", type=Path, nargs="+", default=sorted((ROOT / "tests" / "nlu_heldout").glob("*.yml"))
    )
    parser.add_argument("--clinc", type=Path, default=DEFAULT_CLINC)
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "results" / "nlu")
    args = parser.parse_args()
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    os.chdir(ROOT)  # SpacyNLP's model path is relative to the project root

    configured, ambiguity = load_config_thresholds(args.config)
    heldout = load_heldout(args.heldout)
    clinc = load_clinc_val(args.clinc)
    parsed = asyncio.run(parse_all(args.model, [e["text"] for e in heldout] + [t for t, _ in clinc]))
    parsed_heldout, parsed_clinc = parsed[: len(heldout)], parsed[len(heldout):]

    golds = [e["intent"] for e in heldout]
    sweep = []
    for threshold in sorted(set(THRESHOLDS) | {configured}):
        preds = [decide(p.get("intent_ranking") or [], threshold, ambiguity) for p in parsed_heldout]
        f1, _ = macro_f1(golds, preds)
        hits = sum(1 for g, p in zip(golds, preds, strict=True) if g == p or (g == OUT_OF_SCOPE and p == FALLBACK))
        accuracy = hits / len(golds)
        clinc_preds = [decide(p.get("intent_ranking") or [], threshold, ambiguity) for p in parsed_clinc]
        false_answers = sum(1 for p in clinc_preds if is_renewal(p))
        other = sum(1 for p in clinc_preds if not is_renewal(p) and p not in {OUT_OF_SCOPE, FALLBACK})
        sweep.append(
            {
                "threshold": threshold,
                "heldout_macro_f1": round(f1, 4),
                "heldout_accuracy": round(accuracy, 4),
                "clinc_false_answer_rate": round(false_answers / len(clinc), 4),
                "clinc_other_intent_rate": round(other / len(clinc), 4),
            }
        )

    preds = [decide(p.get("intent_ranking") or [], configured, ambiguity) for p in parsed_heldout]
    f1, per_intent = macro_f1(golds, preds)
    confusions = Counter(
        (g, OUT_OF_SCOPE if p == FALLBACK and g == OUT_OF_SCOPE else p)
        for g, p in zip(golds, preds, strict=False)
        if not (g == p or (g == OUT_OF_SCOPE and p == FALLBACK))
    )
    errors = [
        {"text": e["text"], "gold": e["intent"], "predicted": p}
        for e, p in zip(heldout, preds, strict=False)
        if not (e["intent"] == p or (e["intent"] == OUT_OF_SCOPE and p == FALLBACK))
    ]
    clinc_preds = [decide(p.get("intent_ranking") or [], configured, ambiguity) for p in parsed_clinc]
    clinc_false = [
        {"text": text, "clinc_intent": intent, "predicted": p}
        for (text, intent), p in zip(clinc, clinc_preds, strict=False)
        if is_renewal(p)
    ]
    entity = entity_scores(
        [set(e["entities"]) for e in heldout],
        [{(x["start"], x["end"], x["entity"]) for x in p.get("entities") or []} for p in parsed_heldout],
    )
    faq = faq_key_accuracy(heldout, parsed_heldout)
    summary = {
        "model": str(args.model),
        "heldout_examples": len(heldout),
        "clinc_val_examples": len(clinc),
        "fallback_threshold": configured,
        "ambiguity_threshold": ambiguity,
        "heldout_intent_macro_f1": round(f1, 4),
        "per_intent": {k: {m: round(v, 3) for m, v in d.items()} for k, d in per_intent.items()},
        "confusions": [{"gold": g, "predicted": p, "count": n} for (g, p), n in confusions.most_common()],
        "entities_all_extractors": {k: {m: round(v, 3) for m, v in d.items()} for k, d in entity.items()},
        "faq_answer_key": faq,
        "clinc_false_answer_rate": round(len(clinc_false) / len(clinc), 4),
        "clinc_false_answers_by_intent": dict(Counter(x["predicted"] for x in clinc_false).most_common()),
        "threshold_sweep": sweep,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    (args.out / "heldout_errors.json").write_text(json.dumps(errors, indent=2) + "\n", encoding="utf-8")
    (args.out / "clinc_false_answers.json").write_text(json.dumps(clinc_false, indent=2) + "\n", encoding="utf-8")

    print(f"held-out examples: {len(heldout)}; CLINC val (unrelated) examples: {len(clinc)}")
    print(f"fallback threshold {configured} (ambiguity {ambiguity})")
    print(f"held-out intent macro F1: {f1:.3f}")
    print(f"entity F1 (all extractors, exact span): {entity['all']['f1']:.3f}")
    for label, s in entity.items():
        print(f"  {label:12s} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  n={int(s['support'])}")
    print(f"FAQ answer key (ResponseSelector) on held-out FAQ questions: {faq['accuracy']:.3f} of {faq['examples']}")
    print(f"CLINC out-of-scope false-answer rate: {len(clinc_false) / len(clinc):.2%}")
    print(
        "threshold sweep (threshold, held-out macro F1, held-out accuracy, CLINC false answers, "
        "CLINC other intents):"
    )
    for row in sweep:
        print(
            f"  {row['threshold']:.2f}  {row['heldout_macro_f1']:.3f}  {row['heldout_accuracy']:.3f}  "
            f"{row['clinc_false_answer_rate']:.2%}  {row['clinc_other_intent_rate']:.2%}"
        )
    print("main confusions:", ", ".join(f"{g}->{p} x{n}" for (g, p), n in confusions.most_common(10)) or "none")
    print(f"details: {args.out}/summary.json, heldout_errors.json, clinc_false_answers.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
