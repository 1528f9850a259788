from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Member files")
    name = "appointments"

    def ready(self):
        # Connect the signals that renew the cached public register and dashboard deadlines.
        from . import register, selectors  # noqa: F401
