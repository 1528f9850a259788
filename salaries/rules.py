"""The law of TMG pay, as plain Python [BBRA; CAO17; WNT].

No Django, no database, no clock. Amounts that change over time (scale amounts, allowance rates, WNT
maxima) are arguments, read by the caller from the dated tables in `salaries.models`; where no
amount is in force on a date the caller raises `NoAmountInForce`, never returns 0.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta

from appointments.rules import Cited, RuleViolation

CENT = Decimal("0.01")
SCALE_19 = 19
SCALE_18 = 18
# The margin below the WNT maximum at which the app warns. A working choice of ABD, not a
# figure of the law.
WNT_WARNING_MARGIN = Decimal("0.05")


def money(amount: Decimal) -> Decimal:
    """Two places, half up at the cent [STYLE: money]."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


class NoAmountInForce(RuleViolation):
    """No row of a dated table is in force on the date asked for."""


class NoScaleTable(NoAmountInForce):
    """No amounts of the member's salary scale in force [BBRA bijlage A/B]."""


class NoStepInScale(NoAmountInForce):
    """The table in force has no amount for the member's step [BBRA 5]."""


class NoExcellenceAmounts(NoAmountInForce):
    """No excellence amounts of the scale in force [BBRA 8.2b, 9; CAO17]."""


class NoAllowanceRate(NoAmountInForce):
    """No SG allowance percentage in force [BBRA 22b]."""


class NoWntMaximum(NoAmountInForce):
    """No general WNT maximum recorded for the year [WNT 2.3]."""


class StepOutsideScale(RuleViolation):
    """A step the salary scale does not have [BBRA 5]."""


class MotivationRequired(RuleViolation):
    """A step above 0 on appointment without a motivation [BBRA 6]."""


class ExcellenceOnlyAtTop(RuleViolation):
    """An excellence amount before the top step [BBRA 8.2b; CAO17]."""


# -- Dated tables ----------------------------------------------------------------------------------


def periods_overlap(a_from: date, a_until: date | None, b_from: date, b_until: date | None) -> bool:
    """Two validity periods [from, until) overlap; `until` None means open-ended."""
    a_before_b_ends = b_until is None or a_from < b_until
    b_before_a_ends = a_until is None or b_from < a_until
    return a_before_b_ends and b_before_a_ends


# A working choice of ABD, not a figure of the law: scale amounts and allowances are
# revised at least once a year (CAO Rijk, BBRA indexation), so an amount from a table that has not
# changed for longer than this may have been overtaken. It is shown with its table date and a KB
# with it needs a recorded confirmation; it is never replaced by a guess.
TABLE_AGE_WARNING_MONTHS = 12


def may_be_outdated(*, valid_from: date, valid_until: date | None, on: date) -> bool:
    """An amount used for `on` from an open-ended row whose start lies more than
    TABLE_AGE_WARNING_MONTHS before it. A row with a known end is current up to that end."""
    return valid_until is None and valid_from + relativedelta(months=TABLE_AGE_WARNING_MONTHS) < on


def is_in_force(on: date, valid_from: date | None, valid_until: date | None) -> bool:
    """A table without a validity date (a figure whose start is unknown) is never in force."""
    return valid_from is not None and valid_from <= on and (valid_until is None or on < valid_until)


# -- Placement [BBRA 6-8; CAO17] ---------------------------------------------------------------------


def scale_for_group(group: str) -> Cited[int]:
    """Group A functions are paid from scale 19 (Bijlage A), group B from scale 18 (Bijlage B)
    [Regeling art. 1 under a/b; BBRA 4-5]."""
    scales = {"A": SCALE_19, "B": SCALE_18}
    if group not in scales:
        raise ValueError(f"Unknown function group {group!r}")
    return Cited(scales[group], "[Regeling art. 1; BBRA 4-5]")


def placement_scale(
    *, function_group: str, previous_scale: int | None, foreign_affairs_exception: bool
) -> Cited[int]:
    """The scale follows the function's group, except that scale 19 is never lowered: a member who
    had scale 19 keeps it in a group B function, unless on own request they take a non-TMG function
    at Foreign Affairs and so leave the TMG [CAO17]."""
    by_group = scale_for_group(function_group)
    if previous_scale == SCALE_19 and by_group.value != SCALE_19 and not foreign_affairs_exception:
        return Cited(SCALE_19, "[CAO17: scale 19 is not lowered]")
    return by_group


def validate_step(step: int, *, top_step: int) -> None:
    """A step exists in the scale table in force [BBRA bijlage A/B]."""
    if not 0 <= step <= top_step:
        raise StepOutsideScale("Step %(step)s is outside the scale (0-%(top)s)", step=step, top=top_step)


def validate_first_placement(*, step: int, motivation: str) -> None:
    """On appointment the salary is that of step 0, unless a step is chosen; the choice is recorded
    with its motivation [BBRA 6]."""
    if step != 0 and not motivation.strip():
        raise MotivationRequired("A step above 0 needs a motivation [BBRA 6]", step=step)


def validate_excellence(*, step: int, top_step: int, excellence: int, levels: int) -> None:
    """Excellence amounts are paid only once the top step of the scale is reached [BBRA 8.2b; CAO17]."""
    if excellence and step != top_step:
        raise ExcellenceOnlyAtTop("Excellence only at the top step", top=top_step)
    if not 0 <= excellence <= levels:
        raise StepOutsideScale("Excellence level outside the table", step=excellence, top=levels)


