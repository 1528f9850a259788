from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from tmgportal.forms import OnceOnlyMixin
from tmgportal.templatetags.tmg import euro
from tmgportal.validation import LastDayField, PlausibleInputMixin

from . import regimes, rules, selectors
from .models import Conversation, Document, Extension, Function, Member, SearchPeriod, SideActivity
from .models.documents import pdf_problem, size_problem


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VersionedForm(PlausibleInputMixin, forms.ModelForm):
    """Carries the version the user opened, so a stale save is refused (optimistic locking)."""

    version = forms.IntegerField(
        label=_("Version"),
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": _(
                "This form lacks the version of the record you opened, so it cannot tell whether "
                "someone else saved it meanwhile. Reload the page and enter your changes again."
            )
        },
    )

    # A form that may find its record made meanwhile by someone else (the WNT entry of a member's
    # year) asks the version also when it opens none: 0, "there was no record".
    new_record_needs_version = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0
        self.fields["version"].required = bool(self.instance.pk) or self.new_record_needs_version


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


class MemberCreateForm(OnceOnlyMixin, MemberForm):
    """A new member file: sent twice, it makes one file."""


class FunctionForm(VersionedForm):
    class Meta:
        model = Function
        fields = [
            "title",
            "organisation",
            "ministry",
            "group",
            "regime",
            "is_sg",
            "designated_from",
            "designated_until",
            "legal_basis",
            "note",
            "source",
        ]
        widgets = {"designated_from": DateInput(), "designated_until": DateInput()}
        field_classes = {"designated_until": LastDayField}
        labels = {"designated_until": _("Last day designated (up to and including)")}
        help_texts = {"designated_until": _("Leave empty while the function is designated.")}


class ReasonForm(PlausibleInputMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Recorded in the history of the file."),
    )


class FunctionChoiceField(forms.ModelChoiceField):
    """Each function with its occupancy today, so a vacant one is easy to find (`vacancies`)."""

    vacancies: dict = {}

    def label_from_instance(self, function):
        vacancy = self.vacancies.get(function.pk)
        if vacancy is None or vacancy.is_vacant:
            return str(function)
        return _("%(function)s — held, vacant from %(day)s") % {
            "function": function,
            "day": date_format(vacancy.vacant_from, "j F Y"),
        }


