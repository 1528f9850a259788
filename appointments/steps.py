"""The dossier's workflow as data: every step of the KB procedure, its extension, ending and search
period — its label, form, service, the states it is allowed in (from `rules`), why it is blocked, what
it says when done, and whether it can be planned for a day of its own.

The dossier page lists the steps and their reasons (views.dossier), the step page renders its form
and calls its service, the work queue links to it (workqueue) and a planned step is taken through
the very same service on its day (services.planned). A new step is one entry in STEPS (see
docs/architecture.md, "Adding a step")."""

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tmgportal.converters import parse_id
from tmgportal.templatetags.tmg import long_date

from . import forms, rules, services
from .errors import message_for
from .models import Conversation, Extension, PlannedStep
from .models.extension import OPEN_EXTENSION


@dataclass(frozen=True)
class Step:
    """A step of the dossier. `blocked` says why it cannot succeed now: None when it can, "" when
    it is simply not relevant (not shown), else a reason the dossier page shows beside the step.
    `perform(user, appointment, data)` calls the step's one service with the form's cleaned data
    (its "version" the dossier version the user saw)."""

    label: Promise
    form_class: type
    perform: Callable
    statuses: frozenset
    blocked: Callable = lambda appointment: None
    prepare: Callable = lambda form, appointment, request: None
    then: Callable = lambda appointment, result: None
    # The day the step takes effect unless the user says otherwise; a later one than today is planned
    # (services.planned) and taken on that day.
    planned_day: Callable | None = None
    # The form field that says the day the step takes effect (a step with a date of its own names it).
    effective_field: str = "effective_on"
    done: Promise = field(kw_only=True)
    # Under a regime whose steering moment is the end-of-mandate evaluation (the Flemish mandates),
    # the steps speak of mandates: the conversation is that evaluation, an extension is a renewal
    # [VPS art. V 2, V 15].
    mandate_label: Promise | None = None
    mandate_done: Promise | None = None

    def why_not(self, appointment) -> str | None:
        if appointment.status not in self.statuses:
            return ""
        if self.plannable and (planned := _planned_step(appointment)) is not None:
            return _("A step is planned for %(day)s: %(step)s. Cancel it to take another step first.") % {
                "day": long_date(planned.effective_on),
                "step": label(planned.action, appointment),
            }
        return self.blocked(appointment)

    @property
    def plannable(self) -> bool:
        return self.planned_day is not None

    def is_available(self, appointment) -> bool:
        return self.why_not(appointment) is None


def _is_mandate(appointment) -> bool:
    return appointment.regime.steering_moment == "evaluation"


def label(slug: str, appointment) -> str:
    step = STEPS[slug]
    return str(step.mandate_label if step.mandate_label and _is_mandate(appointment) else step.label)


def done_message(slug: str, appointment) -> str:
    """What the step did, its figures (e.g. the shortened search period) from the dossier's regime."""
    step = STEPS[slug]
    message = step.mandate_done if step.mandate_done and _is_mandate(appointment) else step.done
    return str(message) % asdict(appointment.regime.figures)


def url(appointment_pk: int, slug: str) -> str:
    if slug not in STEPS:
        raise KeyError(slug)
    return reverse("appointments:appointment_action", args=[appointment_pk, slug])


def open_and_blocked(appointment) -> tuple[list, list]:
    """The steps the dossier page offers as (slug, label), and those it shows with why they cannot
    be taken now as (label, reason). Each step's reason once: the checks query the dossier."""
    why_not = {slug: step.why_not(appointment) for slug, step in STEPS.items()}
    return (
        [(slug, label(slug, appointment)) for slug, reason in why_not.items() if reason is None],
        [(label(slug, appointment), reason) for slug, reason in why_not.items() if reason],
    )


# What a planned step keeps of its form until its day (services.planned); dates as ISO text.
PLANNED_FIELDS = ("reason", "late_motivation", "date")


def planned_data(cleaned_data: dict) -> dict:
    return {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in cleaned_data.items()
        if name in PLANNED_FIELDS
    }


def take_planned(slug: str, user, appointment, stored: dict, version: int):
    """Take a planned step on its day through the step's own service, as planned."""
    data = dict(stored, version=version)
    if data.get("date"):
        data["date"] = date.fromisoformat(data["date"])
    return STEPS[slug].perform(user, appointment, data)


def _planned_step(appointment):
    """The dossier's planned step, read once per page."""
    if not hasattr(appointment, "_planned_step"):
        appointment._planned_step = appointment.planned_steps.filter(state=PlannedStep.State.PLANNED).first()
    return appointment._planned_step


