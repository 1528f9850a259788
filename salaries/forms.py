from django import forms
from django.utils.translation import gettext_lazy as _

from appointments import rules
from appointments.forms import DateInput, ReasonForm, VersionedForm
from appointments.models import Appointment
from tmgportal.validation import LastDayField, PlausibleInputMixin

from . import rules as salary_rules
from .models import (
    AllowanceRate,
    Confidence,
    ExcellenceTable,
    GeneralIncrease,
    Placement,
    ScaleTable,
    WntMaximum,
    WntYearEntry,
)
from .models.tables import MAX_STEPS
from .services import previous_placement

DATED_FIELDS = ["valid_from", "valid_until", "source", "note"]
DATED_WIDGETS = {"valid_from": DateInput(), "valid_until": DateInput()}
# Asked as the last day it applies; stored as the exclusive end the rules use [ARAR 7.4; CAO17; TMG-page].
DATED_FIELD_CLASSES = {"valid_until": LastDayField}
DATED_LABELS = {"valid_until": _("Last day it applies (up to and including)")}
DATED_HELP = {"valid_until": _("The last day on which these amounts apply. Leave empty while they apply.")}


class TableForm(VersionedForm):
    """A row of a dated table plus the reason for the change, recorded in its history."""

    reason = ReasonForm.base_fields["reason"]


class DatedTableForm(TableForm):
    close_previous = forms.BooleanField(
        label=_("End the open-ended row of this series on this start date"),
        required=False,
        initial=True,
        help_text=_("New amounts from this date: the row in force until now gets this date as its end."),
    )

    def _post_clean(self):
        self.instance.closes_previous = self.cleaned_data.get("close_previous", False)
        super()._post_clean()


class ScaleTableForm(DatedTableForm):
    class Meta:
        model = ScaleTable
        fields = ["scale", *DATED_FIELDS, *(f"step_{n}" for n in range(MAX_STEPS))]
        widgets = DATED_WIDGETS
        field_classes = DATED_FIELD_CLASSES
        labels = DATED_LABELS
        help_texts = DATED_HELP


class ExcellenceTableForm(DatedTableForm):
    class Meta:
        model = ExcellenceTable
        fields = ["scale", *DATED_FIELDS, "excellence_1", "excellence_2", "excellence_3"]
        widgets = DATED_WIDGETS
        field_classes = DATED_FIELD_CLASSES
        labels = DATED_LABELS
        help_texts = DATED_HELP


class AllowanceRateForm(DatedTableForm):
    class Meta:
        model = AllowanceRate
        fields = ["kind", "amount", *DATED_FIELDS]
        widgets = DATED_WIDGETS
        field_classes = DATED_FIELD_CLASSES
        labels = DATED_LABELS
        help_texts = DATED_HELP


class WntMaximumForm(TableForm):
    """A maximum from a secondary source is confirmed by naming the regulation that sets it."""

    class Meta:
        model = WntMaximum
        fields = ["year", "amount", "confidence", "regulation", "source", "note"]

    def clean(self):
        data = super().clean()
        confirming = self.instance.pk is None or self.instance.confidence == Confidence.SECONDARY
        if confirming and data.get("confidence") == Confidence.OFFICIAL and not data.get("regulation"):
            self.add_error(
                "regulation",
                _("Name the regulation (e.g. Stcrt. 2025, 27439) before marking the maximum as official."),
            )
        return data


class GeneralIncreaseForm(PlausibleInputMixin, forms.ModelForm):
    """A general increase of the CAO Rijk, with the reason for the history of every table it changes."""

    reason = ReasonForm.base_fields["reason"]

    class Meta:
        model = GeneralIncrease
        fields = ["valid_from", "percentage", "fixed_amount", "agreement", "source", "confidence", "note"]
        widgets = {"valid_from": DateInput()}
        help_texts = {
            "percentage": _("The percentage by which every amount rises, e.g. 3 or 2,5."),
            "fixed_amount": _("An amount per month added after the percentage (0 when there is none)."),
            "source": _("Where the agreement or its circular is published."),
        }


class PlacementForm(PlausibleInputMixin, forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the history; the motivation is used when left empty."),
    )

    class Meta:
        model = Placement
        fields = [
            "appointment",
            "kind",
            "valid_from",
            "step",
            "excellence",
            "part_time_factor",
            "motivation",
            "foreign_affairs_exception",
        ]
        widgets = {"valid_from": DateInput(), "motivation": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, member, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.member = member
        appointments = Appointment.objects.filter(member=member).select_related(
            "member", "function__ministry"
        )
        self.fields["appointment"].queryset = appointments
        self.fields["kind"].choices = [
            (value, label) for value, label in Placement.Kind.choices if value != Placement.Kind.INCREASE
        ]
        self.proposal = self._propose(member, appointments, today)
        if self.proposal and not self.is_bound:
            appointment, _scale, first_placement = self.proposal
            self.initial.setdefault("appointment", appointment.pk)
            if first_placement:
                self.initial.setdefault("valid_from", appointment.start_date)
                self.initial.setdefault("kind", Placement.Kind.PLACEMENT)
            else:
                self.initial.setdefault("kind", Placement.Kind.CHANGE)

    @staticmethod
    def _propose(member, appointments, today):
        """The member's current appointment (appointments.rules.current_appointment), the scale its
        group gives — scale 19 kept where the member had it [CAO17] — and whether it has no placement
        yet (a first placement starts on the appointment's start)."""
        appointment = rules.current_appointment(appointments, today)
        if appointment is None:
            return None
        previous = previous_placement(member, appointment.start_date)
        scale = salary_rules.placement_scale(
            function_group=appointment.function.group,
            previous_scale=previous.scale if previous else None,
            foreign_affairs_exception=False,
        )
        first = not member.placements.filter(appointment=appointment).exists()
        return appointment, scale, first


class WntEntryForm(VersionedForm):
    reason = ReasonForm.base_fields["reason"]
    new_record_needs_version = True

    class Meta:
        model = WntYearEntry
        fields = ["other_reward", "taxable_expense_allowances", "pension_employer_share", "excess_reason"]
        widgets = {"excess_reason": forms.Textarea(attrs={"rows": 3})}


class IncreaseForm(ReasonForm):
    placements = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=Placement.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, due, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["placements"].queryset = Placement.objects.filter(
            pk__in=[row.placement_id for row in due]
        )
        self.fields["reason"].initial = _("Functioning assessed as good [BBRA 7]")


class YearForm(PlausibleInputMixin, forms.Form):
    jaar = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class DayForm(PlausibleInputMixin, forms.Form):
    datum = forms.DateField(label=_("Date"), widget=DateInput())
