# fdipsec-pulumi: `make up` runs the main job offline against the local emulator; `make test` runs everything.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
PY := $(VENV)/bin/python
# The pip package is pinned in pyproject.toml (the newest on PyPI); the CLI is the newest release the Go
# module proxy serves, built from tools/pulumi-build (see README, "Versions").
export PULUMI_SDK_VERSION := 3.272.0
export PULUMI_CLI_VERSION := 3.276.0

# Offline hygiene: a local file backend inside the repo, a passphrase secrets provider, no update check,
# no plugin downloads, and a Pulumi home that is ours rather than the user's.
export PULUMI_BACKEND_URL := file://$(CURDIR)/.pulumi-state
export PULUMI_CONFIG_PASSPHRASE ?= fdipsec-local-demo
export PULUMI_HOME := $(CURDIR)/.cache/pulumi-home
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION := true
export PULUMI_SKIP_CONFIRMATIONS := true
STACK ?= dev

PULUMI_BIN_FILE := .cache/pulumi-bin-dir
WITH_PULUMI = mkdir -p .pulumi-state; export PATH="$$(cat $(PULUMI_BIN_FILE)):$(VENV)/bin:$$PATH";

.PHONY: help setup up down outputs secret-outputs preview emulator test lint typecheck go-test pytest clean

help:
	@echo "make up     - deploy the stack in this repo against the local Frontdoor emulator (offline)"
	@echo "make down   - destroy the stack and stop the emulator that make up started"
	@echo "make test   - lint, type checks, unit/emulator/client/provider tests and real-engine e2e tests"
	@echo "make secret-outputs - show the stack outputs including the secret sample VPN configuration"

setup: $(VENV)/.installed $(PULUMI_BIN_FILE)

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[emulator,dev]'
	@touch $@

# Rebuilt only when the pins or our build inputs change; the build itself is cached under ~/.cache.
$(PULUMI_BIN_FILE): Makefile scripts/pulumi-toolchain.sh tools/pulumi-build/go.mod tools/pulumi-build/go.sum \
		$(wildcard tools/pulumi-build/langhost/*.go)
	@mkdir -p $(dir $@)
	@scripts/pulumi-toolchain.sh > $@.tmp && mv $@.tmp $@

up: setup
	@$(WITH_PULUMI) STACK=$(STACK) scripts/up.sh

down: setup
	@$(WITH_PULUMI) STACK=$(STACK) scripts/down.sh

outputs: setup
	@$(WITH_PULUMI) pulumi stack output --stack $(STACK)

secret-outputs: setup
	@$(WITH_PULUMI) pulumi stack output --stack $(STACK) --show-secrets

preview: setup
	@$(WITH_PULUMI) scripts/emulator.sh start && pulumi preview --diff --stack $(STACK)

emulator: setup
	@$(WITH_PULUMI) scripts/emulator.sh start

test: setup lint typecheck go-test pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy

# Our language host (tools/pulumi-build/langhost): vet it and run its unit tests, with the module's pins.
go-test:
	cd tools/pulumi-build && GOFLAGS=-mod=readonly GOTOOLCHAIN=local go vet ./langhost
	cd tools/pulumi-build && GOFLAGS=-mod=readonly GOTOOLCHAIN=local go test ./langhost

pytest: setup
	@$(WITH_PULUMI) $(PY) -m pytest -ra

clean:
	rm -rf .cache .pulumi-state .emulator .mypy_cache .ruff_cache .pytest_cache
