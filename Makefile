# casedesk: `make run` starts the app, `make test` runs the whole suite.
# Both create .venv and install the package on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-stamp
# The app listens on this machine only; `make run ADDRESS=0.0.0.0` exposes it (see README).
ADDRESS ?= 127.0.0.1

# The test suite runs its service tests on SQLite and on this PostgreSQL server too.
CASEDESK_TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
CASEDESK_REQUIRE_POSTGRES ?= 1
CASEDESK_REQUIRE_BROWSER ?= 1
export CASEDESK_TEST_POSTGRES_URL CASEDESK_REQUIRE_POSTGRES CASEDESK_REQUIRE_BROWSER

.PHONY: run test lint bench bench-portfolio chromium clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/casedesk db upgrade
	$(BIN)/streamlit run server.py --server.fileWatcherType none --server.address $(ADDRESS)

# Debian's chromium drives the browser tests (a downloaded browser is not an option).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium manquant : sudo apt-get install chromium (ou CASEDESK_REQUIRE_BROWSER=0)"; \
	  fi; }

test: $(INSTALLED) chromium
	$(BIN)/pytest -q -n 2 --dist loadgroup

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# The benchmark of issue 15 (docs/benchmarks.md): builds or reuses the demo databases under
# bench/out/ and prints one table for SQLite and PostgreSQL. `make bench CASES=2000` is quick.
CASES ?= 100000
RUNS ?= 5
IMPORT_ROWS ?= 100000
bench: $(INSTALLED)
	$(BIN)/python bench/run_bench.py --cases $(CASES) --runs $(RUNS) --import-rows $(IMPORT_ROWS) \
	  --json bench/out/mesures.json

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
