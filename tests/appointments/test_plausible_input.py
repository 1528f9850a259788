"""Plausible input only, and no server error on a careless user's input: dates within the domain's bounds, no future dates for what happened, no control
characters, ids and years in URLs that can exist, the same person never twice, and feeds that stay
valid whatever was stored."""

import json
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from appointments import services
from appointments.models import Member, SideActivity
from tests.factories import AppointmentFactory, FunctionFactory, MemberFactory, arrange

pytestmark = pytest.mark.django_db

OUT_OF_BOUNDS = "Vul een datum tussen 1 januari 1900 en 31 december 2100 in."
CONTROL_CHARACTER = "Deze tekst bevat een onzichtbaar stuurteken"


def member_form(**changes):
    return {
        "initials": "A.B.",
        "first_name": "Anna",
        "prefix": "van der",
        "surname": "Plausibel",
        "date_of_birth": "1970-03-02",
        "abd_member_since": "",
        "email": "",
        "phone": "",
    } | changes


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "0001-01-01", OUT_OF_BOUNDS),
        ("abd_member_since", "9999-12-31", OUT_OF_BOUNDS),
        ("surname", "Plau\x0bsibel", CONTROL_CHARACTER),
        ("initials", "A.\rB.", CONTROL_CHARACTER),
    ],
)
def test_a_member_form_with_implausible_input_gets_a_dutch_message_and_saves_nothing(
    abd_client, field, value, message
):
    response = abd_client.post(reverse("appointments:member_create"), member_form(**{field: value}))
    assert response.status_code == 200 and message in response.text
    assert not Member.objects.exists()


def test_services_refuse_what_the_forms_refuse(abd_user):
    with pytest.raises(ValidationError, match="stuurteken"):
        services.member_create(
            user=abd_user, surname="Vertical\x0btab", initials="V.", date_of_birth=date(1970, 1, 1)
        )
    with pytest.raises(ValidationError, match="1 januari 1900"):
        services.member_create(user=abd_user, surname="Oud", initials="O.", date_of_birth=date(1, 1, 1))
    assert not Member.objects.exists()


def test_an_appointment_starting_in_the_year_9999_is_refused_not_a_server_error(abd_client):
    member = MemberFactory()
    function = FunctionFactory()
    response = abd_client.post(
        reverse("appointments:appointment_create", args=[member.pk]),
        {"function": function.pk, "start_date": "9999-12-31", "reason": "test"},
    )
    assert response.status_code == 200 and OUT_OF_BOUNDS in response.text
    assert not member.appointments.exists()


def test_a_side_activity_cannot_be_reported_in_the_future_and_free_text_keeps_line_breaks(
    abd_client, abd_user
):
    appointment = AppointmentFactory(in_function=True)
    url = reverse("appointments:side_activity_create", args=[appointment.member.pk])
    data = {"organisation": "Stichting", "role": "lid", "start": "2024-01-01", "reported_on": "2026-06-16"}
    response = abd_client.post(url, data)
    assert response.status_code == 200 and "Deze datum ligt in de toekomst" in response.text
    assert not SideActivity.objects.exists()
    assert abd_client.post(url, data | {"reported_on": "2026-06-15"}).status_code == 302
    activity = SideActivity.objects.get()
    services.side_activity_assess(
        user=abd_user,
        activity=activity,
        expected_version=activity.version,
        assessment="permitted",
        motivation="Regel één\r\nRegel twee",
    )
    assert SideActivity.objects.get().motivation == "Regel één\r\nRegel twee"


@pytest.mark.parametrize(
    "path",
    [
        "/salaris/wnt/0/export.csv",
        "/salaris/wnt/1899/export.csv",
        "/salaris/wnt/2101/export.xlsx",
        "/leden/9223372036854775808/",  # 2^63: too big for the database
        "/leden/99999999999999999999/",
        "/leden/0/",
        "/benoemingen/18446744073709551616/",
        "/kb/batch/9223372036854775808/",
    ],
)
def test_ids_and_years_that_cannot_exist_are_not_found(abd_client, path):
    assert abd_client.get(path).status_code == 404


