"""The law of TMG appointments, as plain Python.

No Django, no database, no clock: every function takes the dates it needs (`today` included) and
returns a value that carries its legal source, so screens and KBs print the citation beside it.
Sources are named by their short names, listed with where to read them in docs/sources.md:
[ARAR 7.4], [CAO17], [TMG-page], [Nadere regels], [ARAR 130d].

Date convention [ARAR 7.4; CAO17; TMG-page]: an end date is *exclusive*. A term "of 7 years from 1 January 2015"
ends on 1 January 2022; the last day in function is 31 December 2021. Years and months are added
as calendar units (29 February + 1 year = 28 February), never as a number of days.

The figures of the regime (7, 9, 24 months ...) are in one `TermRegime` value, so that a second
regime (the Flemish 6-year mandates, appointments.regimes.flemish) is a new value and, where its logic differs,
a new module, not a rewrite of the dossier.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Generic, Protocol, TypeVar

from dateutil.relativedelta import relativedelta

CENT = Decimal("0.01")


class RuleViolation(ValueError):
    """A proposed fact the law does not allow; `params` fill the user's message (errors.py)."""

    def __init__(self, message: str, **params):
        super().__init__(message % params if params else message)
        self.params = params


class TermTooLong(RuleViolation):
    """A term longer than the law allows [ARAR 7.4; CAO17]."""


class EndBeforeStart(RuleViolation):
    """An end date on or before the start date."""


class ExtensionNotAllowed(RuleViolation):
    """An extension beyond 2 years or 9 years in total [Nadere regels 1]."""


class TermEndMismatch(RuleViolation):
    """A term end that differs from the one the transition rule gives [ARAR 130d]."""


class TransitionRuleNotApplicable(RuleViolation):
    """The 2017 transition rule asked for where it does not apply [ARAR 130d]."""


class ShorteningNotAllowed(RuleViolation):
    """A request to shorten the search period outside its first month [CAO17]."""


class TransitionNotAllowed(RuleViolation):
    """A step the dossier's procedure does not know [TMG-page; ARAR 7.4]."""


class NoSearchPeriod(RuleViolation):
    """A search period asked of a regime that has none (the Flemish mandates: return to grade)."""


def _search_period_figures(regime: TermRegime) -> tuple[int, int, int, int]:
    """The regime's search period, shortened period, request window and payment, in months."""
    months, shortened, window, payment = (
        regime.search_period_months,
        regime.shortened_search_period_months,
        regime.shortening_request_window_months,
        regime.shortening_payment_months,
    )
    if months is None or shortened is None or window is None or payment is None:
        raise NoSearchPeriod("Under %(regime)s there is no search period after the term.", regime=regime.name)
    return months, shortened, window, payment


class DateOutsidePeriod(RuleViolation):
    """A date outside the search period it belongs to [CAO17]."""


V = TypeVar("V", date, Decimal, int, str)


@dataclass(frozen=True)
class Cited(Generic[V]):
    """A computed date, amount, scale or text with the source that makes it so."""

    value: V
    source: str


@dataclass(frozen=True)
class TermRegime:
    """The figures of one term regime. TMG is the regime in force since 2017-01-01; another regime is
    another value (appointments.regimes), with a module of its own where its logic differs. A figure
    a regime does not have is None (the Flemish mandates know no search period)."""

    name: str
    max_term_years: int
    minimum_aim_years: int | None
    conversation_after_years: int
    max_extension_years: int
    max_total_years: int
    search_period_months: int | None
    shortened_search_period_months: int | None
    shortening_request_window_months: int | None
    shortening_payment_months: int | None
    ww_supplement_percentage: Decimal | None
    # How many times a term may be renewed (TMG: one extension up to the 9-year total).
    max_renewals: int = 1


TMG = TermRegime(
    name="TMG",
    max_term_years=7,  # [ARAR 7.4; CAO17]
    minimum_aim_years=4,  # [TMG-page]
    conversation_after_years=5,  # [TMG-page]
    max_extension_years=2,  # [Nadere regels 1]
    max_total_years=9,  # [Nadere regels 1; TMG-page]
    search_period_months=24,  # [CAO17; TMG-page]
    shortened_search_period_months=18,  # [CAO17; TMG-page]
    shortening_request_window_months=1,  # [CAO17; TMG-page]
    shortening_payment_months=6,  # [CAO17; TMG-page]
    ww_supplement_percentage=Decimal("110"),  # [CAO17]
)


