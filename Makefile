# The two set-up commands of the README are `make start` and `make test`; both install what is missing.
SHELL := /bin/bash
UV_VERSION := 0.13.8
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
VENV := .venv
SUPERSET_VENV := .venv-superset
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
WAREHOUSE := $(VENV)/bin/warehouse
export UV_PROJECT_ENVIRONMENT := $(abspath $(VENV))

.PHONY: start test install system-deps superset-lock lint bench-generate volumes clean-data

start: install ## Generate deliveries if none, build the warehouse, serve it until Ctrl-C
	$(WAREHOUSE) start

test: lint ## The whole test suite (what CI runs)
	$(VENV)/bin/pytest

install: $(VENV)/.installed $(SUPERSET_VENV)/.installed system-deps

$(UV):
	$(PYTHON) -m pip install --user --quiet "uv==$(UV_VERSION)" \
	  || $(PYTHON) -m pip install --user --quiet --break-system-packages "uv==$(UV_VERSION)"

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --compile-bytecode --python $(PYTHON)
	touch $@

# Superset pins SQLAlchemy 1.4, pandas 2.1 and numpy 1.26: it gets its own environment and lock.
$(SUPERSET_VENV)/.installed: superset/requirements.lock | $(UV)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(SUPERSET_VENV)
	$(UV) pip sync --quiet --compile-bytecode --python $(SUPERSET_VENV)/bin/python superset/requirements.lock
	touch $@

system-deps: ## Debian's chromium for the browser tests (a browser is never downloaded by a tool)
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y --no-install-recommends chromium; }

superset-lock: | $(UV) ## Re-resolve superset/requirements.lock (with hashes) from superset/requirements.in
	$(UV) pip compile --quiet --generate-hashes --python-version 3.11 superset/requirements.in -o superset/requirements.lock

lint: install ## ruff on the Python, Superset datasets against dbt's descriptions, sqlfluff on the dbt models
	$(VENV)/bin/ruff check orchestration tests superset
	$(VENV)/bin/ruff format --check orchestration tests superset
	$(VENV)/bin/python -m orchestration.superset.dbt_docs --check  # Superset datasets carry dbt's descriptions
	scratch=$$(mktemp -d) && mkdir -p $$scratch/build \
	  && cd dbt_project && WAREHOUSE_DATA_DIR=$$scratch ../$(VENV)/bin/sqlfluff lint models --processes 2

bench-generate: install ## Generator benchmark at scale 1 (time, peak memory, rows per dataset)
	$(WAREHOUSE) bench-generate --scale 1

volumes: install ## Volumes of the landing folder against the real Brussels figures
	$(WAREHOUSE) volumes

clean-data: ## Remove the generated landing folder and the data folder
	rm -rf landing data
