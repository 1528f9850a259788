import uuid

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field it names where the form has
    that field, at the top otherwise."""
    if hasattr(error, "error_dict"):
        for field, messages in error.error_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)


def locked_message(until) -> str:
    return _("Too many failed login attempts. You can try to log in again from %(time)s.") % {
        "time": date_format(timezone.localtime(until), "j F Y, H:i")
    }


class LockoutMessageMixin:
    """When tmgportal.lockout refused the login, say so and say when to try again."""

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            until = getattr(self.request, "login_locked_until", None)
            if until:
                raise ValidationError(locked_message(until), code="locked") from None
            raise


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    """The login page's form."""


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    """The admin's login form, under the same lock-out."""


class OnceOnlyMixin:
    """A create form with a one-time token: sent twice (a double click, a reload), it makes one record
    (tmgportal.views.submit_once)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Not required: a client without the page's token (a script) simply makes its record.
        self.fields["submission"] = forms.UUIDField(
            widget=forms.HiddenInput, initial=uuid.uuid4, required=False
        )
