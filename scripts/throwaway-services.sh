# Sourced by the scripts that measure outside make test (loadtest.sh, benchmark.sh): a throw-away
# secret key, no .env, the helpers that start PostgreSQL 15 and Redis on loopback, and Redis started.
export DJANGO_SECRET_KEY="measurement-only-secret-key-not-for-production-use-0123456789"
export TMG_ENV_FILE=/dev/null
unset DATABASE_URL TMG_CACHE_URL
source scripts/postgres.sh
source scripts/redis.sh
start_redis
trap stop_redis EXIT
