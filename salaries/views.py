"""Pay screens: the dated tables, a member's pay, step increases, the WNT and back pay."""

from datetime import date
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from appointments.models import Member
from tmgportal import fragments, roles, versions
from tmgportal.exports import csv_response, xlsx_response
from tmgportal.forms import add_service_errors
from tmgportal.history import EditConflict
from tmgportal.sorting import sort_queryset
from tmgportal.views import paginate, requires

from . import figures, selectors, services
from .forms import (
    AllowanceRateForm,
    DayForm,
    ExcellenceTableForm,
    GeneralIncreaseForm,
    IncreaseForm,
    PlacementForm,
    ScaleTableForm,
    WntEntryForm,
    WntMaximumForm,
    YearForm,
)
from .models import (
    AllowanceRate,
    ExcellenceTable,
    GeneralIncrease,
    ScaleTable,
    TableChange,
    WntMaximum,
    WntYearEntry,
)
from .pay import MemberPay, TableSet, members_with_pay_facts

TABLE_FORMS = {
    "schaal": ScaleTableForm,
    "excellentie": ExcellenceTableForm,
    "toelage": AllowanceRateForm,
    "wnt": WntMaximumForm,
}


@requires(roles.OVERSEE)
def table_list(request):
    """Every dated table; rendered once per change of a table (the pay stamp) and language."""
    return render(
        request,
        "salaries/table_list.html",
        {"tables": fragments.cached("tables", user=request.user, stamps=(versions.PAY,), build=_tables)},
    )


def _tables() -> str:
    return render_to_string(
        "salaries/includes/tables.html",
        {
            "scales": ScaleTable.objects.select_related("increase"),
            "excellence": ExcellenceTable.objects.select_related("increase"),
            "increases": GeneralIncrease.objects.all(),
            "allowances": AllowanceRate.objects.all(),
            "wnt_maxima": WntMaximum.objects.all(),
        },
    )


