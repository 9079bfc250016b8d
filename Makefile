# After a job rejection: the workbook site.
# `make help` lists every task. Each task installs what it needs first.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ADDR ?= 127.0.0.1:8000
JOBS ?= 2
# A career center's edition: make build BRAND=brands/example.yml
BRAND ?=
CONFIG := $(if $(BRAND),$(BRAND),mkdocs.yml)
# A brand file is checked (safely, with its lines) before MkDocs reads it
# (workbook.sitebuild does it for make build).
CHECK_BRAND := $(if $(BRAND),$(BIN)/python -m workbook.brand $(BRAND) &&)
SETUP := $(PYTHON) scripts/bootstrap.py
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true

.DEFAULT_GOAL := help
.PHONY: help setup serve build test lint bench lock clean

help: ## List every task
	@echo "Usage: make <task>"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  %-8s %s\n", $$1, $$2}'

setup: ## Install the pinned Python packages into .venv
	@$(SETUP)

serve: ## Preview the site as you edit, at http://127.0.0.1:8000 (ADDR=host:port; BRAND=brands/x.yml)
	@$(SETUP) --pdf
	$(CHECK_BRAND) $(BIN)/mkdocs serve --config-file $(CONFIG) --dev-addr $(ADDR) --livereload

build: ## Build the site and its PDFs into site/, all or nothing (BRAND=brands/x.yml: a center's edition)
	@$(SETUP) --pdf
	$(BIN)/python -m workbook.sitebuild --site-dir site $(if $(BRAND),--config-file $(BRAND))

test: ## Run every test, in 2 processes (JOBS=n to change; installs what is missing)
	@$(SETUP) --all
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile --no-loadscope-reorder

lint: ## Lint Python (ruff), Markdown (pymarkdown), spelling (codespell), reading grade
	@$(SETUP)
	$(BIN)/ruff check scripts tests
	$(BIN)/pymarkdown scan docs README.md CONTRIBUTING.md
	$(BIN)/codespell docs data overrides/workbook mkdocs.yml README.md CONTRIBUTING.md
	$(BIN)/python -m workbook.readability

bench: ## Print build, preview, page-weight, offline and Lighthouse figures next to plain Material
	@$(SETUP) --all
	$(BIN)/python scripts/bench.py

lock: ## Re-resolve requirements.lock from pyproject.toml (needs the package index)
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet pip-tools==7.6.2
	build/lock-venv/bin/pip-compile --quiet --extra test --all-build-deps --allow-unsafe \
	  --strip-extras --no-emit-index-url --no-emit-find-links \
	  --annotation-style line --output-file requirements.lock pyproject.toml

clean: ## Remove the built site and caches (keeps .venv)
	rm -rf site build .pytest_cache
