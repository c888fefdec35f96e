# workplan: `make run` opens the TUI, `make test` runs the suite, `make check` lints.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check bench clean serve system-packages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/workplan

serve: $(STAMP)
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

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
