from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalariesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Pay")
    name = "salaries"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks, figures  # noqa: F401  (register the table check and the pay refresh)

        post_migrate.connect(figures.fill_after_migrate, sender=self)
