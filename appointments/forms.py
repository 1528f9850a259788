from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Function, Member


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VersionedForm(forms.ModelForm):
    """Carries the version the user opened, so a stale save is refused (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version


class MemberForm(VersionedForm):
    class Meta:
        model = Member
        fields = [
            "initials",
            "first_name",
            "prefix",
            "surname",
            "date_of_birth",
            "abd_member_since",
            "email",
            "phone",
        ]
        widgets = {"date_of_birth": DateInput(), "abd_member_since": DateInput()}


class FunctionForm(forms.ModelForm):
    class Meta:
        model = Function
        fields = [
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
        ]
        widgets = {"designated_from": DateInput(), "designated_until": DateInput()}


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Recorded in the history of the file."),
    )
