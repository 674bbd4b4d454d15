# Quick start: `make run` (dashboard with demo data on :8501) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint format demo kpi bench clean

$(STAMP): pyproject.toml
	command -v $(PYTHON) >/dev/null || scripts/system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	ERHVERVSHUS_AUTH=demo $(BIN)/erhvervshus serve --demo-if-empty

# Parallel on every core (pytest-xdist; one module per worker at a time). The demo database
# is built once and cached in .cache/test-demo/ (see tests/demo_db.py). Exit code 5 (no
# tests collected) fails like any other non-zero code.
PYTEST := $(BIN)/python -m pytest -p no:cacheprovider -q -n auto --dist loadscope

test: $(STAMP)
	scripts/system-deps.sh
	$(PYTEST)

# Without the browser tests no module shares a server, so idle workers may steal single tests
# (measured 2 min 30 s against 2 min 58 s with loadscope).
test-fast: $(STAMP)
	scripts/system-deps.sh
	$(PYTEST) -m "not e2e" --dist worksteal

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
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .cache test-artefacts
