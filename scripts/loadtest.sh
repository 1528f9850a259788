#!/usr/bin/env bash
# make loadtest: the locust load test on SQLite and on a throw-away PostgreSQL 15, with Redis as the
# shared cache; figures into docs/benchmarks.md. Outside make test (a smoke run is inside it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/throwaway-services.sh
# The servers measured run with the production settings: the static files with their manifest.
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python scripts/loadtest.py --users "${USERS:-50}" --seconds "${SECONDS_RUN:-60}" --write
start_postgres
trap 'stop_redis; stop_postgres' EXIT
.venv/bin/python scripts/loadtest.py --users "${USERS:-50}" --seconds "${SECONDS_RUN:-60}" --write
