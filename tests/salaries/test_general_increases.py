"""Today's figures [CAO Rijk]: the scale tables from 2017 to now are derived from the 2016 Besluit
table and the general increases, rounding to the cent after each step, and reproduce every published
row; a new increase is previewed amount by amount and member by member, and applied on confirmation."""

import csv
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from appointments.loaders import FIXTURES
from salaries import rules
from salaries.loaders import load_pay_tables
from salaries.models import ExcellenceTable, GeneralIncrease, PayMonth, ScaleTable, TableOrigin, WntMaximum
from tests.factories import AppointmentFactory, FunctionFactory
from tmgportal.system import system_user

from .test_pay import place

pytestmark = pytest.mark.django_db


def published_rows():
    with open(FIXTURES / "salary-tables-published.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def increases_until(day: date):
    with open(FIXTURES / "general-increases.csv", newline="", encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: row["valid_from"])
    return [
        (Decimal(row["percentage"]), Decimal(row["fixed_amount"]))
        for row in rows
        if date.fromisoformat(row["valid_from"]) <= day
    ]


BESLUIT_2016 = {  # BBRA bijlage A and art. 8.2b as in Stb. 2016, 445: the level before the AVO 2017
    "step_0": Decimal("7479.61"),
    "step_10": Decimal("9818.34"),
    "excellence_1": Decimal("10052.38"),
    "excellence_2": Decimal("10286.42"),
    "excellence_3": Decimal("10520.48"),
}


@pytest.mark.parametrize(
    ("amount", "percentage", "fixed", "expected"),
    [
        (Decimal("7479.61"), Decimal("1.4"), Decimal("0"), Decimal("7584.32")),  # 7584.3245 -> .32
        (Decimal("8348.03"), Decimal("2.5"), Decimal("75"), Decimal("8631.73")),  # percentage, then € 75
        (Decimal("9024.04"), Decimal("8.5"), Decimal("50"), Decimal("9841.08")),
    ],
)
def test_a_general_increase_is_the_percentage_rounded_to_the_cent_then_the_fixed_amount(
    amount, percentage, fixed, expected
):
    assert rules.after_general_increase(amount, percentage=percentage, fixed_amount=fixed) == expected


@pytest.mark.parametrize(
    "row", [row for row in published_rows() if row["scale"] == "19"], ids=lambda r: r["valid_from"]
)
def test_the_derivation_reproduces_every_published_row_of_scale_19_to_the_cent(row):
    day = date.fromisoformat(row["valid_from"])
    for field, base in BESLUIT_2016.items():
        if row[field]:
            assert rules.after_general_increases(base, increases_until(day)) == Decimal(row[field]), field


def test_the_loaded_tables_equal_every_published_row(pay_tables):
    for row in published_rows():
        day = date.fromisoformat(row["valid_from"])
        scale = (
            ScaleTable.objects.get(scale=int(row["scale"]), valid_from__lte=day, valid_until__gt=day)
            if (
                ScaleTable.objects.filter(
                    scale=int(row["scale"]), valid_from=day, valid_until__isnull=False
                ).exists()
            )
            else ScaleTable.objects.filter(scale=int(row["scale"]), valid_from__lte=day)
            .order_by("-valid_from")
            .first()
        )
        excellence = (
            ExcellenceTable.objects.filter(scale=int(row["scale"]), valid_from__lte=day)
            .order_by("-valid_from")
            .first()
        )
        for n in range(11):
            if row[f"step_{n}"]:
                assert getattr(scale, f"step_{n}") == Decimal(row[f"step_{n}"]), (row["valid_from"], n)
        for n in range(1, 4):
            if row[f"excellence_{n}"]:
                assert getattr(excellence, f"excellence_{n}") == Decimal(row[f"excellence_{n}"]), (
                    row["valid_from"],
                    n,
                )


def test_the_2017_besluit_level_stays_visible_in_the_history_of_the_corrected_row(pay_tables):
    row = ScaleTable.objects.get(scale=19, valid_from=date(2017, 1, 1))
    assert (row.step_0, row.origin, row.increase.valid_from) == (
        Decimal("7584.32"),
        TableOrigin.DERIVED,
        date(2017, 1, 1),
    )
    levels = [entry.step_0 for entry in row.history.order_by("history_date", "history_id")]
    assert levels[0] == Decimal("7479.61") and levels[-1] == Decimal("7584.32")
    assert "Afgeleid" in row.source and "1,4%" in row.source


def test_scale_18_is_known_from_the_published_1_july_2024_row_and_not_before(pay_tables):
    rows = ScaleTable.objects.filter(scale=18).exclude(source="test figures")
    assert [(r.valid_from, r.origin) for r in rows] == [(date(2024, 7, 1), TableOrigin.PUBLISHED)]


def test_the_wnt_maxima_are_corrected_and_the_secondary_ones_marked(pay_tables):
    assert WntMaximum.objects.get(year=2018).amount == Decimal("189000")
    marked = dict(WntMaximum.objects.filter(year__gte=2025).values_list("year", "confidence"))
    assert marked == {2025: "secondary", 2026: "secondary"}


def test_an_installation_with_the_first_2018_maximum_gets_the_retroactive_one_with_its_reason(pay_tables):
    maximum = WntMaximum.objects.get(year=2018)
    maximum.amount = Decimal("187000")
    maximum.save()
    load_pay_tables(user=system_user())
    maximum.refresh_from_db()
    assert maximum.amount == Decimal("189000")
    assert "terugwerkende kracht" in maximum.history.latest().history_change_reason


def test_loading_again_changes_nothing(pay_tables):
    counts = (ScaleTable.objects.count(), ExcellenceTable.objects.count(), GeneralIncrease.objects.count())
    assert load_pay_tables(user=system_user()) == 0
    assert counts == (
        ScaleTable.objects.count(),
        ExcellenceTable.objects.count(),
        GeneralIncrease.objects.count(),
    )


@pytest.fixture
def member_since_2019(pay_tables, ministry_x, abd_user):
    appointment = AppointmentFactory(
        in_function=True,
        start_date=date(2019, 3, 1),
        function=FunctionFactory(ministry=ministry_x, group="A"),
    )
    place(abd_user, appointment, step=2, motivation="Ervaring")
    return appointment.member


def increase_form(**changes):
    return {
        "valid_from": "2027-01-01",
        "percentage": "3",
        "fixed_amount": "0",
        "agreement": "CAO Rijk 2027 (fictief)",
        "source": "Onderhandelaarsakkoord (fictief)",
        "confidence": "official",
        "note": "",
        "reason": "Nieuwe CAO",
    } | changes


def test_a_member_in_function_since_2019_is_paid_in_2026_from_the_1_july_2024_table(
    abd_client, member_since_2019
):
    page = abd_client.get(
        reverse("salaries:member_pay", args=[member_since_2019.pk]), {"datum": "2026-06-01"}
    )
    assert "€\u00a010.434,48" in page.text  # scale 19 step 2 from 1 July 2024
    assert "Afgeleid" in page.text and "8,5% + €\u00a050,00" in page.text


def test_recording_an_increase_shows_every_change_before_it_is_confirmed(abd_client, member_since_2019):
    url = reverse("salaries:general_increase_create")
    preview = abd_client.post(url, increase_form())
    assert preview.status_code == 200
    assert not GeneralIncrease.objects.filter(valid_from=date(2027, 1, 1)).exists()
    text = preview.text
    # Every step of scale 19 side by side: step 2 10434.48 -> 10747.51 (+3%), and the member's pay.
    assert "€\u00a010.434,48" in text and "€\u00a010.747,51" in text
    assert "€\u00a012.875,98" in text and "€\u00a013.262,26" in text  # step 10
    assert member_since_2019.sort_name in text
    assert PayMonth.objects.get(member=member_since_2019, month=date(2027, 1, 1)).salary == Decimal(
        "10434.48"
    )

    confirmed = abd_client.post(url, increase_form(bevestigen="1"))
    assert confirmed.status_code == 302
    increase = GeneralIncrease.objects.get(valid_from=date(2027, 1, 1))
    assert increase.history.get().history_change_reason == "Nieuwe CAO"
    new = ScaleTable.objects.get(scale=19, valid_from=date(2027, 1, 1))
    assert (new.step_2, new.origin, new.increase) == (Decimal("10747.51"), TableOrigin.DERIVED, increase)
    assert ScaleTable.objects.get(scale=19, valid_from=date(2024, 7, 1)).valid_until == date(2027, 1, 1)
    # The stored pay follows in the same transaction, and so does the pay page.
    assert PayMonth.objects.get(member=member_since_2019, month=date(2027, 1, 1)).salary == Decimal(
        "10747.51"
    )
    page = abd_client.get(
        reverse("salaries:member_pay", args=[member_since_2019.pk]), {"datum": "2027-02-01"}
    )
    assert "€\u00a010.747,51" in page.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"percentage": "150"}, "hoogstens 100"),
        ({"valid_from": "2024-03-01"}, "heeft al een rij vanaf 1 juli 2024"),
        ({"valid_from": "2024-07-01"}, "Er is al een verhoging vanaf deze datum vastgelegd"),
        ({"percentage": "drie"}, "Voer een getal in"),
    ],
)
def test_a_careless_increase_is_refused_in_dutch_and_nothing_changes(
    abd_client, pay_tables, changes, message
):
    before = ScaleTable.objects.count()
    response = abd_client.post(
        reverse("salaries:general_increase_create"), increase_form(bevestigen="1", **changes)
    )
    assert response.status_code == 200 and message in response.text
    assert ScaleTable.objects.count() == before
    assert not GeneralIncrease.objects.filter(agreement="CAO Rijk 2027 (fictief)").exists()


