"""The results: one JSON document (everything) and a markdown summary (the figures).

The JSON keeps every figure the markdown shows plus per-step latencies, the probes,
the load before and after each phase and a transcript of one conversation per bot and
mode (to see that the bots answered what was asked, not an error message quickly).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .driver import Phase, Sample
from .stats import percentile

MODES = ("sequential", "8 concurrent")  # the default run's; a document names its own in settings.modes


def per_step(phase: Phase, texts: Sequence[str]) -> list[dict[str, Any]]:
    """p50/p95/max of each scripted step over all conversations of a phase."""
    rows = []
    for step, text in enumerate(texts):
        values = [s.latency_ms for s in phase.samples if s.ok and s.step == step]
        if not values:
            continue
        rows.append({"step": step, "text": text, "n": len(values),
                     "p50_ms": round(percentile(values, 50), 2),
                     "p95_ms": round(percentile(values, 95), 2), "max_ms": round(max(values), 2)})
    return rows


def error_samples(phase: Phase, limit: int = 5) -> list[dict[str, Any]]:
    failed: list[Sample] = [s for s in phase.samples if not s.ok]
    return [{"conversation": s.conversation, "step": s.step, "text": s.text, "error": s.error}
            for s in failed[:limit]]


def write_json(path: Path, document: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def _fmt(value: Any, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def markdown(document: Mapping[str, Any]) -> str:
    """The results table, the p95 ratios against the target, and the profile."""
    lines = [
        f"Run {document['run_id']} on {document['date']}: rasa {document['rasa_version']}, "
        f"{document['machine']['nproc']} CPUs ({document['machine']['cpu']}), "
        f"{document['settings']['conversations']} conversations x "
        f"{document['settings']['messages_per_conversation']} messages per bot and mode, "
        f"concurrency {document['settings']['concurrency']}, "
        f"{document['settings']['warmup_conversations']} warm-up conversations per phase excluded.",
        "",
        "| bot | mode | messages | errors | p50 ms | p95 ms | max ms | msg/s | load (1 min) "
        "| CPU cores: ours / others |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    run_modes = document["settings"].get("modes") or MODES
    for bot, modes in document["results"].items():
        for mode in run_modes:
            r = modes.get(mode)
            if r is None:
                continue
            load = document["load"].get(f"{bot}/{mode}", {})
            load_text = f"{load['before'][0]:.2f} -> {load['after'][0]:.2f}" if load else "-"
            cpu_text = f"{load['our_cores']:.2f} / {load['other_cores']:.2f}" if "our_cores" in load else "-"
            lines.append(
                f"| {bot} | {mode} | {r['messages']} | {r['errors']} | {_fmt(r['p50_ms'])} | "
                f"{_fmt(r['p95_ms'])} | {_fmt(r['max_ms'])} | {_fmt(r['messages_per_second'], 2)} | "
                f"{load_text} | {cpu_text} |"
            )
    target = document.get("target")
    if target:
        lines.append("")
        for mode in run_modes:
            ratio = target["ratio_p95"].get(mode)
            if ratio is None:
                continue
            verdict = "met" if target["met"][mode] else "NOT met"
            lines.append(f"- p95 ours/plain, {mode}: **{ratio:.2f}x** (target <= "
                         f"{target['max_ratio']}x: {verdict})")
        for mode, ratio in (target.get("variant_ratio_p95") or {}).items():
            lines.append(f"- p95 ours with the in-memory tracker store/plain, {mode}: {ratio:.2f}x")
        for mode, ratio in (target.get("production_ratio_p95") or {}).items():
            lines.append(f"- p95 ours, 2 instances on PostgreSQL + Redis/plain, {mode}: {ratio:.2f}x")
    lines += memory_table(document.get("memory") or {})
    for bot, modes in (document.get("by_kind") or {}).items():
        lines.append("")
        for mode, kinds in modes.items():
            parts = [f"{kind.replace('_', ' ')} {v['p50_ms']:.0f} / {v['p95_ms']:.0f} ms (n={v['messages']})"
                     for kind, v in kinds.items() if v]
            lines.append(f"- {bot}, {mode}, p50 / p95: " + "; ".join(parts))
    steps = document.get("per_step", {})
    if steps.get("ours") and steps.get("plain"):
        variant = [name for name in steps if name not in ("ours", "plain")]
        extra = "".join(f" {name} |" for name in variant)
        lines += ["", "Per step, sequential (p50 / p95 ms):", "",
                  f"| step | ours: message | ours |{extra} plain: message | plain |",
                  "| ---: | --- | ---: |" + " ---: |" * len(variant) + " --- | ---: |"]
        columns = [steps["ours"]["sequential"], *(steps[name]["sequential"] for name in variant),
                   steps["plain"]["sequential"]]
        for rows in zip(*columns, strict=False):
            ours, others, plain = rows[0], rows[1:-1], rows[-1]
            cells = "".join(f" {r['p50_ms']:.0f} / {r['p95_ms']:.0f} |" for r in others)
            lines.append(f"| {ours['step']} | {ours['text']} | {ours['p50_ms']:.0f} / {ours['p95_ms']:.0f} |"
                         f"{cells} {plain['text']} | {plain['p50_ms']:.0f} / {plain['p95_ms']:.0f} |")
    profile = document.get("profile") or {}
    if profile:
        lines += ["", "Probes (p50 / p95 ms, one request at a time):", ""]
        for bot, probes in profile.items():
            nlu = probes["nlu_parse"]["overall"]
            fetch = probes["tracker_fetch"]
            lines.append(f"- {bot}: NLU `/model/parse` {nlu['p50_ms']:.0f} / {nlu['p95_ms']:.0f}; "
                         f"tracker fetch {fetch['p50_ms']:.0f} / {fetch['p95_ms']:.0f}")
            actions = probes.get("action_server")
            if actions:
                parts = [f"`{name}` {v['p50_ms']:.0f} / {v['p95_ms']:.0f}"
                         for name, v in actions.items() if isinstance(v, dict)]
                lines.append(f"- {bot}: action server direct ({actions['tracker_events']} tracker "
                             f"events): " + "; ".join(parts))
    lines += breakdown_table(document.get("breakdown") or {})
    return "\n".join(lines) + "\n"


def memory_table(memory: Mapping[str, Any]) -> list[str]:
    """Resident memory of each Rasa instance after start-up and after the measured phases."""
    after = memory.get("after_measuring") or memory.get("after_start") or {}
    if not after:
        return []
    lines = ["", "Memory per Rasa instance (MB; resident after start -> after measuring; anonymous and "
             "file-backed PSS after measuring):", "",
             "| bot | instance | RSS after start | RSS after measuring | peak RSS | anonymous | file-backed PSS |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    start = memory.get("after_start") or {}
    for bot, instances in after.items():
        for instance, values in instances.items():
            if not values:
                continue
            first = (start.get(bot) or {}).get(instance) or {}
            lines.append(f"| {bot} | {instance} | {_fmt(first.get('rss_mb'), 0)} | {values['rss_mb']:.0f} | "
                         f"{values['peak_rss_mb']:.0f} | {values['anonymous_mb']:.0f} | "
                         f"{values['file_backed_pss_mb']:.0f} |")
    return lines


BREAKDOWN_PARTS = (
    ("total", "handle_message, total"),
    ("tracker_fetch", "tracker store: retrieve"),
    ("nlu", "NLU pipeline"),
    ("extract_slots", "slot extraction (incl. custom mapping action)"),
    ("policies", "policy predictions"),
    ("actions", "running the predicted actions"),
    ("action_server", "of which action server round trips (all)"),
    ("tracker_save", "tracker store: save"),
    ("gc", "garbage collection (inside the steps above)"),
)


def breakdown_table(breakdown: Mapping[str, Any]) -> list[str]:
    """Mean ms per message of each step inside the Rasa process, per model and tracker store."""
    runs = {name: data for name, data in breakdown.items() if "all" in data}
    if not runs:
        return []
    columns: list[tuple[str, Mapping[str, Any]]] = []
    for name, data in runs.items():
        label = name + (f" ({'; '.join(data['what_if'])})" if data.get("what_if") else "")
        if data.get("other_cores") is not None:
            label += f" [others: {data['other_cores']:.2f} cores]"
        columns.append((label, data["all"]))
        if name == "ours_memory_tracker":  # one split is enough to show what an action costs
            for kind in ("no_custom_action", "custom_action"):
                if data.get(kind):
                    columns.append((f"{name}, {kind.replace('_', ' ')}", data[kind]))
    lines = ["", "Inside the Rasa process (latency/breakdown.py; ms per message, mean (p50)):", "",
             "| step | " + " | ".join(name for name, _ in columns) + " |",
             "| --- |" + " ---: |" * len(columns)]
    for part, label in BREAKDOWN_PARTS:
        if not any(part in summary for _, summary in columns):
            continue  # a breakdown from before this part was timed
        cells = " | ".join(f"{summary[part]['mean_ms']:.1f} ({summary[part]['p50_ms']:.1f})"
                           if part in summary else "-" for _, summary in columns)
        lines.append(f"| {label} | {cells} |")
    return lines
