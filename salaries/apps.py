from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalariesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Pay")
    name = "salaries"

    def ready(self):
        from django.db.models.signals import post_migrate

        from appointments.services import effects

        from . import checks, figures  # noqa: F401  (register the table check)

        # The stored pay follows the member's file: its services call this in their transaction.
        effects.on_pay_facts_changed(figures.members_changed)
        post_migrate.connect(figures.fill_after_migrate, sender=self)
