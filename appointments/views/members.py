from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tmgportal import fragments, roles, versions
from tmgportal.exports import csv_response, xlsx_response
from tmgportal.forms import add_service_errors
from tmgportal.history import EditConflict
from tmgportal.sorting import PARAMETER, sort_queryset
from tmgportal.views import apply_filter, paginate, requires, submit_once

from .. import rules, services
from ..filters import MemberFilter
from ..forms import MemberCreateForm, MemberForm, ReasonForm
from ..models import Appointment, Member
from ..models.member import CURRENT_FACTS, with_current_facts


def _member_list_queryset(request, facts):
    archived = request.GET.get("archief") == "gearchiveerd"
    return (
        Member.objects.for_user(request.user)
        .with_current_appointment(facts)
        .filter(archived_at__isnull=not archived)
    )


# The current appointment's facts (CURRENT_FACTS) that a filter of the list reads.
FILTER_FACTS = {
    "ministry": ("ministry_id",),
    "group": ("group",),
    "status": ("status",),
    "eindigt_binnen": ("status", "term_end"),
}

MEMBER_COLUMNS = {
    "naam": ("surname", "prefix", "initials"),
    "functie": ("current_function", "current_organisation"),
    "ministerie": ("current_ministry_name",),
    "groep": ("current_group",),
    "status": ("current_status",),
    "einde": ("current_term_end",),
}


def _members(request, facts=tuple(CURRENT_FACTS)):
    """The filtered, ordered members with the current appointment's `facts` annotated."""
    filterset, members, status = apply_filter(MemberFilter, request, _member_list_queryset(request, facts))
    members, sorting = sort_queryset(request, members, MEMBER_COLUMNS, "naam")
    return filterset, members, status, sorting


def _facts_read(request) -> list[str]:
    """The current appointment's facts that the requested filter and order read."""
    column = request.GET.get(PARAMETER, "").removeprefix("-")
    filtered = {fact for name, value in request.GET.items() if value for fact in FILTER_FACTS.get(name, ())}
    ordered = {
        field.removeprefix("current_")
        for field in MEMBER_COLUMNS.get(column, ())
        if field.startswith("current_")
    }
    return sorted(filtered | ordered)


def member_list(request):
    """Kept per filter, order and page until the work changes (tmgportal.fragments.content); a
    refused filter is rendered as it is."""
    filterset, members, status, sorting = _members(request, _facts_read(request))
    view = partial(_member_page, request, filterset, members, sorting)
    content = fragments.content(
        request, "members", stamps=(versions.WORK,), template=MEMBERS, context=view, keep=status == 200
    )
    return render(request, "appointments/member_list.html", {"content": content}, status=status)


MEMBERS = "appointments/includes/member_list.html"


def _member_page(request, filterset, members, sorting) -> dict:
    """The list annotates only the facts its filter and order read (each is a subquery); the page's
    rows get theirs from one query (`with_current_facts`)."""
    page = paginate(request, members)
    today = timezone.localdate()
    page.object_list = with_current_facts(list(page.object_list), today=today)
    for member in page:
        member.term_passed = rules.term_passed_unrecorded(
            status=member.current_status, term_end=member.current_term_end, today=today
        )
    return {
        "filter": filterset,
        "page": page,
        "sorting": sorting,
        "status_choices": dict(Appointment.Status.choices),
    }


MEMBER_HEADER = [
    gettext_lazy("Surname"),
    gettext_lazy("Prefix"),
    gettext_lazy("Initials"),
    gettext_lazy("Function"),
    gettext_lazy("Organisation"),
    gettext_lazy("Ministry"),
    gettext_lazy("Group"),
    gettext_lazy("Status"),
    gettext_lazy("Last day of the term"),
]


def member_export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filterset, members, status, sorting = _members(request)
    if status != 200:
        return member_list(request)
    labels = dict(Appointment.Status.choices)
    rows = (
        [
            m.surname,
            m.prefix,
            m.initials,
            m.current_function,
            m.current_organisation,
            m.current_ministry_name,
            m.current_group,
            labels.get(m.current_status, ""),
            rules.last_day(m.current_term_end) if m.current_term_end else None,
        ]
        for m in members
    )
    if fmt == "xlsx":
        return xlsx_response("tmg-leden", MEMBER_HEADER, rows, sheet_title=_("Members"))
    return csv_response("tmg-leden", MEMBER_HEADER, rows)


def member_detail(request, pk):
    """The member's file: kept until the work or the pay changes (tmgportal.fragments.content)."""
    member = get_object_or_404(Member.objects.for_user(request.user), pk=pk)
    content = fragments.content(
        request,
        "member",
        stamps=(versions.WORK, versions.PAY),
        template="appointments/includes/member_detail.html",
        context=lambda: {
            "member": member,
            "appointments": member.appointments.select_related(
                "function__ministry", "search_period", "termination"
            )
            .prefetch_related("extensions")
            .order_by("-start_date", "-pk"),
        },
    )
    return render(request, "appointments/member_detail.html", {"member": member, "content": content})


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def member_create(request):
    form = MemberCreateForm(request.POST or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        token = data.pop("submission")
        data.pop("version", None)

        def create():
            member = services.member_create(user=request.user, **data)
            return reverse("appointments:member_detail", args=[member.pk])

        try:
            url, made = submit_once(request, token, create)
        except services.DuplicateMember as error:
            form.add_error(None, error)
            duplicate = error.existing
        else:
            if made:
                messages.success(request, _("The member file has been created."))
            else:
                messages.info(request, _("This form had already been sent; this is what it recorded."))
            return redirect(url)
    return render(request, "appointments/member_form.html", {"form": form, "duplicate": duplicate})


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = get_object_or_404(Member.objects.for_user(request.user).active(), pk=pk)
    form = MemberForm(request.POST or None, instance=member)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        try:
            with transaction.atomic():
                services.member_update(user=request.user, member=member, expected_version=expected, **data)
        except EditConflict as conflict:
            form.add_error(None, conflict)
        except services.DuplicateMember as error:
            form.add_error(None, error)
            duplicate = error.existing
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("appointments:member_detail", pk=member.pk)
    return render(
        request,
        "appointments/member_form.html",
        {"form": form, "member": member, "duplicate": duplicate},
    )


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def member_restore(request, pk):
    member = get_object_or_404(Member.objects.for_user(request.user).filter(archived_at__isnull=False), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.member_restore(user=request.user, member=member, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The member file has been restored; it is back in the lists."))
            return redirect("appointments:member_detail", pk=member.pk)
    return render(request, "appointments/member_restore.html", {"form": form, "member": member})


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def member_archive(request, pk):
    member = get_object_or_404(Member.objects.for_user(request.user).active(), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.member_archive(user=request.user, member=member, reason=form.cleaned_data["reason"])
        messages.success(request, _("The member file has been archived; its history is kept."))
        return redirect("appointments:member_list")
    return render(request, "appointments/member_archive.html", {"form": form, "member": member})
