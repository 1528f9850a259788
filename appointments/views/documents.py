"""Documents on the file: upload, replace, download — each through the file's own scoping rule."""

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tmgportal import roles
from tmgportal.forms import add_service_errors
from tmgportal.views import requires, submit_once

from .. import services
from ..forms import DocumentForm, DocumentReplaceForm
from ..models import Appointment, Document, Extension, SearchPeriod, SideActivity


def _page_of(*, appointment_id=None, side_activity_id=None) -> str:
    """The page a document is listed on: its side activity's, or its dossier's documents section."""
    if side_activity_id:
        return reverse("appointments:side_activity_detail", args=[side_activity_id])
    return reverse("appointments:appointment_detail", args=[appointment_id]) + "#documents-heading"


def _target(user, target: str, pk: int) -> tuple[dict, str, str]:
    """The part of the file a document is attached to, found within the user's scope: the fields
    for the service, the page to return to, and how the page names it."""
    if target == "dossier":
        appointment = get_object_or_404(Appointment.objects.for_user(user).select_related("member"), pk=pk)
        fields = {"appointment": appointment}
    elif target == "verlenging":
        extension = get_object_or_404(
            Extension.objects.for_user(user).select_related("appointment__member"), pk=pk
        )
        appointment = extension.appointment
        fields = {"appointment": appointment, "extension": extension}
    elif target == "zoektermijn":
        period = get_object_or_404(
            SearchPeriod.objects.for_user(user).select_related("appointment__member"), pk=pk
        )
        appointment = period.appointment
        fields = {"appointment": appointment, "search_period": period}
    elif target == "nevenwerkzaamheid":
        activity = get_object_or_404(SideActivity.objects.for_user(user).select_related("member"), pk=pk)
        fields = {"member": activity.member, "side_activity": activity}
        return fields, _page_of(side_activity_id=activity.pk), str(activity)
    else:
        raise Http404
    return {"member": appointment.member, **fields}, _page_of(appointment_id=appointment.pk), str(appointment)


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def document_upload(request, target, pk):
    fields, back, about = _target(request.user, target, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        content, name = form.cleaned_data["file"]

        def upload():
            services.document_upload(
                user=request.user,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                content=content,
                original_name=name,
                reason=form.cleaned_data["reason"],
                **fields,
            )
            return back

        try:
            back, made = submit_once(request, form.cleaned_data["submission"], upload)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if made:
                messages.success(
                    request, _("Document added: %(title)s.") % {"title": form.cleaned_data["title"]}
                )
            else:
                messages.info(request, _("This form had already been sent; this is what it recorded."))
            return redirect(back)
    return render(
        request,
        "appointments/document_form.html",
        {"form": form, "about": about, "back": back, "member": fields["member"], "document": None},
        status=400 if form.is_bound else 200,
    )


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def document_replace(request, pk):
    document = get_object_or_404(Document.objects.for_user(request.user).select_related("member"), pk=pk)
    form = DocumentReplaceForm(request.POST or None, request.FILES or None)
    back = _page_of(appointment_id=document.appointment_id, side_activity_id=document.side_activity_id)
    if request.method == "POST" and form.is_valid():
        content, name = form.cleaned_data["file"]
        try:
            replacement = services.document_replace(
                user=request.user,
                document=document,
                content=content,
                original_name=name,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Document replaced: %(title)s is now version %(version)s.")
                % {"title": replacement.title, "version": replacement.version},
            )
            return redirect(back)
    return render(
        request,
        "appointments/document_form.html",
        {
            "form": form,
            "about": document.title,
            "back": back,
            "member": document.member,
            "document": document,
        },
        status=400 if form.is_bound else 200,
    )


def document_download(request, pk):
    """The PDF as an attachment, only to those who may see the part of the file it belongs to."""
    document = get_object_or_404(Document.objects.for_user(request.user), pk=pk)
    try:
        data = document.pdf_bytes()
    except ValidationError:
        return HttpResponse(
            _("This document's stored file does not match its recorded SHA-256 and is not handed out."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=document.filename, content_type="application/pdf"
    )
