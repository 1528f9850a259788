"""Pay computed once per change: the stored months equal a fresh computation after every
kind of change, the cross-member pages read them, and the rebuild command finds any difference."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from appointments.models import Appointment, SearchPeriod
from salaries import figures, selectors
from salaries.models import PayMonth
from salaries.pay import MemberPay, TableSet
from tests.factories import AppointmentFactory, FunctionFactory

from .conftest import new_scale_19_from
from .test_pay import place, raise_step

pytestmark = pytest.mark.django_db


@pytest.fixture
def careers(abd_user, pay_tables, ministry_x):
    """A DG in function, an SG, and a member whose employment ended after a search period."""
    dg = AppointmentFactory(
        in_function=True, start_date=date(2022, 1, 1), function=FunctionFactory(ministry=ministry_x)
    )
    sg = AppointmentFactory(
        in_function=True,
        start_date=date(2023, 7, 15),
        function=FunctionFactory(ministry=ministry_x, title="secretaris-generaal", is_sg=True),
    )
    ended = AppointmentFactory(
        status=Appointment.Status.EMPLOYMENT_ENDED,
        start_date=date(2017, 1, 1),
        function=FunctionFactory(ministry=ministry_x),
    )
    # Arranged as a record (the file's services are tested elsewhere), before the pay facts are
    # entered through the pay services, which store the months.
    SearchPeriod.objects.create(
        appointment=ended,
        start=date(2024, 1, 1),
        end=date(2026, 1, 1),
        outcome="mutual_consent",
        outcome_date=date(2025, 3, 1),
    )
    for appointment in (dg, sg, ended):
        place(abd_user, appointment)
    raise_step(abd_user, dg, on=date(2023, 1, 1), step=1)
    return dg, sg, ended


def test_the_store_equals_a_fresh_computation_after_each_change(careers):
    dg, sg, ended = careers
    assert figures.rebuild(write=False) == []
    months = PayMonth.objects.filter(member=ended.member)
    assert months.last().month == date(2025, 3, 1) and months.last().days_paid == 0
    assert PayMonth.objects.filter(member=dg.member).last().month == date(2027, 12, 1)  # the horizon
    july = PayMonth.objects.get(member=sg.member, month=date(2023, 7, 1))
    assert july.days_paid == 17 and july.first_paid_day == date(2023, 7, 15) and july.sg_allowance > 0


def test_a_table_change_refreshes_the_members_it_touches_at_once(careers, abd_user):
    dg, _, _ = careers
    new_scale_19_from(abd_user, date(2027, 1, 1))
    assert PayMonth.objects.get(member=dg.member, month=date(2027, 1, 1)).salary == Decimal("10233.92")
    assert PayMonth.objects.get(member=dg.member, month=date(2026, 12, 1)).salary == Decimal("10133.92")
    assert figures.rebuild(write=False) == []


def test_the_wnt_pages_read_the_store_and_agree_with_the_computation(
    careers, abd_user, abd_client, monkeypatch
):
    live = {row.member.pk: row for row in selectors.wnt_rows(abd_user, 2024)}
    monkeypatch.setattr(figures, "horizon", lambda today: date(2000, 1, 1))  # force the live path
    computed = {row.member.pk: row for row in selectors.wnt_rows(abd_user, 2024)}
    monkeypatch.undo()
    assert live.keys() == computed.keys() and len(live) == 3
    for pk, row in live.items():
        other = computed[pk]
        assert (row.bezoldiging, row.maximum, row.fte, row.employment, row.outdated) == (
            other.bezoldiging,
            other.maximum,
            other.fte,
            other.employment,
            other.outdated,
        )

    def never(*args, **kwargs):
        raise AssertionError("a page across members recomputed a month")

    monkeypatch.setattr(MemberPay, "month", never)
    assert abd_client.get(reverse("salaries:wnt_overview"), {"jaar": 2024}).status_code == 200
    assert abd_client.get(reverse("appointments:dashboard")).status_code == 200
    assert abd_client.get(reverse("salaries:wnt_export", args=[2024, "csv"])).status_code == 200


def test_the_rebuild_command_finds_and_repairs_a_difference(careers):
    dg, _, _ = careers
    PayMonth.objects.filter(member=dg.member, month=date(2024, 3, 1)).update(salary=Decimal("1.00"))
    with pytest.raises(CommandError, match="1 stored months differ"):
        call_command("rebuild_pay_figures", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("rebuild_pay_figures", stdout=out)
    assert "2024-03: bedragen verschillen" in out.getvalue()
    call_command("rebuild_pay_figures", "--check", stdout=io.StringIO())


def test_the_store_does_not_depend_on_the_language_it_was_computed_in(careers, abd_client):
    with translation.override("en"):
        figures.rebuild(write=True)
    with translation.override("nl"):
        assert figures.rebuild(write=False) == []
    overview = abd_client.get(reverse("salaries:wnt_overview"), {"jaar": 2026}).text
    assert "salaristabel schaal 19: bedrag uit de tabel van 1 juli 2024" in overview


def test_a_batch_refreshes_each_member_once_at_its_end(careers, abd_user, monkeypatch):
    dg, _, _ = careers
    calls = []
    real = figures.refresh
    monkeypatch.setattr(figures, "refresh", lambda ids, **kw: (calls.append(set(ids)), real(ids, **kw)))
    with figures.batch():
        raise_step(abd_user, dg, on=date(2024, 1, 1), step=2)
        raise_step(abd_user, dg, on=date(2025, 1, 1), step=3)
        assert calls == []
    assert calls == [{dg.member.pk}]
    assert PayMonth.objects.get(member=dg.member, month=date(2025, 1, 1)).salary == Decimal("10735.89")


@pytest.mark.today(date(2026, 6, 15))
def test_the_services_of_the_file_refresh_the_stored_pay_in_their_own_transaction(careers, abd_user):
    """No signal does it: the catalogue's and the dossier's services call the refresh themselves."""
    from appointments import services as file_services

    dg, sg, _ = careers
    month = date(2026, 3, 1)
    assert PayMonth.objects.get(member=dg.member, month=month).sg_allowance == 0
    file_services.function_update(
        user=abd_user, function=dg.function, expected_version=dg.function.version, is_sg=True, reason="SG"
    )
    assert PayMonth.objects.get(member=dg.member, month=month).sg_allowance > 0

    assert PayMonth.objects.get(member=sg.member, month=month).sg_allowance > 0
    file_services.appointment_terminate_early(
        user=abd_user, appointment=sg, date=date(2026, 1, 1), reason="Op eigen verzoek"
    )
    assert PayMonth.objects.get(member=sg.member, month=month).sg_allowance == 0
    assert figures.rebuild(write=False) == []


@pytest.mark.today(date(2026, 6, 15))
def test_the_pay_page_and_the_member_page_read_the_stored_months_and_years(
    careers, abd_user, abd_client, monkeypatch
):
    dg, sg, _ = careers
    today = date(2026, 6, 15)
    pay = MemberPay(sg.member, TableSet.current())
    shown = selectors.member_months(pay, *pay.history_range(today), today=today)
    assert [(m.first_day, m.total) for m in shown] == [
        (m.first_day, m.total) for m in pay.months(*pay.history_range(today))
    ]
    # The chart's rate of the first, part month is the full monthly pay of its last day, no dip.
    rates = dict(selectors.monthly_rates(sg.member, *pay.history_range(today), today=today))
    assert rates[date(2023, 7, 1)] == pay.on(date(2023, 7, 31)).total == rates[date(2023, 8, 1)]
    assert shown[0].total < rates[date(2023, 7, 1)]

    def never(*args, **kwargs):
        raise AssertionError("a page recomputed a stored month")

    monkeypatch.setattr(MemberPay, "month", never)
    for member in (dg.member, sg.member):
        page = abd_client.get(reverse("salaries:member_pay", args=[member.pk]), {"jaar": 2025})
        assert page.status_code == 200 and "Bezoldiging" in page.text
        assert abd_client.get(reverse("appointments:member_detail", args=[member.pk])).status_code == 200


@pytest.mark.today(date(2026, 6, 15))
def test_the_cached_months_of_the_pay_page_follow_a_new_placement_at_once(careers, abd_user, abd_client):
    from tmgportal.templatetags.tmg import euro

    dg, _, _ = careers
    url = reverse("salaries:member_pay", args=[dg.member.pk])
    abd_client.get(url)  # the months table is now cached
    raise_step(abd_user, dg, on=date(2026, 1, 1), step=5)
    june = PayMonth.objects.get(member=dg.member, month=date(2026, 6, 1))
    page = abd_client.get(url).text
    months = page[page.index('id="months-heading"') :]
    row = months[months.index("juni 2026</th>") :].split("</tr>")[0]
    with translation.override("nl"):
        assert euro(june.salary) in row
