"""Page parts kept in the shared cache (tmgportal.fragments) are never wrong: a change of the data
they show renews them at once, and a part is kept apart per scope, language and day."""

import re
from datetime import date

import pytest
import time_machine
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation

from appointments import services
from salaries.models import GeneralIncrease
from tests.factories import AppointmentFactory, FunctionFactory, MinistryFactory, abd_staff_user, office_user
from tmgportal import fragments, versions

pytestmark = pytest.mark.django_db


def report(user, member, organisation):
    return services.side_activity_report(
        user=user,
        member=member,
        organisation=organisation,
        role="bestuurslid",
        is_paid=False,
        start=date(2026, 1, 1),
        reported_on=date(2026, 2, 1),
    )


def test_the_start_page_shows_a_new_task_and_a_renamed_member_at_once(abd_client, abd_user, appointment_x):
    dashboard = reverse("appointments:dashboard")
    assert "Stichting Nieuw" not in abd_client.get(dashboard).text  # the work queue is now cached
    member = appointment_x.member
    report(abd_user, member, "Stichting Nieuw")
    assert "Stichting Nieuw" in abd_client.get(dashboard).text
    member.refresh_from_db()
    services.member_update(
        user=abd_user, member=member, expected_version=member.version, surname="Hernoemd", reason="Huwelijk"
    )
    page = abd_client.get(dashboard).text
    assert "Hernoemd" in page


def test_a_cached_part_is_kept_apart_per_scope_language_day_and_version(ministry_x, ministry_y):
    built = []

    def part(user, **extra):
        return fragments.cached(
            "test-part", user=user, stamps=(versions.WORK,), build=lambda: built.append(1) or len(built)
        )

    abd, other_abd = abd_staff_user("abd-een"), abd_staff_user("abd-twee")
    office_x, office_y = office_user(ministry_x), office_user(ministry_y)
    assert part(abd) == part(other_abd) == 1  # the same scope: built once
    assert len({part(office_x), part(office_y), part(abd)}) == 3  # each scope its own
    with translation.override("en"):
        assert part(abd) == 4
    with time_machine.travel(date(2026, 6, 16), tick=False):
        assert part(abd) == 5
    versions.renew(versions.WORK)
    assert part(abd) == 6 and part(abd) == 6


def test_an_office_never_gets_the_parts_of_abd_staff(abd_client, ministry_x, appointment_x):
    abd_client.get(reverse("appointments:dashboard"))  # ABD's parts are cached
    office = Client()
    office.force_login(office_user(ministry_x))
    page = office.get(reverse("appointments:dashboard")).text
    assert 'id="queue-heading"' not in page and 'id="wnt-heading"' not in page


def test_a_part_built_inside_a_change_that_rolled_back_is_never_served():
    built = []
    abd = abd_staff_user("abd-terug")

    def part():
        return fragments.cached(
            "test-rollback", user=abd, stamps=(versions.WORK,), build=lambda: built.append(1) or len(built)
        )

    assert part() == 1
    with transaction.atomic():
        versions.renew(versions.WORK)  # a change, not yet committed
        assert part() == 2  # this transaction sees its own change
        transaction.set_rollback(True)
    assert part() == 1  # the change is gone, and so is what was built from it


def test_the_history_page_shows_every_change_at_once(abd_client, abd_user, appointment_x):
    from salaries import services as pay_services
    from tests.pdfs import plain_pdf

    member = appointment_x.member
    url = reverse("appointments:member_history", args=[member.pk])
    assert "070 123 45 67" not in abd_client.get(url).text  # the timeline is now cached
    services.member_update(
        user=abd_user, member=member, expected_version=member.version, phone="070 123 45 67", reason="Nieuw"
    )
    assert "070 123 45 67" in abd_client.get(url).text
    services.document_upload(
        user=abd_user,
        member=member,
        appointment=appointment_x,
        kind="voordracht",
        title="Brief over de voordracht",
        content=plain_pdf("brief"),
        original_name="brief.pdf",
        reason="Ontvangen",
    )
    assert "Brief over de voordracht" in abd_client.get(url).text
    pay_services.wnt_entry_save(
        user=abd_user,
        member=member,
        year=2025,
        expected_version=0,
        reason="Salarisadministratie",
        excess_reason="Overgangsrecht uit de oude regeling",
    )
    assert "Overgangsrecht uit de oude regeling" in abd_client.get(url).text


def test_a_list_filter_form_follows_its_query_string_and_a_new_ministry(abd_client, ministry_x):
    members = reverse("appointments:member_list")
    assert 'value="A" selected' in abd_client.get(members, {"group": "A"}).text
    chosen_b = abd_client.get(members, {"group": "B"}).text
    assert 'value="B" selected' in chosen_b and 'value="A" selected' not in chosen_b
    refused = abd_client.get(members, {"group": "Z"})
    assert refused.status_code == 400 and "invalid-feedback" in refused.text
    assert "Ministerie van Nieuwe Zaken" not in abd_client.get(members).text
    MinistryFactory(name="Ministerie van Nieuwe Zaken", abbreviation="NZ")
    assert "Ministerie van Nieuwe Zaken" in abd_client.get(members).text


