# The interface for people: every target works on a fresh clone.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app service
NPM ?= npm
# The browser libraries of the diagram pages (bpmn-js), installed from package-lock.json; no JS build step.
NODE_STAMP := node_modules/.installed

.DEFAULT_GOAL := help
.PHONY: help install run serve test bench bench-large lint screenshots templates letters-preview

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

$(NODE_STAMP): package.json $(wildcard package-lock.json)
	if [ -f package-lock.json ]; then $(NPM) ci --no-audit --no-fund; else $(NPM) install --no-audit --no-fund; fi
	touch $@

install: $(BIN)/.installed $(NODE_STAMP) ## create the virtualenv, install the service with its test tools and bpmn-js

run: install ## set up the embedded database with demo data and serve http://127.0.0.1:5000
	$(FLASK) init-db
	$(FLASK) seed-demo
	$(BIN)/flask --app service.wsgi run --host 127.0.0.1 --port 5000

serve: install ## production: migrate, then gunicorn on PostgreSQL (DATABASE_URL) at 127.0.0.1:8000 (docs/deploy.md)
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "Set DATABASE_URL=postgresql://USER@HOST/DB first (docs/deploy.md)." >&2; exit 1;; esac
	$(FLASK) init-db
	$(BIN)/gunicorn --config gunicorn.conf.py 'service.wsgi:app'

test: install ## run the whole test suite (SQLite, and PostgreSQL when reachable; required with CI=true)
	$(BIN)/pytest

bench: install ## run the benchmarks and print their figures (1,000 and 10,000 complaints)
	$(BIN)/python -m bench

bench-large: install ## the benchmarks at 1,000, 10,000 and 100,000 complaints (opt-in: about half an hour)
	$(BIN)/python -m bench --sizes 1000,10000,100000 --no-letters

lint: install ## check the code with ruff, and the package rules of docs/architecture.md (Flask, SpiffWorkflow)
	$(BIN)/ruff check service tests bench letter_templates
	$(BIN)/pytest -q -p no:cacheprovider tests/test_layering.py

screenshots: install ## refresh docs/screenshots from the browser test (needs Debian chromium)
	KLACHTEN_SCREENSHOTS=1 $(BIN)/pytest tests/test_e2e.py tests/test_e2e_modeler.py tests/test_e2e_analysis.py tests/test_e2e_regulation.py tests/test_e2e_practice.py tests/test_e2e_letters.py tests/test_e2e_annual_report.py -k sqlite -q

templates: install ## rebuild letter_templates/*.docx from the letter texts in letter_templates/factory/
	$(BIN)/python -m letter_templates.factory

letters-preview: install ## render every sample letter and refresh docs/letters/*.png (needs soffice, pdftoppm)
	$(BIN)/python -m letter_templates.preview
