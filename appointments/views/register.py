"""The public register of side activities and its open data: no login, nothing internal
[domain §8-§9]. Every view reads `appointments.register.public_register()` only."""

import string

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from tmgportal.exports import csv_response

from ..register import feed_entries, public_register


def public_data(view):
    """Public data: browsers and proxies may keep it for five minutes, then revalidate with the ETag;
    the language cookie varies it; the server keeps the whole page (tmgportal.publicpages). Read-only,
    so outside the request transaction (which on SQLite would take the write lock for every visitor)."""
    public = transaction.non_atomic_requests(
        login_not_required(vary_on_cookie(cache_control(public=True, max_age=300)(view)))
    )
    public.public_page = True
    return public


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
    letter = request.GET.get("letter", "").upper()[:1]
    printing = request.GET.get("weergave") == "afdrukken"
    members = [
        m
        for m in register.members
        if (not query or query.lower() in m.name.lower())
        and (not ministry or m.ministry_abbreviation == ministry)
        and (not letter or m.letter == letter)
    ]
    present = {m.letter for m in register.members}
    # The A-Z index: every letter, a link where members are listed under it.
    index = [(char, char in present) for char in string.ascii_uppercase] + (
        [("#", True)] if "#" in present else []
    )
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
            "letter": letter,
            "index": index,
            "printing": printing,
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
            # The configured address, never the request's Host: the feed is stored for everyone.
            "page_url": settings.TMG_BASE_URL + reverse("public_register"),
            "feed_url": settings.TMG_BASE_URL + reverse("public_register_atom"),
            "now": timezone.now(),
        },
        content_type="application/atom+xml; charset=utf-8",
    )
    return response
