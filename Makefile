# The two commands: `make run` serves the demo, `make test` runs every check.
SHELL := /bin/bash
PORT ?= 8000

.PHONY: run test setup lint format bench bench-large bench-cluster lock messages

setup:
	@bash scripts/bootstrap.sh

run: setup
	@bash scripts/run.sh

test: setup
	@bash scripts/test.sh

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: setup
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

# Performance bench on its own PostGIS database (not part of make test); see bench/RESULTS.md.
bench: setup
	bash bench/run.sh

# The same at 10 million reports beside the usual sizes (several hours; see bench/RESULTS.md).
bench-large: setup
	BENCH_SCALES=10000,100000,1000000,10000000 bash bench/run.sh

# Two app servers and two task workers behind nginx, one of each killed mid-run (a few minutes).
bench-cluster: setup
	bash scripts/bootstrap.sh nginx-light
	.venv/bin/python bench/cluster.py

messages: setup
	DEBUG=true .venv/bin/python manage.py makemessages -l fr -l en --ignore=.venv --ignore=var --no-obsolete
	DEBUG=true .venv/bin/python manage.py compilemessages --ignore=.venv

# Re-resolve the dependencies of pyproject.toml and write requirements.lock.
lock:
	rm -rf var/lock-venv && .venv/bin/python -m venv var/lock-venv
	var/lock-venv/bin/pip install -q --no-binary pysqlite3 ".[dev]"
	{ echo "# Exact versions installed by scripts/bootstrap.sh. Regenerate with 'make lock'."; \
	  echo "--no-binary pysqlite3"; \
	  var/lock-venv/bin/pip freeze --exclude-editable | grep -v -e '^pip==' -e '^agglo-citoyen'; } > requirements.lock
	rm -rf var/lock-venv
