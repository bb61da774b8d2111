# The two quick-start commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	$(BIN)/digest demo

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache  # the rules of the house: pyproject.toml [tool.importlinter]

test: lint
	$(BIN)/pytest -n auto --dist loadgroup --durations=20  # one worker per core; the e2e tests run in two groups of files (tests/e2e/conftest.py); the slowest 20 are listed

# The newsroom's interface words, for translators (tests/web/test_messages.py checks it is current).
messages: $(VENV)/.installed-dev
	$(BIN)/pybabel extract -F digest/web/locale/babel.cfg --no-location --omit-header --sort-output \
		-o digest/web/locale/newsroom.pot .

clean:
	rm -rf var outbox test-artifacts .pytest_cache .mypy_cache
