#!/usr/bin/env bash
# make bench: a fresh PostGIS database, then bench/bench.py (seeding, gunicorn, load, results).
# BENCH_SCALES=10000,100000,1000000 (default) chooses the sizes; see bench/bench.py for the rest.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-postgres}"
export BENCH_DB="${BENCH_DB:-agglo_bench}"
export BENCH_PG="${PG_USER}@${PG_HOST}:${PG_PORT}"

pg() { psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres "$@"; }
echo "==> Fresh database ${BENCH_DB}"
pg -c "DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)"
pg -c "CREATE DATABASE ${BENCH_DB}"

export DATABASE_URL="postgis://${BENCH_PG}/${BENCH_DB}"
export SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG"
export DEBUG=false ALLOWED_HOSTS=127.0.0.1
# As in production: every gunicorn worker shares the throttle counters and cached figures.
export CACHE_URL="${CACHE_URL:-redis://127.0.0.1:6379/2}"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py load_demo -v 0

.venv/bin/python bench/bench.py
# The citizen panel's stratified selection (solver work: minutes, on one core).
.venv/bin/python bench/panel.py
# Then the scale-out story: two app servers and two task workers behind nginx, one of each
# killed mid-run (bench/cluster.py, its own database).
bash scripts/bootstrap.sh nginx-light
exec .venv/bin/python bench/cluster.py
