# Two commands matter: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
DEMO_CADRES ?= 2000

.PHONY: run test install install-dev browser lint format migrate demo worker beat bench messages clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## run: install, migrate, load demo data, run reminders once, serve http://127.0.0.1:8000
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --cadres $(DEMO_CADRES) --seed 1
	$(MANAGE) run_reminders
	$(MANAGE) runserver 127.0.0.1:8000

## test: install and run the whole suite (DATABASE_URL, REDIS_URL pick real services)
test: install-dev browser
	DJANGO_SETTINGS_MODULE=cadre_portal.settings.test $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest

## browser: Debian's chromium and CJK fonts for the end-to-end test (needs root or sudo)
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk gettext >/dev/null \
		|| echo "Could not install chromium: the end-to-end test will not run outside CI."; \
	fi

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint --profile=django

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrate: install
	$(MANAGE) migrate --noinput

demo: install
	$(MANAGE) seed_demo --cadres $(DEMO_CADRES) --seed 1

## worker / beat: Celery on Redis (set REDIS_URL)
worker: install
	$(VENV)/bin/celery -A cadre_portal worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A cadre_portal beat --loglevel=INFO

## bench: the speed goals on PostgreSQL, in a database of their own (it is wiped);
## each script prints its verdict and writes bench/results/*.json
BENCH_DATABASE ?= cadre_portal_bench
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DATABASE)
bench: install-dev
	psql "$(dir $(BENCH_DATABASE_URL))postgres" -qc "CREATE DATABASE $(BENCH_DATABASE)" 2>/dev/null || true
	-DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/run.py
	-DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/compliance.py
	-DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/annual_report.py
	psql "$(dir $(BENCH_DATABASE_URL))postgres" -qc "CREATE DATABASE $(BENCH_DATABASE)_imports" 2>/dev/null || true
	-DATABASE_URL=$(BENCH_DATABASE_URL)_imports $(PY) bench/imports.py
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/reminders.py

## messages: refresh the Chinese catalog from the source strings and compile it (GNU gettext)
messages: install
	$(MANAGE) makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=bench --ignore=tests
	$(MANAGE) compilemessages -l zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