def add_years(start: date, years: int) -> date:
    """Calendar years: 29 February + 1 year = 28 February [ARAR 7.4; CAO17; TMG-page]."""
    return start + relativedelta(years=years)


def add_months(start: date, months: int) -> date:
    """Calendar months: 31 January + 1 month = 28 (29) February."""
    return start + relativedelta(months=months)


def last_day(end_exclusive: date) -> date:
    """The last day inside a period whose end date is exclusive [ARAR 7.4; CAO17; TMG-page]."""
    return end_exclusive - timedelta(days=1)


# -- Term -----------------------------------------------------------------------------------------


def term_end(start: date, *, years: int | None = None, regime: TermRegime) -> Cited[date]:
    """End (exclusive) of an appointment term of `years` (default: the maximum) from `start`.

    [ARAR 7.4; CAO17]: appointment in a designated function for at most 7 years; the KB may set a
    shorter term.
    """
    years = regime.max_term_years if years is None else years
    if years < 1:
        raise EndBeforeStart("A term lasts at least one year.")
    if years > regime.max_term_years:
        raise TermTooLong("A term is at most %(max)s years.", max=regime.max_term_years)
    return Cited(add_years(start, years), "[CAO17; ARAR 7.4]")


def validate_term_end(start: date, end: date, *, regime: TermRegime) -> None:
    """A KB may set any end after the start, up to the maximum term [ARAR 7.4; CAO17]."""
    if end <= start:
        raise EndBeforeStart("The end date must lie after the start date.")
    latest = add_years(start, regime.max_term_years)
    if end > latest:
        raise TermTooLong(
            "A term is at most %(max)s years: its last day is %(latest)s at the latest.",
            max=regime.max_term_years,
            latest=last_day(latest),
        )


@dataclass(frozen=True)
class TermMarks:
    """The dates a dossier is steered by, each with its source."""

    minimum_aim: Cited[date] | None  # None where the regime aims at no minimum
    conversation: Cited[date]
    maximum_term: Cited[date]
    latest_extension_end: Cited[date]


def term_marks(start_in_function: date, *, regime: TermRegime) -> TermMarks:
    """The 4-, 5-, 7- and 9-year marks of a member's time in one function.

    [TMG-page]: at least 4 years in a function; after 5 years member and employer discuss an
    extension. [ARAR 7.4; CAO17]: at most 7 years. [Nadere regels 1; TMG-page]: with extension at
    most 9 years in total in the same function.
    """
    return TermMarks(
        minimum_aim=Cited(add_years(start_in_function, regime.minimum_aim_years), "[TMG-page]")
        if regime.minimum_aim_years is not None
        else None,
        conversation=Cited(add_years(start_in_function, regime.conversation_after_years), "[TMG-page]"),
        maximum_term=Cited(add_years(start_in_function, regime.max_term_years), "[CAO17; ARAR 7.4]"),
        latest_extension_end=latest_extension_end(start_in_function, regime=regime),
    )


def latest_extension_end(start_in_function: date, *, regime: TermRegime) -> Cited[date]:
    """At most 9 years in total in the same function [Nadere regels 1; TMG-page]."""
    return Cited(add_years(start_in_function, regime.max_total_years), "[Nadere regels 1]")


def validate_total_time_in_function(*, start_in_function: date, end: date, regime: TermRegime) -> None:
    """At most 9 years in total in the same function [Nadere regels 1; TMG-page]."""
    latest = latest_extension_end(start_in_function, regime=regime).value
    if end > latest:
        raise ExtensionNotAllowed(
            "At most %(total)s years in total in the same function: the last day of the term is "
            "%(latest)s at the latest.",
            current=start_in_function,
            years=regime.max_extension_years,
            total=regime.max_total_years,
            latest=last_day(latest),
        )


def validate_extension(
    *, start_in_function: date, current_end: date, proposed_end: date, regime: TermRegime
) -> Cited[date]:
    """Check a proposed extension and return the new end with its source.

    [Nadere regels 1]: an extension in the interest of the service is by at most 2 years, and the
    total time in the same function is at most 9 years. The new end lies after the current end.
    """
    by_extension = add_years(current_end, regime.max_extension_years)
    in_total = latest_extension_end(start_in_function, regime=regime).value
    latest = min(by_extension, in_total)
    if not current_end < proposed_end <= latest:
        raise ExtensionNotAllowed(
            "An extension's last day lies after the current last day (%(current)s), by at most "
            "%(years)s years and at most %(total)s years in total in the same function: on "
            "%(latest)s at the latest.",
            current=last_day(current_end),
            years=regime.max_extension_years,
            total=regime.max_total_years,
            latest=last_day(latest),
        )
    return Cited(proposed_end, "[Nadere regels 1; CAO17]")


