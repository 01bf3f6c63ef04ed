# blogcorpus: `make demo` and `make test` are all a fresh machine needs (python3 with venv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: setup demo test lint unit eval test-mirrors test-wordpress bench bench-scale soak clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $@

setup: $(STAMP)

## The sample blog, crawled on 127.0.0.1 into demo.duckdb, with what was found.
demo: setup
	$(BIN)/blogcorpus demo

## Lint, types, and the test suite (offline; real servers on loopback only).
test: lint unit

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -q

## Parser scores on the real pages of ../shared/data, side by side with trafilatura; fails below the floors.
eval: setup
	$(BIN)/python -m eval.run --check

## Crawls of the three real blog mirrors in ../shared/data.
test-mirrors: setup
	$(BIN)/pytest -q -m mirrors tests/test_mirrors.py

## A real WordPress (Debian's packages, installed when missing) crawled and compared with its database.
test-wordpress: setup
	bash tests/wordpress/run.sh

## Rewrites BENCHMARKS.md.
bench: setup
	$(BIN)/python -m bench.run

## Memory of 20,000- and 100,000-page crawls beside Scrapy (hours); BENCHMARKS.md shows the last run.
bench-scale: setup
	$(BIN)/python -m bench.scale

## Long crawls with faults injected (kill -9 on 2,000 posts, memory over tens of thousands of pages).
soak: setup
	$(BIN)/python -m tests.soak

clean:
	rm -rf $(VENV) build *.egg-info demo.duckdb demo.duckdb.wal
