"""Side activities: reported, assessed, published; the public register and its open data show what
is published and nothing more [CAO17; tmgportal.roles]."""

import csv
import io
import json
from datetime import date
from xml.etree import ElementTree

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from appointments import services
from appointments.models import Appointment, SideActivity
from tests.factories import AppointmentFactory, FunctionFactory, MemberFactory

pytestmark = pytest.mark.django_db

SECRET_MOTIVATION = "INTERNE-MOTIVERING-7731"
SECRET_REASON = "GEHEIME-REDEN-4410"


def report(user, member, organisation, **kwargs):
    data = {
        "role": "bestuurslid",
        "is_paid": False,
        "start": date(2023, 1, 1),
        "reported_on": date(2023, 1, 1),
    }
    return services.side_activity_report(user=user, member=member, organisation=organisation, **data | kwargs)


def assess(user, activity, assessment="permitted"):
    return services.side_activity_assess(
        user=user,
        activity=activity,
        expected_version=activity.version,
        assessment=assessment,
        motivation=SECRET_MOTIVATION,
        conditions="Geen declaraties" if "conditions" in assessment else "",
    )


@pytest.fixture
def register_world(abd_user, ministry_x, ministry_y):
    """One current member with every kind of activity, and a member who left with a published one."""
    current = AppointmentFactory(
        in_function=True,
        start_date=date(2022, 1, 1),
        function=FunctionFactory(ministry=ministry_x, title="directeur-generaal", organisation="DG Proef"),
    ).member
    published = assess(
        abd_user, report(abd_user, current, "Stichting Zichtbaar", hours_per_month=7, is_paid=True)
    )
    services.side_activity_publish(user=abd_user, activities=[published], reason="publicatie")
    not_published = assess(abd_user, report(abd_user, current, "Stichting Verborgen"))
    services.side_activity_unpublish(
        user=abd_user, activity=not_published, expected_version=not_published.version, reason=SECRET_REASON
    )
    assess(abd_user, report(abd_user, current, "Stichting Afgewezen"), assessment="not_permitted")
    report(abd_user, current, "Stichting Onbeoordeeld")
    withdrawn = assess(abd_user, report(abd_user, current, "Stichting Ingetrokken"))
    services.side_activity_publish(user=abd_user, activities=[withdrawn], reason="publicatie")
    withdrawn.refresh_from_db()
    services.side_activity_unpublish(
        user=abd_user, activity=withdrawn, expected_version=withdrawn.version, reason=SECRET_REASON
    )
    ended = assess(abd_user, report(abd_user, current, "Stichting Beëindigd", end=date(2024, 1, 1)))
    services.side_activity_publish(user=abd_user, activities=[ended], reason="publicatie")

    left = AppointmentFactory(
        status=Appointment.Status.EMPLOYMENT_ENDED,
        start_date=date(2015, 1, 1),
        ended_on=date(2022, 1, 1),
        member=MemberFactory(surname="Vertrokken"),
        function=FunctionFactory(ministry=ministry_y),
    ).member
    gone = assess(abd_user, report(abd_user, left, "Stichting Oud-lid"))
    services.side_activity_publish(user=abd_user, activities=[gone], reason="publicatie")
    return current, left


HIDDEN = [
    "Stichting Verborgen",
    "Stichting Afgewezen",
    "Stichting Onbeoordeeld",
    "Stichting Ingetrokken",
    "Stichting Beëindigd",
    "Stichting Oud-lid",
    "Vertrokken",
    SECRET_MOTIVATION,
    SECRET_REASON,
]


def public_texts(client):
    html = client.get(reverse("public_register")).content.decode()
    data = client.get(reverse("public_register_json")).content.decode()
    table = client.get(reverse("public_register_csv")).content.decode("utf-8-sig")
    feed = client.get(reverse("public_register_atom")).content.decode()
    return {"html": html, "json": data, "csv": table, "atom": feed}


