"""The catalogue of designated functions."""

from django.db import transaction
from django.utils.translation import gettext as _

from tmgportal.history import save_tracked

from ..models import (
    Function,
)

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
    function = Function(**{field: data[field] for field in FUNCTION_FIELDS if field in data})
    return save_tracked(function, user=user, reason=reason or _("Function added to the catalogue"))


@transaction.atomic
def function_update(*, user, function: Function, reason: str = "", **data) -> Function:
    current = Function.objects.select_for_update().get(pk=function.pk)
    for field in FUNCTION_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    return save_tracked(current, user=user, reason=reason or _("Function changed"))
