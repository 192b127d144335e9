# convivial: `make demo` and `make test` set everything up themselves.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= convivial-demo

.PHONY: demo test lint bench lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/convivial demo $(DEMO_DIR)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

CHROMIUM := /usr/bin/chromium

# Debian's Chromium, for the dashboard's browser tests.
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

test: lint $(CHROMIUM)
	$(BIN)/pytest

# The scale benchmark at 3 million events. 30 million runs by hand in about 35 minutes on 24 GiB
# (bench/scale.py 30000000 --duckdb-memory 10GB --spark-memory 12g); 100 million needs more
# (bench/RESULTS.md).
bench: $(STAMP)
	$(BIN)/python bench/import_twcs.py
	$(BIN)/python bench/analyse.py
	$(BIN)/python bench/service.py
	$(BIN)/python bench/audit.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/mastodon_archive.py
	$(BIN)/python bench/scale.py 3000000

lock:
	uv pip compile pyproject.toml --extra dev --extra spark --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache
