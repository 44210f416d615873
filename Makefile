# Two commands for a fresh machine: `make run` (the app on the demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: run test test-fast browser-deps serve benchmark data screenshot clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt $(VENV)/bin/activate
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

## make run: the app on the embedded demo data, http://$(HOST):$(PORT)
run: $(VENV)/.installed
	OBSERVATOIRE_HOST=$(HOST) PORT=$(PORT) $(PY) app.py

## make serve: the production server (gunicorn, as in Procfile)
serve: $(VENV)/.installed
	$(VENV)/bin/gunicorn --bind $(HOST):$(PORT) --workers 2 --threads 4 --timeout 60 app:server

## make test: installs what it needs (pip, Debian chromium + chromium-driver), then runs every test
test: $(VENV)/.installed-dev browser-deps
	$(PY) -m pytest

## make test-fast: every test but the browser ones
test-fast: $(VENV)/.installed-dev
	$(PY) -m pytest -m "not browser"

browser-deps:
	@bash .ci/browser-deps

benchmark: $(VENV)/.installed-dev
	$(PY) benchmarks/map_update.py

data: $(VENV)/.installed
	$(PY) data/generate.py

clean:
	rm -rf $(VENV) .pytest_cache screenshots
