# Set-up and everyday commands. Each target creates .venv and installs the pinned
# requirements on first use, so `make serve` and `make test` work on a fresh clone.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The other engines, each in a venv of its own: their pins conflict with MkDocs'.
PROPERDOCS := .venv-properdocs
ZENSICAL := .venv-zensical
# mkdocs-material 9 prints a notice about MkDocs 2 on every build; README.md ("When Material
# stops") says what this project does about it, so the notice is not repeated in every log.
export NO_MKDOCS_2_WARNING := 1
# The suite in two processes, a test file to each at a time (pytest-xdist); `make test PYTEST_PARALLEL=` runs it in one.
PYTEST_PARALLEL ?= -n 2 --dist loadfile
# A local build's address; the deploy workflow sets the published one (GitHub Pages).
export FACTCHECK_SITE_URL ?= http://127.0.0.1:8000/

.PHONY: serve build check test lint types watch build-properdocs build-zensical test-properdocs test-zensical

$(STAMP): requirements.txt requirements-dev.txt constraints.txt package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@# axe-core (npm) for the accessibility audit in the browser tests; without npm that test skips.
	if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; fi
	touch $(STAMP)

serve: $(STAMP)  ## build the site and serve it at http://127.0.0.1:8000; each save rebuilds the pages it changes
	@# --dirty: the hooks tell MkDocs which pages a save can change (factcheck/site/incremental.py).
	$(BIN)/mkdocs serve --dirty

build: $(STAMP)  ## the site into site/, failing on any problem the checker reports (errors and warnings)
	$(BIN)/mkdocs build --strict

check: $(STAMP)  ## check every claim and reference; warnings fail too, as in the build and in CI
	$(BIN)/python scripts/check_claims.py --strict

lint: $(STAMP)
	$(BIN)/ruff check scripts tests

types: $(STAMP)
	$(BIN)/mypy

watch: $(STAMP)  ## ask Crossref and PubMed what changed about the references, and what is new for each watched claim
	$(BIN)/python scripts/watch_literature.py

test: $(STAMP) $(PROPERDOCS)/.installed $(ZENSICAL)/.installed  ## the whole test suite: lint, types, pytest (browser tests need Debian's chromium)
	$(BIN)/ruff check scripts tests
	$(BIN)/mypy
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)

# --- other engines (see README.md, "Engines") ------------------------------------------------

$(PROPERDOCS)/.installed: requirements-properdocs.txt requirements.txt constraints.txt
	$(PYTHON) -m venv $(PROPERDOCS)
	$(PROPERDOCS)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-properdocs.txt
	@# The theme pins MkDocs; installed without its dependencies, it runs on ProperDocs.
	$(PROPERDOCS)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps mkdocs-material==9.8.1
	touch $@

$(ZENSICAL)/.installed: requirements-zensical.txt
	$(PYTHON) -m venv $(ZENSICAL)
	$(ZENSICAL)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-zensical.txt
	touch $@

build-properdocs: $(STAMP) $(PROPERDOCS)/.installed  ## the site built by ProperDocs, with the same hooks
	$(BIN)/python scripts/build.py --engine properdocs

build-zensical: $(STAMP) $(ZENSICAL)/.installed  ## the site built by Zensical, from a staged copy (no hooks)
	$(BIN)/python scripts/build.py --engine zensical

test-properdocs: $(STAMP) $(PROPERDOCS)/.installed  ## the test suite with ProperDocs as the engine
	FACTCHECK_ENGINE=properdocs $(PROPERDOCS)/bin/python -m pytest $(PYTEST_PARALLEL)

test-zensical: $(STAMP) $(ZENSICAL)/.installed  ## the browser tests against the site Zensical publishes
	FACTCHECK_ENGINE=zensical $(BIN)/python -m pytest tests/test_browser.py tests/test_anchoring.py
