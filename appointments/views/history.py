"""A member's complete history: one timeline of every related record, with exports for access
requests (AVG) and WOO requests."""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from salaries.models import Placement, WntYearEntry
from tmgportal import fragments, roles, timeline, versions
from tmgportal.exports import csv_response, xlsx_response
from tmgportal.views import paginate, requires

from ..kb import html_to_pdf
from ..models import (
    Appointment,
    Document,
    Extension,
    KBDocument,
    Member,
    SearchPeriod,
    SideActivity,
    Termination,
)

KINDS = {
    "lid": gettext_lazy("personal details"),
    "benoeming": gettext_lazy("appointments"),
    "verlenging": gettext_lazy("extensions"),
    "beeindiging": gettext_lazy("early terminations"),
    "zoektermijn": gettext_lazy("search periods"),
    "inschaling": gettext_lazy("salary placements"),
    "wnt": gettext_lazy("WNT year entries"),
    "nevenwerkzaamheid": gettext_lazy("side activities"),
    "kb": gettext_lazy("KB decisions"),
    "document": gettext_lazy("documents"),
}


class KindForm(forms.Form):
    soort = forms.ChoiceField(
        label=gettext_lazy("Record type"), choices=[("", gettext_lazy("all")), *KINDS.items()], required=False
    )


def _sources(member: Member):
    appointment_ids = Appointment.history.filter(member_id=member.pk).values("id").distinct()
    return [
        ("lid", KINDS["lid"], Member.history.filter(id=member.pk)),
        ("benoeming", KINDS["benoeming"], Appointment.history.filter(member_id=member.pk)),
        ("verlenging", KINDS["verlenging"], Extension.history.filter(appointment_id__in=appointment_ids)),
        ("beeindiging", KINDS["beeindiging"], Termination.history.filter(appointment_id__in=appointment_ids)),
        (
            "zoektermijn",
            KINDS["zoektermijn"],
            SearchPeriod.history.filter(appointment_id__in=appointment_ids),
        ),
        ("inschaling", KINDS["inschaling"], Placement.history.filter(member_id=member.pk)),
        ("wnt", KINDS["wnt"], WntYearEntry.history.filter(member_id=member.pk)),
        ("nevenwerkzaamheid", KINDS["nevenwerkzaamheid"], SideActivity.history.filter(member_id=member.pk)),
        ("kb", KINDS["kb"], KBDocument.history.filter(appointment_id__in=appointment_ids)),
        ("document", KINDS["document"], Document.history.filter(member_id=member.pk)),
    ]


def _entries(member, kind=""):
    return timeline.entries([source for source in _sources(member) if not kind or source[0] == kind])


def member_history(request, pk):
    """The file's timeline, read from ten history tables: kept per kind and page until the file
    changes (every record in it renews the work or the pay stamp; tmgportal.fragments.content)."""
    member = get_object_or_404(Member.objects.for_user(request.user), pk=pk)
    form = KindForm(request.GET or None)
    refused = form.is_bound and not form.is_valid()
    kind = "" if refused or not form.is_bound else form.cleaned_data["soort"]
    content = fragments.content(
        request,
        "history",
        stamps=(versions.WORK, versions.PAY),
        template="appointments/includes/member_history.html",
        context=lambda: {
            "member": member,
            "form": form,
            "page": paginate(request, _entries(member, kind), per_page=30),
            "kind": kind,
        },
        keep=not refused,
    )
    return render(
        request,
        "appointments/member_history.html",
        {"member": member, "content": content},
        status=400 if refused else 200,
    )


def _rows(entries):
    for entry in entries:
        for change in entry.changes or [timeline.FieldChange("", "", "")]:
            yield [
                entry.when,
                entry.who,
                entry.kind_label,
                entry.record,
                entry.action_label,
                change.label,
                change.old,
                change.new,
                entry.reason,
            ]


@requires(roles.OVERSEE)
def member_history_export(request, pk, fmt):
    """The complete history of one member, for an access request (AVG art. 15) or a WOO request."""
    member = get_object_or_404(Member.objects.all(), pk=pk)
    entries = _entries(member)
    if fmt in ("csv", "xlsx"):
        header = [
            _("When"),
            _("Who"),
            _("Record type"),
            _("Record"),
            _("Action"),
            _("Field"),
            _("Old value"),
            _("New value"),
            _("Reason"),
        ]
        if fmt == "xlsx":
            return xlsx_response(
                f"historie-lid-{member.pk}", header, _rows(entries), sheet_title=_("History")
            )
        return csv_response(f"historie-lid-{member.pk}", header, _rows(entries))
    if fmt == "pdf":
        html = render_to_string(
            "appointments/member_history_pdf.html",
            {"member": member, "entries": entries, "generated": timezone.now(), "user": request.user},
        )
        response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="historie-lid-{member.pk}.pdf"'
        return response
    raise Http404
