"""The public register as a whole-page cache in front of the middleware stack.

A public page (a view marked `public_page`, see appointments.views.register.public_data) is stored
as the bytes and headers that left the rest of the stack; a hit is answered here, after the HTTPS
redirect (SecurityMiddleware stands before this one) and the Host check, before sessions, CSRF,
authentication and the view: no query, no template work, nothing per request but a cache read. The
key holds everything the page varies by: the register's version (renewed by every change of the
register, appointments.register), the day, the path, the language and the ministry filter. A search by
name is not stored (any text would be a new entry). Browsers revalidate with the ETag (a hash of the
bytes) and get 304 Not Modified."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import http_date, quote_etag

from appointments.register import VERSION_KEY, public_register
from appointments.register import version as register_version

PAGE_KEY = "public-page:{version}:{today}:{path}:{language}:{params}"
PAGE_SECONDS = 60 * 60
STORED_PARAMS = {"ministerie"}
# Headers the 304 repeats [RFC 9110 15.4.5].
REVALIDATION_HEADERS = (
    "Cache-Control",
    "Content-Location",
    "Date",
    "ETag",
    "Expires",
    "Last-Modified",
    "Vary",
)


def page_spec(request) -> tuple[str, str, str, str] | None:
    """What a stored public page varies by besides the register's version (the day, the path, the
    language and the ministry filter), or None when this request is not one."""
    if request.method not in ("GET", "HEAD"):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if not getattr(match.func, "public_page", False):
        return None
    params = {k: v for k, v in request.GET.items() if v}
    if set(params) - STORED_PARAMS:
        return None
    return (
        timezone.localdate().isoformat(),
        request.path_info,
        _language(request),
        params.get("ministerie", ""),
    )


def _key(version: str, spec: tuple[str, str, str, str]) -> str:
    today, path, language, params = spec
    return PAGE_KEY.format(version=version, today=today, path=path, language=language, params=params)


# This process's last reading of the register's version: the version and the page it guesses are
# read in one round trip to the cache; a wrong guess (the register changed) costs a second one.
_last_version = ""


def _stored(spec) -> tuple[str, dict | None]:
    """The register's version now and the page stored under it, if any."""
    global _last_version
    guess = _last_version
    found = cache.get_many([VERSION_KEY, _key(guess, spec)]) if guess else {}
    version = found.get(VERSION_KEY) or register_version()
    _last_version = version
    if version == guess:
        return version, found.get(_key(version, spec))
    return version, cache.get(_key(version, spec))


def _language(request) -> str:
    """As tmgportal.middleware.DutchByDefaultMiddleware and LocaleMiddleware decide it: the language
    cookie when it names a language of the portal, else Dutch."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        spec = page_spec(request)
        if spec is None:
            return self.get_response(request)
        # The Host check (ALLOWED_HOSTS) that CommonMiddleware would make: DisallowedHost is a 400.
        request.get_host()
        version, page = _stored(spec)
        if page is None:
            response = self.get_response(request)
            if response.status_code != 200 or response.cookies or response.streaming:
                return response
            response["ETag"] = quote_etag(hashlib.sha256(response.content).hexdigest()[:32])
            last_changed = public_register().last_changed
            if last_changed:
                response["Last-Modified"] = http_date(last_changed.timestamp())
            page = {"content": response.content, "headers": list(response.items())}
            cache.set(_key(version, spec), page, PAGE_SECONDS)
            return response
        headers = dict(page["headers"])
        if headers["ETag"] in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
            for name in REVALIDATION_HEADERS:
                if name in headers:
                    response[name] = headers[name]
            return response
        return HttpResponse(page["content"], headers=headers)
