"""E-mail notifications of steps in a dossier that another person has to act on or know about, and
each user's choice per kind of notification."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tmgportal.history import AppendOnlyHistory
from tmgportal.validation import PlausibleFieldsMixin


class NotificationKind(models.TextChoices):
    EXTENSION_PROPOSED = "extension_proposed", _("An extension of my ministry is proposed")
    EXTENSION_DECIDED = "extension_decided", _("An office decided on an extension")
    KB_SIGNED = "kb_signed", _("A KB I made is marked signed")


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("In a daily digest")
    NEVER = "never", _("Never")


class NotificationPreference(PlausibleFieldsMixin, models.Model):
    """A user's choice for one kind; without a row the kind is sent immediately."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    history = AppendOnlyHistory()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once_per_kind")
        ]

    def __str__(self):
        return f"{self.user}: {self.kind} {self.frequency}"


class Notification(PlausibleFieldsMixin, models.Model):
    """One message to one person about one event. The event's key is unique per recipient, so an
    event is never recorded, and never sent, twice; `sent_at` says whether and when it went out,
    `withheld_at` when it was not sent because its recipient was no longer entitled to it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    event_key = models.CharField(_("event"), max_length=80)
    frequency = models.CharField(_("frequency"), max_length=20, choices=Frequency.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=200)
    # The file the message is about: at sending time the recipient must still be allowed to see it
    # (tmgportal.roles.scope), or the message is withheld.
    member = models.ForeignKey(
        "appointments.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    withheld_at = models.DateTimeField(
        _("withheld at"),
        null=True,
        blank=True,
        help_text=_("Not sent: at sending time the recipient was deactivated or no longer saw this file."),
    )
    history = AppendOnlyHistory()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "event_key"], name="notification_once_per_event")
        ]
        indexes = [models.Index(fields=["sent_at", "frequency"], name="notification_unsent")]

    def __str__(self):
        return f"{self.recipient}: {self.subject}"