def next_increase(last_change: date) -> Cited[date]:
    """Steps rise yearly on good functioning, one step a year from the date of the last placement or
    increase [BBRA 7]."""
    return Cited(last_change + relativedelta(years=1), "[BBRA 7]")


def is_due_for_increase(*, step: int, top_step: int, excellence: int, last_change: date, today: date) -> bool:
    """A member below the top step whose last change is a year old or more [BBRA 7]. Excellence
    amounts are not a periodic increase and are never proposed here [BBRA 8.2b]."""
    return step < top_step and not excellence and next_increase(last_change).value <= today


def increases_due(*, step: int, top_step: int, excellence: int, last_change: date, today: date) -> list[date]:
    """Every yearly step due by `today`, in date order: one a year from the last change, each from
    its anniversary, until the top step [BBRA 7]."""
    due: list[date] = []
    while is_due_for_increase(
        step=step + len(due), top_step=top_step, excellence=excellence, last_change=last_change, today=today
    ):
        last_change = next_increase(last_change).value
        due.append(last_change)
    return due


# -- General increases of the CAO Rijk -------------------------------------------------------------


def after_general_increase(amount: Decimal, *, percentage: Decimal, fixed_amount: Decimal) -> Decimal:
    """A salary amount after one general increase: first the percentage, rounded to the cent, then
    the fixed amount added [CAO Rijk 2022-2024: "met eerst 2,5% plus daarna een bedrag van € 75";
    CAO Rijk 2024-2025: "met 8,5% verhoogd en vervolgens met € 50"]. Rounding at each step is how the
    published tables are made: without it the result of several increases is 1-2 cents off."""
    return money(money(Decimal(amount) * (100 + Decimal(percentage)) / 100) + Decimal(fixed_amount))


def after_general_increases(amount: Decimal, increases: list[tuple[Decimal, Decimal]]) -> Decimal:
    """An amount after each (percentage, fixed amount) in turn, in date order."""
    for percentage, fixed_amount in increases:
        amount = after_general_increase(amount, percentage=percentage, fixed_amount=fixed_amount)
    return amount


# -- Monthly pay -----------------------------------------------------------------------------------


def monthly_salary(*, scale_amount: Cited[Decimal], part_time_factor: Decimal) -> Cited[Decimal]:
    """The amount of the step in the table in force, times the part-time factor."""
    return Cited(money(Decimal(scale_amount.value) * part_time_factor), scale_amount.source)


def sg_allowance(*, salary: Decimal, rate: Cited[Decimal], holds_sg_function: bool) -> Cited[Decimal]:
    """5% of salary per month for as long as the member holds an SG function [CAO17; BBRA 22b]."""
    if not holds_sg_function:
        return Cited(Decimal("0.00"), "[BBRA 22b]")
    return Cited(money(salary * Decimal(rate.value) / 100), f"[CAO17; BBRA 22b] {rate.source}")


def representation_allowance(applicable: list[Cited[Decimal]]) -> Cited[Decimal]:
    """A fixed monthly amount for a TMG function [ARAR 68a.3a; CAO Rijk §11.3]. Where more than one
    rate applies (a TMG member who is also a permanent deputy), only the highest is paid.

    Whether it is paid during a search period, and whether it is reduced for part-time work, is not
    in the domain text; the caller pays it only while the member holds a TMG function, in full."""
    if not applicable:
        return Cited(Decimal("0.00"), "[ARAR 68a]")
    return max(applicable, key=lambda cited: Decimal(cited.value))


def day_share(amount: Decimal, *, days: int, month_days: int) -> Decimal:
    """The part of a monthly amount that belongs to `days` of a month of `month_days` days."""
    return money(amount * days / month_days)


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


# -- WNT [WNT 1.1, 2.1, 2.3] -------------------------------------------------------------------------

WNT_PRORATION_METHOD = (
    "general maximum × part-time factor (capped at 1) × days employed ÷ days in the year, summed over "
    "the periods of the year [WNT 2.1.2; days ÷ days is common practice, not confirmed]"
)


@dataclass(frozen=True)
class EmploymentSpan:
    """A part of the calendar year with one part-time factor."""

    days: int
    part_time_factor: Decimal


def wnt_individual_maximum(
    *, year_maximum: Cited[Decimal], year: int, spans: list[EmploymentSpan]
) -> Cited[Decimal]:
    """The general maximum of the year [WNT 2.3] times the part-time factor, capped at 1 [WNT 2.1.2],
    pro rata to the days employed in the year. The pro-rata method (days ÷ days in year) is common
    practice, not confirmed in the domain text: it is printed with every result."""
    total_days = days_in_year(year)
    share = sum(
        (min(span.part_time_factor, Decimal(1)) * span.days / total_days for span in spans), Decimal(0)
    )
    return Cited(money(Decimal(year_maximum.value) * share), f"{year_maximum.source}; {WNT_PRORATION_METHOD}")


@dataclass(frozen=True)
class WntPosition:
    bezoldiging: Decimal
    maximum: Decimal
    is_above: bool
    is_near: bool

    @property
    def headroom(self) -> Decimal:
        return self.maximum - self.bezoldiging


def wnt_position(*, bezoldiging: Decimal, maximum: Decimal) -> WntPosition:
    """Above the maximum is not allowed [WNT 2.1]; within 5% of it the app warns (ABD's margin)."""
    is_above = bezoldiging > maximum
    is_near = not is_above and bezoldiging >= maximum * (1 - WNT_WARNING_MARGIN)
    return WntPosition(bezoldiging=bezoldiging, maximum=maximum, is_above=is_above, is_near=is_near)
