# Two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# The pinned versions and their hashes: requirements.lock has everything (what `make
# install` and CI install), requirements-runtime.lock the same pins without the dev extra
# (what the Docker image installs). `make lock` writes both from pyproject.toml.
LOCK         := requirements.lock
RUNTIME_LOCK := requirements-runtime.lock
PIP_COMPILE  := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --generate-hashes \
                --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

.PHONY: install lock run test lint check messages compilemessages benchmark clean

$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install everything from the lock file

# Development commands run with DEBUG on (so on the development SECRET_KEY) unless told
# otherwise; without DEBUG the settings require a SECRET_KEY of its own.
run check messages compilemessages benchmark: export DEBUG ?= 1

# Keeps the pins that still satisfy pyproject.toml; LOCK_ARGS=--upgrade moves all of them
# to the newest allowed, LOCK_ARGS="--upgrade-package django" only one.
lock:  ## after changing dependencies in pyproject.toml: rewrite the lock files
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet pip-tools
	$(PIP_COMPILE) $(LOCK_ARGS) --extra dev --output-file $(LOCK) pyproject.toml
	$(PIP_COMPILE) --constraint $(LOCK) --output-file $(RUNTIME_LOCK) pyproject.toml

run: install  ## migrate, load the demo town, start web + Celery worker + beat
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@# Procfile.dev's banner prints the address and the logins once the server answers.
	DEBUG=$${DEBUG:-1} $(BIN)/honcho -f Procfile.dev start

test: install  ## the whole suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: install  ## refresh the zh-hans and en catalogues from the source
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --no-obsolete --ignore=.venv --ignore=var --ignore=staticfiles --ignore=tests

compilemessages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv

benchmark: install  ## print timings and query counts of the main lists
	$(BIN)/python manage.py benchmark

clean:
	rm -rf $(VENV) var staticfiles
