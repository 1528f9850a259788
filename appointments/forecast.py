"""The rotation forecast: for the coming quarters, which functions fall vacant and which
members must move, from the dossiers the caller has already scoped. The TMG exists for mobility:
a term ends after at most 7 years [ARAR 7.4; CAO17], an extension can take it to 9 years in the same
function at most [Nadere regels 1]; a member in the search period is available for placement
[CAO17]."""

from datetime import date
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from . import rules

QUARTERS = 12

TERM_ENDS = "term_ends"
MAXIMUM = "maximum"
AVAILABLE = "available"
KINDS = {
    # The term ends on its date unless extended: the function may fall vacant then.
    TERM_ENDS: _("Term ends, extension possible"),
    # No extension can take the term further: the function falls vacant, the member must move.
    MAXIMUM: _("Term ends, no extension possible"),
    AVAILABLE: _("available for placement"),
}


class Quarter(NamedTuple):
    year: int
    number: int

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """The first day of the next quarter (exclusive)."""
        return rules.add_months(self.first_day, 3)

    @property
    def label(self) -> str:
        return f"K{self.number} {self.year}"


def quarter_of(day: date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def quarters_from(today: date, count: int = QUARTERS) -> list[Quarter]:
    """The quarter `today` lies in and the ones after it."""
    found = [quarter_of(today)]
    while len(found) < count:
        last = found[-1]
        found.append(Quarter(last.year + last.number // 4, last.number % 4 + 1))
    return found


class Movement(NamedTuple):
    """One dossier in the forecast: a term that ends in the period, or a member available. Computed
    and kept without the dossier itself (`appointment_id`), as a tuple that is quick to store and
    read; a page of them is shown with their dossiers (`appointments.selectors.movements_shown`)."""

    kind: str
    appointment_id: int
    quarter: Quarter
    day: date  # the last day of the term, or of the search period
    latest_end: date | None  # the last possible day with an extension, where one is possible
    source: str
    appointment: object = None

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def member(self):
        return self.appointment.member

    @property
    def function(self):
        return self.appointment.function


def movements(appointments, *, today: date, count: int = QUARTERS) -> tuple[list[Quarter], list[Movement]]:
    """Every term ending in the quarters from today's, and every member in a running search period
    (available from today up to the last day of the period), soonest first.

    An appointment in office whose term can still be extended [rules.may_extend] is a term that ends
    unless extended; one that cannot be extended further (9 years reached, or the 2017 transition
    term) ends for certain. A term that already passed while the dossier still says in function is
    in the first quarter: it is work to do now (the dashboard says so too)."""
    quarters = quarters_from(today, count)
    horizon = quarters[-1].end
    in_period = {quarter: quarter for quarter in quarters}  # one object per quarter: kept once
    found = []
    for appointment in appointments:
        if appointment.status in rules.TERM_RUNNING_STATES:
            end = appointment.term_end
            if end > horizon:
                continue
            last = rules.last_day(end)
            quarter = in_period.get(quarter_of(max(last, quarters[0].first_day)))
            if quarter is None:
                continue
            extensible = not appointment.is_transition_2017 and appointment.regime.may_renew(
                start=appointment.start_in_function,
                current_end=end,
                renewals_so_far=appointment.renewals_so_far(),
            )
            if extensible:
                latest, source = (
                    rules.last_day(appointment.marks.latest_extension_end.value),
                    "[ARAR 7.4; Nadere regels 1]",
                )
            else:
                latest, source = (
                    None,
                    "[ARAR 130d]" if appointment.is_transition_2017 else "[Nadere regels 1]",
                )
            found.append(
                Movement(TERM_ENDS if extensible else MAXIMUM, appointment.pk, quarter, last, latest, source)
            )
        elif appointment.status == rules.SEARCH_PERIOD:
            period = getattr(appointment, "search_period", None)
            if period is None or not period.is_running:
                continue
            found.append(
                Movement(AVAILABLE, appointment.pk, quarters[0], rules.last_day(period.end), None, "[CAO17]")
            )
    return quarters, sorted(found, key=lambda m: (m.day, m.kind, m.appointment_id))


def per_quarter(quarters, found) -> list[dict]:
    """The counts of the table and the chart: per quarter, per kind. A member available for placement
    counts in each quarter up to the end of the search period."""
    counts = {quarter: dict.fromkeys(KINDS, 0) for quarter in quarters}
    first_days = [(quarter, quarter.first_day) for quarter in quarters]
    for movement in found:
        if movement.kind == AVAILABLE:
            for quarter, first_day in first_days:
                counts[quarter][AVAILABLE] += movement.day >= first_day
        elif movement.quarter in counts:
            counts[movement.quarter][movement.kind] += 1
    return [{"quarter": quarter, **counts[quarter]} for quarter in quarters]
