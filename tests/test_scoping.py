"""The one scoping rule [tmgportal.roles]: a file belongs to the ministry of the member's
held appointment (KB signed or later); a concept or proposal elsewhere shows that ministry's office
the proposal's own dossier and nothing else of the file."""

import io
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from appointments import rules, services
from appointments.models import Appointment
from tests.content import text_of
from tests.factories import AppointmentFactory, FunctionFactory, MemberFactory

pytestmark = pytest.mark.django_db

# A surname that appears nowhere else, so "not in the page" cannot pass by accident of wording.
SURNAME = "Zwerfkeiënberg"


@pytest.fixture
def member_at_x(ministry_x, abd_user):
    """A member in function at ministry X since 2022, with a side activity."""
    member = MemberFactory(surname=SURNAME)
    appointment = AppointmentFactory(
        member=member,
        in_function=True,
        function=FunctionFactory(ministry=ministry_x, title="directeur-generaal Kiezelbeleid"),
        start_date=date(2022, 1, 1),
    )
    services.side_activity_report(
        user=abd_user,
        member=member,
        organisation="Stichting Kiezelsteen",
        role="voorzitter",
        is_paid=False,
        start=date(2023, 1, 1),
        reported_on=date(2023, 1, 1),
    )
    return appointment


@pytest.fixture
def concept_at_y(member_at_x, ministry_y, abd_user):
    """ABD drafts a concept appointment at ministry Y for the member of X (the reported leak)."""
    return services.appointment_create(
        user=abd_user,
        member=member_at_x.member,
        function=FunctionFactory(ministry=ministry_y),
        start_date=date(2027, 3, 1),
    )


def file_urls(member):
    activity = member.side_activities.get()
    return [
        reverse("appointments:member_detail", args=[member.pk]),
        reverse("appointments:member_history", args=[member.pk]),
        reverse("salaries:member_pay", args=[member.pk]),
        reverse("appointments:side_activity_detail", args=[activity.pk]),
    ]


def list_urls():
    return [
        reverse("appointments:member_list"),
        reverse("appointments:member_export", args=["csv"]),
        reverse("appointments:side_activity_list"),
        reverse("appointments:dashboard"),
        reverse("appointments:dashboard_export", args=["csv"]),
        reverse("appointments:dashboard_export", args=["xlsx"]),
        reverse("appointments:extension_inbox"),
        reverse("appointments:forecast"),
        reverse("appointments:forecast_export", args=["csv"]),
        reverse("appointments:search") + "?q=Zwerf",  # a part: the page repeats the query
    ]


def sees_file(client, member) -> bool:
    codes = {client.get(url).status_code for url in file_urls(member)}
    assert len(codes) == 1, f"the file is partly visible: {codes}"
    return codes == {200}


def named_in_lists(client) -> bool:
    return any(SURNAME in text_of(client.get(url)) for url in list_urls())


def browser(user) -> Client:
    """A browser logged in now (sessions expire, so log in after travelling in time)."""
    client = Client()
    client.force_login(user)
    return client


def test_a_concept_at_another_ministry_does_not_move_the_file(
    concept_at_y, member_at_x, office_x_client, client, office_y
):
    member = member_at_x.member
    assert sees_file(office_x_client, member)
    assert named_in_lists(office_x_client)
    client.force_login(office_y)
    assert not sees_file(client, member)
    assert not named_in_lists(client)


def test_the_proposed_ministry_sees_the_proposal_dossier_and_nothing_else(
    concept_at_y, member_at_x, client, office_y
):
    client.force_login(office_y)
    response = client.get(reverse("appointments:appointment_detail", args=[concept_at_y.pk]))
    assert response.status_code == 200
    assert reverse("appointments:member_detail", args=[member_at_x.member.pk]) not in response.text
    assert client.get(reverse("appointments:appointment_detail", args=[member_at_x.pk])).status_code == 404


def test_a_dossier_only_page_names_nothing_of_the_other_function(
    concept_at_y, member_at_x, client, office_y, abd_user
):
    """The occupancy warning on the proposal's dossier named the member's function and term at the
    other ministry: every message on a dossier-only page passes the scoping rule."""
    client.force_login(office_y)
    page = text_of(client.get(reverse("appointments:appointment_detail", args=[concept_at_y.pk])))
    assert "overlappen met een andere benoeming" in page  # the conflict is still said
    assert member_at_x.function.title not in page
    assert member_at_x.function.ministry.name not in page
    staff_page = text_of(
        browser(abd_user).get(reverse("appointments:appointment_detail", args=[concept_at_y.pk]))
    )
    assert member_at_x.function.title in staff_page  # ABD staff are told which


def test_the_holding_ministry_sees_the_proposal_in_its_members_file(concept_at_y, office_x_client):
    assert (
        office_x_client.get(reverse("appointments:appointment_detail", args=[concept_at_y.pk])).status_code
        == 200
    )


