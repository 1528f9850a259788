"""Changes of access: accounts and role groups, each with who and why in the access history
(tmgportal.admin shows it as one timeline). Users are never deleted: they are deactivated."""

from base64 import b32encode
from binascii import unhexlify

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

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
    email: str = "",
    group=None,
    ministry=None,
    is_superuser=False,
):
    """A login with its role: a group, and for a minister's office the ministry [tmgportal.roles]."""
    account = get_user_model()(
        username=username,
        first_name=first_name,
        email=email,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    account.set_password(password)
    save_tracked(account, user=user, reason=reason)
    if group is not None:
        account.groups.add(group)  # the m2m history row carries the same user and reason
    if ministry is not None:
        save_tracked(OfficeProfile(user=account, ministry=ministry), user=user, reason=reason)
    return account


RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "Authenticator-app"


class SecondFactorAlreadySet(Exception):
    """Another session of the same user confirmed an authenticator app first."""


def second_factor_new_key() -> str:
    """A fresh secret for one enrolment attempt (hex, as django-otp stores it). It lives only in the
    session that asked for it: two sessions with the password never see the same secret, and no
    device exists until a code from the app confirms it."""
    return random_hex(20)


def second_factor_secret(key: str) -> str:
    """The secret in the base32 form authenticator apps accept when typed in."""
    return b32encode(unhexlify(key)).decode("ascii").rstrip("=")


def second_factor_config_url(*, user, key: str) -> str:
    """The otpauth:// address the QR code carries, made by django-otp from the unsaved device."""
    return TOTPDevice(user=user, name=AUTHENTICATOR_NAME, key=key).config_url


class _WrongCode(Exception):
    """The first code did not match: the device made to check it is rolled back with its savepoint."""


@transaction.atomic
def second_factor_confirm(*, user, key: str, code: str) -> list[str] | None:
    """Make the authenticator-app device from this session's secret once a first code proves the app
    has it, and issue single-use recovery codes (shown once). None when the code is wrong. Recorded in
    the user's access history. The user's row is locked, so two sessions cannot both enrol."""
    account = get_user_model().objects.select_for_update().get(pk=user.pk)
    if TOTPDevice.objects.filter(user=account, confirmed=True).exists():
        raise SecondFactorAlreadySet
    TOTPDevice.objects.filter(user=account, confirmed=False).delete()
    try:
        with transaction.atomic():
            device = TOTPDevice.objects.create(user=account, name=AUTHENTICATOR_NAME, key=key, confirmed=True)
            if not device.verify_token(code):
                raise _WrongCode
    except _WrongCode:
        return None
    StaticDevice.objects.filter(user=account).delete()
    recovery = StaticDevice.objects.create(user=account, name="Herstelcodes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    for token in codes:
        recovery.token_set.create(token=token)
    save_tracked(
        account,
        user=account,
        reason="Tweede factor ingesteld (authenticator-app en herstelcodes)",
        validate=False,
    )
    return codes


@transaction.atomic
def second_factor_reset(*, user, account, reason: str) -> None:
    """Remove an account's authenticator app and recovery codes (a lost phone): at its next login the
    account enrols again. One action with its reason, on the account's row in the access history;
    the secrets themselves are never shown to anyone."""
    account = get_user_model().objects.select_for_update().get(pk=account.pk)
    TOTPDevice.objects.filter(user=account).delete()
    StaticDevice.objects.filter(user=account).delete()
    save_tracked(account, user=user, reason=f"Tweede factor hersteld: {reason}", validate=False)
