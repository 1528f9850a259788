"""Pay on a date, per month and per year, from placements and dated tables [BBRA; CAO17; WNT]."""

from datetime import date
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from appointments import rules
from appointments.models import Appointment, SearchPeriod
from salaries import rules as salary_rules
from salaries import selectors, services
from salaries.models import AllowanceRate, Placement, ScaleTable, TableChange, WntYearEntry
from salaries.pay import MemberPay, TableSet, wnt_year
from tests.factories import AppointmentFactory, FunctionFactory, arrange

from .conftest import TEST_SCALE_18, new_scale_19_from

pytestmark = pytest.mark.django_db


def place(user, appointment, *, valid_from=None, step=0, motivation="", **kwargs):
    return services.placement_create(
        user=user,
        member=appointment.member,
        appointment=appointment,
        valid_from=valid_from or appointment.start_date,
        step=step,
        motivation=motivation,
        **kwargs,
    )


def raise_step(user, appointment, *, on, step):
    """A yearly step increase [BBRA 7] of the member of `appointment`, from `on`."""
    return services.placement_create(
        user=user,
        member=appointment.member,
        appointment=appointment,
        valid_from=on,
        step=step,
        motivation="",
        kind="increase",
    )


def pay_of(member):
    return MemberPay(type(member).objects.get(pk=member.pk), TableSet.current())


@pytest.fixture
def dg(pay_tables, ministry_x):
    return AppointmentFactory(
        in_function=True,
        start_date=date(2022, 1, 1),
        function=FunctionFactory(ministry=ministry_x, group="A"),
    )


def test_the_salary_on_a_date_comes_from_the_table_derived_for_that_date(abd_user, dg):
    place(abd_user, dg, step=10, motivation="Ruime ervaring als DG")
    day = pay_of(dg.member).on(date(2022, 1, 1))
    assert day.salary.value == Decimal("10958.30")  # the table of 1 July 2021: 2017 + six increases
    assert "Afgeleid" in day.salary.source and "2%" in day.salary.source
    assert day.representation.value == Decimal("541.36")
    assert day.sg_allowance is None
    assert day.total == Decimal("11499.66")


def test_lookup_on_the_first_day_of_a_validity_period_and_the_day_before(abd_user, dg):
    place(abd_user, dg)
    pay = pay_of(dg.member)
    assert pay.on(date(2024, 6, 30)).salary.value == Decimal("9024.04")
    assert pay.on(date(2024, 7, 1)).salary.value == Decimal("9841.08")
    assert "8,5% + €\u00a050,00" in pay.on(date(2024, 7, 1)).salary.source


def test_no_table_in_force_is_named_never_zero(abd_user, pay_tables, ministry_x):
    appointment = AppointmentFactory(
        in_function=True, start_date=date(2016, 6, 1), function=FunctionFactory(ministry=ministry_x)
    )
    with pytest.raises(ValidationError) as error:
        place(abd_user, appointment)  # scale 19 has no table before 2017
    assert "geen bedragen van schaal 19" in str(error.value)
    assert not Placement.objects.exists()


def test_excellence_amounts_of_scale_18_by_period(abd_user, pay_tables, ministry_x):
    appointment = AppointmentFactory(
        in_function=True,
        start_date=date(2015, 8, 1),
        function=FunctionFactory(ministry=ministry_x, group="B"),
    )
    # No scale 18 step table before 2017: record the placement directly as history would hold it.
    Placement.objects.create(
        member=appointment.member,
        appointment=appointment,
        kind="placement",
        valid_from=date(2015, 8, 1),
        scale=18,
        step=10,
        excellence=2,
    )
    pay = pay_of(appointment.member)
    assert pay.on(date(2015, 8, 31)).salary.value == Decimal("9203.54")  # BBRA 9 a
    assert pay.on(date(2015, 9, 1)).salary.value == Decimal("9318.58")  # BBRA 9 b
    assert pay.on(date(2016, 1, 1)).salary.value == Decimal("9598.14")  # BBRA 8.2b


