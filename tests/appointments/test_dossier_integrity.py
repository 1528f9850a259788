"""Dossiers that cannot go wrong: occupancy, states that follow the calendar, the 5-year
conversation, undo, and dates as people say them. "Today" is 15 June 2026 unless marked."""

import importlib
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from appointments import rules, services
from appointments.deadlines import CONVERSATION, TERM_END, deadlines
from appointments.models import Appointment, Conversation, Extension, SideActivity
from tests.factories import AppointmentFactory, FunctionFactory, MemberFactory, approved_extension, arrange

pytestmark = pytest.mark.django_db

occupancy_migration = importlib.import_module("appointments.migrations.0005_occupancy_exclusion_constraints")


def action_url(appointment, slug):
    return reverse("appointments:appointment_action", args=[appointment.pk, slug])


def detail(client, appointment):
    return client.get(reverse("appointments:appointment_detail", args=[appointment.pk])).text


def agreed_concept(user, *, member, function, start):
    """A concept taken through proposal and council, ready for its KB."""
    concept = services.appointment_create(user=user, member=member, function=function, start_date=start)
    concept = services.appointment_propose(user=user, appointment=concept, proposal_date=date(2025, 10, 1))
    return services.appointment_record_council(user=user, appointment=concept, council_date=date(2025, 11, 1))


# -- 1. Occupancy ---------------------------------------------------------------------------------


def test_a_function_cannot_get_a_second_holder_for_overlapping_days(abd_user, abd_client, appointment_x):
    function = appointment_x.function  # held 1 January 2022 up to and including 31 December 2028
    successor = agreed_concept(abd_user, member=MemberFactory(), function=function, start=date(2026, 1, 1))
    page = detail(abd_client, successor)
    assert "De functie wordt van 1 januari 2022 tot en met 31 december 2028 vervuld door" in page
    assert f'href="/benoemingen/{appointment_x.pk}/"' in page
    assert "KB-getekend" not in page and "Het KB kan niet worden vastgelegd" in page
    with pytest.raises(ValidationError, match="vervuld door"):
        services.appointment_record_kb(
            user=abd_user, appointment=successor, kb_date=date(2026, 1, 5), kb_number="K"
        )
    successor.refresh_from_db()
    assert successor.status == rules.COUNCIL_AGREED


def test_a_successor_can_be_signed_from_the_day_after_the_last_day(abd_user, appointment_x):
    successor = agreed_concept(
        abd_user, member=MemberFactory(), function=appointment_x.function, start=appointment_x.term_end
    )
    successor = services.appointment_record_kb(
        user=abd_user, appointment=successor, kb_date=date(2026, 6, 1), kb_number="K-2"
    )
    assert successor.status == rules.KB_SIGNED  # signed ahead while the predecessor still holds it


def test_an_extension_into_a_successors_term_is_refused(abd_user, office_x, appointment_x):
    successor = agreed_concept(
        abd_user, member=MemberFactory(), function=appointment_x.function, start=appointment_x.term_end
    )
    services.appointment_record_kb(
        user=abd_user, appointment=successor, kb_date=date(2026, 6, 1), kb_number="K"
    )
    extension = approved_extension(
        appointment_x, proposer=abd_user, office=office_x, proposed_end=date(2030, 1, 1)
    )
    with pytest.raises(ValidationError, match="vervuld door"):
        services.extension_record_kb(
            user=abd_user,
            extension=extension,
            council_date=date(2026, 6, 15),
            kb_date=date(2026, 6, 15),
            kb_number="V",
        )
    appointment_x.refresh_from_db()
    extension.refresh_from_db()
    assert appointment_x.term_end == date(2029, 1, 1) and extension.status == Extension.Status.APPROVED


def test_the_database_itself_refuses_two_holders_on_postgresql(appointment_x):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no exclusion constraints; the service check is tested above")
    second = AppointmentFactory(function=appointment_x.function, start_date=date(2027, 1, 1))
    with pytest.raises(IntegrityError, match="appointment_function_held_once"), transaction.atomic():
        arrange(second, status=rules.IN_FUNCTION)
    third = AppointmentFactory(member=appointment_x.member, start_date=date(2027, 1, 1))
    with pytest.raises(IntegrityError, match="appointment_member_holds_one_function"), transaction.atomic():
        arrange(third, status=rules.KB_SIGNED)


def test_the_constraints_count_exactly_the_held_states():
    held = {state.strip(" '") for state in occupancy_migration.HELD.strip("()").split(",")}
    assert held == set(rules.HELD_STATES)


