# calsvc — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.run-deps: $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[postgres]'
	touch $@

$(VENV)/.test-deps: $(VENV)/.run-deps
	$(BIN)/pip install -q -e '.[dev,postgres]'
	touch $@

tests/interop/node_modules/.installed: tests/interop/package.json
	cd tests/interop && npm ci --no-audit --no-fund --silent
	touch $@

## run: install, migrate, load the demo and serve on http://$(HOST):$(PORT)/ with gunicorn
run: $(VENV)/.run-deps
	$(BIN)/calsvc init-db
	$(BIN)/calsvc demo
	$(BIN)/calsvc serve --host $(HOST) --port $(PORT)

## test: the whole test suite (unit, HTTP, interop, browser) on SQLite, then the database
## tests again on a throwaway PostgreSQL server (when PostgreSQL is installed; required in CI)
test: lint $(if $(wildcard tests/interop/package.json),tests/interop/node_modules/.installed)
	$(BIN)/python -m pytest
	@if [ "$$CALSVC_STRICT_TESTS" = 1 ] || command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "== the suite again on PostgreSQL (browser and interop tests ran above) =="; \
	  CALSVC_TEST_POSTGRES=1 $(BIN)/python -m pytest -m "not browser and not interop"; \
	else echo "PostgreSQL not installed: skipped the PostgreSQL run (CI runs it)"; fi

## bench: benchmarks against naive baselines; writes benchmarks/results/latest.md
bench: $(VENV)/.test-deps
	$(BIN)/python -m benchmarks

## lint: ruff (rules and layout) and mypy (types) — part of make test, so CI checks them too
lint: $(VENV)/.test-deps
	$(BIN)/ruff check calsvc feeds tests benchmarks
	$(BIN)/ruff format --check calsvc feeds tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) tests/interop/node_modules tests/artifacts .pytest_cache