def test_a_month_far_outside_the_domain_is_an_invalid_choice(abd_client):
    response = abd_client.get(reverse("appointments:kb_batch"), {"maand": "9999-12"})
    assert response.status_code == 400


def test_the_same_person_twice_is_refused_with_a_link_to_the_file(abd_client):
    abd_client.post(reverse("appointments:member_create"), member_form())
    first = Member.objects.get()
    again = abd_client.post(
        reverse("appointments:member_create"),
        member_form(initials="a. b.", surname="PLAUSIBEL", prefix="Van Der"),
    )
    assert again.status_code == 200 and "heeft al een dossier" in again.text
    assert reverse("appointments:member_detail", args=[first.pk]) in again.text
    assert Member.objects.count() == 1


def test_an_archived_file_counts_as_the_same_person(abd_user):
    existing = MemberFactory(surname="Gearchiveerd", initials="G.", date_of_birth=date(1965, 5, 5))
    services.member_archive(user=abd_user, member=existing, reason="Vertrokken")
    with pytest.raises(services.DuplicateMember, match="gearchiveerd") as refused:
        services.member_create(
            user=abd_user, surname="Gearchiveerd", initials="G", date_of_birth=date(1965, 5, 5)
        )
    assert refused.value.existing == existing
    # Another date of birth is another person.
    services.member_create(
        user=abd_user, surname="Gearchiveerd", initials="G.", date_of_birth=date(1966, 5, 5)
    )


@pytest.fixture
def stored_control_characters(abd_user, ministry_x):
    """Data that came in before the checks (or around them): control characters in names and text."""
    member = arrange(MemberFactory(), surname="Stuur\x0bteken\rnaam", initials="S.")
    appointment = AppointmentFactory(
        in_function=True,
        member=member,
        start_date=date(2020, 1, 1),
        function=FunctionFactory(ministry=ministry_x),
    )
    activity = SideActivity.objects.create(
        member=member,
        organisation="Stichting\x0b Verticaal",
        role="voorzitter\x07",
        is_paid=False,
        start=date(2021, 1, 1),
        reported_on=date(2021, 1, 1),
        assessment="permitted",
        publication="published",
        publication_changed_at=timezone.now(),
    )
    return appointment, activity


def test_the_feeds_stay_valid_whatever_was_stored(stored_control_characters, client, office_x):
    atom = client.get(reverse("public_register_atom"))
    entries = ET.fromstring(atom.content).findall("{http://www.w3.org/2005/Atom}entry")
    assert any(
        "Stichting Verticaal" in entry.findtext("{http://www.w3.org/2005/Atom}title") for entry in entries
    )
    data = json.loads(client.get(reverse("public_register_json")).content)
    assert [m["name"] for m in data["members"]] == ["S. Stuur\x0bteken\rnaam"]  # JSON escapes, stays exact

    feed = services.calendar_feed_renew(user=office_x)
    body = client.get(reverse("appointments:calendar_feed", args=[feed.token])).content
    assert all(len(line) <= 75 for line in body.split(b"\r\n")), "lines are folded at 75 octets"
    assert b"\r" not in body.replace(b"\r\n", b"")
    calendar = Calendar.from_ical(body)
    summaries = [str(event.get("summary")) for event in calendar.walk("VEVENT")]
    assert any("Stuurteken" in summary and "naam" in summary for summary in summaries), summaries


def form_token(response) -> str:
    return re.search(r'name="submission" value="([0-9a-f-]{36})"', response.text).group(1)


def test_sending_a_create_form_twice_makes_one_record_and_shows_it(abd_client):
    url = reverse("appointments:member_create")
    data = member_form() | {"submission": form_token(abd_client.get(url))}
    first = abd_client.post(url, data)
    second = abd_client.post(url, data)
    member = Member.objects.get()
    assert first.url == second.url == reverse("appointments:member_detail", args=[member.pk])
    assert "al verstuurd" in abd_client.get(second.url).text


def test_a_refused_form_keeps_its_token_free_for_the_corrected_one(abd_client):
    url = reverse("appointments:member_create")
    token = form_token(abd_client.get(url))
    refused = abd_client.post(url, member_form(date_of_birth="0001-01-01", submission=token))
    assert refused.status_code == 200 and form_token(refused) == token
    assert abd_client.post(url, member_form(submission=token)).status_code == 302
    assert Member.objects.count() == 1


