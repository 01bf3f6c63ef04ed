# blogcorpus: `make demo` and `make test` are all a fresh machine needs (python3 with venv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup demo test lint unit eval bench soak test-wordpress clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)

demo: setup
	$(BIN)/blogcorpus demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q

test: lint unit

eval: setup
	$(BIN)/python -m eval.run --check

bench: setup
	$(BIN)/python -m bench.run

soak: setup
	$(BIN)/python -m tests.soak

test-wordpress: setup
	bash tests/wordpress/run.sh

clean:
	rm -rf $(VENV) build *.egg-info demo.duckdb demo.duckdb.wal
