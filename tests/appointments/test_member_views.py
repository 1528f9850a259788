import io
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from appointments import services
from appointments.models import Member
from tests.factories import AppointmentFactory, FunctionFactory, MemberFactory

pytestmark = pytest.mark.django_db


def member_data(**overrides):
    data = {
        "initials": "A.B.",
        "first_name": "Anna",
        "prefix": "van der",
        "surname": "Proefhuis",
        "date_of_birth": "1970-03-02",
        "abd_member_since": "2010-01-01",
        "email": "a.proefhuis@example.org",
        "phone": "",
    }
    data.update(overrides)
    return data


def test_abd_staff_creates_a_member_with_history(abd_client, abd_user):
    response = abd_client.post(reverse("appointments:member_create"), member_data())
    member = Member.objects.get()
    assert response.status_code == 302
    assert member.full_name == "A.B. van der Proefhuis"
    record = member.history.get()
    assert record.history_user == abd_user
    assert record.history_change_reason == "Ledendossier aangemaakt"


def test_missing_required_fields_get_dutch_messages_and_save_nothing(abd_client):
    response = abd_client.post(
        reverse("appointments:member_create"), member_data(surname="", date_of_birth="")
    )
    assert response.status_code == 200
    assert "Dit veld is verplicht." in response.text
    assert "Het formulier is niet opgeslagen" in response.text
    assert not Member.objects.exists()


def test_impossible_dates_are_refused(abd_client):
    response = abd_client.post(
        reverse("appointments:member_create"),
        member_data(date_of_birth="2090-01-01", abd_member_since="1960-01-01"),
    )
    assert "De geboortedatum moet in het verleden liggen." in response.text
    assert not Member.objects.exists()


def test_office_cannot_create_members(office_x_client):
    response = office_x_client.post(reverse("appointments:member_create"), member_data())
    assert response.status_code == 403
    assert not Member.objects.exists()


def test_second_save_of_a_stale_form_is_refused_and_keeps_the_input(abd_client):
    member = MemberFactory(surname="Oud")
    url = reverse("appointments:member_edit", args=[member.pk])
    first = abd_client.post(url, member_data(surname="Eerste", version=1))
    assert first.status_code == 302
    second = abd_client.post(url, member_data(surname="Tweede", version=1))
    assert second.status_code == 200
    assert "Iemand anders heeft dit gegeven gewijzigd" in second.text
    assert 'value="Tweede"' in second.text
    member.refresh_from_db()
    assert member.surname == "Eerste"
    assert member.version == 2


def test_member_list_filters_by_ministry_and_name(abd_client, ministry_x, ministry_y):
    in_x = AppointmentFactory(in_function=True, function=FunctionFactory(ministry=ministry_x))
    AppointmentFactory(in_function=True, function=FunctionFactory(ministry=ministry_y))
    response = abd_client.get(reverse("appointments:member_list"), {"ministry": ministry_x.pk})
    assert [m.pk for m in response.context["page"]] == [in_x.member.pk]
    response = abd_client.get(reverse("appointments:member_list"), {"q": in_x.member.surname})
    assert [m.pk for m in response.context["page"]] == [in_x.member.pk]


def test_unknown_filter_value_is_an_error_not_the_full_list(abd_client, appointment_x):
    response = abd_client.get(reverse("appointments:member_list"), {"status": "bestaat-niet"})
    assert response.status_code == 400
    assert list(response.context["page"]) == []
    assert "onbekende waarde" in response.text


def test_member_list_export_csv_holds_the_filtered_rows(abd_client, ministry_x, ministry_y):
    in_x = AppointmentFactory(in_function=True, function=FunctionFactory(ministry=ministry_x))
    in_y = AppointmentFactory(in_function=True, function=FunctionFactory(ministry=ministry_y))
    response = abd_client.get(
        reverse("appointments:member_export", args=["csv"]), {"ministry": ministry_x.pk}
    )
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert in_x.member.surname in body
    assert in_y.member.surname not in body


@pytest.mark.parametrize("surname", ["=HYPERLINK(1)", "\uff1dHYPERLINK(1)", "  =HYPERLINK(1)", "\uff0b1+1"])
def test_csv_export_neutralises_formulas(abd_client, surname):
    """Also behind leading spaces and in full-width signs, which spreadsheets read as formulas too."""
    MemberFactory(surname=surname)
    body = abd_client.get(reverse("appointments:member_export", args=["csv"])).content.decode("utf-8-sig")
    assert f"'{surname}" in body


@time_machine.travel(date(2028, 6, 1), tick=False)
def test_xlsx_export_writes_user_text_as_text_without_an_apostrophe(abd_user):
    """In XLSX a cell has a type: user text is a string cell, never a formula, and keeps its text."""
    client = Client()
    client.force_login(abd_user)
    member = MemberFactory(initials="=SUM(1)", surname="Formule")
    AppointmentFactory(in_function=True, member=member, start_date=date(2022, 1, 1))
    response = client.get(reverse("appointments:dashboard_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == "=SUM(1) Formule"]
    assert cells, "the member's row is missing"
    assert all(cell.data_type == "s" for cell in cells)
    assert not any(str(cell.value).startswith("'") for row in sheet.iter_rows() for cell in row)


def test_member_list_query_count_does_not_grow_with_rows(abd_client):
    def queries_for_list():
        with CaptureQueriesContext(connection) as captured:
            assert abd_client.get(reverse("appointments:member_list")).status_code == 200
        return len(captured)

    AppointmentFactory.create_batch(2, in_function=True)
    few = queries_for_list()
    AppointmentFactory.create_batch(20, in_function=True)
    assert queries_for_list() == few


def test_member_detail_shows_the_last_day_of_the_term(abd_client, appointment_x):
    response = abd_client.get(reverse("appointments:member_detail", args=[appointment_x.member.pk]))
    assert appointment_x.term_end == date(2029, 1, 1)
    assert "31 december 2028" in response.text


def test_archiving_keeps_the_history(abd_client, appointment_x):
    member = appointment_x.member
    response = abd_client.post(
        reverse("appointments:member_archive", args=[member.pk]), {"reason": "Op verzoek verwijderd"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.archived_at is not None
    assert member.history.first().history_change_reason == "Op verzoek verwijderd"
    assert member.pk not in [
        m.pk for m in abd_client.get(reverse("appointments:member_list")).context["page"]
    ]


def test_an_archived_file_is_found_under_archived_and_can_be_restored_with_a_reason(abd_client, abd_user):
    member = MemberFactory(surname="Teruggehaald")
    services.member_archive(user=abd_user, member=member, reason="Per abuis gearchiveerd")
    listing = reverse("appointments:member_list")
    assert "Teruggehaald" not in abd_client.get(listing).text
    assert "Teruggehaald" in abd_client.get(listing, {"archief": "gearchiveerd"}).text
    url = reverse("appointments:member_restore", args=[member.pk])
    assert abd_client.post(url, {"reason": ""}).status_code == 200
    assert abd_client.post(url, {"reason": "Archivering was een vergissing"}).status_code == 302
    assert "Teruggehaald" in abd_client.get(listing).text
    reasons = list(member.history.values_list("history_change_reason", flat=True)[:2])
    assert reasons == ["Archivering was een vergissing", "Per abuis gearchiveerd"]
    assert abd_client.get(url).status_code == 404  # no longer archived: nothing to restore