def test_nothing_internal_ever_reaches_the_public(client, register_world):
    current, _ = register_world
    for kind, text in public_texts(client).items():
        assert "Stichting Zichtbaar" in text or kind == "atom" and "Gepubliceerd" in text, kind
        for secret in HIDDEN:
            assert secret not in text, (kind, secret)
    data = json.loads(client.get(reverse("public_register_json")).content)
    (member,) = data["members"]
    assert member["name"] == current.full_name and member["ministry"] == "Ministerie van Proefzaken X"
    (activity,) = member["activities"]
    assert activity == {
        "organisation": "Stichting Zichtbaar",
        "role": "bestuurslid",
        "paid": True,
        "since": "2023-01-01",
    }
    assert set(member) == {
        "name",
        "function",
        "organisation",
        "ministry",
        "ministry_abbreviation",
        "activities",
    }
    assert "7" not in json.dumps(activity)  # hours per month stay internal
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(reverse("public_register_csv")).content.decode("utf-8-sig")), delimiter=";"
        )
    )
    assert [r["nevenwerkzaamheid_organisatie"] for r in rows] == ["Stichting Zichtbaar"]


def test_publishing_shows_up_at_once_despite_the_cache(client, abd_user, register_world):
    current, _ = register_world
    assert "Stichting Later" not in client.get(reverse("public_register")).text
    later = assess(abd_user, report(abd_user, current, "Stichting Later"))
    services.side_activity_publish(user=abd_user, activities=[later], reason="publicatie")
    assert "Stichting Later" in client.get(reverse("public_register")).text
    later.refresh_from_db()
    services.side_activity_unpublish(
        user=abd_user, activity=later, expected_version=later.version, reason="ingetrokken"
    )
    assert "Stichting Later" not in client.get(reverse("public_register")).text


@pytest.mark.parametrize("name", ["public_register", "public_register_json", "public_register_csv"])
def test_a_cached_register_page_does_no_query_and_no_template_work(
    client, register_world, name, django_assert_num_queries
):
    first = client.get(reverse(name))
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    with django_assert_num_queries(0):
        again = client.get(reverse(name))
    assert again.content == first.content and not again.templates
    assert again["Content-Type"] == first["Content-Type"] and "public" in again["Cache-Control"]
    unchanged = client.get(reverse(name), HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and unchanged.content == b""


def test_a_stored_register_page_keeps_every_header_and_its_language(client, register_world):
    """A hit is answered before the middleware stack, so it must carry what the stack added."""
    url = reverse("public_register")
    first = client.get(url)
    again = client.get(url)
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Content-Language",
        "Vary",
        "Cache-Control",
    ):
        assert again[header] == first[header], header
    assert first["Content-Language"] == "nl" and not again.cookies
    client.cookies["django_language"] = "en"
    english = client.get(url)
    assert english["Content-Language"] == "en" and english["ETag"] != first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=english["ETag"]).status_code == 304


