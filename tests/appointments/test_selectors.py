"""The scoped reads load what their pages need in a constant number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appointments import services
from appointments.deadlines import deadlines
from appointments.selectors import deadline_appointments
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def queries_for_deadlines(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        found = deadlines(deadline_appointments(user), today=date(2028, 3, 1))
        for deadline in found:  # what the dashboard, feed and e-mail read of each deadline
            (
                str(deadline.member.full_name),
                str(deadline.appointment.function),
                deadline.appointment.function.ministry.name,
            )
    return len(captured), len(found)


def test_the_deadlines_read_costs_the_same_for_one_or_many_appointments(abd_user):
    def appoint(start):
        appointment = AppointmentFactory(in_function=True, start_date=start)
        services.extension_propose(
            user=abd_user,
            appointment=appointment,
            reason_code="age",
            motivation="Leeftijd",
            proposed_end=date(
                appointment.term_end.year + 1, appointment.term_end.month, appointment.term_end.day
            ),
        )

    def in_search_period(start):
        appointment = AppointmentFactory(in_function=True, start_date=start)
        services.appointment_end(user=abd_user, appointment=appointment)
        services.search_period_start(user=abd_user, appointment=appointment)

    appoint(date(2021, 6, 1))
    in_search_period(date(2019, 1, 1))
    queries_for_deadlines(abd_user)  # the user's groups are read once per user object
    few, found_few = queries_for_deadlines(abd_user)
    for year in (2021, 2021, 2021, 2021):
        appoint(date(year, 7, 1))
        in_search_period(date(2019, 2, 1))
    many, found_many = queries_for_deadlines(abd_user)
    assert found_many > found_few > 0
    assert many == few
