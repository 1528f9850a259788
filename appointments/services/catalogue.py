"""The catalogue of designated functions."""

from django.db import transaction
from django.utils.translation import gettext as _

from tmgportal.history import lock_for_update, save_tracked
from tmgportal.locks import serialise

from .. import rules
from ..models import Function
from . import effects

FUNCTION_FIELDS = (
    "title",
    "organisation",
    "ministry",
    "group",
    "regime",
    "is_sg",
    "designated_from",
    "designated_until",
    "legal_basis",
    "note",
    "source",
)


@transaction.atomic
def function_create(*, user, reason: str = "", **data) -> Function:
    # The same function added twice at once: the second waits and meets the uniqueness check.
    serialise("function-create")
    function = Function(**{field: data[field] for field in FUNCTION_FIELDS if field in data})
    return save_tracked(function, user=user, reason=reason or _("Function added to the catalogue"))


@transaction.atomic
def function_update(
    *, user, function: Function, expected_version: int | None, reason: str = "", **data
) -> Function:
    serialise("function-create")
    current = lock_for_update(Function, pk=function.pk, expected_version=expected_version)
    for field in FUNCTION_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    current.version += 1
    save_tracked(current, user=user, reason=reason or _("Function changed"))
    # Its group and SG status are pay facts of everyone who holds or held it.
    effects.pay_facts_changed(
        current.appointments.filter(status__in=rules.HELD_STATES).values_list("member_id", flat=True)
    )
    return current
