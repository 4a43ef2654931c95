# Set-up and everyday commands. Each target creates .venv and installs the pinned
# requirements on first use, so `make serve` and `make test` work on a fresh clone.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build check test lint

$(STAMP): requirements.txt requirements-dev.txt constraints.txt package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@# axe-core (npm) for the accessibility audit in the browser tests; without npm that test skips.
	if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; fi
	touch $(STAMP)

serve: $(STAMP)  ## build the site and serve it at http://127.0.0.1:8000
	$(BIN)/mkdocs serve

build: $(STAMP)  ## build the site into site/, failing on any checker error
	$(BIN)/mkdocs build --strict

check: $(STAMP)  ## check every claim and reference
	$(BIN)/python scripts/check_claims.py

lint: $(STAMP)
	$(BIN)/ruff check scripts tests

test: $(STAMP)  ## the whole test suite: lint, then pytest (browser tests need Debian's chromium)
	$(BIN)/ruff check scripts tests
	$(BIN)/python -m pytest
