from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TmgportalConfig(AppConfig):
    name = "tmgportal"
    verbose_name = _("Roles")

    def ready(self):
        from . import checks, signals  # noqa: F401  (checks registers the deploy check)

        signals.connect(self)
