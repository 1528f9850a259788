#!/usr/bin/env bash
# make loadtest: the locust load test on SQLite and on a throw-away PostgreSQL 15, with Redis as the
# shared cache; figures into docs/benchmarks.md. Outside make test (a smoke run is inside it).
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SECRET_KEY="loadtest-only-secret-key-not-for-production-use-0123456789"
export TMG_ENV_FILE=/dev/null
unset DATABASE_URL TMG_CACHE_URL
source scripts/postgres.sh
source scripts/redis.sh
start_redis
trap stop_redis EXIT
.venv/bin/python scripts/loadtest.py --users "${USERS:-50}" --seconds "${SECONDS_RUN:-60}" --write
start_postgres
trap 'stop_redis; stop_postgres' EXIT
.venv/bin/python scripts/loadtest.py --users "${USERS:-50}" --seconds "${SECONDS_RUN:-60}" --write
