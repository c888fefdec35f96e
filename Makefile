# workplan: `make run` opens the TUI, `make test` runs the suite, `make check` lints.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check bench clean serve compile system-packages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Our modules compiled once, as an installed package has them (some environments set
# PYTHONDONTWRITEBYTECODE, which would otherwise recompile them at every start).
compile: $(STAMP)
	$(BIN)/python -m compileall -q src

run: $(STAMP) compile
	$(BIN)/workplan

serve: $(STAMP) compile
	$(BIN)/workplan serve

# Debian's Chromium and LibreOffice for the browser and rendering tests: installed when this
# account can (root, password-less sudo), else one line saying what to install.
system-packages:
	scripts/ensure-system-packages

test: system-packages $(STAMP)
	$(BIN)/pytest

check: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP) compile
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
