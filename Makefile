# Everything a fresh machine needs comes from here: `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium

.PHONY: install run test test-fast bench bench-ui sandbox lint format chromium sample-data screenshots soak clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

chromium:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

run: install
	$(BIN)/streamlit run app.py --server.port 8501 --server.headless true

test: install chromium
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not browser and not slow"

screenshots: install chromium
	BATCHCALL_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/test_browser_e2e.py -k follow_a_batch

soak: install
	$(BIN)/python -m bench.soak --seconds 60 --pollers 50 --creators 5

bench: install
	$(BIN)/python -m bench

bench-ui: install chromium
	$(BIN)/python -m bench.ui

sandbox: install
	$(BIN)/python -m batchcall.sandbox

sample-data: install
	$(BIN)/python scripts/make_sample_data.py

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .workbench
