# Pilotage — two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
CHARTS := frontend/dist/charts.js
PYTEST_ARGS ?=

.PHONY: setup demo test lint typecheck unit serve clean system-deps

## setup: create .venv with the project and its test tools, build the chart bundle
setup: $(INSTALLED) $(CHARTS)

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

$(CHARTS): frontend/package.json frontend/package-lock.json frontend/charts.entry.js
	@command -v npm >/dev/null || bash scripts/apt-install.sh nodejs npm
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build

## demo: build the demo company into ./demo-workspace and serve it on http://127.0.0.1:8000
demo: setup
	$(BIN)/pilotage demo --workspace demo-workspace --host 127.0.0.1 --port 8000

## system-deps: what the tests need from the machine: PostgreSQL running, pdftoppm to check
## PDFs, HarfBuzz-Subset for WeasyPrint's font subsetting, Chromium for the browser tests,
## Java 17 for Spark in local mode
system-deps:
	bash scripts/ensure-postgres.sh
	@command -v pdftoppm >/dev/null || bash scripts/apt-install.sh poppler-utils
	@ldconfig -p | grep -q libharfbuzz-subset || bash scripts/apt-install.sh libharfbuzz-subset0
	@test -x /usr/bin/chromium || bash scripts/apt-install.sh chromium
	@command -v java >/dev/null || bash scripts/apt-install.sh openjdk-17-jre-headless

## test: the whole suite, lint and type checks included
test: setup system-deps lint typecheck unit

lint:
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck:
	$(BIN)/mypy

unit:
	$(BIN)/pytest -n 2 --dist loadfile $(PYTEST_ARGS)

serve: setup
	$(BIN)/pilotage serve

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist .mypy_cache .ruff_cache .pytest_cache