def test_catalogue_and_form_show_who_holds_a_function_and_from_when_it_is_vacant(abd_client, appointment_x):
    vacant = FunctionFactory(title="inspecteur-generaal", ministry=appointment_x.function.ministry)
    page = abd_client.get(reverse("appointments:function_list")).text
    assert appointment_x.member.full_name in page and "vacant vanaf 1 januari 2029" in page
    later = abd_client.get(reverse("appointments:function_list"), {"op": "2029-01-01"}).text
    assert appointment_x.member.full_name not in later
    form = abd_client.get(reverse("appointments:appointment_create", args=[MemberFactory().pk])).text
    assert f"{appointment_x.function} — bezet, vacant vanaf 1 januari 2029" in form
    assert f">{vacant}</option>" in form
    assert abd_client.get(reverse("appointments:function_list"), {"op": "9999-12-31"}).status_code == 400


def test_vacant_from_follows_back_to_back_holders():
    held = [
        rules.Period(date(2020, 1, 1), date(2025, 1, 1)),
        rules.Period(date(2025, 1, 1), date(2030, 1, 1)),
    ]
    assert rules.vacant_from(date(2024, 6, 1), held) == date(2030, 1, 1)
    assert rules.vacant_from(date(2019, 6, 1), held) == date(2019, 6, 1)
    assert rules.vacant_from(date(2030, 1, 1), held) == date(2030, 1, 1)


# -- 3. States that follow the calendar -------------------------------------------------------------


@pytest.mark.today(date(2026, 11, 23))
def test_a_term_that_passed_in_function_says_so_everywhere(abd_client, ministry_x):
    passed = AppointmentFactory(
        in_function=True, start_date=date(2019, 3, 1), function=FunctionFactory(ministry=ministry_x)
    )  # term ended 1 March 2026
    banner = "Termijn verstreken — einde of verlenging vastleggen"
    assert banner in detail(abd_client, passed)
    assert banner in abd_client.get(reverse("appointments:dashboard")).text
    assert banner in abd_client.get(reverse("appointments:member_list")).text


def test_taking_office_after_the_term_needs_a_recorded_motivation(abd_user, abd_client):
    signed = AppointmentFactory(
        status=rules.KB_SIGNED, start_date=date(2019, 3, 1), kb_date=date(2019, 2, 1), kb_number="K"
    )
    page = abd_client.get(action_url(signed, "in-functie")).text
    assert "Motivering: vastgelegd na afloop van de termijn" in page
    response = abd_client.post(action_url(signed, "in-functie"), {"reason": "In functie", "version": 1})
    assert "De termijn is verstreken: de laatste dag was 28 februari 2026" in response.text
    signed.refresh_from_db()
    assert signed.status == rules.KB_SIGNED
    abd_client.post(
        action_url(signed, "in-functie"),
        {"reason": "In functie", "late_motivation": "Dossier achteraf ingevoerd", "version": 1},
    )
    signed.refresh_from_db()
    assert signed.status == rules.IN_FUNCTION
    assert "Dossier achteraf ingevoerd" in signed.history.latest().history_change_reason


def test_taking_office_in_time_does_not_ask_for_a_motivation(abd_client):
    signed = AppointmentFactory(status=rules.KB_SIGNED, start_date=date(2026, 7, 1))
    assert "late_motivation" not in abd_client.get(action_url(signed, "in-functie")).text


@pytest.mark.today(date(2026, 11, 23))
def test_an_extension_after_the_term_needs_a_motivation_for_the_late_decision(abd_user):
    passed = AppointmentFactory(in_function=True, start_date=date(2019, 3, 1))
    with pytest.raises(ValidationError, match="laatste dag was 28 februari 2026"):
        services.extension_propose(
            user=abd_user,
            appointment=passed,
            reason_code="age",
            motivation="x",
            proposed_end=date(2028, 3, 1),
        )
    assert not Extension.objects.exists()
    extension = services.extension_propose(
        user=abd_user,
        appointment=passed,
        reason_code="age",
        motivation="x",
        proposed_end=date(2028, 3, 1),
        late_motivation="Besluit door verkiezingen uitgesteld",
    )
    assert extension.late_motivation == "Besluit door verkiezingen uitgesteld"
    assert "verkiezingen" in extension.history.latest().history_change_reason


def test_at_the_nine_year_cap_no_extension_is_offered_and_the_page_says_why(abd_client):
    capped = AppointmentFactory(
        in_function=True, status=rules.EXTENDED, start_date=date(2020, 3, 1), term_end=date(2029, 3, 1)
    )
    page = detail(abd_client, capped)
    assert action_url(capped, "verlenging-voorstellen") not in page
    assert "Verdere verlenging is niet mogelijk" in page and "28 februari 2029" in page
    response = abd_client.get(action_url(capped, "verlenging-voorstellen"), follow=True)
    assert "Verdere verlenging is niet mogelijk" in response.text


