"""Model-KB decisions from the dossier: preview, generate, download, mark signed, and the monthly
batch of extension KBs as one zip [Circulaire model-KB 1999]."""

import io
import logging
import zipfile
from datetime import date

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tmgportal import roles
from tmgportal.converters import parse_id
from tmgportal.forms import add_service_errors
from tmgportal.validation import EARLIEST, LATEST
from tmgportal.views import requires

from .. import kb, services
from ..forms import KBSignForm
from ..models import Appointment, Extension, KBDocument
from ..models.kb import KBIntegrityError

logger = logging.getLogger(__name__)


def _appointment(request, pk):
    return get_object_or_404(
        Appointment.objects.for_user(request.user).select_related("member", "function__ministry"), pk=pk
    )


def _extension(appointment, request):
    extension_id = request.GET.get("verlenging") or request.POST.get("verlenging")
    if not extension_id:
        return None
    return get_object_or_404(appointment.extensions, pk=parse_id(extension_id))


def _amount_checked(request) -> bool:
    """The box "I have checked that the amount still applies" (amount_check.html)."""
    return request.POST.get("bedrag_gecontroleerd") == "1"


def _kind(kind):
    if kind not in KBDocument.Kind.values:
        raise Http404
    return kind


@requires(roles.CHANGE_FILES)
@require_GET
def kb_preview(request, pk, kind):
    appointment = _appointment(request, pk)
    extension = _extension(appointment, request)
    if (_kind(kind), extension) not in services.kb_kinds_available(appointment):
        raise Http404
    return HttpResponse(kb.render_html(kb.kb_text(appointment, kind, extension), for_pdf=False))


@requires(roles.CHANGE_FILES)
@require_POST
def kb_generate(request, pk, kind):
    appointment = _appointment(request, pk)
    try:
        document = services.kb_generate(
            user=request.user,
            appointment=appointment,
            kind=_kind(kind),
            extension=_extension(appointment, request),
            amount_checked=_amount_checked(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("KB version %(v)s has been generated and archived.") % {"v": document.version}
        )
    return redirect("appointments:appointment_detail", pk=appointment.pk)


@require_GET
def kb_download(request, pk):
    document = get_object_or_404(KBDocument.objects.for_user(request.user), pk=pk)
    try:
        data = document.pdf_bytes()
    except KBIntegrityError:
        logger.error("KB %s: stored PDF does not match its SHA-256", document.pk)
        return HttpResponse(
            _(
                "This KB's stored PDF does not match its recorded SHA-256 and is not handed out. Ask the administrator."
            ),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=document.filename,
        content_type="application/pdf",
    )


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def kb_sign(request, pk):
    document = get_object_or_404(KBDocument.objects.select_related("appointment__member"), pk=pk)
    form = KBSignForm(
        request.POST or None, request.FILES or None, initial={"reason": _("KB signed by the King")}
    )
    if request.method == "POST" and form.is_valid():
        scan, name = form.cleaned_data["scan"]
        try:
            services.kb_mark_signed(
                user=request.user,
                document=document,
                reason=form.cleaned_data["reason"],
                scan=scan,
                scan_name=name,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The KB is marked as signed; it can no longer change."))
            return redirect("appointments:appointment_detail", pk=document.appointment_id)
    return render(request, "appointments/kb_sign.html", {"form": form, "document": document})


def _month(request):
    value = request.GET.get("maand") or request.POST.get("maand") or ""
    try:
        year, month = (int(part) for part in value.split("-"))
        first = date(year, month, 1)
    except ValueError:
        return None
    return first if EARLIEST <= first <= LATEST else None


def _approved_in(first: date):
    return (
        Extension.objects.filter(
            status__in=[Extension.Status.APPROVED, Extension.Status.KB_RECORDED],
            decided_at__date__gte=first,
            decided_at__date__lt=first + relativedelta(months=1),
        )
        .select_related("appointment__member", "appointment__function__ministry")
        .order_by("appointment__member__surname", "pk")
    )


def _zip(documents) -> HttpResponse:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for document in documents:
            archive.writestr(document.filename, document.pdf_bytes())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="kb-verlengingen.zip"'
    return response


@requires(roles.CHANGE_FILES)
@require_http_methods(["GET", "POST"])
def kb_batch(request):
    """The KBs of all extensions approved in a month. With JavaScript the page generates them one by
    one and shows progress; without it, the POST generates all and returns the zip."""
    month = _month(request)
    extensions = list(_approved_in(month)) if month else []
    for extension, text in zip(extensions, kb.extension_texts(extensions), strict=True):
        # A KB becomes final only with every fact recorded; the page says what is still missing.
        extension.kb_missing, extension.kb_outdated = text.missing, text.amount_outdated
    complete = [e for e in extensions if not e.kb_missing]
    outdated = sorted({e.kb_outdated for e in complete if e.kb_outdated}, key=lambda o: (o.name, o.since))
    if request.method == "POST" and month and complete:
        # The current final version of each; a new one only where the dossier changed.
        documents = [
            services.kb_generate(
                user=request.user,
                appointment=e.appointment,
                kind=KBDocument.Kind.EXTENSION,
                extension=e,
                amount_checked=_amount_checked(request),
            )
            for e in complete
        ]
        return _zip(documents)
    return render(
        request,
        "appointments/kb_batch.html",
        {
            "month": month,
            "extensions": extensions,
            "complete_count": len(complete),
            "outdated": outdated,
            "month_value": month.strftime("%Y-%m") if month else "",
            "invalid": bool(request.GET.get("maand")) and month is None,
        },
        status=400 if request.GET.get("maand") and month is None else 200,
    )


@requires(roles.CHANGE_FILES)
@require_POST
def kb_batch_item(request, extension_pk):
    extension = get_object_or_404(Extension.objects.select_related("appointment"), pk=extension_pk)
    try:
        document = services.kb_generate(
            user=request.user,
            appointment=extension.appointment,
            kind=KBDocument.Kind.EXTENSION,
            extension=extension,
            amount_checked=_amount_checked(request),
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"id": document.pk, "filename": document.filename})


@requires(roles.CHANGE_FILES)
@require_GET
def kb_batch_zip(request):
    ids = [parse_id(value) for value in request.GET.getlist("kb")]
    if None in ids:
        raise Http404
    documents = KBDocument.objects.filter(pk__in=ids).order_by("pk")
    if not documents:
        raise Http404
    return _zip(documents)
