"""Changes of access: accounts and role groups, each with who and why in the access history
(tmgportal.admin shows it as one timeline). Users are never deleted: they are deactivated."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .history import save_tracked
from .models import OfficeProfile


@transaction.atomic
def group_ensure(*, user, name: str, reason: str) -> Group:
    group = Group.objects.filter(name=name).first()
    if group is None:
        group = save_tracked(Group(name=name), user=user, reason=reason, validate=False)
    return group


@transaction.atomic
def account_create(
    *,
    user,
    username: str,
    password: str,
    reason: str,
    first_name: str = "",
    group=None,
    ministry=None,
    is_superuser=False,
):
    """A login with its role: a group, and for a minister's office the ministry [domain §9]."""
    account = get_user_model()(
        username=username, first_name=first_name, is_superuser=is_superuser, is_staff=is_superuser
    )
    account.set_password(password)
    save_tracked(account, user=user, reason=reason)
    if group is not None:
        account.groups.add(group)  # the m2m history row carries the same user and reason
    if ministry is not None:
        save_tracked(OfficeProfile(user=account, ministry=ministry), user=user, reason=reason)
    return account
