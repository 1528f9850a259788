"""The comparison of the term regimes for ABD policy staff [VPS]."""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmgportal import roles
from tmgportal.exports import csv_response
from tmgportal.validation import PlausibleInputMixin
from tmgportal.views import requires

from .. import rules
from ..comparison import compare
from ..forms import DateInput
from ..models import Member


class ComparisonForm(PlausibleInputMixin, forms.Form):
    start = forms.DateField(label=_("Start in function"), widget=DateInput(), required=False)
    member = forms.ModelChoiceField(
        label=_("Or take the start of a member's current function"),
        queryset=Member.objects.none(),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = (
            Member.objects.for_user(user).active().order_by("surname", "initials")
        )

    def start_date(self):
        """The start asked for: the member's current function's start where a member is chosen."""
        member = self.cleaned_data.get("member")
        if member is not None:
            current = rules.current_appointment(member.appointments.all(), timezone.localdate())
            if current is None:
                raise forms.ValidationError(_("This member has no appointment yet."))
            return current.start_in_function
        return self.cleaned_data.get("start") or timezone.localdate()


def _compared(request):
    form = ComparisonForm(request.GET or None, user=request.user)
    start = timezone.localdate()
    if form.is_bound and form.is_valid():
        try:
            start = form.start_date()
        except forms.ValidationError as error:
            form.add_error("member", error)
    columns, rows = compare(start)
    return form, start, columns, rows


@requires(roles.OVERSEE)
def regime_comparison(request):
    form, start, columns, rows = _compared(request)
    return render(
        request,
        "appointments/comparison.html",
        {"form": form, "start": start, "columns": columns, "rows": rows},
        status=400 if form.errors else 200,
    )


@requires(roles.OVERSEE)
def regime_comparison_export(request):
    form, start, columns, rows = _compared(request)
    header = [
        "Vraag",
        *(f"{regime.name}" for regime in columns),
        *(f"Bron {regime.name}" for regime in columns),
    ]
    return csv_response(
        f"regimevergelijking-{start.isoformat()}",
        header,
        ([row.question, *(a.text for a in row.answers), *(a.source for a in row.answers)] for row in rows),
    )
