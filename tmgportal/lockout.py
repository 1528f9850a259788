"""Lock-out after failed logins that protects without locking people out.

Two sliding windows, each a setting:
- per username, across every address, with the longer window (TMG_LOCKOUT_USERNAME_*): guessing one
  account's password from many addresses stops after the limit;
- per address, across usernames (TMG_LOCKOUT_ADDRESS_*): one address trying many accounts stops.
The address is the real client's: behind TMG_TRUSTED_PROXIES reverse proxies it is read from
X-Forwarded-For, so users behind the proxy do not share one counter. While an account or address is
locked, even the right password is refused and further attempts are not counted (so the lock does
not grow); a successful login clears the username's count. The login form says when to try again.
"""

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils import timezone

from .locks import serialise
from .models import LoginAttempt


@dataclass(frozen=True)
class Window:
    limit: int
    minutes: int


def username_window() -> Window:
    return Window(settings.TMG_LOCKOUT_USERNAME_LIMIT, settings.TMG_LOCKOUT_USERNAME_MINUTES)


def address_window() -> Window:
    return Window(settings.TMG_LOCKOUT_ADDRESS_LIMIT, settings.TMG_LOCKOUT_ADDRESS_MINUTES)


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind N trusted proxies the address the outermost of
    them saw (each proxy appends the address it received the request from to X-Forwarded-For)."""
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.TMG_TRUSTED_PROXIES
    if hops <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < hops:
        return remote  # the request did not pass every trusted proxy
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def normalised(username) -> str:
    return (username or "").strip().lower()[:150]


def _until(times: list[datetime], window: Window) -> datetime | None:
    """Locked while `limit` failures lie inside the window: until the oldest of them leaves it."""
    if len(times) < window.limit:
        return None
    return sorted(times)[-window.limit] + timedelta(minutes=window.minutes)


def locked_until(username, address, *, now=None) -> datetime | None:
    now = now or timezone.now()
    failures = LoginAttempt.objects.filter(succeeded=False)
    found = []
    by_user = username_window()
    name = normalised(username)
    if name:
        since = now - timedelta(minutes=by_user.minutes)
        last_success = LoginAttempt.objects.filter(username=name, succeeded=True).aggregate(Max("at"))[
            "at__max"
        ]
        if last_success and last_success > since:
            since = last_success
        times = list(failures.filter(username=name, at__gt=since).values_list("at", flat=True))
        found.append(_until(times, by_user))
    if address:
        by_address = address_window()
        times = list(
            failures.filter(
                ip_address=address, at__gt=now - timedelta(minutes=by_address.minutes)
            ).values_list("at", flat=True)
        )
        found.append(_until(times, by_address))
    locks = [until for until in found if until and until > now]
    return max(locks) if locks else None


def record(request, username, *, succeeded: bool) -> None:
    if getattr(request, "login_locked_until", None):
        return  # attempts during a lock are refused without counting
    LoginAttempt.objects.create(
        username=normalised(username), ip_address=client_address(request), succeeded=succeeded
    )


class LockoutBackend(ModelBackend):
    """Django's model backend that first refuses every login of a locked username or address, before
    the password is looked at. Django then reports a failed login; the form explains the lock."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None:
            # Attempts for one username or one address take their turn: the count is read, the
            # password checked and the failure recorded (the login runs in the request's
            # transaction) before the next attempt reads the count, so parallel guesses cannot all
            # slip past the limit.
            address = client_address(request)
            serialise(f"lockout:user:{normalised(username)}", f"lockout:address:{address}")
            until = locked_until(username, address)
            if until:
                request.login_locked_until = until
                raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)