def may_extend(*, start_in_function: date, current_end: date, regime: TermRegime) -> bool:
    """Whether any extension is still possible: the term ends before the 9-year mark [Nadere regels 1]."""
    return current_end < latest_extension_end(start_in_function, regime=regime).value


class TermPassed(RuleViolation):
    """A step that needs a running term, taken after the term ended [ARAR 7.4]."""


def term_has_passed(*, status: str, end: date, today: date) -> bool:
    """The term ran out while the dossier still says in function: the end, an extension or a new
    function has to be recorded [ARAR 7.4; Nadere regels 1]."""
    return status in IN_OFFICE_STATES and end <= today


def validate_take_office(*, end: date, today: date, late_motivation: str) -> None:
    """Taking office is recorded while the term runs [ARAR 7.4]. Recorded after the term ended (a
    file entered afterwards, a step forgotten) it needs an explicit motivation that stays in the
    file; the dossier then shows at once that the term has passed."""
    if end <= today and not late_motivation.strip():
        raise TermPassed(
            "The term ended on %(last)s (last day); record the end or a new appointment instead.",
            last=last_day(end),
        )


def validate_extension_in_time(*, current_end: date, today: date, late_motivation: str) -> None:
    """An extension is decided before the term runs out [Nadere regels 1: "verlengen"]. Whether a
    late decision can still extend a term that has ended the regulation does not say; we do not
    forbid it but ask for an explicit motivation that stays in the file."""
    if current_end <= today and not late_motivation.strip():
        raise TermPassed(
            "The term ended on %(last)s (last day). An extension after the term needs an explicit "
            "motivation for the late decision.",
            last=last_day(current_end),
        )


class DateOutOfOrder(RuleViolation):
    """A step of the procedure dated before the step it follows [TMG-page]."""


def validate_step_order(*, earlier: date | None, later: date) -> None:
    """Proposal, office approval, council of ministers and KB follow each other [TMG-page]."""
    if earlier is not None and later < earlier:
        raise DateOutOfOrder(
            "This date lies before %(earlier)s, the date of the preceding step.", earlier=earlier
        )


# -- Occupancy --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A held appointment's days: from `start` up to, not including, `end` [ARAR 7.4; CAO17; TMG-page]."""

    start: date
    end: date
    holder: str = ""
    ref: int | None = None  # the appointment it stands for, so a screen can link to it

    def overlaps(self, other: Period) -> bool:
        return self.start < other.end and other.start < self.end


class Occupied(RuleViolation):
    """Two people in one function, or one member in two functions, on the same day [ARAR 7.4:
    appointment *in* a designated function; one holder per function]."""


class FunctionOccupied(Occupied):
    """The function is held by someone else on one of the days."""


class MemberHoldsOtherFunction(Occupied):
    """The member holds another function on one of the days."""


def overlapping(period: Period, held: list[Period]) -> list[Period]:
    """The held periods that share at least one day with `period`."""
    return [other for other in held if other.overlaps(period)]


def validate_not_occupied(period: Period, *, function_held: list[Period], member_held: list[Period]) -> None:
    """A function is held by at most one person on any day, and a member holds at most one TMG
    function on any day [ARAR 7.4]. `*_held` are the other appointments from KB signed onwards."""
    for other in overlapping(period, function_held):
        raise FunctionOccupied(
            "The function is held by %(holder)s from %(start)s up to and including %(last)s.",
            holder=other.holder,
            start=other.start,
            last=last_day(other.end),
            ref=other.ref,
        )
    for other in overlapping(period, member_held):
        raise MemberHoldsOtherFunction(
            "The member holds another function (%(holder)s) from %(start)s up to and including %(last)s.",
            holder=other.holder,
            start=other.start,
            last=last_day(other.end),
            ref=other.ref,
        )


def vacant_from(on: date, held: list[Period]) -> date:
    """The first day from `on` on which none of the `held` periods runs: `on` itself when vacant."""
    day = on
    for period in sorted(held, key=lambda p: p.start):
        if period.start <= day < period.end:
            day = period.end
    return day


# -- Transition rule of 2017 -------------------------------------------------------------------------

TRANSITION_2017_DATE = date(2017, 1, 1)
TRANSITION_2017_MINIMUM_END = date(2020, 1, 1)


