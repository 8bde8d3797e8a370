#!/usr/bin/env bash
# Held-out NLU evaluation (docs/nlu-evaluation.md).
#   1. builds the spaCy pipeline from the sample catalog,
#   2. trains an NLU-only model into $OUT (or evaluates MODEL=path/to/model.tar.gz),
#   3. `rasa test nlu` on the held-out set tests/nlu_heldout/ (intent, entity and response-selection
#      reports, confusion matrix) into $OUT/rasa-test,
#   4. scripts/nlu_eval.py: intent macro F1 per fallback threshold, entity F1 of all extractors
#      together, and the out-of-scope false-answer rate on CLINC150's never-trained validation split.
# Usage: bash scripts/evaluate_nlu.sh            (about 5-7 minutes on 2 cores)
#        MODEL=models/recert.tar.gz bash scripts/evaluate_nlu.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-.venv/bin}
OUT=${OUT:-var/results/nlu}
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-3}
export PYTHONHASHSEED=${PYTHONHASHSEED:-0}
export RASA_TELEMETRY_ENABLED=${RASA_TELEMETRY_ENABLED:-false}
mkdir -p "$OUT"

"$BIN/python" -m bot.nlp.build --catalog data/catalog/sample-catalog.yml --out models/spacy_en_recert

if [[ -z "${MODEL:-}" ]]; then
  start=$(date +%s)
  "$BIN/rasa" train nlu --config config.yml --domain domain.yml --nlu data/nlu \
    --out "$OUT" --fixed-model-name nlu-eval > "$OUT/train.log" 2>&1 \
    || { tail -n 40 "$OUT/train.log"; exit 1; }
  echo "NLU training took $(( $(date +%s) - start )) s"
  MODEL="$OUT/nlu-eval.tar.gz"
fi

"$BIN/rasa" test nlu --model "$MODEL" --nlu tests/nlu_heldout --out "$OUT/rasa-test" --no-plot \
  > "$OUT/rasa-test.log" 2>&1 || { tail -n 40 "$OUT/rasa-test.log"; exit 1; }
"$BIN/python" - "$OUT/rasa-test" <<'EOF'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
def report(name):
    path = out / name
    return json.loads(path.read_text()) if path.is_file() else None
intent = report("intent_report.json")
if intent:
    print(f"rasa test nlu: intent macro F1 {intent['macro avg']['f1-score']:.3f}, "
          f"accuracy {intent['accuracy']:.3f}")
selection = report("response_selection_report.json")
if selection:
    print(f"rasa test nlu: FAQ key (response selection) macro F1 {selection['macro avg']['f1-score']:.3f}, "
          f"accuracy {selection.get('accuracy', float('nan')):.3f}")
for extractor in ("DIETClassifier", "SpacyEntityExtractor"):
    entities = report(f"{extractor}_report.json")
    if entities:
        labels = {k: v for k, v in entities.items() if isinstance(v, dict) and k not in ("macro avg", "weighted avg", "micro avg")}
        per = ", ".join(f"{k} {v['f1-score']:.2f}" for k, v in sorted(labels.items()))
        print(f"rasa test nlu: {extractor} entity micro F1 {entities['micro avg']['f1-score']:.3f} ({per})")
EOF

"$BIN/python" scripts/nlu_eval.py --model "$MODEL" --out "$OUT" 2> "$OUT/nlu_eval.stderr"
