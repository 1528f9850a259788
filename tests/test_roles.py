"""The roles and the one scoping rule, tested directly [tmgportal.roles]."""

import hashlib
import re
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from appointments.models import Appointment, Function, KBDocument, Member, SideActivity
from salaries.models import Placement
from tests.factories import (
    AppointmentFactory,
    FunctionFactory,
    MemberFactory,
    UserFactory,
    abd_staff_user,
    office_user,
)
from tmgportal import roles

pytestmark = pytest.mark.django_db


def test_each_kind_of_user_has_its_role(ministry_x):
    abd = abd_staff_user()
    office = office_user(ministry_x)
    superuser = UserFactory(username="super", is_superuser=True)
    nobody = UserFactory(username="zonder-rol")
    office_without_ministry = UserFactory(username="bureau-zonder-ministerie")
    office_without_ministry.groups.add(office.groups.get())
    retired = abd_staff_user("oud-medewerker")
    retired.is_active = False
    assert roles.role_of(abd) == roles.ABD_STAFF and roles.may(abd, roles.CHANGE_FILES)
    # An administrator manages accounts; access to member files is the separate choice of the group.
    assert roles.role_of(superuser) == roles.NO_ROLE
    superuser.groups.add(abd.groups.get())
    del superuser._tmg_groups
    assert roles.role_of(superuser) == roles.ABD_STAFF
    assert roles.role_of(office) == roles.MINISTER_OFFICE and not roles.may(office, roles.CHANGE_FILES)
    assert roles.office_ministry_id(office) == ministry_x.pk
    for user in (nobody, office_without_ministry, retired, AnonymousUser()):
        assert roles.role_of(user) == roles.NO_ROLE, user
    assert roles.office_ministry_id(nobody) is None


def test_group_membership_is_read_once_per_user_object(django_assert_num_queries):
    abd = abd_staff_user()
    assert roles.role_of(abd) == roles.ABD_STAFF
    with django_assert_num_queries(0):
        assert roles.role_of(abd) == roles.ABD_STAFF
        assert roles.may(abd, roles.CHANGE_FILES)


def test_each_role_has_its_abilities_and_nothing_else(ministry_x):
    abd, office = abd_staff_user(), office_user(ministry_x)
    assert roles.abilities(abd) == {roles.CHANGE_FILES, roles.MANAGE_REFERENCE, roles.OVERSEE}
    assert roles.abilities(office) == {roles.DECIDE_EXTENSIONS}
    assert roles.abilities(AnonymousUser()) == set()
    roles.require(abd, roles.CHANGE_FILES)
    roles.require(office, roles.DECIDE_EXTENSIONS)
    for user, ability in (
        (office, roles.CHANGE_FILES),
        (abd, roles.DECIDE_EXTENSIONS),
        (AnonymousUser(), roles.OVERSEE),
    ):
        with pytest.raises(PermissionDenied):
            roles.require(user, ability)


def test_templates_ask_for_abilities_that_exist_and_never_for_a_role():
    """A misspelt ability reads as False in a template without an error: this test catches it."""
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "templates"
    asked = set()
    for path in templates.rglob("*.html"):
        text = path.read_text()
        assert "is_abd_staff" not in text and "is_minister_office" not in text, path
        asked |= set(re.findall(r"\bcan\.(\w+)", text))
    assert asked and asked <= roles.ALL_ABILITIES, asked - roles.ALL_ABILITIES


def appointed(member, ministry, start, status, **dates):
    return AppointmentFactory(
        member=member, status=status, start_date=start, function=FunctionFactory(ministry=ministry), **dates
    )


def _file_ministry(member, today):
    return (
        Member.objects.filter(pk=member.pk)
        .annotate(ministry=roles.file_ministry(today=today))
        .values_list("ministry", flat=True)
        .get()
    )


def test_the_file_belongs_to_the_held_appointment_started_latest_by_today(ministry_x, ministry_y):
    member = MemberFactory()
    at_x = appointed(member, ministry_x, date(2015, 1, 1), "ended")
    assert _file_ministry(member, date(2026, 6, 15)) == ministry_x.pk
    at_y = appointed(member, ministry_y, date(2027, 1, 1), "kb_signed")
    # Started by today wins over a later start that lies ahead.
    assert _file_ministry(member, date(2026, 6, 15)) == ministry_x.pk
    assert _file_ministry(member, date(2027, 1, 1)) == ministry_y.pk
    # Of two started ones the latest start; of none started, the first to come (the one that will
    # be current first: appointments.rules.current_appointment).
    assert at_x.start_date < at_y.start_date
    only_future = MemberFactory()
    appointed(only_future, ministry_x, date(2027, 1, 1), "kb_signed", term_end=date(2028, 1, 1))
    appointed(only_future, ministry_y, date(2028, 1, 1), "ended")
    assert _file_ministry(only_future, date(2026, 6, 15)) == ministry_x.pk
    assert _file_ministry(only_future, date(2028, 1, 1)) == ministry_y.pk


