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
