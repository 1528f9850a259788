"""The public register of side activities and its open data: no login, nothing internal
[domain §8-§9]. Every view reads `appointments.register.public_register()` only."""

import hashlib
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date, quote_etag
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from tmgportal.exports import csv_response

from ..register import feed_entries, public_register
from ..register import version as register_version


def whole_page(view):
    """The public register as a whole-page cache [issue 16]: a hit is the stored bytes, with no
    template work and no query; every change of the register changes `register.version()` and so
    the key. Browsers revalidate with the ETag (a hash of the bytes) and get 304 Not Modified.
    Searches by name are not stored (any text would be a new entry); the ministry filter is."""

    @wraps(view)
    def cached(request, *args, **kwargs):
        params = {k: v for k, v in request.GET.items() if v}
        if set(params) - {"ministerie"}:
            return view(request, *args, **kwargs)
        key = PAGE_KEY.format(
            version=register_version(),
            today=timezone.localdate().isoformat(),
            view=view.__name__,
            language=translation.get_language(),
            params=params.get("ministerie", ""),
        )
        page = cache.get(key)
        if page is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            last_changed = public_register().last_changed
            page = {
                "content": response.content,
                "headers": dict(response.items()),
                "etag": quote_etag(hashlib.sha256(response.content).hexdigest()[:32]),
                "last_modified": http_date(last_changed.timestamp()) if last_changed else None,
            }
            cache.set(key, page, PAGE_SECONDS)
        if page["etag"] in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(page["content"])
            for header, value in page["headers"].items():
                response[header] = value
        response["ETag"] = page["etag"]
        if page["last_modified"]:
            response["Last-Modified"] = page["last_modified"]
        return response

    return cached


PAGE_KEY = "public-register-page:{version}:{today}:{view}:{language}:{params}"
PAGE_SECONDS = 60 * 60


def public_data(view):
    """Public data: browsers and proxies may keep it for five minutes, then revalidate with the ETag;
    the language cookie varies it; the server keeps the whole page. Read-only, so outside the request
    transaction (which on SQLite would take the write lock for every visitor)."""
    return transaction.non_atomic_requests(
        login_not_required(vary_on_cookie(cache_control(public=True, max_age=300)(whole_page(view))))
    )


CSV_HEADER = [
    "naam",
    "functie",
    "organisatie_functie",
    "ministerie",
    "nevenwerkzaamheid_organisatie",
    "nevenwerkzaamheid_rol",
    "bezoldigd",
    "sinds",
]


@require_GET
@public_data
def register_page(request):
    register = public_register()
    query = request.GET.get("naam", "").strip()
    ministry = request.GET.get("ministerie", "")
    members = [
        m
        for m in register.members
        if (not query or query.lower() in m.name.lower())
        and (not ministry or m.ministry_abbreviation == ministry)
    ]
    ministries = sorted({(m.ministry_abbreviation, m.ministry) for m in register.members}, key=lambda x: x[1])
    return render(
        request,
        "public/register.html",
        {
            "register": register,
            "members": members,
            "query": query,
            "ministry": ministry,
            "ministries": ministries,
        },
    )


@require_GET
@public_data
def register_json(request):
    response = JsonResponse(
        public_register().as_json(), json_dumps_params={"ensure_ascii": False, "indent": 1}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@public_data
def register_csv(request):
    register = public_register()
    rows = (
        [
            m.name,
            m.function,
            m.organisation,
            m.ministry,
            a.organisation,
            a.role,
            "ja" if a.paid else "nee",
            a.since,
        ]
        for m in register.members
        for a in m.activities
    )
    return csv_response("nevenwerkzaamheden-tmg", CSV_HEADER, rows)


@require_GET
@public_data
def register_atom(request):
    register = public_register()
    response = render(
        request,
        "public/register.atom",
        {
            "entries": feed_entries(),
            "updated": register.last_changed or register.generated,
            "page_url": request.build_absolute_uri(reverse("public_register")),
            "feed_url": request.build_absolute_uri(reverse("public_register_atom")),
            "now": timezone.now(),
        },
        content_type="application/atom+xml; charset=utf-8",
    )
    return response