@requires(roles.MANAGE_REFERENCE)
@require_http_methods(["GET", "POST"])
def table_edit(request, kind, pk=None):
    if kind not in TABLE_FORMS:
        raise Http404
    form_class = TABLE_FORMS[kind]
    instance = get_object_or_404(form_class._meta.model, pk=pk) if pk else None
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        row = form.save(commit=False)
        try:
            services.table_save(
                user=request.user,
                row=row,
                reason=form.cleaned_data["reason"],
                close_previous=form.cleaned_data.get("close_previous", False),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The table has been saved."))
            return redirect("salaries:table_list")
    return render(
        request,
        "salaries/table_form.html",
        {"form": form, "instance": instance, "model_name": form_class._meta.model._meta.verbose_name},
    )


@requires(roles.MANAGE_REFERENCE)
@require_http_methods(["GET", "POST"])
def general_increase_create(request):
    """A new general increase in two steps: the preview (every table's amounts before and after, every
    member whose pay changes and by how much), then, on confirmation, all of it in one transaction."""
    form = GeneralIncreaseForm(request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid() and "wijzigen" not in request.POST:
        data = dict(form.cleaned_data)
        try:
            if "bevestigen" in request.POST:
                increase = services.general_increase_apply(user=request.user, **data)
            else:
                plan = services.general_increase_plan(
                    valid_from=data["valid_from"],
                    percentage=data["percentage"],
                    fixed_amount=data["fixed_amount"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if "bevestigen" in request.POST:
                messages.success(
                    request,
                    _(
                        "The general increase of %(day)s is applied: the tables from that date are derived and every member's pay follows."
                    )
                    % {"day": date_format(increase.valid_from, "j F Y")},
                )
                return redirect(reverse("salaries:table_list") + "#increases-heading")
            preview = {
                "plan": plan,
                "changes": selectors.pay_changes(request.user, plan, valid_from=data["valid_from"]),
                "retroactive": data["valid_from"] < timezone.localdate(),
            }
    return render(request, "salaries/general_increase_form.html", {"form": form, "preview": preview})


def _member(request, pk):
    queryset = members_with_pay_facts(Member.objects.for_user(request.user))
    return get_object_or_404(queryset, pk=pk)


def _year(request, default: int) -> int:
    form = YearForm(request.GET)
    return form.cleaned_data["jaar"] if form.is_valid() else default


def member_pay(request, pk):
    """Pay on any date and the WNT position of any year, each figure with its table and rule; kept
    per date and year asked for until the pay or the file changes (tmgportal.fragments.content)."""
    member = get_object_or_404(Member.objects.for_user(request.user), pk=pk)
    day_form = DayForm(
        request.GET if "datum" in request.GET else None, initial={"datum": timezone.localdate()}
    )
    refused = day_form.is_bound and not day_form.is_valid()
    view = partial(_member_pay, request, pk, day_form)
    content = fragments.content(
        request,
        "member-pay",
        stamps=(versions.PAY, versions.WORK),
        template=PAY_CONTENT,
        context=view,
        keep=not refused,
    )
    return render(
        request,
        "salaries/member_pay.html",
        {"member": member, "content": content},
        status=400 if refused else 200,
    )


PAY_CONTENT = "salaries/includes/member_pay.html"


def _member_pay(request, pk, day_form) -> dict:
    member = _member(request, pk)
    today = timezone.localdate()
    pay = MemberPay(member, TableSet.current())
    day = day_form.cleaned_data["datum"] if day_form.is_bound and day_form.is_valid() else today
    year = _year(request, today.year)
    entry = WntYearEntry.objects.filter(member=member, year=year).first()
    span = pay.history_range(today)
    return {
        "member": member,
        "pay": pay,
        "day": day,
        "day_form": day_form,
        "on_day": pay.on(day),
        "year": year,
        "wnt": selectors.member_wnt_year(pay, year, entry, today=today),
        "months": selectors.member_months(pay, *span, today=today) if span else [],
    }


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def placement_create(request, pk):
    member = _member(request, pk)
    form = PlacementForm(request.POST or None, member=member, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.placement_create(user=request.user, member=member, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The placement has been recorded."))
            return redirect("salaries:member_pay", pk=member.pk)
    return render(
        request, "salaries/placement_form.html", {"form": form, "member": member, "proposal": form.proposal}
    )


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def increase_list(request):
    """Members due a yearly step increase [BBRA 7]; ABD staff tick those who functioned well and
    apply, in one action, every step due up to today, each from its anniversary with its own history
    row."""
    today = timezone.localdate()
    found, form = None, None
    if request.method == "POST":
        # An action checks the list as it is now; the page shown is kept until a placement, a table
        # or a file changes.
        found = selectors.due_increases(request.user, today=today)
        form = IncreaseForm(request.POST, due=found[0])
        if form.is_valid():
            applied = []
            try:
                with transaction.atomic():
                    for placement in form.cleaned_data["placements"]:
                        applied += services.placement_increase_all_due(
                            user=request.user,
                            placement=placement,
                            expected_version=placement.version,
                            reason=form.cleaned_data["reason"],
                            today=today,
                        )
            except (ValidationError, EditConflict) as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s step increase recorded.",
                        "%(count)s step increases recorded.",
                        len(applied),
                    )
                    % {"count": len(applied)},
                )
                return redirect("salaries:increase_list")
    content = fragments.content(
        request,
        "step-increases",
        stamps=(versions.WORK, versions.PAY),
        template="salaries/includes/increase_list.html",
        context=partial(_increases, request, today, found, form),
        keep=form is None,
    )
    return render(request, "salaries/increase_list.html", {"content": content})


def _increases(request, today, found=None, form=None) -> dict:
    due, unknown = found or selectors.due_increases(request.user, today=today)
    page = paginate(request, due, per_page=50)
    page.object_list = selectors.with_members(list(page.object_list))
    return {
        "page": page,
        "total": len(due),
        "unknown": unknown,
        "form": form or IncreaseForm(due=due),
        "today": today,
    }


WNT_COLUMNS = {
    "lid": ("member__surname", "member__initials"),
    "bezoldiging": ("bezoldiging", "member__surname"),
    "maximum": ("maximum", "member__surname"),
    "positie": ("is_above", "is_near", "member__surname"),
}


@requires(roles.OVERSEE)
def wnt_overview(request):
    """Kept per year, order and page until the pay or a file changes (tmgportal.fragments.content)."""
    year = _year(request, timezone.localdate().year)
    content = fragments.content(
        request,
        "wnt-overview",
        stamps=(versions.PAY, versions.WORK),
        template="salaries/includes/wnt_overview.html",
        context=partial(_wnt_overview, request, year),
    )
    return render(request, "salaries/wnt_overview.html", {"year": year, "content": content})


def _wnt_overview(request, year: int) -> dict:
    today = timezone.localdate()
    years = selectors.wnt_years(request.user, year)
    sorted_years, sorting = sort_queryset(request, years, WNT_COLUMNS, "lid")
    page = paginate(request, sorted_years)
    page.object_list = selectors.with_function_titles(page.object_list, year)
    return {
        "year": year,
        "page": page,
        "sorting": sorting,
        "stored": date(year + 1, 1, 1) <= figures.horizon(today),
        "outdated": TableSet.current().outdated_on(min(today, date(year, 12, 31))),
        "maximum": WntMaximum.objects.filter(year=year).first(),
        **selectors.wnt_counts(years),
    }


def _disclosure_rows(rows):
    """The fields of the WNT publication [WNT 4.1; Uitvoeringsregeling 5-5b]."""
    for row in rows:
        first, last = row.employment
        entry = row.entry
        remarks = []
        if row.missing:
            remarks.append(_("incomplete: an amount is missing from the tables"))
        if row.not_given:
            remarks.append(
                _("incomplete: not given by the salary administration: %(list)s")
                % {"list": ", ".join(row.not_given)}
            )
        given = {name: getattr(entry, name, None) for name in WntYearEntry.AMOUNT_FIELDS}
        yield [
            row.member.full_name,
            row.function_title,
            first,
            last,
            row.fte,
            # An amount not given is left empty, never published as 0.
            row.computed_reward + given["other_reward"] + given["taxable_expense_allowances"]
            if given["other_reward"] is not None and given["taxable_expense_allowances"] is not None
            else "",
            given["pension_employer_share"] if given["pension_employer_share"] is not None else "",
            row.bezoldiging if row.is_complete else "",
            row.maximum.value if row.maximum else "",
            (entry.excess_reason if entry else "") if row.position and row.position.is_above else "",
            "; ".join(remarks),
        ]


DISCLOSURE_HEADER = [
    "naam",
    "functie",
    "aanvang_dienstverband_in_jaar",
    "einde_dienstverband_in_jaar",
    "omvang_fte",
    "beloning_plus_belastbare_onkostenvergoedingen",
    "beloningen_betaalbaar_op_termijn",
    "totale_bezoldiging",
    "individueel_toepasselijk_bezoldigingsmaximum",
    "motivering_overschrijding",
    "opmerking",
]


@requires(roles.OVERSEE)
def wnt_export(request, year, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = selectors.wnt_rows(request.user, year)
    filename = f"wnt-openbaarmaking-{year}"
    if fmt == "csv":
        return csv_response(filename, DISCLOSURE_HEADER, _disclosure_rows(rows))
    return xlsx_response(filename, DISCLOSURE_HEADER, _disclosure_rows(rows), sheet_title=f"WNT {year}")


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def wnt_entry(request, pk, year):
    member = _member(request, pk)
    entry = WntYearEntry.objects.filter(member=member, year=year).first()
    form = WntEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        try:
            services.wnt_entry_save(
                user=request.user, member=member, year=year, expected_version=expected, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The WNT figures have been saved."))
            return redirect(f"{_pay_url(member)}?jaar={year}")
    return render(request, "salaries/wnt_entry_form.html", {"form": form, "member": member, "year": year})


def _pay_url(member):
    return reverse("salaries:member_pay", args=[member.pk])


@requires(roles.OVERSEE)
def back_pay_list(request):
    return render(
        request, "salaries/back_pay_list.html", {"changes": TableChange.objects.select_related("changed_by")}
    )


@requires(roles.OVERSEE)
def back_pay_detail(request, pk, fmt=None):
    change = get_object_or_404(TableChange, pk=pk)
    rows, incomplete = selectors.back_pay(request.user, change)
    if fmt is not None:
        header = [_("Member"), _("Year"), _("Month"), _("Paid"), _("Owed"), _("Back pay")]
        lines = ([r.member.full_name, r.year, r.month, r.paid, r.owed, r.difference] for r in rows)
        if fmt == "csv":
            return csv_response(f"nabetaling-{change.pk}", header, lines)
        if fmt == "xlsx":
            return xlsx_response(f"nabetaling-{change.pk}", header, lines, sheet_title=_("Back pay"))
        raise Http404
    return render(
        request,
        "salaries/back_pay_detail.html",
        {
            "change": change,
            "start": selectors.back_pay_start(change),
            "max_years": settings.TMG_BACK_PAY_MAX_YEARS,
            "rows": rows,
            "incomplete": incomplete,
            "total": sum((r.difference for r in rows), Decimal("0.00")),
        },
    )
