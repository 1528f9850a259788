"""The Django admin writes like every other path: a reason is required and recorded with the user on
the history row; nothing is deleted (a member is archived through the app); history cannot be
reverted (SIMPLE_HISTORY_REVERT_DISABLED) and historical rows are not registered here."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import OfficeProfile


class ReasonAdminForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for this change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("Recorded in the history of the record."),
    )


class TrackedAdmin(SimpleHistoryAdmin):
    form = ReasonAdminForm
    actions = None  # no bulk actions: each change is one history row with its reason

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        obj._change_reason = form.cleaned_data["change_reason"]
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyTrackedAdmin(TrackedAdmin):
    """Records only the app's services may write (generated documents, logs)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(OfficeProfile, TrackedAdmin)
