"""The volume generator: prototype careers walked through the services, copied in bulk
with their history; the copies must be indistinguishable from what the services write."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from appointments.models import Appointment, Extension, Function, Member, SearchPeriod, SideActivity
from salaries import figures
from salaries.models import PayMonth, PayYear, Placement
from tmgportal import volume
from tmgportal.system import system_user

pytestmark = pytest.mark.django_db

PROTOTYPES = len(volume.CAREERS)


@pytest.fixture
def volume_data(settings):
    settings.DEMO_MODE = True
    call_command("load_reference_data", stdout=io.StringIO())
    return volume.load_volume(members=60, years=10, user=system_user(), prototypes=PROTOTYPES)


def _prototype_of(member, prototypes):
    """The prototype a copy was made from: copies cycle through the prototypes in order."""
    copies = Member.objects.filter(pk__gt=prototypes[-1].pk).order_by("pk")
    index = list(copies.values_list("pk", flat=True)).index(member.pk)
    return prototypes[index % len(prototypes)]


def _history(member):
    """The reasons of the history rows of the member's file, per kind of record, in order."""
    rows = [("member", r.history_change_reason) for r in member.history.order_by("history_id")]
    for appointment in member.appointments.order_by("pk"):
        rows += [("appointment", r.history_change_reason) for r in appointment.history.order_by("history_id")]
    for placement in Placement.objects.filter(member=member).order_by("pk"):
        rows += [("placement", r.history_change_reason) for r in placement.history.order_by("history_id")]
    return rows


def test_the_generated_volume_is_what_the_services_would_write(volume_data, abd_client):
    """One test over one generated set (it takes seconds to make): every state is there, every copy
    has its prototype's records and history under its own name and functions, passes validation,
    and its stored pay equals a fresh computation."""
    assert volume_data == {"members": 60, "prototypes": PROTOTYPES, "copies": 60 - PROTOTYPES}
    assert Member.objects.count() == 60
    states = set(Appointment.objects.values_list("status", flat=True))
    assert {"concept", "proposed", "kb_signed", "in_function", "extended", "search_period"} <= states
    assert {"replaced", "employment_ended"} <= states
    assert Extension.objects.filter(status="proposed").exists()
    assert SearchPeriod.objects.filter(outcome="mutual_consent").exists()
    assert Placement.objects.filter(kind="increase").exists()
    assert SideActivity.objects.filter(member__surname__contains="-").exists()
    # One holder per function: no generated function is shared between members.
    shared = Function.objects.annotate(holders=Count("appointments__member", distinct=True)).filter(
        holders__gt=1
    )
    assert not shared.filter(organisation__startswith="Volume-").exists()
    assert max(Counter(Member.objects.values_list("surname", "initials")).values()) == 1

    generated = Member.objects.order_by("pk")
    prototypes = list(generated[:PROTOTYPES])
    for copy in generated[PROTOTYPES:]:
        prototype = _prototype_of(copy, prototypes)
        assert _history(copy) == _history(prototype)
        assert copy.history.first().surname == copy.surname != prototype.surname
        assert list(copy.appointments.values_list("status", "start_date", "term_end")) == list(
            prototype.appointments.values_list("status", "start_date", "term_end")
        )
        for appointment in copy.appointments.all():
            appointment.full_clean()  # the term and one holder per function hold for the copy too
            assert appointment.history.first().member_id == copy.pk

    assert PayMonth.objects.filter(member__in=generated[PROTOTYPES:]).exists() and PayYear.objects.exists()
    assert figures.rebuild(write=False) == []

    copy = Member.objects.filter(placements__isnull=False).order_by("-pk").first()
    for name in ("appointments:member_detail", "appointments:member_history", "salaries:member_pay"):
        page = abd_client.get(reverse(name, args=[copy.pk]))
        assert page.status_code == 200 and copy.full_name in page.text


def test_the_database_cut_of_the_deadlines_loses_none(volume_data):
    """The dashboard narrows the dossiers in the database before the rules run; on every first and
    last day of a month over three years the result equals the rules over all dossiers."""
    from datetime import date, timedelta

    from appointments import rules
    from appointments.deadlines import deadlines

    everything = list(Appointment.objects.prefetch_related("extensions", "conversations", "search_period"))
    for month in range(36):
        first = rules.add_months(date(2025, 1, 1), month)
        for today in (first, first - timedelta(days=1)):
            narrowed = deadlines(Appointment.objects.all(), today=today)
            assert [d.key for d in narrowed] == [d.key for d in deadlines(everything, today=today)]
