import django_filters
from django import forms as django_forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tmgportal.validation import validate_plausible_date

from . import rules
from .deadlines import DEADLINE_KINDS
from .forms import DateInput
from .models import Function, Ministry, SideActivity
from .models.dossier import Status


class FilterForm(django_forms.Form):
    """A filter form in Bootstrap's classes, so includes/filter_form.html renders each field with
    Django's own widget and no template per field (crispy's cost several milliseconds a list)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            is_select = isinstance(field.widget, django_forms.Select)
            field.widget.attrs.setdefault("class", "form-select" if is_select else "form-control")


class FilterSet(django_filters.FilterSet):
    class Meta:
        form = FilterForm


class MemberFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Name"), method="search_name")
    ministry = django_filters.ModelChoiceFilter(
        label=_("Ministry"), queryset=Ministry.objects.all(), field_name="current_ministry_id"
    )
    group = django_filters.ChoiceFilter(
        label=_("Function group"), choices=Function.Group.choices, field_name="current_group"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Status.choices, field_name="current_status"
    )
    eindigt_binnen = django_filters.NumberFilter(
        label=_("Term ends within (months)"),
        method="term_ends_within",
        min_value=1,
        max_value=120,
        help_text=_("Members in office whose term ends within this many months (or has passed)."),
    )
    archief = django_filters.ChoiceFilter(
        label=_("Files"),
        choices=[("gearchiveerd", _("Archived"))],
        empty_label=_("Active"),
        method="by_archive",
    )

    def by_archive(self, queryset, name, value):
        # The list shows active files unless the archive is asked for, so the view chooses the base
        # set (appointments.views.members); here the value is only validated.
        return queryset

    def term_ends_within(self, queryset, name, value):
        """The last day of the term lies before today + N months [ARAR 7.4]; a term that passed
        while the member is still in office is included: it is work to do."""
        horizon = rules.add_months(timezone.localdate(), int(value))
        return queryset.filter(current_status__in=rules.TERM_RUNNING_STATES, current_term_end__lte=horizon)

    def search_name(self, queryset, name, value):
        query = Q()
        for word in value.split():
            query &= (
                Q(surname__icontains=word)
                | Q(prefix__icontains=word)
                | Q(first_name__icontains=word)
                | Q(initials__icontains=word)
            )
        return queryset.filter(query)


class FunctionFilter(FilterSet):
    ministry = django_filters.ModelChoiceFilter(label=_("Ministry"), queryset=Ministry.objects.all())
    group = django_filters.ChoiceFilter(label=_("Function group"), choices=Function.Group.choices)
    op = django_filters.DateFilter(
        label=_("Occupancy on"),
        method="keep_all",
        widget=DateInput(),
        validators=[validate_plausible_date],
        help_text=_("Empty: today."),
    )

    def keep_all(self, queryset, name, value):
        # The day only chooses which occupancy the list shows (appointments.selectors.vacancies).
        return queryset


class DeadlineFilter(FilterSet):
    """Filters the appointments behind the dashboard; `kind` is applied to the computed deadlines."""

    ministry = django_filters.ModelChoiceFilter(
        label=_("Ministry"), queryset=Ministry.objects.all(), field_name="function__ministry"
    )
    group = django_filters.ChoiceFilter(
        label=_("Function group"), choices=Function.Group.choices, field_name="function__group"
    )
    kind = django_filters.ChoiceFilter(label=_("Kind of deadline"), choices=DEADLINE_KINDS, method="keep_all")

    def keep_all(self, queryset, name, value):
        return queryset


class SideActivityFilter(FilterSet):
    name = django_filters.CharFilter(label=_("Member"), method="filter_name")
    ministry = django_filters.ModelChoiceFilter(
        label=_("Ministry"),
        queryset=Ministry.objects.all(),
        field_name="member_ministry_id",
        method="filter_ministry",
    )
    assessment = django_filters.ChoiceFilter(label=_("Assessment"), choices=SideActivity.Assessment.choices)
    publication = django_filters.ChoiceFilter(
        label=_("Publication"), choices=SideActivity.Publication.choices
    )

    class Meta(FilterSet.Meta):
        model = SideActivity
        fields = ["name", "ministry", "assessment", "publication"]

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(member__surname__icontains=value) | Q(member__first_name__icontains=value))

    def filter_ministry(self, queryset, name, value):
        return queryset.filter(member_ministry_id=value.pk)


class ForecastFilter(FilterSet):
    """The rotation forecast per ministry and group."""

    ministry = django_filters.ModelChoiceFilter(
        label=_("Ministry"), queryset=Ministry.objects.all(), field_name="function__ministry"
    )
    group = django_filters.ChoiceFilter(
        label=_("Function group"), choices=Function.Group.choices, field_name="function__group"
    )
