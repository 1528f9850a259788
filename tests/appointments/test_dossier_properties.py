"""Random sequences of dossier steps, sent as a careless user would send them (any order, any date):
no step ever gives a server error, a function never has two holders on one day and a member never
holds two functions on one day [ARAR 7.4]. Derandomised, so a failure is the same on every run."""

from datetime import date, timedelta
from itertools import combinations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from appointments import rules
from appointments.models import Appointment, Extension
from tests.factories import FunctionFactory, MemberFactory

pytestmark = pytest.mark.django_db

BASE = date(2016, 1, 1)
# "volgende" takes the dossier to its natural next step, so sequences reach the held states often.
NEXT = {
    rules.CONCEPT: "voordragen",
    rules.PROPOSED: "ministerraad",
    rules.COUNCIL_AGREED: "kb",
    rules.KB_SIGNED: "in-functie",
    rules.IN_FUNCTION: "verlenging-voorstellen",
    rules.EXTENDED: "beeindigen",
    rules.ENDED: "zoektermijn-starten",
}
STEPS = [
    "volgende",
    "volgende",
    "volgende",
    "nieuw",
    "voordragen",
    "ministerraad",
    "kb",
    "in-functie",
    "gesprek",
    "verlenging-voorstellen",
    "verlenging-beoordelen",
    "verlenging-kb",
    "beeindigen",
    "tussentijds-beeindigen",
    "zoektermijn-starten",
    "intrekken",
]
step = st.tuples(st.sampled_from(STEPS), st.integers(0, 9), st.integers(0, 3800))
# Concepts to start from: member, function and start date, two members and two functions between them.
concept = st.tuples(st.integers(0, 1), st.integers(0, 1), st.integers(0, 3000))


def day(offset: int) -> str:
    return (BASE + timedelta(days=offset)).isoformat()


def form_for(appointment: Appointment, offset: int) -> dict:
    """Every field any step might ask for (a step ignores what it does not ask). Mostly the dates a
    user would enter, each a little after the dossier's last step; every third step a random date."""
    if offset % 3 == 0:
        when = end = BASE + timedelta(days=offset)
    else:
        anchor = appointment.kb_date or appointment.council_date or appointment.proposal_date
        when = (anchor or appointment.start_date - timedelta(days=120)) + timedelta(days=offset % 45)
        end = appointment.term_end + timedelta(days=offset % 800)
    return {
        "reason": "Eigenschapstest",
        "proposal_date": when.isoformat(),
        "council_date": when.isoformat(),
        "kb_date": when.isoformat(),
        "kb_number": f"KB-{offset}",
        "late_motivation": "Achteraf ingevoerd" if offset % 2 else "",
        "held_on": when.isoformat(),
        "outcome": "extend",
        "notes": "Gesprek",
        "reason_code": "continuity",
        "motivation": "Continuïteit",
        "proposed_end": end.isoformat(),
        "date": (appointment.start_date + timedelta(days=offset)).isoformat(),
    }


def assert_one_holder_per_function_and_one_function_per_member():
    held = list(Appointment.objects.filter(status__in=sorted(rules.HELD_STATES)))
    for first, second in combinations(held, 2):
        if first.period.overlaps(second.period):
            assert first.function_id != second.function_id, f"two holders: {first.pk}, {second.pk}"
            assert first.member_id != second.member_id, f"two functions: {first.pk}, {second.pk}"


@pytest.fixture
def world(abd_user, office_x, ministry_x):
    staff, office = Client(), Client()
    staff.force_login(abd_user)
    office.force_login(office_x)
    members = [MemberFactory(), MemberFactory()]
    functions = [FunctionFactory(ministry=ministry_x), FunctionFactory(ministry=ministry_x)]
    return staff, office, members, functions


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(concepts=st.lists(concept, min_size=2, max_size=4), steps=st.lists(step, min_size=12, max_size=30))
def test_no_sequence_of_steps_breaks_the_file_or_the_server(world, concepts, steps):
    staff, office, members, functions = world

    def create(member, function, offset):
        return staff.post(
            reverse("appointments:appointment_create", args=[members[member].pk]),
            {"function": functions[function].pk, "start_date": day(offset), "reason": "x", "knowingly": "on"},
        )

    with transaction.atomic():
        for member, function, offset in concepts:
            assert create(member, function, offset).status_code == 302
        for slug, pick, offset in steps:
            appointments = list(Appointment.objects.order_by("pk"))
            if slug == "nieuw":
                response = create(pick % 2, pick // 2 % 2, offset)
            elif slug == "verlenging-beoordelen":
                extension = Extension.objects.filter(status=Extension.Status.PROPOSED).first()
                if extension is None:
                    continue
                response = office.post(
                    reverse("appointments:extension_decide", args=[extension.pk]),
                    {"decision": "approve", "remarks": "", "version": extension.version},
                )
            else:
                appointment = appointments[pick % len(appointments)]
                if slug == "volgende":
                    slug = NEXT.get(appointment.status, "intrekken")
                response = staff.post(
                    reverse("appointments:appointment_action", args=[appointment.pk, slug]),
                    form_for(appointment, offset) | {"version": appointment.version},
                )
            assert response.status_code < 500, (slug, response.status_code)
            assert_one_holder_per_function_and_one_function_per_member()
        transaction.set_rollback(True)
