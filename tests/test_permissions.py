"""Who may open which page: every URL pattern must declare its expected access here."""

import hashlib
from datetime import date

import pytest
import time_machine
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from appointments import rules, services
from appointments.models import CalendarFeed, KBDocument
from salaries import services as salary_services
from salaries.models import AllowanceRate, TableChange
from tests.conftest import TEST_TODAY
from tests.factories import (
    AppointmentFactory,
    FunctionFactory,
    MinistryFactory,
    abd_staff_user,
    approved_extension,
    office_user,
)
from tests.pdfs import plain_pdf

pytestmark = pytest.mark.django_db

# Access classes:
#   "abd"     ABD staff only: ABD 200, offices 403, anonymous -> login
#   "scoped"  a record of ministry X: ABD 200, office X 200, office Y 404, anonymous -> login
#   "staff_scoped" an ABD-only action on a record of ministry X: ABD 200, offices 403/404, anonymous -> login
#   "logged_in"  every role 200 (content scoped), anonymous -> login
#   "public"  everybody 200
#   "login"   the login page itself (200 for anonymous)
#   "redirect" answers with a redirect for every logged-in role
#   "abd_redirect" an ABD-only action that redirects when done: ABD 302, offices 403, anonymous -> login
#   "everyone_redirect" every visitor, anonymous too, is redirected (logout, language switch)
# A third element "POST" sends the request as a POST (with the form's minimal data).
# Every record of ministry X belongs to a member who also has a concept appointment at ministry Y
# (`build_records`): a concept elsewhere must not move the file [tmgportal.roles].
EXPECTED = {
    "home": ("redirect", None),
    "access_history": ("superuser", None),
    "second_factor_verify": ("logged_in", None),
    "second_factor_enrol": ("redirect", None),  # already enrolled: on to verification
    "login": ("login", None),
    "logout": ("everyone_redirect", None, "POST"),
    "set_language": ("everyone_redirect", None, "POST"),
    "favicon": ("everyone_redirect", None),
    "appointments:member_list": ("logged_in", None),
    "appointments:member_export": ("logged_in", ("xlsx",)),
    "appointments:member_create": ("abd", None),
    "appointments:member_detail": ("scoped", "member"),
    "appointments:member_edit": ("staff_scoped", "member"),
    "appointments:member_archive": ("staff_scoped", "member"),
    "appointments:member_restore": ("staff_scoped_missing", "member"),  # only an archived file
    "appointments:function_list": ("logged_in", None),
    "appointments:function_create": ("abd", None),
    "appointments:function_edit": ("abd", "function"),
    "appointments:dashboard": ("logged_in", None),
    "appointments:dashboard_export": ("logged_in", ("xlsx",)),
    "appointments:profile": ("logged_in", None),
    "appointments:search": ("logged_in", None),
    "appointments:regime_comparison": ("abd", None),
    "appointments:regime_comparison_export": ("abd", None),
    "appointments:document_upload": ("staff_scoped", ("dossier", "appointment")),
    "appointments:document_replace": ("staff_scoped", "document"),
    "appointments:document_download": ("scoped", "document"),
    "appointments:forecast": ("logged_in", None),
    "appointments:forecast_export": ("logged_in", ("xlsx",)),
    "appointments:calendar_feed_renew": ("redirect", None, "POST"),
    "appointments:calendar_feed": ("token", ("feed_token",)),
    "appointments:appointment_create": ("abd", "member"),
    "appointments:appointment_detail": ("scoped", "appointment"),
    "appointments:appointment_action": ("staff_scoped", ("appointment", "tussentijds-beeindigen")),
    "appointments:extension_inbox": ("logged_in", None),
    "appointments:extension_decide": ("office_scoped", "extension"),
    "appointments:side_activity_list": ("logged_in", None),
    "appointments:side_activity_detail": ("scoped", "side_activity"),
    "appointments:side_activity_assess": ("staff_scoped", "side_activity"),
    "appointments:side_activity_unpublish": ("staff_scoped", "side_activity"),
    "appointments:side_activity_publish": ("staff_scoped", "side_activity"),
    "appointments:side_activity_reopen": ("staff_scoped", "side_activity"),
    "appointments:side_activity_create": ("abd", "member"),
    "appointments:kb_preview": ("staff_scoped", ("appointment", "kb_kind")),
    "appointments:kb_generate": ("abd_redirect", ("appointment", "kb_kind"), "POST"),
    "appointments:planned_step_cancel": ("abd_redirect", ("planned_dossier", "planned_step"), "POST"),
    "appointments:kb_download": ("scoped", "kb_document"),
    "appointments:kb_sign": ("abd", "kb_document"),
    "appointments:kb_batch": ("abd", None),
    # Approved but its KB facts not yet recorded: ABD gets in and is told what is missing (400).
    "appointments:kb_batch_item": ("abd_incomplete", "approved_extension", "POST"),
    "appointments:kb_batch_zip": ("abd", None),
    "appointments:member_history": ("scoped", "member"),
    "appointments:member_history_export": ("abd", ("member", "csv")),
    "public_register": ("public", None),
    "public_register_json": ("public", None),
    "public_register_csv": ("public", None),
    "public_register_atom": ("public", None),
    "salaries:table_list": ("abd", None),
    "salaries:table_create": ("abd", ("schaal",)),
    "salaries:general_increase_create": ("abd", None),
    "salaries:table_edit": ("abd", ("toelage", "allowance_rate")),
    "salaries:member_pay": ("scoped", "member"),
    "salaries:placement_create": ("staff_scoped", "member"),
    "salaries:wnt_entry": ("staff_scoped", ("member", 2024)),
    "salaries:increase_list": ("abd", None),
    "salaries:wnt_overview": ("abd", None),
    "salaries:wnt_export": ("abd", (2024, "xlsx")),
    "salaries:back_pay_list": ("abd", None),
    "salaries:back_pay_detail": ("abd", "table_change"),
    "salaries:back_pay_export": ("abd", ("table_change", "csv")),
}


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_url_declares_its_access():
    missing = sorted(set(url_names()) - set(EXPECTED))
    assert not missing, f"Add these URLs to EXPECTED with their access: {missing}"