def test_a_concept_never_decides_the_file_and_the_default_day_is_today(ministry_x, ministry_y):
    member = MemberFactory()
    AppointmentFactory(member=member, in_function=True, function=FunctionFactory(ministry=ministry_x))
    appointed(member, ministry_y, date(2026, 1, 1), "concept")
    appointed(member, ministry_y, date(2026, 2, 1), "proposed")
    appointed(member, ministry_y, date(2026, 3, 1), "council_agreed")
    ministry = (
        Member.objects.filter(pk=member.pk)
        .annotate(m=roles.file_ministry())
        .values_list("m", flat=True)
        .get()
    )
    assert ministry == ministry_x.pk


def test_two_held_appointments_starting_on_one_day_the_later_record_decides(ministry_x, ministry_y):
    member = MemberFactory()
    # Re-placed on its first day (an empty period), so both may start on that day [ARAR 7.4].
    appointed(member, ministry_x, date(2022, 1, 1), "replaced", ended_on=date(2022, 1, 1))
    appointed(member, ministry_y, date(2022, 1, 1), "ended")
    assert _file_ministry(member, date(2026, 6, 15)) == ministry_y.pk


@pytest.fixture
def two_files(ministry_x, ministry_y, abd_user):
    """A member at X with a concept at Y; a member at Y. Each with a placement, a side activity, a KB."""
    from appointments import services

    at_x = AppointmentFactory(in_function=True, function=FunctionFactory(ministry=ministry_x))
    concept_at_y = AppointmentFactory(member=at_x.member, function=FunctionFactory(ministry=ministry_y))
    at_y = AppointmentFactory(in_function=True, function=FunctionFactory(ministry=ministry_y))
    for appointment in (at_x, at_y):
        services.side_activity_report(
            user=abd_user,
            member=appointment.member,
            organisation="Stichting",
            role="lid",
            is_paid=False,
            start=date(2023, 1, 1),
            reported_on=date(2023, 1, 1),
        )
        Placement.objects.create(
            member=appointment.member,
            appointment=appointment,
            kind="placement",
            valid_from=appointment.start_date,
            scale=19,
            step=0,
        )
    for appointment in (at_x, concept_at_y, at_y):
        KBDocument.objects.create(
            appointment=appointment,
            kind="appointment",
            version=1,
            content=b"%PDF-1.7 test",
            sha256=hashlib.sha256(b"%PDF-1.7 test").hexdigest(),
            dossier_state={},
            created_by=abd_user,
            created_at=timezone.now(),
        )
    return at_x, concept_at_y, at_y


def test_scope_gives_each_office_its_files_and_the_proposals_at_its_ministry(
    two_files, office_x, office_y, abd_user
):
    at_x, concept_at_y, at_y = two_files
    x, y = office_x, office_y

    def ids(model, user):
        return set(model.objects.for_user(user).values_list("pk", flat=True))

    assert ids(Member, x) == {at_x.member_id} and ids(Member, y) == {at_y.member_id}
    assert ids(Appointment, x) == {at_x.pk, concept_at_y.pk}
    assert ids(Appointment, y) == {at_y.pk, concept_at_y.pk}
    assert ids(SideActivity, y) == set(
        SideActivity.objects.filter(member=at_y.member).values_list("pk", flat=True)
    )
    assert ids(Placement, y) == set(Placement.objects.filter(member=at_y.member).values_list("pk", flat=True))
    assert {d.appointment_id for d in KBDocument.objects.for_user(y)} == {at_y.pk, concept_at_y.pk}
    assert ids(Member, abd_user) == {at_x.member_id, at_y.member_id}
    assert ids(Appointment, abd_user) == {at_x.pk, concept_at_y.pk, at_y.pk}
    nobody = UserFactory(username="niemand")
    assert not ids(Member, nobody) and not ids(Appointment, nobody) and not ids(Function, nobody)


def test_the_function_catalogue_is_scoped_by_ministry(ministry_x, ministry_y, office_x, abd_user):
    at_x, at_y = FunctionFactory(ministry=ministry_x), FunctionFactory(ministry=ministry_y)
    assert set(Function.objects.for_user(office_x)) == {at_x}
    assert set(Function.objects.for_user(abd_user)) == {at_x, at_y}


def test_of_two_started_appointments_the_later_start_decides_not_the_later_record(ministry_x, ministry_y):
    member = MemberFactory()
    appointed(member, ministry_y, date(2020, 1, 1), "ended")
    appointed(member, ministry_x, date(2015, 1, 1), "ended", term_end=date(2020, 1, 1))
    assert _file_ministry(member, date(2026, 6, 15)) == ministry_y.pk