class AppointmentCreateForm(OnceOnlyMixin, PlausibleInputMixin, forms.Form):
    function = FunctionChoiceField(label=_("Function"), queryset=Function.objects.select_related("ministry"))
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    term_end = LastDayField(
        label=_("Last day in function (up to and including)"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Leave empty for the maximum term of 7 years [ARAR 7.4]: from 1 January 2015 the last day "
            "in function is then 31 December 2021."
        ),
    )
    is_transition_2017 = forms.BooleanField(
        label=_("Apply the transition rule of 2017 [ARAR 130d]"),
        required=False,
        help_text=_("Only for a group B function that the member already held on 1 January 2017."),
    )
    start_in_function = forms.DateField(
        label=_("Start in this function (transition rule)"),
        required=False,
        widget=DateInput(),
    )
    reason = ReasonForm.base_fields["reason"]
    knowingly = forms.BooleanField(
        label=_(
            "I know another dossier runs for this seat on these dates, and make this concept all the same"
        ),
        required=False,
    )

    def __init__(self, *args, vacancies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["function"].vacancies = vacancies or {}
        self.competing = []

    def clean(self):
        data = super().clean()
        if data.get("is_transition_2017") and not data.get("start_in_function"):
            self.add_error("start_in_function", _("Enter the date the member started in this function."))
        function, start = data.get("function"), data.get("start_date")
        if function and start:
            end = data.get("term_end") or rules.add_years(
                start, regimes.get(function.regime).figures.max_term_years
            )
            self.competing = selectors.competing_dossiers(function, start=start, end=end)
            if self.competing and not data.get("knowingly"):
                self.add_error(
                    "knowingly",
                    _(
                        "This seat already has a dossier for these dates: %(list)s. Open it first, or tick this box to make the concept all the same."
                    )
                    % {
                        "list": "; ".join(
                            f"{a.member.full_name} ({a.get_status_display()}, {date_format(a.start_date, 'j F Y')} – {date_format(rules.last_day(a.end), 'j F Y')})"
                            for a in self.competing
                        )
                    },
                )
        return data


class ProposeForm(ReasonForm):
    past_date_fields = ("proposal_date",)
    proposal_date = forms.DateField(label=_("Date of the proposal (voordracht)"), widget=DateInput())
    proposal_reference = forms.CharField(label=_("Proposal reference"), max_length=60, required=False)


class CouncilForm(ReasonForm):
    past_date_fields = ("council_date",)
    council_date = forms.DateField(label=_("Date of the council of ministers"), widget=DateInput())


class KBForm(ReasonForm):
    past_date_fields = ("kb_date",)
    kb_date = forms.DateField(label=_("Date of the KB"), widget=DateInput())
    kb_number = forms.CharField(label=_("KB number"), max_length=60)


LATE_MOTIVATION = forms.CharField(
    label=_("Motivation for recording this after the term ended"),
    widget=forms.Textarea(attrs={"rows": 3}),
    required=False,
    help_text=_("The term has already ended. Say why this is recorded only now; it stays in the file."),
)


class TakeOfficeForm(ReasonForm):
    late_motivation = LATE_MOTIVATION


class TerminateForm(ReasonForm):
    date = LastDayField(
        label=_("Last day in function (up to and including)"),
        widget=DateInput(),
        help_text=_("The search period starts the day after [TMG-page; CAO17]."),
    )


class ExtensionProposeForm(ReasonForm):
    # No interest is preselected: the proposal records the one ABD chose [Nadere regels 1].
    reason_code = forms.ChoiceField(
        label=_("Interest of the service"),
        choices=[("", _("— choose —")), *Extension.Reason.choices],
        error_messages={"required": _("Choose the interest of the service this extension serves.")},
    )
    motivation = forms.CharField(label=_("Motivation"), widget=forms.Textarea(attrs={"rows": 4}))
    proposed_end = LastDayField(
        label=_("Proposed last day in function (up to and including)"),
        widget=DateInput(),
        help_text=_(
            "By at most 2 years, to at most 9 years in total in the same function [Nadere regels 1]."
        ),
    )
    late_motivation = LATE_MOTIVATION


class ConversationForm(ReasonForm):
    """The conversation about extension after 5 years [TMG-page]."""

    past_date_fields = ("held_on",)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Conversation.Outcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            'With the outcome "propose an extension" these notes fill in the proposal\'s motivation.'
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = False
        self.fields["reason"].help_text = _("Optional; the outcome is recorded in the history anyway.")


class ExtensionDecideForm(PlausibleInputMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    remarks = forms.CharField(
        label=_("Remarks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting."),
    )


class ExtensionKBForm(ProposeForm, CouncilForm, KBForm):
    """The same procedure as an appointment: voordracht, council of ministers, then KB [TMG-page]."""

    past_date_fields = ("proposal_date", "council_date", "kb_date")


class EndingKBForm(ProposeForm, KBForm):
    """The voordracht and the KB of the ending, printed on that KB [Circulaire model-KB 1999]."""

    past_date_fields = ("proposal_date", "kb_date")


class ShortenForm(ReasonForm):
    past_date_fields = ("requested_on",)
    requested_on = forms.DateField(label=_("Request received on"), widget=DateInput())
    monthly_income = forms.DecimalField(
        label=_("Monthly income (EUR)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("From the salary administration: the payment is 6 x this amount [CAO17]."),
    )
    # The amount proposed from the pay in force on the request's day (salaries.selectors.
    # monthly_income_on), if any.
    proposed_income = None

    def propose(self, income):
        """Prefill the monthly income from the pay in force on the request's day and say where it comes from."""
        self.proposed_income = income
        field = self.fields["monthly_income"]
        if income is None:
            field.help_text = _(
                "No salary is in force on the day of the request: enter the monthly income from the "
                "salary administration. The payment is 6 x this amount [CAO17]."
            )
            return
        self.initial.setdefault("monthly_income", income.amount)
        field.help_text = _(
            "Proposed from the pay in force on %(day)s, as the pay page shows it: salary %(salary)s plus "
            "SG allowance %(sg)s; the representation allowance covers expenses and is left out. Check it "
            "against the salary administration; a different amount is recorded with your reason. The "
            "payment is 6 x this amount [CAO17]."
        ) % {
            "day": date_format(income.day, "j F Y"),
            "salary": euro(income.salary),
            "sg": euro(income.sg_allowance),
        }

    def clean(self):
        data = super().clean()
        income = data.get("monthly_income")
        if (
            self.proposed_income
            and income is not None
            and income != self.proposed_income.amount
            and data.get("reason")
        ):
            data["reason"] += " " + _(
                "(monthly income corrected: pay in force %(proposed)s, recorded %(recorded)s)"
            ) % {"proposed": euro(self.proposed_income.amount), "recorded": euro(income)}
        return data


class CloseSearchPeriodForm(ReasonForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in SearchPeriod.Outcome.choices if c[0] != SearchPeriod.Outcome.RUNNING],
    )
    on = forms.DateField(label=_("Date"), widget=DateInput())


class SideActivityForm(VersionedForm):
    past_date_fields = ("reported_on",)

    class Meta:
        model = SideActivity
        fields = ["organisation", "role", "is_paid", "hours_per_month", "start", "end", "reported_on"]
        widgets = {"start": DateInput(), "end": DateInput(), "reported_on": DateInput()}
        field_classes = {"end": LastDayField}
        labels = {"end": _("Last day (up to and including)")}
        help_texts = {"end": _("Leave empty while it runs.")}


class SideActivityCreateForm(OnceOnlyMixin, SideActivityForm):
    """A newly reported side activity: sent twice, it records one."""


class AssessForm(PlausibleInputMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    assessment = forms.ChoiceField(
        label=_("Assessment"),
        choices=[c for c in SideActivity.Assessment.choices if c[0] != SideActivity.Assessment.PENDING],
        widget=forms.RadioSelect,
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Internal; never published."),
    )


class UnpublishForm(ReasonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PublishForm(ReasonForm):
    activities = forms.ModelMultipleChoiceField(
        label=_("Side activities"), queryset=SideActivity.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = queryset
        self.fields["reason"].initial = _("Published on the public register [CAO17]")


class DocumentFileField(forms.FileField):
    """A PDF, recognised by its content, within the size limit (models.documents.pdf_problem); the
    cleaned value is the file's bytes and name."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload is None:
            return None
        limit = settings.TMG_DOCUMENT_MAX_BYTES
        # The size is known before the content is read: an oversized file is never read in.
        problem = size_problem(upload.size, max_bytes=limit)
        if problem:
            raise forms.ValidationError(problem)
        content = upload.read()
        problem = pdf_problem(content, max_bytes=limit)
        if problem:
            raise forms.ValidationError(problem)
        return content, upload.name


class DocumentReplaceForm(PlausibleInputMixin, forms.Form):
    file = DocumentFileField(
        label=_("PDF file"), error_messages={"required": _("Choose the PDF file to upload.")}
    )
    reason = ReasonForm.base_fields["reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A PDF document of at most %(max)s MB.") % {
            "max": settings.TMG_DOCUMENT_MAX_BYTES // 1_000_000
        }


class DocumentForm(OnceOnlyMixin, DocumentReplaceForm):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)

    field_order = ["kind", "title", "file", "reason"]


class KBSignForm(ReasonForm):
    """Marking a KB signed is one step with its signed scan: the KB, the file and the history agree."""

    scan = DocumentFileField(
        label=_("Scan of the signed KB (PDF)"),
        error_messages={
            "required": _("Add the scan of the signed KB: without it the KB is not marked signed.")
        },
    )
    field_order = ["scan", "reason"]
