"""Role data (which ministry a minister's office user belongs to) and the history of access itself:
users, their groups and permissions, and groups' permissions are tracked like every member record,
so an auditor can see who gave whom which access, when and why."""

import simple_history
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmgportal.history import AppendOnlyHistory
from tmgportal.validation import PlausibleFieldsMixin


class OfficeProfile(PlausibleFieldsMixin, models.Model):
    """Links a user of a minister's office to the one ministry whose files it may read [tmgportal.roles]."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="office_profile",
        verbose_name=_("user"),
    )
    ministry = models.ForeignKey(
        "appointments.Ministry", on_delete=models.PROTECT, verbose_name=_("ministry")
    )
    history = AppendOnlyHistory()

    class Meta:
        verbose_name = _("minister's office profile")
        verbose_name_plural = _("minister's office profiles")

    def __str__(self):
        return f"{self.user} ({self.ministry})"


class LoginAttempt(models.Model):
    """A login attempt, for the lock-out (tmgportal.lockout). Itself a log: append-only, no history."""

    username = models.CharField(_("username"), max_length=150)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    succeeded = models.BooleanField(_("succeeded"), default=False)

    class Meta:
        verbose_name = _("login attempt")
        verbose_name_plural = _("login attempts")
        indexes = [
            models.Index(fields=["username", "succeeded", "at"], name="login_attempt_user_idx"),
            models.Index(fields=["ip_address", "succeeded", "at"], name="login_attempt_address_idx"),
        ]

    def __str__(self):
        return f"{self.username} {self.ip_address} {self.at:%Y-%m-%d %H:%M}"


class FormSubmission(models.Model):
    """The one-time token of a create form (tmgportal.forms.OnceOnlyMixin): a second submit of the
    same form finds the record the first one made instead of making another."""

    token = models.UUIDField(_("token"), unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    result_url = models.CharField(_("result"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return str(self.token)


# The password hash never enters history; last_login is noise (tmgportal.signals skips saves of it alone).
simple_history.register(
    get_user_model(),
    app="tmgportal",
    records_class=AppendOnlyHistory,
    m2m_fields=["groups", "user_permissions"],
    excluded_fields=["password", "last_login"],
)
simple_history.register(Group, app="tmgportal", records_class=AppendOnlyHistory, m2m_fields=["permissions"])
