# The two commands of the README: `make run` and `make test`. Both install what they need first.
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Local development only: `make run` is not a deployment (see README, "Deploying").
RUN_ENV := DEBUG=true

.PHONY: install run test lint migrate demo bench vendor-pdfjs

install:
	@VENV=$(VENV) scripts/bootstrap

migrate: install
	@$(RUN_ENV) $(PY) manage.py migrate --noinput -v 0

demo: migrate
	@$(RUN_ENV) $(PY) manage.py load_demo --url http://$(HOST):$(PORT)/

run: demo
	@$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	@$(PY) -m pytest -n auto $(PYTEST_ARGS)

lint: install
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@DEBUG=true $(PY) manage.py makemigrations --check --dry-run

bench: install
	@$(PY) bench/bench_pdf.py --sizes 1000 5000 --one-pass
	@$(PY) bench/bench_import.py --rows 50000 --database both

# The document viewer's pdf.js (npm's pdfjs-dist, at the version pinned in the script) into static/vendor/pdfjs/.
vendor-pdfjs:
	@scripts/vendor-pdfjs
