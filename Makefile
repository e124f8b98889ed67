# TradeWatch: `make run` serves the app with the seed timeline; `make test` runs every test.
# Both create .venv and install what they need; nothing has to be installed by hand
# except Python 3.12 or newer (see .python-version).

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The first interpreter that is 3.12 or newer. Under pyenv, .python-version selects 3.12.
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3 python; do \
	if command -v $$p >/dev/null 2>&1 && \
	   $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	   echo $$p; break; fi; done)

.PHONY: run test lint serve seed check-python browser clean

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed
	@echo "TradeWatch is at http://$(HOST):$(PORT)/  (editors: python manage.py createsuperuser, then /admin/)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-test browser lint
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

check-python:
	@if [ -z "$(PYTHON)" ]; then \
		echo "TradeWatch needs Python 3.12 or newer (Django 6.1 requires it)."; \
		echo "Found: $$(python3 --version 2>&1 || echo 'no python3')."; \
		echo "Install it (for example 'pyenv install 3.12' — .python-version selects it) or run 'make PYTHON=/path/to/python3.12'."; \
		exit 1; fi

$(VENV)/.installed: pyproject.toml | check-python
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=25.1"
	$(PY) -m pip install --quiet .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet . --group test
	@touch $@

# Browser tests drive Debian's Chromium (never a downloaded browser build).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
			|| { echo "Could not install chromium; browser tests will fail"; exit 1; }; \
		else echo "No /usr/bin/chromium: install Debian's chromium package for the browser tests"; fi; \
	fi

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
