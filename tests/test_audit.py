"""Audit history: every model tracked, every write path records who and why, one readable timeline
per member, history append-only, exports for AVG/WOO requests, and retention."""

import io
from datetime import date

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from appointments import services
from appointments.models import Appointment, Member, SearchPeriod
from tests.factories import AppointmentFactory, FunctionFactory, MemberFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("appointments", "salaries", "tmgportal")
# Models without their own history, each with the reason.
WITHOUT_HISTORY = {
    "LoginAttempt": "itself an append-only log of login attempts for the lock-out",
    "FormSubmission": "a technical one-time token of a create form; the record it made has history",
    "PayMonth": "derived figures (salaries.figures), recomputed from facts that have history; rebuild_pay_figures proves them",
    "PayYear": "derived figures as PayMonth: the WNT year from the stored months, the entry and the maximum",
}


def test_every_model_of_the_project_has_history():
    missing = []
    for app in PROJECT_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            if not hasattr(model, "history") and model.__name__ not in WITHOUT_HISTORY:
                missing.append(model.__name__)
    assert not missing, f"Give these models HistoricalRecords() or allow-list them with a reason: {missing}"


def test_historical_models_are_not_in_the_admin_and_nothing_can_be_deleted_there(admin_client):
    registered = admin.site._registry
    assert not [m for m in registered if m.__name__.startswith("Historical")]
    member = MemberFactory()
    response = admin_client.get(reverse("admin:appointments_member_delete", args=[member.pk]))
    assert response.status_code == 403
    assert Member.objects.filter(pk=member.pk).exists()


def test_admin_changes_need_a_reason_and_record_it(admin_client, admin_user):
    member = MemberFactory(surname="Adminproef")
    url = reverse("admin:appointments_member_change", args=[member.pk])
    data = {
        "surname": "Adminproef-Gewijzigd",
        "prefix": "",
        "initials": "T.",
        "first_name": "",
        "date_of_birth": "1968-05-17",
        "abd_member_since": "",
        "email": "",
        "phone": "",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "Dit veld is verplicht" in response.text
    member.refresh_from_db()
    assert member.surname == "Adminproef"
    admin_client.post(url, data | {"change_reason": "Naam gecorrigeerd"})
    latest = Member.objects.get(pk=member.pk).history.latest()
    assert (latest.surname, latest.history_user, latest.history_change_reason) == (
        "Adminproef-Gewijzigd",
        admin_user,
        "Naam gecorrigeerd",
    )


def test_history_cannot_be_reverted_through_the_admin(admin_client):
    member = MemberFactory()
    services.member_update(
        user=None, member=member, expected_version=member.version, surname="Nieuw", reason="x"
    )
    record = member.history.earliest()
    url = reverse("admin:appointments_member_simple_history", args=[member.pk, record.history_id])
    count = member.history.count()
    response = admin_client.post(url, {"surname": "Terug"})
    assert response.status_code != 302  # no revert happened, whatever page is shown
    assert member.history.count() == count and Member.objects.get(pk=member.pk).surname == "Nieuw"


@pytest.fixture
def career(abd_user, office_x, ministry_x):
    appointment = AppointmentFactory(
        in_function=True, start_date=date(2022, 1, 1), function=FunctionFactory(ministry=ministry_x)
    )
    with time_machine.travel(date(2028, 5, 1), tick=False):  # proposed and approved before the council
        extension = services.extension_propose(
            user=abd_user,
            appointment=appointment,
            reason_code="continuity",
            motivation="Continuïteit",
            proposed_end=date(2031, 1, 1),
            reason="Voorstel verlenging",
        )
        services.extension_decide(user=office_x, extension=extension, approve=True, remarks="Akkoord")
    services.extension_record_kb(
        user=abd_user,
        extension=extension,
        council_date=date(2028, 6, 1),
        kb_date=date(2028, 7, 1),
        kb_number="KB-9",
        reason="KB verlenging vastgelegd",
    )
    return appointment


@pytest.mark.today(date(2028, 12, 1))  # after the extension's KB of July 2028
def test_member_timeline_shows_field_changes_in_dutch_with_who_and_why(abd_client, abd_user, career):
    url = reverse("appointments:member_history", args=[career.member.pk])
    text = abd_client.get(url).text
    # Ends are shown as the last day, as on every other screen.
    assert "Einddatum termijn: 31 december 2028 (laatste dag) → 31 december 2030 (laatste dag)" in text
    assert "KB verlenging vastgelegd" in text and abd_user.username in text
    assert (
        "Status: wacht op besluit van het bewindspersoonbureau → goedgekeurd door het bewindspersoonbureau"
        in text
    )
    only_extensions = abd_client.get(url, {"soort": "verlenging"}).text
    assert "Einddatum termijn: 31 december 2028" not in only_extensions and "Akkoord" in only_extensions
    assert abd_client.get(url, {"soort": "onbekend"}).status_code == 400


@pytest.mark.today(date(2028, 12, 1))  # after the extension's KB of July 2028
def test_timeline_is_scoped_to_the_office_of_the_ministry(office_x, office_y, career):
    url = reverse("appointments:member_history", args=[career.member.pk])
    for office, status in ((office_x, 200), (office_y, 404)):
        client = Client()
        client.force_login(office)
        assert client.get(url).status_code == status


@pytest.mark.today(date(2028, 12, 1))  # after the extension's KB of July 2028
def test_complete_history_exports_as_csv_and_pdf(abd_client, career):
    member = career.member
    csv_text = abd_client.get(
        reverse("appointments:member_history_export", args=[member.pk, "csv"])
    ).content.decode("utf-8-sig")
    assert "KB verlenging vastgelegd" in csv_text and "Einddatum termijn" in csv_text
    pdf = abd_client.get(reverse("appointments:member_history_export", args=[member.pk, "pdf"])).content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert member.full_name in text and "Voorstel verlenging" in text


def test_retention_needs_a_decided_period(settings):
    settings.TMG_RETENTION_YEARS = None
    with pytest.raises(CommandError, match="TMG_RETENTION_YEARS is not set"):
        call_command("anonymise_expired")


def test_retention_anonymises_who_left_long_ago_in_history_too(settings, abd_user, ministry_x):
    settings.TMG_RETENTION_YEARS = 2
    left = AppointmentFactory(
        status=Appointment.Status.EMPLOYMENT_ENDED,
        start_date=date(2012, 1, 1),
        term_end=date(2019, 1, 1),
        member=MemberFactory(surname="Oudgediende", email="oud@voorbeeld.invalid"),
        function=FunctionFactory(ministry=ministry_x),
    )
    SearchPeriod.objects.create(
        appointment=left,
        start=date(2019, 1, 1),
        end=date(2021, 1, 1),
        outcome="mutual_consent",
        outcome_date=date(2021, 1, 1),
    )
    staying = AppointmentFactory(in_function=True, member=MemberFactory(surname="Blijver"))
    services.member_update(
        user=abd_user, member=left.member, expected_version=1, phone="0612345678", reason="tel"
    )
    call_command("anonymise_expired", stdout=io.StringIO())
    member = Member.objects.get(pk=left.member.pk)
    assert member.surname.startswith("Geanonimiseerd") and member.anonymised_at and not member.email
    assert not member.history.filter(surname="Oudgediende").exists()
    assert not member.history.exclude(phone="").exists()
    latest = member.history.latest()
    assert (
        latest.history_user.username == "systeem" and "bewaartermijn 2 jaar" in latest.history_change_reason
    )
    assert Member.objects.get(pk=staying.member.pk).surname == "Blijver"
