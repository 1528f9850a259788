"""`/gezondheid/` for the load balancer: 200 when the database, the shared cache and the file storage
(the KB table: PDFs live in the database, docs/storage.md) answer; 503 naming the part that failed.

Answered by a middleware placed before all others: no session, no CSRF, no login lock-out, no HTTPS
redirect, no host check (a load balancer may ask by IP address), and no personal data in the answer."""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

PATH = "/gezondheid/"


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    key, value = "tmgportal:health", uuid.uuid4().hex
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise RuntimeError("value written was not read back")


def _storage():
    from appointments.models import KBDocument

    KBDocument.objects.order_by().values("pk").first()


CHECKS = {"database": _database, "cache": _cache, "opslag": _storage}


def check() -> tuple[bool, dict]:
    results = {}
    for name, probe in CHECKS.items():
        try:
            probe()
        except Exception as exc:  # any failure of a dependency is an unhealthy answer, never a 500
            logger.error("Health check: %s failed: %s", name, type(exc).__name__)
            results[name] = f"fout: {type(exc).__name__}"
        else:
            results[name] = "ok"
    return all(value == "ok" for value in results.values()), results


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return JsonResponse({"status": "fout", "reden": "alleen GET"}, status=405)
        healthy, results = check()
        response = JsonResponse(
            {"status": "ok" if healthy else "fout", **results}, status=200 if healthy else 503
        )
        response["Cache-Control"] = "no-store"
        return response
