"""History is append-only in fact: no history row can be changed or lose its author, from the
application or from a plain database connection; the retention pass is the one marked exception,
and it leaves no personal free text behind in any table."""

import io
from datetime import date

import psycopg
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, models, transaction
from django.db.models.functions import Cast

from appointments import services
from appointments.models import Appointment, Member, SearchPeriod
from salaries import services as salary_services
from salaries.models import WntYearEntry
from tests.conftest import BulkWriteOnTrackedModel
from tests.factories import AppointmentFactory, FunctionFactory, MemberFactory
from tmgportal.history import HistoryIsAppendOnly, retention_pass
from tmgportal.signals import UserDeletionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracked_member(abd_user):
    member = MemberFactory(surname="Spoorvast")
    services.member_update(
        user=abd_user, member=member, expected_version=1, phone="070-1234567", reason="tel"
    )
    return member


def test_history_rows_cannot_be_changed_or_deleted_through_the_orm(tracked_member):
    rows = Member.history.filter(id=tracked_member.pk)
    count = rows.count()
    with pytest.raises(HistoryIsAppendOnly, match="update of HistoricalMember"):
        rows.update(surname="Vervalst")
    with pytest.raises(HistoryIsAppendOnly, match="delete of HistoricalMember"):
        rows.delete()
    row = rows.first()
    row.surname = "Vervalst"
    with pytest.raises(HistoryIsAppendOnly, match="change of HistoricalMember"):
        row.save()
    with pytest.raises(HistoryIsAppendOnly, match="delete of HistoricalMember"), transaction.atomic():
        row.delete()
    assert rows.count() == count and not rows.filter(surname="Vervalst").exists()


@pytest.mark.parametrize(
    "command, options",
    [("clean_old_history", {"days": 0, "auto": True}), ("clean_duplicate_history", {"auto": True})],
)
def test_simple_historys_cleanup_commands_refuse_to_run(command, options, tracked_member):
    count = Member.history.count()
    with pytest.raises(CommandError, match="append-only"):
        call_command(command, **options, stdout=io.StringIO())
    assert Member.history.count() == count


def test_users_are_deactivated_never_deleted_so_history_keeps_its_author(tracked_member, abd_user):
    with pytest.raises(UserDeletionRefused), transaction.atomic():
        abd_user.delete()
    assert Member.history.filter(id=tracked_member.pk, history_user=abd_user).exists()


