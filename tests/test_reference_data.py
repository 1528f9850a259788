"""An empty database migrates and takes all fixtures; loading twice changes nothing."""

import io
import re

import pytest
from django.core.management import call_command

from appointments.models import Function, Ministry
from tmgportal.history import historical_models

# The loaders and the demo write through the services, whatever the engine: PostgreSQL pass only.
pytestmark = [pytest.mark.django_db, pytest.mark.once]


def test_empty_database_loads_all_fixtures_and_records_history():
    call_command("load_reference_data")
    assert Ministry.objects.count() == 12
    sg = Function.objects.filter(title="secretaris-generaal")
    assert sg.count() == 12 and all(f.is_sg and f.group == "A" for f in sg)
    ind = Function.objects.get(organisation="Immigratie- en Naturalisatiedienst")
    assert (ind.group, ind.scale, ind.ministry.name) == ("B", 18, "Justitie en Veiligheid")
    assert ind.history.get().history_user.username == "systeem"
    assert ind.source.startswith("TMG-pagina van de ABD")


def test_loading_reference_data_twice_is_harmless():
    call_command("load_reference_data")
    counts = (Ministry.objects.count(), Function.objects.count())
    call_command("load_reference_data")
    assert (Ministry.objects.count(), Function.objects.count()) == counts


def test_reloading_after_staff_dated_a_table_adds_no_row_and_rewords_old_notes(db):
    from datetime import date

    from salaries import services
    from salaries.models import AllowanceRate, ScaleTable, WntMaximum
    from tmgportal.system import system_user

    call_command("load_reference_data")
    current = ScaleTable.objects.get(scale=19, valid_until__isnull=True)
    entered = ScaleTable(
        scale=19,
        valid_from=date(2027, 1, 1),
        source="CAO Rijk 2027 (ingevoerd)",
        **{f"step_{n}": amount + 1 for n, amount in enumerate(current.amounts)},
    )
    services.table_save(user=system_user(), row=entered, reason="CAO-verhoging", close_previous=True)
    old = WntMaximum.objects.get(year=2019)
    old.source = "Bezoldigingsmaximum 2019"  # as loaded before the sources were rewritten
    services.table_save(user=system_user(), row=old, reason="oude formulering", expected_version=old.version)
    counts = [model.objects.count() for model in (ScaleTable, AllowanceRate, WntMaximum, Function)]

    call_command("load_reference_data")

    assert [model.objects.count() for model in (ScaleTable, AllowanceRate, WntMaximum, Function)] == counts
    assert ScaleTable.objects.get(pk=entered.pk).valid_from == date(2027, 1, 1)
    assert ScaleTable.objects.get(pk=current.pk).valid_until == date(2027, 1, 1)
    wnt = WntMaximum.objects.get(year=2019)
    assert wnt.source == "Algemeen bezoldigingsmaximum 2019"
    assert "wnt-maxima.csv" in wnt.history.latest().history_change_reason


@pytest.mark.parametrize(
    "file",
    [
        "tmg-functions.csv",
        "general-increases.csv",
        "salary-scales.csv",
        "salary-excellence.csv",
        "allowance-rates.csv",
        "wnt-maxima.csv",
    ],
)
def test_sources_and_notes_are_written_for_abd_staff(file):
    """No file paths or English working notes in what staff read next to a figure; the CAO is
    cited one way."""
    from appointments.loaders import read_csv

    for row in read_csv(file):
        text = f"{row['source']} {row.get('note') or ''}"
        assert "shared/" not in text and ".csv" not in text
        for english in ("chapter", "paragraph", "confirmed", "applies to", "start date", "allowance", "says"):
            assert english not in text.lower(), (file, text)
        # The CAO is named by its chapter or paragraph, or an agreement by its years ("CAO Rijk 2024-2025").
        assert all(
            re.match(r" (hoofdstuk 17|paragraaf|\d{4})", rest) for rest in text.split("CAO Rijk")[1:]
        ), text


def test_duplicate_function_gets_a_dutch_message(abd_client):
    from django.urls import reverse

    call_command("load_reference_data")
    ministry = Ministry.objects.get(abbreviation="FIN")
    data = {"title": "thesaurier-generaal", "organisation": "", "ministry": ministry.pk, "group": "A"}
    response = abd_client.post(reverse("appointments:function_create"), data)
    assert response.status_code == 200
    assert "bestaat al" in response.text
    assert Function.objects.filter(title="thesaurier-generaal").count() == 1


def test_every_history_row_of_the_demo_names_its_author_and_reason(settings):
    settings.DEMO_MODE = True
    call_command("load_reference_data")
    call_command("load_demo_data", stdout=io.StringIO())
    without = {
        model.__name__: model.objects.filter(history_user__isnull=True).count()
        + model.objects.filter(history_change_reason__in=["", None]).count()
        for model in historical_models()
    }
    assert {name: count for name, count in without.items() if count} == {}
    assert sum(model.objects.count() for model in historical_models()) > 500


def test_loading_the_demo_again_changes_nothing_a_user_made(settings, abd_user):
    """A second `make run` added placements to a member created by hand."""
    from datetime import date

    from appointments import services
    from appointments.models import Appointment, Member
    from salaries.models import Placement
    from tests.factories import AppointmentFactory, FunctionFactory

    settings.DEMO_MODE = True
    call_command("load_reference_data")
    call_command("load_demo_data", stdout=io.StringIO())
    mine = services.member_create(
        user=abd_user, surname="Handgemaakt", initials="H.", date_of_birth=date(1970, 1, 1)
    )
    AppointmentFactory(
        in_function=True,
        member=mine,
        function=FunctionFactory(ministry=Ministry.objects.first()),
        start_date=date(2022, 1, 1),
    )
    counts = (Member.objects.count(), Placement.objects.count(), Appointment.objects.count())
    call_command("load_demo_data", stdout=io.StringIO())
    assert (Member.objects.count(), Placement.objects.count(), Appointment.objects.count()) == counts
    assert not Placement.objects.filter(member=mine).exists()
    assert not Member.objects.filter(surname__regex=r"\d").exists()  # plausible names, no "-2"
    # Something to look at: made KBs (one signed, with its scan) and documents; offices have addresses.
    from django.contrib.auth import get_user_model

    from appointments.models import Document, KBDocument

    assert KBDocument.objects.count() == 3 and KBDocument.objects.filter(signed_at__isnull=False).count() == 1
    assert Document.objects.filter(kind="signed_kb").count() == 1 and Document.objects.count() == 4
    assert get_user_model().objects.get(username="bureau-fin").email == "bureau-fin@voorbeeld.invalid"