def build_records(*, appointment_x, abd_user, ministry_x, ministry_y, office_x):
    """Every record a URL of the matrix names, of ministry X, its member with a concept at Y."""

    proposal = services.appointment_create(
        user=abd_user,
        member=appointment_x.member,
        function=FunctionFactory(ministry=ministry_y),
        start_date=rules.add_years(appointment_x.start_date, 8),
    )
    other = AppointmentFactory(in_function=True, function=FunctionFactory(ministry=ministry_x))
    approved = approved_extension(
        other,
        proposer=abd_user,
        office=office_x,
        proposed_end=rules.add_years(other.term_end, 1),
        reason_code="age",
    )

    extension = services.extension_propose(
        user=abd_user,
        appointment=appointment_x,
        reason_code="continuity",
        motivation="Continuïteit",
        proposed_end=rules.add_years(appointment_x.term_end, 1),
    )
    rate = salary_services.table_save(
        user=abd_user,
        row=AllowanceRate(kind="representation", valid_from=date(2017, 1, 1), amount=541, source="test"),
        reason="test",
    )
    side_activity = services.side_activity_report(
        user=abd_user,
        member=appointment_x.member,
        organisation="Stichting Proef",
        role="bestuurslid",
        is_paid=False,
        start=date(2023, 1, 1),
        reported_on=date(2023, 1, 1),
    )
    # A stored KB without rendering a PDF for each of the matrix's cases (rendering is tested in test_kb).
    kb_document = KBDocument.objects.create(
        appointment=appointment_x,
        kind="appointment",
        version=1,
        content=b"%PDF-1.7 test",
        sha256=hashlib.sha256(b"%PDF-1.7 test").hexdigest(),
        dossier_state={},
        created_by=abd_user,
        created_at=timezone.now(),
    )
    document = services.document_upload(
        user=abd_user,
        member=appointment_x.member,
        appointment=appointment_x,
        kind="voordracht",
        title="Voordrachtsbrief",
        content=plain_pdf("brief"),
        original_name="brief.pdf",
        reason="test",
    )
    planned_dossier = AppointmentFactory(
        in_function=True,
        start_date=date(2022, 1, 1),
        function=FunctionFactory(ministry=appointment_x.function.ministry),
    )
    planned_step = services.step_plan(
        user=abd_user,
        appointment=planned_dossier,
        action="beeindigen",
        effective_on=planned_dossier.end,
        data={"reason": "Einde termijn"},
        expected_version=planned_dossier.version,
    )
    return {
        "planned_dossier": planned_dossier,
        "planned_step": planned_step,
        "document": document,
        "kb_document": kb_document,
        "kb_kind": "appointment",
        "side_activity": side_activity,
        "allowance_rate": rate,
        "table_change": TableChange.objects.get(),
        "member": appointment_x.member,
        "function": appointment_x.function,
        "appointment": appointment_x,
        "extension": extension,
        "proposal": proposal,
        "approved_extension": approved,
        "feed_token": CalendarFeed.objects.create(user=abd_user).token,
    }


# Query strings a URL needs to reach its view's work rather than a 404.
QUERY = {"appointments:kb_batch_zip": lambda records: f"?kb={records['kb_document'].pk}"}


