"""The dates that steer a dossier and the deadlines of the dashboard, the iCal feed and the reminder
e-mails, computed from appointments the caller has already scoped (appointments.selectors)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import regimes, rules
from .models import Appointment


@dataclass(frozen=True)
class DossierDate:
    label: str
    value: date
    source: str
    is_exclusive_end: bool = False

    @property
    def last_day(self):
        return rules.last_day(self.value) if self.is_exclusive_end else None


# The moments a regime steers a dossier by (appointments.regimes), as the screens name them.
MOMENT_LABELS = {
    "minimum_aim": _("Minimum term aimed at (4 years)"),
    "conversation": _("Conversation about extension (after 5 years)"),
    "evaluation": _("End-of-mandate evaluation due"),
}


def dossier_dates(appointment: Appointment) -> list[DossierDate]:
    """Every date that steers the dossier under its function's regime, each with its citation
    (the regime's own sources: docs/sources.md)."""
    course = appointment.regime.course(appointment.start_in_function)
    dates = [DossierDate(_("Start in function"), appointment.start_in_function, "[ARAR 7.4]")]
    dates += [DossierDate(MOMENT_LABELS[m.label], m.when.value, m.when.source) for m in course.moments]
    if appointment.is_transition_2017:
        term_source = "[ARAR 130d]"
    elif appointment.regime.key != regimes.DEFAULT:
        term_source = course.first_end.source
    elif appointment.status == rules.EXTENDED:
        term_source = "[Nadere regels 1]"
    else:
        term_source = "[CAO17; ARAR 7.4]"
    dates += [
        DossierDate(_("End of term"), appointment.term_end, term_source, is_exclusive_end=True),
        DossierDate(
            _("Latest possible end (%(years)s years in the function)")
            % {"years": appointment.regime.figures.max_total_years},
            course.latest_end.value,
            course.latest_end.source,
            is_exclusive_end=True,
        ),
    ]
    if appointment.ended_on:
        dates.append(DossierDate(_("Terminated early on"), appointment.ended_on, "[Nadere regels]", True))
    period = getattr(appointment, "search_period", None)
    if period:
        computed = period.dates
        dates += [
            DossierDate(_("Search period starts"), computed.start.value, computed.start.source),
            DossierDate(
                _("Window to ask for shortening closes"),
                computed.request_window_end.value,
                computed.request_window_end.source,
                True,
            ),
            DossierDate(
                _("Search period ends (%(months)s months, shortened)")
                % {"months": appointment.regime.figures.shortened_search_period_months}
                if period.is_shortened
                else _("Search period ends (%(months)s months)")
                % {"months": appointment.regime.figures.search_period_months},
                computed.end.value,
                computed.end.source,
                True,
            ),
        ]
    return dates


CONVERSATION = "conversation"
TERM_END = "term_end"
SHORTENING_WINDOW = "shortening_window"
SEARCH_PERIOD_END = "search_period_end"
DEADLINE_KINDS = [
    (CONVERSATION, _("5-year conversation due")),
    (TERM_END, _("Term ends")),
    (SHORTENING_WINDOW, _("Search period: window to ask for shortening open")),
    (SEARCH_PERIOD_END, _("Search period ends")),
]


# The conversation deadline under each regime's name for it (Regime.steering_moment).
MOMENT_DEADLINES = {
    "conversation": _("5-year conversation due"),
    "evaluation": _("End-of-mandate evaluation due"),
}

# [ARAR 7.4]: the term ran out while the dossier still says in function (rules.term_has_passed).
TERM_PASSED_LABEL = _("Term passed — record the end or an extension")


@dataclass(frozen=True)
class Deadline:
    kind: str
    due: date
    appointment: Appointment
    source: str
    is_overdue: bool

    @property
    def kind_label(self):
        if self.kind == TERM_END and self.is_overdue:
            return TERM_PASSED_LABEL
        if self.kind == CONVERSATION:
            return MOMENT_DEADLINES[self.appointment.regime.steering_moment]
        return dict(DEADLINE_KINDS)[self.kind]

    @property
    def member(self):
        return self.appointment.member

    @property
    def last_day(self):
        """Every deadline date is an exclusive end but the conversation date, a moment."""
        return self.due if self.kind == CONVERSATION else rules.last_day(self.due)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.appointment.pk}:{self.due.isoformat()}"

    @property
    def url(self):
        return reverse("appointments:appointment_detail", args=[self.appointment.pk])


