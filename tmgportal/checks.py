"""Deploy checks of tmgportal's own settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def second_factor_required(app_configs, **kwargs):
    """Production needs a second factor at every login, and no demo mode: demo mode prints the demo
    accounts' passwords and lets them skip the second factor. `make run` (demo) never runs this."""
    errors = []
    if settings.DEMO_MODE:
        errors.append(
            Error(
                "TMG_DEMO is on: fictitious demo accounts with published passwords, the second factor optional.",
                hint="Remove TMG_DEMO=1 from the production environment.",
                id="tmgportal.E002",
            )
        )
    if not settings.TMG_REQUIRE_SECOND_FACTOR:
        errors.append(
            Error(
                "TMG_REQUIRE_SECOND_FACTOR is off: staff logins would need only a password.",
                hint="Remove TMG_REQUIRE_SECOND_FACTOR=0 from the production environment.",
                id="tmgportal.E001",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def base_url_is_https(app_configs, **kwargs):
    """Links in e-mails and the public Atom feed are built from TMG_BASE_URL, never from a request's
    Host header: in production it must be the site's own https:// address."""
    if settings.TMG_BASE_URL.startswith("https://"):
        return []
    return [
        Error(
            f"TMG_BASE_URL is {settings.TMG_BASE_URL!r}: links in e-mails and the Atom feed would point there.",
            hint="Set TMG_BASE_URL to the https:// address users reach tmgportal at.",
            id="tmgportal.E003",
        )
    ]
