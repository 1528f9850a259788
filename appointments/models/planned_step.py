"""A step of the dossier recorded ahead of the day it takes effect: the file tells the truth about
time. Until that day the dossier keeps its status (the register, the forecast, the deadlines and the
scoping rule follow the calendar); on the day, `manage.py apply_planned_steps` (daily) takes the step
through the same service, as the person who recorded it, or says why it could not."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmgportal.history import AppendOnlyHistory
from tmgportal.validation import PlausibleFieldsMixin

from .dossier import Appointment


class PlannedStepState(models.TextChoices):
    PLANNED = "planned", _("planned")
    APPLIED = "applied", _("taken on its day")
    NOT_APPLIED = "not_applied", _("not taken: needs attention")
    CANCELLED = "cancelled", _("cancelled")


class PlannedStep(PlausibleFieldsMixin, models.Model):
    State = PlannedStepState

    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="planned_steps", verbose_name=_("dossier")
    )
    action = models.CharField(_("step"), max_length=40)
    effective_on = models.DateField(_("takes effect on"))
    # What the step's form recorded (reason, late motivation, a date), for the service on the day.
    data = models.JSONField(_("recorded data"), default=dict)
    # The dossier as it was when the step was planned: changed since, the step is not taken blindly.
    dossier_version = models.PositiveIntegerField(_("dossier version"))
    state = models.CharField(_("state"), max_length=20, choices=PlannedStepState.choices, default="planned")
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    history = AppendOnlyHistory()

    class Meta:
        ordering = ["effective_on", "pk"]
        verbose_name = _("planned step")
        verbose_name_plural = _("planned steps")
        constraints = [
            models.UniqueConstraint(
                fields=["appointment"],
                condition=models.Q(state="planned"),
                name="planned_step_one_per_dossier",
            )
        ]
        indexes = [models.Index(fields=["state", "effective_on"], name="planned_step_due")]

    def __str__(self):
        return f"{self.appointment}: {self.action} ({self.effective_on})"
