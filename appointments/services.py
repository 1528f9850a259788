"""Every change of state in a member's file: one function each, keyword arguments, the acting user
first, inside a transaction, with the reason on the history row [STYLE: services]."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tmgportal.history import lock_for_update, save_tracked

from .models import Function, Member

MEMBER_FIELDS = (
    "surname",
    "prefix",
    "initials",
    "first_name",
    "date_of_birth",
    "abd_member_since",
    "email",
    "phone",
)
FUNCTION_FIELDS = (
    "title",
    "organisation",
    "ministry",
    "group",
    "is_sg",
    "designated_from",
    "designated_until",
    "legal_basis",
    "note",
    "source",
)


@transaction.atomic
def member_create(*, user, reason: str = "", **data) -> Member:
    member = Member(**{field: data[field] for field in MEMBER_FIELDS if field in data})
    return save_tracked(member, user=user, reason=reason or _("Member file created"))


@transaction.atomic
def member_update(*, user, member: Member, expected_version: int, reason: str = "", **data) -> Member:
    current = lock_for_update(Member, pk=member.pk, expected_version=expected_version)
    for field in MEMBER_FIELDS:
        if field in data:
            setattr(current, field, data[field])
    current.version += 1
    return save_tracked(current, user=user, reason=reason or _("Personal details changed"))


@transaction.atomic
def member_archive(*, user, member: Member, reason: str) -> Member:
    """Deleting a member archives the file; its history stays [issue: audit]."""
    current = lock_for_update(Member, pk=member.pk, expected_version=None)
    current.archived_at = timezone.now()
    current.version += 1
    return save_tracked(current, user=user, reason=reason)


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