def term_end_transition_2017(*, start_in_function: date, function_group: str) -> Cited[date]:
    """Deemed term of a group B holder already in function on 2017-01-01 [ARAR 130d].

    From 2017-01-01 the holder of a function designated under Regeling art. 1 under b is deemed
    appointed on that date for 7 years minus the time already served, but for at least 3 years
    after that date: end = max(start + 7 years, 2020-01-01). Worked examples of the Nota van
    toelichting: 2015-01-01 -> 2022-01-01; 2010-01-01 -> 2020-01-01.
    """
    if function_group != "B":
        raise TransitionRuleNotApplicable("The transition rule of 2017 applies only to group B functions.")
    if start_in_function > TRANSITION_2017_DATE:
        raise TransitionRuleNotApplicable(
            "The transition rule of 2017 applies only to a holder in function on 1 January 2017."
        )
    end = max(add_years(start_in_function, TMG.max_term_years), TRANSITION_2017_MINIMUM_END)
    return Cited(end, "[ARAR 130d]")


def validate_term_end_transition_2017(*, start_in_function: date, function_group: str, end: date) -> None:
    """A dossier under the transition rule ends exactly on the deemed end [ARAR 130d]."""
    expected = term_end_transition_2017(
        start_in_function=start_in_function, function_group=function_group
    ).value
    if end != expected:
        raise TermEndMismatch(
            "Under the transition rule of 2017 the last day of the term is %(expected)s.",
            expected=last_day(expected),
        )


# -- Search period ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchPeriodDates:
    """The dates of a search period (zoektermijn); every end is exclusive."""

    start: Cited[date]
    end: Cited[date]
    request_window_end: Cited[date]
    shortened_end: Cited[date]

    @property
    def is_shortened(self) -> bool:
        return self.end.value == self.shortened_end.value


def search_period(start: date, *, shortened: bool = False, regime: TermRegime) -> SearchPeriodDates:
    """The search period that starts when a term ends, or on the date of early termination.

    [CAO17; TMG-page]: at most 24 months, placed at BZK as buitengewoon adviseur. In its first month
    the member may ask to end it 6 months earlier: then at most 18 months. "The first month" runs
    from the start up to, not including, the same day of the next month [TMG-page; CAO17]. Worked example:
    start 2022-01-01 -> end 2024-01-01; window up to 2022-02-01; shortened end 2023-07-01.
    """
    months, shortened_months, window_months, _payment_months = _search_period_figures(regime)
    full_end = add_months(start, months)
    short_end = add_months(start, shortened_months)
    return SearchPeriodDates(
        start=Cited(start, "[CAO17; TMG-page]"),
        end=Cited(short_end if shortened else full_end, "[CAO17; TMG-page]"),
        request_window_end=Cited(add_months(start, window_months), "[CAO17; TMG-page]"),
        shortened_end=Cited(short_end, "[CAO17; TMG-page]"),
    )


def may_request_shortening(start: date, request_date: date, *, regime: TermRegime) -> bool:
    """Whether a request to shorten falls in the first month of the search period [CAO17]."""
    window_end = search_period(start, regime=regime).request_window_end.value
    return start <= request_date < window_end


def validate_shortening_request(start: date, request_date: date, *, regime: TermRegime) -> None:
    """Refuse a shortening request outside the first month [CAO17; TMG-page]."""
    if not may_request_shortening(start, request_date, regime=regime):
        window_end = search_period(start, regime=regime).request_window_end.value
        raise ShorteningNotAllowed(
            "A request to shorten the search period must be made in the window for it: from "
            "%(start)s up to and including %(last)s.",
            start=start,
            last=last_day(window_end),
        )


def shortening_payment(monthly_income: Decimal, *, regime: TermRegime) -> Cited[Decimal]:
    """The payment on shortening: 6 x monthly income [CAO17; TMG-page].

    What "monthly income" comprises is for the salary administration: it is entered, not computed.
    """
    if monthly_income < 0:
        raise RuleViolation("The monthly income cannot be negative.")
    payment_months = _search_period_figures(regime)[3]
    amount = (monthly_income * payment_months).quantize(CENT, ROUND_HALF_UP)
    return Cited(amount, "[CAO17; TMG-page]")


def validate_date_in_period(on: date, start: date, end: date) -> None:
    """A re-placement or ending during a search period lies inside it [CAO17; TMG-page]."""
    if not start <= on <= end:
        raise DateOutsidePeriod(
            "The date must lie within the search period (%(start)s to %(end)s).",
            start=start,
            end=end,
        )


