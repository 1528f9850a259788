"""The pay rules in the law's words [domain §6-§7]; arithmetic only, no database."""

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