def _move_to_y(appointment_x, concept_y, user):
    """The term at X ends, the search period runs, and the KB for the function at Y is signed."""
    services.appointment_end(user=user, appointment=appointment_x)
    services.search_period_start(user=user, appointment=appointment_x)
    services.appointment_propose(user=user, appointment=concept_y, proposal_date=date(2029, 1, 10))
    services.appointment_record_council(user=user, appointment=concept_y, council_date=date(2029, 1, 20))
    services.appointment_record_kb(
        user=user, appointment=concept_y, kb_date=date(2029, 1, 25), kb_number="KB-Y-1"
    )


def test_a_member_moving_between_ministries_before_during_and_after(
    member_at_x, ministry_y, abd_user, office_x, office_y
):
    member = member_at_x.member
    with time_machine.travel(date(2028, 6, 1), tick=False):
        concept_y = services.appointment_create(
            user=abd_user,
            member=member,
            function=FunctionFactory(ministry=ministry_y),
            start_date=date(2029, 3, 1),
        )
        x, y = browser(office_x), browser(office_y)
        # Before: X holds the file; Y sees its proposal only.
        assert sees_file(x, member) and not sees_file(y, member)
        assert y.get(reverse("appointments:appointment_detail", args=[concept_y.pk])).status_code == 200
    with time_machine.travel(date(2029, 2, 1), tick=False):
        _move_to_y(member_at_x, concept_y, abd_user)
        x, y = browser(office_x), browser(office_y)
        # During: the KB at Y is signed but its start lies ahead; X's held appointment (now in the
        # search period) still decides.
        assert Appointment.objects.get(pk=concept_y.pk).status == "kb_signed"
        assert sees_file(x, member) and not sees_file(y, member)
        assert named_in_lists(x) and not named_in_lists(y)
    with time_machine.travel(date(2029, 3, 1), tick=False):
        x, y = browser(office_x), browser(office_y)
        # After: the function at Y has started; the file is Y's, X sees nothing of it any more.
        assert sees_file(y, member) and not sees_file(x, member)
        assert named_in_lists(y) and not named_in_lists(x)
        assert x.get(reverse("appointments:appointment_detail", args=[member_at_x.pk])).status_code == 404


@time_machine.travel(date(2030, 6, 1), tick=False)
def test_during_the_search_period_the_file_stays_with_the_last_held_ministry(
    ministry_x, abd_user, office_x, office_y
):
    appointment = AppointmentFactory(
        member=MemberFactory(surname=SURNAME),
        in_function=True,
        function=FunctionFactory(ministry=ministry_x),
        start_date=date(2022, 1, 1),
    )
    services.appointment_end(user=abd_user, appointment=appointment)
    services.search_period_start(user=abd_user, appointment=appointment)
    url = reverse("appointments:member_detail", args=[appointment.member.pk])
    assert browser(office_x).get(url).status_code == 200
    assert browser(office_y).get(url).status_code == 404


def test_a_member_with_only_a_concept_belongs_to_no_office(ministry_x, abd_user, office_x_client):
    member = MemberFactory(surname=SURNAME)
    concept = AppointmentFactory(member=member, function=FunctionFactory(ministry=ministry_x))
    assert office_x_client.get(reverse("appointments:member_detail", args=[member.pk])).status_code == 404
    assert (
        office_x_client.get(reverse("appointments:appointment_detail", args=[concept.pk])).status_code == 200
    )
    assert SURNAME not in office_x_client.get(reverse("appointments:member_list")).text


# -- Every channel that carries a member ----------------------------------------------------------

# The member at X started on 2022-01-01: the term end (2029-01-01) lies within the dashboard's
# twelve months, so the member is on every deadline channel of the office of X.
CHANNEL_DAY = date(2028, 3, 1)


def channel_texts(user) -> dict[str, str]:
    client = browser(user)
    texts = {url: text_of(client.get(url)) for url in list_urls()}
    feed = services.calendar_feed_renew(user=user)
    texts["iCal feed"] = text_of(client.get(reverse("appointments:calendar_feed", args=[feed.token])))
    return texts


def reminder_texts(*users) -> dict[str, str]:
    mail.outbox.clear()
    call_command("send_deadline_reminders", stdout=io.StringIO())
    return {user.username: "\n".join(m.body for m in mail.outbox if user.email in m.to) for user in users}


@time_machine.travel(CHANNEL_DAY, tick=False)
def test_no_channel_shows_an_office_a_member_of_another_ministry(
    concept_at_y, member_at_x, abd_user, office_x, office_y
):
    services.extension_propose(
        user=abd_user,
        appointment=member_at_x,
        reason_code="continuity",
        motivation="Continuïteit van de bedrijfsvoering",
        proposed_end=rules.add_years(member_at_x.term_end, 1),
    )
    for user in (office_x, office_y):
        user.email = f"{user.username}@example.org"
        user.save()
    of_x, of_y = channel_texts(office_x), channel_texts(office_y)
    assert [channel for channel, text in of_x.items() if SURNAME not in text] == []
    assert [channel for channel, text in of_y.items() if SURNAME in text] == []
    mails = reminder_texts(office_x, office_y)
    assert SURNAME in mails[office_x.username]
    assert SURNAME not in mails[office_y.username]
