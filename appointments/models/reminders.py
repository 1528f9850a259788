"""Deadline reminders and personal calendar feeds."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tmgportal.history import AppendOnlyHistory
from tmgportal.validation import PlausibleFieldsMixin


class ReminderSent(PlausibleFieldsMixin, models.Model):
    """One reminder e-mail, recorded so the same reminder is never sent twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("recipient")
    )
    deadline_key = models.CharField(_("deadline"), max_length=80)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    history = AppendOnlyHistory()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "deadline_key"], name="reminder_once_per_deadline")
        ]

    def __str__(self):
        return f"{self.recipient}: {self.deadline_key}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(PlausibleFieldsMixin, models.Model):
    """A personal iCalendar feed of deadlines behind a secret-token URL; the token can be renewed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    history = AppendOnlyHistory(excluded_fields=["token"])

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
