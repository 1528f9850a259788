"""Pages that cost the same at any size: each page runs the same number of queries with
two members on file as with eight (each with appointment, placements, side activities and history),
and the N+1 detector (django-zeal, on in every test request) fails any lazy load in a loop."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appointments import services
from salaries.loaders import load_pay_tables
from salaries.services import placement_create
from tests.factories import AppointmentFactory, FunctionFactory
from tests.salaries.test_pay import raise_step
from tmgportal.system import system_user

# The number of queries a page runs is the ORM's, the same on both engines: the PostgreSQL pass.
pytestmark = [pytest.mark.django_db, pytest.mark.once]


def add_members(count, *, user, ministry):
    """`count` members in function, each with two placements and two reported side activities."""
    made = []
    for n in range(count):
        appointment = AppointmentFactory(
            in_function=True, start_date=date(2022, 1, 1), function=FunctionFactory(ministry=ministry)
        )
        placement_create(
            user=user, member=appointment.member, appointment=appointment, valid_from=date(2022, 1, 1), step=0
        )
        raise_step(user, appointment, on=date(2023, 1, 1), step=1)
        for organisation in ("Stichting Een", "Stichting Twee"):
            services.side_activity_report(
                user=user,
                member=appointment.member,
                organisation=f"{organisation} {n}",
                role="lid",
                is_paid=False,
                start=date(2023, 1, 1),
                reported_on=date(2023, 1, 1),
            )
        made.append(appointment)
    return made


PAGES = [
    ("appointments:dashboard", None),
    ("appointments:member_list", None),
    ("appointments:member_detail", "member"),
    ("appointments:appointment_detail", "appointment"),
    ("appointments:member_history", "member"),
    ("appointments:side_activity_list", None),
    ("appointments:function_list", None),
    ("salaries:member_pay", "member"),
    ("salaries:wnt_overview", None),
    ("salaries:table_list", None),
    ("salaries:increase_list", None),
    ("public_register", None),
]


def queries(client, name, arg, first) -> int:
    args = {"member": [first.member.pk], "appointment": [first.pk], None: []}[arg]
    from django.core.cache import cache

    cache.clear()  # the cold path: a cached page would hide the work
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(("name", "arg"), PAGES)
def test_each_page_runs_the_same_queries_with_two_or_eight_members(
    abd_client, abd_user, ministry_x, name, arg
):
    load_pay_tables(user=system_user())
    first = add_members(2, user=abd_user, ministry=ministry_x)[0]
    small = queries(abd_client, name, arg, first)
    add_members(6, user=abd_user, ministry=ministry_x)
    assert queries(abd_client, name, arg, first) == small