def _history_table():
    return Member.history.model._meta.db_table


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_plain_database_connection_cannot_change_or_delete_history(abd_user):
    member = MemberFactory(surname="Onveranderlijk")
    member._history_user = abd_user
    member.save()
    settings = connection.settings_dict
    plain = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"],
        port=settings["PORT"] or None,
        autocommit=True,
    )
    table = _history_table()
    try:
        with plain.cursor() as cursor:
            for statement in (
                f'UPDATE "{table}" SET surname = %s',
                f'UPDATE "{table}" SET history_user_id = NULL',
                f'DELETE FROM "{table}"',
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                    cursor.execute(statement, ["Vervalst"] if "%s" in statement else None)
            # The retention pass identifies itself: UPDATE is then allowed, DELETE never.
            with plain.transaction():
                cursor.execute("SELECT set_config('tmgportal.retention_pass', 'on', true)")
                cursor.execute(f'UPDATE "{table}" SET phone = %s WHERE id = %s', ["", member.pk])
                with (
                    pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"),
                    plain.transaction(),
                ):
                    cursor.execute(f'DELETE FROM "{table}"')
        assert Member.history.filter(id=member.pk, surname="Onveranderlijk", history_user=abd_user).exists()
    finally:
        plain.close()


def test_bulk_writes_on_tracked_models_raise_whatever_the_path(tracked_member):
    queryset = Member.objects.filter()
    for write in (
        lambda: queryset.update(surname="x"),
        lambda: Member._default_manager.update(surname="x"),
        lambda: tracked_member.side_activities.update(role="x"),
        lambda: Member.objects.filter(pk=0).delete(),
        lambda: Member.objects.bulk_create(
            [Member(surname="x", initials="X.", date_of_birth=date(1970, 1, 1))]
        ),
    ):
        with pytest.raises(BulkWriteOnTrackedModel):
            write()
    with retention_pass():
        assert Member.objects.filter(pk=tracked_member.pk).update(phone="") == 1


MARKER = "GEVOELIG-ziekte-7731"


@pytest.fixture
def sensitive_file(abd_user, office_x, ministry_x):
    """A member who left long ago, with the marker in every free text and every reason of the file."""
    member = MemberFactory(surname=f"{MARKER}-naam", email="oud@voorbeeld.invalid")
    member = services.member_update(
        user=abd_user, member=member, expected_version=1, phone="0612345678", reason=f"{MARKER} telefoon"
    )
    appointment = AppointmentFactory(
        in_function=True,
        member=member,
        start_date=date(2012, 1, 1),
        function=FunctionFactory(ministry=ministry_x),
    )
    services.conversation_record(
        user=abd_user,
        appointment=appointment,
        held_on=date(2017, 1, 10),
        outcome="extend",
        notes=f"{MARKER} gespreksverslag",
        reason=f"{MARKER} gesprek",
    )
    extension = services.extension_propose(
        user=abd_user,
        appointment=appointment,
        reason_code="age",
        motivation=f"{MARKER} motivering",
        proposed_end=date(2020, 1, 1),
        late_motivation=f"{MARKER} late beslissing",
        reason=f"{MARKER} voorstel",
    )
    services.extension_decide(
        user=office_x, extension=extension, approve=False, remarks=f"{MARKER} opmerking"
    )
    activity = services.side_activity_report(
        user=abd_user,
        member=member,
        organisation=f"{MARKER} stichting",
        role=f"{MARKER} rol",
        is_paid=False,
        start=date(2013, 1, 1),
        reported_on=date(2013, 1, 1),
        reason=f"{MARKER} melding",
    )
    services.side_activity_assess(
        user=abd_user,
        activity=activity,
        expected_version=activity.version,
        assessment="permitted_with_conditions",
        conditions=f"{MARKER} voorwaarden",
        motivation=f"{MARKER} motivering",
    )
    services.appointment_terminate_early(
        user=abd_user, appointment=appointment, date=date(2016, 1, 1), reason=f"{MARKER} ontslagreden"
    )
    services.search_period_start(user=abd_user, appointment=appointment, reason=f"{MARKER} zoektermijn")
    period = SearchPeriod.objects.get(appointment=appointment)
    services.search_period_close(
        user=abd_user,
        search_period=period,
        outcome="mutual_consent",
        on=date(2017, 1, 1),
        reason=f"{MARKER} einde",
    )
    salary_services.wnt_entry_save(
        user=abd_user,
        member=member,
        year=2015,
        expected_version=None,
        excess_reason=f"{MARKER} overschrijding",
        reason=f"{MARKER} wnt",
    )
    return member


def text_columns():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                yield model, field.column, field.attname


def test_retention_leaves_no_personal_free_text_in_any_table(settings, sensitive_file):
    found_before = [f"{m.__name__}.{c}" for m, c, a in text_columns() if _contains(m, a)]
    assert len(found_before) >= 10, found_before  # the marker really is everywhere first
    settings.TMG_RETENTION_YEARS = 2
    call_command("anonymise_expired", stdout=io.StringIO())
    assert [f"{m.__name__}.{c}" for m, c, a in text_columns() if _contains(m, a)] == []
    assert Appointment.history.filter(member_id=sensitive_file.pk).exists()  # history kept, cleared
    assert WntYearEntry.objects.filter(member=sensitive_file).exists()


def _contains(model, attname) -> bool:
    return (
        model._base_manager.annotate(_text=Cast(attname, models.TextField()))
        .filter(_text__contains=MARKER)
        .exists()
    )
