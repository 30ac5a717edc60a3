# Two commands do all the set-up on a fresh machine with Python 3.11 and pip:
#   make run    ingest seeds/ and keep watching it (Ctrl-C to stop)
#   make test   lint and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test soak eval train bench screenshots clean

$(BIN)/monitor: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# pip 23 leaves trafilatura unimportable (lxml.html.clean): upgrade pip first.
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(BIN)/monitor
	$(BIN)/monitor --config config.toml run

# PYTHONDONTWRITEBYTECODE (set on some machines) would make each of the suite's 8 worker
# processes rewrite every test module's asserts again, and every `monitor` process it
# starts compile the package again: compiled once here, and kept for the run.
test: $(BIN)/monitor
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q monitor > /dev/null
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest --collect-only -q -n 0 -p no:cacheprovider > /dev/null
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest

# The SIGKILL soak at full size (minutes): random kills, a second writer and a lock
# holder; `make test` runs it short. See docs/service.md.
soak: $(BIN)/monitor
	MONITOR_SOAK=full $(BIN)/pytest -s tests/test_soak.py

# Quality against hand labels (monitor/evaluation/, docs/evaluation.md): the cleaner (seeds,
# own set), tagging (seeds, passages, real news) and stories (seeds, own sets).
eval: $(BIN)/monitor
	$(BIN)/python -m monitor.evaluation.cleaning tests/data/gold/seeds.json seeds
	$(BIN)/python -m monitor.evaluation.cleaning tests/data/clean/labels.json
	$(BIN)/python -m monitor.evaluation.tagging
	# the learned topic decision, cross-validated on the real set's train split
	if [ -f tests/data/tagging/real_en.jsonl ]; then $(BIN)/python -m monitor.evaluation.decision; fi
	# the beat gate, cross-validated by batch (each dev batch of new publishers a fold)
	if [ -f tests/data/tagging/real_en.jsonl ]; then $(BIN)/python -m monitor.evaluation.beat_gate; fi
	# how reproducible the real set's topic labels are (a blind second labelling)
	if [ -f tests/data/tagging/second_labels.jsonl ]; then $(BIN)/python -m monitor.evaluation.agreement; fi
	$(BIN)/python -m monitor.evaluation.stories
	# Real pages nobody here wrote (../shared/corpora/aeb; not in this repository): the text
	# cleaner by 5-fold cross-validation, the HTML path, jusText and trafilatura (minutes).
	if [ -d $(AEB) ]; then $(BIN)/python -m monitor.evaluation.aeb $(AEB); fi
	if [ -d $(AEB) ]; then $(BIN)/python -m monitor.evaluation.html_rules $(AEB); fi

# The plain-text cleaner's line model (monitor/extract/data/line_model.json) from the aeb
# corpus: prints the cross-validation, then fits on folds 0-3 (docs/cleaning.md).
AEB ?= ../shared/corpora/aeb
train: $(BIN)/monitor
	$(BIN)/python -m monitor.evaluation.train_cleaner $(AEB) --write

# Speed and memory, each against a baseline in the same run (slow: minutes).
bench: $(BIN)/monitor
	$(BIN)/python bench/bench_clean.py
	$(BIN)/python bench/bench_tagging.py
	$(BIN)/python bench/bench_dedup.py --count 100000 --queries 1000
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_startup.py
	$(BIN)/python bench/bench_taxonomy.py
	$(BIN)/python bench/bench_ui.py

# The README's screenshots of the reading room (docs/img/), in headless Debian chromium.
screenshots: $(BIN)/monitor
	$(BIN)/python bench/screenshots.py

clean:
	rm -rf $(VENV) monitor.db monitor.db-wal monitor.db-shm monitor.db.lock alerts.jsonl
