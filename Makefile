# Two entry points for a fresh machine (README quick start): `make demo` and `make test`.
# Everything is installed into ./.venv from the lock file (uv.lock) by a pinned uv that is
# itself bootstrapped into ./.tools with the system python3; nothing else is assumed.

PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: setup demo test test-slow lint typecheck packs-test bench clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

$(BIN)/compliance: $(UV) uv.lock pyproject.toml
	$(UV) sync --frozen --python $(PYTHON) --quiet
	@touch $@

setup: $(BIN)/compliance

demo: setup
	$(BIN)/compliance demo

lint: setup
	$(BIN)/ruff check compliance tests bench
	$(BIN)/ruff format --check compliance tests bench

typecheck: setup
	$(BIN)/mypy

packs-test: setup
	$(BIN)/compliance packs lint --strict
	$(BIN)/compliance packs test --require-full-coverage

test: lint typecheck packs-test
	$(BIN)/pytest -n 2 -m "not slow"

test-slow: setup
	$(BIN)/pytest -m slow

bench: setup
	$(BIN)/python bench/classify.py

clean:
	rm -rf .venv .tools build dist .pytest_cache .mypy_cache .ruff_cache
