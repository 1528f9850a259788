"""Gunicorn, the application server of tmgportal in production: `make serve`, or
`gunicorn -c tmgportal/gunicorn.conf.py` with the settings in the environment (README, production).

Sync workers: each request holds one database connection and a KB renders in well under a second.
More than one worker (and more than one machine) is safe because sessions live in the database,
the cache is shared (TMG_CACHE_URL: Redis) and KB PDFs are stored in the database."""

import multiprocessing
import os

wsgi_app = "tmgportal.wsgi:application"
bind = os.environ.get("TMG_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("TMG_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# The monthly KB batch renders one KB per request; the zip without JavaScript renders them all.
timeout = int(os.environ.get("TMG_WORKER_TIMEOUT", "120"))
graceful_timeout = 30
# A worker is replaced after this many requests, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
preload_app = True
# The request log is tmgportal's own (tmgportal.requestlog: status, duration, user id, request id).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("TMG_GUNICORN_LOG_LEVEL", "info")
# Behind a TLS-terminating proxy: the proxy's address, so X-Forwarded-Proto is believed.
forwarded_allow_ips = os.environ.get("TMG_FORWARDED_ALLOW_IPS", "127.0.0.1")
