# `make run` and `make test` bootstrap .venv themselves; a second run skips the install.
PYTHON ?= python3
VENV   ?= .venv
HOST   ?= 127.0.0.1
PORT   ?= 5000
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
FLASK   = $(BIN)/flask --app pen

.PHONY: run test lint install clean-venv

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	PEN_ENV=$${PEN_ENV:-development} $(FLASK) db upgrade
	PEN_ENV=$${PEN_ENV:-development} $(FLASK) seed-demo
	PEN_ENV=$${PEN_ENV:-development} $(FLASK) serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) lint
	$(BIN)/pytest -q $(PYTEST_ARGS)

clean-venv:
	rm -rf $(VENV)