def test_sg_for_part_of_a_year(abd_user, pay_tables, ministry_x):
    sg = AppointmentFactory(
        in_function=True,
        start_date=date(2024, 7, 1),
        function=FunctionFactory(ministry=ministry_x, title="secretaris-generaal", is_sg=True),
    )
    place(abd_user, sg)
    pay = pay_of(sg.member)
    assert pay.month(2024, 6).total == 0
    july = pay.month(2024, 7)
    assert (july.salary, july.sg_allowance, july.representation) == (
        Decimal("9841.08"),
        Decimal("492.05"),
        Decimal("541.36"),
    )
    result = wnt_year(pay, 2024)
    assert result.computed_reward == 6 * (Decimal("9841.08") + Decimal("492.05"))
    assert result.days_employed == 184
    assert result.maximum.value == Decimal("117136.61")  # 233000 x 184 / 366


def test_sg_allowance_stops_when_the_sg_function_ends(abd_user, pay_tables, ministry_x):
    sg = AppointmentFactory(
        in_function=True,
        start_date=date(2020, 1, 1),
        function=FunctionFactory(ministry=ministry_x, title="secretaris-generaal", is_sg=True),
    )
    place(abd_user, sg)
    arrange(sg, status=Appointment.Status.SEARCH_PERIOD, ended_on=date(2024, 4, 1))
    pay = pay_of(sg.member)
    assert pay.on(date(2024, 3, 31)).sg_allowance.value == Decimal("451.20")
    during_search_period = pay.on(date(2024, 4, 1))
    assert during_search_period.sg_allowance is None and during_search_period.representation is None
    assert during_search_period.salary.value == Decimal("9024.04")  # the salary continues [CAO17]


def test_member_moves_from_group_b_to_group_a_mid_year(abd_user, pay_tables, ministry_x):
    b = AppointmentFactory(
        status=Appointment.Status.REPLACED,
        start_date=date(2022, 1, 1),
        ended_on=date(2024, 4, 1),
        function=FunctionFactory(ministry=ministry_x, group="B", title="hoofddirecteur"),
    )
    place(abd_user, b, step=2, motivation="Ervaring")
    a = AppointmentFactory(
        in_function=True,
        member=b.member,
        start_date=date(2024, 4, 1),
        function=FunctionFactory(ministry=ministry_x),
    )
    placement = place(abd_user, a)
    assert placement.scale == 19
    pay = pay_of(b.member)
    assert pay.on(date(2024, 3, 31)).salary.value == TEST_SCALE_18[2]
    assert pay.on(date(2024, 4, 1)).salary.value == Decimal("9024.04")
    result = wnt_year(pay, 2024)
    assert result.computed_reward == 3 * TEST_SCALE_18[2] + 3 * Decimal("9024.04") + 6 * Decimal("9841.08")
    # Back to a group B function: scale 19 is kept [CAO17].
    arrange(a, status=Appointment.Status.REPLACED, ended_on=date(2025, 1, 1))
    later = AppointmentFactory(
        in_function=True,
        member=b.member,
        start_date=date(2025, 1, 1),
        function=FunctionFactory(ministry=ministry_x, group="B"),
    )
    assert place(abd_user, later, step=1, motivation="Behoud").scale == 19


def test_a_part_month_is_paid_by_calendar_days(abd_user, pay_tables, ministry_x):
    appointment = AppointmentFactory(
        in_function=True, start_date=date(2024, 4, 15), function=FunctionFactory(ministry=ministry_x)
    )
    place(abd_user, appointment)
    april = pay_of(appointment.member).month(2024, 4)
    assert april.days_paid == 16
    assert april.salary == Decimal("4812.82")  # 9024.04 x 16 / 30