def _may_have_a_deadline(today: date, horizon: dict) -> Q:
    """The database's first cut, so the work grows with the deadlines, not with all dossiers: a
    superset of what the rules below find (a day's margin for the year arithmetic of 29 February);
    the rules then decide exactly."""
    margin = timedelta(days=1)
    # The earliest conversation or evaluation of any regime, so the cut stays a superset.
    soonest = min(regimes.get(key).figures.conversation_after_years for key, _name in regimes.choices())
    conversation_from = rules.add_years(horizon[CONVERSATION], -soonest) + margin
    in_office = Q(status__in=rules.TERM_RUNNING_STATES) & (
        Q(term_end__lte=horizon[TERM_END]) | Q(start_in_function__lte=conversation_from)
    )
    running_period = Q(status=rules.SEARCH_PERIOD, search_period__outcome="running") & (
        Q(search_period__start__gte=rules.add_months(today, -1) - margin)
        | Q(search_period__end__lte=horizon[SEARCH_PERIOD_END])
    )
    return in_office | running_period


def deadlines(appointments, *, today: date, lead_months=None) -> list[Deadline]:
    """The deadlines of the dashboard [ARAR 7.4; CAO17; TMG-page], soonest first.

    - 5-year conversation due within 6 months, until a conversation or an extension is recorded
      (overdue: the date passed);
    - term ending within 12 months (overdue: passed while the dossier still says in function);
    - search periods whose first-month window to ask for shortening is open;
    - search periods ending within 3 months (overdue: passed while still running).
    Lead times are settings (TMG_LEAD_MONTHS).
    """
    lead = lead_months or settings.TMG_LEAD_MONTHS
    horizon = {kind: rules.add_months(today, months) for kind, months in lead.items()}
    if isinstance(appointments, QuerySet):
        appointments = appointments.filter(_may_have_a_deadline(today, horizon))
    found = []
    for appointment in appointments:
        if appointment.status in rules.TERM_RUNNING_STATES:
            marks = appointment.marks
            has_extension = any(e.status != "withdrawn" for e in appointment.extensions.all())
            held = bool(appointment.conversations.all())
            if appointment.regime.moment_falls_in_term(
                marks.conversation.value, appointment.term_end
            ) and not (has_extension or held):
                due = marks.conversation.value
                if due <= horizon[CONVERSATION]:
                    found.append(
                        Deadline(CONVERSATION, due, appointment, marks.conversation.source, due < today)
                    )
            if appointment.term_end <= horizon[TERM_END]:
                found.append(
                    Deadline(
                        TERM_END,
                        appointment.term_end,
                        appointment,
                        "[CAO17; ARAR 7.4]",
                        appointment.term_end <= today,
                    )
                )
        period = (
            getattr(appointment, "search_period", None) if appointment.status == rules.SEARCH_PERIOD else None
        )
        if period and period.is_running:
            computed = period.dates
            window_end = computed.request_window_end.value
            if not period.is_shortened and period.start <= today < window_end:
                found.append(
                    Deadline(
                        SHORTENING_WINDOW, window_end, appointment, computed.request_window_end.source, False
                    )
                )
            if period.end <= horizon[SEARCH_PERIOD_END]:
                found.append(
                    Deadline(
                        SEARCH_PERIOD_END, period.end, appointment, computed.end.source, period.end <= today
                    )
                )
    # Sorted by the date the screens show (the last day of a period), so the rows read in order.
    return sorted(found, key=lambda d: (d.last_day, d.kind, d.appointment.pk))
