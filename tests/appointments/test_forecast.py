"""The rotation forecast: for the 12 quarters from today's, the functions whose term ends
(extension still possible, or not), per ministry and group, members in the search period as
available for placement; offices see their own ministry; CSV and Excel carry the same rows."""

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from appointments import forecast, rules, services
from tests.factories import AppointmentFactory, FunctionFactory, arrange
from tmgportal.views import PAGE_SIZE

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 11, 23))]


def test_the_twelve_quarters_start_with_todays():
    quarters = forecast.quarters_from(date(2026, 11, 23))
    assert [q.label for q in (quarters[0], quarters[1], quarters[-1])] == ["K4 2026", "K1 2027", "K3 2029"]
    assert len(quarters) == 12 and quarters[-1].end == date(2029, 10, 1)


@pytest.fixture
def careers(abd_user, ministry_x, ministry_y):
    """X: a term ending 31 December 2026 that may be extended (9 years: 31 December 2028). Y: a term
    extended to its 9-year maximum, ending 31 March 2028. X: a term beyond the 12 quarters. Y: a
    member in the search period."""
    in_x = FunctionFactory(ministry=ministry_x, group="A", title="DG Proefzaken")
    in_y = FunctionFactory(ministry=ministry_y, group="B", title="Directeur Proefbeleid")
    may_extend = AppointmentFactory(in_function=True, start_date=date(2020, 1, 1), function=in_x)
    at_maximum = arrange(
        AppointmentFactory(in_function=True, start_date=date(2019, 4, 1), function=in_y),
        status=rules.EXTENDED,
        term_end=date(2028, 4, 1),
    )
    later = AppointmentFactory(
        in_function=True,
        start_date=date(2025, 1, 1),
        function=FunctionFactory(ministry=ministry_x, group="A"),
    )
    ended = services.appointment_end(
        user=abd_user,
        appointment=AppointmentFactory(
            in_function=True, start_date=date(2019, 11, 1), function=FunctionFactory(ministry=ministry_y)
        ),
    )
    services.search_period_start(user=abd_user, appointment=ended)
    return may_extend, at_maximum, later, ended


def test_each_term_ending_in_the_period_is_in_its_quarter_with_its_kind_and_source(abd_client, careers):
    may_extend, at_maximum, later, ended = careers
    response = abd_client.get(reverse("appointments:forecast"))
    movements = {m.appointment.pk: m for m in response.context["movements"]}
    assert set(movements) == {may_extend.pk, at_maximum.pk}
    first = movements[may_extend.pk]
    assert (first.quarter.label, first.day, first.latest_end) == (
        "K4 2026",
        date(2026, 12, 31),
        date(2028, 12, 31),
    )
    assert first.kind == forecast.TERM_ENDS and first.source == "[ARAR 7.4; Nadere regels 1]"
    last = movements[at_maximum.pk]
    assert (last.quarter.label, last.kind, last.latest_end) == ("K1 2028", forecast.MAXIMUM, None)
    [available] = response.context["available"]
    assert available.appointment.pk == ended.pk and available.day == date(2028, 10, 31)

    rows = {row["quarter"].label: row for row in response.context["rows"]}
    assert (rows["K4 2026"]["term_ends"], rows["K1 2028"]["maximum"]) == (1, 1)
    assert rows["K4 2028"]["available"] == 1 and rows["K1 2029"]["available"] == 0
    page = response.text
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in page
    assert "K4 2026: 0 zonder verlengingsmogelijkheid, 1 met verlengingsmogelijkheid." in page
    assert "beschikbaar voor plaatsing" in page


def test_per_ministry_and_group_and_an_office_sees_its_own_ministry(
    abd_client, office_x, careers, ministry_y
):
    may_extend, at_maximum, *_ = careers
    by_ministry = abd_client.get(reverse("appointments:forecast"), {"ministry": ministry_y.pk}).context
    assert [m.appointment.pk for m in by_ministry["movements"]] == [at_maximum.pk]
    assert [
        m.appointment.pk
        for m in abd_client.get(reverse("appointments:forecast"), {"group": "A"}).context["movements"]
    ] == [may_extend.pk]

    office_x_client = Client()
    office_x_client.force_login(office_x)
    office = office_x_client.get(reverse("appointments:forecast"))
    assert [m.appointment.pk for m in office.context["movements"]] == [may_extend.pk]
    assert list(office.context["available"]) == []
    assert at_maximum.member.full_name not in office.text
    exported = office_x_client.get(reverse("appointments:forecast_export", args=["csv"])).content.decode(
        "utf-8-sig"
    )
    assert at_maximum.member.full_name not in exported and may_extend.member.full_name in exported


def test_the_exports_hold_the_rows_of_the_page(abd_client, careers):
    may_extend, at_maximum, _, ended = careers
    text = abd_client.get(reverse("appointments:forecast_export", args=["csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Kwartaal", "Soort", "Laatste dag (t/m)"]
    names = [row[4] for row in rows[1:]]
    assert names == [may_extend.member.full_name, at_maximum.member.full_name, ended.member.full_name]
    workbook = load_workbook(
        io.BytesIO(abd_client.get(reverse("appointments:forecast_export", args=["xlsx"])).content)
    )
    assert [row[4] for row in workbook.active.iter_rows(min_row=2, values_only=True)] == names


def test_a_careless_filter_is_refused_and_an_unknown_format_is_not_found(abd_client, careers):
    response = abd_client.get(reverse("appointments:forecast"), {"group": "Z"})
    assert response.status_code == 400 and list(response.context["movements"]) == []
    assert abd_client.get(reverse("appointments:forecast_export", args=["pdf"])).status_code == 404


def test_the_lists_are_read_a_page_at_a_time_and_the_counts_and_export_cover_every_row(
    abd_client, ministry_x
):
    for _ in range(PAGE_SIZE + 1):
        AppointmentFactory(
            in_function=True, start_date=date(2020, 1, 1), function=FunctionFactory(ministry=ministry_x)
        )
    first = abd_client.get(reverse("appointments:forecast"))
    assert len(first.context["movements"]) == PAGE_SIZE
    assert first.context["movements"].paginator.count == PAGE_SIZE + 1
    assert first.context["rows"][0]["term_ends"] == PAGE_SIZE + 1
    assert f"{PAGE_SIZE + 1} functies" in first.text and "?page=2#termijneinden" in first.text
    second = abd_client.get(reverse("appointments:forecast"), {"page": 2, "beschikbaar": 7})
    assert len(second.context["movements"]) == 1 and list(second.context["available"]) == []
    text = abd_client.get(reverse("appointments:forecast_export", args=["csv"])).content.decode("utf-8-sig")
    assert len(text.strip().splitlines()) == PAGE_SIZE + 2


def test_the_kept_forecast_follows_a_change_of_a_dossier_at_once(abd_client, abd_user, careers):
    may_extend, at_maximum, *_ = careers
    before = abd_client.get(reverse("appointments:forecast")).context["movements"]
    assert may_extend.pk in {m.appointment_id for m in before}
    services.appointment_end(user=abd_user, appointment=may_extend)
    after = abd_client.get(reverse("appointments:forecast")).context["movements"]
    assert {m.appointment_id for m in after} == {at_maximum.pk}
