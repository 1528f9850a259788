"""The Django admin obeys the same rules as the app.

- Every write needs a reason, recorded with the user on the history row; a save raises `version`,
  so a form opened earlier in the app meets a conflict instead of overwriting the admin's change.
- Nothing is deleted: not records (a member is archived through the app), not users (they are
  deactivated), not history (SIMPLE_HISTORY_REVERT_DISABLED; historical rows are not registered).
- Records with a procedure (dossiers, extensions, search periods, side activities, pay, tables) are
  read-only here: their states, versions and computed dates change only through the services, which
  hold the checks. The admin shows them and their history.
- Users, groups and office profiles are tracked too; `access_history` shows them as one timeline.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.plugins.otp_static import admin as _static_admin  # noqa: F401  (registers; undone below)
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as _totp_admin  # noqa: F401  (registers; undone below)
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import OfficeProfile


def reason_field():
    return forms.CharField(
        label=_("Reason for this change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Recorded in the history of the record."),
    )


class ReasonAdminForm(forms.ModelForm):
    change_reason = reason_field()


class ReasonRecordingMixin:
    """Who and why on the history row of every admin save, m2m changes (groups) included."""

    actions = None  # no bulk actions: each change is one history row with its reason

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        obj._change_reason = form.cleaned_data["change_reason"]
        if change and hasattr(obj, "version"):
            obj.version += 1
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


class TrackedAdmin(ReasonRecordingMixin, SimpleHistoryAdmin):
    form = ReasonAdminForm


class ReadOnlyTrackedAdmin(SimpleHistoryAdmin):
    """Records only the app's services may write; the admin shows them and their history."""

    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TrackedUserChangeForm(UserChangeForm):
    change_reason = reason_field()


class TrackedUserCreationForm(AdminUserCreationForm):
    change_reason = reason_field()


class TrackedPasswordChangeForm(AdminPasswordChangeForm):
    """The new password is never in history (excluded), but that it was set, by whom and why is."""

    change_reason = reason_field()

    def save(self, commit=True):
        self.user._change_reason = self.cleaned_data["change_reason"]
        return super().save(commit=commit)


REASON_FIELDSET = (_("Reason"), {"fields": ("change_reason",)})


class SecondFactorResetForm(forms.Form):
    change_reason = reason_field()


class TrackedUserAdmin(ReasonRecordingMixin, UserAdmin, SimpleHistoryAdmin):
    """Users are deactivated (is_active off), never deleted: their name stays on the history they wrote.
    A lost phone is one action, "reset second factor", with a reason in the access history; the
    devices themselves (TOTP keys, recovery codes) are not in the admin at all, so no secret can be
    read or overwritten there."""

    form = TrackedUserChangeForm
    add_form = TrackedUserCreationForm
    change_password_form = TrackedPasswordChangeForm
    fieldsets = (*UserAdmin.fieldsets, REASON_FIELDSET)
    add_fieldsets = (*UserAdmin.add_fieldsets, REASON_FIELDSET)
    change_form_template = "admin/auth/user/change_form_second_factor.html"

    def get_urls(self):
        return [
            path(
                "<id:object_id>/tweede-factor-herstellen/",
                self.admin_site.admin_view(self.second_factor_reset_view),
                name="auth_user_second_factor_reset",
            ),
            *super().get_urls(),
        ]

    def second_factor_reset_view(self, request, object_id):
        account = get_object_or_404(get_user_model(), pk=object_id)
        if not self.has_change_permission(request, account):
            raise PermissionDenied
        form = SecondFactorResetForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            services.second_factor_reset(
                user=request.user, account=account, reason=form.cleaned_data["change_reason"]
            )
            messages.success(
                request,
                _("The second factor of %(user)s is reset: the next login sets it up again.")
                % {"user": account},
            )
            return redirect(reverse("admin:auth_user_change", args=[account.pk]))
        context = self.admin_site.each_context(request) | {
            "title": _("Reset second factor"),
            "account": account,
            "form": form,
            "has_device": user_has_device(account, confirmed=None),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/auth/user/second_factor_reset.html", context)


class TrackedGroupForm(forms.ModelForm):
    change_reason = reason_field()

    class Meta:
        model = Group
        fields = ["name", "permissions"]


class TrackedGroupAdmin(ReasonRecordingMixin, GroupAdmin, SimpleHistoryAdmin):
    form = TrackedGroupForm


admin.site.unregister(get_user_model())
admin.site.unregister(Group)
admin.site.register(get_user_model(), TrackedUserAdmin)
admin.site.register(Group, TrackedGroupAdmin)
admin.site.register(OfficeProfile, TrackedAdmin)


# django-otp registers its device admins, which show and accept TOTP keys and recovery codes:
# those secrets stay out of the admin (the user admin's reset action replaces them).
for _model in (TOTPDevice, StaticDevice):
    admin.site.unregister(_model)
