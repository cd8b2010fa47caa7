# Two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run serve test install lint check pytest worker messages bench clean npm-missing

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# axe-core for the browser journeys (tests/journeys). Without npm they skip locally (CI has npm).
NPM := $(shell command -v npm 2>/dev/null)
ifneq ($(NPM),)
NODE_DEPS := node_modules/.package-lock.json
else
NODE_DEPS := npm-missing
endif

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

npm-missing:
	@echo "note: npm not found, node_modules/ not installed: the browser journeys will skip"

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py compile_translations
	LOG_LEVEL=WARNING $(BIN)/python manage.py seed_demo
	LOG_LEVEL=WARNING $(BIN)/python manage.py run_periodic
	@$(BIN)/python manage.py demo_logins --port $(PORT)
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production server: gunicorn with lms.settings.production on the configured database.
# Production settings refuse to load without DJANGO_SECRET_KEY and ALLOWED_HOSTS, so the
# first step stops here when they are missing. SEED_DEMO=true also loads the demo.
serve: export DJANGO_SETTINGS_MODULE = lms.settings.production
serve: install
	$(BIN)/python manage.py check --deploy --fail-level ERROR
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py compile_translations
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@if [ "$(SEED_DEMO)" = "true" ]; then \
	  $(BIN)/python manage.py credentials_keys create --if-missing && \
	  LOG_LEVEL=WARNING $(BIN)/python manage.py seed_demo; fi
	PORT=$(PORT) $(BIN)/gunicorn --config deploy/gunicorn.conf.py

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

check: install
	DJANGO_SETTINGS_MODULE=lms.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=lms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

pytest: install $(NODE_DEPS)
	$(BIN)/python manage.py compile_translations
	$(BIN)/pytest

test: lint check pytest

# A Celery worker with the periodic schedule (beat) in the same process, for development and
# one-machine set-ups; deploy/ has separate worker and beat units.
worker: install
	$(BIN)/celery -A lms worker --beat --schedule $(VENV)/celerybeat-schedule --loglevel=info

messages: install
	$(BIN)/python manage.py makemessages -l es --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=bench --ignore=tests --ignore=media --ignore=node_modules --ignore=test-artifacts
	$(BIN)/python manage.py compile_translations

bench: install
	@for script in $(filter-out bench/scratch.py,$(wildcard bench/*.py)); do echo "== $$script"; $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) staticfiles
