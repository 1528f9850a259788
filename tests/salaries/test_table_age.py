"""Figures with their age: an amount from a table unchanged for more than 12 months says
so where it is used, a KB with it needs a recorded check, and the start page lists the state of
every table. Nothing is filled in: a missing figure stays missing, in Dutch."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from appointments import services as dossier_services
from appointments.models import KBDocument
from salaries import rules
from salaries.models import WntMaximum
from tests.factories import AppointmentFactory, FunctionFactory
from tmgportal.system import system_user

from .conftest import new_scale_19_from
from .test_pay import place

pytestmark = pytest.mark.django_db

STALE = "bedrag uit de tabel van 1 juli 2024 — controleer of nieuwe bedragen gelden"
STALE_2017 = "bedrag uit de tabel van 1 januari 2017 — controleer of nieuwe bedragen gelden"


@pytest.mark.parametrize(
    ("valid_until", "on", "outdated"),
    [
        (None, date(2018, 1, 1), False),  # exactly 12 months later
        (None, date(2018, 1, 2), True),
        (date(2030, 1, 1), date(2026, 6, 15), False),  # a row with a known end is current to it
    ],
)
def test_an_open_ended_row_older_than_twelve_months_may_be_outdated(valid_until, on, outdated):
    assert rules.may_be_outdated(valid_from=date(2017, 1, 1), valid_until=valid_until, on=on) is outdated


@pytest.fixture
def dg(pay_tables, ministry_x, abd_user):
    appointment = AppointmentFactory(
        in_function=True,
        start_date=date(2026, 1, 1),
        proposal_date=date(2025, 10, 1),
        proposal_reference="2025-0000042",
        function=FunctionFactory(ministry=ministry_x, group="A", title="secretaris-generaal", is_sg=True),
    )
    place(abd_user, appointment)
    return appointment


def test_pay_page_and_member_page_name_the_age_of_the_table(abd_client, dg):
    pay_page = abd_client.get(reverse("salaries:member_pay", args=[dg.member.pk])).text
    assert f"salaristabel schaal 19: {STALE}" in pay_page
    # The representation allowance of 2017 is older still; the SG percentage is the law's, not indexed.
    assert f"representatievergoeding, TMG-lid (per maand): {STALE_2017}" in pay_page
    assert "SG-toelage" in pay_page and "SG-toelage (percentage van het salaris): bedrag uit" not in pay_page
    member_page = abd_client.get(reverse("appointments:member_detail", args=[dg.member.pk])).text
    assert STALE in member_page
    # In its first year the same table was new.
    in_2025 = abd_client.get(
        reverse("salaries:member_pay", args=[dg.member.pk]), {"datum": "2025-06-01"}
    ).text
    assert STALE not in in_2025.split("WNT")[0]


def test_a_newly_dated_table_ends_the_warning(abd_client, abd_user, dg):
    new_scale_19_from(abd_user, date(2026, 1, 1))
    pay_page = abd_client.get(reverse("salaries:member_pay", args=[dg.member.pk])).text
    assert f"salaristabel schaal 19: {STALE}" not in pay_page


def test_wnt_pages_say_the_maximum_is_missing_in_dutch_and_name_old_tables(abd_client, dg):
    overview = abd_client.get(reverse("salaries:wnt_overview"), {"jaar": 2026}).text
    assert STALE in overview
    pay_page = abd_client.get(reverse("salaries:member_pay", args=[dg.member.pk]), {"jaar": 2027}).text
    assert "Geen WNT-maximum voor 2027" in pay_page
    assert "No WNT maximum" not in pay_page and "No table" not in pay_page


def test_missing_scale_amounts_are_named_in_dutch(abd_user, ministry_x):
    from salaries.loaders import load_pay_tables

    load_pay_tables(user=system_user())
    appointment = AppointmentFactory(
        in_function=True,
        start_date=date(2024, 1, 1),
        function=FunctionFactory(ministry=ministry_x, group="B"),
    )
    with pytest.raises(ValidationError) as refused:
        place(abd_user, appointment)  # scale 18 has no amounts before 1 July 2024 in any source
    assert "geen bedragen van schaal 18" in " ".join(refused.value.messages)


def test_making_a_kb_final_with_an_old_amount_needs_a_recorded_check(abd_client, abd_user, dg):
    preview = abd_client.get(reverse("appointments:kb_preview", args=[dg.pk, "appointment"])).text
    assert "controleer: bedrag uit de salaristabel schaal 19 van 1 juli 2024" in preview
    detail = abd_client.get(reverse("appointments:appointment_detail", args=[dg.pk])).text
    assert 'name="bedrag_gecontroleerd"' in detail

    with pytest.raises(ValidationError) as refused:
        dossier_services.kb_generate(user=abd_user, appointment=dg, kind="appointment")
    assert "salaristabel schaal 19 van 1 juli 2024" in refused.value.messages[0]
    response = abd_client.post(reverse("appointments:kb_generate", args=[dg.pk, "appointment"]))
    assert not KBDocument.objects.exists()
    assert "bevestig dat het nog geldt" in abd_client.get(response.url).text

    abd_client.post(
        reverse("appointments:kb_generate", args=[dg.pk, "appointment"]), {"bedrag_gecontroleerd": "1"}
    )
    document = KBDocument.objects.get()
    assert "geldt nog" in document.amount_check and abd_user.get_full_name() in document.amount_check
    assert document.amount_check in document.history.latest().history_change_reason
    # The check is a screen matter: the decree itself carries no bracketed note.
    assert "controleer" not in kb_pdf_text(document)


def kb_pdf_text(document) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(document.pdf_bytes())).pages)


def test_the_start_page_shows_the_state_of_every_table(abd_client):
    from salaries.loaders import load_pay_tables

    load_pay_tables(user=system_user())
    page = abd_client.get(reverse("appointments:dashboard")).text
    section = page.split('id="reference-heading"')[1].split("</section>")[0]
    assert "Referentiegegevens" in page
    assert "Salarisschaal 19" in section and "ongewijzigd sinds 1 juli 2024" in section
    assert "zonder ingangsdatum" not in section.split("Salarisschaal 18")[0]
    # 2025 and 2026 are known from secondary sources only: said until staff confirm them.
    assert "2025, 2026 alleen uit secundaire bronnen" in section
    scale_18 = section.split("Salarisschaal 18")[1].split("</tr>")[0]
    assert "ongewijzigd sinds 1 juli 2024" in scale_18
    assert "Excellentiebedragen schaal 18" in section
    assert set(WntMaximum.objects.filter(confidence="secondary").values_list("year", flat=True)) == {
        2025,
        2026,
    }


def test_office_start_page_has_no_reference_status(office_x_client):
    page = office_x_client.get(reverse("home"), follow=True).text
    assert "Referentiegegevens" not in page
