# The project's commands. `make run` and `make test` set everything up on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.txt | cut -c1-12)
UV_VERSION := 0.13.8

.PHONY: help venv run airflow bi portal bi-venv psql test test-deps fuzz bench test-unit test-integration test-dags test-airflow test-compose lint format stop requirements clean

help:
	@echo "make run    - the nightly pipeline over the landing zone (embedded PostgreSQL, Airflow)"
	@echo "make airflow - Airflow UI + scheduler on http://127.0.0.1:8080 (login printed)"
	@echo "make bi    - Superset with the IKM dashboard on http://127.0.0.1:8088 (login printed)"
	@echo "make portal - the offices' portal on http://127.0.0.1:8090 (accounts: python -m etl akun)"
	@echo "make test   - every test tier (unit, suite, integration, dags, airflow, browser, compose)"
	@echo "make test-compose - docker-compose.yml up for real on podman (stand-in images)"
	@echo "make psql   - psql on the warehouse"
	@echo "make stop   - stop the embedded PostgreSQL"
	@echo "make lint   - ruff check and format check"

# The venv is (re)installed only when requirements.txt changes.
$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	@echo "• installing pinned packages into $(VENV) (first run only)"
	@# Bytecode now: with PYTHONDONTWRITEBYTECODE set (as here and in CI) every task process
	@# would otherwise compile Airflow and Great Expectations from source (~15 s each).
	@$(BIN)/uv pip sync -q --compile-bytecode --python $(BIN)/python requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

venv: $(STAMP)

run: venv
	@$(BIN)/python -m etl run

# Airflow's UI, scheduler, dag-processor and triggerer on 127.0.0.1:8080 until Ctrl-C.
# EXECUTOR=celery: the CeleryExecutor with a worker on the Redis at 127.0.0.1:6379, as on a server.
airflow: venv
	@$(BIN)/python -m etl airflow $(if $(EXECUTOR),--executor $(EXECUTOR))

# Superset and the IKM dashboard on 127.0.0.1:8088 until Ctrl-C (its own venv, .venv-bi).
bi: venv
	@$(BIN)/python -m etl bi

# The offices' portal on 127.0.0.1:8090 until Ctrl-C; accounts are made with
# `.venv/bin/python -m etl akun tambah NAMA --kantor KODE` (the password is asked for).
portal: venv
	@$(BIN)/python -m etl portal

# .venv-bi from bi/requirements.txt, (re)installed only when that lock changes (etl.ops.superset checks
# the same stamp, so the browser test and make bi build it the same way).
bi-venv: venv
	@$(BIN)/python -m etl bi --venv-only

# Debian packages the tests use (CI and developers are root).
test-deps:
	@command -v docker-compose >/dev/null && command -v chromium >/dev/null || { \
		apt-get update -qq && apt-get install -y -qq docker-compose chromium >/dev/null; }

test: venv test-deps
	@$(BIN)/python -m pytest

test-unit: venv
	@$(BIN)/python -m pytest -m "unit or suite"

test-integration: venv
	@$(BIN)/python -m pytest -m integration

# The pipeline on 1 %, 10 % and 100 % of the national set against raw COPY (BENCH_FRACTIONS).
bench: venv
	@$(BIN)/python bench/run_bench.py

# The reader fuzzers for longer than `make test` does (FUZZ_EXAMPLES cases per property).
fuzz: venv
	@FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-5000} $(BIN)/python -m pytest -q --hypothesis-show-statistics tests/unit/test_fuzz_readers.py

# docker-compose.yml for real: podman, the stand-in images (built when their inputs change),
# two nights through the Celery worker, Superset in Chromium, down/up, down -v.
test-compose: venv test-deps
	@$(BIN)/python -m pytest -m compose

test-dags: venv
	@$(BIN)/python -m pytest -m dags

# Airflow's running services: backfills from the UI (Chromium), the REST API and the CLI.
test-airflow: venv test-deps
	@$(BIN)/python -m pytest -m "airflow or browser"

lint: venv
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .

format: venv
	@$(BIN)/ruff format .
	@$(BIN)/ruff check --fix .

psql: venv
	@$(BIN)/python -m etl warehouse psql

stop:
	@if [ -x $(BIN)/python ]; then $(BIN)/python -m etl warehouse stop; fi

# Recompile the pins from requirements.in (Airflow's constraints file is not reachable here).
requirements: venv
	@$(BIN)/uv pip compile -q requirements.in -o requirements.txt --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu

clean: stop
	rm -rf .state