def test_the_appointment_and_side_activity_forms_are_once_only_too(abd_client):
    appointment = AppointmentFactory(in_function=True)
    member = appointment.member
    url = reverse("appointments:appointment_create", args=[member.pk])
    data = {"function": FunctionFactory().pk, "start_date": "2030-01-01", "reason": "test"}
    data["submission"] = form_token(abd_client.get(url))
    assert abd_client.post(url, data).url == abd_client.post(url, data).url
    assert member.appointments.count() == 2
    url = reverse("appointments:side_activity_create", args=[member.pk])
    data = {"organisation": "Stichting", "role": "lid", "start": "2024-01-01", "reported_on": "2026-06-01"}
    data["submission"] = form_token(abd_client.get(url))
    assert abd_client.post(url, data).url == abd_client.post(url, data).url
    assert SideActivity.objects.filter(member=member).count() == 1


def test_every_dossier_step_refuses_a_page_opened_before_the_last_change(
    abd_client, abd_user, office_x, ministry_x
):
    appointment = AppointmentFactory(in_function=True, function=FunctionFactory(ministry=ministry_x))
    opened = appointment.version
    services.extension_propose(
        user=abd_user,
        appointment=appointment,
        reason_code="age",
        motivation="Leeftijd",
        proposed_end=date(2030, 1, 1),
    )
    stale = abd_client.post(
        reverse("appointments:appointment_action", args=[appointment.pk, "verlenging-intrekken"]),
        {"reason": "intrekken", "version": opened},
    )
    assert stale.status_code == 200 and "Iemand anders heeft" in stale.text
    assert appointment.extensions.get().status == "proposed"


@pytest.mark.parametrize(
    "surname, initials",
    [
        ("Plau\u200bsibel", "A.B."),  # a zero-width space inside the name
        ("\u202ePlausibel", "A.B."),  # a right-to-left override before it
        ("Ｐｌａｕｓｉｂｅｌ", "A.B."),  # full-width letters
        ("Plausibel\u00ad", "A.\u200dB."),  # a soft hyphen and a zero-width joiner
    ],
)
def test_invisible_and_variant_characters_do_not_make_a_second_file(abd_client, surname, initials):
    abd_client.post(reverse("appointments:member_create"), member_form())
    again = abd_client.post(
        reverse("appointments:member_create"), member_form(surname=surname, initials=initials)
    )
    assert again.status_code == 200 and "heeft al een dossier" in again.text
    assert Member.objects.count() == 1


def test_a_lookalike_letter_of_another_script_is_refused_in_a_name(abd_client):
    abd_client.post(reverse("appointments:member_create"), member_form())
    cyrillic_a = "Pl\u0430usibel"  # looks like "Plausibel"
    refused = abd_client.post(reverse("appointments:member_create"), member_form(surname=cyrillic_a))
    assert refused.status_code == 200 and "Latijnse letters" in refused.text
    assert Member.objects.count() == 1


def test_a_clean_name_is_stored_without_its_invisible_characters(abd_client):
    abd_client.post(reverse("appointments:member_create"), member_form(surname="Plau\u200bsibel\u200e"))
    assert Member.objects.get().surname == "Plausibel"


@pytest.mark.parametrize("value", ["9223372036854775808", "99999999999999999999999", "-1", "1e3"])
def test_a_choice_of_records_past_what_a_database_id_can_be_is_an_invalid_choice(abd_client, value):
    """`activities=9223372036854775808` overflowed SQLite into a server error."""
    response = abd_client.post(
        reverse("appointments:side_activity_list"), {"activities": [value], "reason": "Publicatie"}
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/leden/?ministerie=9223372036854775808",
        "/nevenwerkzaamheden/?ministerie=9223372036854775808",
        "/functies/?ministerie=9223372036854775808",
        "/dashboard/?ministerie=9223372036854775808",
        "/openbaar/nevenwerkzaamheden/?ministerie=9223372036854775808",
    ],
)
def test_a_filter_on_a_record_past_what_a_database_id_can_be_answers_without_an_error(abd_client, path):
    assert abd_client.get(path).status_code in (200, 400)
