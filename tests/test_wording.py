"""One careful Dutch text: messages that say what happened, singular and plural, login
errors about logging in, the timeline of a planned or ended appointment, "published" against
"visible in the register", the administration in Dutch, one date style, a favicon."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation

from appointments import services
from tests.factories import AppointmentFactory, arrange
from tmgportal.templatetags.tmg import euro

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 11, 23))]


def test_a_step_says_what_happened(abd_client):
    appointment = AppointmentFactory()
    response = abd_client.post(
        reverse("appointments:appointment_action", args=[appointment.pk, "voordragen"]),
        {
            "proposal_date": "2026-11-01",
            "proposal_reference": "2026-0001",
            "reason": "Voordracht ontvangen",
            "version": appointment.version,
        },
        follow=True,
    )
    assert "Voordracht vastgelegd." in response.text
    assert "Opgeslagen:" not in response.text


def test_a_failed_login_speaks_of_logging_in(client, abd_user):
    response = client.post(reverse("login"), {"username": "abd", "password": "onjuist-wachtwoord"})
    assert "U bent niet ingelogd:" in response.text
    assert "Het formulier is niet opgeslagen" not in response.text


def test_one_published_side_activity_is_singular_and_published_is_not_yet_visible(abd_client, abd_user):
    in_office = AppointmentFactory(in_function=True, start_date=date(2024, 1, 1))
    left = AppointmentFactory(in_function=True, start_date=date(2015, 1, 1))  # term ended in 2022
    shown = {}
    for appointment in (in_office, left):
        activity = services.side_activity_report(
            user=abd_user,
            member=appointment.member,
            organisation=f"Stichting {appointment.member.surname}",
            role="bestuurslid",
            is_paid=False,
            start=date(2025, 1, 1),
            reported_on=date(2025, 1, 1),
        )
        services.side_activity_assess(
            user=abd_user,
            activity=activity,
            assessment="permitted",
            motivation="Past",
            expected_version=activity.version,
        )
        shown[appointment.member.surname] = activity
    response = abd_client.post(
        reverse("appointments:side_activity_list"),
        {"activities": [shown[in_office.member.surname].pk], "reason": "Publicatie"},
        follow=True,
    )
    assert "1 nevenwerkzaamheid gepubliceerd." in response.text
    abd_client.post(
        reverse("appointments:side_activity_list"),
        {"activities": [shown[left.member.surname].pk], "reason": "Publicatie"},
    )
    page = abd_client.get(reverse("appointments:side_activity_list")).text
    rows = {name: row for name in shown for row in page.split("<tr") if f"Stichting {name}" in row}
    assert "zichtbaar in het register" in rows[in_office.member.surname]
    assert "niet zichtbaar" not in rows[in_office.member.surname]
    assert (
        "niet zichtbaar in het register: het lid vervult vandaag geen TMG-functie"
        in rows[left.member.surname]
    )


def test_the_timeline_shows_a_concept_as_planned_and_an_ended_term_up_to_its_last_day(abd_client):
    concept = AppointmentFactory(start_date=date(2027, 1, 1))
    page = abd_client.get(reverse("appointments:appointment_detail", args=[concept.pk])).text
    assert "Gepland: nog niet in functie." in page and "vervuld tot vandaag" not in page
    served = re.compile(r'<rect x="0" y="40" width="(\d+)" height="30" fill="#01689b"/>')
    assert served.search(page).group(1) == "0"

    ended = arrange(AppointmentFactory(in_function=True, start_date=date(2017, 1, 1)), status="ended")
    page = abd_client.get(reverse("appointments:appointment_detail", args=[ended.pk])).text
    assert "tot en met de laatste dag" in page
    assert served.search(page).group(1) == str(
        round((date(2024, 1, 1) - date(2017, 1, 1)).days * 1000 / 3287)
    )
    assert "7 jaar: 1 januari 2024" in page and "Jan" not in page


def test_the_administration_is_in_dutch_with_a_favicon(client):
    admin = get_user_model().objects.create_superuser("beheer", "beheer@voorbeeld.invalid", "x-9-y-8-z-7-w")
    client.force_login(admin)
    page = client.get(reverse("admin:index")).text
    for dutch in (
        "Dossiers van leden",
        "Bezoldiging",
        "tmgportal-beheer",
    ):
        assert dutch in page, dutch
    for english in (
        "APPOINTMENTS",
        "Appointments",
        "Salaries",
        "TOTP devices",
        "Authenticator-apps",
        "Static devices",
        "Model name",
        "Add link",
    ):
        assert english not in page, english
    assert 'rel="icon"' in page
    assert Client().get("/favicon.ico").status_code == 302


@pytest.mark.parametrize(
    ("language", "shown"),
    [("nl", "€\u00a09.024,04"), ("en", "€\u00a09,024.04")],
)
def test_money_reads_in_the_separators_of_the_language_shown(language, shown):
    with translation.override(language):
        assert euro(Decimal("9024.04")) == shown
        assert euro(Decimal("-12.5")) == shown[:2] + ("-12,50" if language == "nl" else "-12.50")
        assert euro(None) == "—"
