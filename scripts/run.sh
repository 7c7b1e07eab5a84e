#!/usr/bin/env bash
# Migrate, load the demo data and serve it with a task worker beside the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-true}"
PORT="${PORT:-8000}"
PY=.venv/bin/python

$PY manage.py migrate --noinput -v 0
$PY manage.py load_demo

# Links in e-mails and notifications open the resident app served here (its hash routes).
export FRONTEND_URL="${FRONTEND_URL:-http://127.0.0.1:${PORT}/citoyen/#}"

# The worker and the scheduler are started again if they stop (a crash must not leave
# photos processing and e-mails unsent for the rest of the demo).
keep_running() {
    while true; do
        "$@" || echo "==> '$*' stopped (exit $?); starting it again" >&2
        sleep 2
    done
}
keep_running $PY manage.py db_worker --no-startup-delay &
worker=$!
keep_running $PY manage.py scheduler --loop &
scheduler=$!
trap 'pkill -P $worker; pkill -P $scheduler; kill $worker $scheduler 2>/dev/null; true' EXIT INT TERM

cat <<MSG

  Agglo citoyen is running.
    API            http://127.0.0.1:${PORT}/api/v1/
    API docs       http://127.0.0.1:${PORT}/api/docs/
    OpenAPI schema http://127.0.0.1:${PORT}/api/schema/
    Resident app   http://127.0.0.1:${PORT}/citoyen/
    Staff app      http://127.0.0.1:${PORT}/app/    (agents, managers, moderators)
    Back-office    http://127.0.0.1:${PORT}/admin/  (organisation admins)
    Health         http://127.0.0.1:${PORT}/healthz

  Demo accounts (password: Nimes-Demo-2026):
    citoyen@demo.test         resident
    agent.voirie@demo.test    agent, roads direction of the agglomeration
    manager.voirie@demo.test  manager, roads direction of the agglomeration
    agent.eau@demo.test       agent, water and sanitation direction
    moderation@demo.test      moderator of Nîmes Métropole
    admin@demo.test           organisation admin and back-office superuser

MSG
$PY manage.py runserver "127.0.0.1:${PORT}" --noreload