MUTUAL_CONSENT = "mutual_consent"
COURT = "court"


@dataclass(frozen=True)
class EndingRoute:
    route: str
    ww_supplement_percentage: Decimal
    source: str


def ending_route(*, member_consents: bool, regime: TermRegime) -> EndingRoute:
    """How employment ends after a search period without a new function [CAO17; TMG-page].

    The employer proposes ending by mutual consent; if the member refuses, the employer asks the
    kantonrechter to dissolve the contract. Either way the member is entitled to a supplement to the
    WW benefit of 110% of the CAO's regular supplement.
    """
    if regime.ww_supplement_percentage is None:
        raise NoSearchPeriod("Under %(regime)s there is no search period after the term.", regime=regime.name)
    return EndingRoute(
        route=MUTUAL_CONSENT if member_consents else COURT,
        ww_supplement_percentage=regime.ww_supplement_percentage,
        source="[CAO17; TMG-page]",
    )


# -- The dossier's states ---------------------------------------------------------------------------

CONCEPT = "concept"
PROPOSED = "proposed"
COUNCIL_AGREED = "council_agreed"
KB_SIGNED = "kb_signed"
IN_FUNCTION = "in_function"
EXTENDED = "extended"
ENDED = "ended"
SEARCH_PERIOD = "search_period"
REPLACED = "replaced"
EMPLOYMENT_ENDED = "employment_ended"
# Withdrawn before the KB was signed: nothing was decided, the dossier stays as a record.
WITHDRAWN = "withdrawn"

# [TMG-page; ARAR 7.4]: appointment by KB after the council of ministers agreed; extension by the
# same procedure; after the term a new function or the search period [CAO17]. Until the KB is
# signed nothing is decided, so a concept or proposal can be withdrawn.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    CONCEPT: frozenset({PROPOSED, WITHDRAWN}),
    PROPOSED: frozenset({CONCEPT, COUNCIL_AGREED, WITHDRAWN}),
    COUNCIL_AGREED: frozenset({KB_SIGNED, WITHDRAWN}),
    KB_SIGNED: frozenset({IN_FUNCTION}),
    IN_FUNCTION: frozenset({EXTENDED, ENDED}),
    EXTENDED: frozenset({EXTENDED, ENDED}),
    ENDED: frozenset({SEARCH_PERIOD, REPLACED, EMPLOYMENT_ENDED}),
    SEARCH_PERIOD: frozenset({REPLACED, EMPLOYMENT_ENDED}),
    REPLACED: frozenset(),
    EMPLOYMENT_ENDED: frozenset(),
    WITHDRAWN: frozenset(),
}
RUNNING_STATES = frozenset({KB_SIGNED, IN_FUNCTION, EXTENDED})
# The term is over: the KB of the ending (and the search period) follows [CAO17].
ENDED_STATES = frozenset({ENDED, SEARCH_PERIOD, EMPLOYMENT_ENDED})
# Not yet decided: the KB that appoints has not been signed [TMG-page; ARAR 7.4].
PLANNED_STATES = frozenset({CONCEPT, PROPOSED, COUNCIL_AGREED})
# Held, or once held: from the signed KB onwards, including the ending and the search period after it.
HELD_STATES = frozenset({KB_SIGNED, IN_FUNCTION, EXTENDED, ENDED, SEARCH_PERIOD, REPLACED, EMPLOYMENT_ENDED})


class Dated(Protocol):
    status: str
    start_date: date
    pk: int


D = TypeVar("D", bound=Dated)


def current_appointment(appointments: Iterable[D], today: date) -> D | None:
    """The member's current appointment: of the held ones (KB signed or later [ARAR 7.4]) the latest
    that has started by `today`, else the first still to come. Only when none is held, the same choice
    among the planned ones (concept to agreement): the member list and the placement form then show
    the dossier in preparation, while the file stays with no ministry (`is_held` of the answer says
    which it is; tmgportal.roles.scope). Withdrawn dossiers never count.

    `appointments.models.dossier.AppointmentQuerySet.current_of` is this rule in SQL; the property
    test in tests/appointments/test_current_appointment.py holds the two to the same answer."""
    candidates = [a for a in appointments if a.status in HELD_STATES] or [
        a for a in appointments if a.status in PLANNED_STATES
    ]
    started = [a for a in candidates if a.start_date <= today]
    if started:
        return max(started, key=lambda a: (a.start_date, a.pk))
    return min(candidates, key=lambda a: (a.start_date, a.pk), default=None)


