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
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin  # importing registers it
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from .models import AuthenticatorApp, OfficeProfile, RecoveryCodeSet


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


class TrackedUserAdmin(ReasonRecordingMixin, UserAdmin, SimpleHistoryAdmin):
    """Users are deactivated (is_active off), never deleted: their name stays on the history they wrote."""

    form = TrackedUserChangeForm
    add_form = TrackedUserCreationForm
    change_password_form = TrackedPasswordChangeForm
    fieldsets = (*UserAdmin.fieldsets, REASON_FIELDSET)
    add_fieldsets = (*UserAdmin.add_fieldsets, REASON_FIELDSET)


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


# The second factor's devices under Dutch names (tmgportal.models): the administrator resets a lost
# authenticator app there; django-otp's own admin classes do the work.
for _model, _proxy, _admin_class in (
    (TOTPDevice, AuthenticatorApp, TOTPDeviceAdmin),
    (StaticDevice, RecoveryCodeSet, StaticDeviceAdmin),
):
    admin.site.unregister(_model)
    admin.site.register(_proxy, _admin_class)
