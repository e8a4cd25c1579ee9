# The two commands a newcomer needs: `make demo` (the whole journey on embedded defaults) and
# `make test` (every test). The rest serves development.

.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= $(shell python3.11 -c '' 2>/dev/null && echo python3.11 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_PORT ?= 8000
DEMO_SERVE ?= 1
export DEMO_PORT DEMO_SERVE

# pyenv machines: make both 3.11 and 3.12 visible so tox can run the py312 env.
PYENV_VERSIONS := $(shell command -v pyenv >/dev/null 2>&1 && pyenv versions --bare 2>/dev/null | grep -E '^3\.1[12]\.[0-9]+$$' | sort -V -r | paste -sd: -)
ifneq ($(PYENV_VERSIONS),)
export PYENV_VERSION := $(shell echo $(PYENV_VERSIONS) | tr ':' '\n' | sort -V | paste -sd: -)
endif

.PHONY: help test demo bench quality requirements system-deps node-deps clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements/dev.txt setup.py requirements/base.in
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements/dev.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

system-deps: ## install Chromium for the browser tests when it is missing (Debian, as root)
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; \
	  else echo "Chromium is missing: install Debian's chromium package for the browser tests"; fi; \
	fi

node-deps: ## install the JavaScript verifier stack (interop tests) and axe-core (browser audits)
	@if [ -f tests/js/package-lock.json ]; then npm ci --prefix tests/js --no-audit --no-fund --loglevel=error; fi

test: $(BIN)/.installed system-deps node-deps ## run every test: unit (Django 4.2, 5.2, Python 3.12), integration, quality
	$(BIN)/tox run -e py311-django42,py311-django52,py312-django52,integration,quality

quality: $(BIN)/.installed ## lint, import order and formatting
	$(BIN)/tox run -e quality

demo: $(BIN)/.installed ## the whole journey on SQLite and a local worker, then serve it
	$(BIN)/python -m tests.host.demo

bench: $(BIN)/.installed node-deps ## benchmarks; figures land in bench/results/
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

requirements: $(BIN)/.installed ## recompile the pinned requirements/*.txt from the .in files
	for name in base test test-django42 quality dev; do \
	  $(BIN)/pip-compile -q --strip-extras --no-emit-index-url --upgrade \
	    --output-file requirements/$$name.txt requirements/$$name.in; \
	done

clean: ## remove build output and local state
	rm -rf .tox build dist *.egg-info var
