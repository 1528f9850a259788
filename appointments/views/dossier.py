"""The appointment dossier: draft, the steps of the KB procedure, extension, ending, search period."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tmgportal import fragments, roles, versions
from tmgportal.forms import add_service_errors
from tmgportal.templatetags.tmg import long_date
from tmgportal.validation import validate_plausible_date
from tmgportal.views import already_submitted, paginate, requires, submit_once

from .. import forms, kb, rules, services, steps
from ..deadlines import dossier_dates
from ..errors import message_for
from ..models import Appointment, Document, Extension, Function, Member, PlannedStep
from ..selectors import vacancies


@requires(roles.CHANGE_FILES)
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
    return render(
        request,
        "appointments/appointment_detail.html",
        {
            "appointment": appointment,
            "member": appointment.member,
            "content": fragments.content(
                request,
                "dossier",
                stamps=(versions.WORK, versions.PAY),
                template="appointments/includes/dossier.html",
                context=partial(_dossier, request.user, appointment),
            ),
        },
    )


def _dossier(user, appointment) -> dict:
    extensions = appointment.extensions.select_related("proposed_by", "decided_by")
    conflict = appointment.occupancy_conflict() if appointment.status in rules.PLANNED_STATES else None
    occupancy_warning, occupant = _occupancy_warning(user, conflict)
    offered, not_possible = steps.open_and_blocked(appointment)
    return {
        "appointment": appointment,
        "member": appointment.member,
        # An office shown only a proposal at its ministry gets that dossier, not the member's file.
        "may_see_file": Member.objects.for_user(user).filter(pk=appointment.member_id).exists(),
        "dates": dossier_dates(appointment),
        "extensions": extensions,
        "kb_kinds": kb.texts(appointment, services.kb_kinds_available(appointment))
        if roles.may(user, roles.CHANGE_FILES)
        else [],
        "kb_documents": appointment.kb_documents.select_related("created_by", "signed_by", "extension"),
        "actions": offered,
        "not_possible": not_possible,
        "occupancy_warning": occupancy_warning,
        "occupant": occupant,
        "conversations": appointment.conversations.select_related("recorded_by"),
        "planned_steps": steps.planned_steps_shown(appointment),
        "documents": Document.objects.for_user(user)
        .current()
        .filter(appointment=appointment)
        .select_related("uploaded_by"),
        "upload_targets": _upload_targets(appointment, extensions),
    }


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


def _plan(request, appointment, action, effective_on, form):
    data = steps.planned_data(form.cleaned_data)
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
        % {"step": steps.label(action, appointment), "day": long_date(effective_on)},
    )
    return redirect("appointments:appointment_detail", pk=appointment.pk)


@requires(roles.CHANGE_FILES)
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


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def appointment_action(request, pk, action):
    appointment = get_object_or_404(Appointment.objects.select_related("member", "function__ministry"), pk=pk)
    if action not in steps.STEPS:
        raise Http404
    step = steps.STEPS[action]
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
        effective_on = form.cleaned_data.get(step.effective_field)
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
                messages.success(request, steps.done_message(action, appointment))
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
            "step_label": steps.label(action, appointment),
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
    roles.require(request.user, roles.DECIDE_EXTENSIONS)
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
