"""The appointment dossier: draft, the steps of the KB procedure, extension, ending, search period."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tmgportal import roles
from tmgportal.converters import parse_id
from tmgportal.forms import add_service_errors
from tmgportal.templatetags.tmg import long_date
from tmgportal.validation import validate_plausible_date
from tmgportal.views import abd_staff_required, already_submitted, paginate, submit_once

from .. import forms, kb, rules, services
from ..deadlines import dossier_dates
from ..errors import message_for
from ..models import Appointment, Conversation, Document, Extension, Function, Member, PlannedStep
from ..models.extension import OPEN_EXTENSION
from ..selectors import vacancies


@abd_staff_required
@require_http_methods(["GET", "POST"])
def appointment_create(request, member_pk):
    member = get_object_or_404(Member.objects.active(), pk=member_pk)
    earlier = already_submitted(request)
    if earlier:
        messages.info(request, _("This form had already been sent; this is what it recorded."))
        return redirect(earlier)
    form = forms.AppointmentCreateForm(
        request.POST or None,
        vacancies=vacancies(Function.objects.values_list("pk", flat=True), on=timezone.localdate()),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        token = data.pop("submission")
        if data.pop("knowingly") and form.competing:
            # The history says the concept was made knowing the other dossiers for the seat.
            data["reason"] += " " + _("(made knowingly beside: %(list)s)") % {
                "list": ", ".join(a.member.full_name for a in form.competing)
            }

        def create():
            appointment = services.appointment_create(user=request.user, member=member, **data)
            return reverse("appointments:appointment_detail", args=[appointment.pk])

        try:
            url, made = submit_once(request, token, create)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if made:
                messages.success(request, _("The concept appointment has been created."))
            else:
                messages.info(request, _("This form had already been sent; this is what it recorded."))
            return redirect(url)
    return render(request, "appointments/appointment_create.html", {"form": form, "member": member})


def appointment_detail(request, pk):
    appointment = get_object_or_404(
        Appointment.objects.for_user(request.user).select_related("member", "function__ministry"), pk=pk
    )
    extensions = appointment.extensions.select_related("proposed_by", "decided_by")
    conflict = appointment.occupancy_conflict() if appointment.status in rules.PLANNED_STATES else None
    occupancy_warning, occupant = _occupancy_warning(request.user, conflict)
    # Each step's reason once: the blocked checks query the dossier.
    why_not = {slug: action.why_not(appointment) for slug, action in ACTIONS.items()}
    return render(
        request,
        "appointments/appointment_detail.html",
        {
            "appointment": appointment,
            "member": appointment.member,
            # An office shown only a proposal at its ministry gets that dossier, not the member's file.
            "may_see_file": Member.objects.for_user(request.user).filter(pk=appointment.member_id).exists(),
            "dates": dossier_dates(appointment),
            "extensions": extensions,
            "kb_kinds": kb.texts(appointment, services.kb_kinds_available(appointment))
            if roles.is_abd_staff(request.user)
            else [],
            "kb_documents": appointment.kb_documents.select_related("created_by", "signed_by", "extension"),
            "actions": [
                (slug, _label(slug, appointment)) for slug, reason in why_not.items() if reason is None
            ],
            "not_possible": [
                (_label(slug, appointment), reason) for slug, reason in why_not.items() if reason
            ],
            "occupancy_warning": occupancy_warning,
            "occupant": occupant,
            "conversations": appointment.conversations.select_related("recorded_by"),
            "planned_steps": _planned_steps_shown(appointment),
            "documents": Document.objects.for_user(request.user)
            .current()
            .filter(appointment=appointment)
            .select_related("uploaded_by"),
            "upload_targets": _upload_targets(appointment, extensions),
        },
    )


def _occupancy_warning(user, conflict) -> tuple[str | None, int | None]:
    """The overlap with another held appointment, named only to a user whose scope includes that
    appointment: an office shown just this proposal must not learn the member's function and term
    at another ministry (tmgportal.roles.scope)."""
    if conflict is None:
        return None, None
    occupant = conflict.params["ref"]
    if Appointment.objects.for_user(user).filter(pk=occupant).exists():
        return message_for(conflict), occupant
    return _(
        "These dates overlap with another appointment that is not part of what you may see. ABD "
        "staff resolve this before the KB."
    ), None


def _upload_targets(appointment, extensions):
    """The parts of the dossier a document can be attached to: the dossier, each extension and the
    search period."""
    targets = [("dossier", appointment.pk, _("Add a document to the dossier"))]
    targets += [
        (
            "verlenging",
            extension.pk,
            _("Add a document to the extension up to %(last)s")
            % {"last": long_date(rules.last_day(extension.proposed_end))},
        )
        for extension in extensions
    ]
    period = getattr(appointment, "search_period", None)
    if period:
        targets.append(("zoektermijn", period.pk, _("Add a document to the search period")))
    return targets


@dataclass(frozen=True)
class Action:
    """A step of the dossier. `blocked` says why it cannot succeed now: None when it can, "" when
    it is simply not relevant (not shown), else a reason the dossier page shows beside the step."""

    label: str
    form_class: type
    perform: Callable
    statuses: frozenset
    blocked: Callable = lambda appointment: None
    prepare: Callable = lambda form, appointment, request: None
    then: Callable = lambda appointment, result: None
    # The day the step takes effect unless the user says otherwise; a later one than today is planned
    # (services.planned) and taken on that day.
    planned_day: Callable | None = None

    def why_not(self, appointment) -> str | None:
        if appointment.status not in self.statuses:
            return ""
        if self.plannable and (planned := _planned_step(appointment)) is not None:
            return _("A step is planned for %(day)s: %(step)s. Cancel it to take another step first.") % {
                "day": long_date(planned.effective_on),
                "step": _label(planned.action, appointment),
            }
        return self.blocked(appointment)

    @property
    def plannable(self) -> bool:
        return self.planned_day is not None

    def is_available(self, appointment) -> bool:
        return self.why_not(appointment) is None


def _planned_step(appointment):
    """The dossier's planned step, read once per page."""
    if not hasattr(appointment, "_planned_step"):
        appointment._planned_step = appointment.planned_steps.filter(state=PlannedStep.State.PLANNED).first()
    return appointment._planned_step


