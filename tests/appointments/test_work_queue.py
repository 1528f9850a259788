"""The work queue: each role's start page lists exactly what waits for it, each row leads
to the form that resolves it, and resolving it removes the row and lowers the count in the menu."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from appointments import services, workqueue
from appointments.models import Appointment
from tests.factories import (
    AppointmentFactory,
    FunctionFactory,
    MinistryFactory,
    UserFactory,
    approved_extension,
    office_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 11, 23))]

BADGE = re.compile(r'<span class="badge text-bg-warning">(\d+)<span class="visually-hidden"> wachten op u')


def _proposed(abd_user, ministry):
    """An extension proposed for a DG of `ministry` in function since 2021."""
    return services.extension_propose(
        user=abd_user,
        appointment=AppointmentFactory(
            in_function=True, start_date=date(2021, 1, 1), function=FunctionFactory(ministry=ministry)
        ),
        reason_code="continuity",
        motivation="Continuïteit",
        proposed_end=date(2030, 1, 1),
    )


@pytest.fixture
def waiting_work(abd_user, office_x, ministry_x, ministry_y):
    """One item of every kind ABD staff can resolve, and one proposal per office."""
    activity = services.side_activity_report(
        user=abd_user,
        member=AppointmentFactory(in_function=True, start_date=date(2024, 1, 1)).member,
        organisation="Stichting Wachtrij",
        role="bestuurslid",
        is_paid=False,
        hours_per_month=Decimal(2),
        start=date(2026, 10, 1),
        reported_on=date(2026, 10, 1),
        reason="melding",
    )
    proposed, proposed_y = (_proposed(abd_user, ministry) for ministry in (ministry_x, ministry_y))
    approved = approved_extension(
        AppointmentFactory(
            in_function=True, start_date=date(2020, 12, 1), function=FunctionFactory(ministry=ministry_x)
        ),
        proposer=abd_user,
        office=office_x,
        proposed_end=date(2029, 12, 1),
    )
    agreed = AppointmentFactory(
        status=Appointment.Status.COUNCIL_AGREED, start_date=date(2027, 1, 1), council_date=date(2026, 11, 1)
    )
    expired = AppointmentFactory(in_function=True, start_date=date(2019, 11, 1))  # term ended 2026-11-01
    return {
        "assess": activity,
        "office": proposed,
        "decide_y": proposed_y,
        "kb_extension": approved,
        "kb_record": agreed,
        "term_end": expired,
    }


def _sections(user):
    return {section.key: section for section in workqueue.queue(user)}


def test_abd_staff_see_exactly_what_waits_and_each_row_opens_its_form(abd_client, abd_user, waiting_work):
    sections = _sections(abd_user)
    totals = {key: section.total for key, section in sections.items() if section.total}
    # The expired term also never had its 5-year conversation; the dossiers with an extension need none.
    assert totals == {
        "assess": 1,
        "office": 2,
        "kb_extension": 1,
        "kb_record": 1,
        "term_end": 1,
        "conversation": 1,
    }
    for key in ("assess", "kb_extension", "kb_record", "term_end", "conversation"):
        (task,) = sections[key].tasks
        form = abd_client.get(task.url)
        assert form.status_code == 200 and "<form" in form.text, key
    assert sections["office"].tasks[0].age_days == 0  # proposed today
    page = abd_client.get(reverse("appointments:dashboard")).text
    assert "Wacht op u" in page and "Stichting Wachtrij" in page
    assert BADGE.search(page).group(1) == "5"  # the office's proposals are not ABD's work


def test_resolving_a_row_removes_it_and_lowers_the_count(abd_client, abd_user, waiting_work):
    activity = waiting_work["assess"]
    services.side_activity_assess(
        user=abd_user,
        activity=activity,
        expected_version=activity.version,
        assessment="permitted",
        motivation="Geen strijdigheid.",
    )
    services.appointment_end(user=abd_user, appointment=waiting_work["term_end"])
    sections = _sections(abd_user)
    assert sections["assess"].total == 0 and sections["term_end"].total == 0
    assert BADGE.search(abd_client.get(reverse("appointments:dashboard")).text).group(1) == "2"
    assert workqueue.waiting(abd_user) == 2


def test_an_office_sees_only_the_proposals_of_its_own_ministry(office_x, waiting_work):
    # The count is kept per scope: the office of X counts its proposal, one with none (asked after) not.
    office_z = office_user(MinistryFactory(name="Ministerie van Proefzaken Z", abbreviation="PZZ"))
    assert (workqueue.waiting(office_x), workqueue.waiting(office_z)) == (1, 0)
    (section,) = workqueue.queue(office_x)
    assert section.total == 1
    (task,) = section.tasks
    assert task.url == reverse("appointments:extension_decide", args=[waiting_work["office"].pk])
    client = Client()
    client.force_login(office_x)
    inbox = client.get(reverse("appointments:extension_inbox")).text
    assert BADGE.search(inbox).group(1) == "1"
    services.extension_decide(user=office_x, extension=waiting_work["office"], approve=False, remarks="Nee")
    assert workqueue.waiting(office_x) == 0
    assert not BADGE.search(client.get(reverse("appointments:extension_inbox")).text)


def test_a_user_without_a_role_has_no_queue(db, waiting_work):
    assert workqueue.queue(AnonymousUser()) == []
    assert workqueue.waiting(UserFactory(username="zonder-rol")) == 0


def test_a_rejection_waits_for_abd_and_the_menu_counts_what_waits_for_you(
    abd_client, abd_user, office_x, waiting_work
):
    before = workqueue.waiting(abd_user)
    rejected = waiting_work["office"]
    services.extension_decide(user=office_x, extension=rejected, approve=False, remarks="Liever niet")
    sections = _sections(abd_user)
    (task,) = sections["rejected"].tasks
    assert task.url == reverse("appointments:appointment_detail", args=[rejected.appointment_id])
    assert workqueue.waiting(abd_user) == before + 1
    page = abd_client.get(reverse("appointments:dashboard")).text
    menu = int(BADGE.search(page).group(1))
    mine = page.split('id="queue-heading"')[1].split("</section>")[0]
    assert f'<span class="badge text-bg-warning">{menu}</span>' in mine  # the same number
    assert "wachten op het besluit van het bewindspersoonbureau" not in mine  # the office's work
    assert 'id="queue-others-heading"' in page
    # The next step taken (the term ended), the rejection has been dealt with.
    services.appointment_end(user=abd_user, appointment=rejected.appointment)
    assert _sections(abd_user)["rejected"].total == 0


def test_a_kb_blocked_by_another_dossier_leads_to_the_dossier_not_to_a_dead_end(abd_user, abd_client):
    function = FunctionFactory()
    AppointmentFactory(in_function=True, function=function, start_date=date(2024, 1, 1))
    blocked = AppointmentFactory(
        status=Appointment.Status.COUNCIL_AGREED,
        function=function,
        start_date=date(2027, 1, 1),
        council_date=date(2026, 11, 1),
    )
    (task,) = [t for t in _sections(abd_user)["kb_record"].tasks if t.url.endswith(f"/{blocked.pk}/")]
    assert task.action == "Los de overlap op"
    page = abd_client.get(task.url).text
    assert reverse("appointments:appointment_action", args=[blocked.pk, "intrekken"]) in page
