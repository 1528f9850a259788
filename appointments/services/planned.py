"""Steps recorded ahead of their day (models.planned_step): planned, cancelled, and taken on the day
through the very service the step uses, as the person who recorded it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tmgportal.history import lock_for_update, save_tracked

from .. import steps
from ..models import PlannedStep
from .dossier import lock_dossier


@transaction.atomic
def step_plan(
    *, user, appointment, action: str, effective_on: date, data: dict, expected_version: int
) -> PlannedStep:
    """Record a step that takes effect on `effective_on`, a day still to come. One planned step per
    dossier at a time: the next one follows once it has been taken."""
    if action not in steps.STEPS or not steps.STEPS[action].plannable:
        raise ValidationError(_("This step cannot be planned for a later day."))
    current = lock_dossier(appointment.pk, expected_version)
    waiting = current.planned_steps.filter(state=PlannedStep.State.PLANNED).first()
    if waiting is not None:
        raise ValidationError(
            _("A step is already planned for %(day)s; cancel it first.")
            % {"day": date_format(waiting.effective_on, "j F Y")}
        )
    step = PlannedStep(
        appointment=current,
        action=action,
        effective_on=effective_on,
        data=data,
        dossier_version=current.version,
        recorded_by=user,
    )
    return save_tracked(step, user=user, reason=data.get("reason") or _("Step planned"))


@transaction.atomic
def step_cancel(*, user, step: PlannedStep, reason: str) -> PlannedStep:
    """Cancel a planned step, or put aside one that could not be taken once the dossier is in order."""
    current = lock_for_update(PlannedStep, pk=step.pk, expected_version=None)
    if current.state not in (PlannedStep.State.PLANNED, PlannedStep.State.NOT_APPLIED):
        raise ValidationError(_("This step is no longer planned."))
    current.state = PlannedStep.State.CANCELLED
    return save_tracked(current, user=user, reason=reason)


def steps_apply_due(*, today: date) -> list[PlannedStep]:
    """Take every planned step whose day has come, each in its own transaction. A dossier changed
    since the step was planned, or a step its service now refuses, is not taken: it says why and
    waits in the work queue."""
    return [_apply(step_id, today) for step_id in due_step_ids(today)]


def due_step_ids(today: date) -> list[int]:
    return list(
        PlannedStep.objects.filter(state=PlannedStep.State.PLANNED, effective_on__lte=today)
        .order_by("effective_on", "pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def _apply(step_id: int, today: date) -> PlannedStep:
    step = (
        PlannedStep.objects.select_for_update().select_related("appointment", "recorded_by").get(pk=step_id)
    )
    if step.state != PlannedStep.State.PLANNED:
        return step
    reason = _("%(reason)s (recorded on %(recorded)s, taking effect on %(day)s)") % {
        "reason": step.data.get("reason", ""),
        "recorded": date_format(step.recorded_at, "j F Y"),
        "day": date_format(step.effective_on, "j F Y"),
    }
    try:
        with transaction.atomic():
            steps.take_planned(
                step.action,
                step.recorded_by,
                step.appointment,
                step.data | {"reason": reason},
                step.dossier_version,
            )
    except ValidationError as error:
        step.state = PlannedStep.State.NOT_APPLIED
        step.outcome = " ".join(error.messages)[:500]
        return save_tracked(step, user=step.recorded_by, reason=_("Planned step not taken"))
    step.state = PlannedStep.State.APPLIED
    return save_tracked(step, user=step.recorded_by, reason=reason)
