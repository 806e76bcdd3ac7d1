# `make run` and `make test` bootstrap .venv themselves; a second run skips the install.
PYTHON ?= python3
VENV   ?= .venv
HOST   ?= 127.0.0.1
PORT   ?= 5000
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
FLASK   = $(BIN)/flask --app pen
I18N    = pen/translations
LOCALES = ar es fr ru zh

.PHONY: run test lint install clean-venv translations catalogues node-tools

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The tools the browser tests run in Chromium (axe-core), from npm at the versions of
# package-lock.json, into node_modules/ (not committed). Without npm the step says so and
# the tests that need them are skipped with the reason.
NODE_STAMP = node_modules/.installed-stamp
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	    npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else \
	    echo "npm not found: the accessibility (axe-core) tests will be skipped"; \
	fi

node-tools: $(NODE_STAMP)

run: $(STAMP) catalogues
	PEN_ENV=$${PEN_ENV:-development} $(FLASK) db upgrade
	PEN_ENV=$${PEN_ENV:-development} $(FLASK) seed-demo --host $(HOST) --port $(PORT)
	PEN_ENV=$${PEN_ENV:-development} PEN_TWO_FACTOR_REQUIRED_ROLES=$${PEN_TWO_FACTOR_REQUIRED_ROLES:-[]} $(FLASK) serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

# One pytest worker per core (TEST_WORKERS=0 runs in one process); on PostgreSQL each
# worker tests in a database of its own on the server of PEN_TEST_DATABASE_URL.
TEST_WORKERS ?= auto
test: $(STAMP) lint catalogues $(NODE_STAMP)
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

clean-venv:
	rm -rf $(VENV)

# The network-scale benchmark (README, "Benchmarks"): `make bench SCALE=10 DB=postgresql`.
.PHONY: bench
SCALE    ?= 1
DB       ?= sqlite
DURATION ?= 10
bench: $(STAMP)
	$(BIN)/python -m bench run --scale $(SCALE) --db $(DB) --duration $(DURATION) $(BENCH_ARGS)

# Compile the message catalogues (.po -> .mo); the binaries are built, not committed.
catalogues: $(STAMP)
	$(BIN)/pybabel -q compile -d $(I18N)

# Extract every wrapped string, merge it into each language's catalogue, compile.
translations: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k sentence --no-location \
	    --add-comments=TRANSLATORS: --project=PEN -o $(I18N)/messages.pot .
	for lang in $(LOCALES); do \
	    if [ -f $(I18N)/$$lang/LC_MESSAGES/messages.po ]; then \
	        $(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete -i $(I18N)/messages.pot -d $(I18N) -l $$lang; \
	    else \
	        $(BIN)/pybabel -q init -i $(I18N)/messages.pot -d $(I18N) -l $$lang; \
	    fi; \
	done
	$(MAKE) catalogues