def _planned_steps_shown(appointment):
    """The planned step and any that could not be taken, each with the label of its step."""
    steps = list(
        appointment.planned_steps.filter(
            state__in=[PlannedStep.State.PLANNED, PlannedStep.State.NOT_APPLIED]
        ).select_related("recorded_by")
    )
    for step in steps:
        step.label = _label(step.action, appointment)
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
        # The search period has not begun: its first month, the window for the request, is ahead.
        return _(
            "Shortening is not possible yet: the member can ask for it in the first month of the search "
            "period, from %(start)s up to and including %(last)s [CAO17]."
        ) % {
            "start": long_date(period.start),
            "last": long_date(rules.last_day(period.dates.request_window_end.value)),
        }
    if not rules.may_request_shortening(period.start, today):
        return _(
            "Shortening is no longer possible: it had to be asked in the first month, up to and "
            "including %(last)s [CAO17]."
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
    if conversation.outcome == Conversation.Outcome.EXTEND and ACTIONS["verlenging-voorstellen"].is_available(
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


ACTIONS = {
    "voordragen": Action(
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
    ),
    "ministerraad": Action(
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
    ),
    "kb": Action(
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
    ),
    "in-functie": Action(
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
    ),
    "gesprek": Action(
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
    ),
    "intrekken": Action(
        gettext_lazy("Withdraw the appointment"),
        forms.ReasonForm,
        lambda user, a, d: services.appointment_withdraw(
            user=user, appointment=a, reason=d["reason"], expected_version=d["version"]
        ),
        rules.PLANNED_STATES,
    ),
    "verlenging-voorstellen": Action(
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
    ),
    "verlenging-kb": Action(
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
    ),
    "verlenging-intrekken": Action(
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
    ),
    "beeindigen": Action(
        gettext_lazy("Record the end of the term"),
        forms.ReasonForm,
        lambda user, a, d: services.appointment_end(
            user=user, appointment=a, reason=d["reason"], expected_version=d["version"]
        ),
        frozenset({rules.IN_FUNCTION, rules.EXTENDED}),
        planned_day=lambda a: a.end,
    ),
    "tussentijds-beeindigen": Action(
        gettext_lazy("Terminate early"),
        forms.TerminateForm,
        lambda user, a, d: services.appointment_terminate_early(
            user=user, appointment=a, date=d["date"], reason=d["reason"], expected_version=d["version"]
        ),
        frozenset({rules.IN_FUNCTION, rules.EXTENDED}),
        planned_day=lambda a: None,  # its own date field says when
    ),
    "ontslag-kb": Action(
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
    ),
    "herplaatst": Action(
        gettext_lazy("Record re-placement in another function"),
        forms.ReasonForm,
        lambda user, a, d: services.appointment_replace(
            user=user, appointment=a, reason=d["reason"], expected_version=d["version"]
        ),
        frozenset({rules.ENDED}),
        planned_day=lambda a: a.end,
    ),
    "zoektermijn-starten": Action(
        gettext_lazy("Start the search period"),
        forms.ReasonForm,
        lambda user, a, d: services.search_period_start(
            user=user, appointment=a, reason=d["reason"], expected_version=d["version"]
        ),
        frozenset({rules.ENDED}),
        _search_period_blocked,
        planned_day=lambda a: a.end,
    ),
    "zoektermijn-verkorten": Action(
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
    ),
    "zoektermijn-afsluiten": Action(
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
    ),
}


# What the success message says once a step is done: what happened, not what the button said.
DONE = {
    "voordragen": gettext_lazy("Proposal (voordracht) recorded."),
    "ministerraad": gettext_lazy("Agreement of the council of ministers recorded."),
    "kb": gettext_lazy("Signed KB recorded."),
    "in-functie": gettext_lazy("Taking office recorded."),
    "gesprek": gettext_lazy("5-year conversation recorded."),
    "intrekken": gettext_lazy("Appointment withdrawn."),
    "verlenging-voorstellen": gettext_lazy("Extension proposed; the office has been notified."),
    "verlenging-kb": gettext_lazy("Extension granted by KB; the term has been extended."),
    "verlenging-intrekken": gettext_lazy("Extension proposal withdrawn."),
    "beeindigen": gettext_lazy("End of the term recorded."),
    "tussentijds-beeindigen": gettext_lazy("Early termination recorded."),
    "ontslag-kb": gettext_lazy("KB of the ending recorded."),
    "herplaatst": gettext_lazy("Re-placement in another function recorded."),
    "zoektermijn-starten": gettext_lazy("Search period started."),
    "zoektermijn-verkorten": gettext_lazy(
        "Search period shortened to 18 months; the payment has been recorded."
    ),
    "zoektermijn-afsluiten": gettext_lazy("Search period closed."),
}


# Under a regime whose steering moment is the end-of-mandate evaluation (the Flemish mandates), the
# steps speak of mandates: the conversation is that evaluation (its outcome "propose an extension" is
# the positive evaluation a renewal needs), an extension is a renewal [VPS art. V 2, V 15].
MANDATE_LABELS = {
    "gesprek": gettext_lazy("Record the end-of-mandate evaluation"),
    "verlenging-voorstellen": gettext_lazy("Propose a renewal of the mandate"),
    "verlenging-kb": gettext_lazy("Record the decision renewing the mandate"),
}
EVALUATION_DONE = gettext_lazy("End-of-mandate evaluation recorded.")


def _is_mandate(appointment) -> bool:
    return appointment.regime.steering_moment == "evaluation"


def _is_evaluation(slug, appointment) -> bool:
    return slug == "gesprek" and _is_mandate(appointment)


def _label(slug, appointment):
    if _is_mandate(appointment) and slug in MANDATE_LABELS:
        return MANDATE_LABELS[slug]
    return ACTIONS[slug].label


def _versioned_form(form_class, data, version):
    """The action form plus the hidden version the user saw (optimistic locking)."""
    form = form_class(data)
    form.fields["version"] = forms.forms.IntegerField(widget=forms.forms.HiddenInput, initial=version)
    return form


def _ask_effective_day(form, step, appointment):
    """A step that takes effect on a day of its own asks for that day, the planned one proposed."""
    day = step.planned_day(appointment) if step.plannable else None
    if day is None:
        return
    form.fields["effective_on"] = forms.forms.DateField(
        label=_("Takes effect on"),
        initial=day,
        required=False,
        widget=forms.DateInput(),
        validators=[validate_plausible_date],
        help_text=_(
            "A day still to come is planned: until then the dossier stays as it is (status, register, "
            "forecast, deadlines), and on that day the step is taken."
        ),
    )


def _effective_day(action, data):
    if action == "tussentijds-beeindigen":
        return data.get("date")  # the first day after the last day in function
    return data.get("effective_on")


def _plan(request, appointment, action, effective_on, form):
    data = {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in form.cleaned_data.items()
        if name in ("reason", "late_motivation", "date")
    }
    try:
        services.step_plan(
            user=request.user,
            appointment=appointment,
            action=action,
            effective_on=effective_on,
            data=data,
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(
        request,
        _("Planned: %(step)s takes effect on %(day)s; until then the dossier stays as it is.")
        % {"step": _label(action, appointment), "day": long_date(effective_on)},
    )
    return redirect("appointments:appointment_detail", pk=appointment.pk)


@abd_staff_required
@require_http_methods(["POST"])
def planned_step_cancel(request, pk, step_pk):
    step = get_object_or_404(PlannedStep.objects.filter(appointment_id=pk), pk=step_pk)
    reason = (request.POST.get("reason") or "").strip() or _("Planned step cancelled")
    try:
        services.step_cancel(user=request.user, step=step, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The planned step has been cancelled."))
    return redirect("appointments:appointment_detail", pk=pk)


@abd_staff_required
@require_http_methods(["GET", "POST"])
def appointment_action(request, pk, action):
    appointment = get_object_or_404(Appointment.objects.select_related("member", "function__ministry"), pk=pk)
    if action not in ACTIONS:
        raise Http404
    step = ACTIONS[action]
    form = _versioned_form(step.form_class, request.POST or None, appointment.version)
    why_not = step.why_not(appointment)
    if why_not is not None:
        messages.error(
            request,
            why_not
            or _("This step is not possible: the dossier has status '%(status)s'.")
            % {"status": appointment.get_status_display()},
        )
        return redirect("appointments:appointment_detail", pk=pk)
    step.prepare(form, appointment, request)
    _ask_effective_day(form, step, appointment)
    if request.method == "POST" and form.is_valid():
        effective_on = _effective_day(action, form.cleaned_data)
        if effective_on and effective_on > timezone.localdate():
            planned = _plan(request, appointment, action, effective_on, form)
            if planned is not None:
                return planned
        else:
            try:
                with transaction.atomic():
                    result = step.perform(request.user, appointment, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, EVALUATION_DONE if _is_evaluation(action, appointment) else DONE[action]
                )
                return redirect(
                    step.then(appointment, result) or reverse("appointments:appointment_detail", args=[pk])
                )
    return render(
        request,
        "appointments/appointment_action.html",
        {
            "appointment": appointment,
            "form": form,
            "step": step,
            "step_label": _label(action, appointment),
            "dates": dossier_dates(appointment),
        },
    )


def extension_inbox(request):
    """ "Te beoordelen": the extension proposals awaiting the office's decision (ABD sees them all)."""
    pending = (
        Extension.objects.for_user(request.user)
        .filter(status=Extension.Status.PROPOSED)
        .select_related("appointment__member", "appointment__function__ministry", "proposed_by")
        .order_by("proposed_at")
    )
    decided = (
        Extension.objects.for_user(request.user)
        .exclude(status=Extension.Status.PROPOSED)
        .select_related("appointment__member", "appointment__function__ministry", "decided_by")
        .order_by("-decided_at", "-proposed_at")
    )
    return render(
        request,
        "appointments/extension_inbox.html",
        {"pending": pending, "page": paginate(request, decided, per_page=20)},
    )


@require_http_methods(["GET", "POST"])
def extension_decide(request, pk):
    extension = get_object_or_404(
        Extension.objects.for_user(request.user).select_related(
            "appointment__member", "appointment__function__ministry"
        ),
        pk=pk,
    )
    roles.require_minister_office(request.user)
    form = forms.ExtensionDecideForm(request.POST or None, initial={"version": extension.version})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.extension_decide(
                    user=request.user,
                    extension=extension,
                    approve=form.cleaned_data["decision"] == "approve",
                    remarks=form.cleaned_data["remarks"],
                    expected_version=form.cleaned_data["version"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your decision has been recorded."))
            return redirect("appointments:extension_inbox")
    return render(
        request,
        "appointments/extension_decide.html",
        {
            "extension": extension,
            "appointment": extension.appointment,
            "form": form,
            "dates": dossier_dates(extension.appointment),
        },
    )
