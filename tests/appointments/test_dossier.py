"""A member's whole career through the services and the browser-facing views."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from icalendar import Calendar

from appointments import rules, services
from appointments.models import Appointment, Extension, SearchPeriod
from tests.factories import AppointmentFactory, FunctionFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_whole_career_from_concept_to_the_end_of_the_search_period(abd_user, ministry_x):
    member = MemberFactory()
    function = FunctionFactory(ministry=ministry_x, group="A")
    a = services.appointment_create(
        user=abd_user, member=member, function=function, start_date=date(2015, 1, 1)
    )
    assert a.term_end == date(2022, 1, 1)
    a = services.appointment_propose(user=abd_user, appointment=a, proposal_date=date(2014, 10, 1))
    a = services.appointment_record_council(user=abd_user, appointment=a, council_date=date(2014, 11, 7))
    a = services.appointment_record_kb(
        user=abd_user, appointment=a, kb_date=date(2014, 12, 1), kb_number="KB-1"
    )
    with time_machine.travel(date(2015, 1, 1), tick=False):
        a = services.appointment_take_office(user=abd_user, appointment=a)
    a = services.appointment_end(user=abd_user, appointment=a)
    period = services.search_period_start(user=abd_user, appointment=a)
    assert (period.start, period.end) == (date(2022, 1, 1), date(2024, 1, 1))
    period = services.search_period_shorten(
        user=abd_user, search_period=period, requested_on=date(2022, 1, 20), monthly_income=Decimal("9024.04")
    )
    assert period.end == date(2023, 7, 1)
    assert period.shortening_payment == Decimal("54144.24")
    services.search_period_close(
        user=abd_user, search_period=period, outcome=SearchPeriod.Outcome.MUTUAL_CONSENT, on=date(2023, 7, 1)
    )
    a.refresh_from_db()
    assert a.status == rules.EMPLOYMENT_ENDED
    reasons = list(a.history.values_list("history_change_reason", flat=True))
    # Every step of the dossier is a row with its reason, the shortening of the search period too.
    assert len(reasons) == 9 and all(reasons) and "Zoektermijn verkort tot 18 maanden" in reasons
    assert {h.history_user for h in a.history.all()} == {abd_user}


def test_a_forbidden_transition_is_refused_with_a_clear_message(abd_user):
    a = AppointmentFactory()
    with pytest.raises(ValidationError, match="niet mogelijk"):
        services.appointment_record_kb(user=abd_user, appointment=a, kb_date=date(2021, 12, 1), kb_number="X")
    a.refresh_from_db()
    assert a.status == rules.CONCEPT


@pytest.mark.today(date(2028, 12, 1))  # the KB of the extension is signed in October 2028
def test_extension_workflow_office_approves_then_kb_extends(abd_user, office_x, office_y, appointment_x):
    with time_machine.travel(date(2028, 8, 1), tick=False):
        extension = services.extension_propose(
            user=abd_user,
            appointment=appointment_x,
            reason_code="age",
            motivation="Pensioen in 2030",
            proposed_end=date(2031, 1, 1),
        )
        with pytest.raises(PermissionDenied):
            services.extension_decide(user=office_y, extension=extension, approve=True, remarks="")
        with pytest.raises(PermissionDenied):
            services.extension_decide(user=abd_user, extension=extension, approve=True, remarks="")
        services.extension_decide(user=office_x, extension=extension, approve=True, remarks="Akkoord")
    services.extension_record_kb(
        user=abd_user,
        extension=extension,
        council_date=date(2028, 9, 1),
        kb_date=date(2028, 10, 1),
        kb_number="KB-9",
    )
    appointment_x.refresh_from_db()
    assert (appointment_x.status, appointment_x.term_end) == (rules.EXTENDED, date(2031, 1, 1))
    extension.refresh_from_db()
    assert extension.decided_by == office_x and extension.status == Extension.Status.KB_RECORDED


def test_extension_beyond_nine_years_is_refused_and_nothing_saved(abd_client, appointment_x):
    url = reverse("appointments:appointment_action", args=[appointment_x.pk, "verlenging-voorstellen"])
    response = abd_client.post(
        url,
        {
            "reason_code": "continuity",
            "motivation": "x",
            "proposed_end": "2031-01-01",  # the last day asked; 9 years end with 31 December 2030
            "reason": "x",
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert "is uiterlijk 31 december 2030" in response.text
    assert not Extension.objects.exists()


def test_office_y_neither_sees_nor_decides_on_ministry_x(office_y_client, abd_user, appointment_x):
    extension = services.extension_propose(
        user=abd_user,
        appointment=appointment_x,
        reason_code="continuity",
        motivation="x",
        proposed_end=date(2030, 1, 1),
    )
    assert (
        appointment_x.member.surname not in office_y_client.get(reverse("appointments:extension_inbox")).text
    )
    response = office_y_client.post(
        reverse("appointments:extension_decide", args=[extension.pk]), {"decision": "approve", "remarks": ""}
    )
    assert response.status_code == 404
    extension.refresh_from_db()
    assert extension.status == Extension.Status.PROPOSED


def test_office_x_approves_in_its_inbox(office_x_client, abd_user, appointment_x):
    extension = services.extension_propose(
        user=abd_user,
        appointment=appointment_x,
        reason_code="continuity",
        motivation="x",
        proposed_end=date(2030, 1, 1),
    )
    inbox = office_x_client.get(reverse("appointments:extension_inbox"))
    assert appointment_x.member.full_name in inbox.text
    response = office_x_client.post(
        reverse("appointments:extension_decide", args=[extension.pk]),
        {"decision": "reject", "remarks": "", "version": extension.version},
    )
    assert "Geef de reden" in response.text
    office_x_client.post(
        reverse("appointments:extension_decide", args=[extension.pk]),
        {"decision": "approve", "remarks": "Prima", "version": extension.version},
    )
    extension.refresh_from_db()
    assert extension.status == Extension.Status.APPROVED and extension.remarks == "Prima"


def test_end_before_start_is_refused(abd_client, ministry_x):
    member = MemberFactory()
    function = FunctionFactory(ministry=ministry_x)
    response = abd_client.post(
        reverse("appointments:appointment_create", args=[member.pk]),
        {
            "function": function.pk,
            "start_date": "2024-01-01",
            "term_end": "2023-12-31",  # the last day, so the term would end before it began
            "reason": "x",
        },
    )
    assert "De laatste dag kan niet vóór de begindatum liggen." in response.text
    assert not Appointment.objects.exists()


def test_transition_rule_on_a_group_a_function_is_refused(abd_client, ministry_x):
    member = MemberFactory()
    function = FunctionFactory(ministry=ministry_x, group="A")
    response = abd_client.post(
        reverse("appointments:appointment_create", args=[member.pk]),
        {
            "function": function.pk,
            "start_date": "2017-01-01",
            "is_transition_2017": "on",
            "start_in_function": "2015-01-01",
            "reason": "x",
        },
    )
    assert "alleen voor een functie van groep B" in response.text
    assert not Appointment.objects.exists()


def test_transition_rule_on_group_b_gives_the_deemed_end(abd_user, ministry_x):
    function = FunctionFactory(ministry=ministry_x, group="B")
    a = services.appointment_create(
        user=abd_user,
        member=MemberFactory(),
        function=function,
        start_date=date(2010, 1, 1),
        is_transition_2017=True,
        start_in_function=date(2010, 1, 1),
    )
    assert (a.start_date, a.term_end) == (date(2017, 1, 1), date(2020, 1, 1))


def test_a_member_cannot_come_to_hold_two_functions_at_once(abd_user, abd_client, appointment_x):
    concept = services.appointment_create(
        user=abd_user, member=appointment_x.member, function=FunctionFactory(), start_date=date(2024, 1, 1)
    )
    # A proposal may be prepared while the member still holds a function; it shows the overlap ...
    concept = services.appointment_propose(
        user=abd_user, appointment=concept, proposal_date=date(2023, 10, 1)
    )
    concept = services.appointment_record_council(
        user=abd_user, appointment=concept, council_date=date(2023, 11, 1)
    )
    page = abd_client.get(reverse("appointments:appointment_detail", args=[concept.pk])).text
    assert "bekleedt een andere functie" in page and f"/benoemingen/{appointment_x.pk}/" in page
    # ... but the KB cannot be recorded while it stands, and nothing changes.
    with pytest.raises(ValidationError, match="bekleedt een andere functie"):
        services.appointment_record_kb(
            user=abd_user, appointment=concept, kb_date=date(2023, 12, 1), kb_number="K"
        )
    concept.refresh_from_db()
    assert concept.status == rules.COUNCIL_AGREED and concept.kb_number == ""


def test_shortening_after_the_first_month_is_refused(abd_user):
    a = AppointmentFactory(in_function=True, start_date=date(2015, 1, 1))
    a = services.appointment_end(user=abd_user, appointment=a)
    period = services.search_period_start(user=abd_user, appointment=a)
    with pytest.raises(ValidationError, match="binnen de termijn daarvoor"):
        services.search_period_shorten(
            user=abd_user, search_period=period, requested_on=date(2022, 2, 1), monthly_income=Decimal("9000")
        )
    period.refresh_from_db()
    assert period.end == date(2024, 1, 1) and period.shortening_payment is None


def test_early_termination_starts_the_search_period_on_that_date(abd_user):
    a = AppointmentFactory(in_function=True, start_date=date(2020, 1, 1))
    a = services.appointment_terminate_early(
        user=abd_user, appointment=a, date=date(2023, 5, 15), reason="Op eigen verzoek"
    )
    period = services.search_period_start(user=abd_user, appointment=a)
    assert (period.start, period.end) == (date(2023, 5, 15), date(2025, 5, 15))


def test_replacement_during_the_search_period_ends_it_early(abd_user):
    a = services.appointment_end(
        user=abd_user, appointment=AppointmentFactory(in_function=True, start_date=date(2015, 1, 1))
    )
    period = services.search_period_start(user=abd_user, appointment=a)
    services.search_period_close(user=abd_user, search_period=period, outcome="replaced", on=date(2022, 9, 1))
    a.refresh_from_db()
    assert a.status == rules.REPLACED


def test_two_people_saving_the_same_step_the_second_gets_a_conflict(abd_client, abd_user):
    a = AppointmentFactory()
    url = reverse("appointments:appointment_action", args=[a.pk, "voordragen"])
    services.appointment_update_concept(
        user=abd_user,
        appointment=a,
        expected_version=1,
        start_date=date(2022, 2, 1),
        term_end=date(2029, 2, 1),
    )
    response = abd_client.post(
        url, {"proposal_date": "2021-10-01", "proposal_reference": "BZK-7", "reason": "x", "version": 1}
    )
    assert "Iemand anders heeft dit gegeven gewijzigd" in response.text
    assert 'value="BZK-7"' in response.text
    a.refresh_from_db()
    assert a.status == rules.CONCEPT


def test_dossier_page_shows_dates_with_citations(abd_client):
    a = AppointmentFactory(in_function=True, start_date=date(2015, 1, 1))
    response = abd_client.get(reverse("appointments:appointment_detail", args=[a.pk]))
    for text in (
        "1 januari 2022",
        "31 december 2021",
        "[CAO17; ARAR 7.4]",
        "1 januari 2020",
        "[TMG-page]",
        "[Nadere regels 1]",
        "<svg",
    ):
        assert text in response.text


@pytest.mark.today(date(2026, 11, 23))
def test_dashboard_lists_deadlines_within_their_lead_times(abd_client, abd_user):
    conversation = AppointmentFactory(in_function=True, start_date=date(2021, 12, 1))  # 5 years: 2026-12-01
    ending = AppointmentFactory(in_function=True, start_date=date(2020, 6, 1))  # ends 2027-06-01
    far = AppointmentFactory(in_function=True, start_date=date(2025, 1, 1))
    period_appointment = services.appointment_end(
        user=abd_user, appointment=AppointmentFactory(in_function=True, start_date=date(2019, 11, 10))
    )
    services.search_period_start(user=abd_user, appointment=period_appointment)  # 2026-11-10: window open
    response = abd_client.get(reverse("appointments:dashboard"))
    kinds = {(d.kind, d.appointment.pk) for d in response.context["deadlines"]}
    assert ("conversation", conversation.pk) in kinds
    assert ("term_end", ending.pk) in kinds
    assert ("shortening_window", period_appointment.pk) in kinds
    assert not any(pk == far.pk for _, pk in kinds)
    filtered = abd_client.get(reverse("appointments:dashboard"), {"kind": "term_end"})
    assert {d.kind for d in filtered.context["deadlines"]} == {"term_end"}
    xlsx = abd_client.get(reverse("appointments:dashboard_export", args=["xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.today(date(2026, 11, 23))
def test_dashboard_deadlines_are_computed_once_per_change_of_a_dossier(abd_client, abd_user, monkeypatch):
    """The start page keeps its computed deadlines (and the page part showing them) in the shared
    cache; a second view computes nothing, a filter has its own list, and a change of any dossier
    shows at once."""
    from appointments import selectors

    conversation = AppointmentFactory(in_function=True, start_date=date(2021, 12, 1))  # due 2026-12-01
    url = reverse("appointments:dashboard")
    first = {(d.kind, d.appointment.pk) for d in abd_client.get(url).context["deadlines"]}
    assert ("conversation", conversation.pk) in first
    filtered = abd_client.get(url, {"kind": "term_end"}).context["deadlines"]
    assert all(d.kind == "term_end" for d in filtered)

    computed = []
    real = selectors.deadlines
    monkeypatch.setattr(selectors, "deadlines", lambda *a, **kw: computed.append(1) or real(*a, **kw))
    assert conversation.member.full_name in abd_client.get(url).text
    assert computed == []

    services.conversation_record(
        user=abd_user, appointment=conversation, held_on=date(2026, 11, 20), outcome="extend"
    )
    after = {(d.kind, d.appointment.pk) for d in abd_client.get(url).context["deadlines"]}
    assert ("conversation", conversation.pk) not in after and computed == [1]


@pytest.mark.today(date(2026, 11, 23))
def test_overdue_term_end_is_marked(abd_client):
    AppointmentFactory(
        in_function=True, start_date=date(2019, 11, 1)
    )  # ended 2026-11-01, still "in function"
    deadlines = abd_client.get(reverse("appointments:dashboard")).context["deadlines"]
    assert any(d.kind == "term_end" and d.is_overdue for d in deadlines)


@pytest.mark.today(date(2026, 11, 23))
def test_calendar_feed_lists_the_users_deadlines_by_secret_token(client, abd_client, abd_user):
    a = AppointmentFactory(in_function=True, start_date=date(2020, 6, 1))
    created = abd_client.post(reverse("appointments:calendar_feed_renew"), follow=True)
    assert "Agenda-adres aangemaakt." in created.text
    token = abd_user.calendar_feed.token
    assert f'value="http://testserver/agenda/{token}.ics" readonly' in created.text
    assert 'data-copy-target="feed-url"' in created.text and "Abonneren via web" in created.text
    body = client.get(reverse("appointments:calendar_feed", args=[token])).content.decode()
    assert "BEGIN:VCALENDAR" in body and "DTSTART;VALUE=DATE:20270531" in body and a.member.full_name in body
    renewed = abd_client.post(reverse("appointments:calendar_feed_renew"), follow=True)
    assert "Agenda-adres vernieuwd" in renewed.text
    assert client.get(reverse("appointments:calendar_feed", args=[token])).status_code == 404


@pytest.mark.today(date(2026, 11, 23))
def test_each_calendar_deadline_carries_an_alarm_at_its_lead_time(client, abd_user):
    """Term end 31 May 2027 (lead 12 months): alarm 31 May 2026, 09:00 in Amsterdam (07:00 UTC in
    summer time); conversation 1 June 2025 (lead 6 months): alarm 1 December 2024, 08:00 UTC."""
    AppointmentFactory(in_function=True, start_date=date(2020, 6, 1))
    feed = services.calendar_feed_renew(user=abd_user)
    calendar = Calendar.from_ical(
        client.get(reverse("appointments:calendar_feed", args=[feed.token])).content
    )
    alarms = {
        str(event.get("summary")).split(":")[0]: [alarm.get("trigger").dt for alarm in event.walk("VALARM")]
        for event in calendar.walk("VEVENT")
    }
    assert alarms["Termijn eindigt"] == [datetime(2026, 5, 31, 7, 0, tzinfo=UTC)]
    assert alarms["5-jaarsgesprek"] == [datetime(2024, 12, 1, 8, 0, tzinfo=UTC)]


def test_reminders_catch_up_and_are_never_sent_twice(abd_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    abd_user.email = "abd@voorbeeld.invalid"
    abd_user.save()
    with time_machine.travel(date(2026, 11, 23)):
        AppointmentFactory(in_function=True, start_date=date(2020, 6, 1))
        call_command("send_deadline_reminders")
        call_command("send_deadline_reminders")
    assert len(mail.outbox) == 1
    with time_machine.travel(date(2027, 3, 1)):  # a month of missed runs: the new deadline still comes
        AppointmentFactory(in_function=True, start_date=date(2022, 1, 15))  # conversation 2027-01-15, overdue
        call_command("send_deadline_reminders")
    assert len(mail.outbox) == 2
    assert "verstreken" in mail.outbox[1].body


def test_a_refused_dashboard_filter_says_why_and_lists_nothing(abd_client):
    AppointmentFactory(in_function=True, start_date=date(2019, 11, 1))  # a deadline that would show
    response = abd_client.get(reverse("appointments:dashboard"), {"ministry": "geen-getal", "kind": "x"})
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.text
    assert list(response.context["deadlines"]) == []


def test_no_interest_of_the_service_is_preselected_on_an_extension_proposal(abd_client, appointment_x):
    url = reverse("appointments:appointment_action", args=[appointment_x.pk, "verlenging-voorstellen"])
    page = abd_client.get(url).text
    select = page.split('name="reason_code"')[1].split("</select>")[0]
    assert "selected" not in select.split("</option>", 1)[1]  # only the empty choice may be
    refused = abd_client.post(
        url, {"reason_code": "", "motivation": "x", "proposed_end": "2030-12-31", "reason": "x", "version": 1}
    )
    assert refused.status_code == 200 and "Kies het dienstbelang" in refused.text
    assert not Extension.objects.exists()
