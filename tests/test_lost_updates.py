"""No silent overwrite: every edit form carries the version the user opened and the save refuses a
stale or missing one with a Dutch message, saving nothing. Found by the probe of every form: a
member edit posted without its version, a function edit (no version at all) and the first WNT entry
of a year each overwrote another user's save."""

from datetime import date

import pytest
from django.urls import reverse

from appointments.models import Function, Member
from salaries.models import AllowanceRate, WntYearEntry
from tests.factories import AppointmentFactory, FunctionFactory, MemberFactory
from tests.salaries.conftest import pay_tables  # noqa: F401  (the reference tables)

pytestmark = pytest.mark.django_db

STALE = "Iemand anders heeft dit gegeven gewijzigd"
MISSING = "mist de versie"


def form_fields(client, url) -> dict:
    """The fields of the page's form as the browser would send them (hidden version included)."""
    form = client.get(url).context["form"]
    fields = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        fields[name] = getattr(value, "pk", value)
    return fields


def test_a_member_edit_without_its_version_is_refused(abd_client):
    member = MemberFactory(phone="070 000 00 00")
    url = reverse("appointments:member_edit", args=[member.pk])
    fields = form_fields(abd_client, url) | {"phone": "070 111 11 11"}
    del fields["version"]
    refused = abd_client.post(url, fields)
    assert refused.status_code == 200 and MISSING in refused.text
    assert Member.objects.get(pk=member.pk).phone == "070 000 00 00"


def test_a_function_edit_opened_before_another_save_is_refused(abd_client, ministry_x, ministry_y):
    function = FunctionFactory(ministry=ministry_x)
    url = reverse("appointments:function_edit", args=[function.pk])
    first = form_fields(abd_client, url)
    second = dict(first)
    assert abd_client.post(url, first | {"ministry": ministry_y.pk}).status_code == 302
    refused = abd_client.post(url, second | {"note": "Alleen een notitie"})
    assert refused.status_code == 200 and STALE in refused.text
    function = Function.objects.get(pk=function.pk)
    assert function.ministry == ministry_y and function.note != "Alleen een notitie"
    assert function.version == 2
    without = abd_client.post(url, {k: v for k, v in second.items() if k != "version"})
    assert without.status_code == 200 and MISSING in without.text


@pytest.mark.usefixtures("pay_tables")
def test_the_first_wnt_entry_of_a_year_saved_by_two_users_keeps_the_first(abd_client):
    member = AppointmentFactory(in_function=True, start_date=date(2023, 3, 1)).member
    url = reverse("salaries:wnt_entry", args=[member.pk, 2025])
    first = form_fields(abd_client, url) | {"reason": "Opgave", "other_reward": "100.00"}
    second = dict(first) | {"other_reward": "200.00"}
    assert first["version"] == 0
    assert abd_client.post(url, first).status_code == 302
    refused = abd_client.post(url, second)
    assert refused.status_code == 200 and STALE in refused.text
    assert WntYearEntry.objects.get(member=member, year=2025).other_reward == 100
    without = abd_client.post(url, {k: v for k, v in second.items() if k != "version"})
    assert without.status_code == 200 and MISSING in without.text


@pytest.mark.usefixtures("pay_tables")
def test_a_table_row_edited_by_two_users_keeps_the_first(abd_client):
    row = AllowanceRate.objects.exclude(valid_from=None).first()
    url = reverse("salaries:table_edit", args=["toelage", row.pk])
    first = form_fields(abd_client, url) | {"reason": "Correctie bron"}
    second = dict(first)
    first["note"] = "eerste"
    second["note"] = "tweede"
    assert abd_client.post(url, first).status_code == 302
    refused = abd_client.post(url, second)
    assert refused.status_code == 200 and STALE in refused.text
    assert AllowanceRate.objects.get(pk=row.pk).note == "eerste"
