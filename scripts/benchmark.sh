#!/usr/bin/env bash
# make benchmark: page speed at 80 and 6,000 members on SQLite and on a throw-away PostgreSQL 15, with
# Redis as the shared cache (scripts/benchmark.py), then the KB timings (scripts/benchmark_kb.py); all
# into docs/benchmarks.md. Outside make test. SIZES and SECONDS_PER_PAGE override the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-packages.sh apache2-utils
source scripts/throwaway-services.sh
# The servers measured run with the production settings: the static files with their manifest.
.venv/bin/python manage.py collectstatic --noinput -v0
args=(--sizes "${SIZES:-80,6000}" --seconds "${SECONDS_PER_PAGE:-10}" --write "$@")
.venv/bin/python scripts/benchmark.py "${args[@]}"
start_postgres
trap 'stop_redis; stop_postgres' EXIT
.venv/bin/python scripts/benchmark.py "${args[@]}"
unset DATABASE_URL TMG_CACHE_URL
.venv/bin/python scripts/benchmark_kb.py
