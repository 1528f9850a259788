"""One log line per request for the service operator: method, path (never the query string, which
may hold a name searched for), status, duration and the user's id (no name); every request gets an
id (the proxy's X-Request-ID when it sends a plausible one), returned in the response and named in
the error log of a failed request."""

import logging
import re
import time
import uuid

logger = logging.getLogger("tmgportal.requests")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# A path segment that is itself a credential: the personal calendar feed's token
# (appointments.urls, "agenda/<token>.ics"). Logs show the path without it.
SECRET_IN_PATH = re.compile(r"(/agenda/)(?!vernieuwen/)[^/?#]+(\.ics)")


def without_secrets(path: str) -> str:
    return SECRET_IN_PATH.sub(r"\1…\2", path)


class SecretPathFilter(logging.Filter):
    """On every log handler: a path in any log line (Django's "Not Found: …", a traceback's request
    line, ours) loses its credential segments before it is written."""

    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = without_secrets(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(without_secrets(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        logger.info(
            "%s %s %s %.1fms user=%s rid=%s",
            request.method,
            without_secrets(request.path),
            response.status_code,
            (time.perf_counter() - started) * 1000,
            user.pk if user is not None and user.is_authenticated else "-",
            request.request_id,
        )
        response["X-Request-ID"] = request.request_id
        return response

    def process_exception(self, request, exception):
        logger.error(
            "%s %s failed: %s rid=%s",
            request.method,
            without_secrets(request.path),
            type(exception).__name__,
            getattr(request, "request_id", "-"),
            exc_info=exception,
        )
