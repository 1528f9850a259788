#!/usr/bin/env bash
# Everything `make test` checks: lint and format, migrations, translations, then the whole suite on
# SQLite and again on a real PostgreSQL 15 started here. Any failure exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SECRET_KEY="test-only-secret-key-not-for-production-use-0123456789"
export TMG_ENV_FILE=/dev/null DJANGO_DEBUG=0 TMG_DEMO=0 TMG_SSL_REDIRECT=0 TMG_SECURE_COOKIES=1 TMG_HSTS_SECONDS=31536000
export TMG_MEDIA_ROOT="$(mktemp -d /tmp/tmgportal-media.XXXXXX)"
export TMG_CACHE_DIR="$(mktemp -d /tmp/tmgportal-cache.XXXXXX)"
unset DATABASE_URL TMG_CACHE_URL
source scripts/postgres.sh
source scripts/redis.sh

seconds() { echo $(( $(date +%s) - $1 )); }
bash scripts/ensure-packages.sh chromium gettext poppler-utils libpango-1.0-0 libpangoft2-1.0-0 redis-server

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy  # the rules, regimes, services and selectors (pyproject.toml, [tool.mypy])
$PY manage.py makemigrations --check --dry-run >/dev/null || { echo "Model changes without a migration."; exit 1; }
mo=$(mktemp)
for catalogue in locale locale-aanvullingen; do
  msgfmt --check-format -o "$mo" "$catalogue/nl/LC_MESSAGES/django.po"
  cmp -s "$mo" "$catalogue/nl/LC_MESSAGES/django.mo" || { echo "$catalogue/nl django.mo is not compiled from the .po: run make messages."; exit 1; }
done
rm -f "$mo"
$PY manage.py collectstatic --noinput -v0

# Two test processes (pytest-xdist; the access matrix's class on one of them, built once).
WORKERS="${TMG_TEST_WORKERS:-2}"
PARALLEL=(-n "$WORKERS" --dist loadgroup)
# On PostgreSQL each test process gets a copy of one database migrated once here (the 55 migrations
# take ~10 s of CPU each time) and reuses it (--reuse-db); on SQLite the in-memory database each
# process migrates itself is faster than a copied file.
test_names() { echo ""; for ((n = 0; n < WORKERS; n++)); do echo "_gw$n"; done; }

t=$(date +%s)
echo "== Test suite on SQLite (file cache); what needs no database, or is marked 'once', runs on PostgreSQL"
TMG_TEST_ONCE_ELSEWHERE=1 $PY -m pytest -q "${PARALLEL[@]}" --ignore=tests/e2e
echo "SQLite run: $(seconds "$t") s"

t=$(date +%s)
echo "== Test suite on PostgreSQL (Redis as the shared cache); the browser journeys beside it"
start_postgres
start_redis
trap 'stop_redis; stop_postgres' EXIT
server="${DATABASE_URL%/*}"
psql -q "$DATABASE_URL" -c "CREATE DATABASE migrated"
DATABASE_URL="$server/migrated" $PY manage.py migrate -v0
for name in $(test_names | sed 's/^/test_postgres/') test_e2e; do
  psql -q "$DATABASE_URL" -c "CREATE DATABASE $name TEMPLATE migrated"
done
export TMG_TEST_PG_TEMPLATE=migrated  # the service tests' servers copy it too (tests/service/server.py)
# The browser journeys mostly wait on Chromium: they run at the same time in a second process, with
# a test database and a Redis database of their own so neither run empties the other's.
e2e_log=$(mktemp)
DATABASE_URL="$server/e2e" TMG_CACHE_URL="${TMG_CACHE_URL%/*}/1" \
  $PY -m pytest -q -p no:cacheprovider --reuse-db tests/e2e >"$e2e_log" 2>&1 &
e2e_pid=$!
suite=0
$PY -m pytest -q "${PARALLEL[@]}" --reuse-db --ignore=tests/e2e --durations=15 || suite=$?
journeys=0
wait "$e2e_pid" || journeys=$?
echo "-- Browser journeys (PostgreSQL):"
cat "$e2e_log"
rm -f "$e2e_log"
[ "$suite" -eq 0 ] && [ "$journeys" -eq 0 ] || { echo "PostgreSQL run failed."; exit 1; }
echo "PostgreSQL run: $(seconds "$t") s"
