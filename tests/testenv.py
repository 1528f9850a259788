"""Test-run defaults, so a bare `pytest` behaves like `make test` (scripts/test.sh sets the same).

Loaded as a plugin (`-p tests.testenv` in pyproject.toml) so it runs before pytest-django reads the
settings."""

import os

# Tests never read a developer's .env: they run with the production defaults below.
os.environ["TMG_ENV_FILE"] = os.devnull

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("TMG_DEMO", "0")
os.environ.setdefault("TMG_SSL_REDIRECT", "0")
# Every request of the suite runs under the N+1 detector (django-zeal): a lazy load in a loop fails it.
os.environ.setdefault("TMG_DETECT_NPLUSONE", "1")

# Parallel workers (pytest-xdist) each get a cache of their own: a test empties the cache it uses, and
# must not empty another worker's. The file cache gets a folder per worker; Redis a database per
# worker (2, 3, ...: 0 is the serial run's, 1 the browser journeys').
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    _number = int(_worker.removeprefix("gw"))
    if os.environ.get("TMG_CACHE_DIR"):
        os.environ["TMG_CACHE_DIR"] = os.path.join(os.environ["TMG_CACHE_DIR"], _worker)
    if os.environ.get("TMG_CACHE_URL"):
        _base = os.environ["TMG_CACHE_URL"].rsplit("/", 1)[0]
        os.environ["TMG_CACHE_URL"] = f"{_base}/{2 + _number}"
