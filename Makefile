# The single entry point. `make` lists the targets.
# Set-up is automatic: every target that needs Python creates .venv (if missing) and installs
# the pinned dependencies from requirements.lock first.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PARAMS ?= config/params/demo.yaml
PYTEST := $(PY) -m pytest
SYSTEM_TOOLS := chromium chromedriver pdftoppm
SYSTEM_PACKAGES := chromium chromium-driver poppler-utils
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

.PHONY: help setup system-deps report preview test test-unit test-notebooks test-e2e notebooks demo-data lock bench clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "python3 -m venv failed (on Debian: apt-get install python3-venv); trying virtualenv"; \
	  $(PYTHON) -m pip install --user -q virtualenv && $(PYTHON) -m virtualenv -q $(VENV); }
	@echo "Installing the pinned packages into $(VENV) (first time: about 1-3 min; pip shows each package)"
	$(PY) -m pip install --disable-pip-version-check --progress-bar on -r requirements.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the pinned environment

system-deps: ## apt-get install chromium, chromium-driver, poppler-utils if a tool is missing (tests, previews)
	@missing=$$(for t in $(SYSTEM_TOOLS); do command -v $$t >/dev/null || printf '%s ' $$t; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	echo "system-deps: missing $$missing-> apt-get install $(SYSTEM_PACKAGES)"; \
	if [ "$$(id -u)" = 0 ]; then sudo=; elif command -v sudo >/dev/null; then sudo=sudo; else \
	  echo "error: not root and no sudo: install $(SYSTEM_PACKAGES) as root" >&2; exit 1; fi; \
	command -v apt-get >/dev/null || { echo "error: no apt-get: install chromium, chromedriver and pdftoppm (poppler) yourself" >&2; exit 1; }; \
	set -x; $$sudo apt-get update -q && \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(SYSTEM_PACKAGES) || \
	  { set +x; echo "error: apt-get install $(SYSTEM_PACKAGES) failed" >&2; exit 1; }; set +x; \
	for t in $(SYSTEM_TOOLS); do command -v $$t >/dev/null || { echo "error: $$t still missing after apt-get" >&2; exit 1; }; done

report: $(STAMP) ## Run the whole workbook on the bundled demo data (PARAMS=… for another file; RUN_ARGS=--force …)
	$(PY) -m helpers run --params $(PARAMS) $(RUN_ARGS)

test: system-deps $(STAMP) ## Run every test: unit + doctests, notebooks (nbval), end-to-end
	$(PYTEST) -q src/helpers tests notebooks $(NBVAL) --ignore=notebooks/00_run_all.ipynb

test-unit: $(STAMP) ## Unit tests and doctests of src/helpers (fast)
	$(PYTEST) -q src/helpers tests/unit

test-notebooks: $(STAMP) ## nbval over the committed stage notebooks (key figures compared)
	$(PYTEST) -q notebooks $(NBVAL) --ignore=notebooks/00_run_all.ipynb

test-e2e: system-deps $(STAMP) ## The master run on the small fixture, the failure path, the browser, environment files
	$(PYTEST) -q tests --ignore=tests/unit

preview: system-deps $(STAMP) ## PNG previews in reports/preview/: page 1 of each PDF, each HTML at 1280 and 390 px
	$(PY) -m helpers preview --params $(PARAMS)

notebooks: report ## Store the demo run's outputs in notebooks/ (the nbval baselines)
	$(PY) -m helpers refresh-notebooks

demo-data: $(STAMP) ## Regenerate the synthetic demo data (data/raw) and the test fixture
	$(PY) -m helpers.demo

lock: ## Re-pin requirements.lock from pyproject.toml (then update environment.yml)
	$(PYTHON) -m venv /tmp/lock-venv && /tmp/lock-venv/bin/pip install -q . && \
	/tmp/lock-venv/bin/pip freeze --exclude-editable | grep -v '^mediation-workbook' > requirements.lock

bench: $(STAMP) ## The benchmarks: 10k/100k/1M-row scaling, then the whole demo run (benchmarks/RESULTS.md)
	$(PY) benchmarks/run.py
	$(PY) benchmarks/whole_run.py

clean: ## Delete everything generated (data/processed, reports, the stage cache)
	find data/processed reports -mindepth 1 ! -name README.md -delete
	rm -rf data/processed.cache reports.new reports.failed reports.partial reports.old data/processed.old .reports.new.lock
