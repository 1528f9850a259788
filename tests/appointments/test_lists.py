"""Lists people can work with: columns that sort (and say so), a total on each list, one
search box for names, functions and KB numbers within the user's scope, "ends within N months", and
CSV and Excel where a list exports."""

import io
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import AppointmentFactory, FunctionFactory, MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 11, 23))]


@pytest.fixture
def three(ministry_x, ministry_y):
    """Three members in office: Aalders (X, ends 2027), Zomer (X, ends 2031), Maas (Y, ends 2026)."""
    return {
        "Aalders": AppointmentFactory(
            member=MemberFactory(surname="Aalders"),
            in_function=True,
            start_date=date(2020, 6, 1),
            kb_number="2020/123",
            function=FunctionFactory(ministry=ministry_x, title="directeur-generaal Rijksbegroting"),
        ),
        "Zomer": AppointmentFactory(
            member=MemberFactory(surname="Zomer"),
            in_function=True,
            start_date=date(2024, 3, 1),
            function=FunctionFactory(ministry=ministry_x),
        ),
        "Maas": AppointmentFactory(
            member=MemberFactory(surname="Maas"),
            in_function=True,
            start_date=date(2019, 12, 1),
            function=FunctionFactory(ministry=ministry_y),
        ),
    }


def names(response):
    return re.findall(r'<th scope="row"><a href="/leden/\d+/">(\w+), T\.</a></th>', response.text)


def test_columns_sort_both_ways_keep_the_filter_and_say_their_order(abd_client, three, ministry_x):
    url = reverse("appointments:member_list")
    assert names(abd_client.get(url)) == ["Aalders", "Maas", "Zomer"]
    by_end = abd_client.get(url, {"sorteer": "einde"})
    assert names(by_end) == ["Maas", "Aalders", "Zomer"]
    assert 'aria-sort="ascending"><a class="sort-link" href="?sorteer=-einde"' in by_end.text
    assert names(abd_client.get(url, {"sorteer": "-einde"})) == ["Zomer", "Aalders", "Maas"]
    filtered = abd_client.get(url, {"ministry": ministry_x.pk, "sorteer": "-naam", "page": "1"})
    assert names(filtered) == ["Zomer", "Aalders"]
    assert f'href="?ministry={ministry_x.pk}&amp;sorteer=naam"' in filtered.text, (
        "the filter stays, the page goes"
    )
    assert "2 leden" in filtered.text
    assert names(abd_client.get(url, {"sorteer": "geboortedatum"})) == ["Aalders", "Maas", "Zomer"]


def test_the_dashboard_and_the_side_activity_and_function_lists_sort_too(abd_client, three):
    by_member = abd_client.get(reverse("appointments:dashboard"), {"sorteer": "-lid"}).context["deadlines"]
    assert [d.member.surname for d in by_member] == ["Maas", "Maas", "Aalders", "Aalders"]
    by_date = abd_client.get(reverse("appointments:dashboard"), {"sorteer": "datum"}).context["deadlines"]
    assert [(d.member.surname, d.kind) for d in by_date] == [
        ("Maas", "conversation"),  # 1 December 2024
        ("Aalders", "conversation"),  # 1 June 2025
        ("Maas", "term_end"),  # 30 November 2026
        ("Aalders", "term_end"),  # 31 May 2027
    ]
    functions = abd_client.get(reverse("appointments:function_list"), {"sorteer": "-organisatie"})
    assert "3 functies" in functions.text and 'aria-sort="descending"' in functions.text


def test_ends_within_months_lists_the_terms_in_office_that_end_by_then(abd_client, three):
    url = reverse("appointments:member_list")
    assert names(abd_client.get(url, {"eindigt_binnen": "1"})) == ["Maas"]  # ends 30 November 2026
    assert names(abd_client.get(url, {"eindigt_binnen": "12"})) == ["Aalders", "Maas"]
    refused = abd_client.get(url, {"eindigt_binnen": "0"})
    assert refused.status_code == 400 and names(refused) == []
    assert "Zorg ervoor dat deze waarde minstens 1 is." in refused.text


def test_one_search_box_finds_names_functions_and_kb_numbers_within_scope(abd_client, three, office_y):
    url = reverse("appointments:search")
    page = abd_client.get(url, {"q": "aalders"}).text
    assert "1 lid" in page and "Aalders, T." in page
    page = abd_client.get(url, {"q": "Rijksbegroting"}).text
    assert "1 functie" in page and "directeur-generaal Rijksbegroting" in page
    page = abd_client.get(url, {"q": "2020/123"}).text
    assert (
        "1 dossier op KB-nummer" in page
        and reverse("appointments:appointment_detail", args=[three["Aalders"].pk]) in page
    )
    assert "ten minste 2 tekens" in abd_client.get(url, {"q": "a"}).text

    office = Client()
    office.force_login(office_y)
    page = office.get(url, {"q": "Aalders"}).text
    assert "0 leden" in page and "Aalders, T." not in page
    assert "0 dossiers op KB-nummer" in office.get(url, {"q": "2020/123"}).text
    assert "Maas" in office.get(url, {"q": "Maas"}).text
    assert 'role="search"' in office.get(reverse("appointments:dashboard")).text


def test_the_member_list_exports_as_csv_and_excel_in_the_sorted_order(abd_client, three):
    url = reverse("appointments:member_export", args=["xlsx"])
    workbook = load_workbook(io.BytesIO(abd_client.get(url, {"sorteer": "-naam"}).content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Achternaam", "Tussenvoegsel", "Voorletters")
    assert [row[0] for row in rows[1:]] == ["Zomer", "Maas", "Aalders"]
    text = abd_client.get(reverse("appointments:member_export", args=["csv"])).content.decode("utf-8-sig")
    assert [line.split(";")[0] for line in text.splitlines()[1:]] == ["Aalders", "Maas", "Zomer"]
    assert abd_client.get(reverse("appointments:member_export", args=["pdf"])).status_code == 404


def test_every_list_with_an_export_has_csv_and_excel(abd_client, three):
    member = three["Aalders"].member
    for url in (
        reverse("appointments:member_export", args=["xlsx"]),
        reverse("appointments:dashboard_export", args=["xlsx"]),
        reverse("appointments:forecast_export", args=["xlsx"]),
        reverse("appointments:member_history_export", args=[member.pk, "xlsx"]),
        reverse("salaries:wnt_export", args=[2026, "xlsx"]),
    ):
        response = abd_client.get(url)
        assert response.status_code == 200, url
        assert load_workbook(io.BytesIO(response.content)).active.max_row >= 1, url


def test_the_forecast_and_the_wnt_overview_sort_by_their_columns(abd_client, three):
    found = abd_client.get(reverse("appointments:forecast"), {"sorteer": "-lid"}).context["movements"]
    assert [m.member.surname for m in found] == ["Maas", "Aalders"]
    assert (
        'aria-sort="descending"' in abd_client.get(reverse("salaries:wnt_overview"), {"sorteer": "-lid"}).text
    )