def test_shortening_is_not_offered_after_the_first_month(abd_user, abd_client):
    ended = AppointmentFactory(in_function=True, start_date=date(2018, 1, 1), term_end=date(2025, 1, 1))
    ended = services.appointment_end(user=abd_user, appointment=ended)
    services.search_period_start(user=abd_user, appointment=ended)
    page = detail(abd_client, ended)
    assert action_url(ended, "zoektermijn-verkorten") not in page
    assert "Verkorten is niet meer mogelijk" in page and "tot en met 31 januari 2025" in page


def test_the_steps_of_an_extension_follow_each_other(abd_user, office_x, appointment_x):
    extension = approved_extension(
        appointment_x, proposer=abd_user, office=office_x, proposed_end=date(2030, 1, 1)
    )
    for council, kb in ((date(2026, 6, 1), date(2026, 6, 15)), (date(2026, 6, 15), date(2026, 6, 10))):
        with pytest.raises(ValidationError, match="ligt vóór"):
            services.extension_record_kb(
                user=abd_user, extension=extension, council_date=council, kb_date=kb, kb_number="V"
            )
    extension.refresh_from_db()
    assert extension.status == Extension.Status.APPROVED


# -- 4. The 5-year conversation ---------------------------------------------------------------------


def test_a_held_conversation_leaves_the_dashboard_and_extend_goes_on_to_the_proposal(abd_client, ministry_x):
    due = AppointmentFactory(
        in_function=True, start_date=date(2021, 5, 1), function=FunctionFactory(ministry=ministry_x)
    )  # conversation due 1 May 2026
    assert due.member.full_name in abd_client.get(reverse("appointments:dashboard")).text
    response = abd_client.post(
        action_url(due, "gesprek"),
        {
            "held_on": "2026-06-01",
            "outcome": "extend",
            "notes": "Continuïteit van de reorganisatie",
            "version": 1,
        },
    )
    conversation = Conversation.objects.get()
    assert response.url == action_url(due, "verlenging-voorstellen") + f"?gesprek={conversation.pk}"
    proposal = abd_client.get(response.url).text
    assert "Continuïteit van de reorganisatie</textarea>" in proposal
    assert due.member.full_name not in abd_client.get(reverse("appointments:dashboard")).text
    assert conversation.history.count() == 1 and "verlenging voorstellen" in detail(abd_client, due)


def test_a_conversation_in_the_future_is_refused(abd_client, appointment_x):
    response = abd_client.post(
        action_url(appointment_x, "gesprek"), {"held_on": "2026-07-01", "outcome": "undecided", "version": 1}
    )
    assert "in de toekomst" in response.text and not Conversation.objects.exists()


# -- 5. Undo ----------------------------------------------------------------------------------------


def test_a_proposal_can_be_withdrawn_with_a_reason_and_stays_in_the_file(abd_user, abd_client):
    concept = services.appointment_create(
        user=abd_user, member=MemberFactory(), function=FunctionFactory(), start_date=date(2026, 9, 1)
    )
    concept = services.appointment_propose(user=abd_user, appointment=concept, proposal_date=date(2026, 6, 1))
    response = abd_client.post(action_url(concept, "intrekken"), {"reason": "", "version": concept.version})
    assert "Dit veld is verplicht" in response.text
    abd_client.post(action_url(concept, "intrekken"), {"reason": "Kandidaat trok zich terug", "version": 2})
    concept.refresh_from_db()
    assert concept.status == rules.WITHDRAWN
    assert concept.history.latest().history_change_reason == "Kandidaat trok zich terug"
    assert action_url(concept, "intrekken") not in detail(abd_client, concept)


def test_a_held_appointment_cannot_be_withdrawn(abd_user, appointment_x):
    with pytest.raises(ValidationError, match="niet mogelijk"):
        services.appointment_withdraw(user=abd_user, appointment=appointment_x, reason="x")


def test_a_wrong_assessment_can_be_reopened_and_leaves_the_register(abd_user, abd_client, appointment_x):
    activity = services.side_activity_report(
        user=abd_user,
        member=appointment_x.member,
        organisation="Stichting Proef",
        role="bestuurslid",
        is_paid=False,
        start=date(2025, 1, 1),
        reported_on=date(2025, 1, 1),
    )
    activity = services.side_activity_assess(
        user=abd_user, activity=activity, expected_version=1, assessment="permitted", motivation="ok"
    )
    activity = services.side_activity_publish(user=abd_user, activities=[activity], reason="publiceren")[0]
    abd_client.post(
        reverse("appointments:side_activity_reopen", args=[activity.pk]),
        {"reason": "Verkeerde nevenwerkzaamheid beoordeeld", "version": activity.version},
    )
    activity.refresh_from_db()
    assert activity.assessment == SideActivity.Assessment.PENDING
    assert activity.publication == SideActivity.Publication.WITHDRAWN
    reasons = list(activity.history.values_list("history_change_reason", flat=True))
    assert reasons[0] == "Verkeerde nevenwerkzaamheid beoordeeld" and "ok" in reasons


