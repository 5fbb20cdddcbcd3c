# PVE Track — run `make help` for the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
# uv from the PATH, or else a copy in .tools/ that `make uv` installs (works where the system
# Python refuses user-wide pip installs).
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PY := .venv/bin/python
export FLASK_APP := app
HOST ?= 127.0.0.1
PORT ?= 5000
# The suite runs in parallel processes, one per core up to 4 (TEST_WORKERS=0 runs it in one).
# Each test file stays in one process, so module fixtures are built once.
TEST_WORKERS ?= auto
PARALLEL := -n $(TEST_WORKERS) --maxprocesses 4 --dist loadfile

.PHONY: help uv install translations messages migrate seed run test test-sqlite test-postgres lint bench loadtest serve worker mutate clean

help: ## show this help
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

uv: ## install the uv package manager into .tools/ if it is missing
	@command -v uv >/dev/null 2>&1 || [ -x .tools/bin/uv ] || \
		(python3 -m venv .tools && .tools/bin/pip install --quiet 'uv>=0.5,<1')

install: uv ## create .venv and install the locked dependencies
	@$(UV) sync --frozen --quiet
	@$(MAKE) --no-print-directory translations

translations: ## compile the interface translations
	@.venv/bin/pybabel -q compile -d app/translations -D messages

messages: install ## extract interface strings and merge them into the Russian catalogue
	@.venv/bin/pybabel -q extract -F app/translations/babel.cfg -k _l -k lazy_gettext --no-location --sort-output --project "PVE Track" -o app/translations/messages.pot .
	@.venv/bin/pybabel -q update --no-fuzzy-matching -i app/translations/messages.pot -d app/translations -D messages

migrate: install ## migrate the database (embedded SQLite under instance/ by default)
	@.venv/bin/flask db upgrade

seed: migrate ## load the demo accounts into an empty database and print their logins
	@.venv/bin/flask seed --if-empty

run: seed ## install, migrate, load demo data and serve http://127.0.0.1:5000
	@echo "PVE Track on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	@.venv/bin/flask run --host $(HOST) --port $(PORT)

serve: install ## production server: migrate DATABASE_URL, then gunicorn with app/gunicorn_conf.py
	@if [ -z "$$DATABASE_URL" ]; then echo "DATABASE_URL is not set (see README, Running in production)."; exit 1; fi
	@if [ -z "$$REDIS_URL" ]; then echo "REDIS_URL is not set: each process keeps its own sign-in throttle, reports are not cached and jobs run inside the request."; fi
	@.venv/bin/flask db upgrade
	@exec .venv/bin/gunicorn -c python:app.gunicorn_conf 'app:create_app()'

worker: install ## background worker for imports and documents (needs REDIS_URL), beside make serve
	@if [ -z "$$REDIS_URL" ]; then echo "REDIS_URL is not set: without it jobs run in the web process and no worker is needed."; exit 1; fi
	@exec .venv/bin/flask worker

test: install ## run the whole suite on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set
	@$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "TEST_DATABASE_URL is not set: PostgreSQL run skipped."; fi

test-sqlite: ## the suite on SQLite
	@echo "== tests on SQLite =="
	@env -u TEST_DATABASE_URL $(PY) -m pytest -q $(PARALLEL) --cov --cov-report=term:skip-covered

test-postgres: ## the suite on the PostgreSQL database named by TEST_DATABASE_URL
	@echo "== tests on PostgreSQL ($$TEST_DATABASE_URL) =="
	@$(PY) -m pytest -q $(PARALLEL)

lint: install ## ruff and mypy
	@.venv/bin/ruff check app indicators seed tests migrations
	@.venv/bin/mypy

mutate: install ## mutation scores of the modules that decide access and figures (slow; MODULES=… for some)
	@$(PY) tests/mutation/mutate.py $(MODULES)

bench: install ## benchmarks (figures and ratios), not part of make test
	@$(PY) -m pytest tests/benchmarks -q -s -p no:cacheprovider -o addopts=""

loadtest: install ## load test of the production set-up with wrk (slow; ARGS="--quick" for a smoke run), not part of make test
	@$(PY) tests/load/loadtest.py $(ARGS)

clean: ## remove the environment and caches (keeps instance/)
	rm -rf .venv .pytest_cache .ruff_cache .mypy_cache .hypothesis .coverage htmlcov