def test_a_secondary_wnt_maximum_is_confirmed_only_with_the_regulation(abd_client, pay_tables):
    maximum = WntMaximum.objects.get(year=2026)
    url = reverse("salaries:table_edit", args=["wnt", maximum.pk])
    fields = {
        "year": "2026",
        "amount": "262000.00",
        "confidence": "official",
        "regulation": "",
        "source": maximum.source,
        "note": "",
        "reason": "Bevestigd",
        "version": maximum.version,
    }
    refused = abd_client.post(url, fields)
    assert refused.status_code == 200 and "Noem de regeling" in refused.text
    assert abd_client.post(url, fields | {"regulation": "Stcrt. 2025, 27439"}).status_code == 302
    maximum.refresh_from_db()
    assert (maximum.confidence, maximum.regulation) == ("official", "Stcrt. 2025, 27439")


def test_only_abd_staff_record_an_increase(office_x_client):
    url = reverse("salaries:general_increase_create")
    assert office_x_client.get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_the_increase_forms_say_that_they_are_working_once_sent(abd_client, member_since_2019):
    """Applying refreshes every member's pay: the form says so while it works (static/js/app.js)."""
    url = reverse("salaries:general_increase_create")
    assert "worden berekend; een ogenblik geduld" in abd_client.get(url).text
    preview = abd_client.post(url, increase_form()).text
    assert "de bezoldiging van 1 lid wordt bijgewerkt" in preview and "data-busy-status" in preview
