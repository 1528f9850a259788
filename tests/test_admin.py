"""The admin obeys the same rules as the app: a reason on every write, access changes in one timeline,
no deletes, version raised on save, and no way around a service's checks."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from appointments import services
from appointments.models import Appointment, Member
from tests.factories import AppointmentFactory, MemberFactory, UserFactory, abd_staff_user
from tmgportal import roles
from tmgportal.history import EditConflict

pytestmark = pytest.mark.django_db


def user_form(user, **overrides):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "groups": [],
        "user_permissions": [],
    }
    return data | overrides


def test_giving_a_user_abd_staff_access_needs_a_reason_and_shows_in_the_access_history(
    admin_client, admin_user
):
    newcomer = UserFactory(username="nieuwkomer")
    abd_group, _ = Group.objects.get_or_create(name=roles.ABD_STAFF_GROUP)
    url = reverse("admin:auth_user_change", args=[newcomer.pk])
    refused = admin_client.post(url, user_form(newcomer, groups=[abd_group.pk]))
    assert refused.status_code == 200 and "Dit veld is verplicht" in refused.text
    assert not newcomer.groups.exists()
    admin_client.post(
        url, user_form(newcomer, groups=[abd_group.pk], change_reason="Start bij team ABD, ticket 42")
    )
    assert list(newcomer.groups.all()) == [abd_group]
    latest = newcomer.history.latest()
    assert (
        latest.history_user == admin_user and latest.history_change_reason == "Start bij team ABD, ticket 42"
    )
    timeline = admin_client.get(reverse("access_history")).text
    assert "Groepen: — → ABD-medewerkers" in timeline and "Start bij team ABD, ticket 42" in timeline


def test_access_history_is_for_the_administrator_only(abd_client):
    assert abd_client.get(reverse("access_history")).status_code == 403


def test_users_and_groups_cannot_be_deleted_in_the_admin(admin_client):
    user = UserFactory(username="blijft")
    group, _ = Group.objects.get_or_create(name=roles.ABD_STAFF_GROUP)
    assert (
        admin_client.post(reverse("admin:auth_user_delete", args=[user.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert (
        admin_client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert type(user).objects.filter(pk=user.pk).exists() and Group.objects.filter(pk=group.pk).exists()


def test_an_admin_save_raises_the_version_so_a_stale_app_form_meets_a_conflict(admin_client, abd_user):
    member = MemberFactory(surname="Versieproef")
    opened_in_app = member.version
    url = reverse("admin:appointments_member_change", args=[member.pk])
    data = {
        "surname": "Versieproef-Admin",
        "prefix": "",
        "initials": member.initials,
        "first_name": "",
        "date_of_birth": member.date_of_birth.isoformat(),
        "abd_member_since": "",
        "email": "",
        "phone": "",
        "change_reason": "Spelling",
    }
    assert admin_client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert member.version == opened_in_app + 1
    with pytest.raises(EditConflict):
        services.member_update(
            user=abd_user, member=member, expected_version=opened_in_app, surname="Overschreven", reason="app"
        )
    assert Member.objects.get(pk=member.pk).surname == "Versieproef-Admin"


def test_no_admin_write_can_bypass_the_dossier_services(admin_client):
    appointment = AppointmentFactory(in_function=True, start_date=date(2022, 1, 1))
    change = reverse("admin:appointments_appointment_change", args=[appointment.pk])
    page = admin_client.get(change)
    assert page.status_code == 200 and 'name="status"' not in page.text  # shown, not editable
    attempt = {
        "member": appointment.member_id,
        "function": appointment.function_id,
        "status": "employment_ended",
        "start_date": "2022-01-01",
        "term_end": "2040-01-01",
        "start_in_function": "2022-01-01",
        "change_reason": "poging",
    }
    assert admin_client.post(change, attempt).status_code == 403
    assert admin_client.post(reverse("admin:appointments_appointment_add"), attempt).status_code == 403
    for name in ("extension", "searchperiod", "sideactivity", "termination"):
        assert admin_client.get(reverse(f"admin:appointments_{name}_add")).status_code == 403
    for name in ("placement", "wntyearentry", "scaletable", "wntmaximum", "allowancerate"):
        assert admin_client.get(reverse(f"admin:salaries_{name}_add")).status_code == 403
    appointment.refresh_from_db()
    assert (appointment.status, appointment.term_end, appointment.version) == (
        "in_function",
        date(2029, 1, 1),
        1,
    )
    assert Appointment.objects.count() == 1


def test_a_staff_member_without_admin_rights_gets_no_admin(client):
    client.force_login(abd_staff_user("abd-zonder-admin"))
    assert client.get(reverse("admin:index")).status_code == 302  # to the admin login, not in
    assert Client().get(reverse("access_history")).status_code == 302


def test_setting_a_password_in_the_admin_needs_a_reason_and_keeps_the_password_out_of_history(
    admin_client, admin_user
):
    user = UserFactory(username="wachtwoord-kwijt")
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    new = {"password1": "een-nieuw-lang-wachtwoord-77", "password2": "een-nieuw-lang-wachtwoord-77"}
    refused = admin_client.post(url, new)
    assert refused.status_code == 200 and "Dit veld is verplicht" in refused.text
    assert admin_client.post(url, new | {"change_reason": "Wachtwoord vergeten, ticket 9"}).status_code == 302
    user.refresh_from_db()
    assert user.check_password("een-nieuw-lang-wachtwoord-77")
    latest = user.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        admin_user,
        "Wachtwoord vergeten, ticket 9",
    )
    assert not hasattr(latest, "password")
