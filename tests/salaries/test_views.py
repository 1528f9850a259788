"""The pay screens: ABD staff place a member, raise steps a year later, keep the tables, and read any
member's pay history and WNT position; bad input gets a Dutch message and saves nothing."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from salaries.models import Placement, ScaleTable, WntMaximum
from tests.factories import AppointmentFactory, FunctionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dg(pay_tables, ministry_x):
    return AppointmentFactory(
        in_function=True,
        start_date=date(2023, 3, 1),
        function=FunctionFactory(ministry=ministry_x, group="A"),
    )


def post_placement(client, appointment, **data):
    fields = {
        "appointment": appointment.pk,
        "kind": "placement",
        "valid_from": appointment.start_date.isoformat(),
        "step": 0,
        "excellence": 0,
        "part_time_factor": "1",
        "motivation": "",
        "reason": "",
    } | data
    return client.post(reverse("salaries:placement_create", args=[appointment.member.pk]), fields)


def test_staff_place_a_new_member_then_apply_every_due_step_in_one_action(abd_client, abd_user, dg):
    response = post_placement(abd_client, dg, step=2, motivation="Ervaring als plv. DG")
    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (placement.scale, placement.step) == (19, 2)

    response = abd_client.get(reverse("salaries:increase_list"))
    # Today is 15 June 2026: a step was due on 1 March 2024, 2025 and 2026.
    assert placement.member.full_name in response.text
    assert "1 maart 2024, 1 maart 2025, 1 maart 2026" in response.text

    response = abd_client.post(
        reverse("salaries:increase_list"),
        {"placements": [placement.pk], "reason": "Goed functioneren"},
        follow=True,
    )
    assert "3 periodieke verhogingen vastgelegd." in response.text
    increases = Placement.objects.filter(kind="increase").order_by("valid_from")
    assert [(p.step, p.valid_from) for p in increases] == [
        (3, date(2024, 3, 1)),
        (4, date(2025, 3, 1)),
        (5, date(2026, 3, 1)),
    ]
    assert all(p.history.get().history_user == abd_user for p in increases)
    assert placement.member.full_name not in abd_client.get(reverse("salaries:increase_list")).text

    page = abd_client.get(reverse("appointments:member_detail", args=[dg.member.pk])).text
    assert "<polyline" in page  # the chart of monthly pay
    assert "inschaling bij aanstelling" in page and "periodieke verhoging" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"step": 12}, "Trede 12 bestaat niet in deze schaal"),
        ({"step": 3}, "een hogere trede vraagt een motivering"),
        ({"valid_from": "2023-02-28"}, "kan niet ingaan vóór de start van de benoeming"),
        ({"part_time_factor": "1.5"}, "Zorg ervoor dat deze waarde hoogstens 1.333 is"),
    ],
)
def test_bad_placement_gets_a_dutch_message_and_saves_nothing(abd_client, dg, data, message):
    response = post_placement(abd_client, dg, **data)
    assert response.status_code == 200
    assert message in response.text
    assert not Placement.objects.exists()


def scale_row_data(**data):
    return {
        "scale": 18,
        "valid_from": "2025-01-01",
        "valid_until": "",
        "source": "BBRA Bijlage B",
        "note": "",
        "reason": "Nieuwe tabel",
        **{f"step_{n}": "" for n in range(11)},
        "step_0": "6100.00",
        "step_1": "6300.00",
    } | data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"step_1": "-5"}, "Zorg ervoor dat deze waarde minstens 0 is"),
        (
            {"valid_from": "2016-01-01", "valid_until": "2017-03-31", "scale": 19},
            "overlapt de rij die geldt vanaf 1 januari 2017",
        ),
        ({"step_3": "7000.00"}, "zonder gaten"),
        ({"reason": ""}, "Dit veld is verplicht"),
    ],
)
def test_bad_table_rows_get_a_dutch_message_and_save_nothing(abd_client, pay_tables, data, message):
    count = ScaleTable.objects.count()
    response = abd_client.post(reverse("salaries:table_create", args=["schaal"]), scale_row_data(**data))
    assert response.status_code == 200
    assert message in response.text
    assert ScaleTable.objects.count() == count


def test_staff_enter_the_scale_18_table_in_their_own_screen(abd_client, pay_tables):
    response = abd_client.post(
        reverse("salaries:table_create", args=["schaal"]),
        scale_row_data(valid_from="2030-01-01", close_previous="on"),
    )
    assert response.status_code == 302
    row = ScaleTable.objects.get(scale=18, valid_from=date(2030, 1, 1))
    assert row.amounts == [Decimal("6100.00"), Decimal("6300.00")]
    assert ScaleTable.objects.get(scale=18, valid_from=date(2024, 7, 1)).valid_until == date(2030, 1, 1)


def test_pay_page_shows_every_figure_with_its_table_and_rule(abd_client, abd_user, dg):
    post_placement(abd_client, dg)
    url = reverse("salaries:member_pay", args=[dg.member.pk])
    response = abd_client.get(url, {"datum": "2024-05-01", "jaar": "2024"})
    assert "€\u00a09.024,04" in response.text and "Afgeleid" in response.text and "1,5%" in response.text
    assert "€\u00a0541,36" in response.text and "ARAR 68a" in response.text
    assert "WNT 2.3" in response.text and "Individueel toepasselijk maximum" in response.text
    assert abd_client.get(url, {"datum": "geen-datum"}).status_code == 400


def disclosure(client, year):
    response = client.get(reverse("salaries:wnt_export", args=[year, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return rows[0], dict(zip(rows[0], rows[1], strict=True))


def test_wnt_disclosure_export_has_the_publication_fields(abd_client, abd_user, dg):
    from salaries import services

    post_placement(abd_client, dg)
    header, row = disclosure(abd_client, 2024)
    assert header[:4] == ["naam", "functie", "aanvang_dienstverband_in_jaar", "einde_dienstverband_in_jaar"]
    assert row["naam"] == dg.member.full_name
    assert row["individueel_toepasselijk_bezoldigingsmaximum"] == "233000.00"
    assert row["omvang_fte"] == "1.00"
    # Nothing from the salary administration yet: no pension of 0 is published, the year is marked.
    assert row["beloningen_betaalbaar_op_termijn"] == "" and row["totale_bezoldiging"] == ""
    assert "onvolledig: niet opgegeven door de salarisadministratie" in row["opmerking"]
    assert "pensioen" in row["opmerking"]

    services.wnt_entry_save(
        user=abd_user,
        member=dg.member,
        year=2024,
        expected_version=0,
        reason="salarisadministratie",
        other_reward=Decimal("17000.00"),
        taxable_expense_allowances=Decimal("0"),  # confirmed nil
        pension_employer_share=Decimal("21000.00"),
    )
    _, row = disclosure(abd_client, 2024)
    computed = 6 * Decimal("9024.04") + 6 * Decimal("9841.08")
    assert row["beloning_plus_belastbare_onkostenvergoedingen"] == str(computed + Decimal("17000.00"))
    assert row["beloningen_betaalbaar_op_termijn"] == "21000.00"
    assert row["totale_bezoldiging"] == str(computed + Decimal("38000.00"))
    assert row["opmerking"] == ""


def test_dashboard_has_a_wnt_section(abd_client, dg):
    response = abd_client.get(reverse("appointments:dashboard"))
    assert 'id="wnt-heading"' in response.text
    for maximum in WntMaximum.objects.all():
        maximum.delete()
    response = abd_client.get(reverse("appointments:dashboard"))
    assert "geen WNT-maximum ingevoerd" in response.text


def test_office_sees_the_pay_of_its_own_ministry_only(office_x, office_y, abd_client, dg):
    post_placement(abd_client, dg)
    url = reverse("salaries:member_pay", args=[dg.member.pk])
    for office, status in ((office_x, 200), (office_y, 404)):
        client = Client()
        client.force_login(office)
        assert client.get(url).status_code == status


def test_the_placement_form_proposes_the_held_appointment_its_start_and_the_scale_of_its_group(
    abd_client, dg
):
    page = abd_client.get(reverse("salaries:placement_create", args=[dg.member.pk])).text
    assert f'<option value="{dg.pk}" selected>' in page
    assert 'name="valid_from" value="2023-03-01"' in page
    assert "(groep A), betaald uit schaal 19 [Regeling art. 1; BBRA 4-5]" in page


def in_search_period(abd_user, ministry_x, *, step_from_june=None):
    """A member in function from 1 June 2019 on step 0 (step 1 from 1 June 2026 if asked), whose term
    has ended and whose search period has started; with the URL of the shortening form."""
    from appointments import services as dossier_services
    from salaries import services

    appointment = AppointmentFactory(
        in_function=True,
        start_date=date(2019, 6, 1),
        function=FunctionFactory(ministry=ministry_x, group="A"),
    )
    for valid_from, step, kind in (
        (date(2019, 6, 1), 0, "placement"),
        (date(2026, 6, 1), step_from_june, "increase"),
    ):
        if step is not None:
            services.placement_create(
                user=abd_user,
                member=appointment.member,
                appointment=appointment,
                valid_from=valid_from,
                step=step,
                kind=kind,
            )
    appointment = dossier_services.appointment_end(user=abd_user, appointment=appointment)
    dossier_services.search_period_start(user=abd_user, appointment=appointment)
    return appointment, reverse(
        "appointments:appointment_action", args=[appointment.pk, "zoektermijn-verkorten"]
    )


def shorten(client, appointment, url, monthly_income, reason):
    return client.post(
        url,
        {
            "requested_on": "2026-06-10",
            "monthly_income": monthly_income,
            "reason": reason,
            "version": appointment.version + 1,
        },
    )


@pytest.mark.today(date(2026, 6, 15))
def test_the_shortening_form_its_kb_and_the_pay_page_show_the_same_monthly_amount(
    abd_client, abd_user, pay_tables, ministry_x
):
    """The monthly income is the pay in force on the day of the request (it took a part month mixing
    two steps), and the KB prints it beside the payment that is six times it."""
    from appointments.kb import kb_text, render_html

    appointment, url = in_search_period(abd_user, ministry_x, step_from_june=1)
    page = abd_client.get(url).text
    assert 'name="monthly_income" value="10133.92"' in page  # step 1 of 1 July 2024, in force today
    assert "bezoldiging die geldt op 15 juni 2026" in page
    pay_page = abd_client.get(
        reverse("salaries:member_pay", args=[appointment.member.pk]), {"datum": "2026-06-10"}
    )
    assert "€\u00a010.133,92" in pay_page.text

    response = shorten(abd_client, appointment, url, "10133.92", "Verzoek")
    assert response.status_code == 302, response.text
    period = appointment.search_period.__class__.objects.get(appointment=appointment)
    assert (period.monthly_income, period.shortening_payment) == (Decimal("10133.92"), Decimal("60803.52"))
    appointment.refresh_from_db()
    html = render_html(kb_text(appointment, "ending"), for_pdf=True)
    assert "een uitkering van €\u00a060.803,52, zijnde 6 maal het maandinkomen van €\u00a010.133,92" in html


@pytest.mark.today(date(2026, 6, 15))
def test_a_corrected_monthly_income_is_recorded_with_the_reason(abd_client, abd_user, pay_tables, ministry_x):
    appointment, url = in_search_period(abd_user, ministry_x)
    response = shorten(abd_client, appointment, url, "9999.99", "Vakantietoeslag meegeteld")
    assert response.status_code == 302, response.text
    period = appointment.search_period.__class__.objects.get(appointment=appointment)
    assert period.shortening_payment == Decimal("59999.94")
    reason = period.history.latest().history_change_reason
    assert reason.startswith("Vakantietoeslag meegeteld (maandinkomen gecorrigeerd: bezoldiging in werking €")
