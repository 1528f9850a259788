"""The file tells the truth about time: a step recorded ahead of its day is planned, the dossier
keeps its status until that day, and on the day the step is taken as recorded, by whom and why."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from appointments import rules, services, workqueue
from appointments.models import Appointment, PlannedStep
from appointments.register import public_register
from tests.factories import AppointmentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2026, 12, 2))]


def post_step(client, appointment, slug, **data):
    url = reverse("appointments:appointment_action", args=[appointment.pk, slug])
    return client.post(url, {"reason": "Vastgelegd", "version": appointment.version} | data)


def apply_on(day):
    with time_machine.travel(day, tick=False):
        return services.steps_apply_due(today=day)


def test_taking_office_recorded_ahead_is_planned_until_its_day(abd_client, abd_user):
    appointment = AppointmentFactory(status=rules.KB_SIGNED, start_date=date(2027, 2, 2), kb_number="KB-1")
    form = abd_client.get(
        reverse("appointments:appointment_action", args=[appointment.pk, "in-functie"])
    ).text
    assert 'name="effective_on"' in form and 'value="2027-02-02"' in form
    response = post_step(abd_client, appointment, "in-functie", effective_on="2027-02-02")
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == rules.KB_SIGNED  # not "in functie" before the day
    page = abd_client.get(reverse("appointments:appointment_detail", args=[appointment.pk])).text
    assert "Gepland" in page and "2 februari 2027" in page

    assert apply_on(date(2027, 2, 1)) == []
    (step,) = apply_on(date(2027, 2, 2))
    appointment.refresh_from_db()
    assert (step.state, appointment.status) == (PlannedStep.State.APPLIED, rules.IN_FUNCTION)
    row = appointment.history.latest()
    assert row.history_user == abd_user and "ingegaan op 2 februari 2027" in row.history_change_reason


def test_an_end_recorded_ahead_keeps_the_member_in_function_and_on_the_register(abd_client, abd_user):
    appointment = AppointmentFactory(in_function=True, start_date=date(2020, 4, 1))  # term ends 2027-04-01
    services.side_activity_publish(
        user=abd_user,
        activities=[
            services.side_activity_assess(
                user=abd_user,
                activity=services.side_activity_report(
                    user=abd_user,
                    member=appointment.member,
                    organisation="Stichting Kalender",
                    role="lid",
                    is_paid=False,
                    start=date(2025, 1, 1),
                    reported_on=date(2025, 1, 1),
                ),
                expected_version=1,
                assessment="permitted",
                motivation="Geen strijdigheid",
            )
        ],
        reason="Publicatie",
    )
    assert post_step(abd_client, appointment, "beeindigen", effective_on="2027-04-01").status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == rules.IN_FUNCTION
    assert any(m.activities for m in public_register().members if m.name == appointment.member.full_name)
    # Another step waits until the planned one is taken or cancelled.
    blocked = abd_client.get(reverse("appointments:appointment_action", args=[appointment.pk, "herplaatst"]))
    assert blocked.status_code == 302
    apply_on(date(2027, 4, 1))
    appointment.refresh_from_db()
    assert appointment.status == rules.ENDED


def test_a_dossier_changed_after_planning_is_not_taken_blindly(abd_client, abd_user):
    appointment = AppointmentFactory(in_function=True, start_date=date(2020, 4, 1))
    post_step(abd_client, appointment, "beeindigen", effective_on="2027-04-01")
    appointment = Appointment.objects.get(pk=appointment.pk)
    services.extension_propose(
        user=abd_user,
        appointment=appointment,
        reason_code="continuity",
        motivation="Continuïteit",
        proposed_end=date(2029, 4, 1),
    )
    workqueue.waiting(abd_user)  # the menu's count is now stored
    (step,) = apply_on(date(2027, 4, 1))
    appointment.refresh_from_db()
    assert step.state == PlannedStep.State.NOT_APPLIED and appointment.status == rules.IN_FUNCTION
    assert "gewijzigd" in step.outcome
    sections = {section.key: section for section in workqueue.queue(abd_user)}
    assert sections["planned"].total == 1
    # The menu's count follows at once, not an hour later.
    assert workqueue.waiting(abd_user) == sum(s.total for s in sections.values() if s.actionable)
    abd_client.post(reverse("appointments:planned_step_cancel", args=[appointment.pk, step.pk]))
    step.refresh_from_db()
    assert step.state == PlannedStep.State.CANCELLED


def test_a_step_on_a_day_that_has_come_is_taken_at_once(abd_client):
    appointment = AppointmentFactory(status=rules.KB_SIGNED, start_date=date(2026, 11, 1), kb_number="KB-2")
    post_step(abd_client, appointment, "in-functie", effective_on="2026-12-02", late_motivation="")
    appointment.refresh_from_db()
    assert appointment.status == rules.IN_FUNCTION and not PlannedStep.objects.exists()


def test_only_a_step_with_a_day_of_its_own_can_be_planned(abd_user):
    """The workflow (appointments.steps) says which steps take effect on a day of their own; the
    service refuses any other, whoever calls it."""
    appointment = AppointmentFactory(status=rules.CONCEPT, start_date=date(2027, 2, 2))
    for slug in ("voordragen", "no-such-step"):
        with pytest.raises(ValidationError, match="kan niet worden gepland|cannot be planned"):
            services.step_plan(
                user=abd_user,
                appointment=appointment,
                action=slug,
                effective_on=date(2027, 1, 1),
                data={"reason": "Vooruit"},
                expected_version=appointment.version,
            )
    assert not PlannedStep.objects.exists()
