# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export MODELYARD_PORT := $(PORT)
export MODELYARD_HOST := $(HOST)

.PHONY: run test install install-dev migrate demo lint format clean

run: install migrate demo
	@echo ""
	@echo "  Modelyard is starting at http://$(HOST):$(PORT)/"
	@echo "  Sign in as demo / $${DEMO_PASSWORD:-demo}  (Ctrl-C stops web server and worker)"
	@echo ""
	$(BIN)/honcho start -f Procfile

test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

# `make run` needs only what the site runs on; `make test` adds the test tools.
install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: install
	$(BIN)/python manage.py load_demo

lint: install-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache staticfiles
