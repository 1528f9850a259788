"""A second factor for every staff login: a time-based one-time code (TOTP, RFC 6238) from an
authenticator app, with single-use recovery codes, through django-otp.

Required when TMG_REQUIRE_SECOND_FACTOR is on (the production default; off only in demo mode):
after the password, a user without a confirmed device is sent to enrolment, a user with one to
verification, and no other page answers until the code is given. Pages open without login (the
public register, its feeds, the calendar feed with its token) stay open.
"""

from functools import wraps
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services


def second_factor_exempt(view):
    """Views a logged-in user needs before giving the code: the second-factor pages and logout."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    wrapper.second_factor_exempt = True
    return wrapper


class SecondFactorMiddleware:
    """After django_otp's OTPMiddleware: until the user is verified, every page that needs a login
    redirects to enrolment or verification."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if (
            not settings.TMG_REQUIRE_SECOND_FACTOR
            or not user.is_authenticated
            or user.is_verified()
            or getattr(view_func, "second_factor_exempt", False)
            or getattr(view_func, "login_required", True) is False
        ):
            return None
        target = "second_factor_verify" if user_has_device(user) else "second_factor_enrol"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")


def _next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six digits your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split())


@second_factor_exempt
@login_required
def verify(request):
    if not user_has_device(request.user):
        return redirect(f"{reverse('second_factor_enrol')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"])
        if device is not None:
            _completed(request, device)
            return redirect(_next(request))
        form.add_error("code", _("This code is not right or has expired. Try the code your app shows now."))
    return render(request, "registration/second_factor_verify.html", {"form": form, "next": _next(request)})


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


ENROL_KEY = "tmg_second_factor_key"


def _completed(request, device):
    """The code is given: the device goes into the session, and the session gets a new key so an
    identifier seen before the second factor is worth nothing after it."""
    otp_login(request, device)
    request.session.cycle_key()


@second_factor_exempt
@login_required
def enrol(request):
    if user_has_device(request.user):
        return redirect(f"{reverse('second_factor_verify')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    key = request.session.get(ENROL_KEY)
    if request.method == "POST" and key and form.is_valid():
        try:
            recovery_codes = services.second_factor_confirm(
                user=request.user, key=key, code=form.cleaned_data["code"]
            )
        except services.SecondFactorAlreadySet:
            return redirect(f"{reverse('second_factor_verify')}?{urlencode({'next': _next(request)})}")
        if recovery_codes is not None:
            del request.session[ENROL_KEY]
            _completed(request, TOTPDevice.objects.get(user=request.user, confirmed=True))
            return render(
                request,
                "registration/second_factor_recovery_codes.html",
                {"recovery_codes": recovery_codes, "next": _next(request)},
            )
        form.add_error("code", _("This code is not right or has expired. Try the code your app shows now."))
    elif request.method == "POST" and not key:
        form.add_error(None, _("The key on this page is no longer valid. Add the new key below to your app."))
    if request.method == "GET" or not key:
        # A fresh secret for every showing of the page: one seen by somebody else earlier is useless.
        key = request.session[ENROL_KEY] = services.second_factor_new_key()
    return render(
        request,
        "registration/second_factor_enrol.html",
        {
            "form": form,
            "next": _next(request),
            # generated by qrcode from our own otpauth:// address
            "qr_svg": mark_safe(_qr_svg(services.second_factor_config_url(user=request.user, key=key))),
            "secret": _grouped(services.second_factor_secret(key)),
        },
    )