# The extension's own course: proposed, decided by the minister's office, granted by KB [Nadere regels 1].
EXTENSION_PROPOSED = "proposed"
EXTENSION_APPROVED = "approved"
EXTENSION_REJECTED = "rejected"
EXTENSION_KB_RECORDED = "kb_recorded"
EXTENSION_WITHDRAWN = "withdrawn"
# At most one extension is open at a time: proposed, or approved and waiting for its KB.
OPEN_EXTENSION_STATES = (EXTENSION_PROPOSED, EXTENSION_APPROVED)


def renewals_so_far(extension_statuses: Iterable[str]) -> int:
    """The extensions granted by KB: what counts towards a regime's number of renewals [ARAR 7.4]."""
    return sum(status == EXTENSION_KB_RECORDED for status in extension_statuses)


def term_passed_unrecorded(*, status: str, term_end: date | None, today: date) -> bool:
    """The term has passed while the dossier still says the member is in office: the end or an
    extension must be recorded [ARAR 7.4]."""
    return status in IN_OFFICE_STATES and term_end is not None and term_end <= today


def check_transition(current: str, new: str) -> None:
    """Refuse a move the procedure does not know."""
    if new not in ALLOWED_TRANSITIONS.get(current, frozenset()):
        raise TransitionNotAllowed(
            "A dossier cannot move from %(current)s to %(new)s.", current=current, new=new
        )


# -- Side activities [CAO17] ---------------------------------------------------------------

PERMITTED = "permitted"
PERMITTED_WITH_CONDITIONS = "permitted_with_conditions"
NOT_PERMITTED = "not_permitted"
PUBLISHABLE_ASSESSMENTS = frozenset({PERMITTED, PERMITTED_WITH_CONDITIONS})
# The public register lists members who hold a TMG function today [CAO17].
IN_OFFICE_STATES = frozenset({IN_FUNCTION, EXTENDED})
# A term that runs or is about to (KB signed): its end is a deadline and a coming vacancy.
TERM_RUNNING_STATES = frozenset({KB_SIGNED, IN_FUNCTION, EXTENDED})


class NotPublishable(RuleViolation):
    """Publication of a side activity that was not permitted [CAO17]."""


class ReasonRequired(RuleViolation):
    """A decision not to publish without its reason [CAO17]."""


def validate_publication(*, assessment: str) -> None:
    """Only an activity that is permitted (with or without conditions) can be published: what the
    register shows is what the employer allows [CAO17]."""
    if assessment not in PUBLISHABLE_ASSESSMENTS:
        raise NotPublishable("Only a permitted side activity can be published.")


def validate_not_publishing(*, reason: str) -> None:
    """The employer publishes what TMG members report "in most cases"; a decision not to publish
    needs a recorded reason [CAO17]."""
    if not reason.strip():
        raise ReasonRequired("A decision not to publish needs a reason.")


def is_on_public_register(
    *, assessment: str, is_published: bool, start: date, end: date | None, member_in_office: bool, today: date
) -> bool:
    """The register shows, per current member, the published activities that run today [CAO17]."""
    return (
        member_in_office
        and is_published
        and assessment in PUBLISHABLE_ASSESSMENTS
        and start <= today
        and (end is None or today < end)
    )


# -- Model-KB [Circulaire model-KB 1999] ------------------------------------------------

KB_TITLE_PHRASES = {
    "appointment": "de aanstelling van",
    "extension": "de verlenging van de benoeming van",
    "ending": "het ontslag van",
}
CAO17_START = date(2017, 1, 1)


def kb_legal_basis(*, on: date, is_transition_2017: bool) -> Cited[str]:
    """The "Gelet op" of the KB: CAO Rijk hoofdstuk 17 and ARAR 7.4 for decisions from 2017, plus ARAR
    130d under the transition rule. Which articles applied before 2017 is not in the domain text; the
    KB then names ARAR 7.4 only and staff check it."""
    parts = []
    if on >= CAO17_START:
        parts.append("hoofdstuk 17 van de CAO Rijk")
    parts.append("artikel 7.4 van het Algemeen Rijksambtenarenreglement")
    if is_transition_2017:
        parts.append("artikel 130d van het Algemeen Rijksambtenarenreglement")
    text = ", ".join(parts[:-1]) + " en " + parts[-1] if len(parts) > 1 else parts[0]
    return Cited(text, "[CAO17; ARAR 7.4; ARAR 130d]" if is_transition_2017 else "[CAO17; ARAR 7.4]")
