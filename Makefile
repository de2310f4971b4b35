# Set-up and checks; every target installs what it needs into .venv.
# Choose the interpreter with PYTHON=python3.12 (any Python 3.11 or newer).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
MIN_PYTHON := 3.11

# The interpreter must exist and be recent enough; say so in one line, before anything
# is created.
WHICH := import sys, os; print(sys.version_info >= (3, 11), os.path.realpath(sys.base_prefix), \
	'%d.%d.%d' % sys.version_info[:3])
FOUND := $(shell $(PYTHON) -c "$(WHICH)" 2>/dev/null)
ifeq ($(FOUND),)
$(error $(PYTHON) is not a working Python 3 interpreter: choose one with make PYTHON=python3.11 (or newer))
endif
ifneq ($(word 1,$(FOUND)),True)
$(error $(PYTHON) is Python $(word 3,$(FOUND)); newsclean needs $(MIN_PYTHON) or newer: make PYTHON=python3.11)
endif
# A .venv made by another interpreter (or a broken one) is rebuilt from scratch.
ifneq ($(wildcard $(BIN)/python),)
ifneq ($(shell $(BIN)/python -c "$(WHICH)" 2>/dev/null),$(FOUND))
$(info .venv was made by another interpreter; rebuilding it with $(PYTHON))
$(shell rm -rf $(VENV))
endif
endif

.PHONY: run test lint typecheck clean-out

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

run: $(STAMP)
	$(BIN)/newsclean clean corpus/ -o out/

lint: $(DEVSTAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(DEVSTAMP)
	$(BIN)/mypy --strict src

test: lint typecheck
	$(BIN)/python -m pytest

clean-out:
	rm -rf out/
