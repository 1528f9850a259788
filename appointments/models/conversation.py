"""The conversation about extension after 5 years in the function [TMG-page]."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tmgportal import roles
from tmgportal.history import AppendOnlyHistory
from tmgportal.validation import PlausibleFieldsMixin

from .dossier import Appointment


class ConversationOutcome(models.TextChoices):
    EXTEND = "extend", _("propose an extension")
    DO_NOT_EXTEND = "do_not_extend", _("do not extend")
    UNDECIDED = "undecided", _("undecided")


class ConversationQuerySet(models.QuerySet):
    def for_user(self, user):
        return roles.scope(user, self, member="appointment__member")


class Conversation(PlausibleFieldsMixin, models.Model):
    """After 5 years member and employer discuss whether the term is extended [TMG-page]. Once one
    is recorded the conversation no longer shows as due."""

    Outcome = ConversationOutcome
    past_date_fields = ("held_on",)

    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, related_name="conversations", verbose_name=_("appointment")
    )
    held_on = models.DateField(_("held on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=ConversationOutcome.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = AppendOnlyHistory()
    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("5-year conversation")
        verbose_name_plural = _("5-year conversations")

    def __str__(self):
        return f"{self.appointment.member}: {self.held_on}"
