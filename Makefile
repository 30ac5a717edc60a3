# Two commands do all the set-up on a fresh machine with Python 3.11 and pip:
#   make run    ingest seeds/ and keep watching it (Ctrl-C to stop)
#   make test   lint and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test eval bench clean

$(BIN)/monitor: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# pip 23 leaves trafilatura unimportable (lxml.html.clean): upgrade pip first.
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

run: $(BIN)/monitor
	$(BIN)/monitor --config config.toml run

test: $(BIN)/monitor
	$(BIN)/ruff check .
	$(BIN)/pytest

clean:
	rm -rf $(VENV) monitor.db monitor.db-wal monitor.db-shm alerts.jsonl
