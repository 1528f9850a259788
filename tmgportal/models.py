"""Role data: which ministry a minister's office user belongs to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OfficeProfile(models.Model):
    """Links a user of a minister's office to the one ministry whose files it may read [domain §9]."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="office_profile"
    )
    ministry = models.ForeignKey(
        "appointments.Ministry", on_delete=models.PROTECT, verbose_name=_("ministry")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minister's office profile")
        verbose_name_plural = _("minister's office profiles")

    def __str__(self):
        return f"{self.user} ({self.ministry})"