def test_the_tables_page_shows_an_edited_agreement_at_once(abd_client):
    increase = GeneralIncrease.objects.create(
        valid_from=date(2031, 1, 1),
        percentage=1,
        agreement="CAO Proef",
        source="proef",
        confidence="official",
    )
    tables = reverse("salaries:table_list")
    first = abd_client.get(tables).text
    assert "CAO Proef" in first and '<section aria-labelledby="scales-heading"' in first
    assert "CAO Proefakkoord" not in abd_client.get(tables).text
    increase.agreement = "CAO Proefakkoord"
    increase.save()
    assert "CAO Proefakkoord" in abd_client.get(tables).text


def test_a_kept_list_gives_each_user_the_csrf_token_of_their_own_session(abd_user, appointment_x):
    activity = report(abd_user, appointment_x.member, "Stichting Proef")
    services.side_activity_assess(
        user=abd_user,
        activity=activity,
        expected_version=activity.version,
        assessment="permitted",
        motivation="Geen strijdigheid",
        conditions="",
    )
    url = reverse("appointments:side_activity_list")
    pages = []
    for name in ("abd-een", "abd-twee"):
        client = Client(enforce_csrf_checks=True)
        client.force_login(abd_staff_user(name))
        page = client.get(url).text
        form = re.search(
            r'<form method="post" novalidate>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
            page,
        )
        assert form and fragments.CSRF_PLACEHOLDER not in page
        pages.append((client, form.group(1)))
    (_, first_token), (second, second_token) = pages
    assert first_token != second_token
    # The second user's form, served from the kept part, is accepted; the first user's token is not.
    publish = {"activities": [activity.pk], "reason": "publicatie"}
    assert second.post(url, publish | {"csrfmiddlewaretoken": first_token}).status_code == 403
    assert second.post(url, publish | {"csrfmiddlewaretoken": second_token}).status_code == 302


KEPT_PAGES = {
    "dashboard": lambda appointment: reverse("appointments:dashboard"),
    "forecast": lambda appointment: reverse("appointments:forecast"),
    "members": lambda appointment: reverse("appointments:member_list"),
    "side activities": lambda appointment: reverse("appointments:side_activity_list"),
    "dossier": lambda appointment: reverse("appointments:appointment_detail", args=[appointment.pk]),
    "member": lambda appointment: reverse("appointments:member_detail", args=[appointment.member.pk]),
    "pay": lambda appointment: reverse("salaries:member_pay", args=[appointment.member.pk]),
    "history": lambda appointment: reverse("appointments:member_history", args=[appointment.member.pk]),
}


@pytest.mark.parametrize("page", KEPT_PAGES)
@pytest.mark.today(date(2026, 6, 15))
def test_a_kept_page_shows_a_change_at_once_and_never_what_another_scope_sees(
    page, abd_client, abd_user, ministry_x, ministry_y
):
    """The term ends on 31 December 2026 (a deadline and a forecast movement); a side activity."""
    appointment = AppointmentFactory(
        in_function=True, start_date=date(2020, 1, 1), function=FunctionFactory(ministry=ministry_x)
    )
    member = appointment.member
    report(abd_user, member, "Stichting Proef")
    office = Client()
    office.force_login(office_user(ministry_y))  # before the pages are kept: a new user renews the work
    url = KEPT_PAGES[page](appointment)
    assert member.surname in main(abd_client.get(url))
    abd_client.get(url)  # kept now
    response = office.get(url)
    assert response.status_code in (200, 404), response.status_code
    assert member.surname not in main(response)

    services.member_update(
        user=abd_user, member=member, expected_version=member.version, surname="Hernoemd", reason="Huwelijk"
    )
    assert "Hernoemd" in main(abd_client.get(url))


def main(response) -> str:
    """The page below the menu: what a kept part holds (the title and menu are rendered anew)."""
    return response.text.partition('<main id="main"')[2]


def test_a_restore_or_a_migration_leaves_nothing_kept_from_the_data_before(tmp_path):
    from django.core.management import CommandError, call_command
    from django.db.models.signals import post_migrate

    from appointments import register

    def readings():
        return versions.stamp(versions.WORK), versions.stamp(versions.PAY), register.version()

    before = readings()
    with pytest.raises(CommandError):  # even a restore that fails may have written data
        call_command("restore", str(tmp_path / "geen-backup.dump"))
    after_restore = readings()
    assert all(old != new for old, new in zip(before, after_restore, strict=True))
    post_migrate.send(sender=apps.get_app_config("tmgportal"), app_config=apps.get_app_config("tmgportal"))
    assert all(old != new for old, new in zip(after_restore, readings(), strict=True))