def test_a_change_gives_the_register_a_new_etag(client, abd_user, register_world):
    current, _ = register_world
    before = client.get(reverse("public_register"))
    later = assess(abd_user, report(abd_user, current, "Stichting Nieuw"))
    services.side_activity_publish(user=abd_user, activities=[later], reason="publicatie")
    after = client.get(reverse("public_register"), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"] and "Stichting Nieuw" in after.text


def test_register_search_by_name_and_ministry(client, register_world, ministry_x, ministry_y):
    current, _ = register_world
    assert current.full_name in client.get(reverse("public_register"), {"naam": current.surname[:5]}).text
    assert current.full_name not in client.get(reverse("public_register"), {"naam": "Niemand"}).text
    assert (
        current.full_name
        not in client.get(reverse("public_register"), {"ministerie": ministry_y.abbreviation}).text
    )
    assert (
        current.full_name
        in client.get(reverse("public_register"), {"ministerie": ministry_x.abbreviation}).text
    )


def test_register_uses_the_vendored_government_style_and_no_cdn(client, register_world):
    html = client.get(reverse("public_register")).text
    assert "vendor/rijkshuisstijl/components." in html and 'class="rhc-theme' in html
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html


def test_only_permitted_activities_can_be_published_and_nothing_half_saved(abd_user, appointment_x):
    ok = assess(abd_user, report(abd_user, appointment_x.member, "Stichting Goed"))
    refused = assess(abd_user, report(abd_user, appointment_x.member, "Stichting Fout"), "not_permitted")
    with pytest.raises(ValidationError) as error:
        services.side_activity_publish(user=abd_user, activities=[ok, refused], reason="batch")
    assert "Alleen een toegestane nevenwerkzaamheid" in str(error.value)
    assert not SideActivity.objects.filter(publication="published").exists()


def test_not_publishing_needs_a_reason(abd_user, appointment_x):
    activity = assess(abd_user, report(abd_user, appointment_x.member, "Stichting X"))
    with pytest.raises(ValidationError, match="reden"):
        services.side_activity_unpublish(
            user=abd_user, activity=activity, expected_version=activity.version, reason=" "
        )
    activity.refresh_from_db()
    assert activity.publication == "undecided"


def test_bulk_publish_in_the_list_keeps_a_history_row_per_record(abd_client, abd_user, appointment_x):
    first = assess(abd_user, report(abd_user, appointment_x.member, "Stichting Een"))
    second = assess(abd_user, report(abd_user, appointment_x.member, "Stichting Twee"))
    response = abd_client.post(
        reverse("appointments:side_activity_list"),
        {"activities": [first.pk, second.pk], "reason": "Publicatieronde"},
    )
    assert response.status_code == 302
    for activity in (first, second):
        latest = activity.history.latest()
        assert (latest.publication, latest.history_user, latest.history_change_reason) == (
            "published",
            abd_user,
            "Publicatieronde",
        )


def test_report_assess_and_publish_through_the_screens(abd_client, appointment_x):
    member = appointment_x.member
    response = abd_client.post(
        reverse("appointments:side_activity_create", args=[member.pk]),
        {
            "organisation": "Stichting Scherm",
            "role": "voorzitter",
            "is_paid": "on",
            "hours_per_month": "4",
            "start": "2024-02-01",
            "end": "",
            "reported_on": "2024-01-20",
        },
    )
    activity = SideActivity.objects.get(organisation="Stichting Scherm")
    assert response.status_code == 302 and activity.assessment == "pending"
    response = abd_client.post(
        reverse("appointments:side_activity_assess", args=[activity.pk]),
        {
            "version": activity.version,
            "assessment": "permitted_with_conditions",
            "conditions": "",
            "motivation": "ok",
        },
    )
    assert "Noem de voorwaarden" in response.text  # Dutch message, nothing saved
    activity.refresh_from_db()
    assert activity.assessment == "pending"


def test_bad_side_activity_input_gets_a_dutch_message(abd_client, appointment_x):
    response = abd_client.post(
        reverse("appointments:side_activity_create", args=[appointment_x.member.pk]),
        {
            "organisation": "",
            "role": "x",
            "start": "2024-02-01",
            "end": "2024-01-01",
            "reported_on": "2024-01-20",
            "hours_per_month": "-3",
        },
    )
    assert response.status_code == 200
    assert (
        "Dit veld is verplicht" in response.text
        and "laatste dag kan niet vóór de begindatum" in response.text
    )
    assert not SideActivity.objects.exists()


def test_office_sees_side_activities_of_its_own_ministry_only(office_x, office_y, abd_user, appointment_x):
    report(abd_user, appointment_x.member, "Stichting Kantoor")
    for office, visible in ((office_x, True), (office_y, False)):
        client = Client()
        client.force_login(office)
        assert ("Stichting Kantoor" in client.get(reverse("appointments:side_activity_list")).text) is visible


def test_a_stored_register_page_obeys_the_host_check_and_the_https_redirect(client, register_world, settings):
    url = reverse("public_register")
    assert client.get(url).status_code == 200  # now stored
    assert client.get(url, HTTP_HOST="aanvaller.example").status_code == 400
    settings.SECURE_SSL_REDIRECT = True
    production = Client()  # middleware reads the setting when it is loaded
    redirected = production.get(url)
    assert redirected.status_code == 301 and redirected["Location"].startswith("https://")
    assert production.get(url, secure=True).status_code == 200


def test_the_atom_feed_links_to_the_configured_address_whatever_host_filled_the_cache(
    client, register_world, settings
):
    settings.ALLOWED_HOSTS = ["tmg.voorbeeld.invalid", "andere-naam.voorbeeld.invalid"]
    settings.TMG_BASE_URL = "https://tmg.voorbeeld.invalid"
    url = reverse("public_register_atom")
    filled = client.get(url, HTTP_HOST="andere-naam.voorbeeld.invalid").content.decode()
    again = client.get(url, HTTP_HOST="tmg.voorbeeld.invalid").content.decode()
    assert "andere-naam" not in filled + again
    feed = ElementTree.fromstring(again)
    atom = "{http://www.w3.org/2005/Atom}"
    (self_link,) = [link for link in feed.iter(f"{atom}link") if link.get("rel") == "self"]
    assert self_link.get("href") == "https://tmg.voorbeeld.invalid/openbaar/nevenwerkzaamheden.atom"
    assert {entry.find(f"{atom}id").text.split("#")[0] for entry in feed.iter(f"{atom}entry")} == {
        "https://tmg.voorbeeld.invalid/openbaar/nevenwerkzaamheden/"
    }


def test_the_assessment_form_shows_the_facts_and_the_detail_page_publishes(
    abd_client, abd_user, appointment_x
):
    activity = report(
        abd_user,
        appointment_x.member,
        "Stichting Feitenrijk",
        is_paid=True,
        hours_per_month=6,
        role="penningmeester",
    )
    form = abd_client.get(reverse("appointments:side_activity_assess", args=[activity.pk])).text
    for fact in ("Stichting Feitenrijk", "penningmeester", "Betaald", "ja", "6", "1 januari 2023"):
        assert fact in form, fact
    detail_url = reverse("appointments:side_activity_detail", args=[activity.pk])
    publish_url = reverse("appointments:side_activity_publish", args=[activity.pk])
    assert publish_url not in abd_client.get(detail_url).text  # not before it is assessed
    assess(abd_user, activity)
    assert publish_url in abd_client.get(detail_url).text
    activity.refresh_from_db()
    stale = abd_client.post(publish_url, {"version": activity.version - 1, "reason": "Publicatie"})
    assert stale.status_code == 200 and "Iemand anders heeft" in stale.text
    done = abd_client.post(publish_url, {"version": activity.version, "reason": "Publicatie"})
    assert done.status_code == 302
    activity.refresh_from_db()
    assert activity.publication == "published"
    assert publish_url not in abd_client.get(detail_url).text


def test_the_register_is_read_a_letter_at_a_time_and_whole_only_in_print(client, ministry_x):
    """At thousands of members one page cannot list them all: the register opens on the first letter
    that has members; a letter, a search or the print version is asked for by its own address."""
    names = [("", "Aarts"), ("van den", "Berg"), ("", "Bakker"), ("", "Ölmez"), ("", "Zwart")]
    surnames = [surname for _prefix, surname in names]
    for prefix, surname in names:
        AppointmentFactory(
            in_function=True,
            start_date=date(2022, 1, 1),
            member=MemberFactory(surname=surname, prefix=prefix),
            function=FunctionFactory(ministry=ministry_x),
        )

    def listed(**query):
        page = client.get(reverse("public_register"), query).text
        return {surname for surname in surnames if f" {surname}</h2>" in page}

    assert listed() == {"Aarts"}
    assert listed(letter="B") == {"Berg", "Bakker"}  # "van den Berg" under B
    assert listed(letter="O") == {"Ölmez"}
    assert listed(naam="ar") == {"Aarts", "Zwart"}  # a search spans the letters
    assert listed(weergave="afdrukken") == set(surnames)
