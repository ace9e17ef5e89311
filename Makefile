# Samenspel: `make run` serves the portal with demo data; `make test` runs the whole suite on Postgres.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/samenspel
REDIS_URL ?= redis://127.0.0.1:6379/0
# Several checkouts or people may test side by side: each with its own PG_URL and TEST_VAR.
TEST_VAR ?= $(CURDIR)/var/test
# axe-core, the accessibility checker the browser tests run inside each page (from the npm registry).
AXE_VERSION := 4.14.1
AXE := var/node/node_modules/axe-core/axe.min.js

# Settings for the test run: Postgres, tasks run in-process unless a test starts a real worker.
TEST_ENV := DEBUG=1 DATABASE_URL=$(PG_URL) CELERY_TASK_ALWAYS_EAGER=1 TEST_REDIS_URL=$(REDIS_URL) \
	CELERY_BROKER_URL=$(REDIS_URL) VAR_DIR=$(TEST_VAR)

.PHONY: run test test-fast bench lint format messages makemessages system services venv axe clean backup restore

$(STAMP): requirements.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

# Debian packages: gettext for translations, chromium for the browser tests, wrk for the benchmark,
# Pango for WeasyPrint's PDF (the handover to school).
system:
	@missing=""; \
	ldconfig -p | grep -q libpangoft2-1.0.so.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	command -v pg_isready >/dev/null || missing="$$missing postgresql-client"; \
	command -v redis-cli >/dev/null || missing="$$missing redis-tools"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# Local Postgres and Redis for the tests; started when they are not running.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
		echo "Starting PostgreSQL"; pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -n1) main start; \
		for i in $$(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; }
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='samenspel'" | grep -q 1 || \
		createdb -h 127.0.0.1 -U postgres samenspel
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
		echo "Starting Redis"; redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; \
		for i in $$(seq 30); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done; }

$(AXE):
	@command -v npm >/dev/null || $(MAKE) system
	npm install --silent --prefix var/node --no-save --no-audit --no-fund axe-core@$(AXE_VERSION)

axe: $(AXE)

messages: $(STAMP)
	@command -v msgfmt >/dev/null || $(MAKE) system
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv -v 0

# Collect new strings into locale/*/LC_MESSAGES/django.po; translate the Dutch ones there.
makemessages: $(STAMP)
	DEBUG=1 $(PY) manage.py makemessages -l nl -l en --ignore=.venv --ignore=var --ignore=tests --no-obsolete

run: $(STAMP) messages
	mkdir -p var/broker/processed
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	@echo "Samenspel on http://127.0.0.1:8000 (Ctrl-C stops the web server, worker and beat)"
	@DEBUG=1 $(VENV)/bin/celery -A portal worker --beat --loglevel=INFO --concurrency=1 \
		--schedule=var/celerybeat-schedule & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' INT TERM EXIT; \
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP) system services messages $(AXE)
	mkdir -p $(TEST_VAR)
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run >/dev/null
	$(TEST_ENV) $(PY) -m pytest $(ARGS)

# The quick loop: no browsers, no real Celery workers, no crawl of every page (sweep, fuzzing, form checks).
# `make test-fast ARGS="--lf"` reruns what failed last time (pytest's cache is in var/pytest-cache).
FAST_MARKERS := not browser and not worker and not crawl
test-fast: $(STAMP) services messages
	mkdir -p $(TEST_VAR)
	$(TEST_ENV) $(PY) -m pytest -m "$(FAST_MARKERS)" $(ARGS)

bench: $(STAMP) system services
	$(TEST_ENV) $(PY) -m tests.bench.run $(ARGS)

# Backups of the database (pg_dump custom format) and the uploads (MEDIA_ROOT) into var/backups/<timestamp>/,
# with the portal's own environment (DATABASE_URL, MEDIA_ROOT; DEBUG=1 for the development SQLite file).
BACKUP_DIR ?= var/backups
backup: $(STAMP)
	$(PY) manage.py backup --dir $(BACKUP_DIR)

# make restore BACKUP=var/backups/<timestamp> [REPLACE=1]: into an empty database (REPLACE=1 overwrites one).
restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=$(BACKUP_DIR)/<timestamp> [REPLACE=1]"; exit 2; }
	$(PY) manage.py restore $(BACKUP) $(if $(REPLACE),--replace)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf var $(VENV)
