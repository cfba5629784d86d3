.DEFAULT_GOAL := help
# A recipe that fails leaves no half-made target (a .mo compiled with errors).
.DELETE_ON_ERROR:
.PHONY: help install run test test-slow test-all serve lint format messages lock clean bench bench-feedback image-test audit

# The first of these that runs and is 3.12 or newer (a pyenv shim may exist yet
# fail); override with `make PYTHON=/path/to/python3.13`.
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; exit; }; done; echo python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
MO := locale/fr/LC_MESSAGES/django.mo

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
		echo "Python 3.12 or newer is required; $(PYTHON) is $$($(PYTHON) --version 2>&1)."; \
		echo "Install Python 3.13 (for example: pyenv install 3.13), or run: make PYTHON=/path/to/python3.13"; \
		exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# Babel's compiler, not GNU msgfmt: no system package needed. It checks that
# each translation keeps its source's placeholders and fails if one does not.
$(MO): locale/fr/LC_MESSAGES/django.po | $(VENV)/.installed
	$(VENV)/bin/pybabel --quiet compile --directory locale --domain django --locale fr

install: $(VENV)/.installed $(MO) ## Create .venv with every dependency and compile the translations

run: install ## Serve the demo site at http://127.0.0.1:8000 (SQLite, debug)
	DJANGO_DEBUG=1 $(MANAGE) migrate --no-input
	DJANGO_DEBUG=1 $(MANAGE) load_demo
	DJANGO_DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000

# Tests run on every core (pytest-xdist); the slow ones, servers and browsers
# that wait on each other, on two at most.
test: install ## Run the fast tests, everything but servers and browsers (about a minute)
	$(VENV)/bin/pytest -n auto -m "not slow"

test-slow: install ## Run the slow tests: gunicorn, Chromium, outages, 1,000 hostile inputs each
	$(VENV)/bin/pytest -n 2 -m slow
	HYPOTHESIS_PROFILE=thorough $(VENV)/bin/pytest -n 2 tests/test_hostile_input.py

test-all: install ## Run every test, slow ones included (DATABASE_URL=postgres://... too)
	HYPOTHESIS_PROFILE=thorough $(VENV)/bin/pytest -n auto

serve: install ## Serve with gunicorn as in production (no debug) at http://127.0.0.1:8000
	@export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
		DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}"; \
	$(MANAGE) collectstatic --no-input --verbosity 0 && \
	$(MANAGE) migrate --no-input && \
	exec $(VENV)/bin/gunicorn config.wsgi --bind 127.0.0.1:8000

bench: install ## Benchmark pages, search and reports (wrk), then how pages grow with 200 countries
	@command -v wrk >/dev/null || { echo "Installing wrk (Debian package)"; \
		$$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y wrk; }
	$(PY) -m bench.pages
	$(PY) -m bench.scale

image-test: ## Build the image with podman and run it against local PostgreSQL
	bash scripts/image-test.sh

bench-feedback: install ## Benchmark report submissions under gunicorn (SQLite, PostgreSQL)
	$(PY) -m bench.feedback

audit: install ## Audit the locked dependencies for known vulnerabilities (pip-audit)
	$(PY) scripts/audit.py

lint: install ## Check style with ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Reformat the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install ## Extract translatable strings into locale/fr/LC_MESSAGES/django.po
	DJANGO_DEBUG=1 $(MANAGE) makemessages --locale fr --no-obsolete --add-location file --ignore=$(VENV) --ignore=var --ignore=tests

lock: install ## Re-pin requirements*.txt from pyproject.toml
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.12 --quiet -o requirements.txt
	$(VENV)/bin/uv pip compile pyproject.toml --group dev --python-version 3.12 --quiet -o requirements-dev.txt

clean: ## Remove .venv, the SQLite database and collected static files
	rm -rf $(VENV) var/db.sqlite3* var/static