def planned_steps_shown(appointment):
    """The planned step and any that could not be taken, each with the label of its step."""
    steps = list(
        appointment.planned_steps.filter(
            state__in=[PlannedStep.State.PLANNED, PlannedStep.State.NOT_APPLIED]
        ).select_related("recorded_by")
    )
    for step in steps:
        step.label = label(step.action, appointment)
    return steps


def _open_extension(appointment, status):
    return appointment.extensions.filter(status=status).first()


def _search_period(appointment):
    return getattr(appointment, "search_period", None)


def _extension_blocked(appointment):
    if appointment.extensions.filter(status__in=OPEN_EXTENSION).exists():
        return ""
    regime = appointment.regime
    if not regime.may_renew(
        start=appointment.start_in_function,
        current_end=appointment.term_end,
        renewals_so_far=appointment.renewals_so_far(),
    ):
        latest = regime.course(appointment.start_in_function).latest_end
        return _(
            "No further extension is possible under %(regime)s: the term already runs as far as it "
            "may (last day %(last)s) %(source)s."
        ) % {"regime": regime.name, "last": long_date(rules.last_day(latest.value)), "source": latest.source}
    return None


def _search_period_blocked(appointment):
    """A regime without a search period (the Flemish mandates: return to grade) offers none."""
    if appointment.regime.figures.search_period_months is None:
        return ""
    return None


def _shortening_blocked(appointment):
    period = _search_period(appointment)
    if period is None or period.is_shortened or not period.is_running:
        return ""
    today = timezone.localdate()
    if today < period.start:
        # The search period has not begun: the window for the request is ahead.
        return _(
            "Shortening is not possible yet: the member can ask for it from %(start)s up to and "
            "including %(last)s [CAO17]."
        ) % {
            "start": long_date(period.start),
            "last": long_date(rules.last_day(period.dates.request_window_end.value)),
        }
    if not rules.may_request_shortening(period.start, today, regime=appointment.regime.figures):
        return _(
            "Shortening is no longer possible: it had to be asked up to and including %(last)s [CAO17]."
        ) % {"last": long_date(rules.last_day(period.dates.request_window_end.value))}
    return None


def _ask_late_motivation_after_the_term(form, appointment, request):
    """The motivation for a late step is asked only once the term has ended (rules.TermPassed)."""
    if appointment.end > timezone.localdate():
        del form.fields["late_motivation"]


def _kb_blocked(appointment):
    conflict = appointment.occupancy_conflict()
    return message_for(conflict) if conflict else None


def _after_conversation(appointment, conversation):
    """The outcome "extend" goes on to the extension proposal, its motivation filled in."""
    if conversation.outcome == Conversation.Outcome.EXTEND and STEPS["verlenging-voorstellen"].is_available(
        appointment
    ):
        url = reverse("appointments:appointment_action", args=[appointment.pk, "verlenging-voorstellen"])
        return f"{url}?gesprek={conversation.pk}"
    return None


def _prepare_conversation(form, appointment, request):
    """Under the mandate regime the step is the end-of-mandate evaluation, in its own words."""
    if appointment.regime.steering_moment != "evaluation":
        return
    form.fields["held_on"].label = _("Evaluated on")
    form.fields["outcome"].label = _("Outcome of the end-of-mandate evaluation")
    form.fields["outcome"].choices = [
        (Conversation.Outcome.EXTEND, _("positive: propose a renewal of the mandate")),
        (Conversation.Outcome.DO_NOT_EXTEND, _("negative: no renewal")),
        (Conversation.Outcome.UNDECIDED, _("not yet concluded")),
    ]
    form.fields["notes"].help_text = _(
        "With a positive evaluation these notes fill in the renewal's motivation."
    )


def _prepare_extension(form, appointment, request):
    """No late motivation asked while the term runs; the motivation of an "extend" conversation
    fills in the proposal (?gesprek=). Under the mandate regime it is a renewal, with its figures."""
    _ask_late_motivation_after_the_term(form, appointment, request)
    regime = appointment.regime
    if regime.steering_moment == "evaluation":
        figures = regime.figures
        form.fields["proposed_end"].label = _("Last day of the renewed mandate (up to and including)")
        form.fields["proposed_end"].help_text = _(
            "A renewal is for at most %(years)s years, to at most %(total)s years in one mandate function "
            "%(source)s."
        ) % {
            "years": figures.max_extension_years,
            "total": figures.max_total_years,
            "source": regime.course(appointment.start_in_function).latest_end.source,
        }
        form.fields["reason_code"].label = _("Ground for the renewal")
    conversation = appointment.conversations.filter(
        pk=parse_id(request.GET.get("gesprek")), outcome=Conversation.Outcome.EXTEND
    ).first()
    if conversation and not form.is_bound:
        form.initial["motivation"] = conversation.notes


