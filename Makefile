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

.PHONY: help test demo bench quality requirements system-deps node-deps clean extract_translations pull_translations

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements/dev.txt setup.py requirements/base.in | system-deps
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements/dev.txt
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $@

SYSTEM_PACKAGES := chromium fonts-dejavu-core default-libmysqlclient-dev pkg-config

system-deps: ## install what the integration env builds and drives (Debian, as root): Chromium, the MySQL client library
	@missing=$$(for package in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q 'ok installed' || echo $$package; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Missing Debian packages for the integration env: $$missing"; fi; \
	fi

node-deps: ## install the JavaScript verifier stack (interop tests) and axe-core (browser audits)
	@if [ -f tests/js/package-lock.json ]; then npm ci --prefix tests/js --no-audit --no-fund --loglevel=error; fi

# The unit envs and quality share the two cores of the reference machine; the integration env
# runs alone after them, since its real workers, browsers and fault injection want the machine.
PARALLEL_ENVS := py311-django42,py311-django52,py312-django52,quality

test: $(BIN)/.installed system-deps node-deps ## run every test: unit (Django 4.2, 5.2, Python 3.12), integration, quality
	@status=0; \
	$(BIN)/tox run-parallel --parallel 2 --parallel-no-spinner --result-json .tox/parallel.json \
	  -e $(PARALLEL_ENVS) || status=1; \
	$(BIN)/python .ci/print-env-outputs .tox/parallel.json; \
	$(BIN)/tox run -e integration || status=1; \
	exit $$status

quality: $(BIN)/.installed ## lint, import order and formatting
	$(BIN)/tox run -e quality

demo: $(BIN)/.installed ## the whole journey on SQLite and a local worker, then serve it
	$(BIN)/python -m tests.host.demo

bench: $(BIN)/.installed node-deps ## benchmarks; figures land in bench/results/
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

requirements: $(BIN)/.installed ## recompile the pinned requirements/*.txt from the .in files
	for name in base test test-django42 integration quality dev; do \
	  $(BIN)/pip-compile -q --strip-extras --no-emit-index-url --upgrade \
	    --output-file requirements/$$name.txt requirements/$$name.in; \
	done

# Translations (OEP-58): the English source catalog lives in credplugin/conf/locale/en; the
# openedx-translations repository holds the others, fetched with atlas (pip install openedx-atlas).
TRANSLATIONS_REPO ?= credplugin
ATLAS_OPTIONS ?=

extract_translations: $(BIN)/.installed ## write the English source catalog credplugin/conf/locale/en/LC_MESSAGES/django.po
	cd credplugin && DJANGO_SETTINGS_MODULE=tests.host.settings PYTHONPATH=.. ../$(BIN)/django-admin \
	  makemessages --locale en --domain django --no-obsolete --no-location --ignore 'conf/*'

pull_translations: $(BIN)/.installed ## fetch translated catalogs from openedx-translations with atlas, then compile them
	@command -v atlas >/dev/null || { echo "atlas is missing: pip install openedx-atlas"; exit 1; }
	cd credplugin/conf/locale && atlas pull $(ATLAS_OPTIONS) \
	  translations/$(TRANSLATIONS_REPO)/credplugin/conf/locale:.
	cd credplugin && ../$(BIN)/django-admin compilemessages

clean: ## remove build output and local state
	rm -rf .tox build dist *.egg-info var
