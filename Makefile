# The README's two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The embedded default: SQLite and no servers. DJANGO_DEBUG is on for the local demo only.
# The demo signs in with passwords alone (the login page says so); production asks every role
# for the second factor (docs/security.md).
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-true} TSUNAGU_SECOND_FACTOR_ROLES=$${TSUNAGU_SECOND_FACTOR_ROLES:-none}
TEST_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-true}

.PHONY: run test setup migrate demo lint format check clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"' \
		|| (echo "Tsunagu needs Python 3.11 (found $$($(PYTHON) --version))." && exit 1)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,s3]'
	@# Directory sign-in needs python-ldap, built against libldap2-dev and libsasl2-dev.
	@$(BIN)/python -m pip install --quiet -e '.[ldap]' 2>/dev/null \
		|| echo "python-ldap could not be built (apt install libldap2-dev libsasl2-dev): directory sign-in is off, local accounts work"
	touch $(STAMP)

setup: $(STAMP)
	$(RUN_ENV) $(BIN)/python manage.py compile_locale

migrate: setup
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput

# The port `make run` serves on: PORT=8080 make run
PORT ?= 8000

demo: migrate
	@echo "Loading the demo data: staff, people and cases, referrals, outreach, indicators"
	@echo "(about a minute the first time; a second run finds it there and adds nothing) ..."
	$(RUN_ENV) $(BIN)/python manage.py seed_demo

run: demo
	@echo "Scanning for due reminders ..."
	$(RUN_ENV) $(BIN)/python manage.py reminders scan
	@echo ""
	@echo "Tsunagu: http://127.0.0.1:$(PORT)/  (Ctrl-C stops it; a Celery worker with beat runs beside it)"
	@$(RUN_ENV) sh -c '$(BIN)/celery -A config worker --beat --pool=solo --loglevel=WARNING & \
		worker=$$!; trap "kill $$worker 2>/dev/null; wait $$worker" EXIT INT TERM; \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)'

test: setup
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(RUN_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(RUN_ENV) $(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 var staticfiles .pytest_cache
