"""The pay rules in the law's words [BBRA; CAO17; WNT]; arithmetic only, no database."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salaries import rules
from salaries.rules import Cited


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ((date(2017, 1, 1), date(2024, 7, 1)), (date(2024, 7, 1), None), False),  # end is exclusive
        ((date(2017, 1, 1), date(2024, 7, 2)), (date(2024, 7, 1), None), True),
        ((date(2017, 1, 1), None), (date(2024, 7, 1), None), True),
        ((date(2015, 1, 1), date(2015, 9, 1)), (date(2015, 9, 1), date(2016, 1, 1)), False),
    ],
)
def test_validity_periods_overlap_only_when_they_share_a_day(a, b, overlap):
    assert rules.periods_overlap(*a, *b) is overlap
    assert rules.periods_overlap(*b, *a) is overlap


def test_a_row_without_start_date_is_in_force_on_no_date():
    assert not rules.is_in_force(date(2026, 1, 1), None, None)
    assert rules.is_in_force(date(2017, 1, 1), date(2017, 1, 1), None)
    assert not rules.is_in_force(date(2016, 12, 31), date(2017, 1, 1), None)


@pytest.mark.parametrize(
    ("group", "previous", "exception", "scale"),
    [
        ("A", None, False, 19),
        ("B", None, False, 18),
        ("B", 18, False, 18),
        ("A", 18, False, 19),
        ("B", 19, False, 19),  # scale 19 is never lowered [CAO17]
        ("B", 19, True, 18),  # ... unless the Foreign Affairs exception is recorded
    ],
)
def test_scale_follows_the_group_but_scale_19_is_never_lowered(group, previous, exception, scale):
    result = rules.placement_scale(
        function_group=group, previous_scale=previous, foreign_affairs_exception=exception
    )
    assert result.value == scale
    assert result.source.startswith("[")


def test_step_must_exist_in_the_scale():
    rules.validate_step(10, top_step=10)
    with pytest.raises(rules.StepOutsideScale):
        rules.validate_step(11, top_step=10)


def test_placement_above_step_0_needs_a_motivation_bbra_6():
    rules.validate_first_placement(step=0, motivation="")
    rules.validate_first_placement(step=3, motivation="Ervaring")
    with pytest.raises(rules.MotivationRequired):
        rules.validate_first_placement(step=3, motivation="  ")


def test_excellence_amounts_only_at_the_top_step():
    rules.validate_excellence(step=10, top_step=10, excellence=2, levels=3)
    with pytest.raises(rules.ExcellenceOnlyAtTop):
        rules.validate_excellence(step=9, top_step=10, excellence=1, levels=3)
    with pytest.raises(rules.StepOutsideScale):
        rules.validate_excellence(step=10, top_step=10, excellence=1, levels=0)


def test_step_increase_is_due_a_year_after_the_last_change_bbra_7():
    last = date(2024, 2, 29)
    assert rules.next_increase(last).value == date(2025, 2, 28)
    kwargs = {"step": 3, "top_step": 10, "excellence": 0, "last_change": last}
    assert not rules.is_due_for_increase(today=date(2025, 2, 27), **kwargs)
    assert rules.is_due_for_increase(today=date(2025, 2, 28), **kwargs)
    assert not rules.is_due_for_increase(today=date(2026, 1, 1), **{**kwargs, "step": 10})


def test_every_due_step_up_to_today_in_date_order_and_never_past_the_top_bbra_7():
    kwargs = {"top_step": 10, "excellence": 0, "last_change": date(2022, 3, 1)}
    assert rules.increases_due(step=3, today=date(2025, 2, 28), **kwargs) == [
        date(2023, 3, 1),
        date(2024, 3, 1),
    ]
    assert rules.increases_due(step=9, today=date(2026, 6, 1), **kwargs) == [date(2023, 3, 1)]
    assert rules.increases_due(step=3, today=date(2023, 2, 28), **kwargs) == []
    assert rules.increases_due(step=10, today=date(2030, 1, 1), **kwargs) == []


@given(
    step=st.integers(0, 10),
    last_change=st.dates(date(2000, 1, 1), date(2030, 12, 31)).filter(lambda d: (d.month, d.day) != (2, 29)),
    today=st.dates(date(2000, 1, 1), date(2045, 12, 31)),
)
def test_one_step_per_full_year_since_the_last_change_up_to_the_top(step, last_change, today):
    due = rules.increases_due(step=step, top_step=10, excellence=0, last_change=last_change, today=today)
    full_years = max(
        0, today.year - last_change.year - ((today.month, today.day) < (last_change.month, last_change.day))
    )
    assert len(due) == min(10 - step, full_years)
    assert due == [last_change.replace(year=last_change.year + n) for n in range(1, len(due) + 1)]


def test_sg_allowance_is_five_percent_of_salary_while_holding_an_sg_function():
    rate = Cited(Decimal("5.00"), "test")
    assert rules.sg_allowance(salary=Decimal("9024.04"), rate=rate, holds_sg_function=True).value == Decimal(
        "451.20"
    )
    assert rules.sg_allowance(salary=Decimal("9024.04"), rate=rate, holds_sg_function=False).value == 0


def test_only_the_highest_representation_allowance_applies():
    rates = [Cited(Decimal("513.77"), "deputy"), Cited(Decimal("685.03"), "member")]
    assert rules.representation_allowance(rates).value == Decimal("685.03")
    assert rules.representation_allowance([]).value == 0


def test_part_time_salary_is_rounded_half_up_at_the_cent():
    salary = rules.monthly_salary(
        scale_amount=Cited(Decimal("7479.61"), "t"), part_time_factor=Decimal("0.889")
    )
    assert salary.value == Decimal("6649.37")  # 6649.37329


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([(366, "1")], Decimal("233000.00")),
        ([(366, "1.2")], Decimal("233000.00")),  # part-time factor capped at 1 [WNT 2.1.2]
        ([(366, "0.8")], Decimal("186400.00")),
        ([(184, "1")], Decimal("117136.61")),  # 1 July - 31 December 2024
        ([(91, "1"), (275, "0.5")], Decimal("145465.85")),
    ],
)
def test_wnt_individual_maximum_is_pro_rata_and_part_time(spans, expected):
    result = rules.wnt_individual_maximum(
        year_maximum=Cited(Decimal("233000"), "[WNT 2.3] 2024"),
        year=2024,
        spans=[rules.EmploymentSpan(days=d, part_time_factor=Decimal(f)) for d, f in spans],
    )
    assert result.value == expected
    assert "days in the year" in result.source  # the method is printed with the figure


@pytest.mark.parametrize(
    ("pay", "above", "near"),
    [
        ("221349.99", False, False),
        ("221350.00", False, True),
        ("233000.00", False, True),
        ("233000.01", True, False),
    ],
)
def test_wnt_warns_above_and_within_five_percent_of_the_maximum(pay, above, near):
    position = rules.wnt_position(bezoldiging=Decimal(pay), maximum=Decimal("233000"))
    assert (position.is_above, position.is_near) == (above, near)


@st.composite
def spans_within_a_year(draw):
    """Up to five spans of a year together at most its days, each with a factor up to 1.5."""
    year = draw(st.integers(min_value=2017, max_value=2040))
    left = rules.days_in_year(year)
    spans = []
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        days = draw(st.integers(min_value=0, max_value=left))
        left -= days
        factor = draw(st.decimals(min_value="0.01", max_value="1.5", places=2))
        spans.append(rules.EmploymentSpan(days=days, part_time_factor=factor))
    return year, spans


@given(spans_within_a_year())
def test_individual_maximum_is_the_general_maximum_pro_rata_with_the_factor_capped_at_one(drawn):
    """[WNT 2.1.2, 2.3]: maximum x part-time factor (at most 1), pro rata to the days employed."""
    year, spans = drawn
    general = Decimal("233000")
    result = rules.wnt_individual_maximum(year_maximum=Cited(general, "t"), year=year, spans=spans)
    share = sum(
        (min(s.part_time_factor, Decimal(1)) * s.days for s in spans), Decimal(0)
    ) / rules.days_in_year(year)
    assert result.value == (general * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Decimal(0) <= result.value <= general


# -- Exact results, sources and refusals --------------------------------------------------------------


def test_the_scale_of_each_group_carries_its_source_and_an_unknown_group_is_refused():
    assert rules.scale_for_group("A") == Cited(19, "[Regeling art. 1; BBRA 4-5]")
    assert rules.scale_for_group("B") == Cited(18, "[Regeling art. 1; BBRA 4-5]")
    with pytest.raises(ValueError, match="Unknown function group 'C'"):
        rules.scale_for_group("C")


def test_keeping_scale_19_in_a_group_b_function_is_cited_to_the_cao():
    kept = rules.placement_scale(function_group="B", previous_scale=19, foreign_affairs_exception=False)
    assert kept == Cited(19, "[CAO17: scale 19 is not lowered]")
    left = rules.placement_scale(function_group="B", previous_scale=19, foreign_affairs_exception=True)
    assert left == Cited(18, "[Regeling art. 1; BBRA 4-5]")


@pytest.mark.parametrize(("step", "allowed"), [(-1, False), (0, True), (10, True), (11, False)])
def test_a_step_lies_from_zero_to_the_top_step(step, allowed):
    if allowed:
        rules.validate_step(step, top_step=10)
        return
    with pytest.raises(rules.StepOutsideScale) as refused:
        rules.validate_step(step, top_step=10)
    assert str(refused.value) == f"Step {step} is outside the scale (0-10)"
    assert refused.value.params == {"step": step, "top": 10}


def test_a_first_placement_above_step_zero_needs_a_motivation_with_text():
    rules.validate_first_placement(step=0, motivation="")
    rules.validate_first_placement(step=3, motivation="Ervaring")
    with pytest.raises(rules.MotivationRequired) as refused:
        rules.validate_first_placement(step=3, motivation="  ")
    assert str(refused.value) == "A step above 0 needs a motivation [BBRA 6]" and refused.value.params == {
        "step": 3
    }


def test_excellence_only_at_the_top_step_and_only_its_levels():
    rules.validate_excellence(step=7, top_step=10, excellence=0, levels=3)
    rules.validate_excellence(step=10, top_step=10, excellence=3, levels=3)
    with pytest.raises(rules.ExcellenceOnlyAtTop) as early:
        rules.validate_excellence(step=9, top_step=10, excellence=1, levels=3)
    assert str(early.value) == "Excellence only at the top step" and early.value.params == {"top": 10}
    for level in (4, -1):
        with pytest.raises(rules.StepOutsideScale) as beyond:
            rules.validate_excellence(step=10, top_step=10, excellence=level, levels=3)
        assert str(beyond.value) == "Excellence level outside the table"
        assert beyond.value.params == {"step": level, "top": 3}


def test_the_next_increase_is_a_calendar_year_later_cited_to_bbra_7():
    assert rules.next_increase(date(2024, 2, 29)) == Cited(date(2025, 2, 28), "[BBRA 7]")


def test_the_sg_allowance_is_cited_with_its_rate_and_zero_outside_an_sg_function():
    rate = Cited(Decimal("5"), "tabel 2017")
    assert rules.sg_allowance(salary=Decimal("7479.61"), rate=rate, holds_sg_function=True) == Cited(
        Decimal("373.98"), "[CAO17; BBRA 22b] tabel 2017"
    )
    assert rules.sg_allowance(salary=Decimal("7479.61"), rate=rate, holds_sg_function=False) == Cited(
        Decimal("0.00"), "[BBRA 22b]"
    )


def test_no_representation_allowance_is_zero_with_its_source():
    assert rules.representation_allowance([]) == Cited(Decimal("0.00"), "[ARAR 68a]")
    high, low = Cited(Decimal("685.03"), "CAO §11.3"), Cited(Decimal("513.77"), "CAO §11.3 deputy")
    assert rules.representation_allowance([low, high]) is high


def test_the_monthly_salary_keeps_the_table_source():
    assert rules.monthly_salary(
        scale_amount=Cited(Decimal("9024.04"), "CAO tabel"), part_time_factor=Decimal("0.5")
    ) == Cited(Decimal("4512.02"), "CAO tabel")


@pytest.mark.parametrize(
    ("amount", "days", "month_days", "share"),
    [("3000.00", 15, 30, "1500.00"), ("1000.00", 1, 3, "333.33"), ("1000.00", 2, 3, "666.67")],
)
def test_part_of_a_month_is_the_share_of_its_days_rounded_half_up(amount, days, month_days, share):
    assert rules.day_share(Decimal(amount), days=days, month_days=month_days) == Decimal(share)


@pytest.mark.parametrize(
    ("year", "month", "days"), [(2024, 2, 29), (2023, 2, 28), (2024, 12, 31), (2024, 4, 30)]
)
def test_days_in_month(year, month, days):
    assert rules.days_in_month(year, month) == days


def test_days_in_year_and_money_rounding():
    assert (rules.days_in_year(2024), rules.days_in_year(2023)) == (366, 365)
    assert rules.money(Decimal("0.005")) == Decimal("0.01") and rules.money(Decimal("0.0049")) == Decimal(
        "0.00"
    )


@pytest.mark.parametrize(
    ("on", "valid_from", "valid_until", "in_force"),
    [
        (date(2024, 1, 1), date(2024, 1, 1), None, True),
        (date(2023, 12, 31), date(2024, 1, 1), None, False),
        (date(2024, 6, 30), date(2024, 1, 1), date(2024, 7, 1), True),
        (date(2024, 7, 1), date(2024, 1, 1), date(2024, 7, 1), False),
    ],
)
def test_a_row_is_in_force_from_its_first_day_until_its_exclusive_end(on, valid_from, valid_until, in_force):
    assert rules.is_in_force(on, valid_from, valid_until) is in_force


def test_the_wnt_position_knows_the_headroom_and_the_exact_margin():
    position = rules.wnt_position(bezoldiging=Decimal("221350.00"), maximum=Decimal("233000"))
    assert (position.is_above, position.is_near, position.headroom) == (False, True, Decimal("11650.00"))
    below = rules.wnt_position(bezoldiging=Decimal("221349.99"), maximum=Decimal("233000"))
    assert (below.is_above, below.is_near) == (False, False)


def test_the_wnt_individual_maximum_names_the_method():
    result = rules.wnt_individual_maximum(
        year_maximum=Cited(Decimal("233000"), "[WNT 2.3] 2024"),
        year=2024,
        spans=[rules.EmploymentSpan(days=366, part_time_factor=Decimal("1"))],
    )
    assert result == Cited(Decimal("233000.00"), f"[WNT 2.3] 2024; {rules.WNT_PRORATION_METHOD}")
