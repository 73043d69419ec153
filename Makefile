# Two commands do all set-up on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links in e-mails point at the address `make run` serves (set SITE_URL to override).
SITE_URL ?= http://127.0.0.1:$(PORT)
PYTEST_ARGS ?=
# The tests that do not drive the browser run in WORKERS processes (pytest-xdist, one database each; 0: one
# process); the browser tests then run in WORKERS processes too (each its own database, live server and Chromium).
# BROWSER=0 leaves them out. Exit status 5 (PYTEST_ARGS selected no test in one of the two runs) is not a failure.
WORKERS ?= 2
BROWSER ?= 1

.PHONY: run test install install-test browser lint check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install-test browser
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n $(WORKERS) -m "not browser" $(PYTEST_ARGS) || [ $$? -eq 5 ]
ifneq ($(BROWSER),0)
	$(BIN)/pytest -n $(WORKERS) -m browser $(PYTEST_ARGS) || [ $$? -eq 5 ]
endif

lint: install-test
	$(BIN)/ruff check .

check: lint
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
