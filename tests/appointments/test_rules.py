"""The term rules in the law's words, with the worked examples of the sources (docs/sources.md)."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from appointments import rules

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))

# The rules take the regime whose figures they apply; these tests apply TMG's.
tmg = SimpleNamespace(
    **{
        name: partial(getattr(rules, name), regime=rules.TMG)
        for name in (
            "term_end",
            "validate_term_end",
            "term_marks",
            "latest_extension_end",
            "validate_total_time_in_function",
            "validate_extension",
            "may_extend",
            "search_period",
            "may_request_shortening",
            "validate_shortening_request",
            "shortening_payment",
            "ending_route",
        )
    }
)


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
    result = tmg.term_end(start, years=years)
    assert result.value == end
    assert rules.last_day(result.value) == last_day
    assert result.source == "[CAO17; ARAR 7.4]"


def test_term_is_at_most_seven_years():
    with pytest.raises(rules.TermTooLong):
        tmg.term_end(date(2020, 1, 1), years=8)
    with pytest.raises(rules.TermTooLong):
        tmg.validate_term_end(date(2020, 1, 1), date(2027, 1, 2))
    tmg.validate_term_end(date(2020, 1, 1), date(2027, 1, 1))


def test_end_must_lie_after_start():
    with pytest.raises(rules.EndBeforeStart):
        tmg.validate_term_end(date(2020, 1, 1), date(2020, 1, 1))


def test_marks_at_four_five_seven_and_nine_years():
    marks = tmg.term_marks(date(2019, 3, 1))
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
        assert tmg.validate_extension(**kwargs).value == proposed_end
    else:
        with pytest.raises(rules.ExtensionNotAllowed):
            tmg.validate_extension(**kwargs)


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
    period = tmg.search_period(date(2022, 1, 1))
    assert period.end.value == date(2024, 1, 1)
    assert period.request_window_end.value == date(2022, 2, 1)
    assert rules.last_day(period.request_window_end.value) == date(2022, 1, 31)
    assert period.shortened_end.value == date(2023, 7, 1)
    assert tmg.search_period(date(2022, 1, 1), shortened=True).end.value == date(2023, 7, 1)


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
    assert tmg.may_request_shortening(date(2022, 1, 1), request_date) is allowed
    if not allowed:
        with pytest.raises(rules.ShorteningNotAllowed):
            tmg.validate_shortening_request(date(2022, 1, 1), request_date)


def test_first_month_from_31_january_ends_at_end_of_february():
    assert tmg.search_period(date(2023, 1, 31)).request_window_end.value == date(2023, 2, 28)


def test_search_period_after_early_termination_starts_on_termination_date():
    assert tmg.search_period(date(2024, 5, 15)).end.value == date(2026, 5, 15)


def test_shortening_payment_is_six_monthly_incomes():
    assert tmg.shortening_payment(Decimal("9024.04")).value == Decimal("54144.24")
    with pytest.raises(rules.RuleViolation, match="cannot be negative"):
        tmg.shortening_payment(Decimal("-1"))


def test_ending_route_mutual_consent_or_court_with_110_percent():
    assert tmg.ending_route(member_consents=True).route == rules.MUTUAL_CONSENT
    refused = tmg.ending_route(member_consents=False)
    assert refused.route == rules.COURT and refused.ww_supplement_percentage == Decimal("110")


def test_replacement_date_must_lie_inside_the_search_period():
    rules.validate_date_in_period(date(2023, 1, 1), date(2022, 1, 1), date(2024, 1, 1))
    with pytest.raises(rules.DateOutsidePeriod):
        rules.validate_date_in_period(date(2024, 1, 2), date(2022, 1, 1), date(2024, 1, 1))


@given(dates, st.booleans())
def test_search_period_is_24_months_or_18_when_shortened(start, shortened):
    """[CAO17]: at most 24 months; 18 on a request in the first month."""
    period = tmg.search_period(start, shortened=shortened)
    assert period.start.value == start
    assert period.end.value == rules.add_months(start, 18 if shortened else 24)
    assert period.request_window_end.value == rules.add_months(start, 1)


@given(dates, st.integers(min_value=1, max_value=7), st.integers(min_value=-400, max_value=1200))
def test_an_extension_is_allowed_exactly_up_to_two_years_and_nine_in_total(start, years, extra_days):
    """[Nadere regels 1; ARAR 7.4]: after the current end, by at most 2 years, at most 9 in total."""
    current_end = tmg.term_end(start, years=years).value
    proposed = current_end + timedelta(days=extra_days)
    latest = min(rules.add_years(current_end, 2), rules.add_years(start, 9))
    if current_end < proposed <= latest:
        assert (
            tmg.validate_extension(
                start_in_function=start, current_end=current_end, proposed_end=proposed
            ).value
            == proposed
        )
    else:
        with pytest.raises(rules.ExtensionNotAllowed):
            tmg.validate_extension(start_in_function=start, current_end=current_end, proposed_end=proposed)


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


def _raised(call):
    try:
        call()
    except rules.RuleViolation as exc:
        return exc
    raise AssertionError("no rule violation raised")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: tmg.validate_term_end(date(2020, 1, 1), date(2027, 1, 2)),
            "Een termijn duurt ten hoogste 7 jaar [ARAR 7.4; CAO17]: de laatste dag is uiterlijk 31 december 2026.",
        ),
        (
            lambda: tmg.validate_extension(
                start_in_function=date(2022, 1, 1),
                current_end=date(2029, 1, 1),
                proposed_end=date(2031, 1, 2),
            ),
            "Een verlenging is ten hoogste 2 jaar, tot ten hoogste 9 jaar in totaal in dezelfde functie "
            "[Nadere regels 1]: de nieuwe laatste dag ligt na 31 december 2028 en is uiterlijk 31 december 2030.",
        ),
        (
            lambda: tmg.validate_shortening_request(date(2022, 1, 1), date(2022, 2, 1)),
            "Een verzoek om de zoektermijn te verkorten moet binnen de termijn daarvoor worden gedaan: van 1 "
            "januari 2022 tot en met 31 januari 2022 [CAO17].",
        ),
        (
            lambda: rules.validate_date_in_period(date(2024, 1, 2), date(2022, 1, 1), date(2024, 1, 1)),
            "De datum moet binnen de zoektermijn liggen (1 januari 2022 tot 1 januari 2024).",
        ),
    ],
)
def test_a_violation_reads_as_its_dutch_message_with_its_figures(call, message):
    """The user reads the rule in Dutch with the dates of the case (appointments.errors)."""
    from django.utils import translation

    from appointments.errors import message_for

    with translation.override("nl"):
        assert message_for(_raised(call)) == message


def test_a_cited_result_cannot_be_changed_after_the_fact():
    result = tmg.term_end(date(2022, 1, 1))
    with pytest.raises(AttributeError, match="cannot assign"):
        result.value = date(2040, 1, 1)


# -- Exact results, sources and refusals (each kills what a mutation of the rule would change) ------


@pytest.mark.parametrize(
    ("on", "transition", "text", "source"),
    [
        (
            date(2017, 1, 1),
            False,
            "hoofdstuk 17 van de CAO Rijk en artikel 7.4 van het Algemeen Rijksambtenarenreglement",
            "[CAO17; ARAR 7.4]",
        ),
        (
            date(2016, 12, 31),
            False,
            "artikel 7.4 van het Algemeen Rijksambtenarenreglement",
            "[CAO17; ARAR 7.4]",
        ),
        (
            date(2017, 1, 1),
            True,
            "hoofdstuk 17 van de CAO Rijk, artikel 7.4 van het Algemeen Rijksambtenarenreglement en artikel 130d "
            "van het Algemeen Rijksambtenarenreglement",
            "[CAO17; ARAR 7.4; ARAR 130d]",
        ),
        (
            date(2016, 12, 31),
            True,
            "artikel 7.4 van het Algemeen Rijksambtenarenreglement en artikel 130d van het Algemeen "
            "Rijksambtenarenreglement",
            "[CAO17; ARAR 7.4; ARAR 130d]",
        ),
    ],
)
def test_the_kb_is_based_on_cao_chapter_17_from_2017_and_on_130d_under_the_transition_rule(
    on, transition, text, source
):
    assert rules.kb_legal_basis(on=on, is_transition_2017=transition) == rules.Cited(text, source)


def test_nine_years_in_one_function_is_the_last_possible_end():
    tmg.validate_total_time_in_function(start_in_function=date(2022, 1, 1), end=date(2031, 1, 1))
    with pytest.raises(rules.ExtensionNotAllowed) as refused:
        tmg.validate_total_time_in_function(start_in_function=date(2022, 1, 1), end=date(2031, 1, 2))
    assert str(refused.value) == (
        "At most 9 years in total in the same function: the last day of the term is 2030-12-31 at the latest."
    )
    assert refused.value.params == {
        "current": date(2022, 1, 1),
        "years": 2,
        "total": 9,
        "latest": date(2030, 12, 31),
    }


def test_the_latest_end_and_the_marks_carry_their_sources():
    marks = tmg.term_marks(date(2019, 3, 1))
    assert marks == rules.TermMarks(
        minimum_aim=rules.Cited(date(2023, 3, 1), "[TMG-page]"),
        conversation=rules.Cited(date(2024, 3, 1), "[TMG-page]"),
        maximum_term=rules.Cited(date(2026, 3, 1), "[CAO17; ARAR 7.4]"),
        latest_extension_end=rules.Cited(date(2028, 3, 1), "[Nadere regels 1]"),
    )
    assert tmg.latest_extension_end(date(2019, 3, 1)) == rules.Cited(date(2028, 3, 1), "[Nadere regels 1]")


def test_the_search_period_dates_carry_their_sources_and_know_when_shortened():
    cited = "[CAO17; TMG-page]"
    full = tmg.search_period(date(2022, 1, 1))
    assert full == rules.SearchPeriodDates(
        start=rules.Cited(date(2022, 1, 1), cited),
        end=rules.Cited(date(2024, 1, 1), cited),
        request_window_end=rules.Cited(date(2022, 2, 1), cited),
        shortened_end=rules.Cited(date(2023, 7, 1), cited),
    )
    assert full.is_shortened is False
    assert tmg.search_period(date(2022, 1, 1), shortened=True).is_shortened is True


def test_the_transition_rule_dossier_must_end_on_the_deemed_end():
    rules.validate_term_end_transition_2017(
        start_in_function=date(2015, 1, 1), function_group="B", end=date(2022, 1, 1)
    )
    with pytest.raises(rules.TermEndMismatch) as refused:
        rules.validate_term_end_transition_2017(
            start_in_function=date(2015, 1, 1), function_group="B", end=date(2022, 1, 2)
        )
    assert str(refused.value) == "Under the transition rule of 2017 the last day of the term is 2021-12-31."
    assert refused.value.params == {"expected": date(2021, 12, 31)}
    with pytest.raises(rules.TransitionRuleNotApplicable, match="group B"):
        rules.validate_term_end_transition_2017(
            start_in_function=date(2015, 1, 1), function_group="A", end=date(2022, 1, 1)
        )


@pytest.mark.parametrize(
    ("income", "payment"),
    [("9024.04", "54144.24"), ("0", "0.00"), ("1000.0025", "6000.02"), ("1000.0075", "6000.05")],
)
def test_the_shortening_payment_is_six_monthly_incomes_rounded_half_up_at_the_cent(income, payment):
    result = tmg.shortening_payment(Decimal(income))
    assert result == rules.Cited(Decimal(payment), "[CAO17; TMG-page]")
    assert str(result.value) == payment


def test_a_negative_monthly_income_is_refused():
    with pytest.raises(rules.RuleViolation) as refused:
        tmg.shortening_payment(Decimal("-0.01"))
    assert str(refused.value) == "The monthly income cannot be negative."


@pytest.mark.parametrize(
    ("changes", "shown"),
    [
        ({}, True),
        ({"assessment": rules.PERMITTED_WITH_CONDITIONS}, True),
        ({"assessment": rules.NOT_PERMITTED}, False),
        ({"is_published": False}, False),
        ({"member_in_office": False}, False),
        ({"start": date(2026, 6, 15)}, True),  # from its first day
        ({"start": date(2026, 6, 16)}, False),
        ({"end": date(2026, 6, 16)}, True),  # until its (exclusive) end
        ({"end": date(2026, 6, 15)}, False),
    ],
)
def test_the_register_shows_published_permitted_running_activities_of_members_in_office(changes, shown):
    case = {
        "assessment": rules.PERMITTED,
        "is_published": True,
        "start": date(2020, 1, 1),
        "end": None,
        "member_in_office": True,
        "today": date(2026, 6, 15),
    }
    assert rules.is_on_public_register(**(case | changes)) is shown


def test_only_a_permitted_activity_can_be_published_and_not_publishing_needs_a_reason():
    rules.validate_publication(assessment=rules.PERMITTED)
    rules.validate_publication(assessment=rules.PERMITTED_WITH_CONDITIONS)
    for refused in (rules.NOT_PERMITTED, ""):
        with pytest.raises(rules.NotPublishable) as error:
            rules.validate_publication(assessment=refused)
        assert str(error.value) == "Only a permitted side activity can be published."
    rules.validate_not_publishing(reason="Veiligheid")
    with pytest.raises(rules.ReasonRequired) as error:
        rules.validate_not_publishing(reason=" \n")
    assert str(error.value) == "A decision not to publish needs a reason."


def test_extension_refusal_names_the_figures_and_the_result_its_source():
    assert tmg.validate_extension(
        start_in_function=date(2022, 1, 1), current_end=date(2029, 1, 1), proposed_end=date(2030, 1, 1)
    ) == rules.Cited(date(2030, 1, 1), "[Nadere regels 1; CAO17]")
    with pytest.raises(rules.ExtensionNotAllowed) as refused:
        tmg.validate_extension(
            start_in_function=date(2020, 1, 1), current_end=date(2025, 1, 1), proposed_end=date(2027, 1, 2)
        )
    assert str(refused.value) == (
        "An extension's last day lies after the current last day (2024-12-31), by at most 2 years and at "
        "most 9 years in total in the same function: on 2026-12-31 at the latest."
    )
    assert refused.value.params == {  # last days: the message speaks as people do [ARAR 7.4; CAO17; TMG-page]
        "current": date(2024, 12, 31),
        "years": 2,
        "total": 9,
        "latest": date(2026, 12, 31),
    }


def test_a_term_lasts_one_to_seven_years_and_says_so_when_refused():
    assert tmg.term_end(date(2020, 1, 1), years=1).value == date(2021, 1, 1)
    assert tmg.term_end(date(2020, 1, 1)).value == date(2027, 1, 1)
    with pytest.raises(rules.EndBeforeStart) as short:
        tmg.term_end(date(2020, 1, 1), years=0)
    assert str(short.value) == "A term lasts at least one year."
    with pytest.raises(rules.TermTooLong) as long:
        tmg.term_end(date(2020, 1, 1), years=8)
    assert str(long.value) == "A term is at most 7 years." and long.value.params == {"max": 7}
    with pytest.raises(rules.EndBeforeStart) as before:
        tmg.validate_term_end(date(2020, 1, 1), date(2019, 12, 31))
    assert str(before.value) == "The end date must lie after the start date."
    with pytest.raises(rules.TermTooLong) as beyond:
        tmg.validate_term_end(date(2020, 1, 1), date(2027, 1, 2))
    assert str(beyond.value) == "A term is at most 7 years: its last day is 2026-12-31 at the latest."
    assert beyond.value.params == {"max": 7, "latest": date(2026, 12, 31)}


def test_the_shortening_refusal_names_the_window_and_its_edges_hold():
    start = date(2022, 1, 1)
    assert tmg.may_request_shortening(start, date(2022, 1, 31)) is True
    assert tmg.may_request_shortening(start, date(2022, 2, 1)) is False
    with pytest.raises(rules.ShorteningNotAllowed) as refused:
        tmg.validate_shortening_request(start, date(2022, 2, 1))
    assert str(refused.value) == (
        "A request to shorten the search period must be made in the window for it: from 2022-01-01 up to and "
        "including 2022-01-31."
    )
    assert refused.value.params == {"start": start, "last": date(2022, 1, 31)}
    tmg.validate_shortening_request(start, start)


def test_a_date_in_the_search_period_may_be_its_first_or_last_edge():
    rules.validate_date_in_period(date(2022, 1, 1), date(2022, 1, 1), date(2024, 1, 1))
    rules.validate_date_in_period(date(2024, 1, 1), date(2022, 1, 1), date(2024, 1, 1))
    with pytest.raises(rules.DateOutsidePeriod) as refused:
        rules.validate_date_in_period(date(2021, 12, 31), date(2022, 1, 1), date(2024, 1, 1))
    assert str(refused.value) == "The date must lie within the search period (2022-01-01 to 2024-01-01)."
    assert refused.value.params == {"start": date(2022, 1, 1), "end": date(2024, 1, 1)}


def test_the_ending_route_carries_its_source():
    assert tmg.ending_route(member_consents=True) == rules.EndingRoute(
        route=rules.MUTUAL_CONSENT, ww_supplement_percentage=Decimal("110"), source="[CAO17; TMG-page]"
    )


def test_an_unknown_move_is_refused_with_both_states_named():
    with pytest.raises(rules.TransitionNotAllowed) as refused:
        rules.check_transition("onbekend", rules.PROPOSED)
    assert str(refused.value) == "A dossier cannot move from onbekend to proposed."
    assert refused.value.params == {"current": "onbekend", "new": "proposed"}


@pytest.mark.parametrize("current", sorted(rules.ALLOWED_TRANSITIONS))
def test_every_allowed_move_and_no_other(current):
    for new in rules.ALLOWED_TRANSITIONS:
        if new in rules.ALLOWED_TRANSITIONS[current]:
            rules.check_transition(current, new)
        else:
            with pytest.raises(rules.TransitionNotAllowed):
                rules.check_transition(current, new)


def test_a_violation_keeps_its_message_and_figures():
    assert str(rules.RuleViolation("100% zeker")) == "100% zeker"
    violation = rules.RuleViolation("op %(on)s", on=date(2022, 1, 1))
    assert str(violation) == "op 2022-01-01" and violation.params == {"on": date(2022, 1, 1)}


# A fictitious regime, only for the tests: every rule must use the figures of the regime it is given.
TRIAL = replace(
    rules.TMG,
    name="Proefregime",
    max_term_years=5,
    max_extension_years=3,
    max_total_years=8,
    shortening_request_window_months=2,
)


def test_every_rule_uses_the_figures_of_the_regime_it_is_given():
    start = date(2020, 1, 1)
    assert rules.term_marks(start, regime=TRIAL).latest_extension_end.value == date(2028, 1, 1)
    rules.validate_total_time_in_function(start_in_function=start, end=date(2028, 1, 1), regime=TRIAL)
    with pytest.raises(rules.ExtensionNotAllowed):  # 8 years in total under the trial regime, not 9
        rules.validate_total_time_in_function(start_in_function=start, end=date(2028, 1, 2), regime=TRIAL)
    with pytest.raises(rules.ExtensionNotAllowed):  # within its 3 years' extension, beyond its 8 in total
        rules.validate_extension(
            start_in_function=start, current_end=date(2026, 6, 1), proposed_end=date(2028, 6, 1), regime=TRIAL
        )
    assert rules.validate_extension(
        start_in_function=start, current_end=date(2025, 1, 1), proposed_end=date(2028, 1, 1), regime=TRIAL
    ).value == date(2028, 1, 1)
    assert rules.may_request_shortening(start, date(2020, 2, 15), regime=TRIAL) is True
    rules.validate_shortening_request(start, date(2020, 2, 15), regime=TRIAL)
    with pytest.raises(rules.ShorteningNotAllowed) as refused:
        rules.validate_shortening_request(start, date(2020, 3, 1), regime=TRIAL)
    assert refused.value.params["last"] == date(2020, 2, 29)


def test_the_transition_rule_says_exactly_why_it_does_not_apply():
    with pytest.raises(rules.TransitionRuleNotApplicable) as group_a:
        rules.term_end_transition_2017(start_in_function=date(2015, 1, 1), function_group="A")
    assert str(group_a.value) == "The transition rule of 2017 applies only to group B functions."
    with pytest.raises(rules.TransitionRuleNotApplicable) as later:
        rules.term_end_transition_2017(start_in_function=date(2017, 1, 2), function_group="B")
    assert (
        str(later.value)
        == "The transition rule of 2017 applies only to a holder in function on 1 January 2017."
    )


def test_a_regime_without_a_search_period_computes_none_and_says_so():
    """The Flemish mandates know no search period (appointments.regimes.flemish): nothing to compute."""
    from appointments.regimes import flemish

    figures = flemish.REGIME.figures
    for call in (
        lambda: rules.search_period(date(2022, 1, 1), regime=figures),
        lambda: rules.shortening_payment(Decimal("1000.00"), regime=figures),
        lambda: rules.ending_route(member_consents=True, regime=figures),
    ):
        with pytest.raises(rules.NoSearchPeriod) as refused:
            call()
        assert refused.value.params == {"regime": figures.name}
