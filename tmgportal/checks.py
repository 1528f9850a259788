"""Deploy checks of tmgportal's own settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def second_factor_required(app_configs, **kwargs):
    """Outside demo mode every login needs a second factor [issue: access and audit]."""
    if settings.TMG_REQUIRE_SECOND_FACTOR or settings.DEMO_MODE:
        return []
    return [
        Error(
            "TMG_REQUIRE_SECOND_FACTOR is off outside demo mode: staff logins would need only a password.",
            hint="Remove TMG_REQUIRE_SECOND_FACTOR=0 from the production environment.",
            id="tmgportal.E001",
        )
    ]
