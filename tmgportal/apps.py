from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TmgportalConfig(AppConfig):
    name = "tmgportal"
    verbose_name = _("Roles")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks, signals, versions  # noqa: F401  (checks registers the deploy check)

        signals.connect(self)
        post_migrate.connect(versions.renew_all, sender=self)
