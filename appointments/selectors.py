"""Reads that need the user's scope: every query of member data for a person goes through the
models' `for_user`, which applies the one scoping rule (tmgportal.roles.scope)."""

from . import rules
from .models import Appointment


def deadline_appointments(user):
    """The appointments whose deadlines `user` may see, with everything the dashboard reads."""
    return (
        Appointment.objects.for_user(user)
        .filter(status__in=[rules.KB_SIGNED, rules.IN_FUNCTION, rules.EXTENDED, rules.SEARCH_PERIOD])
        .select_related("member", "function__ministry", "search_period")
        .prefetch_related("extensions")
    )
