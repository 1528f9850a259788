"""Changes of access: accounts and role groups, each with who and why in the access history
(tmgportal.admin shows it as one timeline). Users are never deleted: they are deactivated."""

from base64 import b32encode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

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


RECOVERY_CODES = 10


@transaction.atomic
def second_factor_device(*, user) -> TOTPDevice:
    """The user's authenticator-app device, unconfirmed until a first code proves the app has it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)


def second_factor_secret(device: TOTPDevice) -> str:
    """The secret in the base32 form authenticator apps accept when typed in."""
    return b32encode(device.bin_key).decode("ascii").rstrip("=")


@transaction.atomic
def second_factor_confirm(*, user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device with a first code and issue single-use recovery codes (shown once).
    None when the code is wrong. Recorded in the user's access history."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(code):
        return None
    device.confirmed = True
    device.save()
    recovery = StaticDevice.objects.create(user=user, name="Herstelcodes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    for token in codes:
        recovery.token_set.create(token=token)
    save_tracked(
        user, user=user, reason="Tweede factor ingesteld (authenticator-app en herstelcodes)", validate=False
    )
    return codes