def test_pay_stops_when_employment_ends(abd_user, pay_tables, ministry_x):

    appointment = AppointmentFactory(
        status=Appointment.Status.EMPLOYMENT_ENDED,
        start_date=date(2017, 1, 1),
        function=FunctionFactory(ministry=ministry_x),
    )
    place(abd_user, appointment)
    SearchPeriod.objects.create(
        appointment=appointment,
        start=date(2024, 1, 1),
        end=date(2026, 1, 1),
        outcome="mutual_consent",
        outcome_date=date(2025, 3, 1),
    )
    pay = pay_of(appointment.member)
    assert pay.on(date(2025, 2, 28)).is_paid
    assert not pay.on(date(2025, 3, 1)).is_paid


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"step": 11, "motivation": "x"}, "step", "bestaat niet"),
        ({"step": 3}, "motivation", "BBRA 6"),
        ({"step": 9, "excellence": 1, "motivation": "x"}, "excellence", "hoogste trede"),
        ({"valid_from": date(2021, 12, 31)}, "valid_from", "vóór de start"),
    ],
)
def test_bad_placements_are_refused_in_dutch_and_nothing_is_saved(abd_user, dg, kwargs, field, message):
    with pytest.raises(ValidationError) as error:
        place(abd_user, dg, **kwargs)
    assert message in " ".join(error.value.message_dict[field])
    assert not Placement.objects.exists()


def test_placement_records_who_and_why(abd_user, dg):
    placement = place(abd_user, dg, step=2, motivation="Ruime ervaring")
    record = placement.history.get()
    assert (record.history_user, record.history_change_reason) == (abd_user, "Ruime ervaring")


def test_overlapping_table_is_refused_and_not_saved(abd_user, pay_tables):
    row = ScaleTable(scale=19, valid_from=date(2020, 2, 1), step_0=Decimal("8000"), source="test")
    with pytest.raises(ValidationError) as error:
        services.table_save(user=abd_user, row=row, reason="test")
    assert "overlapt" in str(error.value)
    assert not ScaleTable.objects.filter(valid_from=date(2020, 2, 1)).exists()


def test_new_amounts_from_a_date_close_the_open_row(abd_user, pay_tables):
    new_scale_19_from(abd_user, date(2027, 1, 1))
    old = ScaleTable.objects.get(scale=19, valid_from=date(2024, 7, 1))
    assert old.valid_until == date(2027, 1, 1)
    assert old.history.latest().history_change_reason == "CAO-verhoging"


def test_retroactive_raise_lists_back_pay_month_by_month(abd_user, dg):
    place(abd_user, dg)
    this_month = timezone.localdate().replace(day=1)
    new_scale_19_from(abd_user, this_month - relativedelta(months=2))
    change = TableChange.objects.get(table="scaletable")
    rows, incomplete = selectors.back_pay(abd_user, change)
    assert incomplete == 0
    months = [this_month - relativedelta(months=n) for n in (2, 1, 0)]
    assert [(r.year, r.month) for r in rows] == [(m.year, m.month) for m in months]
    assert {r.difference for r in rows} == {Decimal("100.00")}
    assert all(r.member == dg.member for r in rows)


def test_a_change_starting_today_or_later_is_not_retroactive(abd_user, pay_tables):
    row = AllowanceRate.objects.get(kind="representation", valid_from__isnull=True)
    row.valid_from = date(2099, 1, 1)
    services.table_save(user=abd_user, row=row, reason="toekomst", close_previous=True)
    assert not TableChange.objects.exists()


def test_pay_near_the_wnt_maximum(abd_user, dg):
    place(abd_user, dg, valid_from=date(2024, 1, 1), step=10, motivation="Top")
    pay = pay_of(dg.member)
    result = wnt_year(pay, 2024)
    assert result.computed_reward == 6 * Decimal("11821.18") + 6 * Decimal("12875.98")
    assert not result.position.is_near
    services.wnt_entry_save(
        user=abd_user,
        member=dg.member,
        year=2024,
        expected_version=None,
        reason="salarisadministratie",
        other_reward=Decimal("55000"),
        taxable_expense_allowances=Decimal("0"),
        pension_employer_share=Decimal("25000"),
    )
    result = wnt_year(pay, 2024, WntYearEntry.objects.get())
    assert result.bezoldiging == Decimal("228182.96")
    assert result.position.is_near and not result.position.is_above
    entry = WntYearEntry.objects.get()
    services.wnt_entry_save(
        user=abd_user,
        member=dg.member,
        year=2024,
        expected_version=entry.version,
        reason="correctie",
        pension_employer_share=Decimal("40000"),
    )
    result = wnt_year(pay, 2024, WntYearEntry.objects.get())
    assert result.position.is_above