def _prepare_shortening(form, appointment, request):
    """The monthly income proposed from the pay in force on the day of the request: the date the
    form was sent with, else today, within the search period (salaries depends on appointments, so it
    is imported here)."""
    from salaries.selectors import monthly_income_on

    start = appointment.search_period.start
    try:
        requested_on = (
            form.fields["requested_on"].clean(form.data.get("requested_on")) if form.is_bound else None
        )
    except forms.forms.ValidationError:
        requested_on = None
    day = max(requested_on or timezone.localdate(), start)
    if not form.is_bound:
        form.initial.setdefault("requested_on", day)
    form.propose(monthly_income_on(appointment.member, day))


STEPS = {
    "voordragen": Step(
        gettext_lazy("Record the proposal (voordracht)"),
        forms.ProposeForm,
        lambda user, a, d: services.appointment_propose(
            user=user,
            appointment=a,
            proposal_date=d["proposal_date"],
            proposal_reference=d["proposal_reference"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
        frozenset({rules.CONCEPT}),
        done=gettext_lazy("Proposal (voordracht) recorded."),
    ),
    "ministerraad": Step(
        gettext_lazy("Record the council of ministers' agreement"),
        forms.CouncilForm,
        lambda user, a, d: services.appointment_record_council(
            user=user,
            appointment=a,
            council_date=d["council_date"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
        frozenset({rules.PROPOSED}),
        done=gettext_lazy("Agreement of the council of ministers recorded."),
    ),
    "kb": Step(
        gettext_lazy("Record the signed KB"),
        forms.KBForm,
        lambda user, a, d: services.appointment_record_kb(
            user=user,
            appointment=a,
            kb_date=d["kb_date"],
            kb_number=d["kb_number"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
        frozenset({rules.COUNCIL_AGREED}),
        _kb_blocked,
        done=gettext_lazy("Signed KB recorded."),
    ),
    "in-functie": Step(
        gettext_lazy("Record taking office"),
        forms.TakeOfficeForm,
        lambda user, a, d: services.appointment_take_office(
            user=user,
            appointment=a,
            late_motivation=d.get("late_motivation", ""),
            reason=d["reason"],
            expected_version=d["version"],
        ),
        frozenset({rules.KB_SIGNED}),
        prepare=_ask_late_motivation_after_the_term,
        planned_day=lambda a: a.start_date,
        done=gettext_lazy("Taking office recorded."),
    ),
    "gesprek": Step(
        gettext_lazy("Record the 5-year conversation"),
        forms.ConversationForm,
        lambda user, a, d: services.conversation_record(
            user=user,
            appointment=a,
            held_on=d["held_on"],
            outcome=d["outcome"],
            notes=d["notes"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
        rules.IN_OFFICE_STATES,
        prepare=_prepare_conversation,
        then=_after_conversation,
        done=gettext_lazy("5-year conversation recorded."),
        mandate_label=gettext_lazy("Record the end-of-mandate evaluation"),
        mandate_done=gettext_lazy("End-of-mandate evaluation recorded."),
    ),
    "intrekken": Step(
        gettext_lazy("Withdraw the appointment"),
        forms.ReasonForm,
        lambda user, a, d: services.appointment_withdraw(
            user=user, appointment=a, reason=d["reason"], expected_version=d["version"]
        ),
        rules.PLANNED_STATES,
        done=gettext_lazy("Appointment withdrawn."),
    ),
    "verlenging-voorstellen": Step(
        gettext_lazy("Propose an extension"),
        forms.ExtensionProposeForm,
        lambda user, a, d: services.extension_propose(
            user=user,
            appointment=a,
            reason_code=d["reason_code"],
            motivation=d["motivation"],
            proposed_end=d["proposed_end"],
            late_motivation=d.get("late_motivation", ""),
            reason=d["reason"],
            expected_version=d["version"],
        ),
        frozenset({rules.IN_FUNCTION, rules.EXTENDED}),
        _extension_blocked,
        _prepare_extension,
        done=gettext_lazy("Extension proposed; the office has been notified."),
        mandate_label=gettext_lazy("Propose a renewal of the mandate"),
    ),
    "verlenging-kb": Step(
        gettext_lazy("Record the KB granting the extension"),
        forms.ExtensionKBForm,
        lambda user, a, d: services.extension_record_kb(
            user=user,
            extension=_open_extension(a, Extension.Status.APPROVED),
            council_date=d["council_date"],
            kb_date=d["kb_date"],
            kb_number=d["kb_number"],
            proposal_date=d["proposal_date"],
            proposal_reference=d["proposal_reference"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
        frozenset({rules.IN_FUNCTION, rules.EXTENDED}),
        lambda a: None if _open_extension(a, Extension.Status.APPROVED) else "",
        done=gettext_lazy("Extension granted by KB; the term has been extended."),
        mandate_label=gettext_lazy("Record the decision renewing the mandate"),
    ),
    "verlenging-intrekken": Step(
        gettext_lazy("Withdraw the extension proposal"),
        forms.ReasonForm,
        lambda user, a, d: services.extension_withdraw(
            user=user,
            extension=a.extensions.get(status__in=OPEN_EXTENSION),
            reason=d["reason"],
            expected_version=d["version"],
        ),
        frozenset({rules.IN_FUNCTION, rules.EXTENDED}),
        lambda a: None if a.extensions.filter(status__in=OPEN_EXTENSION).exists() else "",
        done=gettext_lazy("Extension proposal withdrawn."),
    ),
    "beeindigen": Step(
        gettext_lazy("Record the end of the term"),
        forms.ReasonForm,
        lambda user, a, d: services.appointment_end(
            user=user, appointment=a, reason=d["reason"], expected_version=d["version"]
        ),
        frozenset({rules.IN_FUNCTION, rules.EXTENDED}),
        planned_day=lambda a: a.end,
        done=gettext_lazy("End of the term recorded."),
    ),
    "tussentijds-beeindigen": Step(
        gettext_lazy("Terminate early"),
        forms.TerminateForm,
        lambda user, a, d: services.appointment_terminate_early(
            user=user, appointment=a, date=d["date"], reason=d["reason"], expected_version=d["version"]
        ),
        frozenset({rules.IN_FUNCTION, rules.EXTENDED}),
        planned_day=lambda a: None,  # its own date field says when
        effective_field="date",  # the first day after the last day in function
        done=gettext_lazy("Early termination recorded."),
    ),
    "ontslag-kb": Step(
        gettext_lazy("Record the KB of the ending"),
        forms.EndingKBForm,
        lambda user, a, d: services.appointment_record_ending_kb(
            user=user,
            appointment=a,
            proposal_date=d["proposal_date"],
            proposal_reference=d["proposal_reference"],
            kb_date=d["kb_date"],
            kb_number=d["kb_number"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
        rules.ENDED_STATES,
        lambda a: "" if a.ending_kb_date else None,
        done=gettext_lazy("KB of the ending recorded."),
    ),
    "herplaatst": Step(
        gettext_lazy("Record re-placement in another function"),
        forms.ReasonForm,
        lambda user, a, d: services.appointment_replace(
            user=user, appointment=a, reason=d["reason"], expected_version=d["version"]
        ),
        frozenset({rules.ENDED}),
        planned_day=lambda a: a.end,
        done=gettext_lazy("Re-placement in another function recorded."),
    ),
    "zoektermijn-starten": Step(
        gettext_lazy("Start the search period"),
        forms.ReasonForm,
        lambda user, a, d: services.search_period_start(
            user=user, appointment=a, reason=d["reason"], expected_version=d["version"]
        ),
        frozenset({rules.ENDED}),
        _search_period_blocked,
        planned_day=lambda a: a.end,
        done=gettext_lazy("Search period started."),
    ),
    "zoektermijn-verkorten": Step(
        gettext_lazy("Record a request to shorten the search period"),
        forms.ShortenForm,
        lambda user, a, d: services.search_period_shorten(
            user=user,
            search_period=a.search_period,
            requested_on=d["requested_on"],
            monthly_income=d["monthly_income"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
        frozenset({rules.SEARCH_PERIOD}),
        _shortening_blocked,
        _prepare_shortening,
        done=gettext_lazy(
            "Search period shortened to %(shortened_search_period_months)s months; the payment has been "
            "recorded."
        ),
    ),
    "zoektermijn-afsluiten": Step(
        gettext_lazy("Close the search period"),
        forms.CloseSearchPeriodForm,
        lambda user, a, d: services.search_period_close(
            user=user,
            search_period=a.search_period,
            outcome=d["outcome"],
            on=d["on"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
        frozenset({rules.SEARCH_PERIOD}),
        done=gettext_lazy("Search period closed."),
    ),
}


# What the success message says once a step is done: what happened, not what the button said.
