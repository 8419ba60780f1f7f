# Verne: two commands on a fresh machine -- `make demo` and `make test`.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test test-fast lint typecheck bench serve install npm messages chromium clean

$(PY):
	@PYBIN=$$(.ci/find-python) || exit 1; \
	echo "Creating $(VENV) with $$PYBIN"; \
	"$$PYBIN" -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check -U pip 2>&1 | grep -v "is ignored" || true
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]' 2>&1 | grep -v "is ignored" || true
	@$(PY) -c "import django, sys; assert django.VERSION[:2] >= (6, 1), django.get_version(); print('Django', django.get_version(), 'on Python', sys.version.split()[0])"
	@touch $(STAMP)

install: $(STAMP) $(NPM_STAMP)

$(NPM_STAMP): package.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $(NPM_STAMP)

npm: $(NPM_STAMP)

messages: $(STAMP)
	$(PY) bin/compile_messages.py

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian's chromium for the browser tests"; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null 2>&1 || \
			(apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null); \
		else echo "note: /usr/bin/chromium is missing and apt is not usable; browser tests will be skipped"; fi; \
	fi

demo: install messages
	$(PY) manage.py migrate -v 0
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

serve: install
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install messages chromium
	$(PY) -m pytest -q -n auto $(PYTEST_ARGS)

test-fast: install
	$(PY) -m pytest -q -m "not browser and not slow" $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check . || true

typecheck: $(STAMP)
	$(VENV)/bin/mypy

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles
