"""Extension of the term [Nadere regels 1]."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from appointments import rules
from appointments.errors import message_for
from tmgportal import roles
from tmgportal.history import AppendOnlyHistory
from tmgportal.validation import PlausibleFieldsMixin

from .dossier import Appointment


class ExtensionReason(models.TextChoices):
    # [Nadere regels 1; TMG-page]: in the interest of the service; the TMG-page names continuity
    # of the ministry's business and the official's age.
    CONTINUITY = "continuity", _("continuity of the ministry's business")
    AGE = "age", _("age of the official")
    OTHER = "other", _("other interest of the service")


class ExtensionStatus(models.TextChoices):
    PROPOSED = rules.EXTENSION_PROPOSED, _("awaiting the office's decision")
    APPROVED = rules.EXTENSION_APPROVED, _("approved by the office")
    REJECTED = rules.EXTENSION_REJECTED, _("rejected by the office")
    KB_RECORDED = rules.EXTENSION_KB_RECORDED, _("granted by KB")
    WITHDRAWN = rules.EXTENSION_WITHDRAWN, _("withdrawn")


OPEN_EXTENSION = list(rules.OPEN_EXTENSION_STATES)


class ExtensionQuerySet(models.QuerySet):
    def for_user(self, user):
        return roles.scope(user, self, member="appointment__member")


class Extension(PlausibleFieldsMixin, models.Model):
    """A proposal to extend the term [Nadere regels 1], decided by the office of the ministry and
    granted by KB after the council of ministers (same procedure as an appointment)."""

    Reason = ExtensionReason
    Status = ExtensionStatus
    past_date_fields = ("proposal_date", "council_date", "kb_date")

    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("appointment")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ExtensionReason.choices)
    motivation = models.TextField(_("motivation"))
    current_end = models.DateField(_("current term end"))
    proposed_end = models.DateField(_("proposed term end"))
    status = models.CharField(
        _("status"), max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    late_motivation = models.TextField(
        _("motivation for a late decision"),
        blank=True,
        help_text=_("Required when the term has already ended when the extension is proposed."),
    )
    remarks = models.TextField(_("remarks of the office"), blank=True)
    # The extension's own voordracht, printed on its KB [TMG-page: same procedure as an appointment].
    proposal_date = models.DateField(_("date of the proposal (voordracht)"), null=True, blank=True)
    proposal_reference = models.CharField(_("proposal reference"), max_length=60, blank=True)
    council_date = models.DateField(_("council of ministers date"), null=True, blank=True)
    kb_date = models.DateField(_("KB date"), null=True, blank=True)
    kb_number = models.CharField(_("KB number"), max_length=60, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AppendOnlyHistory()
    objects = ExtensionQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at"]
        indexes = [models.Index(fields=["status", "proposed_at"], name="extension_status_proposed")]
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_end__gt=F("current_end")), name="extension_after_current_end"
            ),
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(status__in=OPEN_EXTENSION),
                name="extension_one_open_per_appointment",
            ),
        ]

    def __str__(self):
        return f"{self.appointment.member}: {self.current_end} → {self.proposed_end}"

    def clean(self):
        """The regime of the function decides whether and how far the term may be renewed
        (appointments.regimes): TMG by at most 2 years to 9 in all [Nadere regels 1]; a Flemish
        mandate only after a positive evaluation, at most twice [VPS]. Checked when the
        proposal is made; a later change of the record (the office's decision, the KB) keeps it."""
        if self.pk or not (self.appointment_id and self.current_end and self.proposed_end):
            return
        appointment = self.appointment
        latest = appointment.conversations.order_by("-held_on", "-pk").first()
        evaluation = None if latest is None else latest.outcome == "extend"
        try:
            appointment.regime.validate_renewal(
                start=appointment.start_in_function,
                current_end=self.current_end,
                proposed_end=self.proposed_end,
                renewals_so_far=appointment.renewals_so_far(),
                evaluation_positive=evaluation,
                motivation=self.motivation,
            )
        except rules.RuleViolation as exc:
            raise ValidationError({"proposed_end": message_for(exc)}) from exc
