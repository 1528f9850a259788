"""The public register of side activities and its open data: no login, nothing internal
[CAO17; tmgportal.roles]. Every view reads `appointments.register.public_register()` only."""

import string

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from tmgportal.exports import csv_response
from tmgportal.templatetags.tmg import xml_text

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
    present = {m.letter for m in register.members}
    # The A-Z index: every letter, a link where members are listed under it.
    index = [(char, char in present) for char in string.ascii_uppercase] + (
        [("#", True)] if "#" in present else []
    )
    # The register is read a letter at a time: without a letter, a search or the print version, the
    # first letter that has members (a whole register of thousands is the print version's).
    if not (letter or query or ministry or printing):
        letter = next((char for char, shown in index if shown), "")
    members = [
        m
        for m in register.members
        if (not query or query.lower() in m.name.lower())
        and (not ministry or m.ministry_abbreviation == ministry)
        and (not letter or m.letter == letter)
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


class RegisterFeed(Feed):
    """The register's changes as Atom (Django's syndication framework): publications of activities on
    the register today, withdrawals without naming the activity. Every address is the configured one
    (TMG_BASE_URL), never the request's Host: the feed is stored for everyone (tmgportal.publicpages)."""

    feed_type = Atom1Feed
    language = "nl"
    title = "Nevenwerkzaamheden leden Topmanagementgroep: wijzigingen"
    author_name = "Algemene Bestuursdienst"

    def link(self):
        return settings.TMG_BASE_URL + reverse("public_register")

    def feed_url(self):
        return settings.TMG_BASE_URL + reverse("public_register_atom")

    def feed_guid(self):
        return self.feed_url()

    def items(self):
        return feed_entries()

    def item_title(self, entry):
        if entry["kind"] == "published":
            return xml_text(f"Gepubliceerd: {entry['name']} — {entry['role']}, {entry['organisation']}")
        return "Een nevenwerkzaamheid is uit het register gehaald"

    def item_description(self, entry):
        return None  # the title says it all; no summary

    def item_link(self, entry):
        return self.link()

    def item_guid(self, entry):
        return f"{self.link()}#wijziging-{entry['id']}-{entry['when'].timestamp():.0f}"

    def item_updateddate(self, entry):
        return entry["when"]


register_atom = require_GET(public_data(RegisterFeed()))
