# The two set-up commands of the README are `make run` and `make test`; everything else is a step of theirs.
SHELL := /bin/bash
# Rasa 3.6 needs Python 3.10: pyenv's build when present (.python-version names it), else python3.10 on the PATH.
PYTHON310 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.10.*/bin/python3.10) $(shell command -v python3.10 2>/dev/null))
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export TF_CPP_MIN_LOG_LEVEL ?= 3
export PYTHONHASHSEED ?= 0
export RASA_TELEMETRY_ENABLED ?= false

.PHONY: install run demo up down status chat test lint test-unit test-rasa test-core test-slow validate train nlu-eval bench lock clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON310) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==24.0
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Run the assistant: embedded SQLite store, demo records, the local stack, a terminal chat.
# The demo records (bot/demo/README.md) are written for one day, so `run` pins RECERT_TODAY to it for every
# step it runs (`recert up` hands it to the stack's processes) unless the caller set RECERT_TODAY;
# `RECERT_TODAY= make run` (set but empty) uses the real date.
run: export RECERT_TODAY ?= 2026-11-30
run: install demo up
	$(BIN)/recert chat --as $${RECERT_DEMO_TRAINER:-T-1001}

demo: install
	$(BIN)/recert demo

up: install
	$(BIN)/recert up

down:
	$(BIN)/recert down

status:
	$(BIN)/recert status

# Test everything: lint, unit + integration (SQLite, and PostgreSQL when RECERT_TEST_DATABASE_URL is set),
# Rasa data validation, the model, conversation tests, end-to-end tests through the real stack.
# Training takes one core for minutes, so the steps run TEST_JOBS at a time: the model trains while lint, the
# fast tests and the data validation run beside it; the conversation and slow tests start once it is there.
# --output-sync keeps each step's output together in the log; each step ends with a line "time: STEP Ns"
# (where CI's time goes: docs/testing.md). A failing step fails `make test`, after the running ones end.
TEST_JOBS ?= 2
test: install
	$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target train test-slow lint test-unit validate test-core

# Says how long the command after it took (bash's `time` keyword; the command's exit status is kept).
TIMED = TIMEFORMAT='time: $@ %0Rs'; time

# Lint and types (configured in pyproject.toml; both pinned in requirements.lock).
lint: install
	$(TIMED) { $(BIN)/ruff check . && $(BIN)/mypy; }

test-unit: install
	$(TIMED) $(BIN)/python -m pytest -q -m "not slow" --durations=25

validate: install
	$(TIMED) $(BIN)/rasa data validate --fail-on-warnings

# Conversation tests (tests/conversations) against the model `make train` left.
test-core: train
	$(TIMED) $(BIN)/rasa test core --model "$$(cat $(MODEL_PATH))" --stories tests/conversations \
	  --fail-on-prediction-errors --out var/results/core

# End-to-end tests through the real stack (they start it with the model `make train` left).
test-slow: train
	$(TIMED) $(BIN)/python -m pytest -q -m slow --durations=25

# The old name: everything that needs Rasa.
test-rasa: validate test-core test-slow

# Rebuild the spaCy pipeline from the store's catalog and train the model when its inputs changed (the model's
# path goes to var/results/model). One training at a time on the machine: under flock on TRAIN_LOCK, shared by
# every checkout (TRAIN_LOCK= for none).
TRAIN_LOCK ?= /tmp/recert-train.lock
MODEL_PATH := var/results/model
train: install
	mkdir -p $(dir $(MODEL_PATH))
	set -o pipefail; $(TIMED) $(if $(TRAIN_LOCK),flock $(TRAIN_LOCK)) $(BIN)/recert train | tee $(MODEL_PATH)

nlu-eval: install
	bash scripts/evaluate_nlu.sh

bench: install
	$(BIN)/python bench/bench_assess.py

# Refresh the lock file from the current environment (after changing pyproject.toml).
lock:
	$(BIN)/pip freeze --exclude-editable | grep -v '^recert-assistant' > requirements.lock

clean:
	rm -rf var/run var/log
