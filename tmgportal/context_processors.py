from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import roles


def role(request):
    current = roles.role_of(request.user)
    user = request.user
    return {
        # Until the code is given no page but the second factor's answers: no menu to offer.
        "second_factor_pending": settings.TMG_REQUIRE_SECOND_FACTOR
        and user.is_authenticated
        and hasattr(user, "is_verified")
        and not user.is_verified(),
        "tmg_role": current,
        # What the user may do (tmgportal.roles.ABILITIES): templates ask this, never the role.
        "can": roles.Capabilities(user),
        # What waits for the user (appointments.workqueue), counted only when the menu shows it.
        "waiting": SimpleLazyObject(lambda: _waiting(user)),
    }


def _waiting(user) -> int:
    from appointments.workqueue import waiting

    return waiting(user)
