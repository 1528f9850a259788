"""One answer to "which appointment is current": the rule in Python (`rules.current_appointment`), its
SQL form (`AppointmentQuerySet.current_of`) and everything built on it — the office's scope, the
member list and the placement form — agree on any set of dossiers, on any day."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appointments import rules
from appointments.models import Appointment, Member
from appointments.models.member import CURRENT_FACTS, with_current_facts
from salaries.forms import PlacementForm
from tests.factories import FunctionFactory, MemberFactory, MinistryFactory, office_user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)  # tests.conftest.TEST_TODAY: the scope reads the clock
HELD = sorted(rules.HELD_STATES)
OTHER = sorted(rules.PLANNED_STATES | {rules.WITHDRAWN})

# Held dossiers follow one another (a member holds one function at a time [ARAR 7.4]); planned and
# withdrawn ones may start on any day, the same day as another among them.
held = st.lists(st.tuples(st.sampled_from(HELD), st.integers(0, 400), st.integers(1, 900)), max_size=3)
other = st.lists(st.tuples(st.sampled_from(OTHER), st.integers(0, 3000)), max_size=3)


def lay_out(member, functions, held_specs, other_specs, base):
    rows, start = [], base
    for status, gap, length in held_specs:
        start += timedelta(days=gap)
        rows.append((status, start, start + timedelta(days=length)))
        start += timedelta(days=length)
    rows += [(status, base + timedelta(days=offset), date(2035, 1, 1)) for status, offset in other_specs]
    return [
        Appointment.objects.create(
            member=member,
            function=functions[i],
            status=status,
            start_date=begin,
            start_in_function=begin,
            term_end=end,
        )
        for i, (status, begin, end) in enumerate(rows)
    ]


@pytest.fixture
def setting():
    ministries = [MinistryFactory() for _ in range(6)]
    functions = [FunctionFactory(ministry=ministry) for ministry in ministries]
    offices = [office_user(ministry) for ministry in ministries]
    return functions, offices


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(held_specs=held, other_specs=other, days_before_today=st.integers(-10, 3000))
def test_every_reader_of_the_current_appointment_gives_the_same_answer(
    setting, held_specs, other_specs, days_before_today
):
    functions, offices = setting
    today = TODAY
    with transaction.atomic():
        member = MemberFactory()
        appointments = lay_out(
            member, functions, held_specs, other_specs, today - timedelta(days_before_today)
        )
        expected = rules.current_appointment(appointments, today)

        annotated = Member.objects.with_current_appointment(today=today).get(pk=member.pk)
        assert annotated.current_appointment_id == (expected.pk if expected else None)
        assert annotated.current_status == (expected.status if expected else None)
        # A page of the member list reads the same facts from the member's dossiers in one query.
        [paged] = with_current_facts([Member.objects.get(pk=member.pk)], today=today)
        assert {f"current_{fact}": getattr(paged, f"current_{fact}") for fact in CURRENT_FACTS} == {
            f"current_{fact}": getattr(annotated, f"current_{fact}") for fact in CURRENT_FACTS
        }

        # The placement form proposes that same appointment.
        proposal = PlacementForm._propose(member, Appointment.objects.filter(member=member), today)
        assert (proposal[0].pk if proposal else None) == (expected.pk if expected else None)

        # The office of its ministry holds the file when it is held; no other office does.
        file_office = (
            offices[functions.index(expected.function)]
            if expected and expected.status in rules.HELD_STATES
            else None
        )
        for office in offices:
            visible = Member.objects.for_user(office).filter(pk=member.pk).exists()
            assert visible == (office == file_office), (office.username, expected)
        transaction.set_rollback(True)


def test_a_started_appointment_goes_before_one_to_come_and_a_held_one_before_a_concept():
    first, second, concept = (
        Appointment(pk=1, status=rules.ENDED, start_date=date(2020, 1, 1)),
        Appointment(pk=2, status=rules.KB_SIGNED, start_date=date(2027, 1, 1)),
        Appointment(pk=3, status=rules.CONCEPT, start_date=date(2026, 1, 1)),
    )
    assert rules.current_appointment([first, second, concept], date(2026, 6, 1)) is first
    assert rules.current_appointment([second, concept], date(2026, 6, 1)) is second
    assert rules.current_appointment([concept], date(2026, 6, 1)) is concept
    assert rules.current_appointment([first, second], date(2027, 1, 1)) is second