def test_no_wnt_maximum_for_the_year_is_said_not_guessed(abd_user, dg):
    place(abd_user, dg)
    result = wnt_year(pay_of(dg.member), 2027)
    assert result.maximum is None and result.position is None
    assert not result.is_complete


def test_yearly_increase_due_list_and_apply(abd_user, dg):
    placement = place(abd_user, dg, step=4, motivation="Ervaring")
    due, _ = selectors.due_increases(abd_user, today=date(2022, 12, 31))
    assert due == []
    due, _ = selectors.due_increases(abd_user, today=date(2023, 1, 1))
    assert [row.placement_id for row in due] == [placement.pk]
    new = services.placement_increase(
        user=abd_user, placement=placement, expected_version=placement.version, reason="Goed functioneren"
    )
    assert (new.step, new.valid_from, new.kind) == (5, date(2023, 1, 1), "increase")
    assert new.history.get().history_change_reason == "Goed functioneren"


def test_system_check_refuses_overlapping_tables_that_bypassed_the_screens(pay_tables):
    from django.core.checks import run_checks

    assert not [e for e in run_checks(databases=["default"]) if e.id == "salaries.E001"]
    ScaleTable.objects.create(scale=19, valid_from=date(2020, 1, 1), step_0=Decimal("1"), source="bulk")
    assert {e.id for e in run_checks(databases=["default"]) if e.id.startswith("salaries")} == {
        "salaries.E001"
    }


def test_the_step_increase_list_finds_exactly_whom_each_members_pay_says_is_due(
    abd_user, pay_tables, ministry_x
):
    """The list picks candidates in the database; each member's own pay (MemberPay.placement_on and
    rules.increases_due, the oracle here) must agree, for every kind of member and on awkward days."""

    def member_with(start, *, step=0, excellence=0, ended_on=None):
        appointment = AppointmentFactory(
            in_function=True, start_date=start, function=FunctionFactory(ministry=ministry_x, group="A")
        )
        place(abd_user, appointment, step=step, excellence=excellence, motivation="x" if step else "")
        if ended_on:
            SearchPeriod.objects.create(
                appointment=appointment,
                start=ended_on,
                end=rules.add_months(ended_on, 24),
                outcome="court",
                outcome_date=ended_on,
            )
        return appointment.member

    members = [
        member_with(date(2024, 2, 29)),  # a leap day: due on 28 February
        member_with(date(2023, 3, 1), step=9),
        member_with(date(2023, 3, 1), step=10),  # at the top
        member_with(date(2023, 3, 1), step=10, excellence=1),
        member_with(date(2021, 7, 1), step=2),  # several years due
        member_with(date(2021, 7, 1), ended_on=date(2024, 1, 1)),  # employment ended
        member_with(date(2025, 6, 1)),
    ]
    for today in (date(2025, 2, 27), date(2025, 2, 28), date(2025, 6, 1), date(2026, 6, 15)):
        due, unknown = selectors.due_increases(abd_user, today=today)
        expected = {}
        for member in members:
            pay = pay_of(member)
            placement = pay.placement_on(today)
            if placement is None:
                continue
            top = pay.tables.scale_table(placement.scale, today).top_step
            dates = salary_rules.increases_due(
                step=placement.step,
                top_step=top,
                excellence=placement.excellence,
                last_change=placement.valid_from,
                today=today,
            )
            if dates:
                expected[member.pk] = dates
        assert {row.member_id: row.due_dates for row in due} == expected, today
        assert unknown == []
    assert len(expected) >= 3