# -- 6. Dates as people say them ----------------------------------------------------------------------


def test_forms_ask_the_last_day_and_store_the_exclusive_end(abd_client, ministry_x):
    member = MemberFactory()
    function = FunctionFactory(ministry=ministry_x)
    abd_client.post(
        reverse("appointments:appointment_create", args=[member.pk]),
        {"function": function.pk, "start_date": "2022-03-01", "term_end": "2026-02-28", "reason": "x"},
    )
    appointment = Appointment.objects.get()
    assert appointment.term_end == date(2026, 3, 1)
    designated = FunctionFactory(designated_from=date(2017, 1, 1), designated_until=date(2025, 1, 1))
    edit = abd_client.get(reverse("appointments:function_edit", args=[designated.pk])).text
    assert 'name="designated_until" value="2024-12-31"' in edit and "Laatste dag aangewezen (t/m)" in edit
    response = abd_client.post(
        reverse("appointments:appointment_create", args=[member.pk]),
        {"function": function.pk, "start_date": "2022-03-01", "term_end": "9999-12-31", "reason": "x"},
    )
    assert (
        "Vul een datum tussen 1 januari 1900 en 31 december 2100 in." in response.text
        and Appointment.objects.count() == 1
    )


def test_the_dashboard_sorts_by_the_date_it_shows():
    # A term ending "on" 1 March 2027 shows its last day, 28 February; a conversation due on 1 March
    # shows 1 March. Sorted by the stored date the rows read 1 March, 28 February.
    ends = AppointmentFactory(in_function=True, start_date=date(2020, 3, 1))
    talks = AppointmentFactory(in_function=True, start_date=date(2022, 3, 1))
    found = deadlines([talks, ends], today=date(2027, 1, 1))
    shown = [(d.appointment, d.kind, d.last_day) for d in found if d.last_day.year == 2027]
    assert shown == [
        (ends, TERM_END, date(2027, 2, 28)),
        (talks, CONVERSATION, date(2027, 3, 1)),
    ]


# -- 8. Stale pages ---------------------------------------------------------------------------------


def test_the_office_decision_checks_the_version_it_was_shown(office_x_client, abd_user, appointment_x):
    extension = services.extension_propose(
        user=abd_user,
        appointment=appointment_x,
        reason_code="age",
        motivation="x",
        proposed_end=date(2030, 1, 1),
    )
    response = office_x_client.post(
        reverse("appointments:extension_decide", args=[extension.pk]),
        {"decision": "approve", "remarks": "", "version": extension.version + 1},
    )
    assert "gewijzigd" in response.text
    extension.refresh_from_db()
    assert extension.status == Extension.Status.PROPOSED


def test_a_shortening_window_ahead_says_from_when_not_that_it_closed(abd_user, abd_client):
    ending = AppointmentFactory(in_function=True, start_date=date(2020, 1, 1), term_end=date(2027, 1, 1))
    ending = services.appointment_end(user=abd_user, appointment=ending)  # recorded ahead of its day
    services.search_period_start(user=abd_user, appointment=ending)
    page = detail(abd_client, ending)
    assert action_url(ending, "zoektermijn-verkorten") not in page
    assert "Verkorten is nog niet mogelijk" in page and "niet meer mogelijk" not in page
    assert "van 1 januari 2027 tot en met 31 januari 2027" in page


# -- One pipeline per function ----------------------------------------------------------------------


def test_a_second_procedure_for_one_seat_warns_at_once_and_the_function_page_shows_the_pipeline(
    abd_client, abd_user, ministry_x
):
    function = FunctionFactory(ministry=ministry_x)
    holder = AppointmentFactory(in_function=True, function=function, start_date=date(2021, 3, 1))  # to 2028
    first = services.appointment_create(
        user=abd_user,
        member=MemberFactory(surname="Eerstekandidaat"),
        function=function,
        start_date=date(2028, 3, 1),
    )
    member = MemberFactory(surname="Tweedekandidaat")
    url = reverse("appointments:appointment_create", args=[member.pk])
    data = {"function": function.pk, "start_date": "2028-03-01", "reason": "Voordracht"}
    warned = abd_client.post(url, data)
    assert (
        warned.status_code == 200
        and "Eerstekandidaat" in warned.text
        and "heeft op deze data al een dossier" in warned.text
    )
    assert not Appointment.objects.filter(member=member).exists()
    assert abd_client.post(url, data | {"knowingly": "on"}).status_code == 302  # a knowing choice
    assert Appointment.objects.filter(member=member).exists()

    page = abd_client.get(reverse("appointments:function_edit", args=[function.pk])).text
    pipeline = page.split('id="pipeline-heading"')[1].split("</section>")[0]
    assert holder.member.full_name in pipeline and first.member.full_name in pipeline
    assert "Tweedekandidaat" in pipeline
