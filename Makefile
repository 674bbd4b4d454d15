# Quick start: `make run` (dashboard with demo data on :8501) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint format demo kpi bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	ERHVERVSHUS_AUTH=demo $(BIN)/erhvervshus serve --demo-if-empty

test: $(STAMP)
	@test -x /usr/bin/chromium || { echo "Debian chromium mangler: sudo apt-get install -y chromium"; exit 1; }
	$(BIN)/python -m pytest -p no:cacheprovider -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not e2e"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

demo: $(STAMP)
	$(BIN)/erhvervshus demo

bench: $(STAMP)
	$(BIN)/python benchmarks/kpi_engine.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artefacts
