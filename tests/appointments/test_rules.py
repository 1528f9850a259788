"""The term rules in the law's words, with the worked examples of domain.md."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appointments import rules

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


@pytest.mark.parametrize(
    ("start", "years", "end", "last_day"),
    [
        (date(2015, 1, 1), 7, date(2022, 1, 1), date(2021, 12, 31)),  # Nota van toelichting
        (date(2020, 2, 29), 7, date(2027, 2, 28), date(2027, 2, 27)),  # 29 February + years = 28 February
        (date(2024, 2, 29), 4, date(2028, 2, 29), date(2028, 2, 28)),  # leap year to leap year
        (date(2023, 9, 1), 5, date(2028, 9, 1), date(2028, 8, 31)),  # a shorter KB term
    ],
)
def test_term_of_years_ends_on_the_same_calendar_day(start, years, end, last_day):
    result = rules.term_end(start, years=years)
    assert result.value == end
    assert rules.last_day(result.value) == last_day
    assert result.source == "[CAO17; ARAR 7.4]"


def test_term_is_at_most_seven_years():
    with pytest.raises(rules.TermTooLong):
        rules.term_end(date(2020, 1, 1), years=8)
    with pytest.raises(rules.TermTooLong):
        rules.validate_term_end(date(2020, 1, 1), date(2027, 1, 2))
    rules.validate_term_end(date(2020, 1, 1), date(2027, 1, 1))


def test_end_must_lie_after_start():
    with pytest.raises(rules.EndBeforeStart):
        rules.validate_term_end(date(2020, 1, 1), date(2020, 1, 1))


def test_marks_at_four_five_seven_and_nine_years():
    marks = rules.term_marks(date(2019, 3, 1))
    assert marks.minimum_aim.value == date(2023, 3, 1)
    assert marks.conversation.value == date(2024, 3, 1)
    assert marks.maximum_term.value == date(2026, 3, 1)
    assert marks.latest_extension_end.value == date(2028, 3, 1)


@pytest.mark.parametrize(
    ("current_end", "proposed_end", "allowed"),
    [
        (date(2029, 1, 1), date(2031, 1, 1), True),  # 2 years, 9 in total
        (date(2029, 1, 1), date(2031, 1, 2), False),  # beyond 9 years
        (date(2029, 1, 1), date(2029, 1, 1), False),  # not after the current end
        (date(2027, 1, 1), date(2029, 1, 1), True),  # shorter KB term: 5 + 2
        (date(2027, 1, 1), date(2029, 1, 2), False),  # more than 2 years' extension
    ],
)
def test_extension_is_at_most_two_years_and_nine_in_total(current_end, proposed_end, allowed):
    kwargs = dict(start_in_function=date(2022, 1, 1), current_end=current_end, proposed_end=proposed_end)
    if allowed:
        assert rules.validate_extension(**kwargs).value == proposed_end
    else:
        with pytest.raises(rules.ExtensionNotAllowed):
            rules.validate_extension(**kwargs)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2015, 1, 1), date(2022, 1, 1)),  # Nota van toelichting
        (date(2010, 1, 1), date(2020, 1, 1)),  # Nota van toelichting
        (date(2013, 6, 1), date(2020, 6, 1)),
        (date(2012, 6, 1), date(2020, 1, 1)),
        (date(2017, 1, 1), date(2024, 1, 1)),  # in function on the day itself
    ],
)
def test_transition_rule_gives_seven_years_but_at_least_three_after_2017(start, end):
    result = rules.term_end_transition_2017(start_in_function=start, function_group="B")
    assert result.value == end
    assert result.source == "[ARAR 130d]"


def test_transition_rule_does_not_apply_to_group_a():
    with pytest.raises(rules.TransitionRuleNotApplicable):
        rules.term_end_transition_2017(start_in_function=date(2015, 1, 1), function_group="A")


def test_transition_rule_does_not_apply_to_who_started_after_2017():
    with pytest.raises(rules.TransitionRuleNotApplicable):
        rules.term_end_transition_2017(start_in_function=date(2017, 1, 2), function_group="B")


@given(st.dates(min_value=date(1980, 1, 1), max_value=rules.TRANSITION_2017_DATE))
def test_transition_rule_gives_seven_years_from_the_start_but_at_least_until_2020(start):
    """[ARAR 130d]: deemed appointed on 2017-01-01 for 7 years minus the time served, at least 3 years."""
    result = rules.term_end_transition_2017(start_in_function=start, function_group="B")
    assert result.value == max(rules.add_years(start, 7), date(2020, 1, 1))


@given(st.dates(min_value=date(2017, 1, 2), max_value=date(2060, 12, 31)))
def test_transition_rule_refuses_every_start_after_1_january_2017(start):
    with pytest.raises(rules.TransitionRuleNotApplicable, match="in function on 1 January 2017"):
        rules.term_end_transition_2017(start_in_function=start, function_group="B")


@given(st.dates(min_value=date(1980, 1, 1), max_value=rules.TRANSITION_2017_DATE))
def test_transition_rule_refuses_every_group_a_function(start):
    with pytest.raises(rules.TransitionRuleNotApplicable, match="group B"):
        rules.term_end_transition_2017(start_in_function=start, function_group="A")


def test_search_period_worked_example():
    period = rules.search_period(date(2022, 1, 1))
    assert period.end.value == date(2024, 1, 1)
    assert period.request_window_end.value == date(2022, 2, 1)
    assert rules.last_day(period.request_window_end.value) == date(2022, 1, 31)
    assert period.shortened_end.value == date(2023, 7, 1)
    assert rules.search_period(date(2022, 1, 1), shortened=True).end.value == date(2023, 7, 1)


@pytest.mark.parametrize(
    ("request_date", "allowed"),
    [
        (date(2022, 1, 1), True),
        (date(2022, 1, 31), True),
        (date(2022, 2, 1), False),
        (date(2021, 12, 31), False),
    ],
)
def test_shortening_only_in_the_first_month(request_date, allowed):
    assert rules.may_request_shortening(date(2022, 1, 1), request_date) is allowed
    if not allowed:
        with pytest.raises(rules.ShorteningNotAllowed):
            rules.validate_shortening_request(date(2022, 1, 1), request_date)


def test_first_month_from_31_january_ends_at_end_of_february():
    assert rules.search_period(date(2023, 1, 31)).request_window_end.value == date(2023, 2, 28)


def test_search_period_after_early_termination_starts_on_termination_date():
    assert rules.search_period(date(2024, 5, 15)).end.value == date(2026, 5, 15)


def test_shortening_payment_is_six_monthly_incomes():
    assert rules.shortening_payment(Decimal("9024.04")).value == Decimal("54144.24")
    with pytest.raises(rules.RuleViolation, match="cannot be negative"):
        rules.shortening_payment(Decimal("-1"))


def test_ending_route_mutual_consent_or_court_with_110_percent():
    assert rules.ending_route(member_consents=True).route == rules.MUTUAL_CONSENT
    refused = rules.ending_route(member_consents=False)
    assert refused.route == rules.COURT and refused.ww_supplement_percentage == Decimal("110")


def test_replacement_date_must_lie_inside_the_search_period():
    rules.validate_date_in_period(date(2023, 1, 1), date(2022, 1, 1), date(2024, 1, 1))
    with pytest.raises(rules.DateOutsidePeriod):
        rules.validate_date_in_period(date(2024, 1, 2), date(2022, 1, 1), date(2024, 1, 1))


@given(dates, st.booleans())
def test_search_period_is_24_months_or_18_when_shortened(start, shortened):
    """[CAO17; domain §5]: at most 24 months; 18 on a request in the first month."""
    period = rules.search_period(start, shortened=shortened)
    assert period.start.value == start
    assert period.end.value == rules.add_months(start, 18 if shortened else 24)
    assert period.request_window_end.value == rules.add_months(start, 1)


@given(dates, st.integers(min_value=1, max_value=7), st.integers(min_value=-400, max_value=1200))
def test_an_extension_is_allowed_exactly_up_to_two_years_and_nine_in_total(start, years, extra_days):
    """[Nadere regels 1; ARAR 7.4]: after the current end, by at most 2 years, at most 9 in total."""
    current_end = rules.term_end(start, years=years).value
    proposed = current_end + timedelta(days=extra_days)
    latest = min(rules.add_years(current_end, 2), rules.add_years(start, 9))
    if current_end < proposed <= latest:
        assert (
            rules.validate_extension(
                start_in_function=start, current_end=current_end, proposed_end=proposed
            ).value
            == proposed
        )
    else:
        with pytest.raises(rules.ExtensionNotAllowed):
            rules.validate_extension(start_in_function=start, current_end=current_end, proposed_end=proposed)


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        ("concept", "proposed", True),
        ("concept", "kb_signed", False),
        ("in_function", "extended", True),
        ("ended", "search_period", True),
        ("search_period", "replaced", True),
        ("employment_ended", "in_function", False),
    ],
)
def test_dossier_moves_only_along_allowed_transitions(current, new, allowed):
    if allowed:
        rules.check_transition(current, new)
    else:
        with pytest.raises(rules.TransitionNotAllowed):
            rules.check_transition(current, new)
