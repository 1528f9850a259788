from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "appointments"

    def ready(self):
        # Connect the signals that renew the cached public register and dashboard deadlines.
        from . import register, selectors  # noqa: F401
