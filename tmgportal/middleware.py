"""Cross-cutting request handling: caching of private pages, the Permissions-Policy header,
session lifetimes, and reading requests that leave SQLite's write lock alone."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils.cache import patch_cache_control

from .sqlite.base import reading_only

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReadOnlyRequestMiddleware:
    """Marks a request with a safe method, so on SQLite its transaction does not take the write lock
    (tmgportal.sqlite). On PostgreSQL nothing changes: readers never wait for writers there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = reading_only.set(request.method in SAFE_METHODS)
        try:
            return self.get_response(request)
        finally:
            reading_only.reset(token)


class PrivateByDefaultMiddleware:
    """Member files, exports and KBs must not stay behind in a browser or proxy cache: every response
    is `private, no-store` unless its view declared itself public (the public register). Static files
    are answered by WhiteNoise before this middleware and keep their long caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "public" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True, no_store=True)
        return response


class PermissionsPolicyMiddleware:
    """Adds a Permissions-Policy header; Django has no setting for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class SessionLifetimeMiddleware:
    """Ends a session after SESSION_IDLE_SECONDS without a request or SESSION_ABSOLUTE_SECONDS
    after login, whichever comes first. The login time is set by the user_logged_in signal.
    The last-seen time is written at most once a minute: a session is not saved on every page."""

    LOGIN_AT = "tmg_login_at"
    SEEN_AT = "tmg_seen_at"
    SEEN_RESOLUTION = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            login_at = request.session.get(self.LOGIN_AT, now)
            seen_at = request.session.get(self.SEEN_AT, now)
            if (
                now - seen_at > settings.SESSION_IDLE_SECONDS
                or now - login_at > settings.SESSION_ABSOLUTE_SECONDS
            ):
                logout(request)
            else:
                if self.LOGIN_AT not in request.session:
                    request.session[self.LOGIN_AT] = login_at
                if now - seen_at >= self.SEEN_RESOLUTION or self.SEEN_AT not in request.session:
                    request.session[self.SEEN_AT] = now
        return self.get_response(request)


class DutchByDefaultMiddleware:
    """The portal speaks Dutch unless the user chose English with the language switch: the
    browser's Accept-Language is ignored, the language cookie is honoured (LocaleMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
