# fdipsec-pulumi: `make up` runs the main job offline against the local emulator; `make test` runs everything.
# `make help` lists the targets: it reads the `##` comment after each one.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
PY := $(VENV)/bin/python
# The other end of the SDK range: the oldest versions pyproject.toml declares (constraints-lowest.txt).
VENV_MIN := $(CURDIR)/.venv-min
PY_MIN := $(VENV_MIN)/bin/python
# The newest pip SDK (constraints.txt pins it); the CLI is the newest release the Go module proxy serves,
# built from tools/pulumi-build (see docs/engine.md).
export PULUMI_SDK_VERSION := 3.272.0
export PULUMI_CLI_VERSION := 3.276.0

# Offline hygiene: a local file backend inside the repo, a passphrase secrets provider, no update check,
# no plugin downloads, and a Pulumi home that is ours rather than the user's. `make env` prints these
# for a shell, so plain `pulumi` commands see the same stack.
export PULUMI_BACKEND_URL := file://$(CURDIR)/.pulumi-state
export PULUMI_CONFIG_PASSPHRASE ?= fdipsec-local-demo
export PULUMI_HOME := $(CURDIR)/.cache/pulumi-home
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION := true
export PULUMI_SKIP_CONFIRMATIONS := true
export STACK ?= dev

PULUMI_BIN_FILE := .cache/pulumi-bin-dir
WITH_PULUMI = mkdir -p .pulumi-state; export PATH="$$(cat $(PULUMI_BIN_FILE)):$(VENV)/bin:$$PATH";
WITH_PULUMI_MIN = mkdir -p .pulumi-state; export PATH="$$(cat $(PULUMI_BIN_FILE)):$(VENV_MIN)/bin:$$PATH";
SDK_OF = $(1) -c 'import importlib.metadata as m; print(m.version("pulumi"))'

.PHONY: help setup setup-min up down preview outputs secret-outputs env emulator emulator-stop test lint \
	typecheck go-test pytest pytest-min clean

help: ## this list
	@awk -F ':.*## ' '/^[a-z-]+:.*## / { printf "  make %-15s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

setup: $(VENV)/.installed $(PULUMI_BIN_FILE) ## the virtualenv (.venv, newest SDK) and a Pulumi CLI (built once when none is new enough)

setup-min: $(VENV_MIN)/.installed $(PULUMI_BIN_FILE) ## a second virtualenv (.venv-min) at the oldest versions the package declares

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[emulator,dev]'
	@touch $@

$(VENV_MIN)/.installed: pyproject.toml constraints-lowest.txt
	@test -x $(PY_MIN) || $(PYTHON) -m venv $(VENV_MIN)
	@$(PY_MIN) -m pip install --quiet --disable-pip-version-check -c constraints-lowest.txt -e '.[emulator,test,policy]'
	@touch $@

# Rebuilt only when the pins or our build inputs change; the build itself is cached under ~/.cache.
$(PULUMI_BIN_FILE): Makefile scripts/pulumi-toolchain.sh tools/pulumi-build/go.mod tools/pulumi-build/go.sum \
		$(wildcard tools/pulumi-build/langhost/*.go)
	@mkdir -p $(dir $@)
	@scripts/pulumi-toolchain.sh > $@.tmp && mv $@.tmp $@

up: setup ## deploy this repo's stack (STACK, default dev) against the local emulator, offline
	@$(WITH_PULUMI) scripts/up.sh

down: setup ## destroy the stack (if any) and stop the emulator that make up started
	@$(WITH_PULUMI) scripts/down.sh

preview: setup ## preview the stack (creates it, pointed at the emulator, when missing)
	@$(WITH_PULUMI) scripts/stack.sh && pulumi preview --diff --stack $(STACK)

outputs: setup ## the stack's outputs, secrets masked
	@$(WITH_PULUMI) scripts/outputs.sh

secret-outputs: setup ## the stack's outputs including the secret sample VPN configuration
	@$(WITH_PULUMI) scripts/outputs.sh --show-secrets

env: setup ## print exports for plain pulumi commands on this stack: eval "$(make -s env)"
	@printf 'export %s=%q\n' PATH "$$(cat $(PULUMI_BIN_FILE)):$(VENV)/bin:$$PATH" \
		PULUMI_BACKEND_URL "$(PULUMI_BACKEND_URL)" PULUMI_CONFIG_PASSPHRASE "$(PULUMI_CONFIG_PASSPHRASE)" \
		PULUMI_HOME "$(PULUMI_HOME)" PULUMI_SKIP_UPDATE_CHECK true \
		PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION true; mkdir -p .pulumi-state

emulator: setup ## start the local emulator on 127.0.0.1:18731 (FDIPSEC_EMULATOR_PORT), state in .emulator/
	@scripts/emulator.sh start

emulator-stop: ## stop the local emulator
	@scripts/emulator.sh stop

test: setup lint typecheck go-test pytest pytest-min ## everything CI runs: lint, types, the Go host, pytest on the newest and the oldest SDK

lint: setup ## ruff check and ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup ## mypy --strict
	$(VENV)/bin/mypy

# Our language host (tools/pulumi-build/langhost): vet it and run its unit tests, with the module's pins.
go-test: ## go vet and go test of our language host
	cd tools/pulumi-build && GOFLAGS=-mod=readonly GOTOOLCHAIN=local go vet ./langhost
	cd tools/pulumi-build && GOFLAGS=-mod=readonly GOTOOLCHAIN=local go test ./langhost

pytest: setup ## the whole pytest suite on the newest SDK (.venv)
	@echo "pytest: the whole suite on the newest SDK, pulumi $$($(call SDK_OF,$(PY)))"
	@$(WITH_PULUMI) $(PY) -m pytest -ra

# The fast suites and the real-engine subset marked sdk_range.
pytest-min: setup-min ## the fast suites and the real-engine subset on the oldest declared SDK (.venv-min)
	@echo "pytest: fast suites and -m sdk_range on the oldest declared SDK, pulumi $$($(call SDK_OF,$(PY_MIN)))"
	@$(WITH_PULUMI_MIN) $(PY_MIN) -m pytest -ra -m 'not e2e or sdk_range'

clean: ## remove caches, the sandbox's stacks and the emulator's state (not the virtualenvs)
	rm -rf .cache .pulumi-state .emulator .mypy_cache .ruff_cache .pytest_cache
