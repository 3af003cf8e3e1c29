# Huiyin: the verbs a newcomer needs. `make up` runs the system, `make test` runs the tests.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HUIYIN := $(BIN)/huiyin
TEST_ENV := .data/test/env.sh
PYTEST := $(BIN)/pytest

WEB_STAMP := web/node_modules/.installed
BROWSER_STAMP := $(VENV)/.browser

.PHONY: browser up down infra test test-unit test-integration test-security test-e2e test-faults bench bench-smoke lint fmt typecheck install clean test-infra-up test-infra-down

install: $(STAMP) $(WEB_STAMP)

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null || { echo "python3 (3.11+) is required"; exit 1; }
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

# Chart.js for the supervision dashboard, from the npm registry (not copied into the repo).
$(WEB_STAMP): web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is required for the dashboard's charts"; exit 1; }
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $(WEB_STAMP)

# Debian's Chromium (and CJK fonts) for the browser tests; Playwright never downloads a browser.
browser: $(BROWSER_STAMP)
$(BROWSER_STAMP): | $(STAMP)
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else echo "install Debian's chromium and fonts-noto-cjk: sudo apt-get install chromium fonts-noto-cjk"; exit 1; fi; \
	fi
	@touch $(BROWSER_STAMP)

## Run the whole system: Kafka, PostgreSQL, migrations, demo data, the three services. Ctrl-C stops.
up: $(STAMP) $(WEB_STAMP)
	$(HUIYIN) stack up

## Stop everything `make up` / `make infra` started (by pid).
down: $(STAMP)
	$(HUIYIN) stack down

## Start only Kafka and PostgreSQL and print their addresses.
infra: $(STAMP)
	$(HUIYIN) stack infra

## Every test tier, on infrastructure this target starts and stops itself.
test: $(STAMP) $(WEB_STAMP) $(BROWSER_STAMP)
	@$(MAKE) --no-print-directory test-infra-up
	@set -o pipefail; status=0; \
	  $(MAKE) --no-print-directory lint typecheck || status=$$?; \
	  if [ $$status -eq 0 ]; then $(MAKE) --no-print-directory test-unit || status=$$?; fi; \
	  if [ $$status -eq 0 ]; then $(MAKE) --no-print-directory test-integration || status=$$?; fi; \
	  if [ $$status -eq 0 ]; then $(MAKE) --no-print-directory test-security || status=$$?; fi; \
	  if [ $$status -eq 0 ]; then $(MAKE) --no-print-directory test-e2e || status=$$?; fi; \
	  if [ $$status -eq 0 ]; then $(MAKE) --no-print-directory test-faults || status=$$?; fi; \
	  if [ $$status -eq 0 ]; then $(MAKE) --no-print-directory bench-smoke || status=$$?; fi; \
	  $(MAKE) --no-print-directory test-infra-down; exit $$status

test-infra-up: $(STAMP)
	$(HUIYIN) stack infra --profile test --fresh-kafka --env-file $(TEST_ENV)

test-infra-down: $(STAMP)
	$(HUIYIN) stack down --profile test

test-unit: $(STAMP)
	$(PYTEST) tests/unit -q

test-integration: $(STAMP)
	@if [ -f $(TEST_ENV) ]; then source $(TEST_ENV); fi; $(PYTEST) tests/integration -q

test-security: $(STAMP)
	@if [ -f $(TEST_ENV) ]; then source $(TEST_ENV); fi; $(PYTEST) tests/security -q

test-e2e: $(STAMP)
	@if [ -f $(TEST_ENV) ]; then source $(TEST_ENV); fi; $(PYTEST) tests/e2e -q

test-faults: $(STAMP)
	@if [ -f $(TEST_ENV) ]; then source $(TEST_ENV); fi; $(PYTEST) tests/faults -q

bench: $(STAMP)
	$(BIN)/python -m bench.run --full

bench-smoke: $(STAMP)
	$(BIN)/python -m bench.run --smoke

lint: $(STAMP)
	$(BIN)/ruff check libs services tests bench
	$(BIN)/ruff format --check libs services tests bench

fmt: $(STAMP)
	$(BIN)/ruff format libs services tests bench
	$(BIN)/ruff check --fix libs services tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

clean: down
	rm -rf .data .artifacts
