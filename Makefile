# The two commands of the README: `make run` and `make test`. `make install` is what both use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test check bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/longcode serve

test: install
	scripts/test

check: install
	scripts/check

bench: install
	$(BIN)/python -m bench.send
	$(BIN)/python -m bench.mdr_query
	$(BIN)/python -m bench.number_search
	$(BIN)/python -m bench.delivery

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .coverage
