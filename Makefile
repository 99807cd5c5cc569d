# The two commands of the quick start: `make run` and `make test`. Each sets up everything it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Extra pytest options for `make test`, e.g. PYTEST_ARGS="-n 2 --dist loadgroup" (two processes, pytest-xdist)
PYTEST_ARGS ?=

.PHONY: setup run mail test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/minyi db upgrade
	$(BIN)/minyi demo --if-empty
	@echo "民意 minyi: http://$(HOST):$(PORT)/  (API docs: /docs; staff password for demo accounts: minyi-demo-2026)"
	$(BIN)/minyi serve --host $(HOST) --port $(PORT)

# A local mail server that prints what minyi sends; start minyi with MINYI_SMTP_URL=smtp://127.0.0.1:8025
mail: setup
	$(BIN)/python -m aiosmtpd -n -l 127.0.0.1:8025 -c minyi.notifications.devmail.Printer

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: setup
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest -q $(PYTEST_ARGS)

unit: setup
	$(BIN)/pytest tests/unit

clean:
	rm -rf $(VENV) data .mypy_cache .ruff_cache artifacts