def url_for(name, arg, records):
    query = QUERY[name](records) if name in QUERY else ""
    if arg is None:
        return reverse(name) + query
    args = arg if isinstance(arg, tuple) else (arg,)
    values = [records[a].pk if hasattr(records.get(a), "pk") else records.get(a, a) for a in args]
    return reverse(name, args=values) + query


def expected_status(access, who):
    table = {
        "abd": {"abd": 200, "office_x": 403, "office_y": 403},
        "abd_incomplete": {"abd": 400, "office_x": 403, "office_y": 403},
        "superuser": {"abd": 403, "office_x": 403, "office_y": 403},
        "staff_scoped_missing": {"abd": 404, "office_x": 403, "office_y": 403},
        "scoped": {"abd": 200, "office_x": 200, "office_y": 404},
        "staff_scoped": {"abd": 200, "office_x": 403, "office_y": 403},
        "logged_in": {"abd": 200, "office_x": 200, "office_y": 200},
        "public": {"abd": 200, "office_x": 200, "office_y": 200, "anonymous": 200},
        "redirect": {"abd": 302, "office_x": 302, "office_y": 302},
        "login": {"abd": 302, "office_x": 302, "office_y": 302, "anonymous": 200},
        "abd_redirect": {"abd": 302, "office_x": 403, "office_y": 403},
        "everyone_redirect": {"abd": 302, "office_x": 302, "office_y": 302, "anonymous": 302},
        "office_scoped": {"abd": 403, "office_x": 200, "office_y": 404},
        "token": {"abd": 200, "office_x": 200, "office_y": 200, "anonymous": 200},
    }[access]
    return table.get(who)


@pytest.fixture(scope="class")
def world(django_db_setup, django_db_blocker):
    """The users and records of the matrix, built once for the class (on the test day) inside a
    transaction that is rolled back after its last test; each test runs in a savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(TEST_TODAY, tick=False):
            ministry_x, ministry_y = (
                MinistryFactory(name="Ministerie van Proefzaken X", abbreviation="PZX"),
                (MinistryFactory(name="Ministerie van Proefzaken Y", abbreviation="PZY")),
            )
            users = {
                "abd": abd_staff_user(),
                "office_x": office_user(ministry_x),
                "office_y": office_user(ministry_y),
                "anonymous": None,
            }
            appointment_x = AppointmentFactory(
                in_function=True, function=FunctionFactory(ministry=ministry_x)
            )
            records = build_records(
                appointment_x=appointment_x,
                abd_user=users["abd"],
                ministry_x=ministry_x,
                ministry_y=ministry_y,
                office_x=users["office_x"],
            )
        yield users, records
        transaction.set_rollback(True)


# One worker builds the class's world once. Who may open what is decided by the roles and the scope,
# the same on both engines (the scope's SQL is tested on both in test_scoping): the PostgreSQL pass.
@pytest.mark.xdist_group("access-matrix")
@pytest.mark.once
class TestAccessMatrix:
    @pytest.mark.parametrize("name", sorted(EXPECTED))
    @pytest.mark.parametrize("who", ["abd", "office_x", "office_y", "anonymous"])
    def test_access_matrix(self, name, who, client, world):
        users, records = world
        access, arg, *method = EXPECTED[name]
        if users[who]:
            client.force_login(users[who])
        url = url_for(name, arg, records)
        response = client.post(url, {"language": "nl"}) if method == ["POST"] else client.get(url)
        expected = expected_status(access, who)
        if who == "anonymous" and expected is None:
            assert response.status_code == 302, url
            assert response.url.startswith(reverse("login")), url
        else:
            assert expected is not None, f"{name}: no expectation for {who}"
            assert response.status_code == expected, url

    @pytest.mark.parametrize(
        "who, expected", [("abd", 200), ("office_x", 200), ("office_y", 200), ("anonymous", 302)]
    )
    def test_the_proposal_dossier_is_open_to_the_office_of_the_proposed_ministry(
        self, who, expected, client, world
    ):
        users, records = world
        if users[who]:
            client.force_login(users[who])
        url = reverse("appointments:appointment_detail", args=[records["proposal"].pk])
        assert client.get(url).status_code == expected


def test_office_of_another_ministry_cannot_see_the_member_in_lists_or_exports(office_y_client, appointment_x):
    surname = appointment_x.member.surname
    assert surname not in office_y_client.get(reverse("appointments:member_list")).text
    assert (
        surname
        not in office_y_client.get(reverse("appointments:member_export", args=["csv"])).content.decode()
    )


def test_office_of_the_ministry_sees_its_member(office_x_client, appointment_x):
    assert appointment_x.member.surname in office_x_client.get(reverse("appointments:member_list")).text
