#!/usr/bin/env bash
# Lint, then the whole suite on PostGIS (the machine's PostgreSQL), then again on SpatiaLite.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-postgres}"

# PostGIS for the PostgreSQL major version that is installed.
pg_version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -n 1)
if [ -z "$pg_version" ]; then
    echo "PostgreSQL is not installed: installing it."
    bash scripts/bootstrap.sh postgresql postgresql-contrib
    pg_version=$(ls /etc/postgresql | sort -n | tail -n 1)
fi
# Chromium drives the staff web app in tests/web (playwright-core from web/package.json).
bash scripts/bootstrap.sh "postgresql-${pg_version}-postgis-3" chromium

if ! pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; then
    echo "==> Starting PostgreSQL ${pg_version}"
    pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h "$PG_HOST" -p "$PG_PORT" && break; sleep 1; done
fi
pg() { psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres "$@"; }
pg -tAc "SELECT 1 FROM pg_database WHERE datname = 'agglo'" | grep -q 1 || pg -c "CREATE DATABASE agglo"

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "==> Tests on PostGIS"
DATABASE_URL="postgis://${PG_USER}@${PG_HOST}:${PG_PORT}/agglo" .venv/bin/pytest -q "$@"

echo "==> Tests on SpatiaLite"
DATABASE_URL="spatialite:///$(pwd)/var/test.sqlite3" .venv/bin/pytest -q "$@"
