# Relief: `make run` serves the portal on http://127.0.0.1:8000; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORTAL := $(BIN)/portal
PY_STAMP := $(VENV)/.installed
NODE_STAMP := frontend/node_modules/.installed
BUNDLE := frontend/dist/index.html
DEMO_STAMP := var/.demo-seeded
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f -not -path 'frontend/src/gql/*' 2>/dev/null) \
	frontend/index.html frontend/vite.config.ts frontend/codegen.ts frontend/tsconfig.json \
	frontend/tsconfig.node.json schema.graphql

.PHONY: run test lint suites pytest pytest-postgresql frontend-test browser-test bench schema clean

# --- dependencies -----------------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Relief needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(NODE_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(BUNDLE): $(NODE_STAMP) $(FRONTEND_SOURCES)
	cd frontend && npm run build

# The browser tests drive Debian's Chromium (Playwright cannot download its own here).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	$$( [ "$$(id -u)" -eq 0 ] || echo sudo ) apt-get update
	DEBIAN_FRONTEND=noninteractive $$( [ "$$(id -u)" -eq 0 ] || echo sudo ) apt-get install -y --no-install-recommends chromium

# --- the two commands -------------------------------------------------------------------------

run: $(PY_STAMP) $(BUNDLE)
	$(PORTAL) migrate
	@if [ ! -f $(DEMO_STAMP) ]; then $(PORTAL) seed-demo && touch $(DEMO_STAMP); fi
	$(PORTAL) serve --host 127.0.0.1 --port 8000

test: lint frontend-test suites browser-test

# The SQLite and PostgreSQL runs share nothing (own databases, ports, Redis channels): on a
# machine with two cores they run side by side, each printing its output when it is done.
suites: $(PY_STAMP)
	$(MAKE) --no-print-directory -j2 --output-sync=target pytest pytest-postgresql

# --- checks -----------------------------------------------------------------------------------

lint: $(PY_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Building proves the bundle type-checks and compiles; then the component tests.
frontend-test: $(BUNDLE)
	cd frontend && npm test

pytest: $(PY_STAMP)
	$(BIN)/pytest --ignore=tests/browser

# The same suite again on PostgreSQL when PORTAL_TEST_DATABASE_URL names a server.
pytest-postgresql: $(PY_STAMP)
	@if [ -n "$$PORTAL_TEST_DATABASE_URL" ]; then \
		echo "--- the suite on PostgreSQL"; $(BIN)/pytest --ignore=tests/browser --database=postgresql; \
	else echo "PORTAL_TEST_DATABASE_URL is not set: the PostgreSQL run is left out"; fi

schema: $(PY_STAMP)
	$(PORTAL) export-schema

# The dashboard in a real browser against a real server (its own SQLite file, demo data).
browser-test: $(PY_STAMP) $(BUNDLE) $(CHROMIUM)
	$(BIN)/pytest -p no:cacheprovider tests/browser

bench: $(PY_STAMP) $(BUNDLE)
	$(BIN)/python -m bench

clean:
	rm -rf frontend/dist frontend/src/gql bench/results
