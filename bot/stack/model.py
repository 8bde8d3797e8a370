"""The trained model: which inputs it depends on and whether the one in ``models/`` is current.

A model is named after a fingerprint of its inputs (``recert-<hash>.tar.gz``), so
"missing or stale" is one question: does the file for the current fingerprint
exist? Every ``recert up`` and every test that trains share the same file.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from bot.stack.errors import TrainingFailed

logger = logging.getLogger(__name__)

MODEL_PREFIX = "recert-"
SPACY_PIPELINE_DIR = "models/spacy_en_recert"
SPACY_CATALOG = "data/catalog/sample-catalog.yml"
SPACY_BUILD_MODULE = "bot.nlp.build"
# What the trained model depends on: the NLU config, the domain, the training data
# (the catalog lives under data/ too) and the code that builds the spaCy pipeline.
MODEL_INPUTS = ("config.yml", "domain.yml", "domain", "data", "bot/nlp")


def _input_files(root: Path) -> Iterable[Path]:
    for name in MODEL_INPUTS:
        path = root / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts
            )


def fingerprint(root: Path) -> str:
    """A hash of every model input's path and content (16 hex digits)."""
    digest = hashlib.sha256()
    for path in _input_files(root):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def model_path(root: Path, models_dir: Path | None = None) -> Path:
    """Where the model for the current inputs is (or will be) stored."""
    return (models_dir or root / "models") / f"{MODEL_PREFIX}{fingerprint(root)}.tar.gz"


def _run(cmd: list[str], root: Path, log: Path, env: Mapping[str, str], what: str) -> None:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        out.write(f"\n$ {' '.join(cmd)}\n".encode())
        out.flush()
        result = subprocess.run(cmd, cwd=root, stdout=out, stderr=subprocess.STDOUT, env=dict(env))
    if result.returncode != 0:
        raise TrainingFailed(f"{what} failed (exit {result.returncode}); see {log}")


def ensure_model(
    root: Path,
    log: Path,
    env: Mapping[str, str],
    models_dir: Path | None = None,
) -> tuple[Path, bool]:
    """The current model, trained first when missing or stale; ``(path, trained)``.

    Concurrent callers (two ``recert up``, a test session and a benchmark) take turns
    on a lock file and the second finds the first one's model. Rasa writes into a
    scratch directory; the finished file is renamed into place, so no one ever
    loads a half-written model.
    """
    target = model_path(root, models_dir)
    if not (root / "config.yml").is_file() or not (root / "data").is_dir():
        raise TrainingFailed(f"cannot train: config.yml or data/ missing under {root}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with (target.parent / ".recert-train.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        build_spacy_pipeline(root, log, env)
        if target.is_file():
            return target, False
        _train(root, log, env, target)
    return target, True


def build_spacy_pipeline(root: Path, log: Path, env: Mapping[str, str]) -> None:
    """(Re)build the spaCy pipeline from the record store's catalog (the sample file if it has none).

    The pipeline is not part of the Rasa model file: Rasa loads it from its path when the model
    loads. Rebuilding it on every start is what makes a course imported since the last start
    recognised; ``bot.nlp.pipeline.build_pipeline`` builds it beside the old one and swaps it in,
    so no one loads half a pipeline.
    """
    _run(
        [sys.executable, "-m", SPACY_BUILD_MODULE, "--from-store", "--catalog", SPACY_CATALOG,
         "--out", SPACY_PIPELINE_DIR],
        root, log, env, "building the spaCy pipeline",
    )


def _train(root: Path, log: Path, env: Mapping[str, str], target: Path) -> None:
    domain = "domain" if (root / "domain").is_dir() else "domain.yml"
    name = target.name.removesuffix(".tar.gz")
    with tempfile.TemporaryDirectory(prefix=".training-", dir=target.parent) as scratch:
        _run(
            [
                sys.executable, "-m", "rasa", "train",
                "--config", "config.yml", "--domain", domain, "--data", "data",
                "--out", scratch, "--fixed-model-name", name,
            ],
            root, log, env, "rasa train",
        )
        trained = Path(scratch) / target.name
        if not trained.is_file():
            raise TrainingFailed(f"rasa train finished but wrote no {target.name}; see {log}")
        os.replace(trained, target)
